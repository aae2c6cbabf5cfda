/**
 * Issued documents: the PDF is a real PDF holding the number, the holder and the verification link,
 * in the holder's language; numbers are readable and unique per town; the public verification page
 * says valid, expired, not yet valid or revoked in both languages, shows the holder's name and no
 * other personal data, answers 404 for an unknown token or another town's, and is rate limited.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../../test/harness.ts';
import type { Locale } from '../../../platform/i18n.ts';
import { newResident, reviewTown, submittedApplication, type ReviewTown } from '../review/testing.ts';
import { pdfShape, pdfText } from './pdf-text.ts';
import { addDays, addYears, dayIn, documentPdfIn, issueDocumentIn, revokeDocumentIn, statusOn, type IssuedDocument } from './service.ts';

let t: TestApp;
let town: TestTown;
let other: TestTown;
const setups = new Map<string, ReviewTown>();

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Rimouski');
  other = await createTestTown(t.db, 'Matane');
  for (const x of [town, other]) setups.set(x.tenant.id, await reviewTown(t.db, x));
});

/** A submitted application of the town's dog licence service (a document belongs to one). */
async function application(target: TestTown) {
  const setup = setups.get(target.tenant.id)!;
  const resident = await newResident(t.db, target, 'fr');
  return { applicationId: await submittedApplication(t.db, target, setup.services.licence.slug, resident), residentId: resident.id };
}
afterAll(() => t.close());

const ip = () => `10.${crypto.randomInt(255)}.${crypto.randomInt(255)}.${crypto.randomInt(1, 255)}`;

async function issue(target: TestTown, overrides: { locale?: Locale; validFrom?: string; validUntil?: string | null; holderName?: string } = {}): Promise<IssuedDocument> {
  const today = dayIn(target.tenant.timeZone, new Date());
  const { applicationId, residentId } = await application(target);
  return t.db.withTenant(target.tenant.id, (trx) =>
    issueDocumentIn(trx, {
      tenant: target.tenant,
      baseUrl: `http://${target.host}`,
      applicationId,
      residentId,
      holderName: overrides.holderName ?? 'Zoé Lévesque',
      holderAddress: '12, rue des Érables, Rimouski',
      locale: overrides.locale ?? 'fr',
      title: { fr: 'Licence de chien', en: 'Dog licence' },
      conditions: 'Tenir le chien en laisse dans les parcs.',
      validFrom: overrides.validFrom ?? today,
      validUntil: overrides.validUntil === undefined ? addYears(today, 1) : overrides.validUntil,
      remindDaysBefore: 28,
      issuedBy: null,
      now: new Date(),
      compress: false,
    }),
  );
}

describe('the PDF', () => {
  it.each([
    ['fr', ['Licence de chien', 'Titulaire', 'Valide jusqu’au', 'Conditions', 'Délivré le', 'Ville de Rimouski']],
    ['en', ['Dog licence', 'Holder', 'Valid until', 'Conditions', 'Issued on', 'Town of Rimouski']],
  ] as const)('is a real PDF in the holder’s language (%s) with number, holder, address, conditions and the verification link', async (locale, words) => {
    const doc = await issue(town, { locale });
    expect(doc.number).toMatch(/^\d{4}-\d{5}$/);
    const pdf = (await t.db.withTenant(town.tenant.id, (trx) => documentPdfIn(trx, town.tenant.id, doc.id)))!;
    const shape = pdfShape(pdf);
    expect(shape).toMatchObject({ header: '%PDF-1.3', hasTrailer: true, endsWithEof: true, pages: 1 });
    const text = pdfText(pdf).join('\n');
    expect(text).toContain(doc.number);
    expect(text).toContain('Zoé Lévesque');
    expect(text).toContain('12, rue des Érables, Rimouski');
    expect(text).toContain('Tenir le chien en laisse dans les parcs.');
    expect(text).toContain(`http://${town.host}/${locale}/verify/${doc.verifyToken}`);
    for (const w of words) expect(text).toContain(w);
  });

  it('replaces characters the built-in fonts cannot draw instead of writing garbage', async () => {
    const doc = await issue(town, { holderName: 'Łukasz 山田' });
    const pdf = (await t.db.withTenant(town.tenant.id, (trx) => documentPdfIn(trx, town.tenant.id, doc.id)))!;
    expect(pdfText(pdf)).toContain('?ukasz ??');
  });

  it('numbers documents in sequence per town and year, each town on its own', async () => {
    const a = await issue(town);
    const b = await issue(town);
    const c = await issue(other);
    const seq = (n: string) => Number(n.split('-')[1]);
    expect(seq(b.number)).toBe(seq(a.number) + 1);
    expect(c.number).toMatch(/-00001$/);
    expect(a.verifyToken).not.toBe(b.verifyToken);
  });
});

