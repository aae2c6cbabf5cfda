/**
 * An agent works the service-request queue in a real browser: filters it, takes two cases at once,
 * opens one, replies in public and writes an internal note, merges the duplicate into it, tries to
 * close without saying what was done, then closes with a note; the resident's tracking page shows
 * the reply and the closure, never the note. The English queue lists both closed cases. Axe runs on
 * every page visited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTown, type AdminTown } from '../src/modules/admin/testing.ts';
import { submitRequest } from '../src/modules/requests/service.ts';
import { anonymousCaller, IN_TOWN, newKey, seedCatalogue } from '../src/modules/requests/testing.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';
import { startTileServer, type TileServer } from './tiles.ts';

let e2e: E2E;
let tiles: TileServer;
let town: AdminTown;
const cases: Array<{ reference: string; trackingToken: string }> = [];

beforeAll(async () => {
  tiles = await startTileServer();
  e2e = await startE2E({ townName: 'Saint-Anselme', config: { MAP_TILE_URL: tiles.url } });
  town = await adminTown(e2e.t, e2e.town);
  await seedCatalogue(e2e.t.db, town.tenant.id, town.departmentA);
  for (const [n, address] of [
    [1, '14, rue Principale'],
    [2, 'Devant le 14, rue Principale'],
  ] as const) {
    const r = await submitRequest(anonymousCaller(e2e.t.db, town.tenant), {
      typeCode: 'pothole',
      location: { lat: IN_TOWN.lat + n * 0.0001, lng: IN_TOWN.lng },
      address,
      description: `Gros trou numéro ${n}`,
      answers: { size: 'large' },
      photos: [],
      contact: { kind: 'email', email: `voisin${n}@example.test` },
      locale: 'fr',
      channel: 'web',
      idempotencyKey: newKey(),
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    cases.push(r.request);
  }
  await submitRequest(anonymousCaller(e2e.t.db, town.tenant), {
    typeCode: 'graffiti',
    location: null,
    address: '2, rue de l’Église',
    description: 'Tag sur le mur',
    answers: {},
    photos: [],
    contact: { kind: 'email', email: 'autre@example.test' },
    locale: 'fr',
    channel: 'web',
    idempotencyKey: newKey(),
  });
});
afterAll(async () => {
  await e2e?.close();
  await tiles?.close();
});

async function asAgent(open: (o?: object) => Promise<Visitor>, locale: string): Promise<Visitor> {
  const v = await open({ name: 'agent', locale });
  const [name, value] = town.agentA.cookie.split('=') as [string, string];
  await v.page.context().addCookies([{ name, value, url: e2e.url('/') }]);
  return v;
}

describe('the staff queue', () => {
  it('an agent works the queue, replies, merges and closes with a note', async () => {
    await journey(e2e, 'requests-staff', async (open) => {
      const [kept, duplicate] = cases as [(typeof cases)[0], (typeof cases)[0]];
      const agent = await asAgent(open, 'fr-CA');
      const p = agent.page;
      await agent.goto('/fr/staff/requests');
      expect(await p.locator('h1').innerText()).toBe('Requêtes : la file de travail');
      expect(await p.locator('#results').innerText()).toBe('Dossiers : 3 (en retard : 0)');
      // Only potholes.
      await p.locator('#type').selectOption('pothole');
      await agent.click(p.getByRole('button', { name: 'Afficher' }));
      expect(await p.locator('#results').innerText()).toBe('Dossiers : 2 (en retard : 0)');
      // Take both at once.
      await p.getByLabel(`Sélectionner ${kept.reference}`).check();
      await p.getByLabel(`Sélectionner ${duplicate.reference}`).check();
      await p.locator('#action').selectOption('assign:me');
      await agent.click(p.getByRole('button', { name: 'Appliquer aux dossiers sélectionnés' }));
      expect(await p.locator('.banner').innerText()).toContain('Dossiers modifiés : 2.');
      expect(await p.locator('table').innerText()).toContain('Alain Agent');

      // The kept case: a public reply and an internal note.
      await agent.click(p.getByRole('link', { name: kept.reference }));
      expect(await p.locator('h1').innerText()).toBe(`Dossier ${kept.reference}`);
      // The map of the point shows (script on), tiles and pin.
      await p.locator('#case-map .leaflet-tile-loaded').first().waitFor();
      await p.locator('#case-map .leaflet-marker-icon').waitFor();
      await p.getByLabel('Réponse', { exact: true }).fill('Une équipe passera cette semaine.');
      await agent.click(p.getByRole('button', { name: 'Envoyer la réponse' }));
      expect(await p.locator('.banner').innerText()).toContain('La réponse a été envoyée.');
      await p.getByLabel('Note pour les collègues').fill('Asphalte froid seulement — note interne');
      await agent.click(p.getByRole('button', { name: 'Ajouter la note' }));
      expect(await p.locator('.timeline').innerText()).toContain('Interne : jamais montré au résident');

      // The duplicate is merged into the kept case.
      await agent.goto(`/fr/staff/requests/${duplicate.reference}`);
      await p.getByLabel('Référence du dossier à garder').fill(kept.reference);
      await agent.click(p.getByRole('button', { name: 'Fusionner avec le dossier à garder' }));
      expect(await p.locator('.banner').innerText()).toContain('Le dossier a été fusionné');
      expect(await p.locator('main').innerText()).toContain(`Fusionné avec ${kept.reference}`);

      // Closing needs a note of what was done.
      await agent.click(p.getByRole('link', { name: kept.reference }));
      expect((await agent.click(p.getByRole('button', { name: 'Fermer le dossier' })))?.status()).toBe(422);
      expect(await p.locator('.error-summary').innerText()).toContain('Dites ce qui a été fait');
      await p.getByLabel('Ce qui a été fait').fill('Nid-de-poule rebouché le jour même.');
      await agent.click(p.getByRole('button', { name: 'Fermer le dossier' }));
      expect(await p.locator('.banner').innerText()).toContain('Le dossier est fermé.');

      // The resident's tracking page: the reply and the closure, never the internal note.
      const resident = await open({ name: 'resident', locale: 'fr-CA' });
      await resident.goto(`/fr/requests/track/${kept.reference}/${kept.trackingToken}`);
      const tracked = await resident.page.locator('main').innerText();
      expect(tracked).toContain('Une équipe passera cette semaine.');
      expect(tracked).toContain('Nid-de-poule rebouché le jour même.');
      expect(tracked).not.toContain('Asphalte froid');

      // Not fixed after all: the resident reopens it from the same page, and the case comes back flagged.
      await resident.page.getByLabel('Ce qui reste à faire').fill('Le trou est encore là, côté ouest.');
      await resident.click(resident.page.getByRole('button', { name: 'Ce n’est pas réglé' }));
      expect(await resident.page.locator('.banner').innerText()).toContain('La demande est rouverte');
      await agent.goto(`/fr/staff/requests/${kept.reference}`);
      const reopened = await p.locator('main').innerText();
      expect(reopened).toContain('Rouverte par le résident');
      expect(reopened).toContain('Le trou est encore là, côté ouest.');

      // In English, the closed cases.
      await agent.goto('/en/staff/requests?status=closed');
      expect(await p.locator('#results').innerText()).toBe('Cases: 1 (overdue: 0)');
    });
  });
});
