/**
 * The staff review through the real app, in both languages: the queue by department with the
 * clock in words; the review screen with the documents previewed from a same-origin route; every
 * action with wrong input as well as right (request without text, refuse without reasons, approve
 * twice, bad validity dates); the applicant's answer with a document (the clock resumes); the
 * issued PDF for the holder and the reviewer, and the verification page; internal notes never
 * shown or sent to the applicant; another department's staff refused, another town's staff and
 * another resident answered "not found".
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp } from '../../../../test/harness.ts';
import { visit, type Browser } from '../../residents/testing.ts';
import { pdfShape, pdfText } from '../documents/pdf-text.ts';
import { ADMIN_PASSWORD, newResident, residentBrowser, reviewTown, staffBrowser, submittedApplication, type ReviewTown } from './testing.ts';

let t: TestApp;
let rt: ReviewTown;
let other: ReviewTown;
const reviewers: Partial<Record<'fr' | 'en', Browser>> = {};

beforeAll(async () => {
  PNG = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#c03' } }).png().toBuffer();
  t = await createTestApp();
  rt = await reviewTown(t.db, await createTestTown(t.db, 'Rimouski'));
  other = await reviewTown(t.db, await createTestTown(t.db, 'Matane'));
});
afterAll(() => t.close());

async function reviewer(lang: 'fr' | 'en') {
  reviewers[lang] ??= await staffBrowser(t.app, rt.town, rt.reviewer.email, lang);
  return reviewers[lang];
}

let PNG: Buffer;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** Opens the page, then posts one of its forms (the one whose action is `action`) with the CSRF token. */
async function act(br: Browser, page: string, action: string, fields: Record<string, string>) {
  const res = await visit(t.app, br, page);
  expect(res.statusCode).toBe(200);
  const { token } = formSession(res);
  const idem = new RegExp(`action="${action.replace(/[/.]/g, (c) => `\\${c}`)}"[\\s\\S]*?name="_idem" value="([^"]+)"`).exec(res.body)?.[1];
  return visit(t.app, br, action, { _csrf: token, ...(idem && !('_idem' in fields) ? { _idem: idem } : {}), ...fields });
}

