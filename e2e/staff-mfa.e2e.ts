/**
 * An administrator signs in with the password and is made to set up two-step verification first
 * (the journey reads the key off the page and computes codes with otpauth, as the phone's app
 * would), saves the recovery codes, signs out, then signs in again with the password and a code
 * (one wrong code first). Keyboard only, both languages, axe on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { createStaff } from '../src/modules/staff/service.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;
const PASSWORD = 'Une phrase de passe assez longue';

beforeAll(async () => {
  // Every request comes from 127.0.0.1: lift the tight per-address limit on form posts for this run.
  e2e = await startE2E({ townName: 'Rimouski', config: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
  for (const lang of ['fr', 'en'] as const) {
    await createStaff(e2e.t.db, e2e.town.tenant.id, {
      email: `direction-${lang}@rimouski.test`,
      name: lang === 'fr' ? 'Hélène Desrosiers' : 'Harold Dionne',
      role: 'admin',
      locale: lang,
      password: PASSWORD,
    });
  }
});
afterAll(() => e2e?.close());

const TEXT = {
  fr: {
    signInTitle: 'Connexion du personnel',
    setupTitle: 'Configurer la vérification en deux étapes',
    codesTitle: 'Conservez vos codes de récupération',
    continue: 'J’ai conservé mes codes, continuer',
    staffTitle: 'Espace du personnel',
    signOut: 'Se déconnecter',
    codeTitle: 'Vérification en deux étapes',
    wrong: 'Le code est incorrect.',
    errorPrefix: 'Erreur :',
  },
  en: {
    signInTitle: 'Staff sign-in',
    setupTitle: 'Set up two-step verification',
    codesTitle: 'Save your recovery codes',
    continue: 'I have saved my codes, continue',
    staffTitle: 'Staff area',
    signOut: 'Sign out',
    codeTitle: 'Two-step verification',
    wrong: 'The code is incorrect.',
    errorPrefix: 'Error:',
  },
} as const;

/** The code the phone's app would show for this key at this moment. */
const codeFor = (key: string, at = Date.now()) => new TOTP({ secret: Secret.fromBase32(key), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

/** Presses Tab until the focused element matches (a field's id or a control's text); fails after 40 presses. */
async function tabTo(v: Visitor, target: { id?: string; text?: string }): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await v.page.keyboard.press('Tab');
    const focused = await v.focused();
    if ((target.id && focused.id === target.id) || (target.text && focused.text === target.text)) return;
  }
  throw new Error(`Tab never reached ${JSON.stringify(target)} on ${v.page.url()}`);
}

/** Types into the focused field and moves on with Tab. */
async function typeAndTab(v: Visitor, text: string): Promise<void> {
  await v.page.keyboard.type(text);
  await v.page.keyboard.press('Tab');
}

async function passwordStep(v: Visitor, email: string): Promise<void> {
  await tabTo(v, { id: 'email' });
  await typeAndTab(v, email);
  expect((await v.focused()).id).toBe('password');
  await v.page.keyboard.type(PASSWORD);
  await v.navigate(() => v.page.keyboard.press('Enter'));
}

describe.each(['fr', 'en'] as const)('in %s', (lang) => {
  const text = TEXT[lang];

  it('an administrator sets up two-step verification at the first sign-in, then signs in with a code, keyboard only', async () => {
    await journey(e2e, `staff-mfa-${lang}`, async (open) => {
      const v = await open({ name: 'admin', locale: lang === 'fr' ? 'fr-CA' : 'en-CA' });
      const { page } = v;
      const email = `direction-${lang}@rimouski.test`;

      await v.goto(`/${lang}/staff`);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/sign-in`);
      expect(await page.locator('h1').innerText()).toBe(text.signInTitle);
      await passwordStep(v, email);

      // No session yet: the set-up page, with the QR code and the key to type by hand.
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/mfa/setup`);
      expect(await page.locator('h1').innerText()).toBe(text.setupTitle);
      const qr = page.locator('main img');
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
      expect((await qr.getAttribute('alt'))?.length).toBeGreaterThan(20);
      expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      const key = (await page.locator('#totp-key').innerText()).replace(/\s/g, '');
      expect(key).toMatch(/^[A-Z2-7]{32}$/);
      const cookies = await page.context().cookies();
      expect(cookies.find((c) => c.name === 'guichet-session')).toBeUndefined();

      await tabTo(v, { id: 'code' });
      await v.page.keyboard.type(codeFor(key));
      await v.navigate(() => page.keyboard.press('Enter'));

      // The recovery codes, once; then on to the staff area.
      expect(await page.locator('h1').innerText()).toBe(text.codesTitle);
      expect(await page.locator('main ol code').count()).toBe(10);
      await tabTo(v, { text: text.continue });
      await v.navigate(() => page.keyboard.press('Enter'));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff`);
      expect(await page.locator('h1').innerText()).toBe(text.staffTitle);

      // Sign out.
      await tabTo(v, { text: text.signOut });
      await v.navigate(() => page.keyboard.press('Enter'));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/sign-in`);

      // Sign in again: the password, then the code step.
      await passwordStep(v, email);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/sign-in/code`);
      expect(await page.locator('h1').innerText()).toBe(text.codeTitle);
      // A wrong code first: the error summary takes the focus, and the link leads back to the field.
      await tabTo(v, { id: 'code' });
      await page.keyboard.type(codeFor(key, Date.now() - 10 * 30_000));
      const refused = await v.navigate(() => page.keyboard.press('Enter'));
      expect(refused?.status()).toBe(401);
      expect(await page.title()).toMatch(new RegExp(`^${text.errorPrefix}`));
      expect(await page.locator('.error-summary').innerText()).toContain(text.wrong);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      await tabTo(v, { id: 'code' });
      // The next code of the app (the one used to set it up cannot be used again).
      await page.keyboard.type(codeFor(key, Date.now() + 30_000));
      await v.navigate(() => page.keyboard.press('Enter'));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff`);
      expect(await page.locator('h1').innerText()).toBe(text.staffTitle);
      expect((await page.context().cookies()).find((c) => c.name === 'guichet-session')?.httpOnly).toBe(true);
    });
  });
});
