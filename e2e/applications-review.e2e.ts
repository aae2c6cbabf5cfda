/**
 * The review of an application in a real browser, in both languages: a reviewer finds it in the
 * queue and asks for information; the resident answers on their follow-up page with a picture and
 * a PDF; the reviewer sees both previewed in the page, approves with conditions and issues the
 * document; the resident downloads the permit (a PDF) and its verification page says it is valid.
 * axe runs on every page visited.
 */
import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResidentSession, createSession, sessionCookieName } from '../src/platform/auth/session.ts';
import { newResident, reviewTown, submittedApplication, type ReviewTown } from '../src/modules/applications/review/testing.ts';
import { renderDocumentPdf } from '../src/modules/applications/documents/pdf.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;
let rt: ReviewTown;
let png: Buffer;
let PDF: Buffer;

beforeAll(async () => {
  e2e = await startE2E({ townName: 'Rivière-du-Loup' });
  rt = await reviewTown(e2e.t.db, e2e.town);
  PDF = await renderDocumentPdf({
    locale: 'fr',
    town: e2e.town.tenant.name,
    timeZone: e2e.town.tenant.timeZone,
    title: { fr: 'Plan', en: 'Plan' },
    number: '2026-99999',
    holderName: 'Plan',
    holderAddress: '',
    conditions: '',
    validFrom: '2026-01-01',
    validUntil: null,
    issuedAt: new Date(),
    verifyUrl: 'http://example.test/',
  });
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a6' } }).png().toBuffer();
});
afterAll(() => e2e?.close());

const TEXT = {
  fr: {
    queue: 'Demandes à analyser',
    request: 'Ce qu’il manque',
    sendRequest: 'Envoyer la demande de renseignements',
    requested: 'La demande de renseignements a été envoyée',
    message: 'Votre message',
    files: 'Documents',
    answer: 'Envoyer ma réponse',
    answered: 'Votre réponse a été envoyée',
    conditions: 'Conditions',
    approve: 'Approuver la demande',
    approved: 'La demande est approuvée',
    issue: 'Délivrer le document',
    issued: 'Le document a été délivré',
    download: /Télécharger le document \d{4}-\d{5}/,
    valid: 'Ce document est valide.',
    revokeReason: 'Motif de la révocation',
    revoke: 'Révoquer le document',
    revokedNotice: 'Le document a été révoqué',
    revoked: 'Ce document a été révoqué.',
  },
  en: {
    queue: 'Applications to review',
    request: 'What is missing',
    sendRequest: 'Send the request for information',
    requested: 'The request for information was sent',
    message: 'Your message',
    files: 'Documents',
    answer: 'Send my answer',
    answered: 'Your answer was sent',
    conditions: 'Conditions',
    approve: 'Approve the application',
    approved: 'The application is approved',
    issue: 'Issue the document',
    issued: 'The document was issued',
    download: /Download document \d{4}-\d{5}/,
    valid: 'This document is valid.',
    revokeReason: 'Reason for revoking',
    revoke: 'Revoke the document',
    revokedNotice: 'The document was revoked',
    revoked: 'This document has been revoked.',
  },
} as const;

async function signIn(v: Visitor, kind: 'staff' | 'resident', id: string) {
  const tenantId = e2e.town.tenant.id;
  const token = await e2e.t.db.withTenant(tenantId, (trx) => (kind === 'staff' ? createSession(trx, tenantId, id) : createResidentSession(trx, tenantId, id, 'e2e')));
  await v.page.context().addCookies([{ name: sessionCookieName(e2e.t.config), value: token, url: e2e.url('/') }]);
}

