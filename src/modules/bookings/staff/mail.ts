/**
 * What staff changes tell residents by email, in the recipient's language, written to the outbox
 * in the transaction of the change (one message per event: the dedupe key names it).
 */
import type { Tx } from '../../../db/database.ts';
import type { Bilingual } from '../../../db/schema.ts';
import { translator, type Locale } from '../../../platform/i18n.ts';
import { enqueueEmail } from '../../../platform/outbox/index.ts';
import { dateTime } from '../format.ts';
import type { Recipient, TownContext } from '../mail.ts';
import { formatMoney } from '../rules.ts';

export interface StaffMailBooking {
  bookingId: string;
  activity: Bilingual;
  startsAt: Date;
  participant: string | null;
  priceCents: number;
}

type Kind = 'moved' | 'cancelled' | 'sessionCancelled' | 'paid' | 'refunded';

/** One email about a booking; `extra` fills the message's own placeholders. */
export async function mailBookingChange(
  trx: Tx,
  town: TownContext,
  to: Recipient,
  kind: Kind,
  b: StaffMailBooking,
  dedupe: string,
  extra: (t: ReturnType<typeof translator>, locale: Locale) => Record<string, string> = () => ({}),
): Promise<void> {
  const t = translator(to.locale);
  const params = {
    town: town.tenant.name[to.locale],
    activity: b.activity[to.locale],
    date: dateTime(to.locale, town.tenant.timeZone, b.startsAt),
    participant: b.participant ?? t('bookings.participant.self'),
    amount: formatMoney(to.locale, b.priceCents),
    link: `${town.publicUrl}/${to.locale}/bookings${b.bookingId ? `/${b.bookingId}` : ''}`,
    ...extra(t, to.locale),
  };
  await enqueueEmail(trx, {
    tenantId: town.tenant.id,
    dedupeKey: dedupe,
    to: to.email,
    locale: to.locale,
    subject: t(`staffBookings.mail.${kind}.subject`, params),
    text: t(`staffBookings.mail.${kind}.body`, params),
  });
}

/** The town's answer to a residency request. */
export async function mailResidencyDecision(
  trx: Tx,
  town: TownContext,
  to: Recipient,
  requestId: string,
  decision: { status: 'approved'; validUntil: string } | { status: 'refused'; reason: string },
): Promise<void> {
  const t = translator(to.locale);
  const params = {
    town: town.tenant.name[to.locale],
    until: decision.status === 'approved' ? decision.validUntil : '',
    reason: decision.status === 'refused' ? decision.reason : '',
    link: `${town.publicUrl}/${to.locale}/residency`,
  };
  await enqueueEmail(trx, {
    tenantId: town.tenant.id,
    dedupeKey: `residency:${requestId}:decided`,
    to: to.email,
    locale: to.locale,
    subject: t(`staffBookings.mail.residency.${decision.status}.subject`, params),
    text: t(`staffBookings.mail.residency.${decision.status}.body`, params),
  });
}
