/**
 * Merging duplicates: the duplicate is closed and points to the kept request; its requester and
 * followers now follow the kept one (and get its updates); both timelines say so; the duplicate's
 * people are told by email, with the kept request's reference. One transaction.
 */
import { recordAudit } from '../../../platform/audit.ts';
import { translator, type Locale } from '../../../platform/i18n.ts';
import { formatReference, parseReference } from '../../../platform/reference.ts';
import { ensure } from '../../../platform/permissions.ts';
import { mailUpdate } from '../mail.ts';
import { mailRequestOf } from '../report.ts';
import * as casework from '../repo/casework.ts';
import * as repo from '../repo/requests.ts';
import * as timeline from '../repo/timeline.ts';
import { followerToken, hashToken } from '../tokens.ts';
import type { RequestsCaller } from '../types.ts';
import { caseResource, INTERNAL_NOTE_MAX } from './casework.ts';

export type MergeError = 'unknownKept' | 'same' | 'duplicateClosed' | 'keptClosed' | 'tooLong';
export type MergeResult = { ok: true; kept: string; followersAdded: number } | { ok: false; error: MergeError };

/**
 * Merges the case `duplicateRef` into `keptRef` (references as people type them). `note` is an
 * optional public word to the duplicate's requester; without it they read a standard sentence.
 */
export async function mergeInto(c: RequestsCaller, duplicateRef: string, keptRef: string, note: string | null, noteLocale: Locale): Promise<MergeResult> {
  const dup = await caseResource(c, duplicateRef);
  await ensure(c, 'request.update', dup.resource);
  const keptStored = parseReference(keptRef);
  if (!keptStored) return { ok: false, error: 'unknownKept' };
  let kept;
  try {
    kept = await caseResource(c, keptStored);
  } catch {
    return { ok: false, error: 'unknownKept' };
  }
  await ensure(c, 'request.update', kept.resource);
  if (kept.row.id === dup.row.id) return { ok: false, error: 'same' };
  const text = (note ?? '').trim();
  if ([...text].length > INTERNAL_NOTE_MAX) return { ok: false, error: 'tooLong' };
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const lockedDup = await repo.lockForUpdate(trx, tenantId, dup.row.id);
    const lockedKept = await repo.lockForUpdate(trx, tenantId, kept.row.id);
    if (!lockedDup || lockedDup.status === 'closed') return { ok: false, error: 'duplicateClosed' } as const;
    if (!lockedKept || lockedKept.status === 'closed') return { ok: false, error: 'keptClosed' } as const;
    const keptRow = (await repo.findById(trx, tenantId, kept.row.id))!;
    const dupRow = (await repo.findById(trx, tenantId, dup.row.id))!;
    // The duplicate's requester and followers follow the kept request from now on.
    const people: Array<{ residentId: string | null; email: string | null; locale: Locale }> = [];
    if (dupRow.resident_id) people.push({ residentId: dupRow.resident_id, email: null, locale: dupRow.locale });
    else if (dupRow.contact_email) people.push({ residentId: null, email: dupRow.contact_email, locale: dupRow.locale });
    for (const f of await timeline.followersOf(trx, tenantId, dupRow.id)) people.push({ residentId: f.resident_id, email: f.email, locale: f.locale });
    let added = 0;
    for (const p of people) {
      if (p.residentId && p.residentId === keptRow.resident_id) continue;
      if (p.email && keptRow.contact_email && p.email.toLowerCase() === keptRow.contact_email.toLowerCase()) continue;
      const token = p.email ? followerToken(keptRow.id, keptRow.idempotency_key, p.email) : null;
      const row = await timeline.insertFollower(trx, { tenantId, requestId: keptRow.id, residentId: p.residentId, email: p.email, locale: p.locale, tokenHash: token ? hashToken(token) : null });
      if (row) added++;
    }
    await casework.markMerged(trx, tenantId, dupRow.id, keptRow.id);
    const keptReference = formatReference(keptRow.reference);
    const publicNote = text || translator(dupRow.locale)('queue.merge.publicNote', { reference: keptReference });
    const event = await timeline.insertEvent(trx, {
      tenant_id: tenantId,
      request_id: dupRow.id,
      kind: 'merged',
      public: true,
      author_kind: 'staff',
      author_id: c.principal.kind === 'staff' ? c.principal.id : null,
      body: publicNote,
      body_locale: text ? noteLocale : (dupRow.locale),
      from_status: dupRow.status,
      to_status: 'closed',
      details: JSON.stringify({ into: keptRow.id, reference: keptReference }),
    });
    await timeline.insertEvent(trx, {
      tenant_id: tenantId,
      request_id: keptRow.id,
      kind: 'merged',
      public: false,
      author_kind: 'staff',
      author_id: c.principal.kind === 'staff' ? c.principal.id : null,
      details: JSON.stringify({ from: dupRow.id, reference: formatReference(dupRow.reference), followersAdded: added }),
    });
    await repo.touch(trx, tenantId, keptRow.id);
    const closedDup = (await repo.findById(trx, tenantId, dupRow.id))!;
    await mailUpdate(trx, { tenant: c.tenant, publicUrl: c.publicUrl }, mailRequestOf(closedDup, closedDup.type_name), event.id, 'closed', publicNote);
    await recordAudit(trx, {
      tenantId,
      actor: { kind: 'staff', id: c.principal.kind === 'staff' ? c.principal.id : null },
      action: 'requestCase.merged',
      subject: { kind: 'request', id: dupRow.id },
      ip: c.ip,
      details: { into: keptRow.id, followersAdded: added },
    });
    return { ok: true, kept: keptReference, followersAdded: added } as const;
  });
}
