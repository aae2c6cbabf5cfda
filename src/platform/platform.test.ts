import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createTestApp, createTestTown, testConfig, type TestApp, type TestTown } from '../../test/harness.ts';

let t: TestApp;
let town: TestTown;

beforeAll(async () => {
  t = await createTestApp();
  town = await createTestTown(t.db, 'Sainte-Adèle');
});
afterAll(() => t.close());

describe('pages in both languages', () => {
  it.each([
    ['fr', 'Ville de Sainte-Adèle', 'Passer au contenu principal', 'lang="fr-CA"'],
    ['en', 'Town of Sainte-Adèle', 'Skip to main content', 'lang="en-CA"'],
  ])('renders the %s home page with the town and a language toggle', async (lang, town_, skip, htmlLang) => {
    const res = await t.app.inject({ url: `/${lang}`, headers: { host: town.host } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(town_);
    expect(res.body).toContain(skip);
    expect(res.body).toContain(htmlLang);
    expect(res.body).toContain(`href="/${lang === 'fr' ? 'en' : 'fr'}"`);
  });

  it('sends / to the language the browser prefers', async () => {
    const en = await t.app.inject({ url: '/', headers: { host: town.host, 'accept-language': 'en-CA,en;q=0.9,fr;q=0.5' } });
    expect(en.statusCode).toBe(302);
    expect(en.headers.location).toBe('/en');
    const fr = await t.app.inject({ url: '/', headers: { host: town.host, 'accept-language': 'de, fr-CA;q=0.8' } });
    expect(fr.headers.location).toBe('/fr');
    const none = await t.app.inject({ url: '/', headers: { host: town.host } });
    expect(none.headers.location).toBe('/fr');
  });

  it('keeps the rest of the path when switching language', async () => {
    const res = await t.app.inject({ url: '/en/privacy', headers: { host: town.host } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/fr/privacy"');
    expect(res.body).toContain('Privacy policy');
  });
});

describe('bad input at the edge', () => {
  it('answers an unknown host with a 404 page that shows no town', async () => {
    const res = await t.app.inject({ url: '/fr', headers: { host: 'nowhere.example' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Municipalité introuvable');
    expect(res.body).not.toContain('Sainte-Adèle');
    // No links into a town that does not exist here.
    expect(res.body).not.toContain('href="/fr/privacy"');
    expect(res.body).not.toContain('href="/fr/contact"');
    const en = await t.app.inject({ url: '/en', headers: { host: 'nowhere.example' } });
    expect(en.body).toContain('Town not found');
  });

  it('answers an unknown page with a localized 404', async () => {
    const fr = await t.app.inject({ url: '/fr/nope', headers: { host: town.host } });
    expect(fr.statusCode).toBe(404);
    expect(fr.body).toContain('Page introuvable');
    const en = await t.app.inject({ url: '/en/nope', headers: { host: town.host } });
    expect(en.body).toContain('Page not found');
  });

  it('refuses a POST without a CSRF token with a 403 page', async () => {
    for (const [lang, text] of [['fr', 'Formulaire expiré'], ['en', 'Form expired']] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/${lang}/contact`,
        headers: { host: town.host, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=A&email=a%40b.ca&message=Hello&_csrf=forged',
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(text);
    }
  });

  it('refuses an oversized body with a localized 413 page, before reading the form', async () => {
    const small = await buildApp({ config: testConfig({ BODY_LIMIT_BYTES: '2048' }), db: t.db });
    await small.ready();
    try {
      for (const [lang, text] of [['fr', 'Envoi trop volumineux'], ['en', 'Upload too large']] as const) {
        const res = await small.inject({
          method: 'POST',
          url: `/${lang}/contact`,
          headers: { host: town.host, 'content-type': 'application/x-www-form-urlencoded' },
          payload: `message=${'x'.repeat(5000)}`,
        });
        expect(res.statusCode).toBe(413);
        expect(res.body).toContain(text);
      }
    } finally {
      await small.close();
    }
  });

  it('answers an unexpected failure with a localized 500 page that shows no stack and no SQL', async () => {
    const app = await buildApp({ config: testConfig(), db: t.db });
    app.get('/fr/boom', async () => {
      throw new Error('relation "secret_table" does not exist: select * from secret_table');
    });
    app.get('/en/boom', async () => {
      throw new Error('relation "secret_table" does not exist: select * from secret_table');
    });
    await app.ready();
    try {
      for (const [lang, text] of [['fr', 'Un problème est survenu'], ['en', 'Something went wrong']] as const) {
        const res = await app.inject({ url: `/${lang}/boom`, headers: { host: town.host } });
        expect(res.statusCode).toBe(500);
        expect(res.body).toContain(text);
        expect(res.body).not.toContain('secret_table');
        expect(res.body).not.toMatch(/at .*\.ts:\d+/);
      }
      const api = await app.inject({ url: '/fr/boom', headers: { host: town.host, accept: 'application/json' } });
      expect(api.statusCode).toBe(500);
      expect(api.json()).toMatchObject({ status: 500, code: 'internal' });
      expect(api.body).not.toContain('secret_table');
    } finally {
      await app.close();
    }
  });

  it('sends strict security headers with a nonce on scripts', async () => {
    const res = await t.app.inject({ url: '/fr', headers: { host: town.host } });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.body).toContain(`nonce="${nonce}"`);
    expect(res.body).not.toMatch(/\son[a-z]+="/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });
});
