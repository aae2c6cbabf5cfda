/**
 * A resident's account: who is signed in, their profile, and changing their email address (a code
 * to the new address proves it is theirs; the former address is told). Each use case starts with
 * the permission check; changes are audited with the names of the fields changed, not their values.
 */
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import { translator, type Locale } from '../../platform/i18n.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import { ensure, type Principal } from '../../platform/permissions.ts';
import type { Tenant } from '../tenants/service.ts';
import { checkThrottle, issueCode, tryCode, type Attempt } from './codes.ts';
import * as repo from './repo.ts';

type ResidentRow = NonNullable<Awaited<ReturnType<typeof repo.findResidentById>>>;

export function toPrincipal(row: Pick<ResidentRow, 'id' | 'email' | 'name' | 'locale'> & { birth_date?: string | null }): ResidentPrincipal {
  return { id: row.id, email: row.email, name: row.name, locale: row.locale, birthDate: row.birth_date ?? null };
}

/** For the session hook: the resident behind a live session, if the account still exists. */
export async function residentForSession(trx: Tx, tenantId: string, residentId: string): Promise<ResidentPrincipal | null> {
  const row = await repo.findResidentById(trx, tenantId, residentId);
  return row ? toPrincipal(row) : null;
}

/**
 * How other modules name account holders (a roster, the door scanner's list), inside the caller's
 * transaction: the name they gave, else their email address. The caller checks its own permission.
 */
export async function residentNames(trx: Tx, tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await repo.findNamesByIds(trx, tenantId, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.name ?? r.email]));
}

/**
 * For another module's emails, inside its transaction: the resident's address and language, and
 * whether they want updates on their requests, applications and bookings (profile → notifications).
 */
export async function residentContact(trx: Tx, tenantId: string, residentId: string): Promise<{ email: string; locale: Locale; updates: boolean } | null> {
  const row = await repo.findResidentById(trx, tenantId, residentId);
  return row ? { email: row.email, locale: row.locale, updates: row.notify_updates } : null;
}

/**
 * For another module's documents (an issued permit or licence), inside its transaction, which has
 * checked its own permission: the postal address the resident gave in their profile, or null.
 */
export async function residentPostalAddress(trx: Tx, tenantId: string, residentId: string): Promise<string | null> {
  const row = await repo.findResidentById(trx, tenantId, residentId);
  return row?.address ?? null;
}

/** The permission module's view of a signed-in resident. */
export function residentPrincipal(tenantId: string, resident: ResidentPrincipal): Principal {
  return { kind: 'resident', tenantId, id: resident.id };
}

export interface Notifications {
  updates: boolean;
  reminders: boolean;
  news: boolean;
}

export interface Profile {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  locale: Locale;
  address: string | null;
  notifications: Notifications;
  /** YYYY-MM-DD, or null when not given. */
  birthDate: string | null;
  createdAt: Date;
}

function toProfile(row: ResidentRow): Profile {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    locale: row.locale,
    address: row.address,
    notifications: { updates: row.notify_updates, reminders: row.notify_reminders, news: row.notify_news },
    birthDate: row.birth_date,
    createdAt: row.created_at,
  };
}

/** Who asks, in which town, from where. */
export interface ResidentCaller {
  db: Database;
  tenant: Tenant;
  resident: ResidentPrincipal;
  ip: string | null;
}

const profileOf = (c: ResidentCaller) => ({ kind: 'residentProfile' as const, tenantId: c.tenant.id, residentId: c.resident.id });
const principalOf = (c: ResidentCaller) => ({ db: c.db, principal: residentPrincipal(c.tenant.id, c.resident), ip: c.ip });

export async function getProfile(c: ResidentCaller): Promise<Profile> {
  await ensure(principalOf(c), 'resident.viewProfile', profileOf(c));
  const row = await c.db.withTenant(c.tenant.id, (trx) => repo.findResidentById(trx, c.tenant.id, c.resident.id));
  if (!row) throw new Error('signed-in resident has no account');
  return toProfile(row);
}

export interface ProfileInput {
  name: string;
  email: string;
  phone: string;
  locale: Locale;
  address: string;
  notifications: Notifications;
  /** YYYY-MM-DD checked by the form, or '' for none. */
  birthDate: string;
}

export type ProfileUpdate =
  | { emailChange: 'none' }
  /** A code went to the new address; the email changes once it is entered. */
  | { emailChange: 'codeSent'; email: string }
  | { emailChange: 'wait'; waitMinutes: number };

