/**
 * A resident in a real browser: signs up with the keyboard only (email, a wrong code, the right
 * code from the email), finds their file, fills in their profile and household, sees their
 * sessions and ends another one, signs in on a second device with the link from the email, and
 * signs out. Both languages, axe on every page.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestMail } from '../src/modules/residents/testing.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;

beforeAll(async () => {
  // Every request comes from 127.0.0.1: lift the tight per-address limit on form posts for this run.
  e2e = await startE2E({ townName: 'Saint-Siméon', config: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
});
afterAll(() => e2e?.close());

const TEXT = {
  fr: {
    signInLink: 'Se connecter',
    signInTitle: 'Accéder à mon dossier',
    email: 'Adresse courriel',
    send: 'M’envoyer un code',
    badEmail: 'Entrez une adresse courriel valide',
    codeTitle: 'Entrez votre code',
    wrong: 'Il vous reste 4 essais.',
    fileTitle: 'Mon dossier',
    welcome: 'Bienvenue! Votre compte est prêt.',
    profileLink: 'Compléter mon profil',
    name: 'Nom complet',
    phone: 'Numéro de téléphone',
    save: 'Enregistrer',
    saved: 'Votre profil est enregistré.',
    householdLink: 'Ma famille',
    add: 'Ajouter une personne',
    memberName: 'Nom complet',
    birthDate: 'Date de naissance',
    child: 'Enfant',
    addSubmit: 'Ajouter cette personne',
    badDate: 'doit contenir la date d’aujourd’hui ou une date passée',
    added: 'La personne a été ajoutée à votre famille.',
    edit: 'Modifier',
    remove: 'Retirer',
    removeYes: 'Oui, retirer',
    removed: 'La personne a été retirée de votre famille.',
    sessionsLink: 'Mes sessions',
    sessionsTitle: 'Mes sessions',
    endSession: 'Déconnecter cette session',
    ended: 'Cette session est déconnectée.',
    linkTitle: 'Connexion',
    continue: 'Continuer',
    signOut: 'Se déconnecter',
    signedOut: 'Votre session est terminée.',
    myFileLink: 'Mon dossier',
  },
  en: {
    signInLink: 'Sign in',
    signInTitle: 'Sign in to my file',
    email: 'Email address',
    send: 'Send me a code',
    badEmail: 'Enter an email address in the right format',
    codeTitle: 'Enter your code',
    wrong: 'You can try 4 more times.',
    fileTitle: 'My file',
    welcome: 'Welcome! Your account is ready.',
    profileLink: 'Complete my profile',
    name: 'Full name',
    phone: 'Phone number',
    save: 'Save',
    saved: 'Your profile is saved.',
    householdLink: 'My household',
    add: 'Add a person',
    memberName: 'Full name',
    birthDate: 'Birth date',
    child: 'Child',
    addSubmit: 'Add this person',
    badDate: 'must be today or earlier',
    added: 'The person was added to your household.',
    edit: 'Change',
    remove: 'Remove',
    removeYes: 'Yes, remove',
    removed: 'The person was removed from your household.',
    sessionsLink: 'My sessions',
    sessionsTitle: 'My sessions',
    endSession: 'Sign out this session',
    ended: 'That session is signed out.',
    linkTitle: 'Sign in',
    continue: 'Continue',
    signOut: 'Sign out',
    signedOut: 'You are signed out.',
    myFileLink: 'My file',
  },
} as const;

/** Presses Tab until the focused element matches; fails after `max` presses. */
async function tabTo(v: Visitor, what: string, match: (f: Awaited<ReturnType<Visitor['focused']>>) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    await v.page.keyboard.press('Tab');
    if (match(await v.focused())) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** Presses Enter on the focused element and waits for (and checks) the page it loads. */
const enter = (v: Visitor) => v.navigate(() => v.page.keyboard.press('Enter'));

describe.each(['fr', 'en'] as const)('in %s', (lang) => {
  const text = TEXT[lang];

  it('a resident signs up with the keyboard only, fills in their account, ends another session and signs out', async () => {
    await journey(e2e, `resident-${lang}`, async (open) => {
      const email = `dominique.${lang}.${crypto.randomBytes(3).toString('hex')}@example.org`;
      const v = await open({ name: 'resident', locale: lang === 'fr' ? 'fr-CA' : 'en-CA' });
      const { page } = v;

      // From the home page, Tab to the header's sign-in link.
      await v.goto(`/${lang}`);
      await tabTo(v, 'the sign-in link', (f) => f.href === `/${lang}/account/sign-in`);
      await enter(v);
      expect(await page.locator('h1').innerText()).toBe(text.signInTitle);

      // A malformed address: the page comes back with the error summary focused.
      await tabTo(v, 'the email field', (f) => f.id === 'email');
      await page.keyboard.type('dominique-at-example');
      expect((await enter(v))?.status()).toBe(422);
      expect(await page.locator('.error-summary').innerText()).toContain(text.badEmail);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      await tabTo(v, 'the email field', (f) => f.id === 'email');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(email);
      await enter(v);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/account/code`);
      expect(await page.locator('h1').innerText()).toBe(text.codeTitle);
      expect(await page.locator('main').innerText()).toContain(email);

      // The code from the email; a wrong one first.
      const mail = await latestMail(e2e.t.db, e2e.town.tenant.id, email);
      const code = mail.code!;
      await tabTo(v, 'the code field', (f) => f.id === 'code');
      await page.keyboard.type(code === '000000' ? '111111' : '000000');
      expect((await enter(v))?.status()).toBe(401);
      expect(await page.locator('.error-summary').innerText()).toContain(text.wrong);
      await tabTo(v, 'the code field', (f) => f.id === 'code');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(code);
      await enter(v);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/account`);
      expect(await page.locator('h1').innerText()).toBe(text.fileTitle);
      expect(await page.locator('main').innerText()).toContain(text.welcome);

      // The profile.
      await v.click(page.getByRole('link', { name: text.profileLink }));
      await page.getByLabel(text.name).fill('Dominique Bouchard');
      await page.getByLabel(text.phone).fill('418 555-0199');
      // A date of birth in the future is refused at the field; a real one is kept.
      await page.getByLabel(text.birthDate).fill('2099-01-01');
      expect((await v.click(page.getByRole('button', { name: text.save })))?.status()).toBe(422);
      expect(await page.locator('.error-summary').innerText()).toContain(text.badDate);
      expect(await page.getByLabel(text.name).inputValue()).toBe('Dominique Bouchard');
      await page.getByLabel(text.birthDate).fill('1971-06-02');
      await v.click(page.getByRole('button', { name: text.save }));
      expect(await page.locator('.banner').innerText()).toContain(text.saved);
      expect(await page.getByLabel(text.birthDate).inputValue()).toBe('1971-06-02');

      // The household: a wrong birth date, then right; change and remove.
      await v.goto(`/${lang}/account`);
      await v.click(page.locator('main').getByRole('link', { name: text.householdLink }));
      await v.click(page.getByRole('link', { name: text.add }));
      await page.getByLabel(text.memberName).fill('Léa Bouchard');
      await page.getByLabel(text.birthDate).fill('2099-01-01');
      await page.getByLabel(text.child).check();
      expect((await v.click(page.getByRole('button', { name: text.addSubmit })))?.status()).toBe(422);
      expect(await page.locator('.error-summary').innerText()).toContain(text.badDate);
      await page.getByLabel(text.birthDate).fill('2016-05-14');
      await v.click(page.getByRole('button', { name: text.addSubmit }));
      expect(await page.locator('.banner').innerText()).toContain(text.added);
      expect(await page.locator('table').innerText()).toContain('Léa Bouchard');
      await v.click(page.getByRole('link', { name: `${text.edit} Léa Bouchard` }));
      await v.click(page.getByRole('button', { name: text.save }));
      await v.click(page.getByRole('link', { name: `${text.remove} Léa Bouchard` }));
      await v.click(page.getByRole('button', { name: text.removeYes }));
      expect(await page.locator('.banner').innerText()).toContain(text.removed);

      // A second device signs in with the link from a new email.
      const phone = await open({ name: 'phone', locale: lang === 'fr' ? 'fr-CA' : 'en-CA', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1' });
      await phone.goto(`/${lang}/account/sign-in`);
      await phone.page.getByLabel(text.email).fill(email);
      await phone.click(phone.page.getByRole('button', { name: text.send }));
      const link = new URL((await latestMail(e2e.t.db, e2e.town.tenant.id, email)).link!);
      await phone.goto(`${link.pathname}${link.search}`);
      expect(await phone.page.locator('h1').innerText()).toBe(text.linkTitle);
      await phone.click(phone.page.getByRole('button', { name: text.continue }));
      expect(new URL(phone.page.url()).pathname).toBe(`/${lang}/account`);
      expect(await phone.page.locator('header').innerText()).toContain(text.myFileLink);

      // The first device sees both sessions and ends the phone's.
      await v.goto(`/${lang}/account`);
      await v.click(page.locator('main').getByRole('link', { name: text.sessionsLink }));
      expect(await page.locator('h1').innerText()).toBe(text.sessionsTitle);
      expect(await page.locator('main').innerText()).toContain('iPhone');
      await v.click(page.getByRole('button', { name: new RegExp(text.endSession) }));
      expect(await page.locator('.banner').innerText()).toContain(text.ended);
      await phone.goto(`/${lang}/account`);
      expect(new URL(phone.page.url()).pathname).toBe(`/${lang}/account/sign-in`);

      // Signing out ends the session: the file asks for a sign-in again.
      await v.goto(`/${lang}/account`);
      await v.click(page.locator('main').getByRole('button', { name: text.signOut }));
      expect(await page.locator('.banner').innerText()).toContain(text.signedOut);
      await v.goto(`/${lang}/account`);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/account/sign-in`);
    });
  });
});