/** A multipart post of the follow-up form, as a browser sends it. */
async function reply(br: Browser, lang: string, id: string, message: string, files: Array<{ name: string; bytes: Buffer; type: string }>, from?: { token: string; key: string }) {
  let token = from?.token;
  let key = from?.key;
  if (!token || !key) {
    const page = await visit(t.app, br, `/${lang}/applications/${id}/follow-up`);
    expect(page.statusCode).toBe(200);
    token = formSession(page).token;
    key = /name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
  }
  const boundary = `----guichet${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) => parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  field('_idem', key);
  field('message', message);
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="${f.name}"\r\ncontent-type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const cookie = [...br.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return t.app.inject({
    method: 'POST',
    url: `/${lang}/applications/${id}/follow-up?_csrf=${encodeURIComponent(token)}`,
    headers: { host: br.host, cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
    remoteAddress: br.ip,
  });
}

async function statusOf(id: string) {
  return (await t.db.withTenant(rt.town.tenant.id, (trx) => trx.selectFrom('applications').select('status').where('id', '=', id).executeTakeFirstOrThrow())).status;
}

async function mailsTo(email: string) {
  return t.db.withTenant(rt.town.tenant.id, (trx) =>
    trx.selectFrom('outbox').select(['dedupe_key', 'locale', 'subject', 'body_text']).where('tenant_id', '=', rt.town.tenant.id).where('recipient', '=', email).orderBy('created_at').execute(),
  );
}

describe('the whole review, in each language', () => {
  it.each([
    ['fr', 'Renseignements demandés', 'Ce qu’il manque', 'Permis de rénovation'],
    ['en', 'Information requested', 'Enter a value for “What is missing”', 'Renovation permit'],
  ] as const)('asks, gets an answer with a document, approves, issues; the holder downloads and verifies (%s)', async (lang, requestedTag, requiredText, serviceName) => {
    const resident = await newResident(t.db, rt.town, lang);
    const id = await submittedApplication(t.db, rt.town, rt.services.permit.slug, resident, lang);
    const br = await reviewer(lang);
    const page = `/${lang}/staff/applications/${id}`;
    const base = `/${lang}/staff/applications/${id}`;

    // The queue lists it with its time left, in words.
    const queue = await visit(t.app, br, `/${lang}/staff/applications`);
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(`href="${page}"`);
    expect(queue.body).toContain(lang === 'fr' ? '10 jours restants' : '10 days left');

    // Request without text → 422 at the field; with text → 303, paused, emailed in the resident's language.
    const empty = await act(br, page, `${base}/request-info`, { request: '  ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('id="request-error"');
    expect(empty.body).toContain(requiredText);
    const asked = await act(br, page, `${base}/request-info`, { request: 'Joignez une photo du chien.' });
    expect(asked.statusCode).toBe(303);
    expect(await statusOf(id)).toBe('info_requested');
    const paused = await visit(t.app, br, `/${lang}/staff/applications?status=info_requested`);
    expect(paused.body).toContain(requestedTag);
    expect(paused.body).toContain(lang === 'fr' ? 'En pause' : 'Paused');

    // An internal note: on the review screen, never for the applicant.
    expect((await act(br, page, `${base}/note`, { note: 'Voisin déjà averti pour aboiements.' })).statusCode).toBe(303);
    expect((await visit(t.app, br, page)).body).toContain('Voisin déjà averti pour aboiements.');

    // The resident answers with a picture on their follow-up page: back in review.
    const rb = await residentBrowser(t.db, rt.town, resident);
    const follow = await visit(t.app, rb, `/${lang}/applications/${id}/follow-up`);
    expect(follow.statusCode).toBe(200);
    expect(follow.body).toContain('Joignez une photo du chien.');
    expect(follow.body).not.toContain('aboiements');
    const badType = await reply(rb, lang, id, 'Voici.', [{ name: 'chien.png', bytes: Buffer.from('GIF89a not really'), type: 'image/png' }]);
    expect(badType.statusCode).toBe(422);
    expect(badType.body).toContain('chien.png');
    expect(await statusOf(id)).toBe('info_requested');
    const answered = await reply(rb, lang, id, 'Voici la photo de Rex.', [{ name: 'rex.png', bytes: PNG, type: 'image/png' }, { name: 'vaccins.pdf', bytes: PDF, type: 'application/pdf' }]);
    expect(answered.statusCode).toBe(303);
    expect(await statusOf(id)).toBe('in_review');

    // The reviewer sees the picture inline and the PDF in a frame, served same-origin with the right headers.
    const screen = await visit(t.app, br, page);
    expect(screen.body).toContain('Voici la photo de Rex.');
    const img = new RegExp(`<img class="preview__image" src="(${base}/files/[0-9a-f-]+)"`).exec(screen.body)?.[1];
    const frame = new RegExp(`<iframe class="preview__pdf" src="(${base}/files/[0-9a-f-]+)"`).exec(screen.body)?.[1];
    expect(img && frame).toBeTruthy();
    const picture = await visit(t.app, br, img!);
    expect(picture.statusCode).toBe(200);
    expect(picture.headers['content-type']).toBe('image/png');
    expect(picture.headers['content-disposition']).toBe("inline; filename*=UTF-8''rex.png");
    // Re-encoded without metadata: still a PNG.
    expect(picture.rawPayload.subarray(0, 8).equals(PNG.subarray(0, 8))).toBe(true);
    const pdf = await visit(t.app, br, frame!);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(String(pdf.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');

    // Refuse without reasons → 422; approve; approve again → 409.
    const noReasons = await act(br, page, `${base}/refuse`, { reasons: '' });
    expect(noReasons.statusCode).toBe(422);
    expect(await statusOf(id)).toBe('in_review');
    expect((await act(br, page, `${base}/approve`, { conditions: 'Tenir le chien en laisse.' })).statusCode).toBe(303);
    const approvedPage = await visit(t.app, br, page);
    const { token } = formSession(approvedPage);
    expect((await visit(t.app, br, `${base}/approve`, { _csrf: token, conditions: '' })).statusCode).toBe(409);

    // Issue with dates out of order → 422; then issued.
    const badDates = await act(br, page, `${base}/issue`, { validFrom: '2026-05-01', validUntil: '2026-04-01' });
    expect(badDates.statusCode).toBe(422);
    const notADate = await act(br, page, `${base}/issue`, { validFrom: '31/12/2026', validUntil: '' });
    expect(notADate.statusCode).toBe(422);
    expect((await act(br, page, `${base}/issue`, { validFrom: new Date().toISOString().slice(0, 10), validUntil: '' })).statusCode).toBe(303);
    expect(await statusOf(id)).toBe('issued');

    // The holder downloads the PDF from their follow-up page; the verification page says it is valid.
    const done = await visit(t.app, rb, `/${lang}/applications/${id}/follow-up`);
    const link = new RegExp(`href="(/${lang}/applications/${id}/documents/[0-9a-f-]+\\.pdf)"`).exec(done.body)?.[1];
    expect(link).toBeTruthy();
    expect(done.body).toContain('Tenir le chien en laisse.');
    const download = await visit(t.app, rb, link!);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(String(download.headers['content-disposition'])).toMatch(/^attachment; filename="\d{4}-\d{5}\.pdf"$/);
    expect(pdfShape(download.rawPayload)).toMatchObject({ header: '%PDF-1.3', endsWithEof: true });
    const number = /filename="(\d{4}-\d{5})\.pdf"/.exec(String(download.headers['content-disposition']))![1]!;
    // The compressed PDF, read back: in the holder's language, with number, holder, address and conditions.
    const printed = pdfText(download.rawPayload).join('\n');
    for (const expected of [number, resident.name!, '12, rue des Érables', 'Tenir le chien en laisse.', lang === 'fr' ? 'Titulaire' : 'Holder', serviceName]) expect(printed).toContain(expected);
    const token2 = await t.db.withTenant(rt.town.tenant.id, (trx) => trx.selectFrom('issued_documents').select('verify_token').where('application_id', '=', id).executeTakeFirstOrThrow());
    const verify = await visit(t.app, rb, `/${lang}/verify/${token2.verify_token}`);
    expect(verify.body).toContain(lang === 'fr' ? 'Ce document est valide.' : 'This document is valid.');
    expect(verify.body).toContain(number);
    expect(verify.body).toContain(serviceName);

    // Another resident cannot open the page or the document, even with the ids.
    const stranger = await residentBrowser(t.db, rt.town, await newResident(t.db, rt.town, lang, 'Autre Personne'));
    expect((await visit(t.app, stranger, `/${lang}/applications/${id}/follow-up`)).statusCode).toBe(404);
    expect((await visit(t.app, stranger, link!)).statusCode).toBe(404);

    // Emails: one per change, in the resident's language, none about the internal note.
    const mails = await mailsTo(resident.email);
    expect(mails.map((m) => m.dedupe_key.split(':')[2])).toEqual(['submitted', 'infoRequested', 'approved', 'issued']);
    expect(mails.every((m) => m.locale === lang)).toBe(true);
    expect(mails.some((m) => m.body_text.includes('aboiements'))).toBe(false);
    expect(mails[1]!.body_text).toContain('Joignez une photo du chien.');
    expect(mails[3]!.body_text).toContain(number);
  });
});

describe('revoking an issued document', () => {
  it.each([
    ['fr', 'Ce document a été révoqué.', 'Document révoqué', 'Motif de la révocation'],
    ['en', 'This document has been revoked.', 'Document revoked', 'Reason for revoking'],
  ] as const)('asks for a reason, then the verification page, the holder’s file and an email say so (%s)', async (lang, revokedText, eventText, label) => {
    const resident = await newResident(t.db, rt.town, lang);
    const id = await submittedApplication(t.db, rt.town, rt.services.permit.slug, resident, lang);
    const br = await reviewer(lang);
    const page = `/${lang}/staff/applications/${id}`;
    const base = page;
    // Nothing to revoke before a document exists.
    expect((await act(br, page, `${base}/revoke`, { revokeReason: 'Délivré par erreur au mauvais lot.' })).statusCode).toBe(409);
    expect((await act(br, page, `${base}/approve`, { conditions: '' })).statusCode).toBe(303);
    expect((await act(br, page, `${base}/issue`, { validFrom: new Date().toISOString().slice(0, 10), validUntil: '' })).statusCode).toBe(303);
    const issued = await visit(t.app, br, page);
    expect(issued.body).toContain(label);
    // A reason is required, at least 10 characters.
    const empty = await act(br, page, `${base}/revoke`, { revokeReason: '' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('error-summary');
    const short = await act(br, page, `${base}/revoke`, { revokeReason: 'Erreur' });
    expect(short.statusCode).toBe(422);
    const long = await act(br, page, `${base}/revoke`, { revokeReason: 'x'.repeat(1001) });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('href="#revokeReason"');
    const { verify_token: token } = await t.db.withTenant(rt.town.tenant.id, (trx) => trx.selectFrom('issued_documents').select('verify_token').where('application_id', '=', id).executeTakeFirstOrThrow());
    expect((await visit(t.app, br, `/${lang}/verify/${token}`)).body).not.toContain(revokedText);

    const done = await act(br, page, `${base}/revoke`, { revokeReason: 'Délivré par erreur au mauvais lot. <script>alert(1)</script>' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${base}?notice=revoked`);
    const after = await visit(t.app, br, done.headers.location as string);
    expect(after.body).not.toContain(label);
    expect(after.body).toContain(eventText);
    // What staff type is shown as text, never as markup.
    expect(after.body).not.toContain('<script>alert(1)</script>');
    expect(after.body).toContain('&lt;script>alert(1)&lt;/script>');
    expect((await visit(t.app, br, `/${lang}/verify/${token}`)).body).toContain(revokedText);
    // Once revoked, a second revocation is a conflict, not a second event.
    const { token: csrf } = formSession(after);
    expect((await visit(t.app, br, `${base}/revoke`, { _csrf: csrf, revokeReason: 'Encore une fois, par erreur.' })).statusCode).toBe(409);

    // The holder's file says so, and an email in their language gives the reason.
    const rb = await residentBrowser(t.db, rt.town, resident);
    expect((await visit(t.app, rb, `/${lang}/applications/${id}`)).body).toContain(eventText);
    const mails = await mailsTo(resident.email);
    const revoked = mails.filter((m) => m.dedupe_key.split(':')[2] === 'revoked');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.locale).toBe(lang);
    expect(revoked[0]!.body_text).toContain('Délivré par erreur au mauvais lot.');
    const audit = await t.db.withTenant(rt.town.tenant.id, (trx) => trx.selectFrom('audit_events').select('action').where('action', '=', 'document.revoked').where(sql<string>`details->>'applicationId'`, '=', id).execute());
    expect(audit).toHaveLength(1);
  });

  it('refuses another department’s agent and another town’s staff', async () => {
    const resident = await newResident(t.db, rt.town, 'en');
    const id = await submittedApplication(t.db, rt.town, rt.services.licence.slug, resident, 'en');
    const admin = await staffBrowser(t.app, rt.town, rt.adminEmail, 'en', ADMIN_PASSWORD);
    const page = `/en/staff/applications/${id}`;
    expect((await act(admin, page, `${page}/approve`, { conditions: '' })).statusCode).toBe(303);
    expect((await act(admin, page, `${page}/issue`, { validFrom: new Date().toISOString().slice(0, 10), validUntil: '' })).statusCode).toBe(303);
    const outsider = await staffBrowser(t.app, rt.town, rt.outsider.email, 'en');
    const { token } = formSession(await visit(t.app, outsider, '/en/staff'));
    expect((await visit(t.app, outsider, `${page}/revoke`, { _csrf: token, revokeReason: 'Not my department at all.' })).statusCode).toBe(403);
    const theirs = await staffBrowser(t.app, other.town, other.adminEmail, 'en', ADMIN_PASSWORD);
    const theirToken = formSession(await visit(t.app, theirs, '/en/staff')).token;
    expect((await visit(t.app, theirs, `${page}/revoke`, { _csrf: theirToken, revokeReason: 'Not our town at all.' })).statusCode).toBe(404);
    const live = await t.db.withTenant(rt.town.tenant.id, (trx) => trx.selectFrom('issued_documents').select('revoked_at').where('application_id', '=', id).executeTakeFirstOrThrow());
    expect(live.revoked_at).toBeNull();
  });
});

