/**
 * Sessions kept on the server, for staff and residents alike. The browser holds a random 32-byte
 * token in an HttpOnly, SameSite=Lax cookie (Secure in production); the database holds only its
 * SHA-256, so a leaked table hands out no live session. A session belongs to one town and one
 * person (a staff member or a resident, never both): it is looked up inside that town's
 * transaction, so row-level security makes another town's session invisible. Staff sessions end
 * after 30 idle minutes, residents' after 2 idle hours, and every session after 12 hours, whichever
 * comes first; sign-in always issues a new token.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Tx } from '../../db/database.ts';
import type { ResidentPrincipal, StaffPrincipal } from '../http.ts';
import { AppError } from '../errors.ts';
import * as repo from './repo.ts';
import { cachedSession, rememberSession, sessionCacheGeneration, type SessionPrincipal } from './session-cache.ts';

export type { SessionOwner } from './repo.ts';

/** Staff: 30 idle minutes, 12 hours in all. */
export const IDLE_TIMEOUT_SECONDS = 30 * 60;
export const ABSOLUTE_TIMEOUT_SECONDS = 12 * 60 * 60;
/** Residents: 2 idle hours (a form filled in slowly on a phone), 12 hours in all. */
export const RESIDENT_IDLE_TIMEOUT_SECONDS = 2 * 60 * 60;
export const RESIDENT_ABSOLUTE_TIMEOUT_SECONDS = 12 * 60 * 60;
export const IDLE_LIMITS: repo.IdleLimits = { staff: IDLE_TIMEOUT_SECONDS, resident: RESIDENT_IDLE_TIMEOUT_SECONDS };
/** last_seen_at is written at most once a minute per session, not on every request. */
const TOUCH_AFTER_SECONDS = 60;
/** 32 random bytes in base64url. Anything else in the cookie is not ours: treat as signed out. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** What is kept of the User-Agent header: enough to tell "Firefox on Windows", nothing more. */
export const USER_AGENT_MAX = 300;

export function sessionCookieName(config: Pick<Config, 'env'>): string {
  // __Host- makes the browser insist on Secure, Path=/ and no Domain: the cookie stays on this host.
  return config.env === 'production' ? '__Host-guichet-session' : 'guichet-session';
}

function cookieOptions(config: Pick<Config, 'env'>) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.env === 'production',
  };
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** The request's User-Agent header, trimmed and cut to USER_AGENT_MAX characters ('' when absent). */
export function userAgentOf(req: FastifyRequest): string {
  const raw = req.headers['user-agent'];
  // eslint-disable-next-line no-control-regex -- control characters never belong in a stored label
  return (typeof raw === 'string' ? raw : '').replace(/[\u0000-\u001F\u007F]/g, ' ').trim().slice(0, USER_AGENT_MAX);
}

/**
 * Starts a session for a staff member inside the caller's transaction; returns the cookie's token.
 * The browser's User-Agent (userAgentOf) may be given; otherwise the first request records it.
 */
export async function createSession(trx: Tx, tenantId: string, staffId: string, options: { userAgent?: string } = {}): Promise<string> {
  return startSession(trx, tenantId, { kind: 'staff', id: staffId }, options.userAgent);
}

/** Starts a session for a resident inside the caller's transaction; returns the cookie's token. */
export async function createResidentSession(trx: Tx, tenantId: string, residentId: string, userAgent?: string): Promise<string> {
  return startSession(trx, tenantId, { kind: 'resident', id: residentId }, userAgent);
}

async function startSession(trx: Tx, tenantId: string, owner: repo.SessionOwner, userAgent: string | undefined): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  const idle = owner.kind === 'staff' ? IDLE_TIMEOUT_SECONDS : RESIDENT_IDLE_TIMEOUT_SECONDS;
  const absolute = owner.kind === 'staff' ? ABSOLUTE_TIMEOUT_SECONDS : RESIDENT_ABSOLUTE_TIMEOUT_SECONDS;
  await repo.removeDead(trx, tenantId, owner, idle);
  await repo.insert(trx, tenantId, hashToken(token), owner, absolute, userAgent === undefined ? null : userAgent.slice(0, USER_AGENT_MAX));
  return token;
}

/** Ends the session holding this token; returns whose it was, if it existed. */
export async function endSessionOf(trx: Tx, tenantId: string, token: string): Promise<repo.SessionOwner | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await repo.remove(trx, tenantId, hashToken(token));
  if (row?.staff_id) return { kind: 'staff', id: row.staff_id };
  if (row?.resident_id) return { kind: 'resident', id: row.resident_id };
  return null;
}

/** Ends the session holding this token; returns the staff id it belonged to, if any. */
export async function endSession(trx: Tx, tenantId: string, token: string): Promise<string | null> {
  const owner = await endSessionOf(trx, tenantId, token);
  return owner?.kind === 'staff' ? owner.id : null;
}

/** Ends every session of one person in the town, inside the caller's transaction; returns how many. */
export function endAllSessions(trx: Tx, tenantId: string, owner: repo.SessionOwner): Promise<number> {
  return repo.removeAll(trx, tenantId, owner);
}

