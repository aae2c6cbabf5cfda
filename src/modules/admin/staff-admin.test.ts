/**
 * Administrators manage staff accounts: list, invite (email with a single-use link), accept the
 * invitation, set role and departments, disable and turn back on; every change audited and told
 * to the person by email in their language. Both languages, wrong input, other towns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, createTestTown, formSession, type TestApp, type TestTown } from '../../../test/harness.ts';
import { adminTown, addPerson, postForm, sessionCookie, type AdminTown } from './testing.ts';

let t: TestApp;
let a: AdminTown;
let b: AdminTown;

beforeAll(async () => {
  t = await createTestApp();
  a = await adminTown(t, await createTestTown(t.db, 'Alma'));
  b = await adminTown(t, await createTestTown(t.db, 'Bromont'));
});
afterAll(() => t.close());

const get = (town: TestTown, url: string, cookie?: string) => t.app.inject({ url, headers: { host: town.host, ...(cookie ? { cookie } : {}) } });

async function outbox(town: TestTown, recipient: string) {
  return t.db.withTenant(town.tenant.id, (trx) =>
    trx.selectFrom('outbox').select(['subject', 'body_text', 'locale', 'dedupe_key']).where('recipient', '=', recipient).orderBy('created_at').execute(),
  );
}

async function auditOf(town: TestTown, action: string) {
  return t.db.withTenant(town.tenant.id, (trx) =>
    trx.selectFrom('audit_events').select(['actor_id', 'subject_id', 'details', 'ip']).where('action', '=', action).orderBy('id').execute(),
  );
}

const linkIn = (text: string) => /https?:\/\/\S+\/staff\/invitation\?token=[A-Za-z0-9_-]{43}/.exec(text)?.[0];

async function invite(town: AdminTown, fields: Record<string, string | string[]>, lang: 'fr' | 'en' = 'fr') {
  return postForm(t.app, town.host, town.admin.cookie, `/${lang}/staff/admin/staff/invite`, `/${lang}/staff/admin/staff/invite`, fields);
}

describe('the staff list', () => {
  it.each([
    ['fr', 'Personnel', 'Gestionnaire', 'Travaux publics', 'Actif'],
    ['en', 'Staff', 'Manager', 'Public Works', 'Active'],
  ] as const)('shows the town’s accounts in %s with role, departments and status', async (lang, title, manager, dept, active) => {
    const res = await get(a, `/${lang}/staff/admin/staff`, a.admin.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<h1>${title}</h1>`);
    for (const p of [a.admin, a.manager, a.agentA, a.agentB]) expect(res.body).toContain(p.email);
    expect(res.body).toContain(manager);
    expect(res.body).toContain(dept);
    expect(res.body).toContain(`>${active}</strong>`);
    expect(res.body).not.toContain(b.admin.email);
    expect(res.body).toContain('aria-current="page"');
  });

  it('redirects /staff/admin to the list, and visitors to the sign-in page', async () => {
    const home = await get(a, '/en/staff/admin', a.admin.cookie);
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe('/en/staff/admin/staff');
    const visitor = await get(a, '/fr/staff/admin/staff');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe(`/fr/staff/sign-in?next=${encodeURIComponent('/fr/staff/admin/staff')}`);
  });
});

describe('inviting a staff member', () => {
  it('refuses wrong input with 422, an error summary and a message at each field, in both languages', async () => {
    const empty = await invite(a, { name: '', email: '', locale: 'fr', role: 'agent' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Erreur :');
    expect(empty.body).toContain('Il y a un problème');
    for (const anchor of ['#name', '#email', '#departments']) expect(empty.body).toContain(`href="${anchor}"`);
    expect(empty.body).toContain('Cochez au moins un service');

    const bad = await invite(a, { name: 'X'.repeat(201), email: 'not-an-email', locale: 'de', role: 'boss' }, 'en');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('“Full name” must be 200 characters or fewer.');
    expect(bad.body).toContain('Enter an email address in the right format');
    expect(bad.body).toContain('Choose one of the options given for “Language of emails”.');
    expect(bad.body).toContain('Choose one of the options given for “Role”.');
    // What was typed stays in the form.
    expect(bad.body).toContain('value="not-an-email"');

    const taken = await invite(a, { name: 'Twin', email: a.agentA.email.toUpperCase(), locale: 'fr', role: 'manager' }, 'en');
    expect(taken.statusCode).toBe(422);
    expect(taken.body).toContain('A staff account with this email address already exists in this town.');

    const foreign = await invite(a, { name: 'Cross', email: `cross@${a.host}`, locale: 'fr', role: 'agent', departments: b.departmentA });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.body).toContain('n’existe plus ou a été désactivé');
    const none = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').select('id').where('email', '=', `cross@${a.host}`).execute());
    expect(none).toEqual([]);
  });

  it('creates the account without a password, emails a link in the invitee’s language, and audits it', async () => {
    const email = `nouvelle@${a.host}`;
    const res = await invite(a, { name: 'Nadia Nouvelle', email, locale: 'en', role: 'agent', departments: [a.departmentA, a.departmentB] });
    expect(res.statusCode).toBe(303);
    const id = /\/fr\/staff\/admin\/staff\/([0-9a-f-]{36})\?done=invited$/.exec(res.headers.location ?? '')?.[1];
    expect(id).toBeDefined();

    const page = await get(a, res.headers.location!, a.admin.cookie);
    expect(page.body).toContain('L’invitation est envoyée.');
    expect(page.body).toContain('>Invité</strong>');
    expect(page.body).toContain('<dd>Loisirs, Travaux publics</dd>');

    const [mail] = await outbox(a, email);
    expect(mail?.locale).toBe('en');
    expect(mail?.subject).toBe('Invitation to the staff area – Town of Alma');
    expect(mail?.body_text).toContain('Hello Nadia Nouvelle,');
    expect(mail?.body_text).toContain('Adèle Admin invites you');
    expect(mail?.body_text).toContain('“Agent”');
    const link = linkIn(mail!.body_text);
    expect(link).toMatch(new RegExp(`^http://${a.host.replace(/\./g, '\\.')}/en/staff/invitation\\?token=`));

    // Only the hash of the token is stored.
    const token = new URL(link!).searchParams.get('token')!;
    const stored = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_invitations').select(['token_hash', 'expires_at', 'created_at']).where('staff_id', '=', id!).execute());
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(token);
    expect(stored[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const days = (new Date(stored[0]!.expires_at).getTime() - new Date(stored[0]!.created_at).getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 3);

    const account = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_users').select(['password_hash', 'role', 'locale']).where('id', '=', id!).executeTakeFirstOrThrow());
    expect(account).toEqual({ password_hash: null, role: 'agent', locale: 'en' });
    const audit = await auditOf(a, 'staff.invited');
    expect(audit.at(-1)).toMatchObject({ actor_id: a.admin.id, subject_id: id });
    expect(audit.at(-1)?.details).toMatchObject({ role: 'agent', locale: 'en' });
  });

  it('lets the invitee choose a password once, then sign in; wrong input and reused links are refused', async () => {
    const email = `invitee@${a.host}`;
    await invite(a, { name: 'Inès Invitée', email, locale: 'fr', role: 'manager' });
    const [mail] = await outbox(a, email);
    const link = new URL(linkIn(mail!.body_text)!);
    expect(mail?.subject).toBe('Invitation à l’espace du personnel – Ville de Alma');
    const url = `${link.pathname}${link.search}`;

    const page = await get(a, url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Bienvenue, Inès Invitée!');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const { token: csrf, cookie } = formSession(page);
    const token = link.searchParams.get('token')!;
    const post = (fields: Record<string, string>, lang = 'fr') =>
      t.app.inject({
        method: 'POST',
        url: `/${lang}/staff/invitation`,
        headers: { host: a.host, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, token, ...fields }).toString(),
      });

    const short = await post({ password: 'trop court', confirm: 'trop court' });
    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('« Nouveau mot de passe » doit contenir au moins 12 caractères.');
    const mismatch = await post({ password: 'a long enough password', confirm: 'another long password' }, 'en');
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('The two passwords are not the same.');
    expect(mismatch.body).toContain('href="#confirm"');

    const ok = await post({ password: 'ma phrase de passe secrète', confirm: 'ma phrase de passe secrète' });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/fr/staff/invitation/done');
    const done = await get(a, ok.headers.location!);
    expect(done.body).toContain('Votre mot de passe est enregistré');

    // Single use: the same link no longer works, on the page or in a replayed form.
    const again = await get(a, url);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('Invitation déjà utilisée');
    expect((await post({ password: 'une autre phrase de passe', confirm: 'une autre phrase de passe' })).statusCode).toBe(410);

    // The new password signs in (a manager needs no second step).
    const signInPage = await get(a, '/fr/staff/sign-in');
    const form = formSession(signInPage);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/fr/staff/sign-in',
      headers: { host: a.host, cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: form.token, email, password: 'ma phrase de passe secrète' }).toString(),
    });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/fr/staff');

    const accepted = await auditOf(a, 'staff.invitationAccepted');
    expect(accepted).toHaveLength(1);
    const list = await get(a, '/en/staff/admin/staff', a.admin.cookie);
    expect(list.body).toMatch(/Inès Invitée[\s\S]*?>Active<\/strong>/);
  });

  it('answers unknown, malformed, expired and other towns’ links with a clear page', async () => {
    const unknown = await get(a, `/en/staff/invitation?token=${'A'.repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('Invitation link not valid');
    expect((await get(a, '/fr/staff/invitation')).statusCode).toBe(404);
    expect((await get(a, '/fr/staff/invitation?token=<script>')).statusCode).toBe(404);

    const email = `late@${a.host}`;
    await invite(a, { name: 'Léo Tardif', email, locale: 'fr', role: 'manager' });
    const [mail] = await outbox(a, email);
    const link = new URL(linkIn(mail!.body_text)!);
    // Another town's host does not know this token.
    expect((await get(b, `${link.pathname}${link.search}`)).statusCode).toBe(404);
    await t.db.withTenant(a.tenant.id, (trx) =>
      sql`update staff_invitations set expires_at = now() - interval '1 minute' where tenant_id = ${a.tenant.id} and used_at is null`.execute(trx),
    );
    const expired = await get(a, `${link.pathname}${link.search}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('Invitation expirée');
    const list = await get(a, '/fr/staff/admin/staff', a.admin.cookie);
    expect(list.body).toMatch(/Léo Tardif[\s\S]*?>Invitation expirée<\/strong>/);
  });

  it('sends a new link on request; the old one stops working', async () => {
    const email = `again@${a.host}`;
    const res = await invite(a, { name: 'Aimé Encore', email, locale: 'en', role: 'agent', departments: a.departmentB });
    const id = res.headers.location!.split('/').pop()!.split('?')[0]!;
    const [first] = await outbox(a, email);
    const resent = await postForm(t.app, a.host, a.admin.cookie, `/en/staff/admin/staff/${id}`, `/en/staff/admin/staff/${id}/invitation`, {});
    expect(resent.statusCode).toBe(303);
    expect(resent.headers.location).toBe(`/en/staff/admin/staff/${id}?done=resent`);
    const mails = await outbox(a, email);
    expect(mails).toHaveLength(2);
    const old = new URL(linkIn(first!.body_text)!);
    const fresh = new URL(linkIn(mails[1]!.body_text)!);
    expect((await get(a, `${old.pathname}${old.search}`)).statusCode).toBe(404);
    expect((await get(a, `${fresh.pathname}${fresh.search}`)).statusCode).toBe(200);
    expect(await auditOf(a, 'staff.invitationResent')).toHaveLength(1);
    // An active account has no invitation to resend.
    const active = await postForm(t.app, a.host, a.admin.cookie, `/en/staff/admin/staff/${a.manager.id}`, `/en/staff/admin/staff/${a.manager.id}/invitation`, {});
    expect(active.headers.location).toBe(`/en/staff/admin/staff/${a.manager.id}?done=unchanged`);
  });
});

describe('role and departments', () => {
  it('changes them, audits each change and tells the person by email in their language', async () => {
    const person = await addPerson(t, a, 'agent', 'Carole Change', 'en');
    const page = `/fr/staff/admin/staff/${person.id}`;
    const first = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/access`, { role: 'agent', departments: a.departmentB });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`${page}?done=access`);
    const res = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/access`, { role: 'manager', departments: [a.departmentA, a.departmentB] });
    expect(res.headers.location).toBe(`${page}?done=access`);
    const shown = await get(a, res.headers.location!, a.admin.cookie);
    expect(shown.body).toContain('Les accès ont été modifiés.');
    expect(shown.body).toContain('<dd>Gestionnaire</dd>');

    const mails = await outbox(a, person.email);
    expect(mails).toHaveLength(2);
    expect(mails[1]).toMatchObject({ locale: 'en', subject: 'Your access changed – Town of Alma' });
    expect(mails[1]!.body_text).toContain('Role: Manager');
    expect(mails[1]!.body_text).toContain('Departments: Public Works, Recreation');

    const roles = await auditOf(a, 'staff.roleChanged');
    expect(roles.at(-1)).toMatchObject({ actor_id: a.admin.id, subject_id: person.id, details: { from: 'agent', to: 'manager' } });
    const depts = (await auditOf(a, 'staff.departmentsChanged')).filter((e) => e.subject_id === person.id);
    expect(depts.at(-1)?.details).toEqual({ added: [a.departmentA], removed: [] });

    // The same again changes nothing and sends nothing.
    const same = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/access`, { role: 'manager', departments: [a.departmentA, a.departmentB] });
    expect(same.headers.location).toBe(`${page}?done=unchanged`);
    expect(await outbox(a, person.email)).toHaveLength(2);
  });

  it('refuses an agent without department, unknown values, and demoting the last active administrator', async () => {
    const page = `/en/staff/admin/staff/${a.agentB.id}`;
    const none = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/access`, { role: 'agent' });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Tick at least one department');
    const bad = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/access`, { role: 'owner', departments: a.departmentB });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Choose one of the options given for “Role”.');
    const garbage = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/access`, { role: 'agent', departments: 'not-a-uuid' });
    expect(garbage.statusCode).toBe(422);

    // Town B has one active administrator: they cannot step down.
    const self = `/fr/staff/admin/staff/${b.admin.id}`;
    const demote = await postForm(t.app, b.host, b.admin.cookie, self, `${self}/access`, { role: 'manager' });
    expect(demote.statusCode).toBe(422);
    expect(demote.body).toContain('dernier compte actif de l’administration');
    const row = await t.db.withTenant(b.tenant.id, (trx) => trx.selectFrom('staff_users').select('role').where('id', '=', b.admin.id).executeTakeFirstOrThrow());
    expect(row.role).toBe('admin');
  });
});

describe('disabling an account', () => {
  it('ends the person’s sessions, audits, emails them, and can be undone', async () => {
    const person = await addPerson(t, a, 'agent', 'Denis Départ');
    expect((await get(a, '/fr/staff', person.cookie)).statusCode).toBe(200);
    const page = `/en/staff/admin/staff/${person.id}`;
    const res = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/status`, { to: 'off' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page}?done=disabled`);
    // Their session no longer works.
    const after = await get(a, '/fr/staff', person.cookie);
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toMatch(/\/fr\/staff\/sign-in/);
    const shown = await get(a, res.headers.location!, a.admin.cookie);
    expect(shown.body).toContain('>Disabled</strong>');
    expect(shown.body).toContain('Turn the account back on');
    const [mail] = await outbox(a, person.email);
    expect(mail).toMatchObject({ locale: 'fr', subject: 'Votre compte a été désactivé – Ville de Alma' });
    expect((await auditOf(a, 'staff.disabled')).at(-1)).toMatchObject({ actor_id: a.admin.id, subject_id: person.id });

    expect((await auditOf(a, 'staff.disabled')).at(-1)?.details).toEqual({ sessionsEnded: 1 });
    const left = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('sessions').select('id').where('staff_id', '=', person.id).execute());
    expect(left).toEqual([]);

    const back = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/status`, { to: 'on' });
    expect(back.headers.location).toBe(`${page}?done=enabled`);
    // Turning the account back on does not bring the old session back.
    expect((await get(a, '/fr/staff', person.cookie)).statusCode).toBe(303);
    const mails = await outbox(a, person.email);
    expect(mails[1]?.subject).toBe('Votre compte a été réactivé – Ville de Alma');
    expect((await auditOf(a, 'staff.enabled')).at(-1)?.subject_id).toBe(person.id);
    // A fresh session works again.
    expect((await get(a, '/fr/staff', await sessionCookie(t, a.tenant.id, person.id))).statusCode).toBe(200);
  });

  it('never disables the last active administrator, but a second one may disable the first', async () => {
    const self = `/fr/staff/admin/staff/${b.admin.id}`;
    const refused = await postForm(t.app, b.host, b.admin.cookie, self, `${self}/status`, { to: 'off' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('il ne peut pas être désactivé');
    expect(refused.body).toContain('href="#status"');

    const second = await addPerson(t, b, 'admin', 'Second Admin');
    const other = `/en/staff/admin/staff/${second.id}`;
    const ok = await postForm(t.app, b.host, b.admin.cookie, other, `${other}/status`, { to: 'off' });
    expect(ok.headers.location).toBe(`${other}?done=disabled`);
    // Back to one active administrator: they still cannot leave.
    const again = await postForm(t.app, b.host, b.admin.cookie, self, `${self}/status`, { to: 'off' });
    expect(again.statusCode).toBe(422);
  });

  it('refuses a forged CSRF token and an unknown direction', async () => {
    const page = `/en/staff/admin/staff/${a.agentA.id}`;
    const forged = await t.app.inject({
      method: 'POST',
      url: `${page}/status`,
      headers: { host: a.host, cookie: a.admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'to=off&_csrf=forged',
    });
    expect(forged.statusCode).toBe(403);
    const weird = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/status`, { to: 'maybe' });
    expect(weird.statusCode).toBe(400);
  });
});

describe('resetting a colleague’s two-step verification', () => {
  it('removes it, ends their sessions, audits and emails them; they set it up again at the next sign-in', async () => {
    const person = await addPerson(t, a, 'admin', 'Rémi Téléphone');
    expect((await get(a, '/fr/staff', person.cookie)).statusCode).toBe(200);
    const page = `/fr/staff/admin/staff/${person.id}`;
    const before = await get(a, page, a.admin.cookie);
    expect(before.body).toContain('La vérification en deux étapes est configurée sur ce compte.');
    const res = await postForm(t.app, a.host, a.admin.cookie, page, `${page}/mfa-reset`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page}?done=mfaReset`);
    const shown = await get(a, res.headers.location!, a.admin.cookie);
    expect(shown.body).toContain('La vérification en deux étapes a été réinitialisée');
    expect(shown.body).toContain('La vérification en deux étapes n’est pas configurée sur ce compte.');
    // Their session ended; an administrator without two-step verification has no usable session until it is set up again.
    expect((await get(a, '/fr/staff', person.cookie)).statusCode).toBe(303);
    expect((await get(a, '/fr/staff', await sessionCookie(t, a.tenant.id, person.id))).statusCode).toBe(303);
    const left = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_mfa').select('staff_id').where('staff_id', '=', person.id).execute());
    expect(left).toEqual([]);
    const mails = await outbox(a, person.email);
    expect(mails.at(-1)).toMatchObject({ locale: 'fr', subject: 'Votre vérification en deux étapes a été réinitialisée – Ville de Alma' });
    expect((await auditOf(a, 'staff.mfaReset')).at(-1)).toMatchObject({ actor_id: a.admin.id, subject_id: person.id, details: { sessionsEnded: 1 } });
    // Nothing left to reset: unchanged, no second email.
    const again = await postForm(t.app, a.host, a.admin.cookie, `/en/staff/admin/staff/${person.id}`, `/en/staff/admin/staff/${person.id}/mfa-reset`, {});
    expect(again.headers.location).toBe(`/en/staff/admin/staff/${person.id}?done=unchanged`);
    expect(await outbox(a, person.email)).toHaveLength(mails.length);
  });

  it('sends an administrator to their own page for their own, and refuses other roles and towns', async () => {
    const self = `/en/staff/admin/staff/${a.admin.id}`;
    const own = await postForm(t.app, a.host, a.admin.cookie, self, `${self}/mfa-reset`, {});
    expect(own.statusCode).toBe(422);
    expect(own.body).toContain('use your own two-step verification page');
    expect(own.body).toContain('href="#mfa"');
    const target = `/fr/staff/admin/staff/${a.agentA.id}`;
    const { token, cookie } = formSession(await get(a, '/fr/staff', a.manager.cookie));
    const byManager = await t.app.inject({
      method: 'POST',
      url: `${target}/mfa-reset`,
      headers: { host: a.host, cookie: `${a.manager.cookie}; ${cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(token)}`,
    });
    expect(byManager.statusCode).toBe(403);
    const otherTown = await postForm(t.app, b.host, b.admin.cookie, `/fr/staff/admin/staff/${b.agentA.id}`, `/fr/staff/admin/staff/${a.admin.id}/mfa-reset`, {});
    expect(otherTown.statusCode).toBe(404);
    const still = await t.db.withTenant(a.tenant.id, (trx) => trx.selectFrom('staff_mfa').select('staff_id').where('staff_id', '=', a.admin.id).execute());
    expect(still).toHaveLength(1);
  });
});

describe('other towns', () => {
  it('never shows or changes another town’s staff, whatever the id', async () => {
    const foreign = `/fr/staff/admin/staff/${b.agentA.id}`;
    expect((await get(a, foreign, a.admin.cookie)).statusCode).toBe(404);
    const page = `/fr/staff/admin/staff/${a.agentA.id}`;
    for (const [action, fields] of [
      ['access', { role: 'admin' }],
      ['status', { to: 'off' }],
      ['invitation', {}],
    ] as const) {
      const res = await postForm(t.app, a.host, a.admin.cookie, page, `/fr/staff/admin/staff/${b.agentA.id}/${action}`, fields);
      expect(`${action}: ${res.statusCode}`).toBe(`${action}: 404`);
    }
    const row = await t.db.withTenant(b.tenant.id, (trx) => trx.selectFrom('staff_users').select(['role', 'disabled_at']).where('id', '=', b.agentA.id).executeTakeFirstOrThrow());
    expect(row).toEqual({ role: 'agent', disabled_at: null });
    // A session from town A means nothing on town B's host.
    const cross = await get(b, '/fr/staff/admin/staff', a.admin.cookie);
    expect(cross.statusCode).toBe(303);
    expect(cross.headers.location).toMatch(/sign-in/);
    expect((await get(a, '/fr/staff/admin/staff/not-a-uuid', a.admin.cookie)).statusCode).toBe(400);
    expect((await get(a, '/fr/staff/admin/staff/00000000-0000-4000-8000-000000000000', a.admin.cookie)).statusCode).toBe(404);
  });
});
