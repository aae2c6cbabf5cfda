/**
 * An administrator creates a department, invites an agent into it (fixing a mistake in the form
 * first), reads the invitation in the development mailbox; the agent opens the link, chooses a
 * password, signs in with the keyboard; the administrator disables the account and the agent is
 * out at once. Then the audit trail shows it all. Both languages, axe on every page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPerson, type TestPerson } from '../src/modules/admin/testing.ts';
import { journey, startE2E, type E2E, type Visitor } from './harness.ts';

let e2e: E2E;
let admin: TestPerson;

beforeAll(async () => {
  // Every request comes from 127.0.0.1: lift the tight per-address limit on form posts for this run.
  e2e = await startE2E({ townName: 'Saint-Ours', config: { RATE_LIMIT_SENSITIVE_PER_MINUTE: '1000' } });
  // The administrator's own sign-in (password and two-step code) has its own journeys: here the
  // browser starts with the session they would have (testing.ts sets up their two-step verification).
  admin = await addPerson(e2e.t, e2e.town, 'admin', 'Odile Ouellet');
});
afterAll(() => e2e?.close());

const TEXT = {
  fr: {
    staffTitle: 'Personnel',
    departments: 'Services',
    departmentsTitle: 'Services',
    nameFr: 'Nom en français',
    nameEn: 'Nom en anglais',
    createDepartment: 'Créer le service',
    department: { fr: 'Travaux publics', en: 'Public Works' },
    departmentCreated: 'Le service a été créé.',
    invite: 'Inviter un membre du personnel',
    name: 'Nom complet',
    email: 'Adresse courriel au travail',
    language: 'Langue des courriels',
    agentRole: /^Agent/,
    send: 'Envoyer l’invitation',
    summary: 'Il y a un problème',
    invited: 'L’invitation est envoyée.',
    invitedTag: 'Invité',
    mail: 'Courriels envoyés',
    subject: 'Invitation à l’espace du personnel',
    acceptTitle: 'Rejoindre l’espace du personnel',
    password: 'Nouveau mot de passe',
    confirm: 'Inscrivez de nouveau le mot de passe',
    save: 'Enregistrer mon mot de passe',
    tooShort: 'au moins 12 caractères',
    doneTitle: 'Votre mot de passe est enregistré',
    goSignIn: 'Aller à la connexion du personnel',
    signInTitle: 'Connexion du personnel',
    signInEmail: 'Adresse courriel',
    signInPassword: 'Mot de passe',
    dashboard: 'Espace du personnel',
    disable: 'Désactiver le compte',
    disabled: 'Le compte est désactivé',
    disabledTag: 'Désactivé',
    refused: 'Ce compte est désactivé.',
    usedTitle: 'Invitation déjà utilisée',
    audit: 'Journal d’audit',
    auditEvents: ['Membre du personnel invité', 'Invitation acceptée', 'Compte désactivé', 'Service créé'],
  },
  en: {
    staffTitle: 'Staff',
    departments: 'Departments',
    departmentsTitle: 'Departments',
    nameFr: 'Name in French',
    nameEn: 'Name in English',
    createDepartment: 'Create the department',
    department: { fr: 'Loisirs', en: 'Recreation' },
    departmentCreated: 'The department was created.',
    invite: 'Invite a staff member',
    name: 'Full name',
    email: 'Work email address',
    language: 'Language of emails',
    agentRole: /^Agent/,
    send: 'Send the invitation',
    summary: 'There is a problem',
    invited: 'The invitation is on its way.',
    invitedTag: 'Invited',
    mail: 'Sent mail',
    subject: 'Invitation to the staff area',
    acceptTitle: 'Join the staff area',
    password: 'New password',
    confirm: 'Type the password again',
    save: 'Save my password',
    tooShort: 'at least 12 characters',
    doneTitle: 'Your password is saved',
    goSignIn: 'Go to the staff sign-in',
    signInTitle: 'Staff sign-in',
    signInEmail: 'Email address',
    signInPassword: 'Password',
    dashboard: 'Staff area',
    disable: 'Disable the account',
    disabled: 'The account is disabled',
    disabledTag: 'Disabled',
    refused: 'This account is disabled.',
    usedTitle: 'Invitation already used',
    audit: 'Audit trail',
    auditEvents: ['Staff member invited', 'Invitation accepted', 'Account disabled', 'Department created'],
  },
} as const;

/** Types into the focused field and moves on with Tab, as a keyboard user does. */
async function typeAndTab(v: Visitor, text: string): Promise<void> {
  await v.page.keyboard.type(text);
  await v.page.keyboard.press('Tab');
}

