/**
 * The staff queue and case pages through HTTP, in both languages: filters and counts, overdue
 * cases marked in words, several cases at once, the case page's forms (reply, internal note never
 * shown to the resident, status, assignment, type, department, merge, close with a required note
 * and a photo), a request entered for a resident by phone; and who is kept out (another
 * department's agent, another town's staff, residents, the signed-out).
 */
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp } from '../../../../test/harness.ts';
import { listOutbox } from '../../../platform/outbox/index.ts';
import { adminTown, postForm, type AdminTown } from '../../admin/testing.ts';
import { signInResident } from '../../residents/testing.ts';
import * as svc from '../service.ts';
import { anonymousCaller, IN_TOWN, newKey, seedCatalogue, testJpeg } from '../testing.ts';

let t: TestApp;
let town: AdminTown;
let other: AdminTown;
const filed: Record<string, { id: string; reference: string; trackingToken: string }> = {};

async function file(name: string, over: Partial<svc.ReportInput> = {}) {
  const result = await svc.submitRequest(anonymousCaller(t.db, town.tenant), {
    typeCode: 'pothole',
    location: IN_TOWN,
    address: `${name}, rue des Érables`,
    description: `Signalement ${name}`,
    answers: { size: 'large' },
    photos: [],
    contact: { kind: 'email', email: `${name}@example.test` },
    locale: 'fr',
    channel: 'web',
    idempotencyKey: newKey(),
    ...over,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  filed[name] = result.request;
  return result.request;
}

beforeAll(async () => {
  t = await createTestApp();
  town = await adminTown(t, await createTestTown(t.db, 'File'));
  other = await adminTown(t, await createTestTown(t.db, 'Autre'));
  await seedCatalogue(t.db, town.tenant.id, town.departmentA);
  await seedCatalogue(t.db, other.tenant.id, other.departmentA);
  await file('alpha');
  await file('bravo');
  await file('charlie', { typeCode: 'streetlight', answers: {}, location: null, address: '3, chemin du Lac' });
  await file('delta');
  await file('echo');
  // delta is old and overdue; echo belongs to the other department (agent B's).
  await t.db.withTenant(town.tenant.id, async (trx) => {
    await trx.updateTable('requests').set({ requested_at: sql<Date>`now() - interval '40 days'` }).where('tenant_id', '=', town.tenant.id).where('id', '=', filed.delta!.id).execute();
    await trx.updateTable('requests').set({ department_id: town.departmentB }).where('tenant_id', '=', town.tenant.id).where('id', '=', filed.echo!.id).execute();
  });
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, cookie: string, host = town.host) => t.app.inject({ url, headers: { host, cookie } });
const refs = (body: string) => [...body.matchAll(/\/staff\/requests\/([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})"/g)].map((m) => m[1]);

async function postCase(cookie: string, reference: string, action: string, fields: Record<string, string>, lang: 'fr' | 'en' = 'fr'): Promise<LightMyRequestResponse> {
  return postForm(t.app, town.host, cookie, `/${lang}/staff/requests/${reference}`, `/${lang}/staff/requests/${reference}/${action}`, fields);
}

describe('the queue', () => {
  it('lists open cases in both languages, soonest target first, overdue ones marked in words', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const res = await get(`/${lang}/staff/requests`, town.manager.cookie);
      expect(res.statusCode).toBe(200);
      const listed = refs(res.body);
      expect(listed[0]).toBe(filed.delta!.reference);
      expect(listed).toEqual(expect.arrayContaining(Object.values(filed).map((f) => f.reference)));
      expect(res.body).toContain(lang === 'fr' ? 'En retard' : 'Overdue');
      expect(res.body).toContain(lang === 'fr' ? 'Dossiers : 5 (en retard : 1)' : 'Cases: 5 (overdue: 1)');
    }
  });

  it('filters by type, area, age, department and status, with counts per filter', async () => {
    const streetlights = await get('/en/staff/requests?type=streetlight', town.manager.cookie);
    expect(refs(streetlights.body)).toEqual([filed.charlie!.reference]);
    expect(streetlights.body).toMatch(/Streetlight out \(1\)/);
    expect(streetlights.body).toMatch(/Pothole \(4\)/);
    expect(refs((await get('/en/staff/requests?area=none', town.manager.cookie)).body)).toEqual([filed.charlie!.reference]);
    expect(refs((await get('/en/staff/requests?area=cc', town.manager.cookie)).body).length).toBe(4);
    expect(refs((await get('/fr/staff/requests?age=older', town.manager.cookie)).body)).toEqual([filed.delta!.reference]);
    expect(refs((await get('/fr/staff/requests?overdue=1', town.manager.cookie)).body)).toEqual([filed.delta!.reference]);
    expect(refs((await get(`/fr/staff/requests?department=${town.departmentB}`, town.manager.cookie)).body)).toEqual([filed.echo!.reference]);
    expect(refs((await get('/fr/staff/requests?status=closed', town.manager.cookie)).body)).toEqual([]);
    // Junk in the query is ignored, not an error.
    expect((await get('/fr/staff/requests?status=zzz&area=mars&age=1&assignee=drop%20table', town.manager.cookie)).statusCode).toBe(200);
  });

  it('shows an agent only their departments’ cases', async () => {
    const a = refs((await get('/fr/staff/requests', town.agentA.cookie)).body);
    expect(a).not.toContain(filed.echo!.reference);
    expect(a).toContain(filed.alpha!.reference);
    expect(refs((await get('/en/staff/requests', town.agentB.cookie)).body)).toEqual([filed.echo!.reference]);
    expect((await get(`/en/staff/requests/${filed.alpha!.reference}`, town.agentB.cookie)).statusCode).toBe(403);
  });

  it('changes several cases at once, and says what is missing', async () => {
    const res = await postForm(t.app, town.host, town.agentA.cookie, '/fr/staff/requests', '/fr/staff/requests/bulk', {
      ids: [filed.alpha!.id, filed.bravo!.id, filed.echo!.id],
      action: 'assign:me',
      back: '?type=pothole',
    });
    expect(res.statusCode).toBe(303);
    // echo is another department's: refused, counted as failed.
    expect(res.headers.location).toBe('/fr/staff/requests?type=pothole&done=bulk&n=2&failed=1');
    const mine = await get('/fr/staff/requests?assignee=me', town.agentA.cookie);
    expect(refs(mine.body).sort()).toEqual([filed.alpha!.reference, filed.bravo!.reference].sort());
    const status = await postForm(t.app, town.host, town.manager.cookie, '/en/staff/requests', '/en/staff/requests/bulk', { ids: [filed.alpha!.id], action: 'status:acknowledged' });
    expect(status.statusCode).toBe(303);
    const none = await postForm(t.app, town.host, town.manager.cookie, '/en/staff/requests', '/en/staff/requests/bulk', { action: 'assign:me' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Tick at least one case.');
    const noAction = await postForm(t.app, town.host, town.manager.cookie, '/fr/staff/requests', '/fr/staff/requests/bulk', { ids: [filed.alpha!.id] });
    expect(noAction.statusCode).toBe(422);
    expect(noAction.body).toContain('Choisissez quoi faire');
  });
});

describe('the case page', () => {
  it('shows the case in both languages with its contact, answers and history', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const res = await get(`/${lang}/staff/requests/${filed.bravo!.reference}`, town.agentA.cookie);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('bravo@example.test');
      expect(res.body).toContain(lang === 'fr' ? 'Plus grand qu’un pneu' : 'Larger than a tyre');
      expect(res.body).toContain('openstreetmap.org');
      // The map of the point (enhanced by script), labelled in the page's language.
      expect(res.body).toContain('data-module-map="view"');
      expect(res.body).toContain(`data-label="${lang === 'fr' ? 'Carte du point signalé' : 'Map of the reported point'}"`);
      expect(res.body).toContain('/static/requests-case-map.js');
    }
  });

  it('keeps internal notes from the resident; public replies reach them', async () => {
    const ref = filed.bravo!.reference;
    expect((await postCase(town.agentA.cookie, ref, 'note', { note: 'Voir avec l’équipe de nuit — NOTE-SECRETE' })).statusCode).toBe(303);
    expect((await postCase(town.agentA.cookie, ref, 'reply', { reply: 'Une équipe passera jeudi.' })).statusCode).toBe(303);
    const empty = await postCase(town.agentA.cookie, ref, 'note', { note: '   ' }, 'en');
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Write something first.');
    const staffPage = await get(`/en/staff/requests/${ref}`, town.agentA.cookie);
    expect(staffPage.body).toContain('NOTE-SECRETE');
    expect(staffPage.body).toContain('Internal: never shown to the resident');
    const tracking = await t.app.inject({ url: `/fr/requests/track/${ref}/${filed.bravo!.trackingToken}`, headers: { host: town.host } });
    expect(tracking.statusCode).toBe(200);
    expect(tracking.body).toContain('Une équipe passera jeudi.');
    expect(tracking.body).not.toContain('NOTE-SECRETE');
    const open311 = await t.app.inject({ url: `/open311/v2/requests/${ref}.json`, headers: { host: town.host } });
    expect(open311.body).not.toContain('NOTE-SECRETE');
    const mail = await listOutbox(t.db, town.tenant.id, { page: 1, pageSize: 500 });
    expect(mail.items.filter((m) => m.recipient === 'bravo@example.test').map((m) => m.subject).join()).not.toContain('NOTE-SECRETE');
    expect(JSON.stringify(mail.items)).not.toContain('NOTE-SECRETE');
  });

  it('changes the status, assignment, type and department, each with its message', async () => {
    const ref = filed.alpha!.reference;
    expect((await postCase(town.manager.cookie, ref, 'status', { status: 'in_progress', statusNote: '' })).statusCode).toBe(303);
    const same = await postCase(town.manager.cookie, ref, 'status', { status: 'in_progress', statusNote: '' }, 'en');
    expect(same.statusCode).toBe(422);
    expect(same.body).toContain('The case already has this status.');
    expect((await postCase(town.manager.cookie, ref, 'assign', { assignee: town.agentB.id }, 'en')).statusCode).toBe(422);
    expect((await postCase(town.manager.cookie, ref, 'assign', { assignee: town.manager.id })).statusCode).toBe(303);
    expect((await postCase(town.manager.cookie, ref, 'type', { type: 'graffiti' })).statusCode).toBe(303);
    expect((await postCase(town.manager.cookie, ref, 'type', { type: 'nope' }, 'en')).body).toContain('Choose a type from the list.');
    const moved = await postCase(town.manager.cookie, ref, 'department', { department: town.departmentB });
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe('/fr/staff/requests?done=moved&n=1');
    const page = await get(`/fr/staff/requests/${ref}`, town.manager.cookie);
    expect(page.body).toContain('Envoyée à Loisirs');
    expect(page.body).toContain('Type changé pour');
    expect((await get(`/fr/staff/requests/${ref}`, town.agentA.cookie)).statusCode).toBe(403);
  });

  it('merges a duplicate: closed, pointing to the kept case, its people following the kept one', async () => {
    const wrong = await postCase(town.manager.cookie, filed.echo!.reference, 'merge', { keep: 'ZZZZ-ZZZZ', mergeNote: '' }, 'en');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('No open case has this reference');
    const res = await postCase(town.manager.cookie, filed.echo!.reference, 'merge', { keep: filed.bravo!.reference.toLowerCase(), mergeNote: '' });
    expect(res.statusCode).toBe(303);
    const row = await t.db.withTenant(town.tenant.id, (trx) =>
      trx.selectFrom('requests').select(['status', 'merged_into']).where('tenant_id', '=', town.tenant.id).where('id', '=', filed.echo!.id).executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ status: 'closed', merged_into: filed.bravo!.id });
    const followers = await t.db.withTenant(town.tenant.id, (trx) =>
      trx.selectFrom('request_followers').select('email').where('tenant_id', '=', town.tenant.id).where('request_id', '=', filed.bravo!.id).execute(),
    );
    expect(followers.map((f) => f.email)).toContain('echo@example.test');
    const kept = await get(`/en/staff/requests/${filed.bravo!.reference}`, town.manager.cookie);
    expect(kept.body).toContain(`Duplicate ${filed.echo!.reference} merged into this case`);
    const open311 = await t.app.inject({ url: `/open311/v2/requests/${filed.echo!.reference}.json?locale=en`, headers: { host: town.host } });
    expect(open311.json<Array<{ status: string; status_notes: string }>>()[0]).toMatchObject({ status: 'closed', status_notes: `Duplicate: merged into request ${filed.bravo!.reference}.` });
  });

  it('closes only with a note of what was done, a photo optional, once', async () => {
    const ref = filed.bravo!.reference;
    const page = await get(`/fr/staff/requests/${ref}`, town.agentA.cookie);
    const { token, cookie } = formSession(page);
    const send = async (note: string, photo: Buffer | null) => {
      const form = new FormData();
      form.append('_idem', newKey());
      form.append('closeNote', note);
      if (photo) form.append('closePhoto', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'fait.jpg');
      const req = new Request('http://x/', { method: 'POST', body: form });
      return t.app.inject({
        method: 'POST',
        url: `/fr/staff/requests/${ref}/close?_csrf=${encodeURIComponent(token)}`,
        headers: { host: town.host, cookie: `${town.agentA.cookie}; ${cookie}`, 'content-type': req.headers.get('content-type')! },
        payload: Buffer.from(await req.arrayBuffer()),
      });
    };
    const noNote = await send('  ', null);
    expect(noNote.statusCode).toBe(422);
    expect(noNote.body).toContain('Dites ce qui a été fait');
    const notImage = await send('Réparé', Buffer.from('not an image at all'));
    expect(notImage.statusCode).toBe(422);
    const done = await send('Nid-de-poule rebouché.', await testJpeg());
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/fr/staff/requests/${ref}?done=closed`);
    expect((await send('Encore', null)).statusCode).toBe(303);
    const tracked = await t.app.inject({ url: `/fr/requests/track/${ref}/${filed.bravo!.trackingToken}`, headers: { host: town.host } });
    expect(tracked.body).toContain('Nid-de-poule rebouché.');
    const events = await t.db.withTenant(town.tenant.id, (trx) =>
      trx.selectFrom('request_events').select('kind').where('tenant_id', '=', town.tenant.id).where('request_id', '=', filed.bravo!.id).where('kind', '=', 'closed').execute(),
    );
    expect(events.length).toBe(1);
  });
});

describe('a request taken by phone', () => {
  it('is entered by staff with its channel, once, with messages at the fields', async () => {
    const url = '/en/staff/requests/new?type=pothole';
    const form = await get(url, town.agentA.cookie);
    expect(form.statusCode).toBe(200);
    const bad = await postForm(t.app, town.host, town.agentA.cookie, url, url, { _idem: newKey(), address: '', a_size: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Say how the request came in.');
    const incomplete = await postForm(t.app, town.host, town.agentA.cookie, url, url, { _idem: newKey(), channel: 'counter', address: '', a_size: '' });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.body).toContain('Answer the question');
    expect(incomplete.body).toContain('Drop a pin on the map or type an address.');
    const idem = newKey();
    const fields = { _idem: idem, channel: 'phone', contactName: 'Gaston Lagaffe', phone: '418-555-0100', address: '8, rue du Moulin', description: 'Appel du matin', a_size: 'small' };
    const ok = await postForm(t.app, town.host, town.agentA.cookie, url, url, fields);
    expect(ok.statusCode).toBe(303);
    const again = await postForm(t.app, town.host, town.agentA.cookie, url, url, fields);
    expect(again.headers.location).toBe(ok.headers.location);
    const reference = /\/staff\/requests\/([2-9A-Z-]{9})\?done=entered/.exec(String(ok.headers.location))![1]!;
    const row = await t.db.withTenant(town.tenant.id, (trx) =>
      trx.selectFrom('requests').select(['channel', 'created_by', 'contact_name']).where('tenant_id', '=', town.tenant.id).where('reference', '=', reference.replace('-', '')).executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ channel: 'phone', created_by: town.agentA.id, contact_name: 'Gaston Lagaffe' });
    const page = await get(`/fr/staff/requests/${reference}?done=entered`, town.agentA.cookie);
    expect(page.body).toContain('Téléphone (saisie par Alain Agent)');
  });
});

describe('who is kept out', () => {
  it('another town’s staff, residents and the signed-out cannot see or act on this town’s cases', async () => {
    const ref = filed.alpha!.reference;
    // Another town's administrator: their session means nothing on this town's host…
    expect((await get(`/fr/staff/requests/${ref}`, other.admin.cookie)).statusCode).toBe(303);
    expect((await get('/fr/staff/requests', other.admin.cookie)).statusCode).toBe(303);
    // …and on their own host this town's case does not exist.
    expect((await get(`/fr/staff/requests/${ref}`, other.admin.cookie, other.host)).statusCode).toBe(404);
    expect(refs((await get('/fr/staff/requests', other.admin.cookie, other.host)).body)).toEqual([]);
    const bulk = await postForm(t.app, other.host, other.admin.cookie, '/fr/staff/requests/new?type=pothole', '/fr/staff/requests/bulk', { ids: [filed.charlie!.id], action: 'assign:me' });
    expect(bulk.headers.location).toContain('n=0&failed=1');
    // A resident is not staff.
    const resident = await signInResident(t.app, t.db, town, 'resident.curieux@example.test');
    const cookie = [...resident.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    expect((await get('/fr/staff/requests', cookie)).statusCode).toBe(303);
    expect((await get(`/en/staff/requests/${ref}`, cookie)).statusCode).toBe(303);
    expect((await t.app.inject({ url: '/en/staff/requests', headers: { host: town.host } })).statusCode).toBe(303);
  });
});

describe('a busy queue', () => {
  it('stays paged with 350 open cases', async () => {
    const busy = await adminTown(t, await createTestTown(t.db, 'Achalandée'));
    const types = await seedCatalogue(t.db, busy.tenant.id, busy.departmentA);
    await t.db.withTenant(busy.tenant.id, async (trx) => {
      const rows = Array.from({ length: 350 }, (_, i) => ({
        tenant_id: busy.tenant.id,
        reference: `${'23456789ABCDEFGHJKLMNPQRSTUVWXYZ'[i % 32]}${'23456789ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(i / 32) % 32]}ZZZZZZ`,
        type_id: types[i % 2 ? 'pothole' : 'graffiti']!,
        department_id: busy.departmentA,
        lat: 46.94 + (i % 70) * 0.001,
        lng: -71.34 + (i % 13) * 0.01,
        address: `${i}, rue Achalandée`,
        locale: 'fr' as const,
        tracking_token_hash: 'a'.repeat(64),
        idempotency_key: `busy-queue-${String(i).padStart(8, '0')}`,
        requested_at: new Date(Date.now() - i * 3_600_000),
      }));
      await trx.insertInto('requests').values(rows).execute();
    });
    const res = await get('/en/staff/requests?area=cc', busy.manager.cookie, busy.host);
    const all = await get('/en/staff/requests', busy.manager.cookie, busy.host);
    expect(res.statusCode).toBe(200);
    expect(refs(all.body).length).toBe(50);
    expect(all.body).toContain('Cases: 350 (overdue: ');
    expect(all.body).toContain('Page 1 of 7');
  });
});