describe('dates', () => {
  it('adds years (29 February → 28 February) and days, and tells the state of a document', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2026-03-15', 1)).toBe('2027-03-15');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    const doc = { revokedAt: null, validFrom: '2026-01-01', validUntil: '2026-12-31' };
    expect(statusOn(doc, '2025-12-31')).toBe('notYetValid');
    expect(statusOn(doc, '2026-12-31')).toBe('valid');
    expect(statusOn(doc, '2027-01-01')).toBe('expired');
    expect(statusOn({ ...doc, revokedAt: new Date() }, '2026-06-01')).toBe('revoked');
  });
});

describe('the verification page', () => {
  const get = (target: TestTown, url: string) => t.app.inject({ url, headers: { host: target.host }, remoteAddress: ip() });

  it.each([
    ['fr', 'Ce document est valide.', 'Valide'],
    ['en', 'This document is valid.', 'Valid'],
  ] as const)('says a document is valid in %s, with what it is and the holder’s name only', async (lang, sentence, tag) => {
    const doc = await issue(town);
    const res = await get(town, `/${lang}/verify/${doc.verifyToken}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(sentence);
    expect(res.body).toContain(`>${tag}</strong>`);
    expect(res.body).toContain(lang === 'fr' ? 'Licence de chien' : 'Dog licence');
    expect(res.body).toContain(doc.number);
    expect(res.body).toContain('Zoé Lévesque');
    // No more personal data than needed: no address, no conditions.
    expect(res.body).not.toContain('rue des Érables');
    expect(res.body).not.toContain('laisse');
    expect(res.headers['x-robots-tag']).toBe('noindex');
  });

  it.each([
    ['fr', 'Ce document est expiré.', 'Expiré'],
    ['en', 'This document has expired.', 'Expired'],
  ] as const)('says an expired document is expired in %s', async (lang, sentence, tag) => {
    const today = dayIn(town.tenant.timeZone, new Date());
    const doc = await issue(town, { validFrom: addDays(today, -400), validUntil: addDays(today, -1) });
    const res = await get(town, `/${lang}/verify/${doc.verifyToken}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(sentence);
    expect(res.body).toContain(`>${tag}</strong>`);
  });

  it.each([
    ['fr', 'Ce document n’est pas encore valide.'],
    ['en', 'This document is not valid yet.'],
  ] as const)('says a document that starts later is not valid yet in %s', async (lang, sentence) => {
    const today = dayIn(town.tenant.timeZone, new Date());
    const doc = await issue(town, { validFrom: addDays(today, 10), validUntil: null });
    const res = await get(town, `/${lang}/verify/${doc.verifyToken}`);
    expect(res.body).toContain(sentence);
    expect(res.body).toContain(lang === 'fr' ? 'Sans date de fin' : 'No end date');
  });

  it.each([
    ['fr', 'Ce document a été révoqué.', 'Révoqué le'],
    ['en', 'This document has been revoked.', 'Revoked on'],
  ] as const)('says a revoked document is revoked in %s, without the reason', async (lang, sentence, label) => {
    const doc = await issue(town);
    await t.db.withTenant(town.tenant.id, (trx) => revokeDocumentIn(trx, town.tenant.id, doc.id, 'Chien déménagé hors de la ville', new Date()));
    const res = await get(town, `/${lang}/verify/${doc.verifyToken}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(sentence);
    expect(res.body).toContain(label);
    expect(res.body).not.toContain('déménagé');
  });

  it.each([
    ['fr', 'Document introuvable'],
    ['en', 'Document not found'],
  ] as const)('answers 404 for an unknown token, a malformed one, or another town’s document (%s)', async (lang, title) => {
    const unknown = crypto.randomBytes(32).toString('base64url');
    for (const url of [`/${lang}/verify/${unknown}`, `/${lang}/verify/not-a-token`]) {
      const res = await get(town, url);
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain(title);
    }
    const theirs = await issue(other);
    const res = await get(town, `/${lang}/verify/${theirs.verifyToken}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain(theirs.number);
    expect((await get(other, `/${lang}/verify/${theirs.verifyToken}`)).statusCode).toBe(200);
  });

  it('is rate limited per client address', async () => {
    const doc = await issue(town);
    const from = ip();
    const limit = t.config.rateLimit.sensitivePerMinute * 3;
    let last = 0;
    for (let i = 0; i <= limit; i++) {
      last = (await t.app.inject({ url: `/en/verify/${doc.verifyToken}`, headers: { host: town.host }, remoteAddress: from })).statusCode;
    }
    expect(last).toBe(429);
  });
});
