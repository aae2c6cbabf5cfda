/**
 * The permission matrix through the real app: each role against each kind of record that exists
 * (staff accounts, departments, the audit trail, the outbox through the mailbox, contact messages),
 * by direct URL and by guessed or another town's ids. Refusals are recorded in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../test/harness.ts';
import { submitContactMessage } from '../contact/service.ts';
import { addPerson, adminTown, type AdminTown } from './testing.ts';

let t: TestApp;
let a: AdminTown;
let b: AdminTown;
let disabledCookie: string;
const ids: Record<string, string> = {};
const GUESS = '00000000-0000-4000-8000-000000000001';

async function addMail(town: TestTown, key: string): Promise<string> {
  const row = await t.db.withTenant(town.tenant.id, (trx) =>
    trx
      .insertInto('outbox')
      .values({ tenant_id: town.tenant.id, dedupe_key: `matrix:${key}`, recipient: `r-${key}@example.org`, locale: 'fr', subject: `S ${key}`, body_text: 'Bonjour' })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

beforeAll(async () => {
  t = await createTestApp();
  a = await adminTown(t, await createTestTown(t.db, 'Alma'));
  b = await adminTown(t, await createTestTown(t.db, 'Baie-Saint-Paul'));
  const gone = await addPerson(t, a, 'manager', 'Gilles Parti');
  disabledCookie = gone.cookie;
  await t.db.withTenant(a.tenant.id, (trx) => trx.updateTable('staff_users').set({ disabled_at: new Date() }).where('id', '=', gone.id).execute());
  ids.mailA = await addMail(a, 'a');
  ids.mailB = await addMail(b, 'b');
  const contact = { name: 'Camille', email: 'camille@example.org', message: 'Bonjour', locale: 'fr' as const };
  ids.refA = (await submitContactMessage(t.db, a.tenant, { ...contact, idempotencyKey: 'matrix-key-town-a-0001' })).reference;
  ids.refB = (await submitContactMessage(t.db, b.tenant, { ...contact, idempotencyKey: 'matrix-key-town-b-0001' })).reference;
  const contactId = (town: TestTown) =>
    t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('contact_messages').select('id').where('tenant_id', '=', town.tenant.id).executeTakeFirstOrThrow()).then((r) => r.id);
  ids.contactA = await contactId(a);
  ids.contactB = await contactId(b);
});
afterAll(() => t.close());

type Role = 'visitor' | 'disabled' | 'otherTownAdmin' | 'agent' | 'manager' | 'admin';
const ROLES: Role[] = ['visitor', 'disabled', 'otherTownAdmin', 'agent', 'manager', 'admin'];

function cookieOf(role: Role): string | undefined {
  switch (role) {
    case 'visitor':
      return undefined;
    case 'disabled':
      return disabledCookie;
    case 'otherTownAdmin':
      return b.admin.cookie; // town B's session, sent to town A's host
    case 'agent':
      return a.agentA.cookie;
    case 'manager':
      return a.manager.cookie;
    case 'admin':
      return a.admin.cookie;
  }
}

/** What each role gets: 'in' = a sign-in redirect; a number = that status. */
type Outcome = number | 'in';
const SIGNED_OUT = { visitor: 'in', disabled: 'in', otherTownAdmin: 'in' } as const;
const adminOnly = (admin: Outcome): Record<Role, Outcome> => ({ ...SIGNED_OUT, agent: 403, manager: 403, admin });
const staffOnly = (staff: Outcome): Record<Role, Outcome> => ({ ...SIGNED_OUT, agent: staff, manager: staff, admin: staff });
const managersUp = (status: Outcome): Record<Role, Outcome> => ({ ...SIGNED_OUT, agent: 403, manager: status, admin: status });
const everyone = (status: number): Record<Role, Outcome> => ({ visitor: status, disabled: status, otherTownAdmin: status, agent: status, manager: status, admin: status });

function pages(): Array<[string, Record<Role, Outcome>]> {
  return [
    // Staff accounts
    ['/fr/staff/admin', adminOnly(303)],
    ['/fr/staff/admin/staff', adminOnly(200)],
    ['/en/staff/admin/staff/invite', adminOnly(200)],
    [`/fr/staff/admin/staff/${a.agentB.id}`, adminOnly(200)],
    [`/fr/staff/admin/staff/${b.agentB.id}`, adminOnly(404)],
    [`/en/staff/admin/staff/${GUESS}`, adminOnly(404)],
    // Departments
    ['/fr/staff/admin/departments', adminOnly(200)],
    [`/en/staff/admin/departments/${a.departmentB}`, adminOnly(200)],
    [`/fr/staff/admin/departments/${b.departmentA}`, adminOnly(404)],
    [`/fr/staff/admin/departments/${GUESS}`, adminOnly(404)],
    // The audit trail
    ['/fr/staff/admin/audit', adminOnly(200)],
    ['/en/staff/admin/audit/export', adminOnly(200)],
    // The outbox, through the development mailbox (staff; administrators only in production)
    ['/fr/staff/mail', staffOnly(200)],
    [`/fr/staff/mail/${ids.mailA}`, staffOnly(200)],
    [`/en/staff/mail/${ids.mailB}`, staffOnly(404)],
    [`/fr/staff/mail/${GUESS}`, staffOnly(404)],
    // Contact messages: the confirmation is public by its reference, in its own town only.
    [`/fr/contact/sent/${ids.refA}`, everyone(200)],
    [`/en/contact/sent/${ids.refB}`, everyone(404)],
    ['/fr/contact/sent/ABCD-EFGH', everyone(404)],
    // …and read by managers and administrators, in their own town.
    ['/fr/staff/messages', managersUp(200)],
    [`/en/staff/messages/${ids.contactA}`, managersUp(200)],
    [`/fr/staff/messages/${ids.contactB}`, managersUp(404)],
    [`/fr/staff/messages/${GUESS}`, managersUp(404)],
  ];
}

