import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Counts one hit in the key's window; a window that has ended starts again at 1. */
export async function hit(db: Kysely<DB>, key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
  const row = await sql<{ count: number; ttl_ms: number }>`
    insert into rate_limit_counters as c (key, count, reset_at)
    values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
    on conflict (key) do update set
      count = case when c.reset_at <= now() then 1 else c.count + 1 end,
      reset_at = case when c.reset_at <= now() then excluded.reset_at else c.reset_at end
    returning count, ceil(extract(epoch from (reset_at - now())) * 1000)::int as ttl_ms
  `.execute(db);
  const first = row.rows[0]!;
  return { count: first.count, ttlMs: Math.max(0, first.ttl_ms) };
}

export async function peek(db: Kysely<DB>, key: string): Promise<{ count: number; ttlMs: number }> {
  const row = await sql<{ count: number; ttl_ms: number }>`
    select count, ceil(extract(epoch from (reset_at - now())) * 1000)::int as ttl_ms
    from rate_limit_counters where key = ${key} and reset_at > now()
  `.execute(db);
  const first = row.rows[0];
  return first ? { count: first.count, ttlMs: first.ttl_ms } : { count: 0, ttlMs: 0 };
}

export async function purgeExpired(db: Kysely<DB>): Promise<number> {
  const res = await db.deleteFrom('rate_limit_counters').where('reset_at', '<', sql<Date>`now()`).executeTakeFirst();
  return Number(res.numDeletedRows);
}
