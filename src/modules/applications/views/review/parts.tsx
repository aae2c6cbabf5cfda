/** Parts the review pages share: status tags, the clock in words, dates. */
import { Tag } from '../../../../web/components/display.tsx';
// One tone per status and one way to write a date and time, for applicants and reviewers alike.
import { STATUS_TONE, when } from '../resident/parts.tsx';
export { STATUS_TONE, when };
import type { PageContext } from '../../../../web/context.ts';
import type { ApplicationFile, ApplicationStatus } from '../../domain.ts';
import { wholeDays, type Clock } from '../../review/clock.ts';

export function StatusTag({ ctx, status }: { ctx: PageContext; status: ApplicationStatus }) {
  return <Tag tone={STATUS_TONE[status]}>{ctx.t(`review.status.${status}`)}</Tag>;
}

export const dayOf = (ctx: PageContext, at: Date) =>
  new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'medium', timeZone: ctx.tenant.timeZone }).format(at);

/**
 * The time left in words, never by colour alone: "5 days left", "Overdue by 2 days" (with a
 * warning sign and a text tag), "Paused: waiting for the applicant (5 days left)", "Stopped".
 */
export function ClockText({ ctx, clock }: { ctx: PageContext; clock: Clock | null }) {
  const { t } = ctx;
  if (!clock) return <span>—</span>;
  if (clock.stopped) return <span>{t('review.clock.stopped')}</span>;
  const days = Math.ceil(clock.leftMs / 86_400_000);
  if (clock.paused) return <span>{t('review.clock.paused', { days: Math.max(days, 0) })}</span>;
  if (clock.overdue) {
    return (
      <span class="clock clock--overdue">
        <Tag tone="danger">
          <span aria-hidden="true">⚠ </span>
          {t('review.clock.overdueTag')}
        </Tag>{' '}
        {wholeDays(-clock.leftMs) <= 1 ? t('review.clock.overdueByOne') : t('review.clock.overdueBy', { days: wholeDays(-clock.leftMs) })}
      </span>
    );
  }
  return <span>{days <= 1 ? t('review.clock.lastDay') : t('review.clock.left', { days })}</span>;
}

/** A document previewed in the page: an image inline, a PDF in a frame, with a link to open it. */
export function FilePreview({ ctx, url, file }: { ctx: PageContext; url: string; file: ApplicationFile }) {
  const { t } = ctx;
  return (
    <figure class="preview">
      {file.contentType === 'application/pdf' ? (
        <iframe class="preview__pdf" src={url} title={t('review.screen.pdfFrame', { name: file.filename })} loading="lazy"></iframe>
      ) : (
        <img class="preview__image" src={url} alt={t('review.screen.imageAlt', { name: file.filename })} />
      )}
      <figcaption>
        <a href={url} target="_blank" rel="noopener">
          {t('review.screen.openFile', { name: file.filename })}
        </a>
      </figcaption>
    </figure>
  );
}

