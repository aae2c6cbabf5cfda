/**
 * The town's catalogue of request types: list, search (accents and case ignored, in both
 * languages, names, groups, descriptions and keywords), one type with its questions, and the
 * town's area. Anyone may read the catalogue.
 */
import type { Database, Tx } from '../../db/database.ts';
import { toArea, toQuestion, toType } from './map.ts';
import * as repo from './repo/catalogue.ts';
import type { RequestType, RequestTypeWithQuestions, TownArea } from './types.ts';

/** Lower case without accents: "Nid-de-poule ÉCLAIRAGE" → "nid-de-poule eclairage". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

const haystack = (t: RequestType) =>
  fold([t.name.fr, t.name.en, t.group.fr, t.group.en, t.description.fr, t.description.en, ...t.keywords].join(' \u0001 '));

/** Types matching every word of the query (all types when it is blank), in catalogue order. */
export function searchTypes(types: readonly RequestType[], query: string): RequestType[] {
  const words = fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  if (words.length === 0) return [...types];
  return types.filter((t) => {
    const text = haystack(t);
    return words.every((w) => text.includes(w));
  });
}

/** The active types of the town, optionally filtered by a search. */
export async function listRequestTypes(db: Database, tenantId: string, query = ''): Promise<RequestType[]> {
  const rows = await db.withTenant(tenantId, (trx) => repo.listTypes(trx, tenantId, true));
  return searchTypes(rows.map(toType), query.slice(0, 200));
}

/** Every type, active or not, with its questions (Open311 services, administration). */
export async function listAllRequestTypes(db: Database, tenantId: string): Promise<RequestTypeWithQuestions[]> {
  return db.withTenant(tenantId, async (trx) => {
    const types = (await repo.listTypes(trx, tenantId, false)).map(toType);
    const questions = await repo.questionsOf(trx, tenantId, types.map((t) => t.id));
    return types.map((t) => ({ ...t, questions: questions.filter((q) => q.type_id === t.id).map(toQuestion) }));
  });
}

/** Inside a transaction: a type by code with its questions (inactive types included). */
export async function typeByCode(trx: Tx, tenantId: string, code: string): Promise<RequestTypeWithQuestions | null> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(code)) return null;
  const row = await repo.findTypeByCode(trx, tenantId, code);
  if (!row) return null;
  const questions = await repo.questionsOf(trx, tenantId, [row.id]);
  return { ...toType(row), questions: questions.map(toQuestion) };
}

/** An active type by its code with its questions, or null. */
export async function getRequestType(db: Database, tenantId: string, code: string): Promise<RequestTypeWithQuestions | null> {
  const type = await db.withTenant(tenantId, (trx) => typeByCode(trx, tenantId, code));
  return type && type.active ? type : null;
}

/** Inside a transaction: the town's area, or null when none is set (then any point is accepted). */
export async function areaIn(trx: Tx, tenantId: string): Promise<TownArea | null> {
  const row = await repo.findArea(trx, tenantId);
  return row ? toArea(row) : null;
}

export async function getTownArea(db: Database, tenantId: string): Promise<TownArea | null> {
  return db.withTenant(tenantId, (trx) => areaIn(trx, tenantId));
}
