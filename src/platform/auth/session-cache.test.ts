/**
 * The short cache of live sessions (session-cache.ts): what it keeps, for how long, and that every
 * change made through the application reaches the next request at once. Through HTTP with real
 * sessions, and the cache's rules on their own.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, createTestTown, type TestApp, type TestTown } from '../../../test/harness.ts';
import { browser, signInResident, submit, visit } from '../../modules/residents/testing.ts';
import { cachedSession, forgetSessions, rememberSession, sessionCacheGeneration, setSessionCacheSeconds } from './session-cache.ts';

let t: TestApp;
let a: TestTown;
beforeAll(async () => {
  t = await createTestApp();
  a = await createTestTown(t.db, 'Amos');
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  setSessionCacheSeconds(5);
});

let counter = 0;
const uniqueEmail = (label: string) => `cache-${label}-${++counter}-${crypto.randomBytes(3).toString('hex')}@example.ca`;
const hash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
/** Removes the session row the way another process (or an administrator's SQL) would: not through this process. */
const deleteBehindTheBack = (token: string) =>
  t.db.withTenant(a.tenant.id, (trx) => trx.deleteFrom('sessions').where('tenant_id', '=', a.tenant.id).where('token_hash', '=', hash(token)).execute());

describe('session cache over HTTP', () => {
  // On PostgreSQL other test files' processes announce their changes on the same database, which
  // drops this cache at any moment: the window is only deterministic on the embedded database.
  it.skipIf(!!process.env.DATABASE_URL)('reuses a session looked up seconds ago, until the cache is dropped', async () => {
    const br = await signInResident(t.app, t.db, a, uniqueEmail('reuse'));
    const token = br.cookies.get('guichet-session')!;
    expect((await visit(t.app, br, '/fr/account')).statusCode).toBe(200);
    // Another process ended the session: this one still knows it for at most SESSION_CACHE_SECONDS.
    await deleteBehindTheBack(token);
    expect((await visit(t.app, br, '/fr/account')).statusCode).toBe(200);
    forgetSessions();
    expect((await visit(t.app, br, '/fr/account')).statusCode).toBe(303);
  });

  it('looks the session up on every request when SESSION_CACHE_SECONDS is 0', async () => {
    setSessionCacheSeconds(0);
    const br = await signInResident(t.app, t.db, a, uniqueEmail('off'));
    expect((await visit(t.app, br, '/en/account')).statusCode).toBe(200);
    await deleteBehindTheBack(br.cookies.get('guichet-session')!);
    expect((await visit(t.app, br, '/en/account')).statusCode).toBe(303);
  });

  it('refuses a signed-out session at once, even one it had just seen', async () => {
    const br = await signInResident(t.app, t.db, a, uniqueEmail('out'), 'en');
    const token = br.cookies.get('guichet-session')!;
    const page = await visit(t.app, br, '/en/account');
    expect(page.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    expect((await visit(t.app, br, '/en/account/sign-out', { _csrf: csrf })).statusCode).toBe(303);
    const replay = browser(a.host);
    replay.cookies.set('guichet-session', token);
    expect((await visit(t.app, replay, '/en/account')).statusCode).toBe(303);
  });

  it('shows a new name or language on the very next page', async () => {
    const email = uniqueEmail('name');
    const br = await signInResident(t.app, t.db, a, email, 'fr');
    expect((await visit(t.app, br, '/fr/account')).statusCode).toBe(200);
    expect((await submit(t.app, br, '/fr/account/profile', { name: 'Gisèle Caron', email, locale: 'en' })).statusCode).toBe(303);
    const after = await visit(t.app, br, '/fr/account');
    expect(after.body).toContain('Gisèle Caron');
  });

  it('ends another session of the same person at once from "your sessions"', async () => {
    const email = uniqueEmail('two');
    const phone = await signInResident(t.app, t.db, a, email, 'fr');
    const laptop = await signInResident(t.app, t.db, a, email, 'fr');
    expect((await visit(t.app, phone, '/fr/account')).statusCode).toBe(200);
    const list = await visit(t.app, laptop, '/fr/account/sessions');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(list.body)![1]!;
    const others = await visit(t.app, laptop, '/fr/account/sessions/end-others', { _csrf: csrf });
    expect(others.statusCode).toBe(303);
    expect((await visit(t.app, phone, '/fr/account')).statusCode).toBe(303);
    expect((await visit(t.app, laptop, '/fr/account')).statusCode).toBe(200);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('session cache with several processes (PostgreSQL)', () => {
  /** Polls `check` for up to `ms` (by default 2 s: well inside the 5 s an entry lives, so waiting never passes for the announcement). */
  const until = async (check: () => Promise<boolean>, ms = 2_000) => {
    for (let i = 0; i < ms / 50; i++) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };
  /** What another process does when a resident signs out: the row goes, the change is announced. */
  async function signOutElsewhere(token: string, announce: boolean) {
    const other = new pg.Client({ connectionString: inject('databaseUrl')! });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`select set_config('role', 'guichet_app', true), set_config('app.tenant_id', $1, true)`, [a.tenant.id]);
      await other.query('delete from sessions where token_hash = $1', [hash(token)]);
      if (announce) await other.query(`select pg_notify('guichet_principals', '')`);
      await other.query('commit');
    } finally {
      await other.end();
    }
  }

  it('drops the session another process ended as soon as it is announced', async () => {
    const br = await signInResident(t.app, t.db, a, uniqueEmail('elsewhere'));
    expect((await visit(t.app, br, '/fr/account')).statusCode).toBe(200);
    await signOutElsewhere(br.cookies.get('guichet-session')!, true);
    expect(await until(async () => (await visit(t.app, br, '/fr/account')).statusCode === 303)).toBe(true);
  });

  it('announces its own changes to the other processes, at commit', async () => {
    const listener = new pg.Client({ connectionString: inject('databaseUrl')! });
    await listener.connect();
    try {
      let heard = 0;
      listener.on('notification', (n) => {
        // Other test files share the database: only this town's announcements count.
        if (n.channel === 'guichet_principals' && n.payload === a.tenant.id) heard += 1;
      });
      await listener.query('listen guichet_principals');
      const br = await signInResident(t.app, t.db, a, uniqueEmail('announce'), 'en');
      const page = await visit(t.app, br, '/en/account');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const before = heard;
      expect((await visit(t.app, br, '/en/account/sign-out', { _csrf: csrf })).statusCode).toBe(303);
      expect(await until(async () => heard > before)).toBe(true);
    } finally {
      await listener.end();
    }
  });

  it('uses no cache while it cannot hear the other processes', async () => {
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const ended = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1`, [`guichet-listen-${process.pid}`]);
      expect(ended.rowCount).toBeGreaterThanOrEqual(1);
      const br = await signInResident(t.app, t.db, a, uniqueEmail('deaf'));
      expect((await visit(t.app, br, '/fr/account')).statusCode).toBe(200);
      // Ended elsewhere without a word (or the word was lost with the connection): seen at once.
      await signOutElsewhere(br.cookies.get('guichet-session')!, false);
      expect((await visit(t.app, br, '/fr/account')).statusCode).toBe(303);
      // It listens again after a moment.
      expect(
        await until(async () => (await admin.query(`select 1 from pg_stat_activity where application_name = $1`, [`guichet-listen-${process.pid}`])).rowCount! > 0, 10_000),
      ).toBe(true);
    } finally {
      await admin.end();
    }
  });
});

describe('session cache rules', () => {
  const principal = { resident: { id: 'r1', email: 'r@example.ca', name: null, locale: 'fr' as const } };
  const soon = (ms: number) => new Date(Date.now() + ms);

  it('keeps an entry for SESSION_CACHE_SECONDS, never past the session’s own end', () => {
    setSessionCacheSeconds(5);
    const now = Date.now();
    rememberSession('t1', 'h1', principal, soon(3_600_000), sessionCacheGeneration(), now);
    expect(cachedSession('t1', 'h1', now + 4_900)).toEqual(principal);
    expect(cachedSession('t1', 'h1', now + 5_000)).toBeUndefined();
    rememberSession('t1', 'h2', principal, new Date(now + 1_000), sessionCacheGeneration(), now);
    expect(cachedSession('t1', 'h2', now + 999)).toEqual(principal);
    expect(cachedSession('t1', 'h2', now + 1_000)).toBeUndefined();
    // Another town's key never finds it.
    rememberSession('t1', 'h3', principal, soon(3_600_000), sessionCacheGeneration(), now);
    expect(cachedSession('t2', 'h3', now)).toBeUndefined();
  });

  it('does not keep what a lookup read before a change committed', () => {
    const before = sessionCacheGeneration();
    forgetSessions();
    rememberSession('t1', 'h4', principal, soon(3_600_000), before);
    expect(cachedSession('t1', 'h4')).toBeUndefined();
    rememberSession('t1', 'h4', principal, soon(3_600_000), sessionCacheGeneration());
    expect(cachedSession('t1', 'h4')).toEqual(principal);
  });
});
