/**
 * Single sign-on per town with OpenID Connect. The operator sets a town's provider (issuer, client,
 * sealed secret, the claim carrying groups or roles and which values mean agent, manager or admin,
 * and whether password sign-in stays allowed). Sign-in is the authorization code flow with PKCE,
 * state and nonce; the state is bound to the browser by a cookie and works once. On return, the
 * staff account is found or created by email (only a verified email, or one in the town's domains),
 * its role set from the claim; no matching value is a refusal. Every sign-in and refusal is audited.
 */
import crypto from 'node:crypto';
import type { Database, Tx } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { createSession, endSession, hashToken } from '../../platform/auth/session.ts';
import type { Locale } from '../../platform/i18n.ts';
import { STAFF_ROLES, staffForIdentity, type StaffRole } from '../staff/service.ts';
import type { SecretBox } from '../staff/secret-box.ts';
import { claimValues, clientConfiguration, finishAuthorization, forgetClient, startAuthorization, type Claims } from './oidc.ts';
import * as repo from './repo.ts';

/** A sign-in started at the provider must come back within 10 minutes. */
export const AUTH_REQUEST_SECONDS = 10 * 60;

export type RoleMap = Partial<Record<StaffRole, string[]>>;

export interface SsoConfig {
  issuer: string;
  clientId: string;
  label: string;
  scopes: string;
  roleClaim: string;
  roleMap: RoleMap;
  allowedDomains: string[];
  passwordSignIn: boolean;
  updatedAt: Date;
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findConfig>>>;

function toConfig(row: Row): SsoConfig {
  return {
    issuer: row.issuer,
    clientId: row.client_id,
    label: row.label,
    scopes: row.scopes,
    roleClaim: row.role_claim,
    roleMap: row.role_map,
    allowedDomains: row.allowed_domains,
    passwordSignIn: row.password_sign_in,
    updatedAt: row.updated_at,
  };
}

const secretContext = (tenantId: string) => `sso-client-secret:${tenantId}`;
const verifierContext = (tenantId: string, stateHash: string) => `pkce:${tenantId}:${stateHash}`;

export interface SsoEnvironment {
  box: SecretBox;
  /** Plain http issuers are accepted only outside production. */
  allowHttp: boolean;
}

export class SsoInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

export interface SsoInput {
  issuer: string;
  clientId: string;
  clientSecret: string;
  label?: string | undefined;
  scopes?: string | undefined;
  roleClaim: string;
  roleMap: RoleMap;
  allowedDomains?: string[];
  passwordSignIn?: boolean;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;

function validate(input: SsoInput, allowHttp: boolean): Omit<repo.ConfigRow, 'clientSecretSealed'> {
  let issuer: URL;
  try {
    issuer = new URL(input.issuer.trim());
  } catch {
    throw new SsoInputError('issuer', 'is not a valid URL');
  }
  if (issuer.protocol !== 'https:' && !(allowHttp && issuer.protocol === 'http:')) throw new SsoInputError('issuer', 'must start with https://');
  if (issuer.search || issuer.hash || issuer.username || issuer.password) throw new SsoInputError('issuer', 'must be the bare issuer URL (no query, fragment or user)');
  const clientId = input.clientId.trim();
  if (clientId.length < 1 || clientId.length > 500) throw new SsoInputError('client-id', 'is required (at most 500 characters)');
  if (input.clientSecret.length < 1 || input.clientSecret.length > 2000) throw new SsoInputError('client-secret', 'is required (at most 2000 characters)');
  const roleClaim = input.roleClaim.trim();
  if (!/^[A-Za-z0-9_:/.-]{1,200}$/.test(roleClaim)) throw new SsoInputError('role-claim', 'must be a claim name such as groups, roles or realm_access.roles');
  const roleMap: RoleMap = {};
  for (const [role, values] of Object.entries(input.roleMap)) {
    if (!STAFF_ROLES.includes(role as StaffRole)) throw new SsoInputError('map', `unknown role "${role}" (use ${STAFF_ROLES.join(', ')})`);
    const clean = [...new Set((values ?? []).map((v) => v.trim()).filter((v) => v !== ''))];
    if (clean.some((v) => v.length > 200)) throw new SsoInputError('map', 'a claim value is longer than 200 characters');
    if (clean.length > 0) roleMap[role as StaffRole] = clean;
  }
  if (Object.keys(roleMap).length === 0) throw new SsoInputError('map', 'map at least one role to a claim value, e.g. --map admin=guichet-admins');
  const allowedDomains = [...new Set((input.allowedDomains ?? []).map((d) => d.trim().toLowerCase().replace(/^@/, '')))];
  for (const d of allowedDomains) if (!DOMAIN.test(d)) throw new SsoInputError('allowed-domain', `"${d}" is not a domain name`);
  const scopes = (input.scopes ?? 'openid email profile').trim().split(/\s+/);
  if (!scopes.includes('openid')) scopes.unshift('openid');
  if (scopes.some((s) => !/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/.test(s))) throw new SsoInputError('scopes', 'must be scope names separated by spaces');
  const label = (input.label ?? issuer.hostname).trim();
  if (label.length < 1 || label.length > 100) throw new SsoInputError('label', 'must be 1 to 100 characters');
  return {
    // Kept as given: it must equal the provider's own "issuer" exactly (with or without a final slash).
    issuer: input.issuer.trim(),
    clientId,
    label,
    scopes: scopes.join(' '),
    roleClaim,
    roleMap,
    allowedDomains,
    passwordSignIn: input.passwordSignIn ?? true,
  };
}

/** Operator act (command line): sets or replaces the town's provider. */
export async function configureSso(db: Database, env: SsoEnvironment, tenantId: string, input: SsoInput): Promise<SsoConfig> {
  const clean = validate(input, env.allowHttp);
  return db.withTenant(tenantId, async (trx) => {
    await repo.upsertConfig(trx, tenantId, { ...clean, clientSecretSealed: env.box.seal(input.clientSecret, secretContext(tenantId)) });
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'system' },
      action: 'sso.configured',
      details: { issuer: clean.issuer, clientId: clean.clientId, roleClaim: clean.roleClaim, roles: Object.keys(clean.roleMap), passwordSignIn: clean.passwordSignIn },
    });
    return toConfig((await repo.findConfig(trx, tenantId))!);
  });
}

