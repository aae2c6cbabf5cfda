/**
 * A resident books in a real browser: browses the activities (a wrong filter first), opens an
 * activity, holds a place for a household member, sees until when it is held (with the live
 * countdown when JavaScript runs), confirms, finds it in their bookings and cancels it; an activity
 * not open yet counts down; a lottery's public draw record. Both languages, with and without
 * JavaScript, axe on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResidentSession, sessionCookieName } from '../src/platform/auth/session.ts';
import { addMember } from '../src/modules/residents/household.ts';
import { createActivity } from '../src/modules/bookings/catalogue.ts';
import { drawLottery } from '../src/modules/bookings/lottery.ts';
import { enterLottery } from '../src/modules/bookings/service.ts';
import { callerFor, makeResidents } from '../src/modules/bookings/testing.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;
const HOUR = 3_600_000;

beforeAll(async () => {
  e2e = await startE2E({ townName: 'Baie-Comeau' });
  const tenantId = e2e.town.tenant.id;
  const opensAt = new Date(Date.now() - HOUR);
  const start = (h: number) => new Date(Date.now() + h * HOUR);
  await createActivity(e2e.t.db, tenantId, {
    slug: 'camp-de-jour',
    kind: 'activity',
    name: { fr: 'Camp de jour', en: 'Day camp' },
    description: { fr: 'Une semaine au parc.', en: 'A week at the park.' },
    minAge: 5,
    maxAge: 12,
    residentPriceCents: 9500,
    nonresidentPriceCents: 14000,
    opensAt,
    cancelHoursBefore: 24,
    sessions: [
      { startsAt: start(96), endsAt: start(100), capacity: 10 },
      { startsAt: start(120), endsAt: start(124), capacity: 1 },
    ],
  });
  await createActivity(e2e.t.db, tenantId, {
    slug: 'soccer',
    kind: 'activity',
    name: { fr: 'Soccer récréatif', en: 'Recreational soccer' },
    opensAt: new Date(Date.now() + 26 * HOUR),
    residentsOpenAt: new Date(Date.now() + 2 * HOUR),
    sessions: [{ startsAt: start(200), endsAt: start(201), capacity: 20 }],
  });
  const lottery = await createActivity(e2e.t.db, tenantId, {
    slug: 'natation',
    kind: 'activity',
    name: { fr: 'Cours de natation', en: 'Swimming lessons' },
    mode: 'lottery',
    opensAt: new Date(Date.now() - 2 * HOUR),
    lotteryClosesAt: new Date(Date.now() + HOUR),
    sessions: [{ startsAt: start(300), endsAt: start(301), capacity: 2 }],
  });
  const entrants = await makeResidents(e2e.t.db, tenantId, 3);
  for (const p of entrants) await enterLottery(callerFor(e2e.t.db, e2e.town.tenant, p), { sessionId: lottery!.sessionIds[0]!, participant: 'self' });
  await e2e.t.db.withTenant(tenantId, (trx) =>
    trx.updateTable('activities').set({ lottery_closes_at: new Date(Date.now() - 1000) }).where('tenant_id', '=', tenantId).where('id', '=', lottery!.id).execute(),
  );
  await drawLottery(e2e.t.db, { tenant: e2e.town.tenant, publicUrl: 'http://x' }, lottery!.sessionIds[0]!, { seed: 'a1'.repeat(32) });
});
afterAll(() => e2e?.close());

const TEXT = {
  fr: {
    listTitle: 'Activités et réservations',
    age: 'Âge du participant',
    filter: 'Filtrer',
    badAge: 'Entrez un âge en années',
    hold: 'Réserver une place',
    holdTitle: 'Confirmez votre réservation',
    heldUntil: 'Votre place est retenue jusqu’à',
    payment: 'Payer au comptoir ou sur facture',
    confirm: 'Confirmer la réservation',
    confirmed: 'Réservation confirmée',
    mine: 'Toutes mes réservations',
    cancel: 'Annuler la réservation',
    cancelled: 'Réservation annulée',
    opens: 'Les inscriptions ouvrent le',
    residents: 'Les résidents de la ville peuvent s’inscrire dès le',
    choose: 'Choisissez une séance.',
    drawLink: 'Voir le tirage',
    verified: 'Vérifié',
  },
  en: {
    listTitle: 'Activities and bookings',
    age: 'Participant’s age',
    filter: 'Filter',
    badAge: 'Enter an age in years',
    hold: 'Book a place',
    holdTitle: 'Confirm your booking',
    heldUntil: 'Your place is held until',
    payment: 'Pay at the counter or by invoice',
    confirm: 'Confirm the booking',
    confirmed: 'Booking confirmed',
    mine: 'All my bookings',
    cancel: 'Cancel the booking',
    cancelled: 'Booking cancelled',
    opens: 'Registration opens on',
    residents: 'Town residents can register from',
    choose: 'Choose a session.',
    drawLink: 'See the draw',
    verified: 'Verified',
  },
} as const;

/** A signed-in resident with a child, in a browser of their own. */
async function signedIn(open: (o?: object) => Promise<Visitor>, lang: 'fr' | 'en', javaScriptEnabled: boolean) {
  const tenant = e2e.town.tenant;
  const [resident] = await makeResidents(e2e.t.db, tenant.id, 1, lang);
  const child = await addMember({ db: e2e.t.db, tenant, resident: resident!, ip: null }, { name: 'Léa Tremblay', birthDate: `${new Date().getUTCFullYear() - 8}-03-01`, relationship: 'child' });
  if (!child.ok) throw new Error('no child');
  const token = await e2e.t.db.withTenant(tenant.id, (trx) => createResidentSession(trx, tenant.id, resident!.id, 'e2e'));
  const v = await open({ name: `resident-${javaScriptEnabled ? 'js' : 'nojs'}`, locale: lang === 'fr' ? 'fr-CA' : 'en-CA', javaScriptEnabled });
  await v.page.context().addCookies([{ name: sessionCookieName(e2e.t.config), value: token, url: e2e.url('/') }]);
  return v;
}