describe.each(['fr', 'en'] as const)('in %s', (lang) => {
  const text = TEXT[lang];

  it('an administrator invites an agent, who joins from the email link and is then disabled', async () => {
    await journey(e2e, `admin-${lang}`, async (open) => {
      const agentEmail = `agent.${lang}@saint-ours.test`;
      const agentName = lang === 'fr' ? 'Éloïse Bérubé' : 'Ethan Brown';
      const agentPassword = lang === 'fr' ? 'le fleuve est large ce matin' : 'the river runs wide this morning';

      const boss = await open({ name: 'admin' });
      const { page } = boss;
      const [name, value] = admin.cookie.split('=') as [string, string];
      await page.context().addCookies([{ name, value, domain: e2e.town.host, path: '/', httpOnly: true, sameSite: 'Lax' }]);

      // The administration opens on the staff list.
      await boss.goto(`/${lang}/staff/admin`);
      expect(new URL(page.url()).pathname).toBe(`/${lang}/staff/admin/staff`);
      expect(await page.locator('h1').innerText()).toBe(text.staffTitle);

      // A department first.
      await boss.click(page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: text.departments }));
      expect(await page.locator('h1').innerText()).toBe(text.departmentsTitle);
      await page.getByLabel(text.nameFr).fill(text.department.fr);
      await page.getByLabel(text.nameEn).fill(text.department.en);
      await boss.click(page.getByRole('button', { name: text.createDepartment }));
      expect(await page.locator('.banner').innerText()).toContain(text.departmentCreated);

      // The invitation: sent empty first, then filled in.
      await boss.click(page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: text.staffTitle }));
      await boss.click(page.getByRole('link', { name: text.invite }));
      expect(await page.locator('h1').innerText()).toBe(text.invite);
      const invalid = await boss.click(page.getByRole('button', { name: text.send }));
      expect(invalid?.status()).toBe(422);
      expect(await page.locator('.error-summary h2').innerText()).toBe(text.summary);
      expect(await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#name', '#email', '#departments']);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
      await page.getByLabel(text.name).fill(agentName);
      await page.getByLabel(text.email).fill(agentEmail);
      await page.getByLabel(text.language).selectOption(lang);
      await page.getByRole('radio', { name: text.agentRole }).check();
      await page.getByRole('checkbox', { name: text.department[lang] }).check();
      await boss.click(page.getByRole('button', { name: text.send }));
      expect(new URL(page.url()).pathname).toMatch(new RegExp(`^/${lang}/staff/admin/staff/[0-9a-f-]{36}$`));
      expect(await page.locator('.banner').innerText()).toContain(text.invited);
      expect(await page.locator('dl.summary .tag').innerText()).toBe(text.invitedTag);
      const accountUrl = new URL(page.url()).pathname;

      // The invitation, read in the development mailbox.
      await boss.goto(`/${lang}/staff/mail`);
      expect(await page.locator('h1').innerText()).toBe(text.mail);
      const row = page.locator('tr', { hasText: agentEmail });
      await boss.click(row.getByRole('link', { name: new RegExp(text.subject) }));
      const mailText = await page.locator('pre.mail').innerText();
      const link = /https?:\/\/\S+\/staff\/invitation\?token=[A-Za-z0-9_-]{43}/.exec(mailText)?.[0];
      expect(link).toBeDefined();
      const invitation = new URL(link!);
      expect(invitation.pathname).toBe(`/${lang}/staff/invitation`);

      // The agent opens the link, chooses a password (too short first), then signs in with the keyboard.
      const agent = await open({ name: 'agent' });
      const ap = agent.page;
      await agent.goto(`${invitation.pathname}${invitation.search}`);
      expect(await ap.locator('h1').innerText()).toBe(text.acceptTitle);
      await ap.getByLabel(text.password).fill('court');
      await ap.getByLabel(text.confirm).fill('court');
      const short = await agent.click(ap.getByRole('button', { name: text.save }));
      expect(short?.status()).toBe(422);
      expect(await ap.locator('.error-summary').innerText()).toContain(text.tooShort);
      await ap.getByLabel(text.password).fill(agentPassword);
      await ap.getByLabel(text.confirm).fill(agentPassword);
      await agent.click(ap.getByRole('button', { name: text.save }));
      expect(await ap.locator('h1').innerText()).toBe(text.doneTitle);
      await agent.click(ap.getByRole('link', { name: text.goSignIn }));
      expect(await ap.locator('h1').innerText()).toBe(text.signInTitle);
      await ap.getByLabel(text.signInEmail).focus();
      await typeAndTab(agent, agentEmail);
      await typeAndTab(agent, agentPassword);
      await agent.navigate(() => ap.keyboard.press('Enter'));
      expect(new URL(ap.url()).pathname).toBe(`/${lang}/staff`);
      expect(await ap.locator('h1').innerText()).toBe(text.dashboard);

      // The link works once.
      const again = await open({ name: 'again' });
      const used = await again.goto(`${invitation.pathname}${invitation.search}`);
      expect(used.status()).toBe(410);
      expect(await again.page.locator('h1').innerText()).toBe(text.usedTitle);

      // The administrator disables the account; the agent is out at once and cannot sign back in.
      await boss.goto(accountUrl);
      await boss.click(page.getByRole('button', { name: text.disable }));
      expect(await page.locator('.banner').innerText()).toContain(text.disabled);
      expect(await page.locator('dl.summary .tag').innerText()).toBe(text.disabledTag);
      await agent.goto(`/${lang}/staff`);
      expect(new URL(ap.url()).pathname).toBe(`/${lang}/staff/sign-in`);
      await ap.getByLabel(text.signInEmail).fill(agentEmail);
      await ap.getByLabel(text.signInPassword).fill(agentPassword);
      const refused = await agent.click(ap.getByRole('button', { name: text.signInTitle === 'Staff sign-in' ? 'Sign in' : 'Se connecter' }));
      expect(refused?.status()).toBe(403);
      expect(await ap.locator('.error-summary').innerText()).toContain(text.refused);

      // The audit trail tells the story.
      await boss.click(page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: text.audit }));
      const trail = await page.locator('main table').innerText();
      for (const event of text.auditEvents) expect(trail).toContain(event);
    });
  });
});
