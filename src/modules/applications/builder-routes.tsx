/**
 * The administrators' form builder, under /fr and /en (staff sign-in; every use case checks
 * applicationService.manage, administrators only). Plain forms, no JavaScript needed:
 *   GET, POST /staff/services                                  the services; create one
 *   GET       /staff/services/:id                              settings, draft form, fee, documents, publish
 *   POST      /staff/services/:id/settings                     names, kind, department, active
 *   POST      /staff/services/:id/questions                    add a question to a page
 *   GET, POST /staff/services/:id/questions/:code              edit a question
 *   POST      /staff/services/:id/questions/:code/move|remove
 *   POST      /staff/services/:id/pages                        add a page
 *   GET, POST /staff/services/:id/pages/:code                  edit a page (title, intro, condition)
 *   POST      /staff/services/:id/pages/:code/move|remove
 *   POST      /staff/services/:id/fee | documents | publish
 *   GET       /staff/services/:id/preview/:page                the page as a resident sees it
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff } from '../../platform/auth/session.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import type { Translate } from '../../platform/i18n.ts';
import { href } from '../../web/context.ts';
import { listDepartments, staffPrincipal } from '../departments/service.ts';
import { createService, listServicesForAdmin, publishVersion, saveDraftDefinition, serviceForBuilder, updateService, type ServiceForBuilder, type StaffCaller } from './builder.ts';
import * as edit from './builder-edit.ts';
import { LIMITS, type DefinitionProblem, type FormDefinition } from './engine/index.ts';
import { IDEMPOTENCY_KEY, newIdempotencyKey } from './service.ts';
import { builderPreviewRoutes } from './builder-preview.tsx';
import { ServicesAdminPage, SERVICE_KINDS } from './views/builder/list.tsx';
import { builderDone } from './views/builder/parts.tsx';
import { PageEditPage, QuestionEditPage, conditionValues, questionValues } from './views/builder/question.tsx';
import { ServiceBuilderPage, serviceValues } from './views/builder/service.tsx';

const s64 = { type: 'string', maxLength: 64 } as const;
const idParams = { type: 'object', properties: { id: s64 }, required: ['id'] } as const;
const codeParams = { type: 'object', properties: { id: s64, code: s64 }, required: ['id', 'code'] } as const;
const doneQuery = { type: 'object', properties: { done: { type: 'string', maxLength: 20 } } } as const;
/** Builder forms: any field, each a bounded string or list of strings. */
const looseBody = {
  type: 'object',
  additionalProperties: { anyOf: [{ type: 'string', maxLength: 25000 }, { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 200 } }] },
} as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

export async function staffCaller(req: FastifyRequest): Promise<StaffCaller> {
  const tenant = requireTenant(req);
  const staff = requireStaff(req);
  const { db } = req.server.deps;
  return { db, principal: await staffPrincipal(db, tenant.id, staff), ip: req.ip, tenant };
}

/** The engine's verdict on a draft, as messages for the error summary. */
function problemErrors(t: Translate, problems: DefinitionProblem[]): Record<string, string> {
  return Object.fromEntries(problems.map((p) => [`definition-${p.path.replace(/\W+/g, '-')}`, t(`applications.definition.${p.code}`, { path: p.path })]));
}

