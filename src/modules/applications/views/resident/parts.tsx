/** Parts the residents' application pages share: the status tag, dates, the list of one's applications. */
import { Table, Tag, type TagTone } from '../../../../web/components/display.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { formatDateTime } from '../../../../platform/i18n.ts';
import { formatReference } from '../../../../platform/reference.ts';
import type { Application, ApplicationStatus } from '../../domain.ts';

export const STATUS_TONE: Record<ApplicationStatus, TagTone> = {
  draft: 'neutral',
  submitted: 'info',
  in_review: 'info',
  info_requested: 'warning',
  approved: 'success',
  refused: 'danger',
  issued: 'success',
  withdrawn: 'neutral',
};

export function StatusTag({ ctx, status }: { ctx: PageContext; status: ApplicationStatus }) {
  return <Tag tone={STATUS_TONE[status]}>{ctx.t(`applications.status.${status}`)}</Tag>;
}

export const when = (ctx: PageContext, at: Date) => formatDateTime(ctx.locale, ctx.tenant.timeZone, at);

export function dayOf(ctx: PageContext, at: Date): string {
  return new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-CA' : 'en-CA', { timeZone: ctx.tenant.timeZone, dateStyle: 'long' }).format(at);
}

/** Where a resident goes to carry on with an application: the form while a draft, else its page. */
export function applicationHref(ctx: PageContext, a: Pick<Application, 'id' | 'status'>): string {
  return href(ctx, a.status === 'draft' ? `/applications/${a.id}/continue` : `/applications/${a.id}`);
}

export function MyApplicationsTable({ ctx, applications }: { ctx: PageContext; applications: Application[] }) {
  const { t, locale } = ctx;
  return (
    <Table
      caption={t('applications.mine.caption')}
      rows={applications}
      rowKey={(a) => a.id}
      empty={t('applications.mine.empty')}
      columns={[
        { header: t('applications.mine.service'), cell: (a) => a.service.name[locale] },
        { header: t('applications.mine.reference'), cell: (a) => formatReference(a.reference) },
        { header: t('applications.mine.status'), cell: (a) => <StatusTag ctx={ctx} status={a.status} /> },
        {
          header: t('applications.mine.open'),
          cell: (a) => (
            <a href={applicationHref(ctx, a)}>
              {a.status === 'draft' ? t('applications.mine.continue') : t('applications.mine.open')}
              <span class="visually-hidden"> {a.service.name[locale]}</span>
            </a>
          ),
        },
      ]}
    />
  );
}
