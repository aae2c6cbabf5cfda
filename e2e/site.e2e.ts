/** The public site in a real browser: home, language toggle, statements, error pages; keyboard, no JavaScript, 400% zoom. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journey, startE2E, type E2E } from './harness.ts';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E({ townName: 'Val-des-Lacs' });
});
afterAll(() => e2e?.close());

const LANGS = {
  fr: {
    town: 'Ville de Val-des-Lacs',
    toggle: 'English',
    skip: 'Passer au contenu principal',
    privacy: 'Confidentialité',
    privacyTitle: 'Politique de confidentialité',
    accessibility: 'Accessibilité',
    accessibilityTitle: 'Déclaration d’accessibilité',
    notFound: 'Page introuvable',
    unknownTown: 'Municipalité introuvable',
  },
  en: {
    town: 'Town of Val-des-Lacs',
    toggle: 'Français',
    skip: 'Skip to main content',
    privacy: 'Privacy',
    privacyTitle: 'Privacy policy',
    accessibility: 'Accessibility',
    accessibilityTitle: 'Accessibility statement',
    notFound: 'Page not found',
    unknownTown: 'Town not found',
  },
} as const;
type Lang = keyof typeof LANGS;
const other = (lang: Lang): Lang => (lang === 'fr' ? 'en' : 'fr');

describe.each(['fr', 'en'] as const)('the public site in %s', (lang) => {
  const text = LANGS[lang];

  it('goes from the home page through the language toggle, the statements and a missing page', async () => {
    await journey(e2e, `site-${lang}`, async (open) => {
      const v = await open({ locale: lang === 'fr' ? 'fr-CA' : 'en-CA' });
      const { page } = v;

      // "/" picks the browser's language.
      const res = await v.goto('/');
      expect(res.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe(`/${lang}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(`${lang}-CA`);
      await expect.poll(() => page.locator('h1').innerText()).toContain('Val-des-Lacs');
      expect(await page.title()).toContain(text.town);

      // The toggle swaps the language and keeps the page.
      await v.click(page.getByRole('link', { name: text.toggle }));
      expect(new URL(page.url()).pathname).toBe(`/${other(lang)}`);
      await v.click(page.getByRole('link', { name: LANGS[other(lang)].toggle }));
      expect(new URL(page.url()).pathname).toBe(`/${lang}`);

      // Footer links to the privacy and accessibility statements.
      const footer = page.locator('footer');
      await v.click(footer.getByRole('link', { name: text.privacy, exact: true }));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/privacy`);
      expect(await page.locator('h1').innerText()).toBe(text.privacyTitle);
      await v.click(footer.getByRole('link', { name: text.accessibility, exact: true }));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/accessibility`);
      expect(await page.locator('h1').innerText()).toBe(text.accessibilityTitle);

      // The toggle keeps the path on a statement page too.
      await v.click(page.getByRole('link', { name: text.toggle }));
      expect(new URL(page.url()).pathname).toBe(`/${other(lang)}/accessibility`);
      expect(await page.locator('h1').innerText()).toBe(LANGS[other(lang)].accessibilityTitle);

      // A missing page: a 404 in the page's language, with the town and a way home.
      const missing = await v.goto(`/${lang}/no-such-page`);
      expect(missing.status()).toBe(404);
      expect(await page.locator('h1').innerText()).toBe(text.notFound);
      expect(await page.locator('header').innerText()).toContain(text.town);
      await v.click(page.locator('main').getByRole('link').first());
      expect(new URL(page.url()).pathname).toBe(`/${lang}`);
    });
  });

  it('answers a host that belongs to no town with a 404 page that names no town', async () => {
    await journey(e2e, `unknown-host-${lang}`, async (open) => {
      const v = await open();
      const res = await v.goto(`/${lang}`, 'nowhere.guichet.test');
      expect(res.status()).toBe(404);
      expect(await v.page.locator('h1').innerText()).toBe(text.unknownTown);
      expect(await v.page.content()).not.toContain('Val-des-Lacs');
    });
  });

  it('can be used with the keyboard: Tab reaches the skip link first, Enter moves focus to the main content', async () => {
    await journey(e2e, `keyboard-${lang}`, async (open) => {
      const v = await open();
      await v.goto(`/${lang}/privacy`);
      await v.page.keyboard.press('Tab');
      const first = await v.focused();
      expect(first).toMatchObject({ tag: 'a', text: text.skip, href: '#main' });
      // The skip link is visible once focused (it sits off-screen otherwise).
      const box = await v.page.locator('.skip-link').boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      await v.page.keyboard.press('Enter');
      expect(await v.focused()).toMatchObject({ tag: 'main', id: 'main' });
      // The next Tab continues inside the main content, not back at the top.
      await v.page.keyboard.press('Tab');
      const next = await v.page.evaluate(() => document.activeElement?.closest('main') !== null);
      expect(next).toBe(true);
      // Every link of the header is reachable by Tab with a visible focus indicator.
      await v.page.keyboard.press('Shift+Tab');
      await v.page.keyboard.press('Shift+Tab');
      const outline = await v.page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { tag: el.tagName.toLowerCase(), outline: style.outlineStyle, shadow: style.boxShadow, bg: style.backgroundColor };
      });
      expect(outline.tag).toBe('a');
      expect(outline.outline !== 'none' || outline.shadow !== 'none').toBe(true);
    });
  });

  it('works with JavaScript turned off', async () => {
    await journey(e2e, `no-js-${lang}`, async (open) => {
      const v = await open({ javaScriptEnabled: false });
      const res = await v.goto(`/${lang}`);
      expect(res.status()).toBe(200);
      expect(await v.page.locator('h1').innerText()).toContain('Val-des-Lacs');
      await v.click(v.page.locator('footer').getByRole('link', { name: text.privacy, exact: true }));
      expect(await v.page.locator('h1').innerText()).toBe(text.privacyTitle);
      await v.click(v.page.getByRole('link', { name: text.toggle }));
      expect(new URL(v.page.url()).pathname).toBe(`/${other(lang)}/privacy`);
    });
  });

  it('reflows at 400% zoom (a 320 CSS pixel wide window) without sideways scrolling', async () => {
    await journey(e2e, `zoom-${lang}`, async (open) => {
      const v = await open({ viewport: { width: 320, height: 640 } });
      for (const pathname of [`/${lang}`, `/${lang}/privacy`, `/${lang}/accessibility`, `/${lang}/no-such-page`]) {
        await v.goto(pathname);
        expect(await v.horizontalOverflow(), `sideways scroll on ${pathname}`).toBeLessThanOrEqual(0);
      }
    });
  });
});
