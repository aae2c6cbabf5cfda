/**
 * Open311 API keys: a client needs one to file service requests (POST requests). Administrators
 * create them (the key is shown once; only its sha256 is kept) and revoke them, on the
 * administration screen or with `guichet api-key`. Every change is audited.
 */
import crypto from 'node:crypto';
import type { Database } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { ensure, type Caller } from '../../platform/permissions.ts';
import type { Tenant } from '../tenants/service.ts';
import * as repo from './repo.ts';

export const KEY_NAME_MAX = 120;
const KEY_PREFIX = 'g311_';
/** g311_ and 43 base64url characters (256 random bits). */
const KEY_SHAPE = /^g311_[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY = /^[A-Za-z0-9_-]{16,100}$/;

export interface ApiKeyInfo {
  id: string;
  name: string;
  /** The key's first characters, to tell keys apart (never enough to use it). */
  prefix: string;
  createdAt: Date;
  createdBy: { id: string; name: string } | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type CreatedKey =
  /** The key itself, shown once. */
  | { ok: true; created: true; key: string; info: ApiKeyInfo }
  /** The same form sent again (double click): the key was shown the first time only. */
  | { ok: true; created: false; info: ApiKeyInfo }
  | { ok: false; error: 'nameRequired' | 'nameTooLong' };

export interface KeysCaller extends Caller {
  tenant: Tenant;
}

const hashKey = (key: string) => crypto.createHash('sha256').update(key).digest('hex');

function toInfo(row: Awaited<ReturnType<typeof repo.listKeys>>[number] | NonNullable<Awaited<ReturnType<typeof repo.findById>>>): ApiKeyInfo {
  const creatorName = 'creator_name' in row ? row.creator_name : null;
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    createdBy: row.created_by ? { id: row.created_by, name: creatorName ?? '' } : null,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function checkName(name: string): 'nameRequired' | 'nameTooLong' | null {
  const clean = name.trim();
  if (!clean) return 'nameRequired';
  return [...clean].length > KEY_NAME_MAX ? 'nameTooLong' : null;
}

const staffId = (c: Caller) => (c.principal.kind === 'staff' ? c.principal.id : null);

async function create(db: Database, tenantId: string, name: string, by: string | null, ip: string | null, idempotencyKey: string | null): Promise<CreatedKey> {
  const bad = checkName(name);
  if (bad) return { ok: false, error: bad };
  if (idempotencyKey !== null && !IDEMPOTENCY.test(idempotencyKey)) throw new AppError('badRequest', 'idempotency key');
  const key = KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
  return db.withTenant(tenantId, async (trx) => {
    if (idempotencyKey) {
      const earlier = await repo.findByIdempotencyKey(trx, tenantId, idempotencyKey);
      if (earlier) return { ok: true, created: false, info: toInfo(earlier) } as const;
    }
    const row = await repo.insertKey(trx, { tenantId, name: name.trim(), prefix: key.slice(0, 11), keyHash: hashKey(key), createdBy: by, idempotencyKey });
    if (!row) {
      const same = idempotencyKey ? await repo.findByIdempotencyKey(trx, tenantId, idempotencyKey) : undefined;
      if (!same) throw new Error('api key insert conflicted without an earlier key');
      return { ok: true, created: false, info: toInfo(same) } as const;
    }
    await recordAudit(trx, {
      tenantId,
      actor: by ? { kind: 'staff', id: by } : { kind: 'system' },
      action: 'apiKey.created',
      subject: { kind: 'api_key', id: row.id },
      ip,
      details: { name: row.name, prefix: row.prefix },
    });
    return { ok: true, created: true, key, info: toInfo(row) } as const;
  });
}

async function revoke(db: Database, tenantId: string, id: string, by: string | null, ip: string | null): Promise<ApiKeyInfo> {
  if (!UUID.test(id)) throw new AppError('notFound');
  return db.withTenant(tenantId, async (trx) => {
    const changed = await repo.revoke(trx, tenantId, id, by);
    const row = await repo.findById(trx, tenantId, id);
    if (!row) throw new AppError('notFound');
    if (changed) {
      await recordAudit(trx, {
        tenantId,
        actor: by ? { kind: 'staff', id: by } : { kind: 'system' },
        action: 'apiKey.revoked',
        subject: { kind: 'api_key', id },
        ip,
        details: { name: row.name, prefix: row.prefix },
      });
    }
    return toInfo(row);
  });
}

/** Administrators: the town's keys, newest first (revoked ones included). */
export async function listApiKeys(c: KeysCaller): Promise<ApiKeyInfo[]> {
  await ensure(c, 'apiKey.manage');
  return c.db.withTenant(c.tenant.id, async (trx) => (await repo.listKeys(trx, c.tenant.id)).map(toInfo));
}

/** Administrators: a new key for a client; the key is returned once. */
export async function createApiKey(c: KeysCaller, name: string, idempotencyKey: string | null): Promise<CreatedKey> {
  await ensure(c, 'apiKey.manage');
  return create(c.db, c.tenant.id, name, staffId(c), c.ip, idempotencyKey);
}

/** Administrators: the key stops working at once (revoking twice changes nothing). */
export async function revokeApiKey(c: KeysCaller, id: string): Promise<ApiKeyInfo> {
  await ensure(c, 'apiKey.manage');
  return revoke(c.db, c.tenant.id, id, staffId(c), c.ip);
}

/** The operator (command line): same as above, recorded as done by the system. */
export const operatorKeys = {
  list: (db: Database, tenantId: string) => db.withTenant(tenantId, async (trx) => (await repo.listKeys(trx, tenantId)).map(toInfo)),
  create: (db: Database, tenantId: string, name: string) => create(db, tenantId, name, null, null, null),
  revoke: (db: Database, tenantId: string, id: string) => revoke(db, tenantId, id, null, null),
};

/** The key an API client sent, if it is one of this town's keys still in use. */
export async function authenticateApiKey(db: Database, tenantId: string, key: string): Promise<{ id: string; name: string } | null> {
  if (!KEY_SHAPE.test(key)) return null;
  return db.withTenant(tenantId, async (trx) => {
    const row = await repo.findByHash(trx, tenantId, hashKey(key));
    if (!row || row.revoked_at) return null;
    await repo.touch(trx, tenantId, row.id);
    return { id: row.id, name: row.name };
  });
}