describe.each(['fr', 'en'] as const)('in %s', (lang) => {
  const text = TEXT[lang];

  it('a reviewer asks, the resident answers with documents, the reviewer approves and issues, the resident downloads and verifies', async () => {
    const resident = await newResident(e2e.t.db, e2e.town, lang, lang === 'fr' ? 'Zoé Lévesque' : 'Jordan Smith');
    const id = await submittedApplication(e2e.t.db, e2e.town, rt.services.permit.slug, resident, lang);
    const reference = (await e2e.t.db.withTenant(e2e.town.tenant.id, (trx) => trx.selectFrom('applications').select('reference').where('id', '=', id).executeTakeFirstOrThrow())).reference;
    const shown = `${reference.slice(0, 4)}-${reference.slice(4)}`;

    await journey(e2e, `applications-review-${lang}`, async (open) => {
      const locale = lang === 'fr' ? 'fr-CA' : 'en-CA';
      const staff = await open({ name: 'reviewer', locale });
      await signIn(staff, 'staff', rt.reviewer.id);
      const citizen = await open({ name: 'resident', locale });
      await signIn(citizen, 'resident', resident.id);

      // The reviewer finds the application in the queue and asks for information.
      await staff.goto(`/${lang}/staff/applications`);
      expect(await staff.page.locator('h1').innerText()).toBe(text.queue);
      await staff.click(staff.page.getByRole('link', { name: shown }));
      await staff.page.getByLabel(text.request).fill(lang === 'fr' ? 'Joignez le plan et une photo de la façade.' : 'Attach the plan and a picture of the front.');
      await staff.click(staff.page.getByRole('button', { name: text.sendRequest }));
      expect(await staff.page.locator('.banner').innerText()).toContain(text.requested);

      // The resident reads the request on their follow-up page and answers with a picture and a PDF.
      await citizen.goto(`/${lang}/applications/${id}/follow-up`);
      expect(await citizen.page.locator('main').innerText()).toContain(lang === 'fr' ? 'Joignez le plan' : 'Attach the plan');
      await citizen.page.getByLabel(text.message).fill(lang === 'fr' ? 'Voici le plan et la photo.' : 'Here are the plan and the picture.');
      await citizen.page.locator('#files').setInputFiles([
        { name: 'facade.png', mimeType: 'image/png', buffer: png },
        { name: 'plan.pdf', mimeType: 'application/pdf', buffer: PDF },
      ]);
      await citizen.click(citizen.page.getByRole('button', { name: text.answer }));
      expect(await citizen.page.locator('.banner').innerText()).toContain(text.answered);

      // The reviewer sees both documents in the page, approves with a condition and issues.
      await staff.goto(`/${lang}/staff/applications/${id}`);
      const picture = staff.page.locator('img.preview__image');
      expect(await picture.count()).toBe(1);
      expect(
        await picture.evaluate((img: HTMLImageElement) =>
          img.complete ? img.naturalWidth : new Promise<number>((resolve) => img.addEventListener('load', () => resolve(img.naturalWidth))),
        ),
      ).toBe(40);
      expect(await staff.page.locator('iframe.preview__pdf').count()).toBe(1);
      await staff.page.getByLabel(text.conditions).fill(lang === 'fr' ? 'Travaux entre 7 h et 19 h.' : 'Work between 7 a.m. and 7 p.m.');
      await staff.click(staff.page.getByRole('button', { name: text.approve }));
      expect(await staff.page.locator('.banner').innerText()).toContain(text.approved);
      await staff.click(staff.page.getByRole('button', { name: text.issue }));
      expect(await staff.page.locator('.banner').innerText()).toContain(text.issued);

      // The resident downloads the permit and checks it on the verification page.
      await citizen.goto(`/${lang}/applications/${id}/follow-up`);
      const link = citizen.page.getByRole('link', { name: text.download });
      const href = await link.getAttribute('href');
      // The link downloads the file (Content-Disposition: attachment).
      const [download] = await Promise.all([citizen.page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(/^\d{4}-\d{5}\.pdf$/);
      const saved = fs.readFileSync((await download.path()));
      expect(saved.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(href).toMatch(new RegExp(`^/${lang}/applications/${id}/documents/[0-9a-f-]+\\.pdf$`));
      const token = (await e2e.t.db.withTenant(e2e.town.tenant.id, (trx) => trx.selectFrom('issued_documents').select('verify_token').where('application_id', '=', id).executeTakeFirstOrThrow())).verify_token;
      const anyone = await open({ name: 'verifier', locale });
      await anyone.goto(`/${lang}/verify/${token}`);
      expect(await anyone.page.locator('main').innerText()).toContain(text.valid);
      expect(await anyone.page.locator('main').innerText()).toContain(resident.name!);

      // The reviewer revokes it: without a reason the form says what is missing; with one, the
      // verification page says it is revoked.
      await staff.goto(`/${lang}/staff/applications/${id}`);
      await staff.click(staff.page.getByRole('button', { name: text.revoke }));
      expect(await staff.page.locator('.error-summary').count()).toBe(1);
      await staff.page.getByLabel(text.revokeReason).fill(lang === 'fr' ? 'Délivré pour le mauvais lot.' : 'Issued for the wrong lot.');
      await staff.click(staff.page.getByRole('button', { name: text.revoke }));
      expect(await staff.page.locator('.banner').innerText()).toContain(text.revokedNotice);
      await anyone.goto(`/${lang}/verify/${token}`);
      expect(await anyone.page.locator('main').innerText()).toContain(text.revoked);
    });
  });
});
