/**
 * Defining the catalogue and the town's area: the demo seed, the tests, `guichet request-types
 * import` (catalogue-file.ts) and, later, the administrators' screens. Inside the caller's transaction; the caller has
 * checked permission ('requestType.manage') or is the operator's seed.
 */
import type { Tx } from '../../db/database.ts';
import type { Bilingual, QuestionDatatype, QuestionValue } from '../../db/schema.ts';
import * as repo from './repo/catalogue.ts';
import type { TownArea } from './types.ts';

export interface QuestionDefinition {
  code: string;
  datatype: QuestionDatatype;
  required?: boolean;
  label: Bilingual;
  help?: Bilingual;
  values?: QuestionValue[];
}

export interface TypeDefinition {
  code: string;
  name: Bilingual;
  description?: Bilingual;
  group?: Bilingual;
  keywords?: string[];
  departmentId?: string | null;
  targetHours?: number;
  allowAnonymous?: boolean;
  active?: boolean;
  position?: number;
  questions?: QuestionDefinition[];
}

/** Creates the type or updates it by its code, with its questions (by code, in the order given). Returns its id. */
export async function defineRequestType(trx: Tx, tenantId: string, def: TypeDefinition): Promise<string> {
  const id = await repo.upsertType(trx, {
    tenant_id: tenantId,
    service_code: def.code,
    name: JSON.stringify(def.name),
    description: JSON.stringify(def.description ?? { fr: '', en: '' }),
    group_name: JSON.stringify(def.group ?? { fr: '', en: '' }),
    keywords: def.keywords ?? [],
    department_id: def.departmentId ?? null,
    target_hours: def.targetHours ?? 120,
    allow_anonymous: def.allowAnonymous ?? true,
    active: def.active ?? true,
    position: def.position ?? 0,
  });
  for (const [i, q] of (def.questions ?? []).entries()) {
    await repo.upsertQuestion(trx, {
      tenant_id: tenantId,
      type_id: id,
      code: q.code,
      datatype: q.datatype,
      required: q.required ?? false,
      position: i,
      label: JSON.stringify(q.label),
      help: JSON.stringify(q.help ?? { fr: '', en: '' }),
      values: JSON.stringify(q.values ?? []),
    });
  }
  return id;
}

/** Sets the town's area (bounding box, optional polygon, where the map starts). */
export async function setTownArea(trx: Tx, tenantId: string, area: TownArea): Promise<void> {
  await repo.saveArea(trx, {
    tenant_id: tenantId,
    min_lat: area.minLat,
    min_lng: area.minLng,
    max_lat: area.maxLat,
    max_lng: area.maxLng,
    polygon: area.polygon ? JSON.stringify(area.polygon) : null,
    center_lat: area.center.lat,
    center_lng: area.center.lng,
    zoom: area.zoom,
  });
}
