/**
 * Open311 API keys: the administrators' screen (both languages, the key shown once, a double
 * click makes one key, revoking stops it at once, audited), who may reach it (not agents, managers,
 * residents or another town's administrators), and `guichet api-key create|list|revoke`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp } from '../../../test/harness.ts';
import { runCli } from '../../cli/run.ts';
import { adminTown, postForm, type AdminTown } from '../admin/testing.ts';
import { authenticateApiKey } from './keys.ts';

let t: TestApp;
let town: AdminTown;
let otherTown: AdminTown;

beforeAll(async () => {
  t = await createTestApp();
  town = await adminTown(t, await createTestTown(t.db, 'Clés'));
  otherTown = await adminTown(t, await createTestTown(t.db, 'Ailleurs'));
});
afterAll(async () => {
  await t?.close();
});

const page = (lang: 'fr' | 'en') => `/${lang}/staff/admin/api-keys`;

async function audit(action: string) {
  return t.db.withTenant(town.tenant.id, (trx) =>
    trx.selectFrom('audit_events').select(['actor_id', 'subject_id', 'details']).where('tenant_id', '=', town.tenant.id).where('action', '=', action).execute(),
  );
}

describe('the API keys screen', () => {
  it('creates a key shown once, in both languages; the same form sent twice makes one key', async () => {
    for (const lang of ['fr', 'en'] as const) {
      const res = await postForm(t.app, town.host, town.admin.cookie, page(lang), page(lang), { name: `Appli ${lang}`, _idem: `idem-${lang}-0123456789abcdef` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(lang === 'fr' ? 'Clé créée pour Appli fr' : 'Key created for Appli en');
      const key = /<code id="new-api-key"[^>]*>([^<]+)<\/code>/.exec(res.body)?.[1];
      expect(key).toMatch(/^g311_[A-Za-z0-9_-]{43}$/);
      expect(await authenticateApiKey(t.db, town.tenant.id, key!)).toMatchObject({ name: `Appli ${lang}` });
      // The same form again (double click): no second key, and the key is not shown again.
      const again = await postForm(t.app, town.host, town.admin.cookie, page(lang), page(lang), { name: `Appli ${lang}`, _idem: `idem-${lang}-0123456789abcdef` });
      expect(again.statusCode).toBe(303);
      expect(again.headers.location).toBe(`${page(lang)}?done=already`);
      const list = await t.app.inject({ url: page(lang), headers: { host: town.host, cookie: town.admin.cookie } });
      expect(list.body).not.toContain(key!);
      expect(list.body.split(`Appli ${lang}</td>`).length - 1).toBe(1);
    }
    expect((await audit('apiKey.created')).map((e) => e.actor_id)).toEqual([town.admin.id, town.admin.id]);
  });

  it('says what is wrong with the name (422)', async () => {
    const empty = await postForm(t.app, town.host, town.admin.cookie, page('en'), page('en'), { name: '  ', _idem: 'idem-empty-0123456789abcdef' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('error-summary');
    expect(empty.body).toMatch(/Client name/);
    const long = await postForm(t.app, town.host, town.admin.cookie, page('fr'), page('fr'), { name: 'x'.repeat(121), _idem: 'idem-long-0123456789abcdef' });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('field__error');
  });

  it('revokes a key: it stops working at once, and the change is audited', async () => {
    const created = await postForm(t.app, town.host, town.admin.cookie, page('fr'), page('fr'), { name: 'À révoquer', _idem: 'idem-revoke-0123456789abcdef' });
    const key = /<code id="new-api-key"[^>]*>([^<]+)<\/code>/.exec(created.body)![1]!;
    const id = (await authenticateApiKey(t.db, town.tenant.id, key))!.id;
    const res = await postForm(t.app, town.host, town.admin.cookie, page('fr'), `${page('fr')}/${id}/revoke`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page('fr')}?done=revoked`);
    expect(await authenticateApiKey(t.db, town.tenant.id, key)).toBeNull();
    expect((await audit('apiKey.revoked')).map((e) => e.subject_id)).toEqual([id]);
    const list = await t.app.inject({ url: `${page('en')}?done=revoked`, headers: { host: town.host, cookie: town.admin.cookie } });
    expect(list.body).toContain('The key was revoked');
    expect(list.body).toContain('Revoked on');
  });

  it('is for the town’s administrators only', async () => {
    for (const who of [town.agentA, town.manager]) {
      const res = await t.app.inject({ url: page('fr'), headers: { host: town.host, cookie: who.cookie } });
      expect(res.statusCode).toBe(403);
    }
    const anonymous = await t.app.inject({ url: page('en'), headers: { host: town.host } });
    expect(anonymous.statusCode).toBe(303);
    // Another town's administrator: their session means nothing here.
    const stranger = await t.app.inject({ url: page('en'), headers: { host: town.host, cookie: otherTown.admin.cookie } });
    expect(stranger.statusCode).toBe(303);
    // And their own screen does not list this town's keys.
    const theirs = await t.app.inject({ url: page('en'), headers: { host: otherTown.host, cookie: otherTown.admin.cookie } });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('Appli en');
  });
});

describe('guichet api-key', () => {
  it('creates, lists and revokes keys from the command line', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-keys-'));
    const env: Record<string, string | undefined> = { NODE_ENV: 'test', LOG_LEVEL: 'silent', GUICHET_DATA_DIR: dataDir, SEED_DEMO: 'false', JOBS: 'false' };
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    try {
      expect((await run('tenant', 'create', '--slug', 'cles', '--name-fr', 'Ville de Clés', '--name-en', 'Town of Keys', '--host', 'cles.test')).code).toBe(0);
      expect((await run('api-key', '--help')).out).toContain('guichet api-key create');
      expect((await run('api-key', 'create', '--tenant', 'cles')).code).toBe(2);
      const created = await run('api-key', 'create', '--tenant', 'cles', '--name', 'Appli régionale');
      expect(created.code).toBe(0);
      const key = /(g311_[A-Za-z0-9_-]{43})/.exec(created.out)![1]!;
      const id = /API key ([0-9a-f-]{36})/.exec(created.out)![1]!;
      const listed = await run('api-key', 'list', '--tenant', 'cles');
      expect(listed.out).toContain(`${id}  ${key.slice(0, 11)}…  Appli régionale`);
      expect(listed.out).toContain('active');
      expect(listed.out).not.toContain(key);
      expect((await run('api-key', 'revoke', '--tenant', 'cles', '--id', id)).code).toBe(0);
      // (Each run opens the embedded database, so the runs are few: the revocation itself is checked on the screen's test above.)
      expect((await run('api-key', 'rotate')).code).toBe(2);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
