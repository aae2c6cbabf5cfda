/**
 * The household: add, change and remove members, their limits and messages in both languages,
 * and nobody reaching another resident's member by guessing its id. Through the real app, both engines.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { todayIn } from './schemas.ts';
import { signInResident, submit, visit, type Browser } from './testing.ts';

let t: TestApp;
let a: TestTown;
let b: TestTown;

beforeAll(async () => {
  t = await createTestApp();
  a = await createTestTown(t.db, 'Matane');
  b = await createTestTown(t.db, 'Sept-Îles');
});
afterAll(() => t.close());

const uniqueEmail = (label: string) => `${label}.${crypto.randomBytes(4).toString('hex')}@example.ca`;
const CHILD = { name: 'Léa Gagnon', birthDate: '2015-04-23', relationship: 'child' };

async function add(br: Browser, member: Record<string, string>, lang: 'fr' | 'en' = 'fr') {
  return submit(t.app, br, `/${lang}/account/household/new`, member);
}
async function members(town: TestTown = a) {
  return t.db.withTenant(town.tenant.id, (trx) => trx.selectFrom('household_members').selectAll().execute());
}
/** The id of the member the resident's household page links to, by name. */
async function idOf(br: Browser, name: string): Promise<string> {
  const page = await visit(t.app, br, '/en/account/household');
  const match = new RegExp(`href="/en/account/household/([0-9a-f-]{36})">Change<span class="visually-hidden"> ${name}</span>`).exec(page.body);
  if (!match) throw new Error(`no member ${name}`);
  return match[1]!;
}

