/**
 * The emails of service requests, in each recipient's language, written to the outbox in the
 * transaction of the change they tell about. One message per event and recipient (the dedupe key
 * names both). The requester's emails carry their private tracking link; a signed-in follower's
 * point to their account, an email follower's to their own private link.
 */
import type { Tx } from '../../db/database.ts';
import type { Bilingual, RequestStatus } from '../../db/schema.ts';
import { translator, type Locale } from '../../platform/i18n.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import { formatReference } from '../../platform/reference.ts';
import { residentContact } from '../residents/service.ts';
import type { Tenant } from '../tenants/service.ts';
import * as timeline from './repo/timeline.ts';
import { followerToken, requesterToken } from './tokens.ts';
import { REOPEN_DAYS } from './tracking.ts';

export interface MailContext {
  tenant: Tenant;
  publicUrl: string;
}

/** The facts of a request every email needs. */
export interface MailRequest {
  id: string;
  reference: string;
  idempotencyKey: string;
  typeName: Bilingual;
  status: RequestStatus;
  residentId: string | null;
  contactEmail: string | null;
  locale: Locale;
}

interface Recipient {
  key: string;
  email: string;
  locale: Locale;
  link: string;
  /** False for a resident who turned off updates in their profile (the acknowledgement still goes). */
  wantsUpdates: boolean;
}

export const trackingPath = (locale: Locale, reference: string, token: string) => `/${locale}/requests/track/${formatReference(reference)}/${token}`;
export const accountPath = (locale: Locale, reference: string) => `/${locale}/requests/mine/${formatReference(reference)}`;

/** The requester: their account's address and language, or the address they left. */
async function requester(trx: Tx, ctx: MailContext, r: MailRequest): Promise<Recipient | null> {
  const token = requesterToken(r.id, r.idempotencyKey);
  if (r.residentId) {
    const resident = await residentContact(trx, ctx.tenant.id, r.residentId);
    if (resident) return { key: 'requester', email: resident.email, locale: resident.locale, link: ctx.publicUrl + trackingPath(resident.locale, r.reference, token), wantsUpdates: resident.updates };
  }
  if (!r.contactEmail) return null;
  return { key: 'requester', email: r.contactEmail, locale: r.locale, link: ctx.publicUrl + trackingPath(r.locale, r.reference, token), wantsUpdates: true };
}

async function followers(trx: Tx, ctx: MailContext, r: MailRequest): Promise<Recipient[]> {
  const out: Recipient[] = [];
  for (const f of await timeline.followersOf(trx, ctx.tenant.id, r.id)) {
    if (f.resident_id) {
      const resident = await residentContact(trx, ctx.tenant.id, f.resident_id);
      if (resident) out.push({ key: `f:${f.id}`, email: resident.email, locale: resident.locale, link: ctx.publicUrl + accountPath(resident.locale, r.reference), wantsUpdates: resident.updates });
    } else if (f.email) {
      const token = followerToken(r.id, r.idempotencyKey, f.email);
      out.push({ key: `f:${f.id}`, email: f.email, locale: f.locale, link: ctx.publicUrl + trackingPath(f.locale, r.reference, token), wantsUpdates: true });
    }
  }
  return out;
}

function params(ctx: MailContext, r: MailRequest, to: Recipient) {
  const t = translator(to.locale);
  return {
    t,
    params: {
      town: ctx.tenant.name[to.locale],
      reference: formatReference(r.reference),
      type: r.typeName[to.locale],
      status: t(`requests.status.${r.status}`),
      link: to.link,
      days: REOPEN_DAYS,
    },
  };
}

/** The acknowledgement of a new request, to the requester (nobody else follows it yet). */
export async function mailSubmitted(trx: Tx, ctx: MailContext, r: MailRequest, expected: { days: number; basis: 'history' | 'target' } | null): Promise<void> {
  const to = await requester(trx, ctx, r);
  if (!to) return;
  const { t, params: p } = params(ctx, r, to);
  const expectedText = expected === null ? '' : t(expected.basis === 'history' ? 'requests.mail.expected' : 'requests.mail.expectedTarget', { days: expected.days });
  await enqueueEmail(trx, {
    tenantId: ctx.tenant.id,
    dedupeKey: `request:${r.id}:submitted`,
    to: to.email,
    locale: to.locale,
    subject: t('requests.mail.submitted.subject', p),
    text: t('requests.mail.submitted.body', { ...p, expected: expectedText }),
  });
}

/** The confirmation to someone who just followed a request ("me too"). */
export async function mailFollowed(trx: Tx, ctx: MailContext, r: MailRequest, follower: { id: string; residentId: string | null; email: string | null; locale: Locale }): Promise<void> {
  let to: Recipient | null = null;
  if (follower.residentId) {
    const resident = await residentContact(trx, ctx.tenant.id, follower.residentId);
    if (resident) to = { key: 'f', email: resident.email, locale: resident.locale, link: ctx.publicUrl + accountPath(resident.locale, r.reference), wantsUpdates: resident.updates };
  } else if (follower.email) {
    to = { key: 'f', email: follower.email, locale: follower.locale, link: ctx.publicUrl + trackingPath(follower.locale, r.reference, followerToken(r.id, r.idempotencyKey, follower.email)), wantsUpdates: true };
  }
  if (!to) return;
  const { t, params: p } = params(ctx, r, to);
  await enqueueEmail(trx, {
    tenantId: ctx.tenant.id,
    dedupeKey: `request:${r.id}:followed:${follower.id}`,
    to: to.email,
    locale: to.locale,
    subject: t('requests.mail.followed.subject', p),
    text: t('requests.mail.followed.body', p),
  });
}

export type UpdateKind = 'status' | 'reply' | 'closed' | 'reopened';

/**
 * A public change, to the requester and every follower (except residents who turned updates off in
 * their profile). `note` is what staff wrote (a reply, a closure note), repeated in the email as
 * written; a resident's own words are never forwarded.
 */
export async function mailUpdate(trx: Tx, ctx: MailContext, r: MailRequest, eventId: string, kind: UpdateKind, note: string | null): Promise<void> {
  const first = await requester(trx, ctx, r);
  const everyone = [...(first ? [first] : []), ...(await followers(trx, ctx, r))];
  const seen = new Set<string>();
  for (const to of everyone) {
    const address = to.email.toLowerCase();
    if (seen.has(address) || !to.wantsUpdates) continue;
    seen.add(address);
    const { t, params: p } = params(ctx, r, to);
    const noteText = note ? t('requests.mail.note', { note }) : '';
    await enqueueEmail(trx, {
      tenantId: ctx.tenant.id,
      dedupeKey: `request:${r.id}:event:${eventId}:${to.key}`,
      to: to.email,
      locale: to.locale,
      subject: t(`requests.mail.${kind}.subject`, p),
      text: t(`requests.mail.${kind}.body`, { ...p, note: noteText }),
    });
  }
}
