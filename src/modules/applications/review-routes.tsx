/**
 * Staff review pages, under /fr and /en:
 *   GET  /staff/applications                         the queue (?service, status, assignee, overdue)
 *   GET  /staff/applications/:id                     the review screen (?notice=...)
 *   POST /staff/applications/:id/{assign,request-info,approve,refuse,issue,note,message,interview}
 *   GET  /staff/applications/:id/files/:fileId       a document, inline, for the in-page preview
 *   GET  /staff/applications/:id/documents/:doc.pdf  an issued document's PDF
 * Invalid input → the review screen again with status 422; an action the status no longer allows
 * (approve twice) → 409; another department's application → 403; another town's → 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireStaff } from '../../platform/auth/session.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { href } from '../../web/context.ts';
import { staffPrincipal } from '../departments/service.ts';
import { IDEMPOTENCY_KEY, newIdempotencyKey } from './service.ts';
import { dayIn } from './documents/service.ts';
import { documentPdf, fileForReviewer } from './review/applicant.ts';
import { addNote, approve, assignReviewer, defaultValidity, issueDocument, messageApplicant, refuse, requestInformation, ReviewInputError, revokeDocument, scheduleInterview } from './review/actions.ts';
import type { ReviewCaller } from './review/common.ts';
import './review/demo.ts';
import { FILE_HEADERS, townBaseUrl, zonedDateTime } from './review/http.ts';
import { ACTION_FORMS, isDay, type ActionName } from './review/schemas.ts';
import { getReview, listQueue, QUEUE_STATUSES } from './review/service.ts';
import { QueuePage } from './views/review/queue.tsx';
import type { ActionValues } from './views/review/actions.tsx';
import { ReviewPage, type ReviewNotice } from './views/review/review.tsx';

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 40 } }, required: ['id'], additionalProperties: false } as const;
const fileParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 40 }, fileId: { type: 'string', maxLength: 40 } },
  required: ['id', 'fileId'],
  additionalProperties: false,
} as const;
const queueQuery = {
  type: 'object',
  properties: {
    service: { type: 'string', maxLength: 40 },
    status: { type: 'string', maxLength: 20 },
    assignee: { type: 'string', maxLength: 40 },
    overdue: { type: 'string', maxLength: 5 },
  },
  additionalProperties: false,
} as const;
const NOTICES: readonly ReviewNotice[] = ['assigned', 'infoRequested', 'approved', 'refused', 'issued', 'revoked', 'noted', 'messaged', 'interview'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function reviewRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;

  async function caller(req: FastifyRequest): Promise<ReviewCaller> {
    const tenant = requireTenant(req);
    const staff = requireStaff(req);
    return { db, tenant, principal: await staffPrincipal(db, tenant.id, staff), ip: req.ip, baseUrl: townBaseUrl(req, config.publicUrl) };
  }

  app.get('/staff/applications', { schema: { querystring: queueQuery } }, async (req, reply) => {
    const c = await caller(req);
    const ctx = pageContext(req, reply);
    const q = req.query as Record<string, string | undefined>;
    const values = {
      service: q.service && UUID.test(q.service) ? q.service : '',
      status: q.status && (QUEUE_STATUSES as readonly string[]).includes(q.status) ? q.status : '',
      assignee: q.assignee && (q.assignee === 'me' || q.assignee === 'none' || UUID.test(q.assignee)) ? q.assignee : '',
      overdue: q.overdue === 'yes',
    };
    const queue = await listQueue(c, {
      serviceId: values.service || null,
      status: (values.status || null) as (typeof QUEUE_STATUSES)[number] | null,
      assignee: values.assignee || null,
      overdueOnly: values.overdue,
    });
    return sendPage(reply, <QueuePage ctx={ctx} queue={queue} values={values} />);
  });

  async function renderReview(req: FastifyRequest, reply: FastifyReply, c: ReviewCaller, errors: Record<string, string>, values: ActionValues, status: number) {
    const ctx = pageContext(req, reply);
    const id = (req.params as { id: string }).id;
    const review = await getReview(c, id);
    const notice = (req.query as { notice?: string }).notice as ReviewNotice | undefined;
    const today = dayIn(c.tenant.timeZone, new Date());
    const validity = defaultValidity(review.application, today);
    const shown: ActionValues = { validFrom: validity.validFrom, validUntil: validity.validUntil ?? '', ...values };
    return sendPage(
      reply,
      <ReviewPage ctx={ctx} review={review} notice={notice && NOTICES.includes(notice) ? notice : null} errors={errors} values={shown} idempotencyKey={newIdempotencyKey()} />,
      status,
    );
  }

  app.get('/staff/applications/:id', { schema: { params: idParams } }, async (req, reply) => renderReview(req, reply, await caller(req), {}, {}, 200));

  const post = (name: ActionName, notice: ReviewNotice, run: (c: ReviewCaller, id: string, v: Record<string, string>, body: Record<string, unknown>) => Promise<void>) => {
    const form = ACTION_FORMS[name];
    app.post(`/staff/applications/:id/${name}`, { schema: { params: idParams, body: form.bodySchema } }, async (req, reply) => {
      const c = await caller(req);
      const t = pageContext(req, reply).t;
      const id = (req.params as { id: string }).id;
      const body = req.body as Record<string, unknown>;
      const parsed = form.parse(body, t);
      if (!parsed.ok) return renderReview(req, reply, c, parsed.errors, parsed.values, 422);
      try {
        await run(c, id, parsed.values, body);
      } catch (err) {
        if (!(err instanceof ReviewInputError)) throw err;
        return renderReview(req, reply, c, { [err.field]: t(`review.errors.${err.code}`) }, parsed.values, 422);
      }
      return seeOther(reply, `${href(pageContext(req, reply), `/staff/applications/${id}`)}?notice=${notice}`);
    });
  };

  post('assign', 'assigned', (c, id, v) => assignReviewer(c, id, v.assignee === '' ? null : v.assignee!));
  post('request-info', 'infoRequested', (c, id, v) => requestInformation(c, id, v.request!));
  post('approve', 'approved', (c, id, v) => approve(c, id, v.conditions ?? ''));
  post('refuse', 'refused', (c, id, v) => refuse(c, id, v.reasons!));
  post('note', 'noted', (c, id, v) => addNote(c, id, v.note!));
  post('message', 'messaged', (c, id, v, body) => {
    const key = typeof body._idem === 'string' && IDEMPOTENCY_KEY.test(body._idem) ? body._idem : newIdempotencyKey();
    return messageApplicant(c, id, v.message!, key);
  });
  post('issue', 'issued', async (c, id, v) => {
    if (!isDay(v.validFrom!)) throw new ReviewInputError('validFrom', 'invalidDate');
    if (v.validUntil !== '' && !isDay(v.validUntil!)) throw new ReviewInputError('validUntil', 'invalidDate');
    await issueDocument(c, id, { validFrom: v.validFrom!, validUntil: v.validUntil === '' ? null : v.validUntil! });
  });
  post('revoke', 'revoked', (c, id, v) => revokeDocument(c, id, v.revokeReason!));
  post('interview', 'interview', (c, id, v) => {
    if (!isDay(v.interviewDate!)) throw new ReviewInputError('interviewDate', 'invalidDate');
    const at = zonedDateTime(v.interviewDate!, v.interviewTime!, c.tenant.timeZone);
    if (!at) throw new ReviewInputError('interviewTime', 'invalidTime');
    return scheduleInterview(c, id, at, v.place!);
  });

  app.get('/staff/applications/:id/files/:fileId', { schema: { params: fileParams } }, async (req, reply) => {
    const c = await caller(req);
    const { id, fileId } = req.params as { id: string; fileId: string };
    const { file, bytes } = await fileForReviewer(c, id, fileId);
    return reply
      .headers(FILE_HEADERS)
      .header('content-type', file.contentType)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .send(bytes);
  });

  app.get('/staff/applications/:id/documents/:fileId', { schema: { params: fileParams } }, async (req, reply) => {
    const c = await caller(req);
    const { id, fileId } = req.params as { id: string; fileId: string };
    if (!fileId.endsWith('.pdf')) throw new AppError('notFound');
    const { document, pdf } = await documentPdf(c, id, fileId.slice(0, -4));
    return reply
      .headers(FILE_HEADERS)
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${document.number}.pdf"`)
      .send(pdf);
  });
}