describe('the household', () => {
  it.each([
    ['fr', 'Ma famille', 'Vous n’avez encore ajouté personne.', 'La personne a été ajoutée à votre famille.', 'Enfant'],
    ['en', 'My household', 'You have not added anyone yet.', 'The person was added to your household.', 'Child'],
  ] as const)('adds, lists, changes and removes a member in %s', async (lang, title, empty, added, child) => {
    const br = await signInResident(t.app, t.db, a, uniqueEmail('family'), lang);
    const list = await visit(t.app, br, `/${lang}/account/household`);
    expect(list.body).toContain(`<h1>${title}</h1>`);
    expect(list.body).toContain(empty);

    const res = await add(br, CHILD, lang);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/${lang}/account/household?done=added`);
    const after = await visit(t.app, br, res.headers.location as string);
    expect(after.body).toContain(added);
    expect(after.body).toContain('Léa Gagnon');
    expect(after.body).toContain('2015-04-23');
    expect(after.body).toContain(child);

    const id = await idOf(br, 'Léa Gagnon');
    const form = await visit(t.app, br, `/${lang}/account/household/${id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Léa Gagnon"');
    expect(form.body).toContain('value="2015-04-23"');
    const changed = await submit(t.app, br, `/${lang}/account/household/${id}`, { ...CHILD, name: 'Léa Tremblay', birthDate: '2015-04-24' });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`/${lang}/account/household?done=updated`);

    const confirm = await visit(t.app, br, `/${lang}/account/household/${id}/remove`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Léa Tremblay');
    const removed = await submit(t.app, br, `/${lang}/account/household/${id}/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toBe(`/${lang}/account/household?done=removed`);
    expect((await visit(t.app, br, `/${lang}/account/household`)).body).toContain(empty);

    const actions = await t.db.withTenant(a.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select('action').where('subject_id', '=', id).orderBy('id').execute(),
    );
    expect(actions.map((e) => e.action)).toEqual(['household.memberAdded', 'household.memberUpdated', 'household.memberRemoved']);
  });

  const messages = {
    fr: {
      required: ['Le champ « Nom complet » est obligatoire.', 'Le champ « Date de naissance » est obligatoire.', 'Le champ « Lien avec vous » est obligatoire.'],
      date: 'Entrez une date réelle dans le champ « Date de naissance »',
      future: 'Le champ « Date de naissance » doit contenir la date d’aujourd’hui ou une date passée.',
      old: 'Le champ « Date de naissance » doit contenir une date à partir du 1900-01-01.',
      spouse: 'Votre famille compte déjà un conjoint ou une conjointe.',
      tooMany: 'Une famille compte au plus 12 personnes.',
    },
    en: {
      required: ['Enter a value for “Full name”.', 'Enter a value for “Birth date”.', 'Enter a value for “Relationship to you”.'],
      date: 'Enter a real date in “Birth date”',
      future: '“Birth date” must be today or earlier.',
      old: '“Birth date” must be on or after 1900-01-01.',
      spouse: 'Your household already has a spouse or partner.',
      tooMany: 'A household has at most 12 people.',
    },
  } as const;

  describe.each(['fr', 'en'] as const)('wrong input in %s', (lang) => {
    const text = messages[lang];

    it('lists missing fields and checks the birth date (422)', async () => {
      const br = await signInResident(t.app, t.db, a, uniqueEmail('bad'), lang);
      const empty = await add(br, { name: '', birthDate: '', relationship: '' }, lang);
      expect(empty.statusCode).toBe(422);
      for (const message of text.required) expect(empty.body).toContain(message);
      const summary = empty.body.slice(empty.body.indexOf('error-summary__list'), empty.body.indexOf('</ul>', empty.body.indexOf('error-summary__list')));
      expect([...summary.matchAll(/href="#(\w+)"/g)].map((m) => m[1])).toEqual(['name', 'birthDate', 'relationship']);

      const tomorrow = new Date(Date.now() + 2 * 86_400_000);
      for (const [birthDate, message] of [
        ['2015-02-30', text.date],
        ['23/04/2015', text.date],
        ['2015-4-31', text.date],
        ['april 2015', text.date],
        [todayIn('America/Toronto', tomorrow), text.future],
        ['1899-12-31', text.old],
      ] as const) {
        const res = await add(br, { ...CHILD, birthDate }, lang);
        expect(res.statusCode, birthDate).toBe(422);
        expect(res.body).toContain(message);
        expect(res.body).toContain(`value="${birthDate}"`);
      }
      // Written another common way, it is understood and kept as YYYY-MM-DD.
      expect((await add(br, { ...CHILD, name: 'Zoé', birthDate: '2017/6/3' }, lang)).statusCode).toBe(303);
      expect((await members()).find((m) => m.name === 'Zoé')?.birth_date).toBe('2017-06-03');
      const relationship = await add(br, { ...CHILD, relationship: 'cousin' }, lang);
      expect(relationship.statusCode).toBe(422);
      expect((await add(br, { ...CHILD, birthDate: todayIn('America/Toronto') }, lang)).statusCode).toBe(303);
    });

    it('allows one spouse and at most 12 people', async () => {
      const br = await signInResident(t.app, t.db, a, uniqueEmail('limits'), lang);
      expect((await add(br, { name: 'Alex Roy', birthDate: '1985-06-01', relationship: 'spouse' }, lang)).statusCode).toBe(303);
      const second = await add(br, { name: 'Sam Roy', birthDate: '1986-06-01', relationship: 'spouse' }, lang);
      expect(second.statusCode).toBe(422);
      expect(second.body).toContain(text.spouse);
      // Turning a child into a second spouse is refused too.
      await add(br, CHILD, lang);
      const id = await idOf(br, 'Léa Gagnon');
      const turned = await submit(t.app, br, `/${lang}/account/household/${id}`, { ...CHILD, relationship: 'spouse' });
      expect(turned.statusCode).toBe(422);
      expect(turned.body).toContain(text.spouse);
      for (let i = 0; i < 10; i++) expect((await add(br, { ...CHILD, name: `Enfant ${i}` }, lang)).statusCode).toBe(303);
      const full = await visit(t.app, br, `/${lang}/account/household`);
      expect(full.body).not.toContain('/account/household/new');
      const thirteenth = await add(br, { ...CHILD, name: 'Un de trop' }, lang);
      expect(thirteenth.statusCode).toBe(422);
      expect(thirteenth.body).toContain(text.tooMany);
    });
  });
});

describe('nobody else’s household', () => {
  it('answers 404 to a resident who guesses another resident’s member id, and changes nothing', async () => {
    const owner = await signInResident(t.app, t.db, a, uniqueEmail('owner'));
    await add(owner, CHILD);
    const id = await idOf(owner, 'Léa Gagnon');
    const intruder = await signInResident(t.app, t.db, a, uniqueEmail('intruder'), 'en');
    for (const url of [`/en/account/household/${id}`, `/en/account/household/${id}/remove`, `/en/account/household/${id.toUpperCase()}`]) {
      const res = await visit(t.app, intruder, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Page not found');
      expect(res.body).not.toContain('Léa');
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await visit(t.app, intruder, '/en/account')).body)![1]!;
    const edit = await visit(t.app, intruder, `/en/account/household/${id}`, { _csrf: csrf, ...CHILD, name: 'Pirate' });
    expect(edit.statusCode).toBe(404);
    const remove = await visit(t.app, intruder, `/en/account/household/${id}/remove`, { _csrf: csrf });
    expect(remove.statusCode).toBe(404);
    for (const bad of ['nope', '00000000-0000-0000-0000-000000000000', "1' or '1'='1"]) {
      expect((await visit(t.app, intruder, `/en/account/household/${encodeURIComponent(bad)}`)).statusCode).toBe(404);
    }
    const [member] = (await members()).filter((m) => m.id === id);
    expect(member).toMatchObject({ name: 'Léa Gagnon' });
    // The intruder's own list shows nobody.
    expect((await visit(t.app, intruder, '/en/account/household')).body).toContain('You have not added anyone yet.');
  });

  it('keeps towns apart: a resident of town B with the same email sees nothing of town A', async () => {
    const email = uniqueEmail('both');
    const inA = await signInResident(t.app, t.db, a, email);
    await add(inA, CHILD);
    const id = await idOf(inA, 'Léa Gagnon');
    const inB = await signInResident(t.app, t.db, b, email);
    expect((await visit(t.app, inB, `/fr/account/household/${id}`)).statusCode).toBe(404);
    expect(await members(b)).toHaveLength(0);
  });

  it('sends a visitor to sign in first', async () => {
    const res = await t.app.inject({ url: '/fr/account/household/new', headers: { host: a.host } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/fr/account/sign-in?next=${encodeURIComponent('/fr/account/household/new')}`);
  });
});
