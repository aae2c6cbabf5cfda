/** Parts the bookings pages share: the countdown, and how ages, prices and times read. */
import type { TagTone } from '../../../web/components/display.tsx';
import type { PageContext } from '../../../web/context.ts';
import type { Activity } from '../catalogue.ts';
import { dateTime, dayIn, timeOfDay } from '../format.ts';
import { formatMoney } from '../rules.ts';

/**
 * A moment people wait for: the text always states it; with JavaScript, a live count of the time
 * left is added next to it (guichet.js "countdown"). `reload`: reload the page when it is reached.
 */
export function Countdown(props: { ctx: PageContext; until: Date; label: string; reload?: boolean }) {
  return (
    <p class="countdown" data-module="countdown" data-until={props.until.toISOString()} data-reload={props.reload ? 'true' : undefined}>
      <span class="countdown__label">{props.label}</span>{' '}
      <time dateTime={props.until.toISOString()}>{when(props.ctx, props.until)}</time>
    </p>
  );
}

/** A date and time in the town's time zone, in the page's language (as formatDateTime says it). */
export function when(ctx: PageContext, at: Date): string {
  return dateTime(ctx.locale, ctx.tenant.timeZone, at);
}

/** A time of day in the town's time zone. */
export function timeOf(ctx: PageContext, at: Date): string {
  return timeOfDay(ctx.locale, ctx.tenant.timeZone, at);
}

/** "14 juillet 2026 à 09 h 00 – 10 h 00". */
export function sessionWhen(ctx: PageContext, startsAt: Date, endsAt: Date): string {
  const tz = ctx.tenant.timeZone;
  const end = dayIn(tz, startsAt) === dayIn(tz, endsAt) ? timeOf(ctx, endsAt) : when(ctx, endsAt);
  return `${when(ctx, startsAt)} – ${end}`;
}

export function agesOf(ctx: PageContext, limits: { minAge: number | null; maxAge: number | null }): string {
  const { t } = ctx;
  const { minAge: min, maxAge: max } = limits;
  if (min !== null && max !== null) return t('bookings.ages.range', { min, max });
  if (min !== null) return t('bookings.ages.from', { min });
  if (max !== null) return t('bookings.ages.upTo', { max });
  return t('bookings.ages.any');
}

export function priceOf(ctx: PageContext, a: Pick<Activity, 'residentPriceCents' | 'nonresidentPriceCents' | 'window'>): string {
  const { t, locale } = ctx;
  if (a.residentPriceCents === 0 && a.nonresidentPriceCents === 0) return t('bookings.price.free');
  if (a.window.residentsOnly) return t('bookings.price.residentsOnly', { amount: formatMoney(locale, a.residentPriceCents) });
  if (a.residentPriceCents === a.nonresidentPriceCents) return t('bookings.price.same', { amount: formatMoney(locale, a.residentPriceCents) });
  return t('bookings.price.both', { resident: formatMoney(locale, a.residentPriceCents), other: formatMoney(locale, a.nonresidentPriceCents) });
}

export const STATUS_TONE: Record<'held' | 'confirmed' | 'cancelled' | 'expired', TagTone> = {
  held: 'warning',
  confirmed: 'success',
  cancelled: 'neutral',
  expired: 'neutral',
};
