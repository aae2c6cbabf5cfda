/**
 * The short cache of live sessions (session-cache.ts): what it keeps, for how long, and that every
 * change made through the application reaches the next request at once. Through HTTP with real
 * sessions, and the cache's rules on their own.
 */
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  it('reuses a session looked up seconds ago, until the cache is dropped', async () => {
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
