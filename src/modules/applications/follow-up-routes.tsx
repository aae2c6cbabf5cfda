/**
 * The applicant's side of the review, under /fr and /en (signed-in residents, their own
 * applications only; another's id is a 404):
 *   GET  /applications/:id/follow-up              requests, decision, interview, documents, thread
 *   POST /applications/:id/follow-up              a message with documents (multipart/form-data);
 *                                                 while information is requested, the answer
 *   GET  /applications/:id/documents/:doc.pdf     the issued document
 * Files go through platform/uploads.ts: type from content (PDF, JPEG, PNG, WebP), size, nothing
 * appended, pictures re-encoded without their metadata.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireResident } from '../../platform/auth/session.ts';
import { AppError } from '../../platform/errors.ts';
import { pageContext, requireTenant, seeOther, sendPage } from '../../platform/http.ts';
import { href } from '../../web/context.ts';
import { residentPrincipal } from '../residents/service.ts';
import { IDEMPOTENCY_KEY, newIdempotencyKey, safeFilename } from './service.ts';
import { documentPdf, followUp, reply as replyToApplication, type ReplyFile } from './review/applicant.ts';
import type { ApplicantCaller } from './review/common.ts';
import { FILE_HEADERS, townBaseUrl } from './review/http.ts';
import { cleanDocument, readMultipartForm, type FileError } from '../../platform/uploads.ts';
import { FollowUpPage, REPLY_MAX_BYTES, REPLY_MAX_FILES, type FollowUpNotice } from './views/review/follow-up.tsx';

const idParams = { type: 'object', properties: { id: { type: 'string', maxLength: 40 } }, required: ['id'], additionalProperties: false } as const;
const docParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 40 }, doc: { type: 'string', maxLength: 40 } },
  required: ['id', 'doc'],
  additionalProperties: false,
} as const;

const NOTICES: readonly FollowUpNotice[] = ['answered', 'sent'];

const FILE_ERRORS: Record<FileError, string> = {
  tooLarge: 'review.followUp.fileTooLarge',
  notDocument: 'review.followUp.fileType',
  notImage: 'review.followUp.fileType',
  appended: 'review.followUp.fileDamaged',
  unreadable: 'review.followUp.fileDamaged',
};

export async function followUpRoutes(app: FastifyInstance): Promise<void> {
  const { db, config } = app.deps;
  const caller = (req: FastifyRequest): ApplicantCaller => {
    const tenant = requireTenant(req);
    const resident = requireResident(req);
    const principal = residentPrincipal(tenant.id, resident) as ApplicantCaller['principal'];
    return { db, tenant, principal, ip: req.ip, baseUrl: townBaseUrl(req, config.publicUrl) };
  };

  async function render(req: FastifyRequest, reply: FastifyReply, errors: Record<string, string>, body: string, status: number, idem?: string) {
    const c = caller(req);
    const ctx = pageContext(req, reply);
    const view = await followUp(c, (req.params as { id: string }).id);
    const notice = (req.query as { notice?: string } | undefined)?.notice as FollowUpNotice | undefined;
    return sendPage(
      reply,
      <FollowUpPage ctx={ctx} view={view} notice={notice && NOTICES.includes(notice) ? notice : null} errors={errors} body={body} idempotencyKey={idem ?? newIdempotencyKey()} />,
      status,
    );
  }

  app.get('/applications/:id/follow-up', { schema: { params: idParams } }, (req, reply) => render(req, reply, {}, '', 200));

  app.post(
    '/applications/:id/follow-up',
    { schema: { params: idParams }, config: { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60_000 } } },
    async (req, reply) => {
      const c = caller(req);
      const t = pageContext(req, reply).t;
      const id = (req.params as { id: string }).id;
      // One file more than allowed is read, so the page can say so at the field; more is a 413.
      const form = await readMultipartForm(req, { maxFiles: REPLY_MAX_FILES + 1, maxFileBytes: REPLY_MAX_BYTES });
      const field = (name: string) => {
        const v = form.fields[name];
        return typeof v === 'string' ? v : '';
      };
      const message = field('message').replace(/\r\n/g, '\n').trim();
      const idem = IDEMPOTENCY_KEY.test(field('_idem')) ? field('_idem') : undefined;
      const errors: Record<string, string> = {};
      const label = t('review.followUp.message');
      if (message === '') errors.message = t('forms.required', { label });
      else if ([...message].length > 4000) errors.message = t('forms.tooLong', { label, max: 4000 });
      const files: ReplyFile[] = [];
      const received = form.files.filter((f) => f.field === 'files');
      if (received.length > REPLY_MAX_FILES) errors.files = t('review.followUp.tooManyFiles', { max: REPLY_MAX_FILES });
      for (const f of received) {
        if (errors.files) break;
        const name = safeFilename(f.filename);
        const clean = await cleanDocument(f, REPLY_MAX_BYTES);
        if (clean.ok) files.push({ filename: name, contentType: clean.document.contentType, bytes: clean.document.bytes });
        else errors.files = t(FILE_ERRORS[clean.error], { name, size: REPLY_MAX_BYTES / 1024 / 1024 });
      }
      if (Object.keys(errors).length > 0) return render(req, reply, errors, message, 422, idem);
      const result = await replyToApplication(c, id, { body: message, files, idempotencyKey: idem ?? newIdempotencyKey() });
      return seeOther(reply, `${href(pageContext(req, reply), `/applications/${id}/follow-up`)}?notice=${result.answered ? 'answered' : 'sent'}`);
    },
  );

  app.get('/applications/:id/documents/:doc', { schema: { params: docParams } }, async (req, reply) => {
    const c = caller(req);
    const { id, doc } = req.params as { id: string; doc: string };
    if (!doc.endsWith('.pdf')) throw new AppError('notFound');
    const { document, pdf } = await documentPdf(c, id, doc.slice(0, -4));
    return reply
      .headers(FILE_HEADERS)
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${document.number}.pdf"`)
      .send(pdf);
  });
}
