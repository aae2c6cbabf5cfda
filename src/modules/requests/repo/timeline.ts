/** SQL on request_events, request_photos and request_followers. */
import type { Insertable } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { RequestEventsTable, RequestPhotosTable } from '../../../db/schema.ts';

export function insertEvent(trx: Tx, row: Insertable<RequestEventsTable>) {
  return trx.insertInto('request_events').values(row).returning(['id', 'created_at']).executeTakeFirstOrThrow();
}

export function eventsOf(trx: Tx, tenantId: string, requestId: string, publicOnly: boolean) {
  let q = trx
    .selectFrom('request_events')
    .select(['id', 'kind', 'public', 'author_kind', 'author_id', 'body', 'body_locale', 'from_status', 'to_status', 'details', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId);
  if (publicOnly) q = q.where('public', '=', true);
  return q.orderBy('created_at').orderBy('id').execute();
}

export function insertPhoto(trx: Tx, row: Insertable<RequestPhotosTable>) {
  return trx.insertInto('request_photos').values(row).returning('id').executeTakeFirstOrThrow();
}

export function photosOf(trx: Tx, tenantId: string, requestId: string, publicOnly: boolean) {
  let q = trx
    .selectFrom('request_photos')
    .select(['id', 'content_type', 'size', 'width', 'height', 'public', 'event_id'])
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId);
  if (publicOnly) q = q.where('public', '=', true);
  return q.orderBy('created_at').orderBy('id').execute();
}

export function photoBytes(trx: Tx, tenantId: string, photoId: string) {
  return trx
    .selectFrom('request_photos')
    .select(['id', 'request_id', 'content_type', 'bytes', 'public'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', photoId)
    .executeTakeFirst();
}

/** Adds a follower unless already following; returns the new row or undefined. */
export function insertFollower(
  trx: Tx,
  row: { tenantId: string; requestId: string; residentId: string | null; email: string | null; locale: 'fr' | 'en'; tokenHash: string | null },
) {
  return trx
    .insertInto('request_followers')
    .values({
      tenant_id: row.tenantId,
      request_id: row.requestId,
      resident_id: row.residentId,
      email: row.email,
      locale: row.locale,
      tracking_token_hash: row.tokenHash,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id'])
    .executeTakeFirst();
}

export function followersOf(trx: Tx, tenantId: string, requestId: string) {
  return trx
    .selectFrom('request_followers')
    .select(['id', 'resident_id', 'email', 'locale', 'tracking_token_hash'])
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .execute();
}

export function findFollowerByToken(trx: Tx, tenantId: string, requestId: string, tokenHash: string) {
  return trx
    .selectFrom('request_followers')
    .select(['id', 'resident_id', 'email', 'locale'])
    .where('tenant_id', '=', tenantId)
    .where('request_id', '=', requestId)
    .where('tracking_token_hash', '=', tokenHash)
    .executeTakeFirst();
}