/** The token the request carries, if it looks like one of ours. */
export function sessionToken(req: FastifyRequest): string | undefined {
  const raw = req.cookies[sessionCookieName(req.server.deps.config)];
  return raw !== undefined && TOKEN_PATTERN.test(raw) ? raw : undefined;
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds = ABSOLUTE_TIMEOUT_SECONDS): void {
  const config = reply.server.deps.config;
  reply.setCookie(sessionCookieName(config), token, { ...cookieOptions(config), maxAge: maxAgeSeconds });
}

export function clearSessionCookie(reply: FastifyReply): void {
  const config = reply.server.deps.config;
  reply.clearCookie(sessionCookieName(config), cookieOptions(config));
}

/** Turns a session's staff id into the signed-in person, or null when the account is gone or disabled. */
export type PrincipalLoader = (trx: Tx, tenantId: string, staffId: string) => Promise<StaffPrincipal | null>;
/** Turns a session's resident id into the signed-in resident, or null when the account is gone. */
export type ResidentLoader = (trx: Tx, tenantId: string, residentId: string) => Promise<ResidentPrincipal | null>;

/**
 * The onRequest hook that sets req.staff or req.resident. It runs after the town is known; a
 * request with no town, no cookie, a cookie that is not a token, or a token with no live session in
 * this town is signed out.
 */
export function sessionHook(loadStaff: PrincipalLoader, loadResident?: ResidentLoader) {
  return async function resolveSession(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    req.staff = null;
    req.resident = null;
    const name = sessionCookieName(req.server.deps.config);
    const raw = req.cookies[name];
    if (raw === undefined || !req.tenant) return;
    if (!TOKEN_PATTERN.test(raw)) {
      clearSessionCookie(reply);
      return;
    }
    const tenantId = req.tenant.id;
    const tokenHash = hashToken(raw);
    const cached = cachedSession(tenantId, tokenHash);
    if (cached) {
      setPrincipal(req, cached);
      return;
    }
    const generation = sessionCacheGeneration();
    const found = await req.server.deps.db.withTenant(tenantId, async (trx) => {
      const session = await repo.findLive(trx, tenantId, tokenHash, IDLE_LIMITS, TOUCH_AFTER_SECONDS);
      if (!session) return null;
      let principal: SessionPrincipal | null = null;
      if (session.staff_id) {
        const staff = await loadStaff(trx, tenantId, session.staff_id);
        principal = staff && { staff };
      } else if (session.resident_id && loadResident) {
        const resident = await loadResident(trx, tenantId, session.resident_id);
        principal = resident && { resident };
      }
      if (principal && (session.stale || session.user_agent === null)) await repo.touch(trx, tenantId, tokenHash, userAgentOf(req));
      return principal && { principal, expiresAt: session.expires_at };
    });
    if (!found) return;
    rememberSession(tenantId, tokenHash, found.principal, found.expiresAt, generation);
    setPrincipal(req, found.principal);
  };
}

function setPrincipal(req: FastifyRequest, found: SessionPrincipal): void {
  if ('staff' in found) req.staff = found.staff;
  else req.resident = found.resident;
}

/** Thrown when a page needs someone signed in; pages answer it with a redirect to the sign-in page. */
export class SignInRequired extends AppError {
  constructor(readonly location: string) {
    super('unauthorized', 'sign-in required');
  }
}

/** A return path is accepted only if it stays on this site, under a language prefix. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  if (!/^\/(fr|en)(\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]*)?$/.test(value)) return undefined;
  if (value.includes('//') || value.includes('\\')) return undefined;
  return value;
}

export function signInPath(locale: string, returnTo?: string): string {
  const next = returnTo && safeReturnPath(returnTo);
  return `/${locale}/staff/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`;
}

/** The signed-in staff member, or a redirect to the sign-in page that brings them back here. */
export function requireStaff(req: FastifyRequest, roles?: ReadonlyArray<StaffPrincipal['role']>): StaffPrincipal {
  if (!req.staff) {
    const back = req.method === 'GET' || req.method === 'HEAD' ? req.url : undefined;
    throw new SignInRequired(signInPath(req.locale, back));
  }
  if (roles && !roles.includes(req.staff.role)) throw new AppError('forbidden', 'role not allowed');
  return req.staff;
}

export function residentSignInPath(locale: string, returnTo?: string): string {
  const next = returnTo && safeReturnPath(returnTo);
  return `/${locale}/account/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`;
}

/** The signed-in resident, or a redirect to the residents' sign-in page that brings them back here. */
export function requireResident(req: FastifyRequest): ResidentPrincipal {
  if (!req.resident) {
    const back = req.method === 'GET' || req.method === 'HEAD' ? req.url : undefined;
    throw new SignInRequired(residentSignInPath(req.locale, back));
  }
  return req.resident;
}

/**
 * Answers SignInRequired with a 303 to the sign-in page, for the routes of the plugin it is
 * installed in; every other error goes on to the app's error handler.
 */
export function redirectToSignIn(app: FastifyInstance): void {
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof SignInRequired) return reply.redirect(err.location, 303);
    throw err;
  });
}
