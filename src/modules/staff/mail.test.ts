/** The development mailbox: staff only, this town's messages only, opening one is audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { createStaff } from './service.ts';
import { signInCookie } from './testing.ts';

let t: TestApp;
let a: TestTown;
let b: TestTown;
let cookieA: string;
const PASSWORD = 'mailbox password 123';
const ids: Record<string, string> = {};

async function addMail(town: TestTown, key: string, fields: { subject: string; status?: 'pending' | 'sent' | 'failed'; minutesAgo?: number; body?: string }) {
  const row = await t.db.withTenant(town.tenant.id, (trx) =>
    trx
      .insertInto('outbox')
      .values({
        tenant_id: town.tenant.id,
        dedupe_key: `test:${key}`,
        recipient: `resident-${key}@example.org`,
        locale: 'fr',
        subject: fields.subject,
        body_text: fields.body ?? `Bonjour,\n\nMessage ${key}.\n\n<b>pas du HTML</b>`,
        status: fields.status ?? 'pending',
        attempts: fields.status === 'failed' ? 20 : fields.status === 'sent' ? 1 : 0,
        last_error: fields.status === 'failed' ? 'SMTP server refused the recipient' : null,
        sent_at: fields.status === 'sent' ? new Date() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  ids[key] = row.id;
  await t.db.withTenant(town.tenant.id, (trx) =>
    sql`update outbox set created_at = now() - make_interval(mins => ${fields.minutesAgo ?? 0}) where id = ${row.id}`.execute(trx),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  a = await createTestTown(t.db, 'Alma');
  b = await createTestTown(t.db, 'Bromont');
  await createStaff(t.db, a.tenant.id, { email: `agent@${a.host}`, name: 'Agathe', role: 'agent', password: PASSWORD });
  await addMail(a, 'old', { subject: 'Accusé de réception ancien', status: 'sent', minutesAgo: 30 });
  await addMail(a, 'new', { subject: 'Accusé de réception <script>x</script>', status: 'failed', minutesAgo: 1 });
  await addMail(a, 'wait', { subject: 'En file', status: 'pending', minutesAgo: 10 });
  await addMail(b, 'other', { subject: 'Message de Bromont', status: 'sent' });
  cookieA = await signInCookie(t.app, a.host, `agent@${a.host}`, PASSWORD);
});
afterAll(() => t.close());

const get = (town: TestTown, url: string, cookie?: string) =>
  t.app.inject({ url, headers: { host: town.host, ...(cookie ? { cookie } : {}) } });

describe('the development mailbox', () => {
  it('sends visitors who are not signed in to the sign-in page', async () => {
    for (const url of ['/fr/staff/mail', `/en/staff/mail/${ids.old}`]) {
      const res = await get(a, url);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/\/staff\/sign-in\?next=/);
    }
  });

  it.each([
    ['fr', 'Courriels envoyés', ['Envoyé', 'Échec', 'En attente']],
    ['en', 'Sent mail', ['Sent', 'Failed', 'Waiting']],
  ] as const)('lists this town’s messages newest first in %s, with their status', async (lang, title, statuses) => {
    const res = await get(a, `/${lang}/staff/mail`, cookieA);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    const order = ['new', 'wait', 'old'].map((k) => res.body.indexOf(`/staff/mail/${ids[k]}`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    for (const status of statuses) expect(res.body).toContain(`>${status}</strong>`);
    expect(res.body).toContain('tag--danger');
    // Escaped, never markup.
    expect(res.body).toContain('&lt;script>x&lt;/script>');
    expect(res.body).not.toContain('<script>x</script>');
    // Only this town.
    expect(res.body).not.toContain('Bromont');
    expect(res.body).not.toContain(ids.other);
  });

  it('shows one message with its text, and records that it was opened', async () => {
    const res = await get(a, `/en/staff/mail/${ids.new}`, cookieA);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`resident-new@example.org`);
    expect(res.body).toContain('<pre class="mail" lang="fr-CA">Bonjour,\n\nMessage new.\n\n&lt;b>pas du HTML&lt;/b></pre>');
    expect(res.body).toContain('SMTP server refused the recipient');
    expect(res.body).toContain('Back to sent mail');
    const fr = await get(a, `/fr/staff/mail/${ids.old}`, cookieA);
    expect(fr.body).toContain('Retour aux courriels envoyés');
    expect(fr.body).toContain('Tentatives d’envoi');
    const audit = await t.db.withTenant(a.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select(['subject_id', 'actor_kind']).where('action', '=', 'mail.viewed').execute(),
    );
    expect(audit.map((e) => e.subject_id)).toEqual(expect.arrayContaining([ids.new, ids.old]));
    expect(audit.every((e) => e.actor_kind === 'staff')).toBe(true);
  });

  it('answers another town’s message, or an unknown one, with a 404', async () => {
    expect((await get(a, `/fr/staff/mail/${ids.other}`, cookieA)).statusCode).toBe(404);
    expect((await get(a, '/fr/staff/mail/00000000-0000-4000-8000-000000000000', cookieA)).statusCode).toBe(404);
    expect((await get(a, '/en/staff/mail/not-an-id', cookieA)).statusCode).toBe(400);
    expect((await get(a, '/en/staff/mail?page=abc', cookieA)).statusCode).toBe(400);
  });

  it('pages through many messages', async () => {
    const c = await createTestTown(t.db, 'Chambly');
    await createStaff(t.db, c.tenant.id, { email: `agent@${c.host}`, name: 'Chantal', role: 'manager', password: PASSWORD });
    for (let i = 0; i < 23; i++) await addMail(c, `bulk-${i}`, { subject: `Message ${i}`, minutesAgo: i });
    const cookie = await signInCookie(t.app, c.host, `agent@${c.host}`, PASSWORD, 'en');
    const first = await get(c, '/en/staff/mail', cookie);
    expect(first.body.match(/\/en\/staff\/mail\/[0-9a-f-]{36}/g)).toHaveLength(20);
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain('href="/en/staff/mail?page=2"');
    const second = await get(c, '/fr/staff/mail?page=2', cookie);
    expect(second.body.match(/\/fr\/staff\/mail\/[0-9a-f-]{36}/g)).toHaveLength(3);
    expect(second.body).toContain('Page 2 de 2');
    expect(second.body).toContain('Message 22');
  });
});

describe('the mailbox in production', () => {
  let prod: TestApp;
  let town: TestTown;
  beforeAll(async () => {
    prod = await createTestApp({ NODE_ENV: 'production', SESSION_SECRET: 'a-production-secret-of-at-least-32-characters' });
    town = await createTestTown(prod.db, 'Prod');
    await createStaff(prod.db, town.tenant.id, { email: `agent@${town.host}`, name: 'Agent', role: 'agent', password: PASSWORD });
    await createStaff(prod.db, town.tenant.id, { email: `admin@${town.host}`, name: 'Admin', role: 'admin', password: PASSWORD });
  });
  afterAll(() => prod.close());

  it('uses a __Host- cookie and lets only administrators read residents’ mail', async () => {
    const agent = await signInCookie(prod.app, town.host, `agent@${town.host}`, PASSWORD);
    expect(agent).toMatch(/^__Host-guichet-session=/);
    const refused = await prod.app.inject({ url: '/en/staff/mail', headers: { host: town.host, cookie: agent } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Access denied');
    const admin = await signInCookie(prod.app, town.host, `admin@${town.host}`, PASSWORD);
    const ok = await prod.app.inject({ url: '/en/staff/mail', headers: { host: town.host, cookie: admin } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('No email has been sent yet.');
  });
});
