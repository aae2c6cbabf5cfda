/** Administrators search the audit trail and export it as CSV; both are themselves audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { AUDIT_ACTIONS, recordAudit, type AuditEvent } from '../../platform/audit.ts';
import { loadMessages } from '../../platform/i18n.ts';
import { AUDIT_PAGE_SIZE } from './audit.ts';
import { addPerson, adminTown, type AdminTown, type TestPerson } from './testing.ts';

let t: TestApp;
let a: AdminTown;
let b: AdminTown;
let tricky: TestPerson;

async function addEvent(town: TestTown, event: Omit<AuditEvent, 'tenantId'>, at?: string) {
  await t.db.withTenant(town.tenant.id, async (trx) => {
    if (!at) return recordAudit(trx, { ...event, tenantId: town.tenant.id });
    // The trail is append-only: an event "in the past" is written with its date, never changed afterwards.
    await trx
      .insertInto('audit_events')
      .values({
        tenant_id: town.tenant.id,
        at,
        actor_kind: event.actor.kind,
        actor_id: event.actor.id ?? null,
        action: event.action,
        subject_kind: event.subject?.kind ?? null,
        subject_id: event.subject?.id ?? null,
        ip: event.ip ?? null,
        details: JSON.stringify(event.details ?? {}),
      })
      .execute();
  });
}

beforeAll(async () => {
  t = await createTestApp();
  a = await adminTown(t, await createTestTown(t.db, 'Asbestos'));
  b = await adminTown(t, await createTestTown(t.db, 'Beloeil'));
  // Town A is in Toronto's time zone (the default): 2025-03-10 starts at 04:00 UTC (EDT).
  tricky = await addPerson(t, a, 'agent', '=HYPERLINK("http://evil.test")');
  await addEvent(a, { actor: { kind: 'staff', id: a.agentA.id }, action: 'staff.signIn', ip: '203.0.113.5' }, '2025-03-10T03:59:00Z');
  await addEvent(a, { actor: { kind: 'staff', id: a.agentA.id }, action: 'staff.signIn', ip: '203.0.113.5' }, '2025-03-10T04:00:00Z');
  await addEvent(a, { actor: { kind: 'staff', id: a.manager.id }, action: 'mail.viewed', subject: { kind: 'outbox', id: 'msg-1' } }, '2025-03-11T15:00:00Z');
  await addEvent(
    a,
    { actor: { kind: 'anonymous' }, action: 'staff.signInFailed', ip: '198.51.100.9', details: { reason: 'wrongPassword', note: '-1+1, "quoted"' } },
    '2025-03-12T03:59:00Z',
  );
  await addEvent(a, { actor: { kind: 'staff', id: tricky.id }, action: 'contact.viewed', subject: { kind: 'contact_message', id: '@SUM(1)' } }, '2025-03-12T12:00:00Z');
  await addEvent(b, { actor: { kind: 'staff', id: b.admin.id }, action: 'staff.signIn', ip: '192.0.2.99' }, '2025-03-10T12:00:00Z');
});
afterAll(() => t.close());

const get = (town: AdminTown, url: string, cookie = town.admin.cookie) => t.app.inject({ url, headers: { host: town.host, cookie } });
const rows = (body: string) => (body.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? '').split('<tr').length - 1;

describe('searching the audit trail', () => {
  it.each([
    ['fr', 'Journal d’audit', 'Connexion du personnel', 'Courriel consulté dans la boîte d’envoi'],
    ['en', 'Audit trail', 'Staff sign-in', 'Email opened in the mailbox'],
  ] as const)('lists the town’s events newest first in %s, with people’s names and readable actions', async (lang, title, signIn, mailViewed) => {
    const res = await get(a, `/${lang}/staff/admin/audit?from=2025-03-01&to=2025-03-31`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body).toContain(signIn);
    expect(res.body).toContain(mailViewed);
    expect(res.body).toContain(a.agentA.name);
    expect(res.body).toContain('203.0.113.5');
    expect(rows(res.body)).toBe(5);
    // Newest first.
    expect(res.body.indexOf('=HYPERLINK')).toBeLessThan(res.body.indexOf(a.manager.name));
    // Escaped, and never another town's events.
    expect(res.body).toContain('=HYPERLINK(&quot;http://evil.test&quot;)');
    expect(res.body).not.toContain('192.0.2.99');
  });

  it('filters by day in the town’s time zone, by action, by actor and by subject', async () => {
    const day = await get(a, '/en/staff/admin/audit?from=2025-03-10&to=2025-03-11');
    expect(rows(day.body)).toBe(3); // 03:59 UTC on the 10th is still the 9th in Toronto; 03:59 UTC on the 12th is the 11th.
    expect(day.body).toContain('Events found: 3');
    const action = await get(a, '/en/staff/admin/audit?action=staff.signIn&to=2025-12-31');
    expect(rows(action.body)).toBe(2);
    const actor = await get(a, `/en/staff/admin/audit?actor=staff:${a.manager.id}`);
    expect(rows(actor.body)).toBe(1);
    expect(actor.body).toContain('msg-1');
    const anonymous = await get(a, '/en/staff/admin/audit?actor=kind:anonymous');
    expect(rows(anonymous.body)).toBe(1);
    expect(anonymous.body).toContain('Anonymous visitor');
    const subject = await get(a, '/fr/staff/admin/audit?subject=msg-1');
    expect(rows(subject.body)).toBe(1);
    // A staff member's email finds the events about them.
    const byEmail = await get(a, `/fr/staff/admin/audit?subject=${encodeURIComponent(a.agentB.email.toUpperCase())}&action=staff.departmentsChanged`);
    expect(rows(byEmail.body)).toBe(1);
    const none = await get(a, '/fr/staff/admin/audit?subject=nothing-here');
    expect(none.body).toContain('Aucun événement ne correspond à ces filtres.');
  });

  it('names departments in the page’s language and shows details as readable pairs', async () => {
    const fr = await get(a, '/fr/staff/admin/audit?action=department.created');
    expect(rows(fr.body)).toBe(2);
    expect(fr.body).toContain(`href="/fr/staff/admin/departments/${a.departmentA}">Travaux publics</a>`);
    const en = await get(a, '/en/staff/admin/audit?action=department.created');
    expect(en.body).toContain(`href="/en/staff/admin/departments/${a.departmentA}">Public Works</a>`);
    expect(en.body).toContain('<code>name: {&quot;en&quot;:&quot;Public Works&quot;,&quot;fr&quot;:&quot;Travaux publics&quot;}</code>');
  });

  it('pages through many events, keeping the filters in the links', async () => {
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
      await addEvent(a, { actor: { kind: 'system' }, action: 'staff.created', subject: { kind: 'staff', id: `bulk-${i}` } }, `2024-06-01T12:${String(i % 60).padStart(2, '0')}:00Z`);
    }
    const first = await get(a, '/en/staff/admin/audit?actor=kind:system&to=2024-12-31');
    expect(rows(first.body)).toBe(AUDIT_PAGE_SIZE);
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('href="/en/staff/admin/audit?to=2024-12-31&amp;actor=kind%3Asystem&amp;page=2"');
    const second = await get(a, '/fr/staff/admin/audit?actor=kind:system&to=2024-12-31&page=2');
    expect(rows(second.body)).toBe(5);
    expect(second.body).toContain('Page 2 de 2');
  });

  it('refuses filters that make no sense with 422 and a message at each field', async () => {
    const bad = await get(a, '/fr/staff/admin/audit?from=2025-02-30&to=hier&actor=staff:nobody&action=drop.tables');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Il y a un problème');
    for (const f of ['from', 'to', 'actor', 'action']) expect(bad.body).toContain(`href="#${f}"`);
    expect(bad.body).toContain('Inscrivez une date valide dans « Du »');
    const range = await get(a, '/en/staff/admin/audit?from=2025-03-12&to=2025-03-10');
    expect(range.statusCode).toBe(422);
    expect(range.body).toContain('The end date must be on or after the start date.');
    expect((await get(a, '/en/staff/admin/audit?page=zero')).statusCode).toBe(400);
  });

  it('records each search, with its filters, in the trail', async () => {
    await get(a, '/en/staff/admin/audit?action=mail.viewed&subject=msg-1');
    const viewed = await t.db.withTenant(a.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', 'audit.viewed').orderBy('id', 'desc').executeTakeFirstOrThrow(),
    );
    expect(viewed).toEqual({ actor_id: a.admin.id, details: { filters: { action: 'mail.viewed', subject: 'msg-1' }, page: 1 } });
  });
});

describe('exporting the audit trail', () => {
  it('sends a CSV file for Excel: BOM, CRLF, quoted fields, formulas neutralized, dated file name', async () => {
    const res = await get(a, '/fr/staff/admin/audit/export?from=2025-03-01&to=2025-03-31');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="audit-${a.tenant.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    expect(res.headers['cache-control']).toBe('no-store');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'Date;Type d’acteur;Identifiant de l’acteur;Acteur;Code de l’action;Action;Type de sujet;Identifiant du sujet;Sujet;Adresse IP;Détails',
    );
    expect(lines).toHaveLength(7); // header, 5 events, and the empty string after the last CRLF
    expect(lines.at(-1)).toBe('');
    // Newest first, dates in the town's time zone with the offset.
    expect(lines[1]).toMatch(/^2025-03-12T08:00:00-04:00;staff;/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.test"")"`);
    expect(lines[1]).toContain(";'@SUM(1);");
    expect(lines[2]).toMatch(/^2025-03-11T23:59:00-04:00;anonymous;;Visiteur anonyme;staff.signInFailed;Échec de connexion du personnel;/);
    // (jsonb keeps the shorter key first.)
    expect(lines[2]).toContain('"{""note"":""-1+1, \\""quoted\\"""",""reason"":""wrongPassword""}"');
    expect(lines[4]).toMatch(/^2025-03-10T00:00:00-04:00;staff;/);
    expect(lines[5]).toMatch(/^2025-03-09T23:59:00-04:00;staff;/);
    expect(text).not.toContain('192.0.2.99');
  });

  it('applies the filters, records the export, and refuses wrong filters with the page and 422', async () => {
    const res = await get(a, `/en/staff/admin/audit/export?actor=staff:${a.agentA.id}&action=staff.signIn`);
    const lines = res.rawPayload.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toContain('Actor type');
    expect(lines).toHaveLength(4);
    const exported = await t.db.withTenant(a.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', 'audit.exported').orderBy('id', 'desc').executeTakeFirstOrThrow(),
    );
    expect(exported).toEqual({ actor_id: a.admin.id, details: { filters: { actor: `staff:${a.agentA.id}`, action: 'staff.signIn' }, rows: 2 } });
    const bad = await get(a, '/en/staff/admin/audit/export?from=31/03/2025');
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('text/html');
    expect(bad.body).toContain('Enter a real date in “From”');
  });

  it('is for administrators only, and only of their own town', async () => {
    for (const person of [a.agentA, a.manager]) {
      expect((await get(a, '/fr/staff/admin/audit/export', person.cookie)).statusCode).toBe(403);
      expect((await get(a, '/fr/staff/admin/audit', person.cookie)).statusCode).toBe(403);
    }
    const foreign = await get(b, '/en/staff/admin/audit/export?to=2025-12-31');
    const text = foreign.rawPayload.toString('utf8');
    expect(text).toContain('192.0.2.99');
    expect(text).not.toContain('203.0.113.5');
  });
});

describe('the list of audit actions', () => {
  it('gives every action a name for people in both languages', () => {
    for (const lang of ['fr', 'en'] as const) {
      const messages = loadMessages(lang);
      const missing = AUDIT_ACTIONS.filter((action) => !messages.has(`admin.audit.actions.${action}`));
      // An action added to AUDIT_ACTIONS needs its label under audit.actions in locales/{fr,en}/admin.json.
      expect({ lang, missing }).toEqual({ lang, missing: [] });
    }
  });
});
