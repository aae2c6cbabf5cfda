/**
 * Open311 GeoReport v2 through HTTP, every endpoint in XML and JSON: JSON validated against the
 * community schemas, XML parsed strictly and compared with the JSON; jurisdiction_id; filing with
 * an API key (bad, revoked, retried, wrong input); filters, defaults and paging; and never a
 * requester's name, email or phone in a response.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import * as requests from '../requests/service.ts';
import { anonymousCaller, IN_TOWN, newKey, OUT_OF_TOWN, seedCatalogue, staffCaller, testJpeg } from '../requests/testing.ts';
import { createStaff } from '../staff/service.ts';
import { operatorKeys } from './keys.ts';
import { childText, open311Schemas, parseXml, testApiKey, type XmlNode } from './testing.ts';

let t: TestApp;
let town: TestTown;
let other: TestTown;
let key: string;
let otherKey: string;
let revokedKey: string;
let closedRef: string;
let photoRef: string;
const schemas = open311Schemas();
/** Every response body of the file, checked at the end for private data. */
const bodies: string[] = [];
const PRIVATE = ['secret.person@example.test', 'Zébulon', 'Quidam-Privé', '418-555-0199', 'api.person@example.test', 'Fantômas', '819-555-0142'];

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Lac-Open');
  other = await createTestTown(t.db, 'Ailleurs');
  const dept = await t.db.withTenant(town.tenant.id, (trx) =>
    trx.insertInto('departments').values({ tenant_id: town.tenant.id, name: JSON.stringify({ fr: 'Travaux publics', en: 'Public Works' }) }).returning('id').executeTakeFirstOrThrow(),
  );
  await seedCatalogue(t.db, town.tenant.id, dept.id);
  await seedCatalogue(t.db, other.tenant.id);
  key = (await testApiKey(t.db, town.tenant.id)).key;
  otherKey = (await testApiKey(t.db, other.tenant.id)).key;
  const revoked = await testApiKey(t.db, town.tenant.id, 'Old client');
  await operatorKeys.revoke(t.db, town.tenant.id, revoked.id);
  revokedKey = revoked.key;
  // Requests filed on the web: one with a photo and a tricky description, one closed with a note.
  const anon = anonymousCaller(t.db, town.tenant);
  const contact = { kind: 'email' as const, email: 'secret.person@example.test', name: 'Zébulon Quidam-Privé', phone: '418-555-0199' };
  const withPhoto = await requests.submitRequest(anon, {
    typeCode: 'pothole',
    location: IN_TOWN,
    address: '12, rue des Érables',
    description: 'Trou <profond> & "large" \'ici\' \u0007 près du parc',
    answers: { size: 'large' },
    photos: [{ contentType: 'image/jpeg', bytes: await testJpeg(), width: 64, height: 48 }],
    contact,
    locale: 'fr',
    channel: 'web',
    idempotencyKey: newKey(),
  });
  if (!withPhoto.ok) throw new Error(JSON.stringify(withPhoto.errors));
  photoRef = withPhoto.request.reference;
  const toClose = await requests.submitRequest(anon, {
    typeCode: 'streetlight',
    location: IN_TOWN,
    address: null,
    description: 'Éteint depuis lundi',
    answers: {},
    photos: [],
    contact,
    locale: 'fr',
    channel: 'web',
    idempotencyKey: newKey(),
  });
  if (!toClose.ok) throw new Error('could not file');
  closedRef = toClose.request.reference;
  const admin = await createStaff(t.db, town.tenant.id, { email: 'admin@lac.test', name: 'Adèle', role: 'admin', password: 'correct horse battery staple' });
  const closed = await requests.closeWithNote(staffCaller(t.db, town.tenant, { id: admin.id, role: 'admin' }), toClose.request.id, 'Ampoule remplacée.', 'fr');
  if (!closed.ok) throw new Error(closed.error);
});
afterAll(async () => {
  for (const body of bodies) for (const word of PRIVATE) expect(body).not.toContain(word);
  await t?.close();
});

