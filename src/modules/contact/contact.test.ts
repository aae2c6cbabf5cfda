import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../test/harness.ts';
import { createTestSmtp, type TestSmtp } from '../../../test/smtp.ts';
import { startJobs, type Jobs } from '../../platform/jobs.ts';
import { listOutbox } from '../../platform/outbox/index.ts';
import { createTenant } from '../tenants/service.ts';

let t: TestApp;
let town: TestTown;
let smtp: TestSmtp;
let jobs: Jobs;
let ip = 0;

beforeAll(async () => {
  smtp = await createTestSmtp();
  await smtp.start();
  t = await createTestApp({ SMTP_URL: smtp.url, RATE_LIMIT_SENSITIVE_PER_MINUTE: '5' });
  town = await createTestTown(t.db, 'Baie-Saint-Paul');
  jobs = await startJobs({
    config: t.config,
    db: t.db,
    logger: t.app.log,
    options: { schema: `pgboss_${Math.random().toString(36).slice(2, 10)}`, work: false, sweepIntervalSeconds: 0 },
  });
});
afterAll(async () => {
  await jobs?.stop();
  await t?.close();
  await smtp?.stop();
});

type Lang = 'fr' | 'en';

/** Each test posts from its own address, so the tight per-address limit only bites where a test wants it. */
function nextAddress(): string {
  ip += 1;
  return `198.51.100.${ip}`;
}

async function openForm(lang: Lang, host = town.host) {
  const res = await t.app.inject({ url: `/${lang}/contact`, headers: { host } });
  expect(res.statusCode).toBe(200);
  const idem = /name="_idem" value="([^"]+)"/.exec(res.body)?.[1];
  expect(idem).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  return { ...formSession(res), idem: idem!, body: res.body };
}

async function post(lang: Lang, session: { token: string; cookie: string; idem: string }, fields: Record<string, string>, remoteAddress: string, host = town.host) {
  return t.app.inject({
    method: 'POST',
    url: `/${lang}/contact`,
    headers: { host, cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: session.token, _idem: session.idem, ...fields }).toString(),
    remoteAddress,
  });
}

async function countMessages(tenantId = town.tenant.id): Promise<number> {
  const rows = await t.db.withTenant(tenantId, (trx) => trx.selectFrom('contact_messages').select('id').execute());
  return rows.length;
}

const GOOD = { name: 'Camille Gagnon', email: 'camille@example.ca', message: 'Quand passe la collecte des feuilles?\nMerci!' };

describe('the contact page', () => {
  it.each([
    ['fr', 'Écrire à la municipalité', 'Votre nom', 'Adresse courriel', 'Votre message', 'Envoyer le message'],
    ['en', 'Write to the town', 'Your name', 'Email address', 'Your message', 'Send message'],
  ] as const)('shows the form in %s', async (lang, title, name, email, message, submit) => {
    const { body } = await openForm(lang);
    expect(body).toContain(`<h1>${title}</h1>`);
    for (const label of [name, email, message, submit]) expect(body).toContain(label);
    expect(body).toContain('name="_csrf"');
    expect(body).toContain(`action="/${lang}/contact"`);
    expect(body).toContain('autocomplete="email"');
  });

  it('gives every showing of the form its own key', async () => {
    const a = await openForm('fr');
    const b = await openForm('fr');
    expect(a.idem).not.toBe(b.idem);
  });
});

