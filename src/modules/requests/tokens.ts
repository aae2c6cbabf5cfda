/**
 * Private tracking links. The token is derived from values only the requester's form and the
 * database know (the form's random idempotency key and the request's random id), so a double
 * submit finds the same link again and later emails can repeat it; only its sha256 is stored for
 * lookups. An email follower's token is derived from the request's secrets and their address, so it
 * too can be repeated in every email (and made again for the kept request after a merge).
 */
import crypto from 'node:crypto';

const derive = (...parts: string[]) => crypto.createHash('sha256').update(parts.join('\0')).digest('base64url');

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export function requesterToken(requestId: string, idempotencyKey: string): string {
  return derive('guichet-request-tracking', requestId, idempotencyKey);
}

export function followerToken(requestId: string, idempotencyKey: string, email: string): string {
  return derive('guichet-request-follower', requestId, idempotencyKey, email.trim().toLowerCase());
}

/** Compares a token given in a link with the expected one without leaking where they differ. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** What a token in a URL looks like (43 base64url characters); anything else is not looked up. */
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;