async function get(url: string, host = town.host): Promise<LightMyRequestResponse> {
  const res = await t.app.inject({ url, headers: { host } });
  bodies.push(res.body);
  return res;
}

async function post(fields: Record<string, string | string[]>, options: { ext?: string; host?: string; headers?: Record<string, string> } = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
  const res = await t.app.inject({
    method: 'POST',
    url: `/open311/v2/requests${options.ext ?? '.json'}`,
    headers: { host: options.host ?? town.host, 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    payload: body.toString(),
  });
  bodies.push(res.body);
  return res;
}

/** An XML document as plain values: lists where a name repeats or where the spec has a list. */
function xmlValue(node: XmlNode): unknown {
  if (node.children.length === 0) return node.text;
  return Object.fromEntries(node.children.map((c) => [c.name, xmlValue(c)]));
}

function expectXml(res: LightMyRequestResponse, root: string): XmlNode {
  expect(res.headers['content-type']).toMatch(/^text\/xml/);
  const doc = parseXml(res.body);
  expect(doc.name).toBe(root);
  return doc;
}

function expectJsonErrors(res: LightMyRequestResponse, status: number): string[] {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const errors = res.json<Array<{ code: number; description: string }>>();
  expect(Array.isArray(errors) && errors.length > 0).toBe(true);
  for (const e of errors) {
    expect(e.code).toBe(status);
    expect(typeof e.description).toBe('string');
  }
  return errors.map((e) => e.description);
}

function expectXmlErrors(res: LightMyRequestResponse, status: number): string[] {
  expect(res.statusCode).toBe(status);
  const doc = expectXml(res, 'errors');
  expect(doc.children.length).toBeGreaterThan(0);
  return doc.children.map((e) => {
    expect(e.name).toBe('error');
    expect(childText(e, 'code')).toBe(String(status));
    return childText(e, 'description') ?? '';
  });
}

const OFFSET_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe('discovery and services', () => {
  it('answers discovery in XML (the default) and JSON', async () => {
    const xml = await get('/open311/v2/discovery.xml');
    expect(xml.statusCode).toBe(200);
    const doc = expectXml(xml, 'discovery');
    const endpoint = doc.children.find((c) => c.name === 'endpoints')!.children[0]!;
    expect(endpoint.name).toBe('endpoint');
    expect(childText(endpoint, 'specification')).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(endpoint.children.find((c) => c.name === 'formats')!.children.map((f) => f.text)).toEqual(['text/xml', 'application/json']);
    expect((await get('/open311/v2/discovery')).body).toBe(xml.body);
    const json = await get('/open311/v2/discovery.json');
    expect(json.json()).toMatchObject({ endpoints: [{ url: `http://${town.host}/open311/v2`, type: 'production' }] });
  });

  it('lists services in both formats, valid against the schema, in the chosen language', async () => {
    const json = await get('/open311/v2/services.json');
    expect(json.statusCode).toBe(200);
    const services = json.json<Array<Record<string, unknown>>>();
    expect(schemas.services(services), JSON.stringify(schemas.services.errors)).toBe(true);
    expect(services.map((s) => s.service_code)).toEqual(['pothole', 'streetlight', 'missed-pickup', 'graffiti']);
    expect(services[0]).toMatchObject({ service_name: 'Nid-de-poule', metadata: true, type: 'realtime', group: 'Rues et trottoirs' });
    const english = await get('/open311/v2/services.json?locale=en');
    expect(english.json<Array<{ service_name: string }>>()[0]!.service_name).toBe('Pothole');
    const xml = expectXml(await get('/open311/v2/services.xml'), 'services');
    expect(xml.children.map((s) => childText(s, 'service_code'))).toEqual(['pothole', 'streetlight', 'missed-pickup', 'graffiti']);
    expect(xmlValue(xml.children[0]!)).toMatchObject({ service_code: 'pothole', service_name: 'Nid-de-poule', metadata: 'true', type: 'realtime' });
  });

  it('gives a service definition with its attributes, datatypes and values', async () => {
    const json = await get('/open311/v2/services/pothole.json?locale=en');
    expect(json.statusCode).toBe(200);
    const def = json.json<{ service_code: string; attributes: Array<Record<string, unknown>> }>();
    expect(schemas.serviceDefinition(def), JSON.stringify(schemas.serviceDefinition.errors)).toBe(true);
    expect(def.attributes.map((a) => [a.code, a.datatype, a.required, a.order])).toEqual([
      ['size', 'singlevaluelist', true, 1],
      ['lane', 'multivaluelist', false, 2],
    ]);
    expect(def.attributes[0]!.values).toEqual([
      { key: 'small', name: 'Smaller than a plate' },
      { key: 'medium', name: 'About a tyre' },
      { key: 'large', name: 'Larger than a tyre' },
    ]);
    const xml = expectXml(await get('/open311/v2/services/streetlight.xml'), 'service_definition');
    const attributes = xml.children.find((c) => c.name === 'attributes')!.children;
    expect(attributes.map((a) => [a.name, childText(a, 'code'), childText(a, 'datatype')])).toEqual([
      ['attribute', 'pole_number', 'string'],
      ['attribute', 'lights_out', 'number'],
    ]);
  });

  it('answers an unknown service, format or path with the spec’s errors', async () => {
    expectJsonErrors(await get('/open311/v2/services/nope.json'), 404);
    expectXmlErrors(await get('/open311/v2/services/nope.xml'), 404);
    expectXmlErrors(await get('/open311/v2/services/nope'), 404);
    expectXmlErrors(await get('/open311/v2/services.html'), 400);
    expectJsonErrors(await get('/open311/v2/nothing-here.json'), 404);
    expectXmlErrors(await get('/open311/v2/a/b/c'), 404);
  });
});

describe('jurisdiction_id', () => {
  it('picks the town by its slug on any host, refuses an unknown one, and needs one off a town’s host', async () => {
    const neutral = 'api.nowhere.test';
    const res = await get(`/open311/v2/services.json?jurisdiction_id=${town.tenant.slug}`, neutral);
    expect(res.statusCode).toBe(200);
    expect(schemas.services(res.json())).toBe(true);
    expect(expectJsonErrors(await get('/open311/v2/services.json', neutral), 400)[0]).toMatch(/jurisdiction_id/);
    expect(expectJsonErrors(await get('/open311/v2/services.json?jurisdiction_id=no-such-town', neutral), 404)[0]).toMatch(/jurisdiction_id/);
    expectXmlErrors(await get('/open311/v2/services.xml?jurisdiction_id=no-such-town'), 404);
    // The other town's slug on this town's host: the other town's data.
    const theirs = await get(`/open311/v2/requests.json?jurisdiction_id=${other.tenant.slug}`);
    expect(theirs.json()).toEqual([]);
  });
});

describe('POST requests', () => {
  const valid = () => ({ api_key: key, service_code: 'pothole', lat: String(IN_TOWN.lat), long: String(IN_TOWN.lng), 'attribute[size]': 'small', description: 'Par API' });

  it('needs a valid key of this town, not revoked', async () => {
    const { api_key: _omit, ...noKey } = valid();
    expect(expectJsonErrors(await post(noKey), 403)[0]).toMatch(/api_key/);
    expect(expectJsonErrors(await post({ ...valid(), api_key: 'g311_' + 'x'.repeat(43) }), 403)[0]).toMatch(/api_key/);
    expect(expectJsonErrors(await post({ ...valid(), api_key: 'not a key' }), 403)[0]).toMatch(/api_key/);
    expectXmlErrors(await post({ ...valid(), api_key: revokedKey }, { ext: '.xml' }), 403);
    expectJsonErrors(await post({ ...valid(), api_key: otherKey }), 403);
  });

  it('files a request (channel api), answers in both formats, and the request reads back', async () => {
    const res = await post({ ...valid(), 'attribute[lane]': ['road', 'bike'], email: 'api.person@example.test', first_name: 'Fantômas', phone: '819-555-0142' });
    expect(res.statusCode).toBe(200);
    const [created] = res.json<Array<{ service_request_id: string; token: string; account_id: null }>>();
    expect(created!.service_request_id).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    const row = await t.db.withTenant(town.tenant.id, (trx) =>
      trx.selectFrom('requests').select(['channel', 'answers', 'contact_email']).where('tenant_id', '=', town.tenant.id).where('id', '=', created!.token).executeTakeFirstOrThrow(),
    );
    expect(row).toEqual({ channel: 'api', answers: { size: 'small', lane: ['road', 'bike'] }, contact_email: 'api.person@example.test' });
    const back = await get(`/open311/v2/requests/${created!.service_request_id}.json`);
    expect(schemas.requests(back.json()), JSON.stringify(schemas.requests.errors)).toBe(true);
    expect(back.json()).toMatchObject([{ service_request_id: created!.service_request_id, status: 'open', service_code: 'pothole', description: 'Par API' }]);
    const xml = await post({ ...valid(), description: 'En XML' }, { ext: '.xml' });
    expect(xml.statusCode).toBe(200);
    const doc = expectXml(xml, 'service_requests');
    expect(childText(doc.children[0]!, 'service_request_id')).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  });

  it('refuses wrong input with the spec’s errors, and saves nothing', async () => {
    const count = () =>
      t.db.withTenant(town.tenant.id, async (trx) => Number((await trx.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).where('tenant_id', '=', town.tenant.id).executeTakeFirstOrThrow()).n));
    const before = await count();
    expect(expectJsonErrors(await post({ ...valid(), service_code: 'no-such-service' }), 404)[0]).toMatch(/service_code/);
    expect(expectJsonErrors(await post({ ...valid(), service_code: '' }), 400)[0]).toMatch(/service_code/);
    const { 'attribute[size]': _size, ...noSize } = valid();
    expect(expectJsonErrors(await post(noSize), 400)).toEqual(['attribute[size] is required.'.replace('is required', 'est obligatoire')]);
    expect(expectJsonErrors(await post({ ...noSize, locale: 'en' }), 400)).toEqual(['attribute[size] is required.']);
    expect(expectJsonErrors(await post({ ...valid(), 'attribute[size]': 'huge', locale: 'en' }), 400)[0]).toMatch(/attribute\[size\]/);
    expect(expectJsonErrors(await post({ ...valid(), lat: 'north', locale: 'en' }), 400)[0]).toMatch(/lat and long/);
    expect(expectJsonErrors(await post({ ...valid(), long: '', locale: 'en' }), 400)[0]).toMatch(/lat and long/);
    expectJsonErrors(await post({ ...valid(), lat: '95', long: '10' }), 400);
    expect(expectJsonErrors(await post({ ...valid(), lat: String(OUT_OF_TOWN.lat), long: String(OUT_OF_TOWN.lng), locale: 'en' }), 400)[0]).toMatch(/outside the town/);
    const { lat: _lat, long: _long, ...nowhere } = valid();
    expect(expectJsonErrors(await post({ ...nowhere, locale: 'en' }), 400)[0]).toMatch(/location is required/);
    expectJsonErrors(await post({ ...valid(), description: 'x'.repeat(4001) }), 400);
    expectJsonErrors(await post({ ...valid(), 'attribute[lane]': 'river' }), 400);
    expectXmlErrors(await post({ ...valid(), email: 'not-an-email' }, { ext: '.xml' }), 400);
    expectJsonErrors(await post(valid(), { headers: { 'idempotency-key': 'short' } }), 400);
    expect(await count()).toBe(before);
  });

  it('creates one request when a POST is retried (same parameters, or the same Idempotency-Key)', async () => {
    const fields = { ...valid(), description: `Retry ${newKey()}` };
    const first = await post(fields);
    const second = await post(fields);
    const third = await post(fields, { ext: '.xml' });
    const id = first.json<Array<{ token: string }>>()[0]!.token;
    expect(second.json<Array<{ token: string }>>()[0]!.token).toBe(id);
    expect(childText(parseXml(third.body).children[0]!, 'token')).toBe(id);
    const differs = await post({ ...fields, description: `${fields.description} (other)` });
    expect(differs.json<Array<{ token: string }>>()[0]!.token).not.toBe(id);
    const idem = { 'idempotency-key': newKey() };
    const a = await post({ ...valid(), description: 'Avec clé 1' }, { headers: idem });
    const b = await post({ ...valid(), description: 'Avec clé 2 (réessai modifié)' }, { headers: idem });
    expect(a.json<Array<{ token: string }>>()[0]!.token).toBe(b.json<Array<{ token: string }>>()[0]!.token);
  });
});

