/**
 * The resident's profile: the form in both languages, its limits and messages, saving, and
 * changing the email address with a code sent to the new address. Through the real app, both engines.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { latestMail, signInResident, submit, visit, type Browser } from './testing.ts';

let t: TestApp;
let a: TestTown;

beforeAll(async () => {
  t = await createTestApp();
  a = await createTestTown(t.db, 'Rimouski');
});
afterAll(() => t.close());

const uniqueEmail = (label: string) => `${label}.${crypto.randomBytes(4).toString('hex')}@example.ca`;

const GOOD = {
  name: 'Camille Gagnon',
  phone: '418 555-0123',
  locale: 'en',
  address: '12, rue des Érables\nRimouski (Québec) G5L 1A1',
  notifyUpdates: 'yes',
  notifyNews: 'yes',
};

async function row(email: string) {
  return t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('residents').selectAll().where('email', '=', email).executeTakeFirst());
}

describe('the profile page', () => {
  it.each([
    ['fr', 'Mon profil', ['Nom complet', 'Adresse courriel', 'Numéro de téléphone', 'Langue de préférence', 'Adresse du domicile', 'Avis par courriel']],
    ['en', 'My profile', ['Full name', 'Email address', 'Phone number', 'Preferred language', 'Home address', 'Email notifications']],
  ] as const)('shows the form in %s with the resident’s values', async (lang, title, labels) => {
    const email = uniqueEmail('show');
    const br = await signInResident(t.app, t.db, a, email, lang);
    const res = await visit(t.app, br, `/${lang}/account/profile`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    for (const label of labels) expect(res.body).toContain(label);
    expect(res.body).toContain(`value="${email}"`);
    // A new account starts in the language of the page it was made from, with the default notifications.
    expect(res.body).toMatch(new RegExp(`value="${lang}" checked`));
    expect(res.body).toMatch(/id="notifyUpdates" name="notifyUpdates" value="yes" checked/);
    expect(res.body).not.toMatch(/id="notifyNews" name="notifyNews" value="yes" checked/);
  });

  it('saves the profile and records which fields changed, not their values', async () => {
    const email = uniqueEmail('save');
    const br = await signInResident(t.app, t.db, a, email);
    const res = await submit(t.app, br, '/fr/account/profile', { ...GOOD, email });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/fr/account/profile?done=saved');
    const saved = await visit(t.app, br, res.headers.location as string);
    expect(saved.body).toContain('Votre profil est enregistré.');
    expect(await row(email)).toMatchObject({
      name: 'Camille Gagnon',
      phone: '418 555-0123',
      locale: 'en',
      address: '12, rue des Érables\nRimouski (Québec) G5L 1A1',
      notify_updates: true,
      notify_reminders: false,
      notify_news: true,
    });
    const audit = await t.db.withTenant(a.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select(['details', 'actor_kind']).where('action', '=', 'resident.profileUpdated').orderBy('id', 'desc').executeTakeFirstOrThrow(),
    );
    expect(audit.actor_kind).toBe('resident');
    expect(audit.details.fields).toEqual(expect.arrayContaining(['name', 'phone', 'locale', 'address', 'notify_reminders', 'notify_news']));
    expect(JSON.stringify(audit.details)).not.toContain('Gagnon');
    // The header greets the resident by name on their file.
    expect((await visit(t.app, br, '/en/account')).body).toContain('Hello Camille Gagnon!');
  });

  const errors = {
    fr: {
      name: 'Le champ « Nom complet » est obligatoire.',
      phone: 'Entrez un numéro de téléphone de 10 à 15 chiffres dans le champ « Numéro de téléphone »',
      locale: 'Choisissez une des options',
      email: 'Entrez une adresse courriel valide',
      address: 'Le champ « Adresse du domicile » doit contenir au plus 300 caractères.',
    },
    en: {
      name: 'Enter a value for “Full name”.',
      phone: 'Enter a phone number of 10 to 15 digits in “Phone number”',
      locale: 'Choose one of the options given for “Preferred language”.',
      email: 'Enter an email address in the right format',
      address: '“Home address” must be 300 characters or fewer.',
    },
  } as const;

  it.each(['fr', 'en'] as const)('lists every problem in %s (422), in the order of the form, keeping what was typed', async (lang) => {
    const email = uniqueEmail('bad');
    const br = await signInResident(t.app, t.db, a, email, lang);
    const res = await submit(t.app, br, `/${lang}/account/profile`, { name: ' ', email: 'nope', phone: '555-12', locale: 'de', address: 'x'.repeat(301) });
    expect(res.statusCode).toBe(422);
    for (const message of Object.values(errors[lang])) expect(res.body).toContain(message);
    const summary = res.body.slice(res.body.indexOf('error-summary__list'), res.body.indexOf('</ul>', res.body.indexOf('error-summary__list')));
    expect([...summary.matchAll(/href="#(\w+)"/g)].map((m) => m[1])).toEqual(['name', 'email', 'phone', 'locale', 'address']);
    expect(res.body).toContain('value="555-12"');
    expect((await row(email))?.name).toBeNull();
    const letters = await submit(t.app, br, `/${lang}/account/profile`, { ...GOOD, email, phone: '418 555-CALL' });
    expect(letters.statusCode).toBe(422);
    expect(letters.body).toContain(errors[lang].phone);
  });

  it('has no address that names a resident: only the signed-in resident’s own profile exists', async () => {
    const other = uniqueEmail('other');
    await signInResident(t.app, t.db, a, other);
    const otherId = (await row(other))!.id;
    const br = await signInResident(t.app, t.db, a, uniqueEmail('guess'), 'en');
    for (const url of [`/en/account/profile/${otherId}`, `/en/account/${otherId}`, `/en/account/profile?id=${otherId}`, `/en/account/household?resident=${otherId}`]) {
      const res = await visit(t.app, br, url);
      expect([200, 404]).toContain(res.statusCode);
      expect(res.body).not.toContain(other);
    }
    expect((await visit(t.app, br, `/en/account/profile/${otherId}`)).statusCode).toBe(404);
  });

  it('refuses a profile post without a CSRF token, and sends a visitor to sign in', async () => {
    const email = uniqueEmail('csrf');
    const br = await signInResident(t.app, t.db, a, email);
    const res = await visit(t.app, br, '/fr/account/profile', { ...GOOD, email });
    expect(res.statusCode).toBe(403);
    const anonymous = await t.app.inject({ url: '/fr/account/profile', headers: { host: a.host } });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe(`/fr/account/sign-in?next=${encodeURIComponent('/fr/account/profile')}`);
  });
});

describe('changing the email address', () => {
  async function changeTo(br: Browser, email: string, newEmail: string, lang: 'fr' | 'en' = 'fr') {
    return submit(t.app, br, `/${lang}/account/profile`, { ...GOOD, email: newEmail, locale: lang });
  }

  it.each(['fr', 'en'] as const)('needs the code sent to the new address, then tells the former one (%s)', async (lang) => {
    const email = uniqueEmail('old');
    const newEmail = uniqueEmail('new');
    const br = await signInResident(t.app, t.db, a, email, lang);
    const res = await changeTo(br, email, newEmail, lang);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/${lang}/account/profile/email`);
    // The other fields are saved at once; the email waits for its code.
    expect(await row(email)).toMatchObject({ name: 'Camille Gagnon', email });
    const page = await visit(t.app, br, res.headers.location as string);
    expect(page.body).toContain(newEmail);
    const mail = await latestMail(t.db, a.tenant.id, newEmail);
    expect(mail.subject).toContain(lang === 'fr' ? 'Confirmez votre nouvelle adresse courriel' : 'Confirm your new email address');
    const code = mail.code!;

    const wrong = await submit(t.app, br, `/${lang}/account/profile/email`, { code: code === '123456' ? '654321' : '123456' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain(lang === 'fr' ? 'Il vous reste 4 essais.' : 'You can try 4 more times.');
    const malformed = await submit(t.app, br, `/${lang}/account/profile/email`, { code: 'abc' });
    expect(malformed.statusCode).toBe(422);

    const right = await submit(t.app, br, `/${lang}/account/profile/email`, { code });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe(`/${lang}/account/profile?done=emailChanged`);
    expect((await visit(t.app, br, right.headers.location as string)).body).toContain(
      lang === 'fr' ? 'Votre adresse courriel est changée.' : 'Your email address is changed.',
    );
    expect(await row(newEmail)).toBeDefined();
    expect(await row(email)).toBeUndefined();
    const notice = await latestMail(t.db, a.tenant.id, email);
    expect(notice.subject).toContain(lang === 'fr' ? 'Votre adresse courriel a été changée' : 'Your email address was changed');
    expect(notice.bodyText).toContain(newEmail);
    // The code is used: nothing waits any more, and posting it again does nothing.
    const after = await visit(t.app, br, `/${lang}/account/profile/email`);
    expect(after.body).toContain(lang === 'fr' ? 'Aucun changement d’adresse courriel n’est en attente.' : 'No change of email address is waiting.');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await visit(t.app, br, `/${lang}/account/profile`)).body)![1]!;
    const again = await visit(t.app, br, `/${lang}/account/profile/email`, { _csrf: csrf, code });
    expect(again.statusCode).toBe(401);
    // Signing in with the new address reaches the same account.
    const back = await signInResident(t.app, t.db, a, newEmail, lang);
    expect((await visit(t.app, back, `/${lang}/account`)).body).toContain('Camille Gagnon');
  });

  it('refuses an address another resident uses, once the code proves it belongs to the asker', async () => {
    const taken = uniqueEmail('taken');
    await signInResident(t.app, t.db, a, taken);
    const email = uniqueEmail('asker');
    const br = await signInResident(t.app, t.db, a, email, 'en');
    // Asking gives nothing away: the same answer as for a free address.
    const res = await changeTo(br, email, taken, 'en');
    expect(res.headers.location).toBe('/en/account/profile/email');
    const { code } = await latestMail(t.db, a.tenant.id, taken);
    const confirm = await submit(t.app, br, '/en/account/profile/email', { code: code! });
    expect(confirm.statusCode).toBe(409);
    expect(confirm.body).toContain('Another account with this town already uses this address');
    expect(await row(email)).toBeDefined();
  });

  it('says so when no change is waiting', async () => {
    const br = await signInResident(t.app, t.db, a, uniqueEmail('none'), 'en');
    const page = await visit(t.app, br, '/en/account/profile/email');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No change of email address is waiting.');
  });

  it('takes a change of capitals only as it is, without a code', async () => {
    const email = uniqueEmail('caps');
    const br = await signInResident(t.app, t.db, a, email);
    const res = await changeTo(br, email, email.toUpperCase());
    expect(res.headers.location).toBe('/fr/account/profile?done=saved');
    expect((await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('residents').select('email').where('email', '=', email.toUpperCase()).execute())).length).toBe(1);
  });
});

describe('date of birth', () => {
  it.each([
    ['fr', 'Date de naissance'],
    ['en', 'Birth date'],
  ] as const)('is optional, saved as typed year first, and refused when not a real past date (%s)', async (lang, label) => {
    const email = uniqueEmail(`born-${lang}`);
    const br = await signInResident(t.app, t.db, a, email, lang);
    const page = await visit(t.app, br, `/${lang}/account/profile`);
    expect(page.body).toContain(label);
    expect(page.body).toContain('autocomplete="bday"');
    for (const bad of ['1962-02-30', '23/08/1962', '2999-01-01', '1850-01-01', '1962-08-23T00:00', '<script>']) {
      const res = await submit(t.app, br, `/${lang}/account/profile`, { ...GOOD, locale: lang, email, birthDate: bad });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('href="#birthDate"');
    }
    expect((await submit(t.app, br, `/${lang}/account/profile`, { ...GOOD, locale: lang, email, birthDate: '1962/8/23' })).statusCode).toBe(303);
    expect((await row(email))?.birth_date).toBe('1962-08-23');
    expect((await visit(t.app, br, `/${lang}/account/profile`)).body).toContain('value="1962-08-23"');
    // Left empty: removed.
    expect((await submit(t.app, br, `/${lang}/account/profile`, { ...GOOD, locale: lang, email, birthDate: '' })).statusCode).toBe(303);
    expect((await row(email))?.birth_date).toBeNull();
  });
});