describe('who may review', () => {
  it('shows an agent only their departments’ applications; another department is refused; the administrator sees all', async () => {
    const resident = await newResident(t.db, rt.town, 'fr');
    const id = await submittedApplication(t.db, rt.town, rt.services.licence.slug, resident, 'fr');
    const outsider = await staffBrowser(t.app, rt.town, rt.outsider.email, 'en');
    const queue = await visit(t.app, outsider, '/en/staff/applications');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).not.toContain(id);
    expect((await visit(t.app, outsider, `/en/staff/applications/${id}`)).statusCode).toBe(403);
    // Posting with a valid token from a page the outsider may see is refused all the same.
    const { token } = formSession(await visit(t.app, outsider, '/en/staff'));
    const approved = await visit(t.app, outsider, `/en/staff/applications/${id}/approve`, { _csrf: token, conditions: '' });
    expect(approved.statusCode).toBe(403);
    expect(await statusOf(id)).toBe('submitted');
    const admin = await staffBrowser(t.app, rt.town, rt.adminEmail, 'fr', ADMIN_PASSWORD);
    expect((await visit(t.app, admin, '/fr/staff/applications')).body).toContain(id);
    expect((await visit(t.app, admin, `/fr/staff/applications/${id}`)).statusCode).toBe(200);
  });

  it('answers "not found" to another town’s staff, on their own town’s address', async () => {
    const resident = await newResident(t.db, rt.town, 'fr');
    const id = await submittedApplication(t.db, rt.town, rt.services.permit.slug, resident, 'fr');
    const theirs = await staffBrowser(t.app, other.town, other.adminEmail, 'fr', ADMIN_PASSWORD);
    expect((await visit(t.app, theirs, `/fr/staff/applications/${id}`)).statusCode).toBe(404);
    const queue = await visit(t.app, theirs, '/fr/staff/applications');
    expect(queue.body).not.toContain(id);
    const { token } = formSession(await visit(t.app, theirs, '/fr/staff'));
    expect((await visit(t.app, theirs, `/fr/staff/applications/${id}/refuse`, { _csrf: token, reasons: 'Pas chez nous, non.' })).statusCode).toBe(404);
    expect(await statusOf(id)).toBe('submitted');
  });

  it('sends a resident who is not signed in to the sign-in page, and staff pages to the staff sign-in', async () => {
    const anon = await visit(t.app, { host: rt.town.host, ip: '10.9.9.9', cookies: new Map() }, '/en/staff/applications');
    expect(anon.statusCode).toBe(303);
    expect(String(anon.headers.location)).toContain('/en/staff/sign-in');
  });
});

