/**
 * A town's catalogue from a JSON file: every problem reported with its place and nothing saved,
 * then `guichet request-types import` creating the types and updating them by code on a second run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run.ts';
import { createTestTown, openTestDatabase, testConfig } from '../../../test/harness.ts';
import { adminTown } from '../admin/testing.ts';
import { departmentsOfTown } from '../departments/service.ts';
import { CatalogueError, importCatalogue, parseCatalogue } from './catalogue-file.ts';
import { listAllRequestTypes } from './service.ts';

const pothole = {
  code: 'pothole',
  name: { fr: 'Nid-de-poule', en: 'Pothole' },
  targetHours: 96,
  keywords: ['trou', 'hole'],
  questions: [
    { code: 'size', datatype: 'singlevaluelist', required: true, label: { fr: 'Taille', en: 'Size' }, values: [{ key: 'small', name: { fr: 'Petit', en: 'Small' } }] },
    { code: 'details', datatype: 'text', label: { fr: 'Précisions', en: 'Details' } },
  ],
};
const area = { minLat: 46.8, minLng: -71.4, maxLat: 46.9, maxLng: -71.2, center: { lat: 46.85, lng: -71.3 }, zoom: 14 };

describe('parseCatalogue', () => {
  it('accepts a whole catalogue', () => {
    const r = parseCatalogue({ types: [pothole], area });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.catalogue.types[0]).toMatchObject({ code: 'pothole', targetHours: 96, questions: [{ code: 'size', required: true }, { code: 'details', required: false }] });
      expect(r.catalogue.area).toMatchObject({ center: { lat: 46.85, lng: -71.3 }, polygon: null });
    }
  });

  it('names the place of every problem', () => {
    const r = parseCatalogue({
      types: [
        { ...pothole, code: 'Pothole!', name: { fr: '', en: 'Pothole' }, targetHours: 0 },
        { code: 'lamp', name: { fr: 'Lampadaire', en: 'Streetlight' }, questions: [{ code: 'kind', datatype: 'picture', label: { fr: 'Genre', en: 'Kind' } }, { code: 'pick', datatype: 'multivaluelist', label: { fr: 'Choix', en: 'Pick' }, values: [] }] },
        { code: 'lamp', name: { fr: 'Double', en: 'Twice' } },
      ],
      area: { ...area, center: { lat: 10, lng: -71.3 } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        'types[0].code: a unique code of 2 to 63 lowercase letters, digits or -',
        'types[0].name.fr: required, text of at most 120 characters',
        'types[0].targetHours: a whole number of hours from 1 to 8760',
        'types[1].questions[0].datatype: one of string, number, datetime, text, singlevaluelist, multivaluelist',
        'types[1].questions[1].values: a list of 1 to 50 choices',
        'types[2].code: a unique code of 2 to 63 lowercase letters, digits or -',
        'area.center: must be inside the box',
      ]);
    expect(parseCatalogue([]).ok).toBe(false);
    expect(parseCatalogue({ types: [] }).ok).toBe(false);
  });
});

describe('importCatalogue', () => {
  it('places a type in the department named in either language, and refuses an unknown one whole', async () => {
    const db = await openTestDatabase();
    try {
      const town = await adminTown({ db, config: testConfig() }, await createTestTown(db, 'Catalogue'));
      const [dept] = await db.withTenant(town.tenant.id, (trx) => departmentsOfTown(trx, town.tenant.id));
      const parsed = parseCatalogue({ types: [{ ...pothole, department: dept!.name.en.toUpperCase() }, { code: 'graffiti', name: { fr: 'Graffiti', en: 'Graffiti' }, department: dept!.name.fr }] });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      await importCatalogue(db, town.tenant.id, parsed.catalogue);
      expect((await listAllRequestTypes(db, town.tenant.id)).map((t) => [t.code, t.departmentId])).toEqual([
        ['pothole', dept!.id],
        ['graffiti', dept!.id],
      ]);
      const wrong = parseCatalogue({ types: [{ code: 'litter', name: { fr: 'Déchets', en: 'Litter' } }, { ...pothole, department: 'Nowhere' }] });
      if (!wrong.ok) throw new Error('the file itself is right');
      await expect(importCatalogue(db, town.tenant.id, wrong.catalogue)).rejects.toThrow(CatalogueError);
      expect((await listAllRequestTypes(db, town.tenant.id)).map((t) => t.code)).not.toContain('litter');
    } finally {
      await db.close();
    }
  });
});

describe('guichet request-types', () => {
  it('imports a catalogue, refuses a wrong one whole, and updates by code', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-types-'));
    const env: Record<string, string | undefined> = { NODE_ENV: 'test', LOG_LEVEL: 'silent', GUICHET_DATA_DIR: path.join(dir, 'data'), SEED_DEMO: 'false', JOBS: 'false' };
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const file = (name: string, body: unknown) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, JSON.stringify(body));
      return p;
    };
    try {
      expect((await run('tenant', 'create', '--slug', 'typo', '--name-fr', 'Ville de Typo', '--name-en', 'Town of Typo', '--host', 'typo.test')).code).toBe(0);
      const unknown = await run('request-types', 'import', '--tenant', 'typo', '--file', file('unknown.json', { types: [{ ...pothole, department: 'Voirie' }] }));
      expect(unknown.code).toBe(1);
      expect(unknown.err).toContain('types[0].department: no department named "Voirie" in this town');
      const wrong = await run('request-types', 'import', '--tenant', 'typo', '--file', file('wrong.json', { types: [pothole, { code: 'x' }] }));
      expect(wrong.code).toBe(1);
      expect(wrong.err).toContain('nothing was saved');
      expect(wrong.err).toContain('types[1].code');
      expect((await run('request-types', 'list', '--tenant', 'typo')).out).toContain('No request types yet');

      expect((await run('request-types', 'import', '--tenant', 'typo', '--file', file('good.json', { types: [pothole], area }))).out).toContain('1 request type(s) saved for typo, and the town’s area.');
      const renamed = { ...pothole, name: { fr: 'Nid-de-poule sur la chaussée', en: 'Pothole on the road' } };
      expect((await run('request-types', 'import', '--tenant', 'typo', '--file', file('again.json', { types: [renamed] }))).code).toBe(0);
      const listed = await run('request-types', 'list', '--tenant', 'typo');
      expect(listed.out).toBe('pothole  Nid-de-poule sur la chaussée / Pothole on the road  2 question(s)  active');
      expect((await run('request-types', 'import', '--tenant', 'nowhere', '--file', file('good.json', { types: [pothole] }))).code).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
