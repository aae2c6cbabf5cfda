/**
 * guichet sso set | show | remove, on the run's database (PostgreSQL when DATABASE_URL is set, else
 * an embedded database in a temporary folder), against a real provider for the discovery check.
 * One run spawns the real command to read the secret from standard input.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ssoCommand } from './sso.ts';
import { runCli } from './run.ts';
import { loadConfig } from '../config.ts';
import { startTestProvider, type TestProvider } from '../modules/sso/testing.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'guichet.js');
let dataDir: string;
let idp: TestProvider;
const slug = `sso-${crypto.randomBytes(4).toString('hex')}`;
const host = `${slug}.example`;

function env(): Record<string, string | undefined> {
  const base: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', GUICHET_DATA_DIR: dataDir, SEED_DEMO: 'false', JOBS: 'false' };
  base.DATABASE_URL = inject('databaseUrl') ?? undefined;
  if (!base.DATABASE_URL) delete base.DATABASE_URL;
  return base;
}

interface Result {
  code: number | 'running';
  out: string;
  err: string;
}

async function here(args: string[], secret = ''): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  let code: number | 'running';
  if (args[0] === 'sso') {
    try {
      code = await ssoCommand(args.slice(1), () => loadConfig(env()), (l) => out.push(l), async () => secret);
    } catch (e) {
      err.push((e as Error).message);
      code = (e as Error).name === 'UsageError' ? 2 : 1;
    }
  } else {
    code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, env());
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-sso-cli-'));
  idp = await startTestProvider({ accounts: {}, redirectUris: [`http://${host}/staff/sso/callback`] });
  const created = await here(['tenant', 'create', '--slug', slug, '--name-fr', 'Ville de Sept-Îles', '--name-en', 'Town of Sept-Îles', '--host', host]);
  expect(created.err).toBe('');
  expect(created.code).toBe(0);
});
afterAll(async () => {
  await idp?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('guichet sso', () => {
  it('is listed in the main help and explains its options', async () => {
    const main = await here(['--help']);
    expect(main.out).toContain('sso set');
    const set = await here(['sso', 'set', '--help']);
    expect(set.code).toBe(0);
    expect(set.out).toContain('--client-secret-stdin');
    expect(set.out).toContain('/staff/sso/callback');
  });

  it('names what is missing or wrong', async () => {
    const base = ['sso', 'set', '--tenant', slug, '--issuer', idp.issuer, '--client-id', idp.clientId, '--role-claim', 'groups'];
    expect((await here([...base, '--map', 'admin=x'])).err).toContain('--client-secret-stdin is required');
    expect((await here([...base, '--client-secret-stdin'])).err).toContain('--map is required');
    expect((await here([...base, '--client-secret-stdin', '--map', 'boss=x'])).err).toContain('--map: unknown role "boss"');
    expect((await here([...base, '--client-secret-stdin', '--map', 'admin'])).err).toContain('--map must look like admin=guichet-admins');
    const empty = await here([...base, '--client-secret-stdin', '--map', 'admin=x'], '');
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('standard input was empty');
    const town = await here(['sso', 'set', '--tenant', 'nowhere-at-all', '--issuer', idp.issuer, '--client-id', 'x', '--role-claim', 'groups', '--client-secret-stdin', '--map', 'admin=x'], 's');
    expect(town.err).toContain('--tenant: no town with the slug "nowhere-at-all"');
    const issuer = await here(['sso', 'set', '--tenant', slug, '--issuer', 'ftp://x', '--client-id', 'x', '--role-claim', 'groups', '--client-secret-stdin', '--map', 'admin=x'], 's');
    expect(issuer.code).toBe(1);
    expect(issuer.err).toContain('--issuer: must start with https://');
    expect((await here(['sso', 'frobnicate'])).err).toContain('unknown subcommand "frobnicate"');
  });

  it('sets, shows and removes a town’s provider, checking the provider and never showing the secret', async () => {
    const set = await here(
      [
        'sso', 'set', '--tenant', slug, '--issuer', idp.issuer, '--client-id', idp.clientId, '--client-secret-stdin',
        '--role-claim', 'groups', '--map', 'admin=guichet-admins', '--map', 'agent=guichet-agents', '--map', 'agent=cols-bleus',
        '--label', 'Keycloak de la Ville', '--allowed-domain', 'Sept-Iles.example', '--password-sign-in', 'off',
      ],
      idp.clientSecret,
    );
    expect(set.err).toBe('');
    expect(set.code).toBe(0);
    expect(set.out).toContain(`Single sign-on set for town "${slug}": "Keycloak de la Ville"`);
    expect(set.out).toContain('The provider answered its discovery document: OK.');
    expect(set.out).toContain(`https://${host}/staff/sso/callback`);
    expect(set.out).toContain('agent = guichet-agents, cols-bleus; admin = guichet-admins');
    expect(set.out).toContain('Password sign-in: turned off');

    const show = await here(['sso', 'show', '--tenant', slug]);
    expect(show.out).toContain(`Issuer:           ${idp.issuer}`);
    expect(show.out).toContain('sept-iles.example');
    expect(show.out).toContain('(stored encrypted, never shown)');
    expect(show.out).not.toContain(idp.clientSecret);

    // A provider that does not answer: saved anyway, with a warning.
    const down = await here(['sso', 'set', '--tenant', slug, '--issuer', 'http://127.0.0.1:9/', '--client-id', 'x', '--client-secret-stdin', '--role-claim', 'roles', '--map', 'manager=m'], 'secret');
    expect(down.code).toBe(0);
    expect(down.out).toContain('Warning: the provider could not be checked');

    const removed = await here(['sso', 'remove', '--tenant', slug]);
    expect(removed.out).toContain('Single sign-on removed');
    expect((await here(['sso', 'show', '--tenant', slug])).out).toContain('has no single sign-on');
  });

  it('reads the client secret from standard input in the real command', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'sso', 'set', '--tenant', slug, '--issuer', idp.issuer, '--client-id', idp.clientId, '--client-secret-stdin', '--role-claim', 'groups', '--map', 'admin=guichet-admins', '--skip-check'],
      { cwd: os.tmpdir(), env: env(), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end(`${idp.clientSecret}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Single sign-on set');
    expect(out).not.toContain('discovery');
  });
});