describe('the clock, overdue applications, assignment, thread and interview', () => {
  it('says overdue in words, filters by assignee, refuses an assignee from another department', async () => {
    const resident = await newResident(t.db, rt.town, 'en');
    const id = await submittedApplication(t.db, rt.town, rt.services.permit.slug, resident, 'en');
    await t.db.withTenant(rt.town.tenant.id, (trx) =>
      trx.updateTable('applications').set({ submitted_at: new Date(Date.now() - 13 * 86_400_000), due_at: new Date(Date.now() - 3 * 86_400_000) }).where('id', '=', id).execute(),
    );
    const br = await reviewer('en');
    const overdue = await visit(t.app, br, '/en/staff/applications?overdue=yes');
    expect(overdue.body).toContain(id);
    expect(overdue.body).toContain('Overdue by 3 days');
    expect(overdue.body).toContain('⚠');
    const page = `/en/staff/applications/${id}`;
    const wrong = await act(br, page, `${page}/assign`, { assignee: rt.outsider.id });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Choose someone who reviews');
    expect((await act(br, page, `${page}/assign`, { assignee: rt.reviewer.id })).statusCode).toBe(303);
    expect(await statusOf(id)).toBe('in_review');
    const mine = await visit(t.app, br, '/en/staff/applications?assignee=me');
    expect(mine.body).toContain(id);
    const nobody = await visit(t.app, br, '/en/staff/applications?assignee=none');
    expect(nobody.body).not.toContain(id);
  });

  it('writes to the applicant once per form key, and schedules the program’s interview with an email', async () => {
    const resident = await newResident(t.db, rt.town, 'fr');
    const id = await submittedApplication(t.db, rt.town, rt.services.program.slug, resident, 'fr');
    const br = await reviewer('fr');
    const page = `/fr/staff/applications/${id}`;
    const screen = await visit(t.app, br, page);
    const { token } = formSession(screen);
    const key = /name="_idem" value="([^"]+)"/.exec(screen.body)![1]!;
    for (let i = 0; i < 2; i++) {
      expect((await visit(t.app, br, `${page}/message`, { _csrf: token, _idem: key, message: 'Bienvenue dans le programme!' })).statusCode).toBe(303);
    }
    const count = await t.db.withTenant(rt.town.tenant.id, (trx) => trx.selectFrom('application_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('application_id', '=', id).executeTakeFirstOrThrow());
    expect(Number(count.n)).toBe(1);

    const past = await act(br, page, `${page}/interview`, { interviewDate: '2020-01-01', interviewTime: '10:00', place: 'Hôtel de ville' });
    expect(past.statusCode).toBe(422);
    const badTime = await act(br, page, `${page}/interview`, { interviewDate: '2030-01-01', interviewTime: '25:00', place: 'Hôtel de ville' });
    expect(badTime.statusCode).toBe(422);
    const next = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    expect((await act(br, page, `${page}/interview`, { interviewDate: next, interviewTime: '14:30', place: 'Hôtel de ville, salle 2' })).statusCode).toBe(303);
    const rb = await residentBrowser(t.db, rt.town, resident);
    const follow = await visit(t.app, rb, `/fr/applications/${id}/follow-up`);
    expect(follow.body).toContain('Hôtel de ville, salle 2');
    expect(follow.body).toContain('Bienvenue dans le programme!');
    const mails = await mailsTo(resident.email);
    const interview = mails.find((m) => m.dedupe_key.includes(':interview:'));
    expect(interview?.body_text).toContain('Hôtel de ville, salle 2');
    expect(interview?.body_text).toContain('14 h 30');
    expect(mails.filter((m) => m.dedupe_key.includes(':message:'))).toHaveLength(1);
  });

  it('tells the assigned reviewer, in their language, when the applicant writes or answers; nobody when no one is assigned', async () => {
    const resident = await newResident(t.db, rt.town, 'fr');
    const id = await submittedApplication(t.db, rt.town, rt.services.permit.slug, resident, 'fr');
    const rb = await residentBrowser(t.db, rt.town, resident);
    // Not assigned yet: the message waits in the queue, no email to staff.
    expect((await reply(rb, 'fr', id, 'Une précision sur mes travaux.', [])).statusCode).toBe(303);
    expect(await mailsTo(rt.reviewer.email).then((m) => m.filter((x) => x.dedupe_key.includes(id)))).toHaveLength(0);
    const br = await reviewer('en');
    const page = `/en/staff/applications/${id}`;
    expect((await act(br, page, `${page}/assign`, { assignee: rt.reviewer.id })).statusCode).toBe(303);
    expect((await reply(rb, 'fr', id, 'Les travaux commencent lundi.', [])).statusCode).toBe(303);
    expect((await act(br, page, `${page}/request-info`, { request: 'Joignez le plan du terrain.' })).statusCode).toBe(303);
    expect((await reply(rb, 'fr', id, 'Voici le plan.', [{ name: 'plan.pdf', bytes: PDF, type: 'application/pdf' }])).statusCode).toBe(303);
    const mails = (await mailsTo(rt.reviewer.email)).filter((m) => m.dedupe_key.includes(id));
    expect(mails.map((m) => m.dedupe_key.split(':')[2])).toEqual(['reviewerMessage', 'reviewerAnswered']);
    const locale = (await t.db.withTenant(rt.town.tenant.id, (trx) => trx.selectFrom('staff_users').select('locale').where('id', '=', rt.reviewer.id).executeTakeFirstOrThrow())).locale;
    for (const m of mails) {
      expect(m.locale).toBe(locale);
      expect(m.body_text).toContain(`/${locale}/staff/applications/${id}`);
      // The message stays in the file: the email only says there is one.
      expect(m.body_text).not.toContain('Les travaux commencent lundi.');
      expect(m.body_text).not.toContain('Voici le plan.');
    }
  });

  it('refuses with reasons and tells the applicant why', async () => {
    const resident = await newResident(t.db, rt.town, 'en');
    const id = await submittedApplication(t.db, rt.town, rt.services.permit.slug, resident, 'en');
    const br = await reviewer('en');
    const page = `/en/staff/applications/${id}`;
    const rb = await residentBrowser(t.db, rt.town, resident);
    const before = await visit(t.app, rb, `/en/applications/${id}/follow-up`);
    const from = { token: formSession(before).token, key: /name="_idem" value="([^"]+)"/.exec(before.body)![1]! };
    const short = await act(br, page, `${page}/refuse`, { reasons: 'No.' });
    expect(short.statusCode).toBe(422);
    expect((await act(br, page, `${page}/refuse`, { reasons: 'The lot is in a protected wetland.' })).statusCode).toBe(303);
    // A reply prepared before the refusal is refused (nothing is open any more).
    expect((await reply(rb, 'en', id, 'But why?', [], from)).statusCode).toBe(409);
    const follow = await visit(t.app, rb, `/en/applications/${id}/follow-up`);
    expect(follow.body).toContain('Your application is refused');
    expect(follow.body).toContain('The lot is in a protected wetland.');
    expect(follow.body).not.toContain('name="message"');
  });
});

