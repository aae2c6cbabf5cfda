/**
 * Live sessions seen in the last few seconds, kept in this process's memory so that a person's
 * next click (the confirmation right after the hold, the page after the form) does not look the
 * session up again: on registration day that lookup was a third of the statements of a booking.
 *
 * What keeps it honest:
 * - An entry lives `SESSION_CACHE_SECONDS` (5 by default, 0 turns the cache off) and never past
 *   the session's absolute expiry. Idle time-outs (30 minutes, 2 hours) are far longer than that.
 * - Every change that can end a session or change who someone is (sign-out, ending sessions,
 *   disabling an account, a role, two-step verification removed, a resident's name, email or
 *   language) calls `principalsChanged(trx)`: the whole cache is dropped when that transaction
 *   commits, and a lookup that read the database before the commit cannot put its older answer
 *   back (generation check).
 * - Several processes on one PostgreSQL database each have their own cache: a change made in one
 *   process reaches the others within `SESSION_CACHE_SECONDS`. One process (always the case with
 *   the embedded database) sees its own changes at once.
 * Only positive answers are kept: a missing or refused session is looked up every time.
 */
import { afterCommit, type Tx } from '../../db/database.ts';
import type { ResidentPrincipal, StaffPrincipal } from '../http.ts';

export type SessionPrincipal = { staff: StaffPrincipal } | { resident: ResidentPrincipal };

interface Entry {
  principal: SessionPrincipal;
  /** Epoch ms after which the entry is not used. */
  until: number;
}

/** Bounded: the oldest entries go first when it is full. */
const MAX_ENTRIES = 20_000;
const entries = new Map<string, Entry>();
let generation = 0;
let ttlMs = 5_000;

/** Sets how long an entry is used, in seconds (0: no cache). Called once at start with the config. */
export function setSessionCacheSeconds(seconds: number): void {
  ttlMs = Math.max(0, seconds) * 1000;
  if (ttlMs === 0) forgetSessions();
}

const keyOf = (tenantId: string, tokenHash: string) => `${tenantId}:${tokenHash}`;

/** The principal of a session seen less than SESSION_CACHE_SECONDS ago, if any. */
export function cachedSession(tenantId: string, tokenHash: string, now = Date.now()): SessionPrincipal | undefined {
  if (ttlMs === 0) return undefined;
  const key = keyOf(tenantId, tokenHash);
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.until <= now) {
    entries.delete(key);
    return undefined;
  }
  return entry.principal;
}

/** Where the cache stands before a lookup: pass it back to rememberSession. */
export function sessionCacheGeneration(): number {
  return generation;
}

/**
 * Keeps what a lookup found, unless a change committed since the lookup began (the generation
 * moved on): its answer may predate that change.
 */
export function rememberSession(tenantId: string, tokenHash: string, principal: SessionPrincipal, expiresAt: Date, seenGeneration: number, now = Date.now()): void {
  if (ttlMs === 0 || seenGeneration !== generation) return;
  const until = Math.min(now + ttlMs, expiresAt.getTime());
  if (until <= now) return;
  if (entries.size >= MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  entries.set(keyOf(tenantId, tokenHash), { principal, until });
}

/** Drops every entry. Tests that change session rows behind the application's back call it too. */
export function forgetSessions(): void {
  generation += 1;
  entries.clear();
}

/**
 * To be called by every write that can end a session or change a signed-in person (see the header).
 * The cache is dropped now and again once the transaction has committed, so no request keeps
 * using what the transaction changed.
 */
export function principalsChanged(trx: Tx): void {
  forgetSessions();
  afterCommit(trx, forgetSessions);
}
