/** The audit trail: filters (a GET form, so a search can be bookmarked), results, export. */
import { Button, ErrorSummary, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { Pagination, Table } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { AUDIT_ACTIONS } from '../../../platform/audit.ts';
import { formatDateTime, MissingMessageError, type Locale, type Translate } from '../../../platform/i18n.ts';
import { ACTOR_KINDS, type AuditEntry, type AuditFilters, type StaffName } from '../audit.ts';
import { AdminLayout } from './layout.tsx';
import { Select, type Option } from '../../../web/components/choices.tsx';

/** An action's name for people; an action added without a label yet shows as its code. */
export function actionLabel(t: Translate, action: string): string {
  try {
    return t(`admin.audit.actions.${action}`);
  } catch (err) {
    if (err instanceof MissingMessageError) return action;
    throw err;
  }
}

export function actorLabel(t: Translate, actor: AuditEntry['actor']): string {
  if (actor.kind === 'staff') return actor.name ?? `${t('admin.audit.actorKinds.staff')} ${actor.id ?? ''}`.trim();
  if (actor.kind === 'resident') return `${t('admin.audit.actorKinds.resident')} ${actor.id ?? ''}`.trim();
  return t(`admin.audit.actorKinds.${actor.kind}`);
}

export function subjectLabel(t: Translate, locale: Locale, subject: AuditEntry['subject']): string {
  if (!subject) return '';
  if (subject.name) return subject.name;
  if (subject.names) return subject.names[locale];
  return `${subjectKindLabel(t, subject.kind)} ${subject.id}`;
}

function subjectKindLabel(t: Translate, kind: string): string {
  try {
    return t(`admin.audit.subjectKinds.${kind}`);
  } catch (err) {
    if (err instanceof MissingMessageError) return kind;
    throw err;
  }
}

/** Details as the CSV keeps them: JSON. */
export function detailsText(details: Record<string, unknown>): string {
  return Object.keys(details).length === 0 ? '' : JSON.stringify(details);
}

/** Details for people: "key: value" pairs. */
function detailsForPeople(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
}

/** The query string of a search, for links (pages, export). */
export function filterQuery(filters: AuditFilters, page?: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters) as Array<[string, string]>) if (v) params.set(k, v);
  if (page && page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `?${s}` : '';
}

function SubjectCell({ ctx, subject }: { ctx: PageContext; subject: AuditEntry['subject'] }) {
  if (!subject) return null;
  const label = subjectLabel(ctx.t, ctx.locale, subject);
  if (subject.kind === 'staff' && subject.name) return <a href={href(ctx, `/staff/admin/staff/${subject.id}`)}>{label}</a>;
  if (subject.kind === 'department') return <a href={href(ctx, `/staff/admin/departments/${subject.id}`)}>{label}</a>;
  return <>{label}</>;
}

export function AuditPage(props: {
  ctx: PageContext;
  filters: AuditFilters;
  errors: FieldErrors;
  staff: StaffName[];
  entries: AuditEntry[];
  page: number;
  pages: number;
  total: number;
}) {
  const { ctx, filters, errors } = props;
  const { t, locale, tenant } = ctx;
  const hasErrors = Object.keys(errors).length > 0;
  const actorOptions: Option[] = [
    { value: '', label: t('admin.audit.anyone') },
    ...ACTOR_KINDS.map((k) => ({ value: `kind:${k}`, label: t(`admin.audit.actorKindsAll.${k}`) })),
    ...props.staff.map((s) => ({ value: `staff:${s.id}`, label: `${s.name} (${s.email})` })),
  ];
  const actionOptions: Option[] = [
    { value: '', label: t('admin.audit.anyAction') },
    ...[...AUDIT_ACTIONS].map((a) => ({ value: a, label: actionLabel(t, a) })).sort((x, y) => x.label.localeCompare(y.label, locale)),
  ];
  return (
    <AdminLayout ctx={ctx} title={t('admin.audit.title')} section="audit" hasErrors={hasErrors}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('admin.audit.title')}</h1>
      <p>{t('admin.audit.intro')}</p>
      <form method="get" action={href(ctx, '/staff/admin/audit')} novalidate>
        <TextField ctx={ctx} name="from" type="date" label={t('admin.audit.from')} hint={t('admin.audit.dateHint')} value={filters.from} error={errors.from} />
        <TextField ctx={ctx} name="to" type="date" label={t('admin.audit.to')} hint={t('admin.audit.dateHint')} value={filters.to} error={errors.to} />
        <Select ctx={ctx} name="actor" label={t('admin.audit.actor')} value={filters.actor} error={errors.actor} options={actorOptions} />
        <Select ctx={ctx} name="action" label={t('admin.audit.action')} value={filters.action} error={errors.action} options={actionOptions} />
        <TextField
          ctx={ctx}
          name="subject"
          label={t('admin.audit.subject')}
          hint={t('admin.audit.subjectHint')}
          value={filters.subject}
          error={errors.subject}
          maxLength={254}
        />
        <Button>{t('admin.audit.search')}</Button>
      </form>
      {hasErrors ? null : (
        <>
          <h2>{t('admin.audit.results', { count: props.total })}</h2>
          <p>
            <a href={href(ctx, `/staff/admin/audit/export${filterQuery(filters)}`)} download>
              {t('admin.audit.export')}
            </a>
          </p>
          <Table<AuditEntry>
            caption={t('admin.audit.caption')}
            empty={t('admin.audit.empty')}
            rows={props.entries}
            rowKey={(e) => e.id}
            columns={[
              { header: t('admin.audit.date'), cell: (e) => formatDateTime(locale, tenant.timeZone, e.at) },
              { header: t('admin.audit.actor'), cell: (e) => actorLabel(t, e.actor) },
              { header: t('admin.audit.action'), cell: (e) => actionLabel(t, e.action) },
              { header: t('admin.audit.subject'), cell: (e) => <SubjectCell ctx={ctx} subject={e.subject} /> },
              { header: t('admin.audit.ip'), cell: (e) => e.ip ?? '' },
              { header: t('admin.audit.details'), cell: (e) => <code>{detailsForPeople(e.details)}</code> },
            ]}
          />
          <Pagination ctx={ctx} page={props.page} pages={props.pages} url={(page) => href(ctx, `/staff/admin/audit${filterQuery(filters, page)}`)} />
        </>
      )}
    </AdminLayout>
  );
}
