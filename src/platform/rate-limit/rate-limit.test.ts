import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import { createTestTown, openTestDatabase, testConfig, type TestTown } from '../../../test/harness.ts';
import type { Database } from '../../db/database.ts';

let db: Database;
let town: TestTown;
const apps: FastifyInstance[] = [];

/** A real app with one extra "sensitive" route, as a module would declare it. */
async function appWith(overrides: Record<string, string>) {
  const config = testConfig(overrides);
  const app = await buildApp({ config, db });
  app.get('/fr/test-sensitive', { config: { rateLimit: { max: config.rateLimit.sensitivePerMinute, timeWindow: 60_000 } } }, async () => 'ok');
  await app.ready();
  apps.push(app);
  return app;
}

beforeAll(async () => {
  db = await openTestDatabase();
  town = await createTestTown(db);
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await db.close();
});

describe('rate limits', () => {
  it('answers 429 with Retry-After and a localized page past the per-minute limit', async () => {
    const app = await appWith({ RATE_LIMIT_PER_MINUTE: '3' });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await app.inject({ url: '/fr/privacy', headers: { host: town.host } })).statusCode);
    expect(codes).toEqual([200, 200, 200]);
    const fr = await app.inject({ url: '/fr/privacy', headers: { host: town.host } });
    expect(fr.statusCode).toBe(429);
    expect(Number(fr.headers['retry-after'])).toBeGreaterThan(0);
    expect(fr.body).toContain('Trop de tentatives');
    const en = await app.inject({ url: '/en/privacy', headers: { host: town.host } });
    expect(en.statusCode).toBe(429);
    expect(en.body).toContain('Too many attempts');
  });

  it('counts the tight limit across processes sharing the database', async () => {
    // Two app instances stand for two server processes; the tight limit is 4 in all, not 4 each.
    const one = await appWith({ RATE_LIMIT_SENSITIVE_PER_MINUTE: '4' });
    const two = await appWith({ RATE_LIMIT_SENSITIVE_PER_MINUTE: '4' });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? one : two;
      codes.push((await app.inject({ url: '/fr/test-sensitive', headers: { host: town.host }, remoteAddress: '203.0.113.9' })).statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
    // Another address has its own count.
    const other = await one.inject({ url: '/fr/test-sensitive', headers: { host: town.host }, remoteAddress: '203.0.113.10' });
    expect(other.statusCode).toBe(200);
  });

  it('stores no address in the clear', async () => {
    const keys = await db.owner.selectFrom('rate_limit_counters').select('key').execute();
    expect(keys.length).toBeGreaterThan(0);
    for (const { key } of keys) expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});
