/**
 * Builds the real app on a real database for one test file: a fresh PGlite copy, or the run's
 * PostgreSQL database (each test file then makes its own towns, so files never see each other's data).
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { fromPglite, fromPostgresUrl, type Database } from '../src/db/database.ts';
import { openPgliteMemory } from '../src/db/pglite.ts';
import { createTenant, type Tenant } from '../src/modules/tenants/service.ts';

export async function openTestDatabase(): Promise<Database> {
  const url = inject('databaseUrl');
  if (url) return fromPostgresUrl(url, 5);
  const dump = inject('pgliteDump');
  if (!dump) throw new Error('the test global setup did not run');
  const pglite = await openPgliteMemory(new Blob([fs.readFileSync(dump)]));
  return fromPglite(pglite, () => pglite.close());
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JOBS: 'false', SEED_DEMO: 'false', ...overrides });
}

export interface TestTown {
  tenant: Tenant;
  host: string;
}

/** A new town with its own host name, unique across the run. */
export async function createTestTown(db: Database, name = 'Test'): Promise<TestTown> {
  const slug = `t-${crypto.randomBytes(5).toString('hex')}`;
  const host = `${slug}.guichet.test`;
  const tenant = await createTenant(db, {
    slug,
    name: { fr: `Ville de ${name}`, en: `Town of ${name}` },
    hosts: [host],
    contactEmail: `greffe@${host}`,
  });
  return { tenant, host };
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  const config = testConfig(overrides);
  const app = await buildApp({ config, db });
  await app.ready();
  return {
    app,
    db,
    config,
    async close() {
      await app.close();
      await db.close();
    },
  };
}

/** Pulls the CSRF token and cookie out of a page so a test can post its form like a browser. */
export function formSession(res: { body: string; cookies: Array<{ name: string; value: string }> }) {
  const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
  if (!token) throw new Error('no CSRF token on the page');
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { token, cookie };
}
