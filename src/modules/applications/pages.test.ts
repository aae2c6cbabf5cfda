/**
 * The residents' application pages through the real app, in both languages: start, page by page
 * with drafts, uploads checked by content and size, check your answers, pay at the counter, submit
 * once, the receipt; every rule enforced on the server when the pages are bypassed; hidden answers
 * ignored; another resident's application and files out of reach; a new form version leaving a sent
 * application as it was.
 */
import crypto from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../test/harness.ts';
import { signInResident, visit, type Browser } from '../residents/testing.ts';
import { publishVersion, saveDraftDefinition, serviceForBuilder, type StaffCaller } from './builder.ts';
import { adminCaller, publishedService } from './testing.ts';

let t: TestApp;
let town: TestTown;
let admin: StaffCaller;
let slug: string;
let serviceId: string;
let png: Buffer;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Magog');
  admin = await adminCaller(t.db, town.tenant);
  const made = await publishedService(admin);
  slug = made.service.slug;
  serviceId = made.service.id;
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).png().toBuffer();
});
afterAll(() => t.close());

const email = (label: string) => `${label}.${crypto.randomBytes(4).toString('hex')}@example.ca`;
const today = () => new Date().toISOString().slice(0, 10);

/** Posts a urlencoded form (repeated keys for lists) with the page's CSRF token. */
async function post(b: Browser, pageUrl: string, postUrl: string, fields: Record<string, string | string[]>) {
  const page = await visit(t.app, b, pageUrl);
  const { token } = formSession(page);
  const body = new URLSearchParams({ _csrf: token });
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const res = await t.app.inject({
    method: 'POST',
    url: postUrl,
    headers: { host: b.host, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    remoteAddress: b.ip,
    payload: body.toString(),
  });
  return res;
}

/** Posts a multipart form (fields and files) with the CSRF token in the query string, as the page does. */
async function upload(b: Browser, pageUrl: string, postUrl: string, fields: Record<string, string>, files: Array<{ field: string; name: string; type: string; bytes: Buffer }>) {
  const page = await visit(t.app, b, pageUrl);
  const { token } = formSession(page);
  const boundary = `----guichet${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return t.app.inject({
    method: 'POST',
    url: `${postUrl}?_csrf=${encodeURIComponent(token)}`,
    headers: { host: b.host, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': `multipart/form-data; boundary=${boundary}` },
    remoteAddress: b.ip,
    payload: Buffer.concat(parts),
  });
}

async function start(b: Browser, lang: 'fr' | 'en'): Promise<string> {
  const page = await visit(t.app, b, `/${lang}/applications/services/${slug}`);
  expect(page.statusCode).toBe(200);
  const key = /name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
  const first = await post(b, `/${lang}/applications/services/${slug}`, `/${lang}/applications/services/${slug}/start`, { _idem: key });
  const again = await post(b, `/${lang}/applications/services/${slug}`, `/${lang}/applications/services/${slug}/start`, { _idem: key });
  expect(first.statusCode).toBe(303);
  // A double click starts one application.
  expect(again.headers.location).toBe(first.headers.location);
  return /\/applications\/([0-9a-f-]{36})\/continue/.exec(String(first.headers.location))![1]!;
}

const work = (id: string, lang: string) => `/${lang}/applications/${id}/pages/work`;
const details = (id: string, lang: string) => `/${lang}/applications/${id}/pages/details`;

describe('the catalogue', () => {
  it('lists the service in both languages and asks to sign in to start', async () => {
    for (const [lang, name, signIn] of [
      ['fr', 'Permis de rénovation', 'Me connecter pour faire une demande'],
      ['en', 'Renovation permit', 'Sign in to apply'],
    ] as const) {
      const b = { host: town.host, ip: '10.9.9.9', cookies: new Map<string, string>() };
      const list = await visit(t.app, b, `/${lang}/applications`);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(name);
      const page = await visit(t.app, b, `/${lang}/applications/services/${slug}`);
      expect(page.body).toContain(signIn);
      expect(page.body).toContain(lang === 'fr' ? 'Plan des travaux' : 'Plan of the work');
    }
    const unknown = await visit(t.app, { host: town.host, ip: '10.9.9.8', cookies: new Map() }, '/fr/applications/services/nope');
    expect(unknown.statusCode).toBe(404);
  });
});

describe('an application through the pages', () => {
  it('goes from start to receipt in French, with a draft, a wrong answer, files checked and one submission', async () => {
    const who = email('lea');
    const b = await signInResident(t.app, t.db, town, who, 'fr');
    const id = await start(b, 'fr');
    const cont = await visit(t.app, b, `/fr/applications/${id}/continue`);
    expect(cont.headers.location).toBe(work(id, 'fr'));

    // A wrong number: 422, the message at the field, in French; the draft keeps what was typed.
    const bad = await post(b, work(id, 'fr'), work(id, 'fr'), { where: '12 rue Principale', where__lot: '', extension: 'yes', area: 'beaucoup', action: 'next' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Inscrivez un nombre, comme 12 ou 12,5');
    expect(bad.body).toContain('value="beaucoup"');
    const wrongLot = await post(b, work(id, 'fr'), work(id, 'fr'), { where: '', where__lot: '12', extension: 'yes', area: '10', action: 'next' });
    expect(wrongLot.statusCode).toBe(422);
    expect(wrongLot.body).toContain('numéro de lot de 7 chiffres');

    const saved = await post(b, work(id, 'fr'), work(id, 'fr'), { where: '12 rue Principale', where__lot: '1 234 567', extension: 'yes', area: '40,5', action: 'save' });
    expect(saved.headers.location).toBe(`${work(id, 'fr')}?done=saved`);
    const next = await post(b, work(id, 'fr'), work(id, 'fr'), { where: '12 rue Principale', where__lot: '1 234 567', extension: 'yes', area: '40,5', action: 'next' });
    expect(next.headers.location).toBe(details(id, 'fr'));

    // Resume from another device: the same account finds its draft where it was left.
    const other = await signInResident(t.app, t.db, town, who, 'en');
    const resumed = await visit(t.app, other, `/en/applications/${id}/continue`);
    expect(resumed.headers.location).toBe(details(id, 'en'));
    const file = await visit(t.app, other, '/en/account');
    expect(file.statusCode).toBe(200);

    // Files are judged by their content and size, not their name.
    const fake = await upload(b, details(id, 'fr'), details(id, 'fr'), { start: today(), action: 'upload' }, [{ field: 'plan', name: 'plan.png', type: 'image/png', bytes: Buffer.from('pas une image') }]);
    expect(fake.statusCode).toBe(422);
    expect(fake.body).toContain('Le fichier doit être de l’un de ces types : PDF, PNG, JPEG');
    const big = await upload(b, details(id, 'fr'), details(id, 'fr'), { start: today(), action: 'upload' }, [{ field: 'plan', name: 'plan.pdf', type: 'application/pdf', bytes: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300 * 1024, 32), Buffer.from('\n%%EOF\n')]) }]);
    expect(big.statusCode).toBe(422);
    expect(big.body).toContain('Le fichier doit faire 200');
    const good = await upload(b, details(id, 'fr'), details(id, 'fr'), { start: today(), action: 'upload' }, [{ field: 'plan', name: 'mon plan.png', type: 'application/octet-stream', bytes: png }]);
    expect(good.statusCode).toBe(303);
    const withFile = await visit(t.app, b, details(id, 'fr'));
    expect(withFile.body).toContain('mon plan.png');
    const fileId = /\/files\/([0-9a-f-]{36})/.exec(withFile.body)![1]!;
    const download = await visit(t.app, b, `/fr/applications/${id}/files/${fileId}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');

    const onward = await post(b, details(id, 'fr'), details(id, 'fr'), { start: today(), notes: '', action: 'next' });
    expect(onward.headers.location).toBe(`/fr/applications/${id}/check`);
    const check = await visit(t.app, b, `/fr/applications/${id}/check`);
    expect(check.statusCode).toBe(200);
    // $50 + 40.5 m² × $2.50 = $151.25
    expect(check.body).toContain('151,25');
    expect(check.body).toContain('mon plan.png');

    const checkPage = await visit(t.app, b, `/fr/applications/${id}/check`);
    const key = /name="_idem" value="([^"]+)"/.exec(checkPage.body)![1]!;
    const noPayment = await post(b, `/fr/applications/${id}/check`, `/fr/applications/${id}/submit`, { _idem: key });
    expect(noPayment.statusCode).toBe(422);
    expect(noPayment.body).toContain('Choisissez comment vous paierez');
    const [one, two] = await Promise.all([
      post(b, `/fr/applications/${id}/check`, `/fr/applications/${id}/submit`, { _idem: key, payment: 'counter' }),
      post(b, `/fr/applications/${id}/check`, `/fr/applications/${id}/submit`, { _idem: key, payment: 'counter' }),
    ]);
    expect([one.statusCode, two.statusCode]).toEqual([303, 303]);
    const receipt = await visit(t.app, b, `/fr/applications/${id}/receipt`);
    expect(receipt.body).toContain('Demande envoyée');
    expect(receipt.body).toMatch(/[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/);
    expect(receipt.body).toContain('151,25');
    const events = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('application_events').select('kind').where('tenant_id', '=', town.tenant.id).where('application_id', '=', id).where('kind', '=', 'submitted').execute());
    expect(events).toHaveLength(1);
    const mails = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('outbox').select(['subject', 'locale']).where('tenant_id', '=', town.tenant.id).where('dedupe_key', '=', `application:${id}:submitted`).execute());
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Nous avons reçu votre demande');
    // Sent: the form pages lead to the application's page now.
    expect((await visit(t.app, b, work(id, 'fr'))).headers.location).toBe(`/fr/applications/${id}`);
    const page = await visit(t.app, b, `/fr/applications/${id}`);
    expect(page.body).toContain('Envoyée');
  });

  it('ignores an answer hidden by a condition, and enforces every rule when the pages are bypassed (English)', async () => {
    const b = await signInResident(t.app, t.db, town, email('sam'), 'en');
    const id = await start(b, 'en');
    // "No extension": the area (out of range here) and the plan are not asked, so not checked.
    const next = await post(b, work(id, 'en'), work(id, 'en'), { where: '5 Lake Road', extension: 'no', area: '99999', action: 'next' });
    expect(next.headers.location).toBe(details(id, 'en'));
    // Straight to submit without the required date: refused at the check page, in English.
    const page = await visit(t.app, b, `/en/applications/${id}/check`);
    expect(page.body).toContain('Answer this question');
    const key = crypto.randomBytes(18).toString('base64url');
    const early = await post(b, details(id, 'en'), `/en/applications/${id}/submit`, { _idem: key, payment: 'counter' });
    expect(early.statusCode).toBe(422);
    // A date too far ahead, sent straight to the page.
    const late = await post(b, details(id, 'en'), details(id, 'en'), { start: '2999-01-01', action: 'next' });
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('Enter a date on or before');
    const notes = await post(b, details(id, 'en'), details(id, 'en'), { start: today(), notes: 'x'.repeat(201), action: 'next' });
    expect(notes.body).toContain('Enter 200 characters or fewer');
    await post(b, details(id, 'en'), details(id, 'en'), { start: today(), notes: 'Thanks', action: 'next' });
    const sent = await post(b, `/en/applications/${id}/check`, `/en/applications/${id}/submit`, { _idem: key, payment: 'counter' });
    expect(sent.statusCode).toBe(303);
    const row = await t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('applications').select(['answers', 'fee_cents', 'status']).where('tenant_id', '=', town.tenant.id).where('id', '=', id).executeTakeFirstOrThrow());
    expect(row.status).toBe('submitted');
    expect(row.answers).not.toHaveProperty('area');
    // The rule's minimum ($75) applies with no area.
    expect(row.fee_cents).toBe(7500);
  });

  it('keeps another resident out of an application and its files (404), and pages out of sent ones', async () => {
    const owner = await signInResident(t.app, t.db, town, email('owner'), 'fr');
    const id = await start(owner, 'fr');
    await post(owner, work(id, 'fr'), work(id, 'fr'), { where: '1 rue A', extension: 'yes', area: '10', action: 'next' });
    await upload(owner, details(id, 'fr'), details(id, 'fr'), { start: today(), action: 'upload' }, [{ field: 'plan', name: 'p.png', type: 'image/png', bytes: png }]);
    const fileId = /\/files\/([0-9a-f-]{36})/.exec((await visit(t.app, owner, details(id, 'fr'))).body)![1]!;

    const intruder = await signInResident(t.app, t.db, town, email('intruder'), 'fr');
    for (const url of [`/fr/applications/${id}`, `/fr/applications/${id}/continue`, details(id, 'fr'), `/fr/applications/${id}/check`, `/fr/applications/${id}/files/${fileId}`, `/fr/applications/${crypto.randomUUID()}`]) {
      expect((await visit(t.app, intruder, url)).statusCode, url).toBe(404);
    }
    const own = await start(intruder, 'fr');
    // A form page of someone else's application, posted with a valid token of one's own.
    const res = await post(intruder, work(own, 'fr'), work(id, 'fr'), { where: 'pirate', action: 'save' });
    expect(res.statusCode).toBe(404);
    const stolen = await post(intruder, work(own, 'fr'), `/fr/applications/${id}/submit`, { _idem: crypto.randomBytes(18).toString('base64url'), payment: 'counter' });
    expect(stolen.statusCode).toBe(404);
  });

  it('leaves a sent application on its form version when a new one is published', async () => {
    const b = await signInResident(t.app, t.db, town, email('ver'), 'en');
    const id = await start(b, 'en');
    await post(b, work(id, 'en'), work(id, 'en'), { where: '9 Main St', extension: 'no', action: 'next' });
    await post(b, details(id, 'en'), details(id, 'en'), { start: today(), action: 'next' });
    const key = crypto.randomBytes(18).toString('base64url');
    expect((await post(b, `/en/applications/${id}/check`, `/en/applications/${id}/submit`, { _idem: key, payment: 'counter' })).statusCode).toBe(303);

    const draft = (await serviceForBuilder(admin, serviceId)).draft.definition;
    draft.pages[0]!.questions[0]!.label = { fr: 'Lieu exact', en: 'Exact place' };
    expect((await saveDraftDefinition(admin, serviceId, draft)).ok).toBe(true);
    expect((await publishVersion(admin, serviceId)).ok).toBe(true);

    const page = await visit(t.app, b, `/en/applications/${id}`);
    expect(page.body).toContain('Address of the work');
    expect(page.body).not.toContain('Exact place');
    // A new application gets the new version.
    const fresh = await start(b, 'en');
    expect((await visit(t.app, b, work(fresh, 'en'))).body).toContain('Exact place');
  });
});
