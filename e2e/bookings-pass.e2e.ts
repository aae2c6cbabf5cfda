/**
 * Contactless passes in a real browser: a resident books (hold, then confirm) and opens the pass;
 * staff open the door scanner for the session, type the code (valid), read a second pass through
 * the camera's decoding path (a picture of its QR code, decoded by jsQR as a video frame would be),
 * then, with the network cut, check a third pass in on the device; back online the arrival reaches
 * the server once. Both languages, axe on every page.
 *
 * WebCrypto and service workers need a secure context: the test town's http origin is treated as
 * one (production is served over https).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResidentSession, createSession, sessionCookieName } from '../src/platform/auth/session.ts';
import { createStaff } from '../src/modules/staff/service.ts';
import { createActivity } from '../src/modules/bookings/catalogue.ts';
import { makeResidents } from '../src/modules/bookings/testing.ts';
import { qrSvg } from '../src/modules/bookings/passes/routes.tsx';
import { validityOf } from '../src/modules/bookings/passes/service.ts';
import { bookConfirmed, passWith } from '../src/modules/bookings/passes/testing.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;
let staffId: string;
const MINUTE = 60_000;
const sessions: Record<'fr' | 'en', { id: string; startsAt: Date; endsAt: Date }> = {} as never;

beforeAll(async () => {
  e2e = await startE2E({ townName: 'Sept-Îles', chromiumArgs: (origin) => [`--unsafely-treat-insecure-origin-as-secure=${origin}`] });
  const tenantId = e2e.town.tenant.id;
  for (const [lang, offset] of [['fr', 3], ['en', 4]] as const) {
    const startsAt = new Date(Date.now() + offset * MINUTE);
    const endsAt = new Date(startsAt.getTime() + 60 * MINUTE);
    const a = await createActivity(e2e.t.db, tenantId, {
      slug: `piscine-${lang}`,
      kind: 'activity',
      name: { fr: `Bain libre ${lang}`, en: `Public swim ${lang}` },
      opensAt: new Date(Date.now() - 60 * MINUTE),
      sessions: [{ startsAt, endsAt, capacity: 20 }],
    });
    sessions[lang] = { id: a!.sessionIds[0]!, startsAt, endsAt };
  }
  staffId = (await createStaff(e2e.t.db, tenantId, { email: `porte@${e2e.town.host}`, name: 'Paul Portier', role: 'agent', password: 'correct horse battery staple' })).id;
});
afterAll(() => e2e?.close());

const TEXT = {
  fr: {
    hold: 'Réserver une place',
    confirm: 'Confirmer la réservation',
    passLink: 'Afficher mon laissez-passer (code QR)',
    passTitle: 'Votre laissez-passer',
    session: 'Séance',
    open: 'Ouvrir l’entrée pour cette séance',
    code: 'Code du laissez-passer',
    check: 'Vérifier le laissez-passer',
    valid: 'Laissez-passer valide',
    already: 'Déjà validé à',
    offline: 'Hors ligne',
    pending: 'Arrivées en attente d’envoi : 1',
    arrivals: (n: number, of: number) => `Arrivées : ${n} sur ${of}`,
  },
  en: {
    hold: 'Book a place',
    confirm: 'Confirm the booking',
    passLink: 'Show my pass (QR code)',
    passTitle: 'Your pass',
    session: 'Session',
    open: 'Open the door for this session',
    code: 'Pass code',
    check: 'Check the pass',
    valid: 'Valid pass',
    already: 'Already checked in at',
    offline: 'Offline',
    pending: 'Arrivals waiting to be sent: 1',
    arrivals: (n: number, of: number) => `Arrivals: ${n} of ${of}`,
  },
} as const;

async function signedInResident(open: (o?: object) => Promise<Visitor>, lang: 'fr' | 'en') {
  const tenant = e2e.town.tenant;
  const [resident] = await makeResidents(e2e.t.db, tenant.id, 1, lang);
  const token = await e2e.t.db.withTenant(tenant.id, (trx) => createResidentSession(trx, tenant.id, resident!.id, 'e2e'));
  const v = await open({ name: 'resident', locale: lang === 'fr' ? 'fr-CA' : 'en-CA' });
  await v.page.context().addCookies([{ name: sessionCookieName(e2e.t.config), value: token, url: e2e.url('/') }]);
  return v;
}

async function signedInStaff(open: (o?: object) => Promise<Visitor>, lang: 'fr' | 'en') {
  const tenant = e2e.town.tenant;
  const token = await e2e.t.db.withTenant(tenant.id, (trx) => createSession(trx, tenant.id, staffId));
  const v = await open({ name: 'staff', locale: lang === 'fr' ? 'fr-CA' : 'en-CA' });
  await v.page.context().addCookies([{ name: sessionCookieName(e2e.t.config), value: token, url: e2e.url('/') }]);
  return v;
}

/** Another resident's confirmed booking and its pass's code, as their pass page would show it. */
async function otherPass(lang: 'fr' | 'en') {
  const tenant = e2e.town.tenant;
  const [resident] = await makeResidents(e2e.t.db, tenant.id, 1, lang);
  const s = sessions[lang];
  const bookingId = await bookConfirmed(e2e.t.db, tenant, resident!, s.id);
  const code = await passWith(e2e.t.db, e2e.t.config.sessionSecret, tenant.id, { bookingId, sessionId: s.id, ...validityOf(tenant.timeZone, s.startsAt, s.endsAt) });
  return { bookingId, code, email: resident!.email };
}

