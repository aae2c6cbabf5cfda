/** Administrators create, rename, deactivate and turn back on departments; agents are kept to theirs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { staffPrincipal } from '../departments/service.ts';
import { adminTown, postForm, type AdminTown } from './testing.ts';

let t: TestApp;
let a: AdminTown;
let b: AdminTown;

beforeAll(async () => {
  t = await createTestApp();
  a = await adminTown(t, await createTestTown(t.db, 'Amos'));
  b = await adminTown(t, await createTestTown(t.db, 'Bécancour'));
});
afterAll(() => t.close());

const get = (town: TestTown, url: string, cookie?: string) => t.app.inject({ url, headers: { host: town.host, ...(cookie ? { cookie } : {}) } });
const create = (town: AdminTown, fields: Record<string, string>, lang: 'fr' | 'en' = 'fr') =>
  postForm(t.app, town.host, town.admin.cookie, `/${lang}/staff/admin/departments`, `/${lang}/staff/admin/departments`, fields);
const auditOf = (town: TestTown, action: string) =>
  t.db.withTenant(town.tenant.id, (trx) =>
    trx.selectFrom('audit_events').select(['actor_id', 'subject_id', 'details']).where('action', '=', action).orderBy('id').execute(),
  );

describe('the departments page', () => {
  it.each([
    ['fr', 'Services', 'Travaux publics', 'Public Works', 'Créer un service'],
    ['en', 'Departments', 'Public Works', 'Travaux publics', 'Create a department'],
  ] as const)('lists the town’s departments in %s with both names and their staff count', async (lang, title, first, other, create) => {
    const res = await get(a, `/${lang}/staff/admin/departments`, a.admin.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body).toContain(`>${first}</a>`);
    expect(res.body).toContain(`<td>${other}</td>`);
    expect(res.body).toContain(create);
    expect(res.body).toContain('<td class="numeric">1</td>');
    expect(res.body).not.toContain(b.departmentA);
  });
});

describe('creating a department', () => {
  it('creates it with both names and audits it', async () => {
    const res = await create(a, { nameFr: 'Urbanisme', nameEn: 'Urban Planning' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/staff/admin/departments?done=created');
    const page = await get(a, res.headers.location!, a.admin.cookie);
    expect(page.body).toContain('Le service a été créé.');
    expect(page.body).toContain('>Urbanisme</a>');
    const audit = await auditOf(a, 'department.created');
    expect(audit.at(-1)).toMatchObject({ actor_id: a.admin.id, details: { name: { fr: 'Urbanisme', en: 'Urban Planning' } } });
  });

  it('refuses empty, too long and already used names, in both languages', async () => {
    const empty = await create(a, { nameFr: '  ', nameEn: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('href="#nameFr"');
    expect(empty.body).toContain('href="#nameEn"');
    expect(empty.body).toContain('Le champ « Nom en français » est obligatoire.');
    const long = await create(a, { nameFr: 'x'.repeat(121), nameEn: 'Fine' }, 'en');
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('“Name in French” must be 120 characters or fewer.');
    const taken = await create(a, { nameFr: 'LOISIRS', nameEn: 'Leisure' }, 'en');
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('A department with this name already exists (“Name in French”).');
    expect(taken.body).toContain('value="LOISIRS"');
    const takenEn = await create(a, { nameFr: 'Récréation', nameEn: 'recreation' });
    expect(takenEn.statusCode).toBe(422);
    expect(takenEn.body).toContain('Un service porte déjà ce nom (« Nom en anglais »).');
    // The same name is free in another town.
    expect((await create(b, { nameFr: 'Urbanisme', nameEn: 'Urban Planning' })).statusCode).toBe(303);
  });
});

describe('one department', () => {
  it('is renamed (audited with before and after); renaming to its own name changes nothing', async () => {
    const url = `/en/staff/admin/departments/${a.departmentB}`;
    const page = await get(a, url, a.admin.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Recreation</h1>');
    expect(page.body).toContain(a.agentB.name);
    const res = await postForm(t.app, a.host, a.admin.cookie, url, url, { nameFr: 'Loisirs et culture', nameEn: 'Recreation and Culture' });
    expect(res.headers.location).toBe(`${url}?done=renamed`);
    const renamed = await auditOf(a, 'department.renamed');
    expect(renamed).toHaveLength(1);
    expect(renamed[0]).toMatchObject({
      subject_id: a.departmentB,
      details: { from: { fr: 'Loisirs', en: 'Recreation' }, to: { fr: 'Loisirs et culture', en: 'Recreation and Culture' } },
    });
    await postForm(t.app, a.host, a.admin.cookie, url, url, { nameFr: 'Loisirs et culture', nameEn: 'Recreation and Culture' });
    expect(await auditOf(a, 'department.renamed')).toHaveLength(1);
    const clash = await postForm(t.app, a.host, a.admin.cookie, url, url, { nameFr: 'Travaux publics', nameEn: 'Other' });
    expect(clash.statusCode).toBe(422);
    expect(clash.body).toContain('A department with this name already exists');
  });

  it('is deactivated: no longer offered to anyone, kept by those already in it, and turned back on', async () => {
    const created = await create(a, { nameFr: 'Greffe', nameEn: 'Clerk’s Office' });
    expect(created.statusCode).toBe(303);
    const id = await t.db.withTenant(a.tenant.id, async (trx) =>
      (await trx.selectFrom('departments').select('id').where('tenant_id', '=', a.tenant.id).execute()).map((r) => r.id),
    );
    const greffe = (await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('departments').select(['id', 'name']).execute())).find((d) => d.name.fr === 'Greffe')!.id;
    expect(id).toContain(greffe);
    // Agent A joins it, then it is deactivated.
    const agentPage = `/fr/staff/admin/staff/${a.agentA.id}`;
    await postForm(t.app, a.host, a.admin.cookie, agentPage, `${agentPage}/access`, { role: 'agent', departments: [a.departmentA, greffe] });
    const url = `/fr/staff/admin/departments/${greffe}`;
    const off = await postForm(t.app, a.host, a.admin.cookie, url, `${url}/status`, { to: 'off' });
    expect(off.headers.location).toBe(`${url}?done=deactivated`);
    expect((await auditOf(a, 'department.deactivated')).at(-1)?.subject_id).toBe(greffe);

    const invite = await get(a, '/fr/staff/admin/staff/invite', a.admin.cookie);
    expect(invite.body).not.toContain(greffe);
    const agent = await get(a, agentPage, a.admin.cookie);
    expect(agent.body).toContain('Greffe (désactivé)');
    // Keeping it is fine; giving it to someone new is not.
    const keep = await postForm(t.app, a.host, a.admin.cookie, agentPage, `${agentPage}/access`, { role: 'agent', departments: [a.departmentA, greffe] });
    expect(keep.headers.location).toBe(`${agentPage}?done=unchanged`);
    const otherPage = `/fr/staff/admin/staff/${a.agentB.id}`;
    const give = await postForm(t.app, a.host, a.admin.cookie, otherPage, `${otherPage}/access`, { role: 'agent', departments: [a.departmentB, greffe] });
    expect(give.statusCode).toBe(422);
    expect(give.body).toContain('n’existe plus ou a été désactivé');

    const on = await postForm(t.app, a.host, a.admin.cookie, url, `${url}/status`, { to: 'on' });
    expect(on.headers.location).toBe(`${url}?done=activated`);
    expect((await auditOf(a, 'department.activated')).at(-1)?.subject_id).toBe(greffe);
  });

  it('gives agents exactly their departments in the permission check', async () => {
    const staff = { id: a.agentB.id, name: a.agentB.name, email: a.agentB.email, role: 'agent' as const, locale: 'en' as const };
    expect((await staffPrincipal(t.db, a.tenant.id, staff)).departmentIds).toEqual([a.departmentB]);
    // Read in town B, agent A's memberships do not exist.
    expect((await staffPrincipal(t.db, b.tenant.id, staff)).departmentIds).toEqual([]);
    const manager = { ...staff, id: a.manager.id, role: 'manager' as const };
    expect((await staffPrincipal(t.db, a.tenant.id, manager)).departmentIds).toEqual([]);
  });

  it('is not found from another town, whatever the id', async () => {
    const foreign = `/fr/staff/admin/departments/${b.departmentA}`;
    expect((await get(a, foreign, a.admin.cookie)).statusCode).toBe(404);
    const own = `/fr/staff/admin/departments/${a.departmentA}`;
    const rename = await postForm(t.app, a.host, a.admin.cookie, own, foreign, { nameFr: 'Piraté', nameEn: 'Hacked' });
    expect(rename.statusCode).toBe(404);
    const off = await postForm(t.app, a.host, a.admin.cookie, own, `${foreign}/status`, { to: 'off' });
    expect(off.statusCode).toBe(404);
    const row = await t.db.withTenant(b.tenant.id, (trx) => trx.selectFrom('departments').select(['name', 'active']).where('id', '=', b.departmentA).executeTakeFirstOrThrow());
    expect(row).toEqual({ name: { fr: 'Travaux publics', en: 'Public Works' }, active: true });
  });
});