export async function builderRoutes(app: FastifyInstance): Promise<void> {
  async function renderList(req: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>, status: number) {
    const c = await staffCaller(req);
    const withVersions = await listServicesForAdmin(c);
    const departments = await listDepartments(c);
    const done = builderDone((req.query as { done?: string } | undefined)?.done);
    const key = values._idem && IDEMPOTENCY_KEY.test(values._idem) ? values._idem : newIdempotencyKey();
    return sendPage(reply, <ServicesAdminPage ctx={pageContext(req, reply)} services={withVersions} departments={departments} values={values} errors={errors} done={done} idempotencyKey={key} />, status);
  }

  app.get('/staff/services', { schema: { querystring: doneQuery } }, (req, reply) => renderList(req, reply, {}, {}, 200));

  /** Name, summary, kind, department: shared by the create and settings forms. */
  function readSettings(f: edit.Fields, t: Translate, departments: Array<{ id: string }>) {
    const errors: Record<string, string> = {};
    const name = edit.bilingualField(f, 'name', t, errors, 120);
    const summary = edit.bilingualField(f, 'summary', t, errors, 1000, true);
    const kind = edit.str(f, 'kind');
    if (!(SERVICE_KINDS as readonly string[]).includes(kind)) errors.kind = t('applications.builder.errors.choose');
    const department = edit.str(f, 'department');
    if (department !== '' && !departments.some((d) => d.id === department)) errors.department = t('applications.builder.errors.choose');
    return { errors, name, summary, kind: kind as (typeof SERVICE_KINDS)[number], departmentId: department === '' ? null : department };
  }

  app.post('/staff/services', { schema: { body: looseBody } }, async (req, reply) => {
    const c = await staffCaller(req);
    const t = pageContext(req, reply).t;
    const f = req.body as edit.Fields;
    const values = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'string' ? v : ''])) as Record<string, string>;
    const settings = readSettings(f, t, await listDepartments(c));
    const errors = settings.errors;
    const slug = edit.str(f, 'slug').toLowerCase();
    if (!SLUG.test(slug)) errors.slug = t('applications.builder.errors.slug');
    const days = Number(edit.str(f, 'target_days'));
    if (!Number.isInteger(days) || days < 1 || days > 365) errors.target_days = t('applications.builder.errors.wholeNumber', { min: 1, max: 365 });
    if (Object.keys(errors).length > 0) return renderList(req, reply, values, errors, 422);
    const key = edit.str(f, '_idem');
    const created = await createService(c, {
      slug,
      kind: settings.kind,
      name: settings.name,
      summary: settings.summary,
      departmentId: settings.departmentId,
      targetDays: days,
      active: true,
      createKey: IDEMPOTENCY_KEY.test(key) ? key : null,
    });
    if (!created.ok) return renderList(req, reply, values, { slug: t('applications.builder.errors.slugTaken') }, 422);
    return seeOther(reply, href(req, `/staff/services/${created.service.id}?done=created`));
  });

  async function load(req: FastifyRequest): Promise<{ c: StaffCaller; b: ServiceForBuilder }> {
    const c = await staffCaller(req);
    const id = (req.params as { id: string }).id;
    if (!UUID.test(id)) throw new AppError('notFound');
    return { c, b: await serviceForBuilder(c, id) };
  }

  async function renderService(req: FastifyRequest, reply: FastifyReply, loaded: { c: StaffCaller; b: ServiceForBuilder }, values: Record<string, string>, errors: Record<string, string>, status: number) {
    const departments = await listDepartments(loaded.c);
    const done = builderDone((req.query as { done?: string } | undefined)?.done);
    return sendPage(reply, <ServiceBuilderPage ctx={pageContext(req, reply)} b={loaded.b} departments={departments} values={{ ...serviceValues(loaded.b), ...values }} errors={errors} done={done} />, status);
  }

  app.get('/staff/services/:id', { schema: { params: idParams, querystring: doneQuery } }, async (req, reply) => renderService(req, reply, await load(req), {}, {}, 200));

  const sent = (f: edit.Fields) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : ''])) as Record<string, string>;

  /** Saves a changed draft (checked by the engine), then back to the service's page. */
  async function saveAndBack(req: FastifyRequest, reply: FastifyReply, loaded: { c: StaffCaller; b: ServiceForBuilder }, def: FormDefinition, done: string, anchor = '') {
    const saved = await saveDraftDefinition(loaded.c, loaded.b.service.id, def);
    if (!saved.ok) return renderService(req, reply, loaded, sent(req.body as edit.Fields), problemErrors(pageContext(req, reply).t, saved.problems), 422);
    return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}?done=${done}${anchor}`));
  }

  app.post('/staff/services/:id/settings', { schema: { params: idParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const f = req.body as edit.Fields;
    const settings = readSettings(f, pageContext(req, reply).t, await listDepartments(loaded.c));
    if (Object.keys(settings.errors).length > 0) return renderService(req, reply, loaded, sent(f), settings.errors, 422);
    await updateService(loaded.c, loaded.b.service.id, {
      kind: settings.kind,
      name: settings.name,
      summary: settings.summary,
      departmentId: settings.departmentId,
      targetDays: loaded.b.service.targetDays,
      active: edit.str(f, 'active') === 'yes',
    });
    return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}?done=saved`));
  });

  app.post('/staff/services/:id/questions', { schema: { params: idParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const t = pageContext(req, reply).t;
    const f = req.body as edit.Fields;
    const def = loaded.b.draft.definition;
    const errors: Record<string, string> = {};
    const pageCode = edit.str(f, 'new_page');
    if (!edit.findPage(def, pageCode)) errors.new_page = t('applications.builder.errors.choose');
    const kind = edit.str(f, 'new_kind');
    if (!edit.isKind(kind)) errors.new_kind = t('applications.builder.errors.choose');
    const code = edit.codeField(f, 'new_code', t, errors);
    const label = edit.bilingualField(f, 'new_label', t, errors, LIMITS.label);
    if (Object.keys(errors).length === 0 && edit.codeTaken(def, code)) {
      // The same question sent twice (a double click) is already there: nothing to add.
      const same = def.pages.flatMap((p) => p.questions).find((q) => q.code === code && q.kind === kind && q.label.fr === label.fr && q.label.en === label.en);
      if (same) return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}/questions/${code}`));
      errors.new_code = t('applications.builder.errors.codeTaken');
    }
    if (def.pages.reduce((n, p) => n + p.questions.length, 0) >= LIMITS.pages * LIMITS.questionsPerPage) errors.new_code = t('applications.builder.errors.tooMany', { max: LIMITS.questionsPerPage });
    if (Object.keys(errors).length > 0 || !edit.isKind(kind)) return renderService(req, reply, loaded, sent(f), errors, 422);
    const saved = await saveDraftDefinition(loaded.c, loaded.b.service.id, edit.addQuestion(def, pageCode, edit.newQuestion(kind, code, label)));
    if (!saved.ok) return renderService(req, reply, loaded, sent(f), problemErrors(t, saved.problems), 422);
    // Straight to the new question's own settings.
    return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}/questions/${code}`));
  });

  function questionOf(b: ServiceForBuilder, code: string) {
    const q = b.draft.definition.pages.flatMap((p) => p.questions).find((x) => x.code === code);
    if (!q) throw new AppError('notFound');
    return q;
  }

  app.get('/staff/services/:id/questions/:code', { schema: { params: codeParams } }, async (req, reply) => {
    const { b } = await load(req);
    const q = questionOf(b, (req.params as { code: string }).code);
    const earlier = edit.questionsBefore(b.draft.definition, q.code);
    return sendPage(reply, <QuestionEditPage ctx={pageContext(req, reply)} service={b.service} q={q} earlier={earlier} values={questionValues(q)} errors={{}} />);
  });

  app.post('/staff/services/:id/questions/:code', { schema: { params: codeParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const ctx = pageContext(req, reply);
    const q = questionOf(loaded.b, (req.params as { code: string }).code);
    const def = loaded.b.draft.definition;
    const earlier = edit.questionsBefore(def, q.code);
    const f = req.body as edit.Fields;
    const read = edit.readQuestion(q, f, ctx.t, earlier);
    const again = (errors: Record<string, string>) => sendPage(reply, <QuestionEditPage ctx={ctx} service={loaded.b.service} q={q} earlier={earlier} values={sent(f)} errors={errors} />, 422);
    if (Object.keys(read.errors).length > 0) return again(read.errors);
    const saved = await saveDraftDefinition(loaded.c, loaded.b.service.id, edit.replaceQuestion(def, read.question));
    if (!saved.ok) return again(problemErrors(ctx.t, saved.problems));
    return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}?done=saved`));
  });

  const dirOf = (f: edit.Fields) => (edit.str(f, 'dir') === 'up' ? 'up' : 'down');

  app.post('/staff/services/:id/questions/:code/move', { schema: { params: codeParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const q = questionOf(loaded.b, (req.params as { code: string }).code);
    return saveAndBack(req, reply, loaded, edit.moveQuestion(loaded.b.draft.definition, q.code, dirOf(req.body as edit.Fields)), 'moved');
  });

  app.post('/staff/services/:id/questions/:code/remove', { schema: { params: codeParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const code = (req.params as { code: string }).code;
    // Already gone (a second click): nothing to do.
    if (!loaded.b.draft.definition.pages.some((p) => p.questions.some((q) => q.code === code))) return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}?done=removed`));
    return saveAndBack(req, reply, loaded, edit.removeQuestion(loaded.b.draft.definition, code), 'removed');
  });

  app.post('/staff/services/:id/pages', { schema: { params: idParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const t = pageContext(req, reply).t;
    const f = req.body as edit.Fields;
    const def = loaded.b.draft.definition;
    const errors: Record<string, string> = {};
    const code = edit.codeField(f, 'page_code', t, errors);
    const title = edit.bilingualField(f, 'page_title', t, errors, LIMITS.label);
    if (!errors.page_code && edit.codeTaken(def, code)) {
      const same = edit.findPage(def, code);
      if (same && same.title.fr === title.fr && same.title.en === title.en) return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}?done=added`));
      errors.page_code = t('applications.builder.errors.codeTaken');
    }
    if (def.pages.length >= LIMITS.pages) errors.page_code = t('applications.builder.errors.tooMany', { max: LIMITS.pages });
    if (Object.keys(errors).length > 0) return renderService(req, reply, loaded, sent(f), errors, 422);
    return saveAndBack(req, reply, loaded, edit.addPage(def, code, title), 'added');
  });

  function pageOf(b: ServiceForBuilder, code: string) {
    const p = edit.findPage(b.draft.definition, code);
    if (!p) throw new AppError('notFound');
    return p;
  }
  /** What a page's condition may read: questions of the pages before it. */
  const beforePage = (def: FormDefinition, code: string) => def.pages.slice(0, def.pages.findIndex((p) => p.code === code)).flatMap((p) => p.questions);

  app.get('/staff/services/:id/pages/:code', { schema: { params: codeParams } }, async (req, reply) => {
    const { b } = await load(req);
    const page = pageOf(b, (req.params as { code: string }).code);
    const values = { title_fr: page.title.fr, title_en: page.title.en, intro_fr: page.intro.fr, intro_en: page.intro.en, ...conditionValues(page.showIf) };
    return sendPage(reply, <PageEditPage ctx={pageContext(req, reply)} service={b.service} page={page} earlier={beforePage(b.draft.definition, page.code)} values={values} errors={{}} />);
  });

  app.post('/staff/services/:id/pages/:code', { schema: { params: codeParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const ctx = pageContext(req, reply);
    const page = pageOf(loaded.b, (req.params as { code: string }).code);
    const def = loaded.b.draft.definition;
    const f = req.body as edit.Fields;
    const errors: Record<string, string> = {};
    const title = edit.bilingualField(f, 'title', ctx.t, errors, LIMITS.label);
    const intro = edit.bilingualField(f, 'intro', ctx.t, errors, LIMITS.help, true);
    // The page's condition reads the same fields as a question's.
    const probe = edit.readQuestion({ kind: 'yesno', code: '_page', label: title, help: { fr: '', en: '' }, required: false, showIf: null }, { ...f, label_fr: title.fr || '-', label_en: title.en || '-' }, ctx.t, beforePage(def, page.code));
    Object.assign(errors, Object.fromEntries(Object.entries(probe.errors).filter(([k]) => k.startsWith('cond_'))));
    const again = (e: Record<string, string>) => sendPage(reply, <PageEditPage ctx={ctx} service={loaded.b.service} page={page} earlier={beforePage(def, page.code)} values={sent(f)} errors={e} />, 422);
    if (Object.keys(errors).length > 0) return again(errors);
    const saved = await saveDraftDefinition(loaded.c, loaded.b.service.id, edit.replacePage(def, page.code, { title, intro, showIf: probe.question.showIf }));
    if (!saved.ok) return again(problemErrors(ctx.t, saved.problems));
    return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}?done=saved`));
  });

  app.post('/staff/services/:id/pages/:code/move', { schema: { params: codeParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const page = pageOf(loaded.b, (req.params as { code: string }).code);
    return saveAndBack(req, reply, loaded, edit.movePage(loaded.b.draft.definition, page.code, dirOf(req.body as edit.Fields)), 'moved');
  });

  app.post('/staff/services/:id/pages/:code/remove', { schema: { params: codeParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const code = (req.params as { code: string }).code;
    if (!edit.findPage(loaded.b.draft.definition, code)) return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}?done=removed`));
    return saveAndBack(req, reply, loaded, edit.removePage(loaded.b.draft.definition, code), 'removed');
  });

  app.post('/staff/services/:id/fee', { schema: { params: idParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const def = loaded.b.draft.definition;
    const read = edit.readFee(req.body as edit.Fields, pageContext(req, reply).t, def);
    if (Object.keys(read.errors).length > 0) return renderService(req, reply, loaded, sent(req.body as edit.Fields), read.errors, 422);
    return saveAndBack(req, reply, loaded, { ...def, fee: read.fee }, 'saved');
  });

  app.post('/staff/services/:id/documents', { schema: { params: idParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const t = pageContext(req, reply).t;
    const f = req.body as edit.Fields;
    const def = loaded.b.draft.definition;
    const errors: Record<string, string> = {};
    const documents = edit.parseDocuments(edit.str(f, 'documents'), t, errors, def);
    const steps = edit.parseSteps(edit.str(f, 'steps'), t, errors);
    const days = Number(edit.str(f, 'form_target_days'));
    if (!Number.isInteger(days) || days < 1 || days > 365) errors.form_target_days = t('applications.builder.errors.wholeNumber', { min: 1, max: 365 });
    if (Object.keys(errors).length > 0) return renderService(req, reply, loaded, sent(f), errors, 422);
    return saveAndBack(req, reply, loaded, { ...def, documents, steps, targetDays: days }, 'saved');
  });

  app.post('/staff/services/:id/publish', { schema: { params: idParams, body: looseBody } }, async (req, reply) => {
    const loaded = await load(req);
    const t = pageContext(req, reply).t;
    const result = await publishVersion(loaded.c, loaded.b.service.id);
    if (result.ok) return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}?done=published`));
    if ('problems' in result) return renderService(req, reply, loaded, {}, problemErrors(t, result.problems), 422);
    if (result.reason === 'noDraft') return seeOther(reply, href(req, `/staff/services/${loaded.b.service.id}`));
    return renderService(req, reply, loaded, {}, { publish: t('applications.builder.errors.noQuestions') }, 422);
  });

  await builderPreviewRoutes(app, load);
}
