/**
 * Staff read what residents wrote through the contact form: managers and administrators, newest
 * first, a page at a time; opening a message is audited; agents are refused, another town's
 * messages are not found. Both languages, through the real app.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp } from '../../../test/harness.ts';
import { adminTown, type AdminTown } from '../admin/testing.ts';
import { INBOX_PAGE_SIZE, submitContactMessage } from './service.ts';

let t: TestApp;
let a: AdminTown;
let b: AdminTown;
beforeAll(async () => {
  t = await createTestApp();
  a = await adminTown(t, await createTestTown(t.db, 'Amqui'));
  b = await adminTown(t, await createTestTown(t.db, 'Bécancour'));
});
afterAll(() => t.close());

const get = (town: AdminTown, url: string, cookie: string) => t.app.inject({ url, headers: { host: town.host, cookie } });

async function send(town: AdminTown, name: string, message: string, locale: 'fr' | 'en' = 'fr') {
  const receipt = await submitContactMessage(t.db, town.tenant, { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.ca`, message, locale, idempotencyKey: crypto.randomBytes(18).toString('base64url') });
  const row = await t.db.withTenant(town.tenant.id, (trx) =>
    trx.selectFrom('contact_messages').select('id').where('reference', '=', receipt.reference.replace('-', '')).executeTakeFirstOrThrow(),
  );
  return { id: row.id, reference: receipt.reference };
}

describe('messages from residents, for staff', () => {
  it.each([
    ['fr', 'Messages des citoyens', 'Adresse courriel', 'Tous les messages'],
    ['en', 'Messages from residents', 'Email address', 'All messages'],
  ] as const)('lists them newest first and opens one, with the opening audited (%s)', async (lang, title, emailLabel, back) => {
    const older = await send(a, 'Hélène Roy', 'Le lampadaire de la rue Principale est éteint depuis une semaine.');
    const newer = await send(a, 'Sam Tremblay', 'The pool schedule on the site is out of date.\nThanks!', 'en');
    const list = await get(a, `/${lang}/staff/messages`, a.manager.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<h1>${title}</h1>`);
    expect(list.body.indexOf(newer.reference)).toBeGreaterThan(-1);
    expect(list.body.indexOf(newer.reference)).toBeLessThan(list.body.indexOf(older.reference));
    expect(list.body).toContain('Le lampadaire de la rue Principale');
    const page = await get(a, `/${lang}/staff/messages/${newer.id}`, a.manager.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(emailLabel);
    expect(page.body).toContain('href="mailto:sam@example.ca');
    expect(page.body).toContain('The pool schedule on the site is out of date.');
    expect(page.body).toContain('lang="en-CA"');
    expect(page.body).toContain(back);
    const audit = await t.db.withTenant(a.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select(['actor_id', 'subject_id']).where('action', '=', 'contact.viewed').where('subject_id', '=', newer.id).execute(),
    );
    expect(audit).toContainEqual({ actor_id: a.manager.id, subject_id: newer.id });
  });

  it('pages through many messages', async () => {
    for (let i = 0; i < INBOX_PAGE_SIZE + 2; i++) await send(b, `Résident ${i}`, `Message numéro ${i}`);
    const first = await get(b, '/fr/staff/messages', b.admin.cookie);
    expect(first.body).toContain(`Message numéro ${INBOX_PAGE_SIZE + 1}`);
    expect(first.body).not.toContain('Message numéro 0<');
    const second = await get(b, '/fr/staff/messages?page=2', b.admin.cookie);
    expect(second.body).toContain('Message numéro 0');
    expect((await get(b, '/fr/staff/messages?page=0', b.admin.cookie)).statusCode).toBe(400);
  });

  it('refuses agents, and never shows another town’s messages', async () => {
    const mine = await send(a, 'Luc Côté', 'Déneigement oublié sur ma rue.');
    expect((await get(a, '/fr/staff/messages', a.agentA.cookie)).statusCode).toBe(403);
    expect((await get(a, `/fr/staff/messages/${mine.id}`, a.agentA.cookie)).statusCode).toBe(403);
    // Town B's administrator, on town B's address, asking for town A's message by its id.
    expect((await get(b, `/fr/staff/messages/${mine.id}`, b.admin.cookie)).statusCode).toBe(404);
    expect((await get(b, '/fr/staff/messages', b.admin.cookie)).body).not.toContain(mine.reference);
    expect((await get(a, '/fr/staff/messages/not-an-id', a.admin.cookie)).statusCode).toBe(404);
    const visitor = await t.app.inject({ url: '/en/staff/messages', headers: { host: a.host } });
    expect(visitor.statusCode).toBe(303);
    expect(String(visitor.headers.location)).toContain('/en/staff/sign-in');
  });
});
