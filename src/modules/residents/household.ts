/**
 * A resident's household: the people they act for (children, spouse, another dependant). A
 * resident only ever reaches their own household's members: a member of someone else's is "not
 * found", like an id that does not exist. Limits: 12 people, one spouse or partner.
 */
import { recordAudit } from '../../platform/audit.ts';
import { ensure } from '../../platform/permissions.ts';
import * as repo from './repo.ts';
import { HOUSEHOLD_MAX, UUID, type Relationship } from './schemas.ts';
import { residentPrincipal, type ResidentCaller } from './service.ts';

export interface Member {
  id: string;
  name: string;
  /** YYYY-MM-DD */
  birthDate: string;
  relationship: Relationship;
}

export interface MemberInput {
  name: string;
  birthDate: string;
  relationship: Relationship;
}

export type MemberChange = { ok: true; member: Member } | { ok: false; error: 'tooMany' | 'oneSpouse' };

type MemberRow = Awaited<ReturnType<typeof repo.listMembers>>[number];

function toMember(row: MemberRow): Member {
  return { id: row.id, name: row.name, birthDate: row.birth_date, relationship: row.relationship };
}

const profileOf = (c: ResidentCaller) => ({ kind: 'residentProfile' as const, tenantId: c.tenant.id, residentId: c.resident.id });
const callerOf = (c: ResidentCaller) => ({ db: c.db, principal: residentPrincipal(c.tenant.id, c.resident), ip: c.ip });
const actorOf = (c: ResidentCaller) => ({ kind: 'resident' as const, id: c.resident.id });
const row = (input: MemberInput): repo.MemberRow => ({ name: input.name, birthDate: input.birthDate, relationship: input.relationship });

export async function listHousehold(c: ResidentCaller): Promise<Member[]> {
  await ensure(callerOf(c), 'resident.viewProfile', profileOf(c));
  const rows = await c.db.withTenant(c.tenant.id, (trx) => repo.listMembers(trx, c.tenant.id, c.resident.id));
  return rows.map(toMember);
}

/** One member of the resident's household; null for an unknown id or someone else's member. */
export async function getMember(c: ResidentCaller, id: string): Promise<Member | null> {
  await ensure(callerOf(c), 'resident.viewProfile', profileOf(c));
  if (!UUID.test(id)) return null;
  const found = await c.db.withTenant(c.tenant.id, (trx) => repo.findMember(trx, c.tenant.id, c.resident.id, id.toLowerCase()));
  return found ? toMember(found) : null;
}

export async function addMember(c: ResidentCaller, input: MemberInput): Promise<MemberChange> {
  await ensure(callerOf(c), 'resident.updateProfile', profileOf(c));
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx): Promise<MemberChange> => {
    await repo.lockResident(trx, tenantId, c.resident.id);
    const members = await repo.listMembers(trx, tenantId, c.resident.id);
    if (members.length >= HOUSEHOLD_MAX) return { ok: false, error: 'tooMany' };
    if (input.relationship === 'spouse' && members.some((m) => m.relationship === 'spouse')) return { ok: false, error: 'oneSpouse' };
    const saved = await repo.insertMember(trx, tenantId, c.resident.id, row(input));
    await recordAudit(trx, {
      tenantId,
      actor: actorOf(c),
      action: 'household.memberAdded',
      subject: { kind: 'householdMember', id: saved.id },
      ip: c.ip,
      details: { relationship: saved.relationship },
    });
    return { ok: true, member: toMember(saved) };
  });
}

/** Changes a member; null when the resident has no such member. */
export async function updateMember(c: ResidentCaller, id: string, input: MemberInput): Promise<MemberChange | null> {
  await ensure(callerOf(c), 'resident.updateProfile', profileOf(c));
  if (!UUID.test(id)) return null;
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx): Promise<MemberChange | null> => {
    await repo.lockResident(trx, tenantId, c.resident.id);
    const members = await repo.listMembers(trx, tenantId, c.resident.id);
    const current = members.find((m) => m.id === id.toLowerCase());
    if (!current) return null;
    if (input.relationship === 'spouse' && members.some((m) => m.relationship === 'spouse' && m.id !== current.id)) {
      return { ok: false, error: 'oneSpouse' };
    }
    const saved = await repo.updateMember(trx, tenantId, c.resident.id, current.id, row(input));
    if (!saved) return null;
    const fields = (['name', 'birthDate', 'relationship'] as const).filter((k) => input[k] !== toMember(current)[k]);
    await recordAudit(trx, {
      tenantId,
      actor: actorOf(c),
      action: 'household.memberUpdated',
      subject: { kind: 'householdMember', id: saved.id },
      ip: c.ip,
      details: { fields },
    });
    return { ok: true, member: toMember(saved) };
  });
}

/** Removes a member; returns who was removed, or null when the resident has no such member. */
export async function removeMember(c: ResidentCaller, id: string): Promise<Member | null> {
  await ensure(callerOf(c), 'resident.updateProfile', profileOf(c));
  if (!UUID.test(id)) return null;
  const tenantId = c.tenant.id;
  return c.db.withTenant(tenantId, async (trx) => {
    const found = await repo.findMember(trx, tenantId, c.resident.id, id.toLowerCase());
    if (!found) return null;
    await repo.deleteMember(trx, tenantId, c.resident.id, found.id);
    await recordAudit(trx, {
      tenantId,
      actor: actorOf(c),
      action: 'household.memberRemoved',
      subject: { kind: 'householdMember', id: found.id },
      ip: c.ip,
      details: { relationship: found.relationship },
    });
    return toMember(found);
  });
}