const checkinsOf = (bookingId: string) =>
  e2e.t.db.withTenant(e2e.town.tenant.id, (trx) => trx.selectFrom('booking_checkins').select(['id', 'offline']).where('booking_id', '=', bookingId).execute());

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, label: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await what();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${label}`);
}

describe.each(['fr', 'en'] as const)('in %s', (lang) => {
  const text = TEXT[lang];

  it('a resident gets a pass; staff check passes in, typed, through the camera path, and offline', async () => {
    await journey(e2e, `pass-${lang}`, async (open) => {
      // The resident books: hold, then confirm, then the pass.
      const r = await signedInResident(open, lang);
      await r.goto(`/${lang}/activities/piscine-${lang}`);
      await r.page.locator('input[name="session"]').first().check();
      await r.click(r.page.getByRole('button', { name: text.hold }));
      await r.click(r.page.getByRole('button', { name: text.confirm }));
      await r.click(r.page.getByRole('link', { name: text.passLink }));
      expect(await r.page.locator('h1').innerText()).toBe(text.passTitle);
      expect(await r.page.locator('.pass__qr svg').count()).toBe(1);
      // At 400 % zoom (320 px) nothing scrolls sideways, the code included.
      await r.page.setViewportSize({ width: 320, height: 640 });
      expect(await r.horizontalOverflow()).toBe(0);
      const code = (await r.page.locator('#pass-code').innerText()).trim();
      const bookingId = /\/bookings\/([0-9a-f-]{36})\/pass/.exec(r.page.url())![1]!;

      // Staff open the door for the session and type the code.
      const s = await signedInStaff(open, lang);
      const { page } = s;
      await s.goto(`/${lang}/staff/scanner`);
      await page.getByLabel(text.session, { exact: true }).selectOption(sessions[lang].id);
      await s.click(page.getByRole('button', { name: text.open }));
      await page.locator('[data-module="scanner"][data-ready="true"]').waitFor();
      await page.getByLabel(text.code, { exact: true }).fill(code);
      await page.getByRole('button', { name: text.check }).click();
      await expect.poll(() => page.locator('#scanner-result').innerText()).toContain(text.valid);
      await until(() => checkinsOf(bookingId), (rows) => rows.length === 1, 'the typed check-in on the server');

      // The camera's path: a picture of another pass's QR code, decoded as a video frame would be.
      const second = await otherPass(lang);
      await s.check(); // nothing new loaded, but the page changed: still accessible
      const svg = await qrSvg(second.code);
      await page.evaluate((url) => (window as unknown as { guichetScanner: { decodeImage(u: string): Promise<void> } }).guichetScanner.decodeImage(url), `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
      await expect.poll(() => page.locator('#scanner-result').innerText()).toContain(text.valid);
      await until(() => checkinsOf(second.bookingId), (rows) => rows.length === 1, 'the scanned check-in on the server');
      // Where the browser has no BarcodeDetector (Chromium on Linux), jsQR read the frame.
      expect(await page.evaluate(() => ('BarcodeDetector' in window ? 'detector' : typeof (window as unknown as { jsQR?: unknown }).jsQR))).toMatch(/^(detector|function)$/);

      // The network goes down: a third pass (booked before the list was downloaded) is checked on the device.
      const third = await otherPass(lang);
      await page.reload();
      await page.locator('[data-module="scanner"][data-ready="true"]').waitFor();
      await s.check();
      await page.context().setOffline(true);
      // The page itself comes from the service worker while the network is down.
      const kept = await page.reload();
      expect(kept?.fromServiceWorker()).toBe(true);
      await page.locator('[data-module="scanner"][data-ready="true"]').waitFor();
      await s.check();
      await page.getByLabel(text.code, { exact: true }).fill(third.code);
      await page.getByRole('button', { name: text.check }).click();
      await expect.poll(() => page.locator('#scanner-result').innerText()).toContain(text.valid);
      await expect.poll(() => page.locator('#scanner-status').innerText()).toContain(text.pending);
      expect(await page.locator('#scanner-status').innerText()).toContain(text.offline);
      expect(await page.locator('#scanner-count').innerText()).toBe(text.arrivals(3, 3));
      expect(await page.locator(`table tr:has(a[href$="?session=${sessions[lang].id}"]) td`).last().innerText()).toBe('3');
      await new Promise((r) => setTimeout(r, 300));
      expect(await checkinsOf(third.bookingId)).toHaveLength(0);
      // Scanned again while offline: already in.
      await page.getByLabel(text.code, { exact: true }).fill(third.code);
      await page.getByRole('button', { name: text.check }).click();
      await expect.poll(() => page.locator('#scanner-result').innerText()).toContain(text.already);
      await s.check();

      // Back online: the arrival reaches the server, once.
      await page.context().setOffline(false);
      const rows = await until(() => checkinsOf(third.bookingId), (rs) => rs.length === 1, 'the offline check-in on the server');
      expect(rows[0]!.offline).toBe(true);
      await page.reload();
      await page.locator('[data-module="scanner"][data-ready="true"]').waitFor();
      await s.check();
      expect(await page.locator('#scanner-count').innerText()).toBe(text.arrivals(3, 3));
      expect(await checkinsOf(third.bookingId)).toHaveLength(1);

      // Without JavaScript, at 320 px: the typed code is checked by the server.
      const fourth = await otherPass(lang);
      const plain = await open({ name: 'staff-nojs', locale: lang === 'fr' ? 'fr-CA' : 'en-CA', javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
      const token = await e2e.t.db.withTenant(e2e.town.tenant.id, (trx) => createSession(trx, e2e.town.tenant.id, staffId));
      await plain.page.context().addCookies([{ name: sessionCookieName(e2e.t.config), value: token, url: e2e.url('/') }]);
      await plain.goto(`/${lang}/staff/scanner?session=${sessions[lang].id}`);
      expect(await plain.horizontalOverflow()).toBe(0);
      await plain.page.getByLabel(text.code, { exact: true }).fill(fourth.code);
      await plain.click(plain.page.getByRole('button', { name: text.check }));
      expect(await plain.page.locator('#scanner-result').innerText()).toContain(text.valid);
      expect(await plain.page.locator('#scanner-count').innerText()).toBe(text.arrivals(4, 4));
      expect(await checkinsOf(fourth.bookingId)).toHaveLength(1);
    });
    // Four people and five pages in one journey: more than the usual minute on a busy machine.
  }, 180_000);
});