export async function removeSso(db: Database, tenantId: string): Promise<boolean> {
  return db.withTenant(tenantId, async (trx) => {
    const removed = await repo.removeConfig(trx, tenantId);
    if (removed) await recordAudit(trx, { tenantId, actor: { kind: 'system' }, action: 'sso.removed' });
    return removed;
  });
}

export async function findSsoConfig(db: Database, tenantId: string): Promise<SsoConfig | null> {
  const row = await db.withTenant(tenantId, (trx) => repo.findConfig(trx, tenantId));
  return row ? toConfig(row) : null;
}

/** What the sign-in page needs: the button's label and whether the password form stays. */
export async function ssoSignInOptions(db: Database, tenantId: string): Promise<{ label: string; passwordSignIn: boolean } | null> {
  const config = await findSsoConfig(db, tenantId);
  return config ? { label: config.label, passwordSignIn: config.passwordSignIn } : null;
}

/** Whether this town still lets staff sign in with a password. */
export async function passwordSignInAllowed(db: Database, tenantId: string): Promise<boolean> {
  return (await ssoSignInOptions(db, tenantId))?.passwordSignIn ?? true;
}

async function settingsOf(env: SsoEnvironment, tenantId: string, row: Row) {
  const clientSecret = env.box.open(row.client_secret_sealed, secretContext(tenantId));
  if (clientSecret === null) throw new Error('the client secret cannot be opened (was SESSION_SECRET changed? run guichet sso set again)');
  return { issuer: row.issuer, clientId: row.client_id, clientSecret };
}

