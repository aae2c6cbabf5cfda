/**
 * The resident pages of service requests through HTTP, in both languages: catalogue and search,
 * the two steps of a report with every kind of wrong input (outside the town, unknown type, missing
 * or wrong answers, 4,001 characters, photos too large / not images / with data appended), CSRF on
 * the multipart form, a double submit, duplicates and "me too", tracking and "not fixed", and a
 * guessed tracking link.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { getOutboxMessage, listOutbox } from '../../platform/outbox/index.ts';
import { createStaff } from '../staff/service.ts';
import { browser, signInResident, visit, type Browser } from '../residents/testing.ts';
import * as svc from './service.ts';
import { anonymousCaller, seedCatalogue, staffCaller, testJpeg } from './testing.ts';

let t: TestApp;
let town: TestTown;
let agentId: string;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' });
  town = await createTestTown(t.db, 'Lac-Vert');
  await seedCatalogue(t.db, town.tenant.id);
  agentId = (await createStaff(t.db, town.tenant.id, { email: 'agent@lac-vert.test', name: 'Agent', role: 'manager', password: 'correct horse battery staple' })).id;
});
afterAll(async () => {
  await t?.close();
});

type Lang = 'fr' | 'en';
const IN = { lat: '46.9750', lng: '-71.2850' };

const cookieOf = (b: Browser) => [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** Opens step 2 and returns what its form needs: CSRF token (from the action), idempotency key. */
async function openDetails(b: Browser, lang: Lang, code: string, place: Record<string, string> = { ...IN, address: '10, rue du Lac' }) {
  const res = await visit(t.app, b, `/${lang}/requests/new/${code}/details?${new URLSearchParams(place).toString()}`);
  expect(res.statusCode).toBe(200);
  const action = /<form method="post" action="([^"]*\/requests\/new\/[^"]+)"/.exec(res.body)?.[1]?.replace(/&amp;/g, '&');
  const idem = /name="_idem" value="([^"]+)"/.exec(res.body)?.[1];
  expect(action).toMatch(/\?_csrf=/);
  return { res, action: action!, idem: idem!, token: decodeURIComponent(/_csrf=([^&"]+)/.exec(action!)![1]!) };
}

interface Photo {
  name: string;
  bytes: Buffer;
  filename?: string;
  type?: string;
}

/** Posts the multipart form like a browser (FormData), with the CSRF token where the page put it. */
async function postReport(b: Browser, url: string, fields: Record<string, string | string[]>, photos: Photo[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) form.append(k, x);
  for (const p of photos) form.append(p.name, new Blob([new Uint8Array(p.bytes)], { type: p.type ?? 'image/jpeg' }), p.filename ?? 'photo.jpg');
  const req = new Request('http://x/', { method: 'POST', body: form });
  const payload = Buffer.from(await req.arrayBuffer());
  return t.app.inject({
    method: 'POST',
    url,
    headers: { host: b.host, cookie: cookieOf(b), 'content-type': req.headers.get('content-type')! },
    remoteAddress: b.ip,
    payload,
  });
}

const good = (idem: string, over: Record<string, string | string[]> = {}) => ({
  _idem: idem,
  lat: IN.lat,
  lng: IN.lng,
  address: '10, rue du Lac',
  'answer-size': 'medium',
  'answer-lane': ['road'],
  description: 'Un trou au milieu de la rue.',
  email: 'resident@example.test',
  ...over,
});

async function countRequests() {
  const rows = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('requests').select('id').execute());
  return rows.length;
}

describe('catalogue', () => {
  it.each([
    ['fr', 'Signaler un problème', 'eclairage', 'Lampadaire éteint'],
    ['en', 'Report a problem', 'LAMP', 'Streetlight out'],
  ] as const)('lists and searches the types (%s)', async (lang, title, query, found) => {
    const b = browser(town.host);
    const all = await visit(t.app, b, `/${lang}/requests`);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain(title);
    const res = await visit(t.app, b, `/${lang}/requests?q=${encodeURIComponent(query)}`);
    expect(res.body).toContain(found);
    expect(res.body).not.toContain(lang === 'fr' ? 'Nid-de-poule' : 'Pothole</a>');
  });

  it('answers 404 for an unknown or inactive type', async () => {
    const b = browser(town.host);
    expect((await visit(t.app, b, '/fr/requests/new/nope')).statusCode).toBe(404);
    expect((await visit(t.app, b, '/en/requests/new/nope/details?address=x')).statusCode).toBe(404);
  });
});

describe('step 1: the place', () => {
  it.each([
    ['fr', { lat: '46.8139', lng: '-71.2080', address: '' }, 'en dehors du territoire'],
    ['en', { lat: '46.8139', lng: '-71.2080', address: '' }, 'outside the town'],
    ['fr', { lat: '', lng: '', address: '' }, 'tapez une adresse'],
    ['en', { lat: 'abc', lng: '1', address: '' }, 'not valid'],
  ] as const)('refuses a wrong place at the field (%s)', async (lang, place, message) => {
    const res = await visit(t.app, browser(town.host), `/${lang}/requests/new/pothole/details?${new URLSearchParams(place).toString()}`);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('error-summary');
    expect(res.body).toContain(message);
    // The address field is always there, whatever happens to the map.
    expect(res.body).toContain('name="address"');
  });

  it('shows the map only as an enhancement, with the tile server in the CSP', async () => {
    const res = await visit(t.app, browser(town.host), '/fr/requests/new/pothole');
    expect(res.body).toContain('data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"');
    expect(res.body).toMatch(/<div class="map-block" hidden/);
    expect(String(res.headers['content-security-policy'])).toContain('img-src \'self\' data: https://tile.openstreetmap.org');
    const leaflet = await t.app.inject({ url: '/static/leaflet/leaflet-src.esm.js', headers: { host: town.host } });
    expect(leaflet.statusCode).toBe(200);
  });
});

describe('step 2: the report', () => {
  it('files a report with a photo (French), shows the reference, emails the link, strips the photo metadata', async () => {
    const b = browser(town.host);
    const form = await openDetails(b, 'fr', 'pothole');
    expect(form.res.body).toContain('Ce qui sera public');
    const gps = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#888' } })
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '46/1 58/1 30/1' }, IFD0: { Model: 'Pixel Secret' } })
      .jpeg()
      .toBuffer();
    const res = await postReport(b, form.action, good(form.idem), [{ name: 'photo1', bytes: gps }]);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/fr\/requests\/track\/[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\/[A-Za-z0-9_-]{43}\?sent=1$/);
    const page = await visit(t.app, b, location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Votre demande est envoyée');
    const reference = /track\/([^/]+)\//.exec(location)![1]!;
    expect(page.body).toContain(reference);
    expect(page.body).toContain('régler ce genre de demande en 5 jours');
    const photoId = /\/fr\/requests\/photos\/([0-9a-f-]{36})/.exec(page.body)![1]!;
    const photo = await visit(t.app, b, `/fr/requests/photos/${photoId}`);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(photo.rawPayload).metadata()).exif).toBeUndefined();
    expect(photo.rawPayload.includes(Buffer.from('Pixel Secret'))).toBe(false);
    const outbox = await listOutbox(t.db, town.tenant.id, { page: 1, pageSize: 100 });
    const mail = outbox.items.find((m) => m.recipient === 'resident@example.test' && m.subject.includes(reference))!;
    const body = (await getOutboxMessage(t.db, town.tenant.id, mail.id))!.bodyText;
    expect(body).toContain(location.replace('?sent=1', ''));
  });

  it('creates one request for a double submit', async () => {
    const b = browser(town.host);
    const form = await openDetails(b, 'en', 'pothole');
    const before = await countRequests();
    const first = await postReport(b, form.action, good(form.idem));
    const second = await postReport(b, form.action, good(form.idem));
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await countRequests()).toBe(before + 1);
  });

  it('refuses the multipart form without its CSRF token, or with another session\'s', async () => {
    const b = browser(town.host);
    const form = await openDetails(b, 'fr', 'pothole');
    const before = await countRequests();
    const bare = form.action.split('?')[0]!;
    expect((await postReport(b, bare, good(form.idem))).statusCode).toBe(403);
    expect((await postReport(b, `${bare}?_csrf=forged`, good(form.idem))).statusCode).toBe(403);
    const other = browser(town.host);
    await visit(t.app, other, '/fr/requests');
    expect((await postReport(other, form.action, good(form.idem))).statusCode).toBe(403);
    expect(await countRequests()).toBe(before);
    // The query-string token is for multipart forms only: an ordinary form must carry it in its body.
    const ordinary = await t.app.inject({
      method: 'POST',
      url: `/fr/requests/follow/ABCD-EFGH?_csrf=${encodeURIComponent(form.token)}`,
      headers: { host: b.host, cookie: cookieOf(b), 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: b.ip,
      payload: 'email=x%40example.test',
    });
    expect(ordinary.statusCode).toBe(403);
  });

  const jpeg = () => testJpeg();
  const cases: Array<[Lang, string, () => Promise<{ fields: Record<string, string | string[]>; photos?: Photo[]; code?: string }>, string]> = [
    ['fr', 'outside the town', async () => ({ fields: { lat: '45.5', lng: '-73.56' } }), 'en dehors du territoire'],
    ['en', 'missing required answer', async () => ({ fields: { 'answer-size': '' } }), 'Answer the question “Size of the hole”'],
    ['fr', 'unknown choice', async () => ({ fields: { 'answer-size': 'enormous' } }), 'choisissez parmi les réponses'],
    ['en', 'wrong datatype', async () => ({ code: 'streetlight', fields: { 'answer-lights_out': 'several' } }), 'write a number'],
    ['fr', 'wrong date', async () => ({ code: 'missed-pickup', fields: { 'answer-stream': 'garbage', 'answer-pickup_day': '2026-02-31' } }), 'date valide'],
    ['en', '4,001 characters', async () => ({ fields: { description: 'a'.repeat(4001) } }), 'at most 4000 characters'],
    ['fr', 'bad email', async () => ({ fields: { email: 'pas-un-courriel' } }), 'courriel valide'],
    ['en', 'no email', async () => ({ fields: { email: '' } }), 'Enter your email'],
    ['fr', 'photo not an image', async () => ({ fields: {}, photos: [{ name: 'photo1', bytes: Buffer.from('MZ not a photo at all'), filename: 'photo.jpg' }] }), 'n’est pas une photo'],
    ['en', 'photo with a zip appended', async () => ({ fields: {}, photos: [{ name: 'photo2', bytes: Buffer.concat([await jpeg(), Buffer.from('PK\u0003\u0004 zip zip zip')]) }] }), 'holds something else'],
    ['fr', 'photo too large', async () => ({ fields: {}, photos: [{ name: 'photo1', bytes: Buffer.concat([await jpeg(), Buffer.alloc(8 * 1_048_576 + 10)]) }] }), 'trop lourde'],
  ];
  it.each(cases)('%s: refuses %s at its field and saves nothing', async (lang, _what, make, message) => {
    const { fields, photos, code } = await make();
    const b = browser(town.host);
    const form = await openDetails(b, lang, code ?? 'pothole');
    const before = await countRequests();
    const res = await postReport(b, form.action, good(form.idem, fields), photos ?? []);
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('error-summary');
    expect(res.body).toContain(message);
    expect(await countRequests()).toBe(before);
  });

  it('asks an anonymous resident to sign in for a type that needs it', async () => {
    const b = browser(town.host);
    const form = await openDetails(b, 'en', 'missed-pickup');
    expect(form.res.body).toContain('sign in first');
    const res = await postReport(b, form.action, good(form.idem, { 'answer-stream': 'garbage', 'answer-pickup_day': '2026-11-20' }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Sign in to make this type of request');
  });
});

describe('duplicates, following and tracking', () => {
  it('shows an open report nearby; an anonymous resident follows it by email (English) and tracks it', async () => {
    const filed = await svc.submitRequest(anonymousCaller(t.db, town.tenant), {
      typeCode: 'graffiti',
      location: { lat: 46.99, lng: -71.3 },
      address: 'Abribus du Moulin',
      description: 'Tag sur la vitre',
      answers: {},
      photos: [],
      contact: { kind: 'email', email: 'first@example.test' },
      locale: 'fr',
      channel: 'web',
      idempotencyKey: svc.newIdempotencyKey(),
    });
    if (!filed.ok) throw new Error('not filed');
    const b = browser(town.host);
    const form = await openDetails(b, 'en', 'graffiti', { lat: '46.9901', lng: '-71.3001', address: '' });
    expect(form.res.body).toContain('Already reported nearby?');
    expect(form.res.body).toContain(`Me too: follow ${filed.request.reference}`);
    expect(form.res.body).not.toContain('first@example.test');

    const page = await visit(t.app, b, `/en/requests/follow/${filed.request.reference}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const bad = await visit(t.app, b, `/en/requests/follow/${filed.request.reference}`, { _csrf: token, email: 'nope' });
    expect(bad.statusCode).toBe(422);
    const res = await visit(t.app, b, `/en/requests/follow/${filed.request.reference}`, { _csrf: token, email: 'metoo@example.test' });
    expect(res.statusCode).toBe(303);
    const tracking = await visit(t.app, b, String(res.headers.location));
    expect(tracking.statusCode).toBe(200);
    expect(tracking.body).toContain('You are following this request');
    expect(tracking.body).not.toContain('It is not fixed');

    // The staff reply reaches the follower by email, in English.
    await svc.addPublicReply(staffCaller(t.db, town.tenant, { id: agentId, role: 'manager' }), filed.request.id, 'Nettoyage prévu demain.', 'fr');
    const outbox = await listOutbox(t.db, town.tenant.id, { page: 1, pageSize: 200 });
    expect(outbox.items.filter((m) => m.recipient === 'metoo@example.test').map((m) => m.subject)).toEqual(
      expect.arrayContaining([`You are following request ${filed.request.reference}`, `Request ${filed.request.reference}: new reply`]),
    );
  });

  it('lets the requester say "not fixed" after closure, from the private link (French)', async () => {
    const filed = await svc.submitRequest(anonymousCaller(t.db, town.tenant), {
      typeCode: 'pothole',
      location: null,
      address: '3, rue des Pins',
      description: '',
      answers: { size: 'small' },
      photos: [],
      contact: { kind: 'email', email: 'pins@example.test' },
      locale: 'fr',
      channel: 'web',
      idempotencyKey: svc.newIdempotencyKey(),
    });
    if (!filed.ok) throw new Error('not filed');
    await svc.closeWithNote(staffCaller(t.db, town.tenant, { id: agentId, role: 'manager' }), filed.request.id, 'Trou rebouché.', 'fr');
    const b = browser(town.host);
    const url = `/fr/requests/track/${filed.request.reference}/${filed.request.trackingToken}`;
    const page = await visit(t.app, b, url);
    expect(page.body).toContain('Trou rebouché.');
    expect(page.body).toContain('Ce n’est pas réglé');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await visit(t.app, b, `${url}/not-fixed`, { _csrf: token, comment: 'Le trou est encore là.' });
    expect(res.statusCode).toBe(303);
    const after = await visit(t.app, b, String(res.headers.location));
    expect(after.body).toContain('La demande est rouverte');
    expect(after.body).toContain('Rouverte');
  });

  it('answers 404 to a guessed tracking link, and to another resident reading one from their account', async () => {
    const filed = await svc.submitRequest(anonymousCaller(t.db, town.tenant), {
      typeCode: 'pothole',
      location: null,
      address: '7, rue des Cèdres',
      description: '',
      answers: { size: 'small' },
      photos: [],
      contact: { kind: 'email', email: 'cedres@example.test' },
      locale: 'en',
      channel: 'web',
      idempotencyKey: svc.newIdempotencyKey(),
    });
    if (!filed.ok) throw new Error('not filed');
    const b = browser(town.host);
    const guess = 'A'.repeat(43);
    expect((await visit(t.app, b, `/en/requests/track/${filed.request.reference}/${guess}`)).statusCode).toBe(404);
    expect((await visit(t.app, b, `/fr/requests/track/ZZZZ-ZZZZ/${filed.request.trackingToken}`)).statusCode).toBe(404);
    expect((await visit(t.app, b, `/fr/requests/track/${filed.request.reference}/short`)).statusCode).toBe(400);
    const other = await createTestTown(t.db, 'Autre');
    expect((await visit(t.app, browser(other.host), `/fr/requests/track/${filed.request.reference}/${filed.request.trackingToken}`)).statusCode).toBe(404);
    const signedIn = await signInResident(t.app, t.db, town, 'stranger@example.test', 'en');
    expect((await visit(t.app, signedIn, `/en/requests/mine/${filed.request.reference}`)).statusCode).toBe(404);
  });

  it('lets a signed-in resident follow with one button, refuses following a closed request, and reopens from the account', async () => {
    const report = (email: string) =>
      svc.submitRequest(anonymousCaller(t.db, town.tenant), {
        typeCode: 'graffiti',
        location: { lat: 46.95, lng: -71.25 },
        address: null,
        description: '',
        answers: {},
        photos: [],
        contact: { kind: 'email', email },
        locale: 'fr',
        channel: 'web',
        idempotencyKey: svc.newIdempotencyKey(),
      });
    const open = await report('a@example.test');
    const closed = await report('b@example.test');
    if (!open.ok || !closed.ok) throw new Error('not filed');
    await svc.closeWithNote(staffCaller(t.db, town.tenant, { id: agentId, role: 'manager' }), closed.request.id, 'Effacé.', 'fr');
    const b = await signInResident(t.app, t.db, town, 'follower@example.test', 'en');
    const form = await openDetails(b, 'en', 'graffiti', { lat: '46.9501', lng: '-71.2501', address: '' });
    expect(form.res.body).toContain(`Me too: follow ${open.request.reference}`);
    expect(form.res.body).not.toContain(closed.request.reference);
    const res = await visit(t.app, b, `/en/requests/follow/${open.request.reference}`, { _csrf: form.token });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/en/requests/mine/${open.request.reference}?followed=1`);
    const page = await visit(t.app, b, String(res.headers.location));
    expect(page.body).toContain('You are following this request');
    const refused = await visit(t.app, b, `/en/requests/follow/${closed.request.reference}`, { _csrf: form.token });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('can no longer be followed');
    // Someone else's request cannot be reopened, even by posting the form by hand.
    expect((await visit(t.app, b, `/en/requests/mine/${closed.request.reference}/not-fixed`, { _csrf: form.token })).statusCode).toBe(404);
  });

  it('files as a signed-in resident: the request is in their list and My file', async () => {
    const b = await signInResident(t.app, t.db, town, 'marie@example.test', 'fr');
    const form = await openDetails(b, 'fr', 'streetlight');
    expect(form.res.body).toContain('marie@example.test');
    const res = await postReport(b, form.action, { _idem: form.idem, lat: IN.lat, lng: IN.lng, address: '', 'answer-lights_out': '2', description: '' });
    expect(res.statusCode).toBe(303);
    const reference = /track\/([^/]+)\//.exec(String(res.headers.location))![1]!;
    const mine = await visit(t.app, b, '/fr/requests/mine');
    expect(mine.body).toContain(reference);
    const own = await visit(t.app, b, `/fr/requests/mine/${reference}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Combien de lampadaires');
    const file = await visit(t.app, b, '/fr/account');
    expect(file.body).toContain(reference);
    // Closed by staff, then "not fixed" from the account.
    const row = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('requests').select('id').where('reference', '=', reference.replace('-', '')).executeTakeFirstOrThrow());
    await svc.closeWithNote(staffCaller(t.db, town.tenant, { id: agentId, role: 'manager' }), row.id, 'Ampoule changée.', 'fr');
    const closedPage = await visit(t.app, b, `/fr/requests/mine/${reference}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(closedPage.body)![1]!;
    const tooLong = await visit(t.app, b, `/fr/requests/mine/${reference}/not-fixed`, { _csrf: csrf, comment: 'x'.repeat(4001) });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain('au plus 4000 caractères');
    const reopened = await visit(t.app, b, `/fr/requests/mine/${reference}/not-fixed`, { _csrf: csrf, comment: 'Toujours éteint.' });
    expect(reopened.statusCode).toBe(303);
    expect((await visit(t.app, b, String(reopened.headers.location))).body).toContain('La demande est rouverte');
    expect((await visit(t.app, browser(town.host), '/fr/requests/mine')).statusCode).toBe(303);
  });
});
