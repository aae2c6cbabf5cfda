/** For tests of bookings (and the rush benchmark): residents in bulk, callers, and the place accounting. */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ResidentPrincipal } from '../../platform/http.ts';
import * as residentsRepo from '../residents/repo.ts';
import { toPrincipal } from '../residents/service.ts';
import type { Tenant } from '../tenants/service.ts';
import * as repo from './repo.ts';
import type { BookingCaller } from './service.ts';

/**
 * Residents' accounts made directly (as the first sign-in would make them), `count` of them, with
 * unique addresses. Test and benchmark set-up only: real accounts are made by signing in.
 */
export async function makeResidents(db: Database, tenantId: string, count: number, locale: 'fr' | 'en' = 'fr'): Promise<ResidentPrincipal[]> {
  const batch = crypto.randomBytes(4).toString('hex');
  const out: ResidentPrincipal[] = [];
  for (let start = 0; start < count; start += 500) {
    const made = await db.withTenant(tenantId, async (trx) => {
      const rows: ResidentPrincipal[] = [];
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const { row } = await residentsRepo.insertResidentOnce(trx, tenantId, `resident-${batch}-${i}@example.test`, locale);
        rows.push(toPrincipal(row));
      }
      return rows;
    });
    out.push(...made);
  }
  return out;
}

export function callerFor(db: Database, tenant: Tenant, resident: ResidentPrincipal): BookingCaller {
  return { db, tenant, resident, ip: null, publicUrl: 'http://guichet.test' };
}

export interface SessionAccount {
  id: string;
  capacity: number;
  /** The session's counter. */
  taken: number;
  /** Bookings held or confirmed. */
  live: number;
  confirmed: number;
}

/** Per session: the counter and the bookings that hold a place. Right when taken = live <= capacity everywhere. */
export async function placeAccounting(db: Database, tenantId: string, activityId: string | null = null): Promise<SessionAccount[]> {
  return db.withTenant(tenantId, (trx) => repo.placeAccounting(trx, tenantId, activityId));
}

/** Makes holds run out now (tests cannot wait minutes): all the town's live holds, or the ones given. */
export async function lapseHolds(db: Database, tenantId: string, bookingIds?: string[]): Promise<number> {
  return db.withTenant(tenantId, async (trx) => {
    let query = trx
      .updateTable('bookings')
      .set({ hold_expires_at: sql<Date>`now() - interval '1 second'` })
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'held');
    if (bookingIds) query = query.where('id', 'in', bookingIds.length > 0 ? bookingIds : ['00000000-0000-0000-0000-000000000000']);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}

/** A fresh form key, as the pages make them. */
export { newIdempotencyKey as newKey } from './service.ts';
