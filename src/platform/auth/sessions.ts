/**
 * "Your sessions": a staff member or a resident sees where they are signed in and ends the
 * sessions they do not recognize. A person only ever sees and ends their own sessions in this town;
 * the session they are using is ended by signing out, not from the list.
 */
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../audit.ts';
import * as repo from './repo.ts';
import { hashToken, IDLE_LIMITS, type SessionOwner } from './session.ts';
import { summarizeUserAgent, type DeviceSummary } from './user-agent.ts';

export interface SessionInfo extends DeviceSummary {
  /** The handle the page uses to end this session. */
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The session of the browser looking at the page. */
  current: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The person's live sessions in this town, the one in use first, then the most recently used. */
export async function listMySessions(db: Database, tenantId: string, owner: SessionOwner, currentToken: string): Promise<SessionInfo[]> {
  const currentHash = hashToken(currentToken);
  const rows = await db.withTenant(tenantId, (trx) => repo.listLive(trx, tenantId, owner, IDLE_LIMITS[owner.kind]));
  const sessions = rows.map((row) => ({
    id: row.id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    current: row.token_hash === currentHash,
    ...summarizeUserAgent(row.user_agent),
  }));
  return [...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)];
}

/** Ends one of the person's other sessions; false when they have no such session (or it is the one in use). */
export async function endMySession(
  db: Database,
  tenantId: string,
  owner: SessionOwner,
  currentToken: string,
  sessionId: string,
  ip: string | null,
): Promise<boolean> {
  if (!UUID.test(sessionId)) return false;
  return db.withTenant(tenantId, async (trx) => {
    const ended = await repo.removeById(trx, tenantId, owner, sessionId.toLowerCase(), hashToken(currentToken));
    if (ended) {
      await recordAudit(trx, { tenantId, actor: owner, action: 'session.ended', subject: { kind: 'session', id: sessionId.toLowerCase() }, ip });
    }
    return ended;
  });
}

/** Ends every session of the person but the one in use ("sign out everywhere else"). */
export async function endMyOtherSessions(db: Database, tenantId: string, owner: SessionOwner, currentToken: string, ip: string | null): Promise<number> {
  return db.withTenant(tenantId, async (trx) => {
    const count = await repo.removeOthers(trx, tenantId, owner, hashToken(currentToken));
    await recordAudit(trx, { tenantId, actor: owner, action: 'session.endedOthers', ip, details: { count } });
    return count;
  });
}
