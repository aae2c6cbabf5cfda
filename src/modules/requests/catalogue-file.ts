/**
 * A town's catalogue of request types as a JSON file, for the town's IT person: what types the
 * town takes, the questions each one asks (Open311 datatypes), and the town's area. Checked whole
 * before anything is written; every problem is reported with where it is in the file. Importing
 * creates the types or updates them by code, in one transaction.
 *
 *   { "types": [{ "code": "pothole", "name": { "fr": "Nid-de-poule", "en": "Pothole" },
 *                 "department": "Travaux publics", "targetHours": 96, "allowAnonymous": true, "keywords": ["trou", "hole"],
 *                 "questions": [{ "code": "size", "datatype": "singlevaluelist", "required": true,
 *                                 "label": { "fr": "Taille", "en": "Size" },
 *                                 "values": [{ "key": "small", "name": { "fr": "Petit", "en": "Small" } }] }] }],
 *     "area": { "minLat": 46.8, "minLng": -71.4, "maxLat": 46.9, "maxLng": -71.2,
 *               "center": { "lat": 46.85, "lng": -71.3 }, "zoom": 14 } }
 */
import type { Database } from '../../db/database.ts';
import type { Bilingual, QuestionDatatype } from '../../db/schema.ts';
import { departmentsOfTown } from '../departments/service.ts';
import { defineRequestType, setTownArea, type QuestionDefinition, type TypeDefinition } from './setup.ts';
import type { TownArea } from './types.ts';

const DATATYPES: readonly QuestionDatatype[] = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'];
const TYPE_CODE = /^[a-z0-9][a-z0-9-]{1,62}$/;
const QUESTION_CODE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** A type as the file gives it: its department by name (French or English), found at import. */
export type ImportedType = TypeDefinition & { department?: string };

