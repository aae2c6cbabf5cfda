/**
 * Staff pages of service requests, under /fr and /en (staff sign-in required, as every staff page):
 *   /staff/requests                 the queue (GET filters) and /staff/requests/bulk (several at once)
 *   /staff/requests/new             a request taken by phone, at the counter or by email (intake-routes.tsx)
 *   /staff/requests/:reference      the case page, and its forms: reply, note, status, assign, type,
 *                                   department, merge, close (multipart, photo optional)
 *   /staff/requests/photos/:id      a case's photo
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { pageContext, seeOther, sendPage } from '../../../platform/http.ts';
import { cleanImage, IMAGE_MAX_BYTES, readMultipartForm } from '../../../platform/uploads.ts';
import type { FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { addPublicReply, changeStatus, closeWithNote, newIdempotencyKey, type RequestsCaller } from '../service.ts';
import { addInternalNote, assignCase, changeDepartment, changeType, getCase, getCasePhoto, type CaseError } from './casework.ts';
import { staffRequestsCaller } from './caller.ts';
import { intakeRoutes } from './intake-routes.tsx';
import { mergeInto } from './merge.ts';
import { AGE_FILTERS, AREA_FILTERS, listQueue, NO_FILTERS, STATUS_FILTERS, type QueueFilters } from './queue.ts';
import { CasePage, type CaseDone, type CaseValues } from './views/case.tsx';
import { QueuePageView, queueQuery, type QueueDone } from './views/queue.tsx';

const REFERENCE_PARAM = { type: 'object', properties: { reference: { type: 'string', pattern: '^[2-9A-HJ-NP-Za-hj-np-z]{4}-?[2-9A-HJ-NP-Za-hj-np-z]{4}$' } }, required: ['reference'] } as const;
const PHOTO_PARAM = { type: 'object', properties: { id: { type: 'string', maxLength: 40 } }, required: ['id'] } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
const oneOf = <T extends string>(v: string, allowed: readonly T[], fallback: T | ''): T | '' => ((allowed as readonly string[]).includes(v) ? (v as T) : fallback);

export function parseFilters(q: Record<string, unknown>): QueueFilters {
  const pick = (k: string) => str(q[k]).trim().slice(0, 64);
  const department = pick('department');
  const assignee = pick('assignee');
  const type = pick('type');
  return {
    status: (oneOf(pick('status'), STATUS_FILTERS, 'open') || 'open'),
    department: department === 'none' || UUID.test(department) ? department.toLowerCase() : '',
    type: /^[a-z0-9][a-z0-9-]{1,62}$/.test(type) ? type : '',
    assignee: assignee === 'me' || assignee === 'none' || UUID.test(assignee) ? assignee.toLowerCase() : '',
    age: oneOf(pick('age'), AGE_FILTERS, ''),
    area: oneOf(pick('area'), AREA_FILTERS, ''),
    overdue: pick('overdue') === '1',
  };
}

const CASE_ERRORS: Record<CaseError, string> = {
  required: 'queue.errors.required',
  tooLong: 'queue.errors.tooLong',
  closed: 'queue.errors.closed',
  unknownAssignee: 'queue.errors.unknownAssignee',
  unknownType: 'queue.errors.unknownType',
  sameType: 'queue.errors.sameType',
  unknownDepartment: 'queue.errors.unknownDepartment',
  sameDepartment: 'queue.errors.sameDepartment',
};

export async function requestStaffRoutes(app: FastifyInstance): Promise<void> {
  app.get('/staff/requests', async (req, reply) => {
    const caller = await staffRequestsCaller(req);
    const q = req.query as Record<string, unknown>;
    const filters = parseFilters(q);
    const page = Math.min(Math.max(1, Number.parseInt(str(q.page), 10) || 1), 100_000);
    const queue = await listQueue(caller, filters, page);
    const code = str(q.done);
    const doneCode: QueueDone | null = code === 'bulk' || code === 'moved' ? code : null;
    const done = doneCode ? { code: doneCode, n: Number.parseInt(str(q.n), 10) || 0, failed: Number.parseInt(str(q.failed), 10) || 0 } : undefined;
    return sendPage(reply, <QueuePageView ctx={pageContext(req, reply)} filters={filters} queue={queue} done={done} />);
  });

  app.post('/staff/requests/bulk', async (req, reply) => {
    const caller = await staffRequestsCaller(req);
    const ctx = pageContext(req, reply);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = str(body.back);
    const query = /^\?[A-Za-z0-9_=&%.-]{0,500}$/.test(back) ? back : '';
    const filters = parseFilters(Object.fromEntries(new URLSearchParams(query)));
    const ids = [...new Set(list(body.ids).filter((id) => UUID.test(id)))].slice(0, 200);
    const action = str(body.action);
    const errors: FieldErrors = {};
    if (ids.length === 0) errors.ids = ctx.t('queue.errors.noSelection');
    if (!/^(assign:(me|none|[0-9a-fA-F-]{36})|status:(acknowledged|in_progress))$/.test(action)) errors.action = ctx.t('queue.errors.noAction');
    if (Object.keys(errors).length > 0) {
      const queue = await listQueue(caller, filters, 1);
      return sendPage(reply, <QueuePageView ctx={ctx} filters={filters} queue={queue} errors={errors} />, 422);
    }
    let done = 0;
    let failed = 0;
    for (const id of ids) {
      try {
        const [kind, value] = action.split(':') as ['assign' | 'status', string];
        const result =
          kind === 'assign'
            ? await assignCase(caller, id, value === 'none' ? null : value === 'me' ? (caller.principal as { id: string }).id : value)
            : await changeStatus(caller, id, value as 'acknowledged' | 'in_progress', null, ctx.locale);
        if (result.ok || (!result.ok && result.error === 'sameStatus')) done++;
        else failed++;
      } catch (err) {
        if (!(err instanceof AppError) || !['notFound', 'forbidden'].includes(err.code)) throw err;
        failed++;
      }
    }
    const sep = query ? '&' : '?';
    return seeOther(reply, href(ctx, `/staff/requests${query}${sep}done=bulk&n=${done}&failed=${failed}`));
  });

  app.get('/staff/requests/photos/:id', { schema: { params: PHOTO_PARAM } }, async (req, reply) => {
    const caller = await staffRequestsCaller(req);
    const photo = await getCasePhoto(caller, (req.params as { id: string }).id);
    if (!photo) throw new AppError('notFound');
    return reply.header('content-type', photo.contentType).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff').send(photo.bytes);
  });

  await intakeRoutes(app);

  async function showCase(req: FastifyRequest, reply: FastifyReply, caller: RequestsCaller, reference: string, status = 200, errors: FieldErrors = {}, values: CaseValues = {}) {
    const sc = await getCase(caller, reference);
    const done = str((req.query as Record<string, unknown>).done) as CaseDone;
    const known: CaseDone[] = ['entered', 'replied', 'noted', 'status', 'assigned', 'retyped', 'moved', 'merged', 'closed'];
    const ctx = pageContext(req, reply);
    return sendPage(reply, <CasePage ctx={ctx} sc={sc} map={app.deps.config.map} errors={errors} values={values} done={known.includes(done) ? done : undefined} idem={newIdempotencyKey()} />, status);
  }

  app.get('/staff/requests/:reference', { schema: { params: REFERENCE_PARAM } }, async (req, reply) => {
    const caller = await staffRequestsCaller(req);
    return showCase(req, reply, caller, (req.params as { reference: string }).reference);
  });

  /** One form of the case page: run it, then 303 to the page (or 422 with the message at the field). */
  function caseForm(path: string, field: string, run: (c: RequestsCaller, ref: string, body: Record<string, string>, ctx: PageContext) => Promise<{ ok: true; done: CaseDone; to?: string } | { ok: false; message: string }>) {
    app.post(`/staff/requests/:reference/${path}`, { schema: { params: REFERENCE_PARAM } }, async (req, reply) => {
      const caller = await staffRequestsCaller(req);
      const ctx = pageContext(req, reply);
      const reference = (req.params as { reference: string }).reference.toUpperCase();
      const raw = (req.body ?? {}) as Record<string, unknown>;
      const body = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, str(v).slice(0, 20_000)]));
      const result = await run(caller, reference, body, ctx);
      if (result.ok) return seeOther(reply, result.to ?? href(ctx, `/staff/requests/${reference}?done=${result.done}`));
      return showCase(req, reply, caller, reference, 422, { [field]: result.message }, body);
    });
  }

  const lifecycleMessage = (ctx: PageContext, error: string) => ctx.t(`queue.errors.${['noteRequired', 'required'].includes(error) ? 'required' : error === 'tooLong' ? 'tooLong' : error === 'sameStatus' ? 'sameStatus' : 'closed'}`, { max: 4000 });
  const caseMessage = (ctx: PageContext, error: CaseError) => ctx.t(CASE_ERRORS[error], { max: 4000 });

  caseForm('reply', 'reply', async (c, ref, b, ctx) => {
    const sc = await getCase(c, ref);
    const r = await addPublicReply(c, sc.request.id, b.reply ?? '', ctx.locale);
    return r.ok ? { ok: true, done: 'replied' } : { ok: false, message: lifecycleMessage(ctx, r.error) };
  });
  caseForm('note', 'note', async (c, ref, b, ctx) => {
    const r = await addInternalNote(c, ref, b.note ?? '', ctx.locale);
    return r.ok ? { ok: true, done: 'noted' } : { ok: false, message: caseMessage(ctx, r.error) };
  });
  caseForm('status', 'status', async (c, ref, b, ctx) => {
    const to = b.status;
    if (to !== 'new' && to !== 'acknowledged' && to !== 'in_progress') return { ok: false, message: ctx.t('queue.errors.choose') };
    const sc = await getCase(c, ref);
    const r = await changeStatus(c, sc.request.id, to, b.statusNote || null, ctx.locale);
    return r.ok ? { ok: true, done: 'status' } : { ok: false, message: lifecycleMessage(ctx, r.error) };
  });
  caseForm('assign', 'assignee', async (c, ref, b, ctx) => {
    const r = await assignCase(c, ref, b.assignee ? b.assignee : null);
    return r.ok ? { ok: true, done: 'assigned' } : { ok: false, message: caseMessage(ctx, r.error) };
  });
  caseForm('type', 'type', async (c, ref, b, ctx) => {
    const r = await changeType(c, ref, b.type ?? '');
    return r.ok ? { ok: true, done: 'retyped' } : { ok: false, message: caseMessage(ctx, r.error) };
  });
  caseForm('department', 'department', async (c, ref, b, ctx) => {
    const r = await changeDepartment(c, ref, b.department ? b.department : null);
    if (!r.ok) return { ok: false, message: caseMessage(ctx, r.error) };
    // The case may now be out of the agent's sight: back to the queue.
    return { ok: true, done: 'moved', to: href(ctx, `/staff/requests?done=moved&n=1`) };
  });
  caseForm('merge', 'keep', async (c, ref, b, ctx) => {
    const r = await mergeInto(c, ref, b.keep ?? '', b.mergeNote || null, ctx.locale);
    return r.ok ? { ok: true, done: 'merged' } : { ok: false, message: ctx.t(`queue.errors.merge.${r.error}`) };
  });

  app.post('/staff/requests/:reference/close', { schema: { params: REFERENCE_PARAM } }, async (req, reply) => {
    const caller = await staffRequestsCaller(req);
    const ctx = pageContext(req, reply);
    const reference = (req.params as { reference: string }).reference.toUpperCase();
    const form = await readMultipartForm(req, { maxFiles: 1, maxFileBytes: IMAGE_MAX_BYTES });
    const note = str(form.fields.closeNote).slice(0, 20_000);
    const errors: FieldErrors = {};
    const file = form.files.find((f) => f.field === 'closePhoto' && (f.bytes.length > 0 || f.tooLarge));
    let photo = null;
    if (file) {
      const clean = await cleanImage(file);
      if (clean.ok) photo = clean.image;
      else errors.closePhoto = ctx.t(`queue.errors.photo.${clean.error}`, { max: Math.round(IMAGE_MAX_BYTES / 1_048_576) });
    }
    const sc = await getCase(caller, reference);
    if (sc.request.status === 'closed') return seeOther(reply, href(ctx, `/staff/requests/${reference}?done=closed`));
    if (!note.trim()) errors.closeNote = ctx.t('queue.errors.closeNoteRequired');
    if (Object.keys(errors).length === 0) {
      const r = await closeWithNote(caller, sc.request.id, note, ctx.locale, photo);
      if (r.ok || r.error === 'closed') return seeOther(reply, href(ctx, `/staff/requests/${reference}?done=closed`));
      errors.closeNote = lifecycleMessage(ctx, r.error);
    }
    return showCase(req, reply, caller, reference, 422, errors, { closeNote: note });
  });
}

export { NO_FILTERS, queueQuery };
