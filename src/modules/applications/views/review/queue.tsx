/** The staff review queue: filters (GET form), counts by status, the list by time left. */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Select, YesNoBoxes } from '../../../../web/components/choices.tsx';
import { Table } from '../../../../web/components/display.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { formatReference } from '../../../../platform/reference.ts';
import { QUEUE_STATUSES, type Queue, type QueueItem } from '../../review/service.ts';
import { ClockText, dayOf, StatusTag } from './parts.tsx';

export interface QueueValues {
  service: string;
  status: string;
  assignee: string;
  overdue: boolean;
}

export function QueuePage({ ctx, queue, values }: { ctx: PageContext; queue: Queue; values: QueueValues }) {
  const { t, locale } = ctx;
  const title = t('review.queue.title');
  const total = Object.values(queue.counts).reduce((n, c) => n + (c ?? 0), 0);
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={href(ctx, '/staff')}>{t('review.queue.back')}</a>
      </p>
      <h1>{title}</h1>
      <h2>{t('review.queue.countsTitle')}</h2>
      <ul class="count-list">
        {QUEUE_STATUSES.map((s) => (
          <li key={s}>
            <a href={href(ctx, `/staff/applications?status=${s}${values.service ? `&service=${values.service}` : ''}`)}>
              {t('review.queue.countItem', { status: t(`review.status.${s}`), count: queue.counts[s] ?? 0 })}
            </a>
          </li>
        ))}
        <li>
          <a href={href(ctx, `/staff/applications?overdue=yes${values.service ? `&service=${values.service}` : ''}`)}>
            {t('review.queue.overdueCount', { count: queue.overdue })}
          </a>
        </li>
      </ul>
      <p class="field__hint">{t('review.queue.total', { count: total })}</p>
      <form method="get" action={href(ctx, '/staff/applications')} class="filters">
        <Select
          ctx={ctx}
          name="service"
          label={t('review.queue.service')}
          value={values.service}
          required
          options={[{ value: '', label: t('review.queue.allServices') }, ...queue.services.map((s) => ({ value: s.id, label: s.name[locale] }))]}
        />
        <Select
          ctx={ctx}
          name="status"
          label={t('review.queue.status')}
          value={values.status}
          required
          options={[{ value: '', label: t('review.queue.openStatuses') }, ...QUEUE_STATUSES.map((s) => ({ value: s, label: t(`review.status.${s}`) }))]}
        />
        <Select
          ctx={ctx}
          name="assignee"
          label={t('review.queue.assignee')}
          value={values.assignee}
          required
          options={[
            { value: '', label: t('review.queue.anyone') },
            { value: 'me', label: t('review.queue.me') },
            { value: 'none', label: t('review.queue.unassigned') },
            ...queue.reviewers.map((r) => ({ value: r.id, label: r.name })),
          ]}
        />
        <YesNoBoxes ctx={ctx} name="time" legend={t('review.queue.timeLeft')} boxes={[{ name: 'overdue', label: t('review.queue.overdueOnly'), checked: values.overdue }]} />
        <button type="submit" class="button button--secondary">
          {t('review.queue.filter')}
        </button>
      </form>
      <Table<QueueItem>
        caption={t('review.queue.caption', { count: queue.items.length })}
        empty={t('review.queue.empty')}
        rows={queue.items}
        rowKey={(i) => i.application.id}
        columns={[
          {
            header: t('review.queue.reference'),
            cell: (i) => <a href={href(ctx, `/staff/applications/${i.application.id}`)}>{formatReference(i.application.reference)}</a>,
          },
          { header: t('review.queue.service'), cell: (i) => i.application.service.name[locale] },
          { header: t('review.queue.status'), cell: (i) => <StatusTag ctx={ctx} status={i.application.status} /> },
          { header: t('review.queue.assignee'), cell: (i) => i.assigneeName ?? t('review.queue.unassigned') },
          { header: t('review.queue.submitted'), cell: (i) => (i.application.submittedAt ? dayOf(ctx, i.application.submittedAt) : '—') },
          { header: t('review.queue.timeLeft'), cell: (i) => <ClockText ctx={ctx} clock={i.clock} /> },
        ]}
      />
      {queue.truncated ? <p>{t('review.queue.truncated')}</p> : null}
    </Layout>
  );
}
