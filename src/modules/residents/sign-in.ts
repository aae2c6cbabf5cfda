/**
 * Residents sign in, or sign up, with a one-time code sent to their email address. Asking for a
 * code does the same work and gives the same answer whether or not the address has an account:
 * the account is made when its first code is entered correctly. Every request, success and
 * failure is audited; the email goes through the outbox in the same transaction as the code.
 */
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { createResidentSession, endSessionOf } from '../../platform/auth/session.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import { translator, type Locale } from '../../platform/i18n.ts';
import { enqueueEmail } from '../../platform/outbox/index.ts';
import type { Tenant } from '../tenants/service.ts';
import { checkThrottle, hashLinkToken, issueCode, LINK_TOKEN, tryCode, useByLink, type Attempt, type CodeRow } from './codes.ts';
import * as repo from './repo.ts';
import { toPrincipal } from './service.ts';

export interface CodeRequest {
  email: string;
  /** The page's language: the email goes out in it, and a new account starts with it. */
  locale: Locale;
  ip: string | null;
  /**
   * The site's address for this town ("https://ville.example"), to put a sign-in link in the
   * email; null leaves the link out (the code alone works).
   */
  linkBase: string | null;
}

export type CodeRequestResult = { ok: true; codeId: string } | { ok: false; waitMinutes: number };

/** Sends a sign-in code to an address, unless the address must wait. Anyone may ask. */
export async function requestSignInCode(db: Database, tenant: Tenant, key: Buffer, input: CodeRequest): Promise<CodeRequestResult> {
  const email = input.email.trim();
  return db.withTenant(tenant.id, async (trx) => {
    const throttle = await checkThrottle(trx, tenant.id, email);
    if (!throttle.ok) {
      await recordAudit(trx, { tenantId: tenant.id, actor: { kind: 'anonymous' }, action: 'resident.codeThrottled', ip: input.ip, details: { purpose: 'signIn' } });
      return { ok: false, waitMinutes: throttle.waitMinutes };
    }
    const issued = await issueCode(trx, tenant.id, key, { purpose: 'signIn', email, residentId: null, locale: input.locale, withLink: input.linkBase !== null });
    const t = translator(input.locale);
    const town = tenant.name[input.locale];
    const link = issued.linkToken && input.linkBase
      ? t('residents.mail.signInCode.link', { url: `${input.linkBase}/${input.locale}/account/link?token=${issued.linkToken}` })
      : '';
    await enqueueEmail(trx, {
      tenantId: tenant.id,
      dedupeKey: `resident-code:${issued.id}`,
      to: email,
      locale: input.locale,
      subject: t('residents.mail.signInCode.subject', { town }),
      text: t('residents.mail.signInCode.body', { town, code: issued.code, link }),
      secret: true,
    });
    await recordAudit(trx, {
      tenantId: tenant.id,
      actor: { kind: 'anonymous' },
      action: 'resident.codeRequested',
      subject: { kind: 'residentCode', id: issued.id },
      ip: input.ip,
      details: { purpose: 'signIn', link: issued.linkToken !== null },
    });
    return { ok: true, codeId: issued.id };
  });
}

/** The address a pending code was sent to, for the code page; null if there is no such code. */
export async function pendingCodeEmail(db: Database, tenantId: string, codeId: string): Promise<string | null> {
  const row = await db.withTenant(tenantId, (trx) => repo.findCode(trx, tenantId, codeId));
  return row && row.purpose === 'signIn' ? row.email : null;
}

export interface SignInContext {
  ip: string | null;
  userAgent: string;
  /** The session token the browser already holds: it is ended, sign-in always starts a new one. */
  previousToken?: string | undefined;
}

export type SignInResult =
  | { ok: true; resident: ResidentPrincipal; token: string; created: boolean }
  | Exclude<Attempt, { ok: true }>;

/** Finds or makes the account of the code's address and opens a session, in `trx`. */
async function completeSignIn(trx: Tx, tenant: Tenant, row: CodeRow, context: SignInContext): Promise<SignInResult> {
  const { row: resident, created } = await repo.insertResidentOnce(trx, tenant.id, row.email, row.locale);
  if (created) {
    await recordAudit(trx, { tenantId: tenant.id, actor: { kind: 'resident', id: resident.id }, action: 'resident.created', subject: { kind: 'resident', id: resident.id }, ip: context.ip });
  }
  if (context.previousToken) await endSessionOf(trx, tenant.id, context.previousToken);
  const token = await createResidentSession(trx, tenant.id, resident.id, context.userAgent);
  await recordAudit(trx, { tenantId: tenant.id, actor: { kind: 'resident', id: resident.id }, action: 'resident.signIn', ip: context.ip, details: { newAccount: created } });
  return { ok: true, resident: toPrincipal(resident), token, created };
}

async function refuse(trx: Tx, tenantId: string, codeId: string | null, attempt: Exclude<Attempt, { ok: true }>, ip: string | null) {
  await recordAudit(trx, {
    tenantId,
    actor: { kind: 'anonymous' },
    action: 'resident.signInFailed',
    ...(codeId ? { subject: { kind: 'residentCode', id: codeId } } : {}),
    ip,
    details: { reason: attempt.reason },
  });
  return attempt;
}

/** Signs in with the code typed on the code page (the page knows which code it waits for). */
export async function signInWithCode(
  db: Database,
  tenant: Tenant,
  key: Buffer,
  input: { codeId: string; code: string } & SignInContext,
): Promise<SignInResult> {
  return db.withTenant(tenant.id, async (trx) => {
    const row = await repo.findCode(trx, tenant.id, input.codeId);
    if (!row || row.purpose !== 'signIn') return refuse(trx, tenant.id, null, { ok: false, reason: 'expired' }, input.ip);
    const attempt = await tryCode(trx, tenant.id, key, row, input.code);
    if (!attempt.ok) return refuse(trx, tenant.id, row.id, attempt, input.ip);
    return completeSignIn(trx, tenant, row, input);
  });
}

/** Signs in with the link from the email (any browser: the link's token is the proof). */
export async function signInWithLink(db: Database, tenant: Tenant, input: { token: string } & SignInContext): Promise<SignInResult> {
  return db.withTenant(tenant.id, async (trx) => {
    const row = LINK_TOKEN.test(input.token) ? await repo.findCodeByLink(trx, tenant.id, hashLinkToken(input.token)) : undefined;
    if (!row || row.purpose !== 'signIn') return refuse(trx, tenant.id, null, { ok: false, reason: 'expired' }, input.ip);
    const attempt = await useByLink(trx, tenant.id, row);
    if (!attempt.ok) return refuse(trx, tenant.id, row.id, attempt, input.ip);
    return completeSignIn(trx, tenant, row, input);
  });
}

/** Ends the resident's session; audited when it was a live one. */
export async function signOutResident(db: Database, tenantId: string, token: string, ip: string | null): Promise<void> {
  await db.withTenant(tenantId, async (trx) => {
    const owner = await endSessionOf(trx, tenantId, token);
    if (owner) await recordAudit(trx, { tenantId, actor: owner, action: owner.kind === 'staff' ? 'staff.signOut' : 'resident.signOut', ip });
  });
}
