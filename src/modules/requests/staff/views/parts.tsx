/** Pieces the staff queue and case pages share: the status tag, time left, the back link. */
import type { RequestStatus } from '../../../../db/schema.ts';
import { Tag, type TagTone } from '../../../../web/components/display.tsx';
import type { PageContext } from '../../../../web/context.ts';

const TONES: Record<RequestStatus, TagTone> = { new: 'info', acknowledged: 'neutral', in_progress: 'warning', closed: 'success' };

export function StatusTag({ ctx, status }: { ctx: PageContext; status: RequestStatus }) {
  return <Tag tone={TONES[status]}>{ctx.t(`queue.status.${status}`)}</Tag>;
}

/** "2 days left", "5 hours left", or "Overdue by 3 days" with a marked tag (words and a sign, not colour alone). */
export function TimeLeft({ ctx, ms }: { ctx: PageContext; ms: number | null }) {
  const { t } = ctx;
  if (ms === null) return <span>{t('queue.timeLeft.closed')}</span>;
  const abs = Math.abs(ms);
  const hours = Math.max(1, Math.round(abs / 3_600_000));
  const amount = hours >= 48 ? t('queue.timeLeft.days', { n: Math.round(hours / 24) }) : t('queue.timeLeft.hours', { n: hours });
  if (ms < 0) {
    return (
      <span class="overdue">
        <Tag tone="danger">
          <span aria-hidden="true">⚠ </span>
          {t('queue.overdue')}
        </Tag>{' '}
        {t('queue.timeLeft.overdueBy', { amount })}
      </span>
    );
  }
  return <span>{t('queue.timeLeft.left', { amount })}</span>;
}

export function formatWhen(ctx: PageContext, d: Date): string {
  return new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'medium', timeStyle: 'short', timeZone: ctx.tenant.timeZone }).format(d);
}
