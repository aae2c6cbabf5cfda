/**
 * Staff and a resident in real browsers: staff create an activity (a wrong form first) and two
 * sessions, a resident books one, staff see the roster, move the booking to the other session,
 * and the resident gets the email in their language; a resident asks for the resident rate and
 * staff approve it. Axe runs on every page visited.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, type TestPerson } from '../src/modules/admin/testing.ts';
import { instantToLocal } from '../src/modules/bookings/staff/time.ts';
import { makeResidents } from '../src/modules/bookings/testing.ts';
import { latestMail } from '../src/modules/residents/testing.ts';
import { createResidentSession, sessionCookieName } from '../src/platform/auth/session.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;
let manager: TestPerson;
const HOUR = 3_600_000;

beforeAll(async () => {
  e2e = await startE2E({ townName: 'Rivière-du-Loup' });
  manager = await addPerson(e2e.t, e2e.town, 'manager', 'Martine Gestion');
});
afterAll(() => e2e?.close());

async function asStaff(open: (o?: object) => Promise<Visitor>): Promise<Visitor> {
  const v = await open({ name: 'staff', locale: 'fr-CA' });
  const [name, value] = manager.cookie.split('=') as [string, string];
  await v.page.context().addCookies([{ name, value, url: e2e.url('/') }]);
  return v;
}

async function asResident(open: (o?: object) => Promise<Visitor>, lang: 'fr' | 'en') {
  const tenant = e2e.town.tenant;
  const [resident] = await makeResidents(e2e.t.db, tenant.id, 1, lang);
  const token = await e2e.t.db.withTenant(tenant.id, (trx) => createResidentSession(trx, tenant.id, resident!.id, 'e2e'));
  const v = await open({ name: 'resident', locale: lang === 'fr' ? 'fr-CA' : 'en-CA' });
  await v.page.context().addCookies([{ name: sessionCookieName(e2e.t.config), value: token, url: e2e.url('/') }]);
  return { v, resident: resident! };
}

describe('staff booking pages', () => {
  it('staff create an activity and sessions, a resident books, staff move the booking, the resident is emailed', async () => {
    await journey(e2e, 'bookings-staff', async (open) => {
      const tz = e2e.town.tenant.timeZone;
      const local = (hours: number) => instantToLocal(new Date(Date.now() + hours * HOUR), tz).replace('T', ' ');
      const slug = `escalade-${crypto.randomBytes(3).toString('hex')}`;

      const staff = await asStaff(open);
      const sp = staff.page;
      await staff.goto('/fr/staff/bookings');
      expect(await sp.locator('h1').innerText()).toBe('Installations et activités');
      await staff.click(sp.getByRole('link', { name: 'Créer une installation ou une activité' }));
      // A wrong form: the summary and the field say what to fix.
      await sp.getByLabel('Nom en français').fill('Escalade');
      await sp.getByLabel('Âge minimum').fill('deux cents');
      expect((await staff.click(sp.getByRole('button', { name: 'Créer' })))?.status()).toBe(422);
      const summary = await sp.locator('.error-summary').innerText();
      expect(summary).toContain('Nom en anglais');
      expect(summary).toContain('doit être un nombre entier de 0 à 120');
      await sp.getByLabel('Nom en anglais').fill('Climbing');
      await sp.getByLabel('Nom dans l’adresse Web').fill(slug);
      await sp.getByLabel('Âge minimum').fill('');
      await sp.getByLabel('Prix pour les résidents').fill('0');
      await sp.getByLabel('Prix pour les non-résidents').fill('0');
      await sp.getByLabel('Ouverture des inscriptions').fill(local(-1));
      await staff.click(sp.getByRole('button', { name: 'Créer' }));
      expect(await sp.locator('h1').innerText()).toBe('Escalade');
      expect(await sp.locator('.banner').innerText()).toContain('Créée');
      for (const [start, end] of [
        [50, 51],
        [74, 75],
      ] as const) {
        await sp.getByLabel('Début', { exact: true }).fill(local(start));
        await sp.getByLabel('Fin', { exact: true }).fill(local(end));
        await sp.getByLabel('Capacité', { exact: true }).fill('6');
        await staff.click(sp.getByRole('button', { name: 'Ajouter la séance' }));
        expect(await sp.locator('.banner').innerText()).toContain('Séance ajoutée');
      }
      expect(await sp.locator('table').innerText()).toContain('0 sur 6');

      // The resident books the first session.
      const { v: res, resident } = await asResident(open, 'en');
      const rp = res.page;
      await res.goto(`/en/activities/${slug}`);
      await rp.locator('input[name="session"]').first().check();
      await res.click(rp.getByRole('button', { name: 'Book a place' }));
      await res.click(rp.getByRole('button', { name: 'Confirm the booking' }));
      expect(await rp.locator('h1').innerText()).toBe('Booking confirmed');

      // Staff see the roster, then move the booking.
      await staff.click(sp.locator('table').getByRole('link').first());
      expect(await sp.locator('table').innerText()).toContain(resident.email);
      expect(await sp.locator('main').innerText()).toContain('Télécharger la liste (CSV)');
      await staff.click(sp.locator('table').getByRole('link', { name: resident.email }));
      await sp.getByLabel('Déplacer vers').selectOption({ index: 1 });
      await staff.click(sp.getByRole('button', { name: 'Déplacer la réservation' }));
      expect(await sp.locator('.banner').innerText()).toContain('Réservation déplacée');

      const mail = await latestMail(e2e.t.db, e2e.town.tenant.id, resident.email);
      expect(mail.subject).toBe('Your booking was moved: Climbing');
      // The resident sees the new date on their booking.
      await res.goto('/en/bookings');
      expect(await rp.locator('main').innerText()).toContain('Climbing');
    });
  }, 180_000);

  it('a resident asks to be recognised as a resident, staff approve it', async () => {
    await journey(e2e, 'bookings-residency', async (open) => {
      const { v: res, resident } = await asResident(open, 'fr');
      const rp = res.page;
      await res.goto('/fr/bookings');
      await res.click(rp.getByRole('link', { name: /Preuve de résidence/ }));
      expect(await rp.locator('h1').innerText()).toBe('Preuve de résidence');
      // Nothing typed: both fields say so.
      expect((await res.click(rp.getByRole('button', { name: 'Envoyer pour vérification' })))?.status()).toBe(422);
      expect(await rp.locator('.error-summary li').count()).toBe(2);
      await rp.getByLabel('Adresse du domicile').fill('8, rue du Quai');
      await rp.getByLabel('Votre preuve de résidence').fill('Compte de taxes municipales 2026');
      await res.click(rp.getByRole('button', { name: 'Envoyer pour vérification' }));
      expect(await rp.locator('.banner').innerText()).toContain('Demande envoyée');

      const staff = await asStaff(open);
      const sp = staff.page;
      await staff.goto('/en/staff');
      await staff.click(sp.getByRole('link', { name: 'Bookings' }));
      await staff.click(sp.getByRole('link', { name: 'Residency reviews' }));
      await staff.click(sp.locator('table').first().getByRole('link', { name: resident.email }));
      await sp.getByLabel('Residency valid until').fill('2099-02-30');
      expect((await staff.click(sp.getByRole('button', { name: 'Approve' })))?.status()).toBe(422);
      await sp.getByLabel('Residency valid until').fill('2099-12-31');
      await staff.click(sp.getByRole('button', { name: 'Approve' }));
      expect(await sp.locator('.banner').innerText()).toContain('Residency approved');
      expect((await latestMail(e2e.t.db, e2e.town.tenant.id, resident.email)).subject).toBe('Votre résidence est approuvée');
      await res.goto('/fr/residency');
      expect(await rp.locator('main').innerText()).toContain('2099-12-31');
    });
  }, 180_000);
});