describe('GET requests', () => {
  it('lists the last 90 days, newest first, valid against the schema, in both formats', async () => {
    const json = await get('/open311/v2/requests.json');
    expect(json.statusCode).toBe(200);
    const list = json.json<Array<Record<string, unknown>>>();
    expect(schemas.requests(list), JSON.stringify(schemas.requests.errors)).toBe(true);
    expect(list.length).toBeGreaterThanOrEqual(4);
    for (const r of list) {
      expect(r.requested_datetime).toMatch(OFFSET_DATE);
      expect(r.updated_datetime).toMatch(OFFSET_DATE);
    }
    const xml = expectXml(await get('/open311/v2/requests.xml'), 'service_requests');
    expect(xml.children.map((r) => childText(r, 'service_request_id'))).toEqual(list.map((r) => r.service_request_id));
  });

  it('shows the closure note, the expected date of open ones, a photo and escapes what residents wrote', async () => {
    const [closed] = (await get(`/open311/v2/requests/${closedRef}.json`)).json<Array<Record<string, unknown>>>();
    expect(closed).toMatchObject({ status: 'closed', status_notes: 'Ampoule remplacée.', expected_datetime: null, agency_responsible: 'Travaux publics' });
    const [withPhoto] = (await get(`/open311/v2/requests/${photoRef}.json`)).json<Array<Record<string, unknown>>>();
    expect(schemas.request(withPhoto)).toBe(true);
    expect(withPhoto!.expected_datetime).toMatch(OFFSET_DATE);
    expect(withPhoto!.lat).toBe(IN_TOWN.lat);
    expect(withPhoto!.long).toBe(IN_TOWN.lng);
    const media = String(withPhoto!.media_url);
    const image = await t.app.inject({ url: new URL(media).pathname + new URL(media).search, headers: { host: 'api.nowhere.test' } });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    const xml = await get(`/open311/v2/requests/${photoRef}.xml`);
    expect(xml.body).toContain('Trou &lt;profond&gt; &amp; &quot;large&quot; &apos;ici&apos;');
    const doc = expectXml(xml, 'service_requests');
    expect(childText(doc.children[0]!, 'description')).toBe('Trou <profond> & "large" \'ici\'  près du parc');
    expect(xmlValue(doc.children[0]!)).toMatchObject({ service_request_id: photoRef, status: 'open', lat: String(IN_TOWN.lat) });
  });

  it('filters by ids (overriding the rest), service_code, status and dates', async () => {
    const ids = async (query: string) => (await get(`/open311/v2/requests.json?${query}`)).json<Array<{ service_request_id: string }>>().map((r) => r.service_request_id);
    expect(await ids(`service_request_id=${photoRef},${closedRef.toLowerCase()},ZZZZ-ZZZZ&service_code=graffiti`)).toEqual(expect.arrayContaining([photoRef, closedRef]));
    expect((await ids(`service_request_id=${photoRef},${closedRef}`)).length).toBe(2);
    expect(await ids('status=closed')).toEqual([closedRef]);
    expect(await ids('service_code=streetlight')).toEqual([closedRef]);
    expect(await ids('service_code=streetlight&status=open')).toEqual([]);
    expect((await ids('status=open,closed')).length).toBeGreaterThanOrEqual(4);
    expect(await ids('start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).toEqual([]);
    const now = Date.now();
    const recent = await ids(`start_date=${new Date(now - 3_600_000).toISOString()}&end_date=${new Date(now + 60_000).toISOString()}`);
    expect(recent).toEqual(expect.arrayContaining([photoRef, closedRef]));
    expectJsonErrors(await get('/open311/v2/requests.json?start_date=yesterday'), 400);
    expectJsonErrors(await get('/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-12-01T00:00:00Z'), 400);
    expectJsonErrors(await get('/open311/v2/requests.json?start_date=2020-02-01&end_date=2020-01-01'), 400);
    expectXmlErrors(await get('/open311/v2/requests.xml?status=pending'), 400);
    expectJsonErrors(await get('/open311/v2/requests.json?page=0'), 400);
    expectJsonErrors(await get('/open311/v2/requests.json?page_size=1001'), 400);
  });

  it('pages beyond the defaults with page and page_size (Link rel="next")', async () => {
    const first = await get('/open311/v2/requests.json?page_size=2');
    expect(first.json<unknown[]>().length).toBe(2);
    const link = String(first.headers.link);
    expect(link).toMatch(/page=2/);
    const next = await get(new URL(/<([^>]+)>/.exec(link)![1]!).pathname + new URL(/<([^>]+)>/.exec(link)![1]!).search);
    const all = (await get('/open311/v2/requests.json')).json<Array<{ service_request_id: string }>>();
    expect(next.json<Array<{ service_request_id: string }>>().map((r) => r.service_request_id)).toEqual(all.slice(2, 4).map((r) => r.service_request_id));
  });

  it('answers one request and a token, and 404 in the spec’s format for unknown ones', async () => {
    expectJsonErrors(await get('/open311/v2/requests/ZZZZ-ZZZZ.json'), 404);
    expectXmlErrors(await get('/open311/v2/requests/not-a-ref.xml'), 404);
    // Another town's request is not found here.
    expectJsonErrors(await get(`/open311/v2/requests/${photoRef}.json`, other.host), 404);
    const [one] = (await get(`/open311/v2/requests/${photoRef}.json`)).json<Array<{ service_request_id: string }>>();
    const filed = await post({ api_key: key, service_code: 'graffiti', address_string: '1, rue Principale', description: 'Tag' });
    expect(filed.statusCode, filed.body).toBe(200);
    const token = filed.json<Array<{ token: string; service_request_id: string }>>()[0]!;
    const json = await get(`/open311/v2/tokens/${token.token}.json`);
    expect(json.json()).toEqual([{ service_request_id: token.service_request_id, token: token.token }]);
    const xml = expectXml(await get(`/open311/v2/tokens/${token.token}.xml`), 'service_requests');
    expect(childText(xml.children[0]!, 'service_request_id')).toBe(token.service_request_id);
    expectJsonErrors(await get('/open311/v2/tokens/00000000-0000-4000-8000-000000000000.json'), 404);
    expectXmlErrors(await get('/open311/v2/tokens/nope'), 404);
    expect(one!.service_request_id).toBe(photoRef);
  });
});

describe('the XML writer', () => {
  it('writes well-formed documents whatever the text holds', async () => {
    const { toXml } = await import('./xml.ts');
    const doc = toXml('root', { a: 'x < y && z > "w" \'v\'', b: null, c: ['1', '2'], d: 'line\u0000break\uD800' }, { c: 'item' });
    const parsed = parseXml(doc);
    expect(xmlValue(parsed)).toEqual({ a: 'x < y && z > "w" \'v\'', b: '', c: { item: '2' }, d: 'linebreak' });
    expect(() => parseXml('<?xml version="1.0" encoding="utf-8"?><a><b></a></b>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="utf-8"?><a>&nbsp;</a>')).toThrow();
  });
});