function forms(): Array<[string, Record<string, string>, Record<Role, Outcome>]> {
  return [
    ['/fr/staff/admin/staff/invite', { name: 'X', email: 'x@example.org', locale: 'fr', role: 'manager' }, adminOnly(303)],
    [`/fr/staff/admin/staff/${a.agentB.id}/access`, { role: 'agent', departments: a.departmentB }, adminOnly(303)],
    [`/fr/staff/admin/staff/${b.agentB.id}/access`, { role: 'admin' }, adminOnly(404)],
    [`/fr/staff/admin/staff/${GUESS}/status`, { to: 'off' }, adminOnly(404)],
    [`/fr/staff/admin/staff/${b.agentB.id}/status`, { to: 'off' }, adminOnly(404)],
    [`/en/staff/admin/staff/${b.agentB.id}/invitation`, {}, adminOnly(404)],
    ['/fr/staff/admin/departments', { nameFr: 'Matrice', nameEn: 'Matrix' }, adminOnly(303)],
    [`/fr/staff/admin/departments/${a.departmentB}`, { nameFr: 'Loisirs', nameEn: 'Recreation' }, adminOnly(303)],
    [`/fr/staff/admin/departments/${b.departmentB}`, { nameFr: 'Piraté', nameEn: 'Hacked' }, adminOnly(404)],
    [`/en/staff/admin/departments/${b.departmentB}/status`, { to: 'off' }, adminOnly(404)],
  ];
}

function outcomeOf(res: { statusCode: number; headers: Record<string, unknown> }): Outcome {
  const location = typeof res.headers.location === 'string' ? res.headers.location : '';
  return res.statusCode === 303 && location.includes('/staff/sign-in') ? 'in' : res.statusCode;
}

describe('pages, by role', () => {
  it.each(ROLES)('%s', async (role) => {
    const cookie = cookieOf(role);
    const got: string[] = [];
    const want: string[] = [];
    for (const [url, expected] of pages()) {
      const res = await t.app.inject({ url, headers: { host: a.host, ...(cookie ? { cookie } : {}) } });
      got.push(`${url} → ${outcomeOf(res)}`);
      want.push(`${url} → ${expected[role]}`);
    }
    expect(got).toEqual(want);
  });
});

describe('forms, by role', () => {
  it.each(ROLES)('%s', async (role) => {
    const cookie = cookieOf(role);
    const got: string[] = [];
    const want: string[] = [];
    for (const [url, fields, expected] of forms()) {
      // A real CSRF token for this browser, from a page anyone can open.
      const page = await t.app.inject({ url: '/fr/contact', headers: { host: a.host, ...(cookie ? { cookie } : {}) } });
      const { token, cookie: csrf } = formSession(page);
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { host: a.host, cookie: [cookie, csrf].filter(Boolean).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      });
      got.push(`POST ${url} → ${outcomeOf(res)}`);
      want.push(`POST ${url} → ${expected[role]}`);
    }
    expect(got).toEqual(want);
  });

  it('left town B untouched', async () => {
    const staff = await t.db.withTenant(b.tenant.id, (trx) => trx.selectFrom('staff_users').select(['role', 'disabled_at']).where('id', '=', b.agentB.id).executeTakeFirstOrThrow());
    expect(staff).toEqual({ role: 'agent', disabled_at: null });
    const dept = await t.db.withTenant(b.tenant.id, (trx) => trx.selectFrom('departments').select(['name', 'active']).where('id', '=', b.departmentB).executeTakeFirstOrThrow());
    expect(dept).toEqual({ name: { fr: 'Loisirs', en: 'Recreation' }, active: true });
  });
});

describe('refusals in the audit trail', () => {
  it('records who was refused what, in their town', async () => {
    await t.app.inject({ url: `/fr/staff/admin/staff/${a.agentB.id}`, headers: { host: a.host, cookie: a.agentA.cookie } });
    const denials = await t.db.withTenant(a.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select(['actor_id', 'subject_id', 'details']).where('action', '=', 'permission.denied').execute(),
    );
    expect(denials).toContainEqual({ actor_id: a.agentA.id, subject_id: a.agentB.id, details: { action: 'staff.view', resource: 'staffAccount' } });
    expect(denials.some((d) => d.actor_id === a.manager.id && (d.details as { action?: string }).action === 'audit.export')).toBe(true);
    // Town B's trail saw nothing of town A's refusals.
    const inB = await t.db.withTenant(b.tenant.id, (trx) => trx.selectFrom('audit_events').select('actor_id').where('action', '=', 'permission.denied').execute());
    expect(inB).toEqual([]);
  });
});
