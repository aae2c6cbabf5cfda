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
 * - Several processes on one PostgreSQL database each have their own cache: the transaction that
 *   makes such a change also sends a notification (NOTIFY guichet_principals, delivered at commit),
 *   and every process listens for it on a connection of its own and drops its cache. While that
 *   connection is down, the cache is not used at all on PostgreSQL. One process (always the case
 *   with the embedded database) sees its own changes at once.
 * Only positive answers are kept: a missing or refused session is looked up every time.
 */
import { afterCommit, beforeCommit, type Database, type Tx } from '../../db/database.ts';
import { notifyPrincipalsChanged } from './repo.ts';
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
/** On PostgreSQL the cache is used only while this process hears the others' changes. */
let needsListener = false;
let listeners = 0;

const usable = () => ttlMs > 0 && (!needsListener || listeners > 0);

/** The channel on which a change that can end a session or change a person is announced. */
export const PRINCIPALS_CHANNEL = 'guichet_principals';

/**
 * Listens for the other processes' changes (PostgreSQL); returns how to stop. Until the listening
 * connection is up, and whenever it is lost, the cache is not used.
 */
export async function listenForPrincipalChanges(db: Database): Promise<() => Promise<void>> {
  if (db.engine === 'postgres') needsListener = true;
  let counted = false;
  const handle = await db.listen(PRINCIPALS_CHANNEL, forgetSessions, (listening) => {
    if (listening && !counted) {
      counted = true;
      listeners += 1;
    } else if (!listening && counted) {
      counted = false;
      listeners -= 1;
      forgetSessions();
    }
  });
  return handle ? () => handle.close() : async () => {};
}

/** Sets how long an entry is used, in seconds (0: no cache). Called once at start with the config. */
export function setSessionCacheSeconds(seconds: number): void {
  ttlMs = Math.max(0, seconds) * 1000;
  if (ttlMs === 0) forgetSessions();
}

const keyOf = (tenantId: string, tokenHash: string) => `${tenantId}:${tokenHash}`;

/** The principal of a session seen less than SESSION_CACHE_SECONDS ago, if any. */
export function cachedSession(tenantId: string, tokenHash: string, now = Date.now()): SessionPrincipal | undefined {
  if (!usable()) return undefined;
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
  if (!usable() || seenGeneration !== generation) return;
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
 * using what the transaction changed; the other processes are told at commit (once per transaction).
 */
export function principalsChanged(trx: Tx): void {
  forgetSessions();
  afterCommit(trx, forgetSessions);
  beforeCommit(trx, PRINCIPALS_CHANNEL, notifyPrincipalsChanged);
}