/** Saves the profile. A new email address only takes effect once the code sent to it is entered. */
/** `key` is the HMAC key of codes (codes.ts codeKey). */
export async function updateProfile(c: ResidentCaller, key: Buffer, input: ProfileInput): Promise<ProfileUpdate> {
  await ensure(principalOf(c), 'resident.updateProfile', profileOf(c));
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const before = await repo.findResidentById(trx, tenantId, c.resident.id);
    if (!before) throw new Error('signed-in resident has no account');
    const next: repo.ProfileRow = {
      name: input.name || null,
      phone: input.phone || null,
      locale: input.locale,
      address: input.address || null,
      notify_updates: input.notifications.updates,
      notify_reminders: input.notifications.reminders,
      notify_news: input.notifications.news,
      birth_date: input.birthDate || null,
    };
    const changed: string[] = (Object.keys(next) as Array<keyof repo.ProfileRow>).filter((k) => next[k] !== before[k]);
    const newEmail = input.email.trim();
    const sameMailbox = newEmail.toLowerCase() === before.email.toLowerCase();
    if (sameMailbox && newEmail !== before.email) {
      // Only the capitals changed: the same mailbox, nothing to prove.
      await repo.updateEmail(trx, tenantId, c.resident.id, newEmail);
      changed.push('email');
    }
    if (changed.length > 0) {
      await repo.updateProfile(trx, tenantId, c.resident.id, next);
      await recordAudit(trx, {
        tenantId,
        actor: { kind: 'resident', id: c.resident.id },
        action: 'resident.profileUpdated',
        subject: { kind: 'resident', id: c.resident.id },
        ip: c.ip,
        details: { fields: changed },
      });
    }
    if (sameMailbox) return { emailChange: 'none' };
    return askEmailChange(trx, c, key, newEmail, input.locale);
  });
}

async function askEmailChange(trx: Tx, c: ResidentCaller, key: Buffer, email: string, locale: Locale): Promise<ProfileUpdate> {
  const tenantId = c.tenant.id;
  const throttle = await checkThrottle(trx, tenantId, email);
  if (!throttle.ok) return { emailChange: 'wait', waitMinutes: throttle.waitMinutes };
  const issued = await issueCode(trx, tenantId, key, { purpose: 'changeEmail', email, residentId: c.resident.id, locale, withLink: false });
  const t = translator(locale);
  const town = c.tenant.name[locale];
  await enqueueEmail(trx, {
    tenantId,
    dedupeKey: `resident-code:${issued.id}`,
    to: email,
    locale,
    subject: t('residents.mail.emailChangeCode.subject', { town }),
    text: t('residents.mail.emailChangeCode.body', { town, code: issued.code }),
    secret: true,
  });
  await recordAudit(trx, {
    tenantId,
    actor: { kind: 'resident', id: c.resident.id },
    action: 'resident.emailChangeRequested',
    subject: { kind: 'residentCode', id: issued.id },
    ip: c.ip,
  });
  return { emailChange: 'codeSent', email };
}

/** The new address waiting for its code, if a live code was sent to one. */
export async function pendingEmailChange(c: ResidentCaller): Promise<string | null> {
  await ensure(principalOf(c), 'resident.viewProfile', profileOf(c));
  const row = await c.db.withTenant(c.tenant.id, (trx) => repo.findLatestEmailChangeCode(trx, c.tenant.id, c.resident.id));
  if (!row || row.used_at || row.voided_at || row.expired) return null;
  return row.email;
}

export type EmailChangeResult = { ok: true; email: string } | Exclude<Attempt, { ok: true }> | { ok: false; reason: 'taken' };

/** Checks the code sent to the new address; when right, the new address replaces the old one. */
export async function confirmEmailChange(c: ResidentCaller, key: Buffer, code: string): Promise<EmailChangeResult> {
  await ensure(principalOf(c), 'resident.updateProfile', profileOf(c));
  const tenantId = c.tenant.id;
  const actor = { kind: 'resident' as const, id: c.resident.id };
  return c.db.withTenant(tenantId, async (trx): Promise<EmailChangeResult> => {
    const row = await repo.findLatestEmailChangeCode(trx, tenantId, c.resident.id);
    const attempt: Attempt = row ? await tryCode(trx, tenantId, key, row, code) : { ok: false, reason: 'expired' };
    const fail = async (result: Exclude<EmailChangeResult, { ok: true }>) => {
      await recordAudit(trx, { tenantId, actor, action: 'resident.emailChangeFailed', ip: c.ip, details: { reason: result.reason } });
      return result;
    };
    if (!attempt.ok || !row) return fail(attempt.ok ? { ok: false, reason: 'expired' } : attempt);
    // The person proved the address is theirs: telling them it has an account here tells them nothing new.
    const holder = await repo.findResidentByEmail(trx, tenantId, row.email);
    if (holder && holder.id !== c.resident.id) return fail({ ok: false, reason: 'taken' });
    const before = await repo.findResidentById(trx, tenantId, c.resident.id);
    if (!before) throw new Error('signed-in resident has no account');
    await repo.updateEmail(trx, tenantId, c.resident.id, row.email);
    const t = translator(before.locale);
    const town = c.tenant.name[before.locale];
    await enqueueEmail(trx, {
      tenantId,
      dedupeKey: `resident-email-changed:${row.id}`,
      to: before.email,
      locale: before.locale,
      subject: t('residents.mail.emailChanged.subject', { town }),
      text: t('residents.mail.emailChanged.body', { town, email: row.email }),
    });
    await recordAudit(trx, { tenantId, actor, action: 'resident.emailChanged', subject: { kind: 'resident', id: c.resident.id }, ip: c.ip });
    return { ok: true, email: row.email };
  });
}
