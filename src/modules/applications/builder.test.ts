/**
 * The form builder through the real app: an administrator creates a service, adds pages and
 * questions with a condition, sets a fee, previews and publishes, in both languages; wrong input
 * answered at the field; agents and another town's administrator kept out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp } from '../../../test/harness.ts';
import { adminTown, postForm, type AdminTown } from '../admin/testing.ts';
import { serviceForBuilder } from './builder.ts';
import { adminCaller } from './testing.ts';

let t: TestApp;
let town: AdminTown;
let other: AdminTown;

beforeAll(async () => {
  t = await createTestApp();
  town = await adminTown(t, await createTestTown(t.db, 'Coaticook'));
  other = await adminTown(t, await createTestTown(t.db, 'Ailleurs'));
});
afterAll(() => t.close());

const get = (url: string, cookie: string, host = town.host) => t.app.inject({ url, headers: { host, cookie } });
const post = (page: string, action: string, fields: Record<string, string | string[]>, cookie = town.admin.cookie) => postForm(t.app, town.host, cookie, page, action, fields);

describe('the builder', () => {
  it('builds, previews and publishes a form with a condition (French), refusing wrong input at the field', async () => {
    const list = '/fr/staff/services';
    expect((await get(list, town.admin.cookie)).statusCode).toBe(200);
    const badSlug = await post(list, list, { name_fr: 'Licence de chien', name_en: 'Dog licence', slug: 'Pas Bon', kind: 'licence', target_days: '10' });
    expect(badSlug.statusCode).toBe(422);
    expect(badSlug.body).toContain('Utilisez des lettres minuscules, des chiffres et des traits d’union');
    const fields = { name_fr: 'Licence de chien', name_en: 'Dog licence', summary_fr: 'Pour votre chien.', summary_en: 'For your dog.', slug: 'licence-chien', kind: 'licence', target_days: '10', department: town.departmentB, _idem: 'k'.repeat(24) };
    const created = await post(list, list, fields);
    expect(created.statusCode).toBe(303);
    // The same form sent again (double click) finds the same service.
    const again = await post(list, list, fields);
    expect(again.headers.location).toBe(created.headers.location);
    const id = /\/staff\/services\/([0-9a-f-]{36})/.exec(String(created.headers.location))![1]!;
    const page = `/fr/staff/services/${id}`;
    expect((await get(page, town.admin.cookie)).body).toContain('Licence de chien');

    const noLabel = await post(page, `${page}/questions`, { new_page: 'page_1', new_kind: 'yesno', new_code: 'dangerous', new_label_fr: '', new_label_en: 'Dangerous?' });
    expect(noLabel.statusCode).toBe(422);
    expect(noLabel.body).toContain('Remplissez ce champ');
    const q1 = await post(page, `${page}/questions`, { new_page: 'page_1', new_kind: 'yesno', new_code: 'dangerous', new_label_fr: 'Le chien est-il dangereux?', new_label_en: 'Is the dog dangerous?' });
    expect(q1.headers.location).toBe(`${page}/questions/dangerous`);
    const dup = await post(page, `${page}/questions`, { new_page: 'page_1', new_kind: 'text', new_code: 'dangerous', new_label_fr: 'Autre', new_label_en: 'Other' });
    expect(dup.body).toContain('Ce code est déjà utilisé');
    expect((await post(page, `${page}/pages`, { page_code: 'details', page_title_fr: 'Détails', page_title_en: 'Details' })).statusCode).toBe(303);
    await post(page, `${page}/questions`, { new_page: 'details', new_kind: 'file', new_code: 'muzzle_proof', new_label_fr: 'Preuve de muselière', new_label_en: 'Proof of muzzle' });
    await post(page, `${page}/questions`, { new_page: 'details', new_kind: 'number', new_code: 'dogs', new_label_fr: 'Nombre de chiens', new_label_en: 'Number of dogs' });

    // A condition on a later question, and a wrong value for a yes/no question, are refused.
    const edit = `${page}/questions/muzzle_proof`;
    const base = { label_fr: 'Preuve de muselière', label_en: 'Proof of muzzle', required: 'yes', accept: ['pdf', 'jpeg'], max_kb: '500', max_files: '1' };
    const wrongValue = await post(edit, edit, { ...base, cond_question: 'dangerous', cond_op: 'equals', cond_value: 'peut-être' });
    expect(wrongValue.statusCode).toBe(422);
    expect(wrongValue.body).toContain('Donnez yes ou no');
    const later = await post(edit, edit, { ...base, cond_question: 'dogs', cond_op: 'gt', cond_value: '1' });
    expect(later.body).toContain('Choisissez une question qui précède celle-ci');
    expect((await post(edit, edit, { ...base, cond_question: 'dangerous', cond_op: 'equals', cond_value: 'yes' })).statusCode).toBe(303);
    const dogs = `${page}/questions/dogs`;
    expect((await post(dogs, dogs, { label_fr: 'Nombre de chiens', label_en: 'Number of dogs', required: 'yes', min: '5', max: '1' })).body).toContain('Le plus petit ne doit pas dépasser le plus grand');
    expect((await post(dogs, dogs, { label_fr: 'Nombre de chiens', label_en: 'Number of dogs', required: 'yes', min: '1', max: '3', integer: 'yes' })).statusCode).toBe(303);
    // Moving "dogs" above the file question keeps the condition valid (it reads page 1).
    expect((await post(page, `${dogs}/move`, { dir: 'up' })).statusCode).toBe(303);

    const badFee = await post(page, `${page}/fee`, { fee_kind: 'perUnit', fee_question: 'dangerous', fee_per_unit: 'dix' });
    expect(badFee.statusCode).toBe(422);
    expect(badFee.body).toContain('Choisissez une question numérique');
    expect((await post(page, `${page}/fee`, { fee_kind: 'perUnit', fee_question: 'dogs', fee_base: '0', fee_per_unit: '25', fee_min: '', fee_max: '60' })).statusCode).toBe(303);
    expect((await post(page, `${page}/documents`, { documents: 'Preuve de vaccination | Proof of vaccination', steps: 'check | Vérification | Check', form_target_days: '7' })).statusCode).toBe(303);

    const preview = await get(`${page}/preview/details`, town.admin.cookie);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Preuve de muselière');
    expect(preview.body).toContain('Répondez seulement si');
    expect(preview.body).not.toContain('name="_idem"');

    const published = await post(page, `${page}/publish`, {});
    expect(published.headers.location).toBe(`${page}?done=published`);
    const b = await serviceForBuilder(await adminCaller(t.db, town.tenant), id);
    expect(b.published?.version).toBe(1);
    expect(b.published?.definition.fee).toEqual({ kind: 'perUnit', question: 'dogs', baseCents: 0, centsPerUnit: 2500, minCents: null, maxCents: 6000 });
    expect(b.published?.definition.pages[1]!.questions.map((q) => q.code)).toEqual(['dogs', 'muzzle_proof']);
    const resident = await t.app.inject({ url: '/en/applications/services/licence-chien', headers: { host: town.host } });
    expect(resident.body).toContain('Dog licence');
    expect(resident.body).toContain('Proof of vaccination');
  });

  it('speaks English too, and refuses publishing an empty form', async () => {
    const list = '/en/staff/services';
    const created = await post(list, list, { name_fr: 'Vide', name_en: 'Empty', slug: 'empty-form', kind: 'program', target_days: '30' });
    const page = String(created.headers.location).split('?')[0]!;
    const refused = await post(page, `${page}/publish`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Add at least one question before publishing');
    const taken = await post(list, list, { name_fr: 'Vide', name_en: 'Empty', slug: 'empty-form', kind: 'program', target_days: '30' });
    expect(taken.body).toContain('Another service already uses this web address');
  });

  it('is for administrators of the town only', async () => {
    expect((await get('/fr/staff/services', town.agentA.cookie)).statusCode).toBe(403);
    expect((await get('/fr/staff/services', town.manager.cookie)).statusCode).toBe(403);
    const created = await post('/fr/staff/services', '/fr/staff/services', { name_fr: 'A', name_en: 'A', slug: 'a-service', kind: 'permit', target_days: '5' });
    const page = String(created.headers.location).split('?')[0]!;
    // Another town's administrator: the id means nothing in their town.
    expect((await get(page, other.admin.cookie, other.host)).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/fr/staff/services', headers: { host: town.host } })).statusCode).toBe(303);
  });
});
