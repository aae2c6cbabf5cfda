/**
 * Online applications in real browsers: an administrator builds a small form in French (a wrong
 * entry first), with a question shown only on a given answer, previews it and publishes it; a
 * resident fills it in English, answers so the conditional upload shows, attaches a file, saves a
 * draft, comes back to it from My file (in French), checks the answers, pays at the counter, sends
 * and sees the receipt. Axe runs on every page.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, type TestPerson } from '../src/modules/admin/testing.ts';
import { makeResidents } from '../src/modules/bookings/testing.ts';
import { adminCaller, publishedService } from '../src/modules/applications/testing.ts';
import { createResidentSession, sessionCookieName } from '../src/platform/auth/session.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;
let admin: TestPerson;
let png: Buffer;

beforeAll(async () => {
  e2e = await startE2E({ townName: 'Sainte-Adèle' });
  admin = await addPerson(e2e.t, e2e.town, 'admin', 'Adrienne Admin');
  png = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#2266aa' } }).png().toBuffer();
});
afterAll(() => e2e?.close());

async function asAdmin(open: (o?: object) => Promise<Visitor>): Promise<Visitor> {
  const v = await open({ name: 'admin', locale: 'fr-CA' });
  const [name, value] = admin.cookie.split('=') as [string, string];
  await v.page.context().addCookies([{ name, value, url: e2e.url('/') }]);
  return v;
}

async function asResident(open: (o?: { name?: string; locale?: string; javaScriptEnabled?: boolean }) => Promise<Visitor>, javaScriptEnabled = true) {
  const tenant = e2e.town.tenant;
  const [resident] = await makeResidents(e2e.t.db, tenant.id, 1, 'en');
  const token = await e2e.t.db.withTenant(tenant.id, (trx) => createResidentSession(trx, tenant.id, resident!.id, 'e2e'));
  const v = await open({ name: javaScriptEnabled ? 'resident' : 'resident-nojs', locale: 'en-CA', javaScriptEnabled });
  await v.page.context().addCookies([{ name: sessionCookieName(e2e.t.config), value: token, url: e2e.url('/') }]);
  return v;
}

describe('online applications', () => {
  it('an administrator builds and publishes a form; a resident fills it with a condition and an upload, resumes a draft, pays at the counter and sends it', async () => {
    await journey(e2e, 'applications-resident', async (open) => {
      const a = await asAdmin(open);
      const ap = a.page;
      await a.goto('/fr/staff/services');
      expect(await ap.locator('h1').innerText()).toBe('Services de demande');
      // A wrong web address first: the summary and the field say what to fix.
      await ap.getByLabel('Nom (français)').fill('Permis de piscine');
      await ap.getByLabel('Nom (anglais)').fill('Pool permit');
      await ap.getByLabel('Adresse Web').fill('Piscine!');
      expect((await a.click(ap.getByRole('button', { name: 'Créer le service' })))?.status()).toBe(422);
      expect(await ap.locator('.error-summary').innerText()).toContain('Utilisez des lettres minuscules');
      await ap.getByLabel('Adresse Web').fill('permis-piscine');
      await a.click(ap.getByRole('button', { name: 'Créer le service' }));
      expect(await ap.locator('h1').innerText()).toBe('Permis de piscine');

      // Page 1: a yes/no question.
      await ap.getByLabel('Type de question').selectOption('yesno');
      await ap.getByLabel('Code', { exact: true }).first().fill('inground');
      await ap.getByLabel('Question (français)').fill('La piscine sera-t-elle creusée?');
      await ap.getByLabel('Question (anglais)').fill('Will the pool be in-ground?');
      await a.click(ap.getByRole('button', { name: 'Ajouter la question' }));
      expect(await ap.locator('h1').innerText()).toContain('La piscine sera-t-elle creusée?');
      await a.click(ap.getByRole('link', { name: 'Permis de piscine' }));

      // Page 2 with a plan to upload, asked only for an in-ground pool.
      await ap.locator('#page_code').fill('plan_page');
      await ap.getByLabel('Titre de la page (français)').fill('Le plan');
      await ap.getByLabel('Titre de la page (anglais)').fill('The plan');
      await a.click(ap.getByRole('button', { name: 'Ajouter la page' }));
      await ap.getByLabel('Sur la page').selectOption('plan_page');
      await ap.getByLabel('Type de question').selectOption('file');
      await ap.locator('#new_code').fill('site_plan');
      await ap.getByLabel('Question (français)').fill('Plan d’implantation');
      await ap.getByLabel('Question (anglais)').fill('Site plan');
      await a.click(ap.getByRole('button', { name: 'Ajouter la question' }));
      await ap.getByLabel('Poser si la réponse à').selectOption('inground');
      await ap.getByLabel('Test').selectOption('equals');
      await ap.getByLabel('Valeur').fill('oui');
      expect((await a.click(ap.getByRole('button', { name: 'Enregistrer la question' })))?.status()).toBe(422);
      expect(await ap.locator('.error-summary').innerText()).toContain('Donnez yes ou no');
      await ap.getByLabel('Valeur').fill('yes');
      await a.click(ap.getByRole('button', { name: 'Enregistrer la question' }));
      expect(await ap.locator('.banner').innerText()).toContain('Enregistré');

      // A fixed fee, a preview, then publish.
      await ap.getByLabel('Un montant fixe').check();
      await ap.locator('#fee_amount').fill('25');
      await a.click(ap.getByRole('button', { name: 'Enregistrer les frais' }));
      await a.click(ap.getByRole('link', { name: 'Prévisualiser Le plan' }));
      expect(await ap.locator('.banner').innerText()).toContain('Aperçu du brouillon');
      expect(await ap.locator('body').innerText()).toContain('Répondez seulement si vous avez répondu « Oui » à « La piscine sera-t-elle creusée? »');
      await a.click(ap.getByRole('link', { name: 'Retour' }));
      await a.click(ap.getByRole('button', { name: 'Publier la version 1' }));
      expect(await ap.locator('.banner').innerText()).toContain('Publié');

      // The resident, in English.
      const r = await asResident(open);
      const rp = r.page;
      await r.goto('/en/applications');
      await r.click(rp.getByRole('link', { name: 'Pool permit' }));
      expect(await rp.locator('body').innerText()).toContain('$25.00');
      await r.click(rp.getByRole('button', { name: 'Start my application' }));
      expect(await rp.locator('h1').innerText()).toBe('Your application');
      // Nothing chosen: the server says so at the field.
      expect((await r.click(rp.getByRole('button', { name: 'Save and continue' })))?.status()).toBe(422);
      expect(await rp.locator('.error-summary').innerText()).toContain('Answer this question');
      await rp.getByLabel('Yes').check();
      await r.click(rp.getByRole('button', { name: 'Save and continue' }));
      expect(await rp.locator('h1').innerText()).toBe('The plan');
      await rp.getByLabel('Choose a file').setInputFiles({ name: 'plan.png', mimeType: 'image/png', buffer: png });
      await r.click(rp.getByRole('button', { name: 'Attach the chosen files' }));
      expect(await rp.locator('.banner').innerText()).toContain('Your files are attached.');
      expect(await rp.getByRole('link', { name: 'plan.png' }).count()).toBe(1);
      await r.click(rp.getByRole('button', { name: 'Save and come back later' }));
      expect(await rp.locator('.banner').innerText()).toContain('Your answers are saved');

      // Later, in French, from My file: the draft is there and opens where it was left.
      await r.goto('/fr/account');
      await r.click(rp.getByRole('link', { name: /Permis de piscine/ }));
      expect(await rp.locator('h1').innerText()).toBe('Le plan');
      await r.click(rp.getByRole('button', { name: 'Enregistrer et continuer' }));
      expect(await rp.locator('h1').innerText()).toBe('Vérifiez vos réponses');
      const check = await rp.locator('main').innerText();
      expect(check).toContain('plan.png');
      expect(check).toContain('25,00');
      await rp.getByLabel('Au comptoir de l’hôtel de ville (comptant, débit ou chèque)').check();
      await r.click(rp.getByRole('button', { name: 'Envoyer ma demande' }));
      expect(await rp.locator('.banner').innerText()).toContain('Demande envoyée');
      const reference = await rp.locator('.reference').innerText();
      expect(reference).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
      expect(await rp.locator('main').innerText()).toContain('à payer au comptoir');
      // Back in English: the application's page.
      await r.click(rp.getByRole('link', { name: 'Suivre ma demande' }));
      await r.click(rp.getByRole('link', { name: 'English' }));
      expect(await rp.locator('main').innerText()).toContain(reference);
      expect(await rp.locator('main').innerText()).toContain('Sent');
    });
    // Two people, some twenty pages, each checked by axe: more than the default minute on a busy machine.
  }, 240_000);

  it('hides a question while the answer it depends on (same page) is not given, with JavaScript; shows it with a note without', async () => {
    const { service } = await publishedService(await adminCaller(e2e.t.db, e2e.town.tenant), undefined, 'renovation-js');
    await journey(e2e, 'applications-conditions', async (open) => {
      for (const js of [true, false]) {
        const r = await asResident(open, js);
        const rp = r.page;
        await r.goto(`/en/applications/services/${service.slug}`);
        await r.click(rp.getByRole('button', { name: 'Start my application' }));
        const area = rp.getByLabel('Area added');
        if (js) {
          expect(await area.isVisible()).toBe(false);
          await rp.getByLabel('Yes').check();
          expect(await area.isVisible()).toBe(true);
          await rp.getByLabel('No').check();
          expect(await area.isVisible()).toBe(false);
          // A change is saved as a draft in the background: it is there when the page is opened again.
          await rp.getByLabel('Yes').check();
          await area.fill('12');
          await area.press('Tab');
          await rp.locator('.autosave-status', { hasText: 'Draft saved.' }).waitFor();
          await r.goto(new URL(rp.url()).pathname);
          expect(await rp.getByLabel('Area added').inputValue()).toBe('12');
          expect(await rp.getByLabel('Yes').isChecked()).toBe(true);
        } else {
          expect(await area.isVisible()).toBe(true);
          expect(await rp.locator('main').innerText()).toContain('Answer only if you answered “Yes” to “Are you extending the building?”');
        }
      }
    });
  }, 120_000);
});