describe.each(['fr', 'en'] as const)('in %s', (lang) => {
  const text = TEXT[lang];

  it.each([true, false])('a resident holds, confirms and cancels a place (JavaScript %s)', async (javaScript) => {
    await journey(e2e, `bookings-${lang}-${javaScript ? 'js' : 'nojs'}`, async (open) => {
      const v = await signedIn(open, lang, javaScript);
      const { page } = v;
      await v.goto(`/${lang}/activities`);
      expect(await page.locator('h1').innerText()).toBe(text.listTitle);
      await page.getByLabel(text.age).fill('huit');
      expect((await v.click(page.getByRole('button', { name: text.filter })))?.status()).toBe(422);
      expect(await page.locator('.error-summary').innerText()).toContain(text.badAge);
      await page.getByLabel(text.age).fill('8');
      await v.click(page.getByRole('button', { name: text.filter }));
      await v.click(page.getByRole('link', { name: lang === 'fr' ? 'Camp de jour' : 'Day camp' }));

      // Nothing chosen: the page says what is missing.
      expect((await v.click(page.getByRole('button', { name: text.hold })))?.status()).toBe(422);
      expect(await page.locator('.error-summary').innerText()).toContain(text.choose);
      await page.locator('input[name="session"]').first().check();
      await page.getByLabel(/Léa Tremblay/).check();
      await v.click(page.getByRole('button', { name: text.hold }));
      expect(await page.locator('h1').innerText()).toBe(text.holdTitle);
      expect(await page.locator('main').innerText()).toContain(text.heldUntil);
      // The live countdown only adds to the text; without JavaScript the text is all there is.
      expect(await page.locator('.countdown__left').count()).toBe(javaScript ? 1 : 0);
      expect(await page.getByLabel(text.payment).isChecked()).toBe(true);
      await v.click(page.getByRole('button', { name: text.confirm }));
      expect(await page.locator('h1').innerText()).toBe(text.confirmed);
      await v.click(page.getByRole('link', { name: text.mine }));
      expect(await page.locator('table').innerText()).toContain('Léa Tremblay');
      await v.click(page.locator('table').getByRole('link').first());
      await v.click(page.getByRole('button', { name: text.cancel }));
      expect(await page.locator('h1').innerText()).toBe(text.cancelled);
    });
  });

  it('an activity not open yet counts down, and a draw is public', async () => {
    await journey(e2e, `bookings-countdown-${lang}`, async (open) => {
      const v = await open({ locale: lang === 'fr' ? 'fr-CA' : 'en-CA', viewport: { width: 320, height: 640 } });
      const { page } = v;
      await v.goto(`/${lang}/activities/soccer`);
      const main = await page.locator('main').innerText();
      expect(main).toContain(text.opens);
      expect(main).toContain(text.residents);
      expect(await page.locator('.countdown__left').innerText()).toMatch(/\d+ h \d+ min \d+ s/);
      expect(await v.horizontalOverflow()).toBe(0);
      await v.goto(`/${lang}/activities/natation`);
      await v.click(page.getByRole('link', { name: text.drawLink }));
      expect(await page.locator('.banner').innerText()).toContain(text.verified);
      expect(await page.locator('main').innerText()).toContain('a1'.repeat(32));
      expect(await v.horizontalOverflow()).toBe(0);
    });
  });
});
