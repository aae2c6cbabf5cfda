/**
 * Service requests in a real browser, resident side. In French, a resident finds the type by a
 * search without accents, drops a pin on the map, sees the open report nearby, files their own with
 * a photo and gets the reference and the email. In English, a neighbour sees that report as a
 * duplicate, follows it ("me too") instead of filing, receives the email and tracks it from the link.
 * Without JavaScript (at 320 pixels wide), or when the tiles fail, the address field alone carries a
 * report. Axe runs on every page.
 *
 * The map's tiles come from a small local tile server (a real HTTP server answering PNG tiles), so
 * the page loads nothing from the Internet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOutboxMessage, listOutbox } from '../src/platform/outbox/index.ts';
import { submitRequest, newIdempotencyKey } from '../src/modules/requests/service.ts';
import { anonymousCaller, DEMO_AREA, seedCatalogue, testJpeg } from '../src/modules/requests/testing.ts';
import { journey, startE2E, type E2E } from './harness.ts';
import { startTileServer, type TileServer } from './tiles.ts';

let e2e: E2E;
let tiles: TileServer;

beforeAll(async () => {
  tiles = await startTileServer();
  e2e = await startE2E({ townName: 'Lac-Beauport', config: { MAP_TILE_URL: tiles.url, RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
  await seedCatalogue(e2e.t.db, e2e.town.tenant.id);
  // An earlier report right at the map's centre: the duplicate the residents will see.
  await submitRequest(anonymousCaller(e2e.t.db, e2e.town.tenant), {
    typeCode: 'pothole',
    location: { lat: DEMO_AREA.center.lat + 0.0003, lng: DEMO_AREA.center.lng },
    address: '1, chemin du Moulin',
    description: 'Trou devant la boîte aux lettres.',
    answers: { size: 'small' },
    photos: [],
    contact: { kind: 'email', email: 'premier@example.test' },
    locale: 'fr',
    channel: 'web',
    idempotencyKey: newIdempotencyKey(),
  });
});
afterAll(async () => {
  await e2e?.close();
  await tiles?.close();
});

async function mailTo(address: string, subjectPart: string) {
  const page = await listOutbox(e2e.t.db, e2e.town.tenant.id, { page: 1, pageSize: 100 });
  const summary = page.items.find((m) => m.recipient === address && m.subject.includes(subjectPart));
  if (!summary) throw new Error(`no email to ${address} about ${subjectPart}`);
  return (await getOutboxMessage(e2e.t.db, e2e.town.tenant.id, summary.id))!;
}

let frenchReference = '';

describe('a resident reports, a neighbour follows', () => {
  it('in French: search, pin on the map, duplicate shown, report with a photo, reference and email', async () => {
    await journey(e2e, 'requests-fr', async (open) => {
      const v = await open({ locale: 'fr-CA' });
      const { page } = v;
      await v.goto('/fr/requests');
      await page.getByLabel('Rechercher un type de problème').fill('NID DE POULE');
      await v.click(page.getByRole('button', { name: 'Rechercher' }));
      await v.click(page.getByRole('link', { name: 'Nid-de-poule' }));
      expect(await page.locator('h1').innerText()).toContain('où est-ce');
      // The map appears with JavaScript; a click drops the pin and fills the hidden fields.
      await page.locator('#map .leaflet-tile-loaded').first().waitFor();
      await page.locator('#map').click();
      expect(await page.locator('[data-map-status]').innerText()).toContain('Épingle placée');
      expect(await page.locator('input[name="lat"]').inputValue()).toMatch(/^46\.9\d+$/);
      await page.getByLabel('Adresse ou repère').fill('3, chemin du Moulin');
      await v.click(page.getByRole('button', { name: 'Continuer' }));

      // The open report nearby comes first; this one is a different hole: carry on.
      expect(await page.locator('#duplicates-title').innerText()).toBe('Déjà signalé tout près?');
      expect(await page.locator('.duplicates').innerText()).toContain('1, chemin du Moulin');
      expect(await page.locator('main').innerText()).toContain('Ce qui sera public');
      // Nothing chosen for a required question: the page says so at the field.
      await page.getByLabel('Description').fill('Deuxième trou, plus loin, côté lac.');
      await page.getByLabel('Courriel').fill('marie@example.test');
      expect((await v.click(page.getByRole('button', { name: 'Envoyer le signalement' })))?.status()).toBe(422);
      expect(await page.locator('.error-summary').innerText()).toContain('Répondez à la question «\u00a0Taille du trou\u00a0»');
      await page.getByLabel('Comme un pneu').check();
      await page.locator('#photo1').setInputFiles({ name: 'trou.jpg', mimeType: 'image/jpeg', buffer: await testJpeg(400, 300) });
      await v.click(page.getByRole('button', { name: 'Envoyer le signalement' }));
      expect(await page.locator('.banner').innerText()).toContain('Votre demande est envoyée');
      frenchReference = await page.locator('.reference').innerText();
      expect(frenchReference).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
      expect(await page.locator('main').innerText()).toContain('La Ville vise à régler ce genre de demande en 5 jours');
      expect(await page.locator('.photos img').count()).toBe(1);
      const mail = await mailTo('marie@example.test', frenchReference);
      expect(mail.bodyText).toContain(new URL(page.url()).pathname);
    });
  });

  it('in English: sees the French report as a duplicate, follows it, gets the email and tracks it', async () => {
    await journey(e2e, 'requests-en', async (open) => {
      const v = await open({ locale: 'en-CA' });
      const { page } = v;
      await v.goto('/en/requests/new/pothole');
      await page.locator('#map .leaflet-tile-loaded').first().waitFor();
      await page.getByRole('button', { name: 'Drop the pin at the centre of the map' }).click();
      await v.click(page.getByRole('button', { name: 'Continue' }));
      const follow = page.getByRole('link', { name: `Me too: follow ${frenchReference}` });
      await v.click(follow);
      await page.getByLabel('Email').fill('neighbour@example.test');
      await v.click(page.getByRole('button', { name: 'Follow this request' }));
      expect(await page.locator('.banner').innerText()).toContain('You are following this request');
      // A follower sees the public facts, not the requester's answers, and cannot reopen it.
      expect(await page.locator('main').innerText()).not.toContain('Size of the hole');
      const mail = await mailTo('neighbour@example.test', frenchReference);
      expect(mail.subject).toBe(`You are following request ${frenchReference}`);
      const link = /https?:\/\/\S+\/en\/requests\/track\/\S+/.exec(mail.bodyText)![0];
      await v.goto(new URL(link).pathname);
      expect(await page.locator('h1').innerText()).toBe(`Request ${frenchReference}`);
      expect(await page.locator('.timeline').innerText()).toContain('Request received');
    });
  });

  it('when the map tiles fail: the page says so and the address still carries the report', async () => {
    tiles.broken = true;
    try {
      await journey(e2e, 'requests-tiles-down', async (open) => {
        const v = await open({ locale: 'en-CA' });
        const { page } = v;
        await v.goto('/en/requests/new/streetlight');
        await page.locator('.map-error').waitFor();
        expect(await page.locator('.map-error').innerText()).toContain('Type the address below instead');
        await page.getByLabel('Address or landmark').fill('Parc du Boisé');
        await v.click(page.getByRole('button', { name: 'Continue' }));
        expect(await page.locator('h1').innerText()).toBe('Streetlight out: the details');
      });
    } finally {
      tiles.broken = false;
    }
  });

  it('without JavaScript: the address alone carries the report', async () => {
    await journey(e2e, 'requests-nojs', async (open) => {
      const v = await open({ locale: 'fr-CA', javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
      const { page } = v;
      await v.goto('/fr/requests/new/graffiti');
      expect(await v.horizontalOverflow()).toBe(0);
      expect(await page.locator('.map-block').isVisible()).toBe(false);
      expect((await v.click(page.getByRole('button', { name: 'Continuer' })))?.status()).toBe(422);
      await page.getByLabel('Adresse ou repère').fill('Abribus de la rue Principale');
      await v.click(page.getByRole('button', { name: 'Continuer' }));
      expect(await v.horizontalOverflow()).toBe(0);
      await page.getByLabel('Courriel').fill('sans-js@example.test');
      await v.click(page.getByRole('button', { name: 'Envoyer le signalement' }));
      expect(await page.locator('.banner').innerText()).toContain('Votre demande est envoyée');
      expect(await v.horizontalOverflow()).toBe(0);
    });
  });
});
