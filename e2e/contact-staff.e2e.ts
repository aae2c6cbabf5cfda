/**
 * A resident writes to the town (with and without JavaScript); the job queue delivers the
 * acknowledgement to a real SMTP server; a staff member signs in and finds it, sent, in the
 * mailbox. Both languages, axe on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../src/modules/staff/service.ts';
import { startJobs, type Jobs } from '../src/platform/jobs.ts';
import { createTestSmtp, type TestSmtp } from '../test/smtp.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;
let smtp: TestSmtp;
let jobs: Jobs;
const PASSWORD = 'Une phrase de passe assez longue';
const silent = { info() {}, warn() {}, error() {}, debug() {} };

beforeAll(async () => {
  smtp = await createTestSmtp();
  await smtp.start();
  e2e = await startE2E({
    townName: 'Saint-Fulgence',
    // Every request comes from 127.0.0.1: lift the tight per-address limit on form posts for this run.
    config: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000', SMTP_URL: smtp.url },
  });
  // The queue in this process, worked on demand (drain) so the journey knows when mail has gone out.
  // Its own pg-boss schema: test files share one PostgreSQL database.
  const schema = `pgboss_e2e_${Math.random().toString(36).slice(2, 10)}`;
  jobs = await startJobs({ config: e2e.t.config, db: e2e.t.db, logger: silent, options: { schema, work: false, sweepIntervalSeconds: 0 } });
  for (const lang of ['fr', 'en'] as const) {
    await createStaff(e2e.t.db, e2e.town.tenant.id, {
      email: `greffe-${lang}@saint-fulgence.test`,
      name: lang === 'fr' ? 'Geneviève Tremblay' : 'George Bouchard',
      // A manager: an administrator's sign-in adds two-step verification (e2e/staff-mfa.e2e.ts).
      role: 'manager',
      locale: lang,
      password: PASSWORD,
    });
  }
});
afterAll(async () => {
  await jobs?.stop();
  await e2e?.close();
  await smtp?.stop();
});

const TEXT = {
  fr: {
    contactLink: 'Écrire à la municipalité',
    contactTitle: 'Écrire à la municipalité',
    errorPrefix: 'Erreur :',
    summary: 'Il y a un problème',
    name: 'Votre nom',
    email: 'Adresse courriel',
    message: 'Votre message',
    submit: 'Envoyer le message',
    sentTitle: 'Message envoyé',
    signInTitle: 'Connexion du personnel',
    password: 'Mot de passe',
    signIn: 'Se connecter',
    invalid: 'L’adresse courriel ou le mot de passe est incorrect.',
    staffTitle: 'Espace du personnel',
    mailLink: 'Courriels envoyés',
    ackSubject: 'Nous avons reçu votre message',
    sent: 'Envoyé',
    viaSmtp: 'Serveur de courriel (SMTP)',
    signOut: 'Se déconnecter',
    messagesLink: 'Messages des citoyens',
  },
  en: {
    contactLink: 'Write to the town',
    contactTitle: 'Write to the town',
    errorPrefix: 'Error:',
    summary: 'There is a problem',
    name: 'Your name',
    email: 'Email address',
    message: 'Your message',
    submit: 'Send message',
    sentTitle: 'Message sent',
    signInTitle: 'Staff sign-in',
    password: 'Password',
    signIn: 'Sign in',
    invalid: 'The email address or the password is incorrect.',
    staffTitle: 'Staff area',
    mailLink: 'Sent mail',
    ackSubject: 'We received your message',
    sent: 'Sent',
    viaSmtp: 'Mail server (SMTP)',
    signOut: 'Sign out',
    messagesLink: 'Messages from residents',
  },
} as const;

const REFERENCE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;

/** Sends the contact form empty, checks the errors, fixes it and sends it; returns the reference shown. */
async function writeToTown(v: Visitor, lang: 'fr' | 'en', email: string, javaScript: boolean): Promise<string> {
  const text = TEXT[lang];
  const { page } = v;
  await v.goto(`/${lang}`);
  await v.click(page.locator('main').getByRole('link', { name: text.contactLink }));
  expect(new URL(page.url()).pathname).toBe(`/${lang}/contact`);
  expect(await page.locator('h1').innerText()).toBe(text.contactTitle);

  // Empty: the page comes back (422) with an error summary listing each field, and a message at each field.
  const invalid = await v.click(page.getByRole('button', { name: text.submit }));
  expect(invalid?.status()).toBe(422);
  expect(await page.title()).toMatch(new RegExp(`^${text.errorPrefix}`));
  const summary = page.locator('.error-summary');
  expect(await summary.locator('h2').innerText()).toBe(text.summary);
  const links = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(links).toEqual(['#name', '#email', '#message']);
  for (const field of ['name', 'email', 'message']) {
    const describedBy = await page.locator(`#${field}`).getAttribute('aria-describedby');
    expect(describedBy).toContain(`${field}-error`);
    expect(await page.locator(`#${field}`).getAttribute('aria-invalid')).toBe('true');
  }
  if (javaScript) {
    // guichet.js moves focus to the summary so that it is announced and the keyboard starts there.
    expect(await v.focused()).toMatchObject({ tag: 'div' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    // The summary's links lead to the fields.
    await summary.getByRole('link').nth(1).click();
    expect(new URL(page.url()).hash).toBe('#email');
  }

  // A wrong email address keeps what was typed and says what is wrong with it.
  await page.getByLabel(text.name).fill('Camille Gagnon');
  await page.getByLabel(text.email).fill('camille-at-example');
  await page.getByLabel(text.message).fill(lang === 'fr' ? 'Quand passe la collecte des feuilles?' : 'When is the leaf pickup?');
  const stillInvalid = await v.click(page.getByRole('button', { name: text.submit }));
  expect(stillInvalid?.status()).toBe(422);
  expect(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#email']);
  expect(await page.getByLabel(text.name).inputValue()).toBe('Camille Gagnon');

  // Fixed: a 303 to the confirmation, which shows the reference.
  await page.getByLabel(text.email).fill(email);
  await v.click(page.getByRole('button', { name: text.submit }));
  expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/${lang}/contact/sent/`));
  expect(await page.locator('h1').innerText()).toBe(text.sentTitle);
  const reference = REFERENCE.exec(await page.locator('main').innerText())?.[0];
  expect(reference).toBeDefined();
  return reference!;
}

describe.each(['fr', 'en'] as const)('in %s', (lang) => {
  const text = TEXT[lang];

  it('a resident writes to the town; staff sign in and find the acknowledgement in the mailbox', async () => {
    await journey(e2e, `contact-staff-${lang}`, async (open) => {
      const resident = await open({ name: 'resident' });
      const email = `camille.${lang}@example.org`;
      const reference = await writeToTown(resident, lang, email, true);

      // The queue delivers the acknowledgement, in the resident's language, to the mail server.
      await jobs.drain();
      const ack = smtp.received.find((m) => m.text?.includes(reference) && JSON.stringify(m.to).includes(email));
      expect(ack?.subject).toContain(text.ackSubject);

      const staff = await open({ name: 'staff' });
      const { page } = staff;
      // The staff area asks for a sign-in first.
      await staff.goto(`/${lang}/staff`);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/sign-in`);
      expect(await page.locator('h1').innerText()).toBe(text.signInTitle);

      // Wrong password: an error, nothing more.
      await page.getByLabel(text.email).fill(`greffe-${lang}@saint-fulgence.test`);
      await page.getByLabel(text.password).fill('pas le bon mot de passe');
      const refused = await staff.click(page.getByRole('button', { name: text.signIn }));
      expect(refused?.status()).toBe(401);
      expect(await page.locator('.error-summary').innerText()).toContain(text.invalid);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      expect(await page.getByLabel(text.password).inputValue()).toBe('');

      // Right password: the staff area.
      await page.getByLabel(text.password).fill(PASSWORD);
      await staff.click(page.getByRole('button', { name: text.signIn }));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff`);
      expect(await page.locator('h1').innerText()).toBe(text.staffTitle);

      // The development mailbox lists the acknowledgement sent to the resident, in the resident's language.
      await staff.click(page.locator('main').getByRole('link', { name: text.mailLink }));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/mail`);
      const row = page.locator('tr', { hasText: email });
      expect(await row.count()).toBe(1);
      expect(await row.locator('.tag').innerText()).toBe(text.sent);
      await staff.click(row.getByRole('link', { name: new RegExp(text.ackSubject) }));
      expect(await page.locator('dl.summary').innerText()).toContain(text.viaSmtp);
      const body = await page.locator('pre.mail').innerText();
      expect(body).toContain(reference);
      expect(body).toContain('Saint-Fulgence');

      // The message itself, from the staff front page: listed by its reference, then opened.
      await staff.goto(`/${lang}/staff`);
      await staff.click(page.locator('main').getByRole('link', { name: text.messagesLink }));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/messages`);
      await staff.click(page.getByRole('link', { name: reference }));
      expect(await page.locator('h1').innerText()).toContain(reference);
      expect(await page.locator('main').innerText()).toContain(lang === 'fr' ? 'Quand passe la collecte des feuilles?' : 'When is the leaf pickup?');
      expect(await page.locator('dl.summary').innerText()).toContain(email);

      // Signing out ends the session: the staff area asks for a sign-in again.
      await staff.goto(`/${lang}/staff`);
      await staff.click(page.getByRole('button', { name: text.signOut }));
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/sign-in`);
      await staff.goto(`/${lang}/staff/mail`);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/sign-in`);
    });
  });

  it('the contact form works with JavaScript turned off', async () => {
    await journey(e2e, `contact-no-js-${lang}`, async (open) => {
      const resident = await open({ javaScriptEnabled: false });
      await writeToTown(resident, lang, `dominique.${lang}@example.org`, false);
    });
  });

  it('the contact form and its errors reflow in a 320 CSS pixel wide window', async () => {
    await journey(e2e, `contact-zoom-${lang}`, async (open) => {
      const v = await open({ viewport: { width: 320, height: 640 } });
      await v.goto(`/${lang}/contact`);
      expect(await v.horizontalOverflow()).toBeLessThanOrEqual(0);
      await v.click(v.page.getByRole('button', { name: text.submit }));
      expect(await v.horizontalOverflow()).toBeLessThanOrEqual(0);
      await v.goto(`/${lang}/staff/sign-in`);
      expect(await v.horizontalOverflow()).toBeLessThanOrEqual(0);
    });
  });
});