/** Checks that the provider answers discovery with this issuer (for the command line). */
export async function checkSsoProvider(db: Database, env: SsoEnvironment, tenantId: string): Promise<void> {
  const row = await db.withTenant(tenantId, (trx) => repo.findConfig(trx, tenantId));
  if (!row) throw new Error('no single sign-on is set for this town');
  const settings = await settingsOf(env, tenantId, row);
  forgetClient(settings);
  await clientConfiguration(settings, env.allowHttp);
}

/**
 * Starts a sign-in: returns the provider's authorization URL and the state for the browser's cookie,
 * or null when the town has no single sign-on.
 */
export async function beginSsoSignIn(
  db: Database,
  env: SsoEnvironment,
  tenantId: string,
  input: { redirectUri: string; locale: Locale; next: string | null },
): Promise<{ url: string; state: string } | null> {
  const row = await db.withTenant(tenantId, (trx) => repo.findConfig(trx, tenantId));
  if (!row) return null;
  const config = await clientConfiguration(await settingsOf(env, tenantId, row), env.allowHttp);
  const start = await startAuthorization(config, { redirectUri: input.redirectUri, scope: row.scopes, locale: input.locale });
  const stateHash = hashToken(start.state);
  await db.withTenant(tenantId, (trx) =>
    repo.insertAuthRequest(trx, tenantId, {
      stateHash,
      verifierSealed: env.box.seal(start.verifier, verifierContext(tenantId, stateHash)),
      nonce: start.nonce,
      locale: input.locale,
      nextPath: input.next,
      ttlSeconds: AUTH_REQUEST_SECONDS,
    }),
  );
  return { url: start.url, state: start.state };
}

export type SsoRefusal = 'state' | 'notConfigured' | 'provider' | 'token' | 'email' | 'role' | 'disabled' | 'subjectMismatch' | 'profile';

export type SsoResult =
  | { ok: true; sessionToken: string; locale: Locale; next: string | null; role: StaffRole }
  | { ok: false; reason: SsoRefusal; locale: Locale | null; provider: string | null };

/** The highest role whose claim values the person has: admin, then manager, then agent. */
export function roleFromClaims(claims: Claims, roleClaim: string, roleMap: RoleMap): StaffRole | null {
  const values = new Set(claimValues(claims, roleClaim));
  for (const role of ['admin', 'manager', 'agent'] as const) {
    if ((roleMap[role] ?? []).some((v) => values.has(v))) return role;
  }
  return null;
}

function acceptableEmail(claims: Claims, allowedDomains: string[]): string | null {
  const email = typeof claims.email === 'string' ? claims.email.trim() : '';
  if (!/^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/.test(email) || email.length > 254) return null;
  const domain = email.split('@')[1]!.toLowerCase();
  // With domains set, only those; without, only an address the provider says it verified.
  if (allowedDomains.length > 0) return allowedDomains.includes(domain) ? email : null;
  return claims.email_verified === true || claims.email_verified === 'true' ? email : null;
}

function nameOf(claims: Claims, email: string): string {
  if (typeof claims.name === 'string' && claims.name.trim() !== '') return claims.name.trim();
  const parts = [claims.given_name, claims.family_name].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length > 0 ? parts.join(' ') : email;
}

async function refuse(
  trx: Tx,
  tenantId: string,
  reason: SsoRefusal,
  context: { ip: string | null; locale: Locale | null; provider: string | null; staffId?: string | null; details?: Record<string, unknown> },
): Promise<SsoResult> {
  await recordAudit(trx, {
    tenantId,
    actor: { kind: 'anonymous' },
    action: 'sso.refused',
    ...(context.staffId ? { subject: { kind: 'staff', id: context.staffId } } : {}),
    ip: context.ip,
    details: { reason, ...context.details },
  });
  return { ok: false, reason, locale: context.locale, provider: context.provider };
}

const sameState = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Finishes a sign-in when the provider sends the browser back. `cookieState` is the state this
 * browser was given when it started: a callback carrying another state is refused.
 */
