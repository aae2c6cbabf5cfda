/**
 * The core rules of service requests through the service: filing (validation, idempotency, area),
 * duplicates and following, tracking by private link, the expected date, the lifecycle with its
 * emails and the "not fixed" reopening; permissions across residents, departments and towns.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTown, openTestDatabase, type TestTown } from '../../../test/harness.ts';
import type { Database } from '../../db/database.ts';
import { listOutbox } from '../../platform/outbox/index.ts';
import { makeResidents } from '../bookings/testing.ts';
import { createStaff } from '../staff/service.ts';
import * as svc from './service.ts';
import { anonymousCaller, IN_TOWN, newKey, OUT_OF_TOWN, residentCaller, seedCatalogue, staffCaller, testJpeg } from './testing.ts';

let db: Database;
let town: TestTown;
let other: TestTown;
let agentId: string;
let deptId: string;

beforeAll(async () => {
  db = await openTestDatabase();
  town = await createTestTown(db, 'Lac-Beauport');
  other = await createTestTown(db, 'Ailleurs');
  deptId = await db.withTenant(town.tenant.id, async (trx) => {
    const row = await trx.insertInto('departments').values({ tenant_id: town.tenant.id, name: JSON.stringify({ fr: 'Travaux publics', en: 'Public works' }) }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  });
  await seedCatalogue(db, town.tenant.id, deptId);
  await seedCatalogue(db, other.tenant.id);
  const agent = await createStaff(db, town.tenant.id, { email: 'agent@lac.test', name: 'Agent', role: 'agent', password: 'correct horse battery staple' });
  agentId = agent.id;
});
afterAll(async () => {
  await db?.close();
});

const anon = () => anonymousCaller(db, town.tenant);
const agent = (departmentIds = [deptId]) => staffCaller(db, town.tenant, { id: agentId, role: 'agent', departmentIds });

function pothole(overrides: Partial<svc.ReportInput> = {}): svc.ReportInput {
  return {
    typeCode: 'pothole',
    location: IN_TOWN,
    address: '12, rue des Érables',
    description: 'Un trou profond devant le numéro 12.',
    answers: { size: 'large', lane: ['road', 'bike'] },
    photos: [],
    contact: { kind: 'email', email: 'marie@example.test' },
    locale: 'fr',
    channel: 'web',
    idempotencyKey: newKey(),
    ...overrides,
  };
}

async function mailsTo(email: string) {
  const page = await listOutbox(db, town.tenant.id, { page: 1, pageSize: 200 });
  return page.items.filter((m) => m.recipient === email);
}

describe('catalogue', () => {
  it('searches names, groups and keywords in both languages, accents and case ignored', async () => {
    const codes = async (q: string) => (await svc.listRequestTypes(db, town.tenant.id, q)).map((t) => t.code);
    expect(await codes('')).toEqual(['pothole', 'streetlight', 'missed-pickup', 'graffiti']);
    expect(await codes('ECLAIRAGE')).toEqual(['streetlight']);
    expect(await codes('lampadaire')).toEqual(['streetlight']);
    expect(await codes('nid de poule')).toEqual(['pothole']);
    expect(await codes('garbage')).toEqual(['missed-pickup']);
    expect(await codes('déchets')).toEqual(['missed-pickup']);
    expect(await codes('zzz')).toEqual([]);
  });

  it('gives a type with its questions in order, and nothing for an unknown code', async () => {
    const type = await svc.getRequestType(db, town.tenant.id, 'pothole');
    expect(type?.questions.map((q) => [q.code, q.datatype, q.required])).toEqual([
      ['size', 'singlevaluelist', true],
      ['lane', 'multivaluelist', false],
    ]);
    expect(await svc.getRequestType(db, town.tenant.id, 'nope')).toBeNull();
    expect(await svc.getRequestType(db, town.tenant.id, '../etc')).toBeNull();
  });
});

describe('answers by datatype', () => {
  const q = (datatype: svc.QuestionDatatype, required = true): svc.Question => ({
    id: 'x',
    code: 'q',
    datatype,
    required,
    position: 0,
    label: { fr: 'Q', en: 'Q' },
    help: { fr: '', en: '' },
    values: [
      { key: 'a', name: { fr: 'A', en: 'A' } },
      { key: 'b', name: { fr: 'B', en: 'B' } },
    ],
  });
  it('accepts and converts good answers', () => {
    expect(svc.checkAnswers([q('number')], { q: '3,5' })).toEqual({ ok: true, answers: { q: 3.5 } });
    expect(svc.checkAnswers([q('datetime')], { q: '2026-11-27' })).toEqual({ ok: true, answers: { q: '2026-11-27' } });
    expect(svc.checkAnswers([q('datetime')], { q: '2026-11-27T08:30' })).toEqual({ ok: true, answers: { q: '2026-11-27T08:30' } });
    expect(svc.checkAnswers([q('multivaluelist')], { q: ['b', 'a', 'b'] })).toEqual({ ok: true, answers: { q: ['a', 'b'] } });
    expect(svc.checkAnswers([q('string', false)], {})).toEqual({ ok: true, answers: {} });
  });
  it('refuses wrong ones with a code per question', () => {
    expect(svc.checkAnswers([q('number')], { q: 'douze' })).toEqual({ ok: false, errors: { q: 'number' } });
    expect(svc.checkAnswers([q('datetime')], { q: '2026-02-30' })).toEqual({ ok: false, errors: { q: 'datetime' } });
    expect(svc.checkAnswers([q('singlevaluelist')], { q: 'z' })).toEqual({ ok: false, errors: { q: 'choice' } });
    expect(svc.checkAnswers([q('singlevaluelist')], { q: ['a', 'b'] })).toEqual({ ok: false, errors: { q: 'choice' } });
    expect(svc.checkAnswers([q('multivaluelist')], { q: ['a', 'z'] })).toEqual({ ok: false, errors: { q: 'choice' } });
    expect(svc.checkAnswers([q('text')], { q: '   ' })).toEqual({ ok: false, errors: { q: 'required' } });
    expect(svc.checkAnswers([q('string')], { q: 'x'.repeat(301) })).toEqual({ ok: false, errors: { q: 'tooLong' } });
  });
});

describe('filing a request', () => {
  it('files once per idempotency key, with its photo, first event and acknowledgement', async () => {
    const input = pothole({ photos: [{ contentType: 'image/jpeg', bytes: await testJpeg(), width: 64, height: 48 }] });
    const first = await svc.submitRequest(anon(), input);
    const again = await svc.submitRequest(anon(), input);
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(first.request.reference).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(first.request.created).toBe(true);
    expect(again.request).toEqual({ ...first.request, created: false });
    const tracked = await svc.trackByLink(anon(), first.request.reference, first.request.trackingToken);
    expect(tracked.status).toBe('new');
    expect(tracked.photos).toHaveLength(1);
    expect(tracked.events.map((e) => e.kind)).toEqual(['created']);
    expect(tracked.answers.map((a) => a.value)).toEqual([[{ fr: 'Plus grand qu’un pneu', en: 'Larger than a tyre' }], [{ fr: 'Voie de circulation', en: 'Traffic lane' }, { fr: 'Piste cyclable', en: 'Bike lane' }]]);
    expect(tracked.expected).toMatchObject({ days: 5, basis: 'target' });
    const mails = await mailsTo('marie@example.test');
    expect(mails.filter((m) => m.subject.includes(first.request.reference))).toHaveLength(1);
  });

  it('refuses every wrong input at its field and saves nothing', async () => {
    const before = await db.withTenant(town.tenant.id, (trx) => trx.selectFrom('requests').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow());
    const cases: Array<[Partial<svc.ReportInput>, Record<string, string>]> = [
      [{ typeCode: 'nope' }, { type: 'unknownType' }],
      [{ location: OUT_OF_TOWN }, { location: 'outsideTown' }],
      [{ location: { lat: 91, lng: 0 } }, { location: 'badLocation' }],
      [{ location: null, address: ' ' }, { location: 'locationRequired' }],
      [{ description: 'x'.repeat(4001) }, { description: 'tooLong' }],
      [{ answers: { lane: ['road'] } }, { 'answer.size': 'required' }],
      [{ answers: { size: 'huge' } }, { 'answer.size': 'choice' }],
      [{ typeCode: 'streetlight', answers: { lights_out: 'two' } }, { 'answer.lights_out': 'number' }],
      [{ contact: { kind: 'email', email: 'not-an-email' } }, { email: 'badEmail' }],
      [{ contact: { kind: 'none' } }, { email: 'required' }],
      [{ typeCode: 'missed-pickup', answers: { stream: 'garbage', pickup_day: '2026-11-26' } }, { contact: 'signInRequired' }],
    ];
    for (const [overrides, errors] of cases) {
      const res = await svc.submitRequest(anon(), pothole(overrides));
      expect(res, JSON.stringify(overrides)).toEqual({ ok: false, errors });
    }
    const after = await db.withTenant(town.tenant.id, (trx) => trx.selectFrom('requests').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow());
    expect(after.n).toBe(before.n);
    const exactly = await svc.submitRequest(anon(), pothole({ description: 'é'.repeat(4000) }));
    expect(exactly.ok).toBe(true);
  });

  it('lets staff enter a request by phone without an address, recorded as theirs', async () => {
    const res = await svc.submitRequest(agent(), pothole({ channel: 'phone', contact: { kind: 'none', name: 'Gérard', phone: '418 555-0101' } }));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const row = await db.withTenant(town.tenant.id, (trx) => trx.selectFrom('requests').select(['channel', 'created_by', 'contact_phone']).where('id', '=', res.request.id).executeTakeFirstOrThrow());
    expect(row).toEqual({ channel: 'phone', created_by: agentId, contact_phone: '418 555-0101' });
    await expect(svc.submitRequest(anon(), pothole({ channel: 'phone' }))).rejects.toMatchObject({ code: 'badRequest' });
  });
});

describe('duplicates and following', () => {
  it('shows open requests of the same type nearby, and lets a resident follow one', async () => {
    const filed = await svc.submitRequest(anon(), pothole({ location: { lat: 46.99, lng: -71.3 }, address: 'Chemin du Moulin' }));
    if (!filed.ok) throw new Error('not filed');
    const near = await svc.findNearbyOpen(anon(), 'pothole', { lat: 46.9905, lng: -71.3 });
    expect(near.map((n) => n.reference)).toContain(filed.request.reference);
    expect(near.find((n) => n.reference === filed.request.reference)?.distance).toBeLessThan(100);
    expect(await svc.findNearbyOpen(anon(), 'graffiti', { lat: 46.9905, lng: -71.3 })).toEqual([]);
    expect(await svc.findNearbyOpen(anon(), 'pothole', { lat: 46.999, lng: -71.3 })).toEqual([]);

    const [resident] = await makeResidents(db, town.tenant.id, 1, 'en');
    const me = residentCaller(db, town.tenant, resident!);
    const followed = await svc.followRequest(me, filed.request.reference, { kind: 'resident', resident: resident! });
    expect(followed).toMatchObject({ ok: true, created: true, trackingToken: null });
    expect(await svc.followRequest(me, filed.request.reference, { kind: 'resident', resident: resident! })).toMatchObject({ ok: true, created: false });
    const mine = await svc.listMyRequests(me);
    expect(mine.map((m) => [m.reference, m.relation])).toEqual([[filed.request.reference, 'follower']]);
    const seen = await svc.trackMine(me, filed.request.reference);
    expect(seen.viewer).toBe('follower');
    expect(seen.answers).toEqual([]);

    const byEmail = await svc.followRequest(anon(), filed.request.reference.toLowerCase(), { kind: 'email', email: 'voisin@example.test', locale: 'fr' });
    if (!byEmail.ok || !byEmail.trackingToken) throw new Error('not followed');
    expect((await svc.trackByLink(anon(), filed.request.reference, byEmail.trackingToken)).viewer).toBe('follower');
    expect((await mailsTo('voisin@example.test'))[0]?.subject).toContain(filed.request.reference);
  });
});

describe('duplicates by address', () => {
  it('matches an open request with the same address typed in, accents and punctuation ignored', async () => {
    const filed = await svc.submitRequest(anon(), pothole({ location: null, address: '88, Rue des Épinettes' }));
    if (!filed.ok) throw new Error('not filed');
    const same = await svc.findSimilarOpen(anon(), 'pothole', { point: null, address: '88 rue des epinettes' });
    expect(same.map((n) => n.reference)).toEqual([filed.request.reference]);
    expect(await svc.findSimilarOpen(anon(), 'pothole', { point: null, address: '89 rue des Épinettes' })).toEqual([]);
    expect(await svc.findSimilarOpen(anon(), 'graffiti', { point: null, address: '88 rue des epinettes' })).toEqual([]);
    expect(await svc.findSimilarOpen(anon(), 'pothole', { point: null, address: ' , ' })).toEqual([]);
  });
});

describe('tracking by private link', () => {
  it('is not found with a wrong token, another reference, or from another town', async () => {
    const a = await svc.submitRequest(anon(), pothole());
    const b = await svc.submitRequest(anon(), pothole());
    if (!a.ok || !b.ok) throw new Error('not filed');
    await expect(svc.trackByLink(anon(), a.request.reference, b.request.trackingToken)).rejects.toMatchObject({ code: 'notFound' });
    await expect(svc.trackByLink(anon(), a.request.reference, 'x'.repeat(43))).rejects.toMatchObject({ code: 'notFound' });
    await expect(svc.trackByLink(anon(), 'ZZZZ-ZZZZ', a.request.trackingToken)).rejects.toMatchObject({ code: 'notFound' });
    await expect(svc.trackByLink(anonymousCaller(db, other.tenant), a.request.reference, a.request.trackingToken)).rejects.toMatchObject({ code: 'notFound' });
    const [stranger] = await makeResidents(db, town.tenant.id, 1);
    await expect(svc.trackMine(residentCaller(db, town.tenant, stranger!), a.request.reference)).rejects.toMatchObject({ code: 'notFound' });
  });
});

describe('lifecycle', () => {
  it('moves through statuses with public events and emails; closing needs a note; the requester may reopen', async () => {
    const [resident] = await makeResidents(db, town.tenant.id, 1, 'en');
    const me = residentCaller(db, town.tenant, resident!);
    const filed = await svc.submitRequest(me, pothole({ contact: { kind: 'resident', resident: resident! }, locale: 'fr' }));
    if (!filed.ok) throw new Error('not filed');
    const id = filed.request.id;
    await svc.followRequest(anon(), filed.request.reference, { kind: 'email', email: 'suiveur@example.test', locale: 'fr' });

    expect(await svc.changeStatus(agent(), id, 'acknowledged', null, 'fr')).toMatchObject({ ok: true });
    expect(await svc.changeStatus(agent(), id, 'acknowledged', null, 'fr')).toEqual({ ok: false, error: 'sameStatus' });
    expect(await svc.addPublicReply(agent(), id, 'Une équipe passera jeudi.', 'fr')).toMatchObject({ ok: true });
    expect(await svc.closeWithNote(agent(), id, '   ', 'fr')).toEqual({ ok: false, error: 'noteRequired' });
    const photo = { contentType: 'image/jpeg' as const, bytes: await testJpeg(32, 32), width: 32, height: 32 };
    expect(await svc.closeWithNote(agent(), id, 'Trou rebouché à l’asphalte chaud.', 'fr', photo)).toMatchObject({ ok: true });
    expect(await svc.addPublicReply(agent(), id, 'Trop tard', 'fr')).toEqual({ ok: false, error: 'closed' });

    const tracked = await svc.trackMine(me, filed.request.reference);
    expect(tracked.events.map((e) => e.kind)).toEqual(['created', 'status_changed', 'public_reply', 'closed']);
    expect(tracked.events.at(-1)?.photoIds).toHaveLength(1);
    expect(tracked.reopenUntil).not.toBeNull();
    expect(tracked.expected).toBeNull();

    // The resident reads English; the follower French.
    const resMails = await mailsTo(resident!.email);
    expect(resMails.map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringContaining('received'), expect.stringContaining('Acknowledged'), expect.stringContaining('new reply'), expect.stringContaining('closed')]),
    );
    const folMails = await mailsTo('suiveur@example.test');
    expect(folMails.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringContaining('Prise en charge'), expect.stringContaining('fermée')]));

    // A follower cannot reopen; the requester can, once.
    const [stranger] = await makeResidents(db, town.tenant.id, 1);
    await expect(svc.reopenByResident(residentCaller(db, town.tenant, stranger!), { kind: 'resident', resident: stranger!, reference: filed.request.reference }, null, 'fr')).rejects.toMatchObject({ code: 'notFound' });
    expect(await svc.reopenByResident(me, { kind: 'resident', resident: resident!, reference: filed.request.reference }, 'Toujours là.', 'en')).toMatchObject({ ok: true });
    const after = await svc.trackMine(me, filed.request.reference);
    expect(after).toMatchObject({ status: 'in_progress', reopened: true, closedAt: null, reopenUntil: null });
    expect(await svc.reopenByResident(me, { kind: 'resident', resident: resident!, reference: filed.request.reference }, null, 'en')).toEqual({ ok: false, error: 'notClosed' });
  });

  it('sends no updates to a resident who turned them off, but still the acknowledgement', async () => {
    const [resident] = await makeResidents(db, town.tenant.id, 1, 'fr');
    await db.withTenant(town.tenant.id, (trx) => trx.updateTable('residents').set({ notify_updates: false }).where('id', '=', resident!.id).execute());
    const filed = await svc.submitRequest(residentCaller(db, town.tenant, resident!), pothole({ contact: { kind: 'resident', resident: resident! } }));
    if (!filed.ok) throw new Error('not filed');
    await svc.addPublicReply(agent(), filed.request.id, 'Reçu.', 'fr');
    const subjects = (await mailsTo(resident!.email)).map((m) => m.subject);
    expect(subjects).toHaveLength(1);
    expect(subjects[0]).toContain('reçue');
  });

  it('refuses reopening after the window, and through a follower link', async () => {
    const filed = await svc.submitRequest(anon(), pothole());
    if (!filed.ok) throw new Error('not filed');
    const fol = await svc.followRequest(anon(), filed.request.reference, { kind: 'email', email: 'x@example.test', locale: 'en' });
    await svc.closeWithNote(agent(), filed.request.id, 'Fait.', 'fr');
    if (!fol.ok) throw new Error('not followed');
    await expect(svc.reopenByResident(anon(), { kind: 'link', reference: filed.request.reference, token: fol.trackingToken! }, null, 'en')).rejects.toMatchObject({ code: 'notFound' });
    await db.withTenant(town.tenant.id, (trx) =>
      trx.updateTable('requests').set({ closed_at: sql<Date>`now() - interval '15 days'`, requested_at: sql<Date>`now() - interval '16 days'` }).where('id', '=', filed.request.id).execute(),
    );
    expect(await svc.reopenByResident(anon(), { kind: 'link', reference: filed.request.reference, token: filed.request.trackingToken }, null, 'fr')).toEqual({ ok: false, error: 'tooLate' });
  });

  it('keeps agents to their departments and towns apart', async () => {
    const filed = await svc.submitRequest(anon(), pothole());
    if (!filed.ok) throw new Error('not filed');
    await expect(svc.changeStatus(agent([]), filed.request.id, 'in_progress', null, 'fr')).rejects.toMatchObject({ code: 'forbidden' });
    const elsewhere = staffCaller(db, other.tenant, { id: agentId, role: 'admin' });
    await expect(svc.changeStatus(elsewhere, filed.request.id, 'in_progress', null, 'fr')).rejects.toMatchObject({ code: 'notFound' });
    const [resident] = await makeResidents(db, town.tenant.id, 1);
    await expect(svc.addPublicReply(residentCaller(db, town.tenant, resident!), filed.request.id, 'hi', 'fr')).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('expected date', () => {
  it('is the median of recent closures once there are enough, else the target', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(svc.expectation([], 48, at)).toEqual({ days: 2, at: new Date('2026-01-03T00:00:00Z'), basis: 'target' });
    const day = 86_400;
    expect(svc.expectation([1 * day, 4 * day, 3.5 * day, 10 * day], 48, at)).toMatchObject({ days: 4, basis: 'history' });
  });
});
