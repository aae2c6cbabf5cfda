/**
 * Residents' application pages, under /fr and /en:
 *   GET  /applications                              services to apply for (and one's own applications)
 *   GET  /applications/services/:slug               what the service is, documents to have ready, fee; start
 *   POST /applications/services/:slug/start         start a draft (signed-in residents; one per form key)
 *   GET  /applications/:id/continue                 back to where the draft was left
 *   GET  /applications/:id/pages/:page              one page of the form
 *   POST /applications/:id/pages/:page              save it (next / save / upload; files removed by ticking)
 *   GET  /applications/:id/check                    check your answers, fee, how to pay
 *   POST /applications/:id/submit                   send (once)
 *   GET  /applications/:id/receipt                  the reference code
 *   GET  /applications/:id                          the application's page
 *   GET  /applications/:id/files/:file              a file of one's own application
 * Another resident's application or file answers 404, like an id that does not exist.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireResident } from '../../platform/auth/session.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { paymentMethods } from '../../platform/payments.ts';
import { href } from '../../web/context.ts';
import { fieldMessage, visibility, type FieldError, type RawAnswers } from './engine/index.ts';
import { handlePagePost, readPageAnswers } from './page-post.ts';
import './demo.ts';
import './file-source.ts';
import { listPrechecks } from './precheck.ts';
import { precheckRoutes } from './precheck-routes.tsx';
import {
  applicationForResident,
  fileForResident,
  findOpenService,
  IDEMPOTENCY_KEY,
  listMyApplications,
  listOpenServices,
  newIdempotencyKey as newKey,
  reviewApplication,
  startApplication,
  submitApplication,
  type Application,
  type ApplicationCaller,
} from './service.ts';
import { ServicePage, ServicesPage } from './views/resident/catalogue.tsx';
import { CheckPage } from './views/resident/check.tsx';
import { FormPage } from './views/resident/form-page.tsx';
import { ApplicationPage, ReceiptPage } from './views/resident/receipt.tsx';

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] } as const;
const pageParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 }, page: { type: 'string', maxLength: 64 } },
  required: ['id', 'page'],
} as const;
const fileParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 }, file: { type: 'string', maxLength: 64 } },
  required: ['id', 'file'],
} as const;
const slugParams = { type: 'object', properties: { slug: { type: 'string', maxLength: 64 } }, required: ['slug'] } as const;
const noticeQuery = { type: 'object', properties: { done: { type: 'string', maxLength: 20 } } } as const;
const keyBody = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 200 }, _idem: { type: 'string', maxLength: 200 }, payment: { type: 'string', maxLength: 20 } },
  additionalProperties: false,
} as const;

/** The pages of a draft a resident goes through, in order, given the answers so far. */
export function shownPages(a: Application, files: Array<{ questionCode: string | null; contentType: string; size: number }>) {
  const v = visibility(a.definition, a.answers as RawAnswers, files);
  return a.definition.pages.filter((p) => v.pages.has(p.code));
}

