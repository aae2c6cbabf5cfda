/**
 * "My file": what the resident has with the town, newest first, from every registered source; the
 * contact messages sent from their address today. Nothing of anyone else's, nor of another town.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../test/harness.ts';
import { registerFileSource } from './my-file.ts';
import { browser, signInResident, submit, visit } from './testing.ts';

let t: TestApp;
let a: TestTown;
let b: TestTown;

beforeAll(async () => {
  t = await createTestApp();
  a = await createTestTown(t.db, 'Gaspé');
  b = await createTestTown(t.db, 'Percé');
});
afterAll(() => t.close());

const uniqueEmail = (label: string) => `${label}.${crypto.randomBytes(4).toString('hex')}@example.ca`;

/** Writes to the town through the contact form, like anyone; returns the reference shown. */
async function writeToTown(town: TestTown, email: string): Promise<string> {
  const br = browser(town.host);
  const page = await visit(t.app, br, '/fr/contact');
  const { token } = formSession(page);
  const idem = /name="_idem" value="([^"]+)"/.exec(page.body)![1]!;
  const res = await visit(t.app, br, '/fr/contact', { _csrf: token, _idem: idem, name: 'Camille', email, message: 'Bonjour' });
  expect(res.statusCode).toBe(303);
  return String(res.headers.location).split('/').pop()!;
}

describe('my file', () => {
  it.each([
    ['fr', 'Mon dossier', 'Message à la municipalité', 'Reçu', 'Rien pour l’instant.'],
    ['en', 'My file', 'Message to the town', 'Received', 'Nothing yet.'],
  ] as const)('lists the messages the resident sent from their address, newest first (%s)', async (lang, title, kind, status, empty) => {
    const email = uniqueEmail(`file-${lang}`);
    const br = await signInResident(t.app, t.db, a, email, lang);
    expect((await visit(t.app, br, `/${lang}/account`)).body).toContain(empty);

    const first = await writeToTown(a, email);
    const second = await writeToTown(a, email.toUpperCase());
    const someoneElse = await writeToTown(a, uniqueEmail('other'));
    const otherTown = await writeToTown(b, email);

    const res = await visit(t.app, br, `/${lang}/account`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    expect(res.body).toContain(kind);
    expect(res.body).toContain(`<strong class="tag tag--info">${status}</strong>`);
    expect(res.body).toContain(first);
    expect(res.body).toContain(second);
    expect(res.body.indexOf(second)).toBeLessThan(res.body.indexOf(first));
    expect(res.body).not.toContain(someoneElse);
    expect(res.body).not.toContain(otherTown);
    // What was written is not shown, only that it was sent.
    expect(res.body).not.toContain('Bonjour');
    // The account's pages are one click away.
    for (const path of ['/account/profile', '/account/household', '/account/sessions']) expect(res.body).toContain(`href="/${lang}${path}"`);
  });

  it('merges every registered source newest first, and survives a source that fails', async () => {
    const email = uniqueEmail('sources');
    const br = await signInResident(t.app, t.db, a, email, 'en');
    const reference = await writeToTown(a, email);
    registerFileSource({
      id: 'test-bookings',
      async list({ resident, t: tr }) {
        expect(resident.email).toBe(email);
        return [
          { id: 'old', kind: 'Booking', title: 'Pool, lane 3', date: new Date('2001-01-01T12:00:00Z'), status: { label: tr('residents.sources.contact.received'), tone: 'success' } },
          { id: 'future', kind: 'Booking', title: 'Arena', reference: 'ZZZZ-2222', date: new Date(Date.now() + 86_400_000), status: { label: 'Confirmed', tone: 'success' }, href: '/bookings/ZZZZ-2222' },
        ];
      },
    });
    registerFileSource({
      id: 'test-broken',
      async list() {
        throw new Error('source down');
      },
    });
    const res = await visit(t.app, br, '/en/account');
    expect(res.statusCode).toBe(200);
    const order = ['Booking – Arena', reference, 'Booking – Pool, lane 3'].map((s) => res.body.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(res.body).toContain('href="/en/bookings/ZZZZ-2222"');
    expect(res.body).toContain('Part of your file could not be shown right now.');
  });

  it('greets a new resident and asks them to complete their profile', async () => {
    const email = uniqueEmail('welcome');
    const br = await signInResident(t.app, t.db, a, email, 'fr');
    const res = await visit(t.app, br, '/fr/account?welcome=1');
    expect(res.body).toContain('Bienvenue! Votre compte est prêt.');
    expect(res.body).toContain('href="/fr/account/profile"');
    expect((await submit(t.app, br, '/fr/account/profile', { name: 'Dominique Roy', email, locale: 'fr' })).statusCode).toBe(303);
    const after = await visit(t.app, br, '/fr/account');
    expect(after.body).toContain('Bonjour Dominique Roy!');
    expect(after.body).not.toContain('Compléter mon profil');
    // The header links to the file when signed in, to the sign-in page otherwise.
    expect(after.body).toContain('href="/fr/account">Mon dossier</a>');
    expect((await visit(t.app, browser(a.host), '/fr')).body).toContain('href="/fr/account/sign-in">Se connecter</a>');
  });
});