export interface Catalogue {
  types: ImportedType[];
  area: TownArea | null;
}
export type CatalogueResult = { ok: true; catalogue: Catalogue } | { ok: false; errors: string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed JSON catalogue; the errors name the place, e.g. `types[2].questions[0].label.en`. */
export function parseCatalogue(input: unknown): CatalogueResult {
  const errors: string[] = [];
  const bilingual = (v: unknown, at: string, max: number, required: boolean): Bilingual | undefined => {
    if (v === undefined && !required) return undefined;
    if (!isObj(v)) return void errors.push(`${at}: must be { "fr": "…", "en": "…" }`);
    for (const l of ['fr', 'en'] as const) {
      const s = v[l];
      if (typeof s !== 'string' || (required && s.trim() === '') || s.length > max) errors.push(`${at}.${l}: ${required ? 'required, ' : ''}text of at most ${max} characters`);
    }
    return { fr: typeof v.fr === 'string' ? v.fr : '', en: typeof v.en === 'string' ? v.en : '' };
  };
  const question = (q: unknown, at: string): QuestionDefinition | undefined => {
    if (!isObj(q)) return void errors.push(`${at}: must be an object`);
    if (typeof q.code !== 'string' || !QUESTION_CODE.test(q.code)) errors.push(`${at}.code: lowercase letters, digits, - or _ (at most 63)`);
    if (!DATATYPES.includes(q.datatype as QuestionDatatype)) errors.push(`${at}.datatype: one of ${DATATYPES.join(', ')}`);
    if (q.required !== undefined && typeof q.required !== 'boolean') errors.push(`${at}.required: true or false`);
    const label = bilingual(q.label, `${at}.label`, 200, true);
    const help = bilingual(q.help, `${at}.help`, 500, false);
    const isList = q.datatype === 'singlevaluelist' || q.datatype === 'multivaluelist';
    const values: NonNullable<QuestionDefinition['values']> = [];
    if (isList) {
      if (!Array.isArray(q.values) || q.values.length === 0 || q.values.length > 50) errors.push(`${at}.values: a list of 1 to 50 choices`);
      else {
        const keys = new Set<string>();
        q.values.forEach((v, i) => {
          if (!isObj(v) || typeof v.key !== 'string' || !QUESTION_CODE.test(v.key) || keys.has(v.key)) return void errors.push(`${at}.values[${i}].key: a unique code (lowercase letters, digits, - or _)`);
          keys.add(v.key);
          const name = bilingual(v.name, `${at}.values[${i}].name`, 200, true);
          if (name) values.push({ key: v.key, name });
        });
      }
    } else if (q.values !== undefined) errors.push(`${at}.values: only for singlevaluelist and multivaluelist`);
    if (!label) return undefined;
    return { code: String(q.code), datatype: q.datatype as QuestionDatatype, required: q.required === true, label, ...(help ? { help } : {}), ...(isList ? { values } : {}) };
  };

  if (!isObj(input)) return { ok: false, errors: ['the file must hold an object with "types" (and optionally "area")'] };
  const types: ImportedType[] = [];
  if (!Array.isArray(input.types) || input.types.length === 0 || input.types.length > 200) errors.push('types: a list of 1 to 200 request types');
  else {
    const codes = new Set<string>();
    input.types.forEach((t, i) => {
      const at = `types[${i}]`;
      if (!isObj(t)) return void errors.push(`${at}: must be an object`);
      if (typeof t.code !== 'string' || !TYPE_CODE.test(t.code) || codes.has(t.code)) errors.push(`${at}.code: a unique code of 2 to 63 lowercase letters, digits or -`);
      else codes.add(t.code);
      const name = bilingual(t.name, `${at}.name`, 120, true);
      const description = bilingual(t.description, `${at}.description`, 2000, false);
      const group = bilingual(t.group, `${at}.group`, 120, false);
      if (t.keywords !== undefined && (!Array.isArray(t.keywords) || t.keywords.length > 30 || t.keywords.some((k) => typeof k !== 'string' || k.length < 1 || k.length > 60))) errors.push(`${at}.keywords: at most 30 words of 1 to 60 characters`);
      if (t.targetHours !== undefined && (!Number.isInteger(t.targetHours) || (t.targetHours as number) < 1 || (t.targetHours as number) > 8760)) errors.push(`${at}.targetHours: a whole number of hours from 1 to 8760`);
      if (t.department !== undefined && (typeof t.department !== 'string' || t.department.trim() === '' || t.department.length > 120)) errors.push(`${at}.department: the department's French or English name`);
      for (const flag of ['allowAnonymous', 'active'] as const) if (t[flag] !== undefined && typeof t[flag] !== 'boolean') errors.push(`${at}.${flag}: true or false`);
      const questions: QuestionDefinition[] = [];
      if (t.questions !== undefined && (!Array.isArray(t.questions) || t.questions.length > 30)) errors.push(`${at}.questions: a list of at most 30 questions`);
      else if (Array.isArray(t.questions)) {
        const qcodes = new Set<string>();
        t.questions.forEach((q, j) => {
          const parsed = question(q, `${at}.questions[${j}]`);
          if (parsed && qcodes.has(parsed.code)) errors.push(`${at}.questions[${j}].code: "${parsed.code}" is used twice`);
          if (parsed) {
            qcodes.add(parsed.code);
            questions.push(parsed);
          }
        });
      }
      if (!name) return;
      types.push({
        code: String(t.code),
        name,
        ...(description ? { description } : {}),
        ...(group ? { group } : {}),
        keywords: (t.keywords as string[] | undefined) ?? [],
        ...(typeof t.department === 'string' ? { department: t.department.trim() } : {}),
        ...(t.targetHours !== undefined ? { targetHours: t.targetHours as number } : {}),
        ...(t.allowAnonymous !== undefined ? { allowAnonymous: t.allowAnonymous as boolean } : {}),
        ...(t.active !== undefined ? { active: t.active as boolean } : {}),
        position: i,
        questions,
      });
    });
  }

  let area: TownArea | null = null;
  if (input.area !== undefined) {
    const a = input.area;
    const num = (v: unknown, at: string, min: number, max: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) errors.push(`area.${at}: a number from ${min} to ${max}`);
      return v as number;
    };
    if (!isObj(a) || !isObj(a.center)) errors.push('area: must hold minLat, minLng, maxLat, maxLng, center { lat, lng } and zoom');
    else {
      const box = { minLat: num(a.minLat, 'minLat', -90, 90), minLng: num(a.minLng, 'minLng', -180, 180), maxLat: num(a.maxLat, 'maxLat', -90, 90), maxLng: num(a.maxLng, 'maxLng', -180, 180) };
      const center = { lat: num(a.center.lat, 'center.lat', -90, 90), lng: num(a.center.lng, 'center.lng', -180, 180) };
      const zoom = num(a.zoom ?? 14, 'zoom', 1, 19);
      if (box.minLat >= box.maxLat || box.minLng >= box.maxLng) errors.push('area: minLat/minLng must be below maxLat/maxLng');
      else if (center.lat < box.minLat || center.lat > box.maxLat || center.lng < box.minLng || center.lng > box.maxLng) errors.push('area.center: must be inside the box');
      area = { ...box, polygon: null, center, zoom };
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, catalogue: { types, area } };
}

/** Problems only the town's data can show (a department not found): nothing was saved. */
export class CatalogueError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
  }
}

/** Creates or updates the town's types (by code) and sets its area, in one transaction; all or nothing. */
export async function importCatalogue(db: Database, tenantId: string, catalogue: Catalogue): Promise<void> {
  await db.withTenant(tenantId, async (trx) => {
    const departments = await departmentsOfTown(trx, tenantId);
    const byName = (name: string) => departments.find((d) => [d.name.fr, d.name.en].some((n) => n.localeCompare(name, 'fr', { sensitivity: 'base' }) === 0));
    const errors: string[] = [];
    const defs = catalogue.types.map(({ department, ...def }, i): TypeDefinition => {
      if (department === undefined) return def;
      const found = byName(department);
      if (!found) errors.push(`types[${i}].department: no department named "${department}" in this town`);
      return { ...def, departmentId: found?.id ?? null };
    });
    if (errors.length > 0) throw new CatalogueError(errors);
    for (const def of defs) await defineRequestType(trx, tenantId, def);
    if (catalogue.area) await setTownArea(trx, tenantId, catalogue.area);
  });
}