export async function applicationRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;
  const caller = (req: FastifyRequest): ApplicationCaller => ({ db, tenant: requireTenant(req), resident: requireResident(req), ip: req.ip, publicUrl: config.publicUrl });
  // Starting and sending count as form submissions (the tight per-address limit); saving a page
  // does not (it happens at every step, and on every change with JavaScript).
  const tight = { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60_000 } };

  app.get('/applications', async (req, reply) => {
    const ctx = pageContext(req, reply);
    const services = await listOpenServices(db, ctx.tenant);
    const mine = req.resident ? await listMyApplications(caller(req)) : null;
    const prechecks = (await listPrechecks(db, ctx.tenant)).map((p) => ({ slug: p.slug, title: p.title[ctx.locale] }));
    return sendPage(reply, <ServicesPage ctx={ctx} services={services} mine={mine} prechecks={prechecks} />);
  });

  app.get('/applications/services/:slug', { schema: { params: slugParams } }, async (req, reply) => {
    const ctx = pageContext(req, reply);
    const open = await findOpenService(db, ctx.tenant, (req.params as { slug: string }).slug);
    if (!open) throw new AppError('notFound');
    return sendPage(reply, <ServicePage ctx={ctx} open={open} signedIn={req.resident !== null} idempotencyKey={newKey()} />);
  });

  app.post('/applications/services/:slug/start', { schema: { params: slugParams, body: keyBody }, config: tight }, async (req, reply) => {
    const c = caller(req);
    const sent = (req.body as { _idem?: string })._idem;
    const started = await startApplication(c, (req.params as { slug: string }).slug, {
      idempotencyKey: sent && IDEMPOTENCY_KEY.test(sent) ? sent : newKey(),
      locale: req.locale,
    });
    if (!started.ok) throw new AppError('notFound');
    return seeOther(reply, href(req, `/applications/${started.applicationId}/continue`));
  });

  /** Where a draft was left: its current page if still shown, else the next one shown, else the check page. */
  app.get('/applications/:id/continue', { schema: { params: idParams } }, async (req, reply) => {
    const { application: a, files } = await applicationForResident(caller(req), (req.params as { id: string }).id);
    if (a.status !== 'draft') return seeOther(reply, href(req, `/applications/${a.id}`));
    const shown = new Set(shownPages(a, files).map((p) => p.code));
    const next = a.definition.pages.slice(a.currentPage).find((p) => shown.has(p.code));
    return seeOther(reply, href(req, next ? `/applications/${a.id}/pages/${next.code}` : `/applications/${a.id}/check`));
  });

  async function renderPage(req: FastifyRequest, reply: FastifyReply, values: RawAnswers | null, errors: FieldError[], status: number, notice?: 'saved' | 'uploaded' | 'removed') {
    const ctx = pageContext(req, reply);
    const { id, page: code } = req.params as { id: string; page: string };
    const { application: a, files } = await applicationForResident(caller(req), id);
    if (a.status !== 'draft') return seeOther(reply, href(ctx, `/applications/${a.id}`));
    const shown = shownPages(a, files);
    const index = shown.findIndex((p) => p.code === code);
    const page = a.definition.pages.find((p) => p.code === code);
    if (!page) throw new AppError('notFound');
    // A page hidden by the answers given: back to where the draft goes on.
    if (index < 0) return seeOther(reply, href(ctx, `/applications/${a.id}/continue`));
    const fieldErrors: Record<string, string> = {};
    for (const e of errors) fieldErrors[e.question] ??= fieldMessage(e, ctx.locale);
    const back = index > 0 ? href(ctx, `/applications/${a.id}/pages/${shown[index - 1]!.code}`) : href(ctx, `/applications/services/${a.service.slug}`);
    return sendPage(
      reply,
      <FormPage
        ctx={ctx}
        serviceName={a.service.name[ctx.locale]}
        def={a.definition}
        page={page}
        position={index + 1}
        count={shown.length}
        values={values ?? (a.answers as RawAnswers)}
        errors={fieldErrors}
        files={files}
        backHref={back}
        action={href(ctx, `/applications/${a.id}/pages/${page.code}`)}
        fileHref={(f) => href(ctx, `/applications/${a.id}/files/${f.id}`)}
        notice={notice}
      />,
      status,
    );
  }

  app.get('/applications/:id/pages/:page', { schema: { params: pageParams, querystring: noticeQuery } }, async (req, reply) => {
    const done = (['saved', 'uploaded', 'removed'] as const).find((d) => d === (req.query as { done?: string }).done);
    return renderPage(req, reply, null, [], 200, done);
  });

  app.post('/applications/:id/pages/:page', { schema: { params: pageParams } }, async (req, reply) => {
    const c = caller(req);
    const { id, page } = req.params as { id: string; page: string };
    const outcome = await handlePagePost(c, req, id, page);
    if (outcome.kind === 'invalid') return renderPage(req, reply, outcome.values, outcome.errors, 422);
    return seeOther(reply, href(req, outcome.location));
  });

  async function renderCheck(req: FastifyRequest, reply: FastifyReply, errors: Record<string, string>, status: number, submitKey?: string) {
    const ctx = pageContext(req, reply);
    const review = await reviewApplication(caller(req), (req.params as { id: string }).id);
    const a = review.application;
    if (a.status !== 'draft') return seeOther(reply, href(ctx, `/applications/${a.id}`));
    const pageOf = new Map(a.definition.pages.flatMap((p) => p.questions.map((q) => [q.code, p.code] as const)));
    const problems = review.errors.map((e) => ({ question: e.question, page: pageOf.get(e.question) ?? '', message: fieldMessage(e, ctx.locale) }));
    return sendPage(
      reply,
      <CheckPage
        ctx={ctx}
        application={a}
        files={review.files}
        visible={review.visibleQuestions}
        problems={problems}
        feeCents={review.feeCents}
        methods={paymentMethods()}
        errors={errors}
        submitKey={submitKey ?? newKey()}
      />,
      status,
    );
  }

  app.get('/applications/:id/check', { schema: { params: idParams } }, async (req, reply) => renderCheck(req, reply, {}, 200));

  app.post('/applications/:id/submit', { schema: { params: idParams, body: keyBody }, config: tight }, async (req, reply) => {
    const c = caller(req);
    const id = (req.params as { id: string }).id;
    const body = req.body as { _idem?: string; payment?: string };
    const submitKey = body._idem && IDEMPOTENCY_KEY.test(body._idem) ? body._idem : newKey();
    const result = await submitApplication(c, id, { paymentMethod: body.payment ?? null, submitKey });
    if (result.ok) return seeOther(reply, href(req, `/applications/${id}/receipt`));
    const t = pageContext(req, reply).t;
    if (result.reason === 'paymentMethod') return renderCheck(req, reply, { payment: t('applications.check.choosePayment') }, 422, submitKey);
    if (result.reason === 'notDraft') return seeOther(reply, href(req, `/applications/${id}`));
    return renderCheck(req, reply, {}, 422, submitKey);
  });

  app.get('/applications/:id/receipt', { schema: { params: idParams } }, async (req, reply) => {
    const { application } = await applicationForResident(caller(req), (req.params as { id: string }).id);
    if (application.status === 'draft') return seeOther(reply, href(req, `/applications/${application.id}/continue`));
    return sendPage(reply, <ReceiptPage ctx={pageContext(req, reply)} application={application} />);
  });

  app.get('/applications/:id', { schema: { params: idParams } }, async (req, reply) => {
    const view = await applicationForResident(caller(req), (req.params as { id: string }).id);
    if (view.application.status === 'draft') return seeOther(reply, href(req, `/applications/${view.application.id}/continue`));
    return sendPage(reply, <ApplicationPage ctx={pageContext(req, reply)} application={view.application} files={view.files} events={view.events} />);
  });

  app.get('/applications/:id/files/:file', { schema: { params: fileParams } }, async (req, reply) => {
    const { id, file } = req.params as { id: string; file: string };
    const found = await fileForResident(caller(req), id, file);
    const inline = found.file.contentType === 'application/pdf' || found.file.contentType.startsWith('image/');
    return reply
      .header('content-type', found.file.contentType)
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(found.file.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(found.bytes);
  });

  await precheckRoutes(app);
}

export { readPageAnswers };