describe('sending a message', () => {
  it('saves it, thanks the resident in their language and tells the town', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const before = smtp.received.length;
      const session = await openForm(lang);
      const res = await post(lang, session, { ...GOOD, email: `resident-${lang}@example.ca` }, nextAddress());
      expect(res.statusCode).toBe(303);
      const location = String(res.headers.location);
      expect(location).toMatch(new RegExp(`^/${lang}/contact/sent/[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$`));
      const reference = location.split('/').pop()!;

      const sent = await t.app.inject({ url: location, headers: { host: town.host } });
      expect(sent.statusCode).toBe(200);
      expect(sent.body).toContain(reference);
      expect(sent.body).toContain(lang === 'fr' ? 'Message envoyé' : 'Message sent');

      expect(await jobs.drain()).toBe(2);
      const mails = (await smtp.waitFor(before + 2)).slice(before);
      const ack = mails.find((m) => m.to && !Array.isArray(m.to) && m.to.text === `resident-${lang}@example.ca`);
      const notice = mails.find((m) => m.to && !Array.isArray(m.to) && m.to.text === town.tenant.contactEmail);
      expect(ack, 'acknowledgement to the resident').toBeDefined();
      expect(notice, 'notice to the town').toBeDefined();
      // The acknowledgement: the page's language, the reference, nothing the sender typed.
      expect(ack!.subject).toBe(lang === 'fr' ? 'Nous avons reçu votre message – Ville de Baie-Saint-Paul' : 'We received your message – Town of Baie-Saint-Paul');
      expect(ack!.text).toContain(reference);
      expect(ack!.text).toContain(lang === 'fr' ? 'Votre numéro de référence' : 'Your reference number');
      expect(ack!.text).not.toContain('collecte des feuilles');
      expect(ack!.text).not.toContain('Camille');
      expect(ack!.headers.get('content-language')).toBe(lang === 'fr' ? 'fr-CA' : 'en-CA');
      // The town's notice: the town's language (French), the whole message, replies go to the resident.
      expect(notice!.subject).toBe(`Nouveau message du site Web – référence ${reference}`);
      expect(notice!.text).toContain('Quand passe la collecte des feuilles?\nMerci!');
      expect(notice!.text).toContain('Camille Gagnon');
      expect(notice!.text).toContain(`Langue : ${lang === 'fr' ? 'français' : 'anglais'}`);
      expect(notice!.replyTo).toMatchObject({ text: `resident-${lang}@example.ca` });
    }
    const outbox = await listOutbox(t.db, town.tenant.id, { page: 1, pageSize: 50 });
    expect(outbox.items.every((m) => m.status === 'sent' && m.deliveredVia === 'smtp')).toBe(true);
    const audit = await t.db.withTenant(town.tenant.id, (trx) =>
      trx.selectFrom('audit_events').select(['action', 'actor_kind', 'ip']).where('action', '=', 'contact.submitted').execute(),
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor_kind: 'anonymous', ip: null });
  });

  it('creates one message and one set of emails when the same form is sent twice', async () => {
    const before = await countMessages();
    const session = await openForm('en');
    const address = nextAddress();
    const first = await post('en', session, GOOD, address);
    const second = await post('en', session, { ...GOOD, message: 'Changed my mind' }, address);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await countMessages()).toBe(before + 1);
    const mailsBefore = smtp.received.length;
    expect(await jobs.drain()).toBe(2);
    expect(await jobs.drain()).toBe(0);
    expect(smtp.received.length).toBe(mailsBefore + 2);
  });

  it('sends no notice when the town has no contact address', async () => {
    const slug = `t-${Math.random().toString(36).slice(2, 10)}`;
    const host = `${slug}.guichet.test`;
    const quiet = { host, tenant: await createTenant(t.db, { slug, name: { fr: 'Tadoussac', en: 'Tadoussac' }, hosts: [host], contactEmail: null }) };
    const session = await openForm('fr', quiet.host);
    const sent = await post('fr', session, GOOD, nextAddress(), quiet.host);
    expect(sent.statusCode).toBe(303);
    const outbox = await listOutbox(t.db, quiet.tenant.id, { page: 1, pageSize: 10 });
    expect(outbox.items.map((m) => m.dedupeKey)).toEqual([expect.stringMatching(/^contact:.+:ack$/)]);
    await jobs.drain();
  });
});

