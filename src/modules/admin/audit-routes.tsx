/** The audit trail pages: /staff/admin/audit (search) and /staff/admin/audit/export (CSV). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../web/components/forms.tsx';
import { pageContext, sendPage } from '../../platform/http.ts';
import type { Locale, Translate } from '../../platform/i18n.ts';
import { auditStaffNames, exportAudit, searchAudit, type AuditEntry, type AuditFilters } from './audit.ts';
import { adminCaller } from './caller.ts';
import { csvSeparatorFor, toCsv } from '../../platform/csv.ts';
import { auditQuery, parseAuditFilters } from './schemas.ts';
import type { AdminCaller } from './service.ts';
import { actionLabel, actorLabel, AuditPage, detailsText, subjectLabel } from './views/audit.tsx';

function parts(date: Date, timeZone: string): Record<string, string> {
  const out: Record<string, string> = {};
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
  for (const p of format.formatToParts(date)) out[p.type] = p.value;
  return out;
}

/** ISO 8601 in the town's time zone, with its offset: 2025-03-09T14:05:00-04:00. */
export function localIso(date: Date, timeZone: string): string {
  const p = parts(date, timeZone);
  const offset = (p.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
}

/** Today in the town's time zone, YYYY-MM-DD. */
export function localDay(date: Date, timeZone: string): string {
  const p = parts(date, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

export function auditCsv(t: Translate, locale: Locale, timeZone: string, entries: AuditEntry[]): string {
  const header = ['date', 'actorKind', 'actorId', 'actor', 'action', 'actionLabel', 'subjectKind', 'subjectId', 'subject', 'ip', 'details'].map(
    (c) => t(`admin.audit.csv.${c}`),
  );
  return toCsv(
    header,
    entries.map((e) => [
      localIso(e.at, timeZone),
      e.actor.kind,
      e.actor.id,
      actorLabel(t, e.actor),
      e.action,
      actionLabel(t, e.action),
      e.subject?.kind,
      e.subject?.id,
      subjectLabel(t, locale, e.subject),
      e.ip,
      detailsText(e.details),
    ]),
    csvSeparatorFor(locale),
  );
}

async function invalidSearch(req: FastifyRequest, reply: FastifyReply, caller: AdminCaller, filters: AuditFilters, errors: FieldErrors) {
  const staff = await auditStaffNames(caller);
  return sendPage(
    reply,
    <AuditPage ctx={pageContext(req, reply)} filters={filters} errors={errors} staff={staff} entries={[]} page={1} pages={1} total={0} />,
    422,
  );
}

export async function auditAdminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/staff/admin/audit', { schema: { querystring: auditQuery } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const query = req.query as Record<string, unknown>;
    const { values, errors } = parseAuditFilters(query, pageContext(req, reply).t);
    if (Object.keys(errors).length > 0) return invalidSearch(req, reply, caller, values, errors);
    const result = await searchAudit(caller, values, typeof query.page === 'number' ? query.page : 1);
    return sendPage(reply, <AuditPage ctx={pageContext(req, reply)} filters={values} errors={{}} {...result} />);
  });

  app.get('/staff/admin/audit/export', { schema: { querystring: auditQuery } }, async (req, reply) => {
    const caller = await adminCaller(req);
    const ctx = pageContext(req, reply);
    const { values, errors } = parseAuditFilters(req.query as Record<string, unknown>, ctx.t);
    if (Object.keys(errors).length > 0) return invalidSearch(req, reply, caller, values, errors);
    const result = await exportAudit(caller, values);
    if (!result.ok) return invalidSearch(req, reply, caller, values, { from: ctx.t('admin.audit.errors.tooMany', { max: result.max }) });
    const timeZone = caller.tenant.timeZone;
    const filename = `audit-${caller.tenant.slug}-${localDay(new Date(), timeZone)}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('cache-control', 'no-store')
      .send(auditCsv(ctx.t, ctx.locale, timeZone, result.entries));
  });
}
