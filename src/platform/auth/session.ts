/**
 * Staff sessions kept on the server. The browser holds a random 32-byte token in an HttpOnly,
 * SameSite=Lax cookie (Secure in production); the database holds only its SHA-256, so a leaked
 * table hands out no live session. A session belongs to one town: it is looked up inside that
 * town's transaction, so row-level security makes another town's session invisible. Sessions end
 * after 30 idle minutes or 12 hours, whichever comes first; sign-in always issues a new token.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Tx } from '../../db/database.ts';
import type { StaffPrincipal } from '../http.ts';
import { AppError } from '../errors.ts';
import * as repo from './repo.ts';

export const IDLE_TIMEOUT_SECONDS = 30 * 60;
export const ABSOLUTE_TIMEOUT_SECONDS = 12 * 60 * 60;
/** last_seen_at is written at most once a minute per session, not on every request. */
const TOUCH_AFTER_SECONDS = 60;
/** 32 random bytes in base64url. Anything else in the cookie is not ours: treat as signed out. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

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

/** Starts a session for a staff member inside the caller's transaction; returns the cookie's token. */
export async function createSession(trx: Tx, tenantId: string, staffId: string): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await repo.removeDead(trx, tenantId, staffId, IDLE_TIMEOUT_SECONDS);
  await repo.insert(trx, tenantId, hashToken(token), staffId, ABSOLUTE_TIMEOUT_SECONDS);
  return token;
}

/** Ends the session holding this token; returns the staff id it belonged to, if any. */
export async function endSession(trx: Tx, tenantId: string, token: string): Promise<string | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  return repo.remove(trx, tenantId, hashToken(token));
}

/** The token the request carries, if it looks like one of ours. */
export function sessionToken(req: FastifyRequest): string | undefined {
  const raw = req.cookies[sessionCookieName(req.server.deps.config)];
  return raw !== undefined && TOKEN_PATTERN.test(raw) ? raw : undefined;
}

export function setSessionCookie(reply: FastifyReply, token: string): void {
  const config = reply.server.deps.config;
  reply.setCookie(sessionCookieName(config), token, { ...cookieOptions(config), maxAge: ABSOLUTE_TIMEOUT_SECONDS });
}

export function clearSessionCookie(reply: FastifyReply): void {
  const config = reply.server.deps.config;
  reply.clearCookie(sessionCookieName(config), cookieOptions(config));
}

/** Turns a session's staff id into the signed-in person, or null when the account is gone or disabled. */
export type PrincipalLoader = (trx: Tx, tenantId: string, staffId: string) => Promise<StaffPrincipal | null>;

/**
 * The onRequest hook that sets req.staff. It runs after the town is known; a request with no town,
 * no cookie, a cookie that is not a token, or a token with no live session in this town is signed out.
 */
export function sessionHook(loadPrincipal: PrincipalLoader) {
  return async function resolveSession(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    req.staff = null;
    const name = sessionCookieName(req.server.deps.config);
    const raw = req.cookies[name];
    if (raw === undefined || !req.tenant) return;
    if (!TOKEN_PATTERN.test(raw)) {
      clearSessionCookie(reply);
      return;
    }
    const tenantId = req.tenant.id;
    const tokenHash = hashToken(raw);
    req.staff = await req.server.deps.db.withTenant(tenantId, async (trx) => {
      const session = await repo.findLive(trx, tenantId, tokenHash, IDLE_TIMEOUT_SECONDS, TOUCH_AFTER_SECONDS);
      if (!session?.staff_id) return null;
      const principal = await loadPrincipal(trx, tenantId, session.staff_id);
      if (principal && session.stale) await repo.touch(trx, tenantId, tokenHash);
      return principal;
    });
  };
}

/** Thrown when a page needs a signed-in staff member; pages answer it with a redirect to sign-in. */
export class SignInRequired extends AppError {
  constructor(readonly location: string) {
    super('unauthorized', 'staff sign-in required');
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
