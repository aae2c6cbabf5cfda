/**
 * "Do I need a permit?" pages: GET only (nothing is stored; the answers are in the links).
 *   GET /applications/check/:slug                  the first question
 *   GET /applications/check/:slug/q/:question      a question (the form is a GET to .../answer)
 *   GET /applications/check/:slug/answer           ?at=<question>&choice=<value> → the next step (303)
 *   GET /applications/check/:slug/outcome/:code    the answer, with a link to the right form
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { href } from '../../web/context.ts';
import { findPrecheck } from './precheck.ts';
import { PrecheckOutcomePage, PrecheckQuestionPage } from './views/resident/precheck.tsx';

const s64 = { type: 'string', maxLength: 64 } as const;
const params = { type: 'object', properties: { slug: s64, code: s64 }, required: ['slug'] } as const;
const answerQuery = { type: 'object', properties: { at: s64, choice: s64 } } as const;

export async function precheckRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.deps;

  async function load(req: FastifyRequest, slug: string) {
    const precheck = await findPrecheck(db, requireTenant(req), slug);
    if (!precheck) throw new AppError('notFound');
    return precheck;
  }

  app.get('/applications/check/:slug', { schema: { params } }, async (req, reply) => {
    const p = await load(req, (req.params as { slug: string }).slug);
    return sendPage(reply, <PrecheckQuestionPage ctx={pageContext(req, reply)} precheck={p} question={p.definition.questions[0]!} error={null} first />);
  });

  app.get('/applications/check/:slug/q/:code', { schema: { params } }, async (req, reply) => {
    const { slug, code } = req.params as { slug: string; code: string };
    const p = await load(req, slug);
    const q = p.definition.questions.find((x) => x.code === code);
    if (!q) throw new AppError('notFound');
    return sendPage(reply, <PrecheckQuestionPage ctx={pageContext(req, reply)} precheck={p} question={q} error={null} first={q === p.definition.questions[0]} />);
  });

  app.get('/applications/check/:slug/answer', { schema: { params, querystring: answerQuery } }, async (req, reply) => {
    const p = await load(req, (req.params as { slug: string }).slug);
    const { at, choice } = req.query as { at?: string; choice?: string };
    const q = p.definition.questions.find((x) => x.code === at);
    if (!q) throw new AppError('notFound');
    const picked = q.choices.find((c) => c.value === choice);
    if (!picked) {
      const ctx = pageContext(req, reply);
      return sendPage(reply, <PrecheckQuestionPage ctx={ctx} precheck={p} question={q} error={ctx.t('applications.precheck.choose')} first={q === p.definition.questions[0]} />, 422);
    }
    const isOutcome = p.definition.outcomes.some((o) => o.code === picked.next);
    return seeOther(reply, href(req, `/applications/check/${p.slug}/${isOutcome ? 'outcome' : 'q'}/${picked.next}`));
  });

  app.get('/applications/check/:slug/outcome/:code', { schema: { params } }, async (req, reply) => {
    const { slug, code } = req.params as { slug: string; code: string };
    const p = await load(req, slug);
    const outcome = p.definition.outcomes.find((o) => o.code === code);
    if (!outcome) throw new AppError('notFound');
    return sendPage(reply, <PrecheckOutcomePage ctx={pageContext(req, reply)} precheck={p} outcome={outcome} />);
  });
}