export async function completeSsoSignIn(
  db: Database,
  env: SsoEnvironment,
  tenantId: string,
  input: { callbackUrl: URL; cookieState: string | undefined; ip: string | null; previousToken?: string | undefined; userAgent?: string },
): Promise<SsoResult> {
  const params = input.callbackUrl.searchParams;
  const state = params.get('state') ?? '';
  const base = { ip: input.ip, locale: null, provider: null };
  const request = await db.withTenant(tenantId, async (trx) => {
    // The cookie's state is the one to take: a forged callback cannot spend another browser's sign-in.
    const taken = input.cookieState ? await repo.takeAuthRequest(trx, tenantId, hashToken(input.cookieState)) : undefined;
    const config = await repo.findConfig(trx, tenantId);
    if (!taken || !input.cookieState || !state || !sameState(state, input.cookieState)) {
      const locale = taken?.locale ?? (state ? await repo.localeOfAuthRequest(trx, tenantId, hashToken(state)) : null);
      const cause = !input.cookieState ? 'noCookie' : !taken ? 'unknownOrExpired' : 'mismatch';
      return { refused: await refuse(trx, tenantId, 'state', { ...base, locale, provider: config?.label ?? null, details: { cause } }) };
    }
    if (!config) return { refused: await refuse(trx, tenantId, 'notConfigured', { ...base, locale: taken.locale }) };
    return { taken, config };
  });
  if ('refused' in request) return request.refused!;
  const { taken, config } = request;
  const context = { ip: input.ip, locale: taken.locale, provider: config.label };

  if (params.get('error')) {
    const error = (params.get('error') ?? '').slice(0, 100);
    return db.withTenant(tenantId, (trx) => refuse(trx, tenantId, 'provider', { ...context, details: { error } }));
  }
  let claims: Claims;
  try {
    const verifier = env.box.open(taken.verifier_sealed, verifierContext(tenantId, hashToken(state)));
    if (verifier === null) throw new Error('PKCE verifier cannot be opened');
    const client = await clientConfiguration(await settingsOf(env, tenantId, config), env.allowHttp);
    claims = await finishAuthorization(client, input.callbackUrl, { state, nonce: taken.nonce, verifier });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return db.withTenant(tenantId, (trx) =>
      refuse(trx, tenantId, 'token', { ...context, details: { error: typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown' } }),
    );
  }
  const issuer = typeof claims.iss === 'string' ? claims.iss : config.issuer;
  const subject = typeof claims.sub === 'string' ? claims.sub : '';

  return db.withTenant(tenantId, async (trx) => {
    const email = acceptableEmail(claims, config.allowed_domains);
    if (!email) return refuse(trx, tenantId, 'email', { ...context, details: { subject, emailVerified: claims.email_verified === true } });
    const role = roleFromClaims(claims, config.role_claim, config.role_map);
    if (!role) {
      return refuse(trx, tenantId, 'role', { ...context, details: { subject, claim: config.role_claim, values: claimValues(claims, config.role_claim).slice(0, 20) } });
    }
    const found = await staffForIdentity(trx, tenantId, { issuer, subject, email, name: nameOf(claims, email), role, locale: taken.locale });
    if (!found.ok) {
      const reason = found.reason === 'invalidProfile' ? 'profile' : found.reason;
      return refuse(trx, tenantId, reason, { ...context, staffId: found.staffId, details: { subject } });
    }
    if (input.previousToken) await endSession(trx, tenantId, input.previousToken);
    const sessionToken = await createSession(trx, tenantId, found.staff.id, input.userAgent === undefined ? {} : { userAgent: input.userAgent });
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'staff', id: found.staff.id },
      action: 'sso.signIn',
      subject: { kind: 'staff', id: found.staff.id },
      ip: input.ip,
      details: { issuer, role, created: found.created, ...(found.previousRole ? { previousRole: found.previousRole } : {}) },
    });
    await recordAudit(trx, { tenantId, actor: { kind: 'staff', id: found.staff.id }, action: 'staff.signIn', ip: input.ip, details: { method: 'sso' } });
    return { ok: true, sessionToken, locale: taken.locale, next: taken.next_path, role } as const;
  });
}