describe('wrong input', () => {
  const cases = {
    fr: {
      required: ['Le champ « Votre nom » est obligatoire.', 'Le champ « Adresse courriel » est obligatoire.', 'Le champ « Votre message » est obligatoire.'],
      tooLong: 'Le champ « Votre message » doit contenir au plus 4000 caractères.',
      nameTooLong: 'Le champ « Votre nom » doit contenir au plus 200 caractères.',
      email: 'Entrez une adresse courriel valide dans le champ « Adresse courriel »',
      control: 'Le champ « Votre nom » contient des caractères non permis.',
      summary: 'Il y a un problème',
      titlePrefix: '<title>Erreur :',
    },
    en: {
      required: ['Enter a value for “Your name”.', 'Enter a value for “Email address”.', 'Enter a value for “Your message”.'],
      tooLong: '“Your message” must be 4000 characters or fewer.',
      nameTooLong: '“Your name” must be 200 characters or fewer.',
      email: 'Enter an email address in the right format in “Email address”',
      control: '“Your name” contains characters that are not allowed.',
      summary: 'There is a problem',
      titlePrefix: '<title>Error:',
    },
  } as const;

  describe.each(['fr', 'en'] as const)('in %s', (lang) => {
    const text = cases[lang];

    it('lists every missing field, in order, and keeps the form’s key', async () => {
      const before = await countMessages();
      const session = await openForm(lang);
      const res = await post(lang, session, { name: '  ', email: '', message: '' }, nextAddress());
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(text.summary);
      expect(res.body).toContain(text.titlePrefix);
      const summary = res.body.slice(res.body.indexOf('error-summary__list'), res.body.indexOf('</ul>', res.body.indexOf('error-summary__list')));
      expect([...summary.matchAll(/href="#(\w+)"/g)].map((m) => m[1])).toEqual(['name', 'email', 'message']);
      for (const message of text.required) expect(res.body).toContain(message);
      expect(res.body).toContain('aria-invalid="true"');
      expect(res.body).toContain(`name="_idem" value="${session.idem}"`);
      expect(await countMessages()).toBe(before);
    });

    it('refuses values that are too long, keeping what was typed', async () => {
      const session = await openForm(lang);
      const res = await post(lang, session, { name: 'N'.repeat(201), email: 'a@example.ca', message: 'é'.repeat(4001) }, nextAddress());
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(text.tooLong);
      expect(res.body).toContain(text.nameTooLong);
      expect(res.body).toContain('é'.repeat(4001));
      // Exactly at the limit is fine.
      const ok = await post(lang, await openForm(lang), { name: 'N'.repeat(200), email: 'a@example.ca', message: 'é'.repeat(4000) }, nextAddress());
      expect(ok.statusCode).toBe(303);
    });

    it('refuses a malformed email address and control characters', async () => {
      const session = await openForm(lang);
      const res = await post(lang, session, { name: 'Bell\u0007', email: 'camille-at-example', message: 'Bonjour' }, nextAddress());
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain(text.email);
      expect(res.body).toContain(text.control);
      const newline = await post(lang, session, { name: 'Line\nbreak', email: 'a@example.ca', message: 'Bonjour' }, nextAddress());
      expect(newline.statusCode).toBe(422);
      expect(newline.body).toContain(text.control);
    });

    it('shows hostile markup back as text, never as markup', async () => {
      const session = await openForm(lang);
      const res = await post(
        lang,
        session,
        { name: '<script>alert(1)</script>', email: '"><img src=x onerror=alert(1)>@x', message: '</textarea><script>alert(2)</script>' },
        nextAddress(),
      );
      expect(res.statusCode).toBe(422);
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).not.toContain('<img src=x');
      expect(res.body).not.toContain('</textarea><script>');
      // Preact escapes < and & (and " in attributes), which is all HTML needs.
      expect(res.body).toContain('value="&lt;script>alert(1)&lt;/script>"');
      expect(res.body).toContain('&lt;/textarea>&lt;script>alert(2)&lt;/script></textarea>');
    });

    it('refuses a post without a CSRF token, or with a forged one, with a 403 page', async () => {
      const before = await countMessages();
      const session = await openForm(lang);
      const missing = await t.app.inject({
        method: 'POST',
        url: `/${lang}/contact`,
        headers: { host: town.host, cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _idem: session.idem, ...GOOD }).toString(),
        remoteAddress: nextAddress(),
      });
      expect(missing.statusCode).toBe(403);
      expect(missing.body).toContain(lang === 'fr' ? 'Formulaire expiré' : 'Form expired');
      const forged = await post(lang, { ...session, token: 'forged-token' }, GOOD, nextAddress());
      expect(forged.statusCode).toBe(403);
      const noCookie = await post(lang, { ...session, cookie: '' }, GOOD, nextAddress());
      expect(noCookie.statusCode).toBe(403);
      expect(await countMessages()).toBe(before);
    });

    it('answers a body that is not the form’s with a 400 page', async () => {
      const session = await openForm(lang);
      const res = await t.app.inject({
        method: 'POST',
        url: `/${lang}/contact`,
        headers: { host: town.host, cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        // A field sent twice arrives as a list, not a string.
        payload: `_csrf=${encodeURIComponent(session.token)}&_idem=${session.idem}&name=a&name=b&email=a%40example.ca&message=hi`,
        remoteAddress: nextAddress(),
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(lang === 'fr' ? 'Demande invalide' : 'Invalid request');
    });
  });

  it('slows down one address that posts too often', async () => {
    const address = nextAddress();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const lang = i % 2 === 0 ? 'fr' : 'en';
      codes.push((await post(lang, await openForm(lang), { name: '', email: '', message: '' }, address)).statusCode);
    }
    expect(codes).toEqual([422, 422, 422, 422, 422, 429]);
  });
});

describe('the confirmation page', () => {
  it('answers 404 for a reference that does not exist, or belongs to another town', async () => {
    const session = await openForm('fr');
    const res = await post('fr', session, GOOD, nextAddress());
    const location = String(res.headers.location);
    const other = await createTestTown(t.db, 'Kamouraska');
    const elsewhere = await t.app.inject({ url: location, headers: { host: other.host } });
    expect(elsewhere.statusCode).toBe(404);
    for (const ref of ['ZZZZ-ZZZZ', 'O0I1-AAAA', 'nope', 'abcd-efgh']) {
      const r = await t.app.inject({ url: `/en/contact/sent/${ref}`, headers: { host: town.host } });
      expect(r.statusCode).toBe(404);
      expect(r.body).toContain('Page not found');
    }
    await jobs.drain();
  });
});
