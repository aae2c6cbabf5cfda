/**
 * The emails of bookings, in the recipient's language, written to the outbox in the transaction of
 * the change they tell about (one message per event: the dedupe key names it).
 */
import type { Tx } from '../../db/database.ts';
import type { Bilingual } from '../../db/schema.ts';
import { translator, type Locale } from '../../platform/i18n.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import type { Tenant } from '../tenants/service.ts';
import { dateTime as formatDateTime } from './format.ts';
import { formatMoney } from './rules.ts';

/** The town and where the links in emails point. */
export interface TownContext {
  tenant: Tenant;
  /** Absolute base URL of the site, e.g. https://services.example.ca */
  publicUrl: string;
}

export interface Recipient {
  email: string;
  locale: Locale;
}

export interface MailBooking {
  bookingId: string;
  activity: Bilingual;
  startsAt: Date;
  /** The household member's name; null for the account holder. */
  participant: string | null;
  priceCents: number;
}

function common(ctx: TownContext, to: Recipient, b: MailBooking) {
  const t = translator(to.locale);
  return {
    t,
    params: {
      town: ctx.tenant.name[to.locale],
      activity: b.activity[to.locale],
      date: formatDateTime(to.locale, ctx.tenant.timeZone, b.startsAt),
      participant: b.participant ?? t('bookings.participant.self'),
      link: `${ctx.publicUrl}/${to.locale}/bookings/${b.bookingId}`,
    },
  };
}

export async function mailConfirmed(trx: Tx, ctx: TownContext, to: Recipient, b: MailBooking): Promise<void> {
  const { t, params } = common(ctx, to, b);
  const payment = b.priceCents === 0 ? t('bookings.mail.free') : t('bookings.mail.paymentDue', { amount: formatMoney(to.locale, b.priceCents) });
  await enqueueEmail(trx, {
    tenantId: ctx.tenant.id,
    dedupeKey: `booking:${b.bookingId}:confirmed`,
    to: to.email,
    locale: to.locale,
    subject: t('bookings.mail.confirmed.subject', { activity: params.activity }),
    text: t('bookings.mail.confirmed.body', { ...params, payment, passLink: `${params.link}/pass`, calendarLink: `${params.link}/calendar.ics` }),
  });
}

export async function mailCancelled(trx: Tx, ctx: TownContext, to: Recipient, b: MailBooking): Promise<void> {
  const { t, params } = common(ctx, to, b);
  await enqueueEmail(trx, {
    tenantId: ctx.tenant.id,
    dedupeKey: `booking:${b.bookingId}:cancelled`,
    to: to.email,
    locale: to.locale,
    subject: t('bookings.mail.cancelled.subject', { activity: params.activity }),
    text: t('bookings.mail.cancelled.body', params),
  });
}

/** A place is held for someone: freed by a cancellation (waitlist) or won in the draw (lottery). */
export async function mailOffer(trx: Tx, ctx: TownContext, to: Recipient, b: MailBooking, kind: 'waitlist' | 'lottery', deadline: Date): Promise<void> {
  const { t, params } = common(ctx, to, b);
  await enqueueEmail(trx, {
    tenantId: ctx.tenant.id,
    dedupeKey: `booking:${b.bookingId}:offer`,
    to: to.email,
    locale: to.locale,
    subject: t(`bookings.mail.${kind}Offer.subject`, { activity: params.activity }),
    text: t(`bookings.mail.${kind}Offer.body`, { ...params, deadline: formatDateTime(to.locale, ctx.tenant.timeZone, deadline) }),
  });
}

/** The draw did not give this entry a place: it is on the waitlist at `position`. */
export async function mailLotteryWaitlisted(
  trx: Tx,
  ctx: TownContext,
  to: Recipient,
  entry: { entryId: string; activity: Bilingual; startsAt: Date; participant: string | null; position: number; slug: string },
): Promise<void> {
  const t = translator(to.locale);
  await enqueueEmail(trx, {
    tenantId: ctx.tenant.id,
    dedupeKey: `lottery:${entry.entryId}:result`,
    to: to.email,
    locale: to.locale,
    subject: t('bookings.mail.lotteryWaitlisted.subject', { activity: entry.activity[to.locale] }),
    text: t('bookings.mail.lotteryWaitlisted.body', {
      town: ctx.tenant.name[to.locale],
      activity: entry.activity[to.locale],
      date: formatDateTime(to.locale, ctx.tenant.timeZone, entry.startsAt),
      participant: entry.participant ?? t('bookings.participant.self'),
      position: entry.position,
      link: `${ctx.publicUrl}/${to.locale}/bookings`,
    }),
  });
}