describe('wrong input on every action', () => {
  it.each([
    ['fr', 'Il y a un problème', 'Choisissez une personne qui analyse'],
    ['en', 'There is a problem', 'Choose someone who reviews'],
  ] as const)('answers 422 with the message at the field and changes nothing (%s)', async (lang, summary, notReviewer) => {
    const resident = await newResident(t.db, rt.town, lang);
    const id = await submittedApplication(t.db, rt.town, rt.services.program.slug, resident, lang);
    const br = await reviewer(lang);
    const page = `/${lang}/staff/applications/${id}`;
    const cases: Array<[string, Record<string, string>, string]> = [
      ['assign', { assignee: rt.outsider.id }, 'assignee'],
      ['request-info', { request: '' }, 'request'],
      ['approve', { conditions: 'x'.repeat(4001) }, 'conditions'],
      ['refuse', { reasons: '   ' }, 'reasons'],
      ['note', { note: '' }, 'note'],
      ['message', { message: '' }, 'message'],
      ['interview', { interviewDate: '2030-02-30', interviewTime: '10:00', place: 'Hôtel de ville' }, 'interviewDate'],
      ['interview', { interviewDate: '2030-02-03', interviewTime: '10:00', place: '' }, 'place'],
    ];
    for (const [action, fields, field] of cases) {
      const res = await act(br, page, `${page}/${action}`, fields);
      expect(`${action} ${res.statusCode}`).toBe(`${action} 422`);
      expect(res.body).toContain(summary);
      expect(res.body).toContain(`id="${field}-error"`);
    }
    expect((await act(br, page, `${page}/assign`, { assignee: rt.outsider.id })).body).toContain(notReviewer);
    // Issuing before approval is a conflict, not a document.
    const { token } = formSession(await visit(t.app, br, page));
    expect((await visit(t.app, br, `${page}/issue`, { _csrf: token, validFrom: '2026-01-01', validUntil: '' })).statusCode).toBe(409);
    expect(await statusOf(id)).toBe('submitted');
    const events = await t.db.withTenant(rt.town.tenant.id, (trx) => trx.selectFrom('application_events').select('kind').where('application_id', '=', id).execute());
    expect(events.map((e) => e.kind).sort()).toEqual(['started', 'submitted']);
  });
});
