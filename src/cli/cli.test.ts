/**
 * The guichet command on an embedded database in a temporary folder: help, usage errors, town and
 * staff creation, and the data folder's lock. The main paths spawn the real command
 * (bin/guichet.js); variations of the same paths call runCli in this process, which is faster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Every command here is a child process that opens the embedded database and checks its migrations
// first: on a loaded 2-core machine one run can take tens of seconds, so the file's tests wait longer.
vi.setConfig({ testTimeout: 180_000 });
import { verify } from '@node-rs/argon2';
import { fromPglite } from '../db/database.ts';
import { openPgliteFolder } from '../db/pglite.ts';
import { runCli } from './run.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'guichet.js');
let dataDir: string;
const started: ChildProcess[] = [];

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.DATABASE_URL; // always the embedded database: the lock is what these tests are about
  return { ...base, NODE_ENV: 'test', LOG_LEVEL: 'silent', GUICHET_DATA_DIR: dataDir, SEED_DEMO: 'false', JOBS: 'false', ...extra };
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: os.tmpdir(), env: env(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** The same command in this process (no start-up cost); same exit codes and output. */
async function runHere(args: string[], extraEnv: Record<string, string> = {}): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, env(extraEnv));
  if (code === 'running') throw new Error('runHere cannot start the server');
  return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
}

/** Starts `guichet start` and resolves once it prints its address. */
function startServer(extra: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: os.tmpdir(), env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const url = /Guichet is running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url && out.includes('Press Ctrl+C to stop.')) resolve({ child, url, output: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`guichet start exited with ${code}:\n${out}`)));
  });
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-cli-'));
});
afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('help and usage errors', () => {
  it('prints help for the command and each subcommand', async () => {
    const main = await run(['--help']);
    expect(main.code).toBe(0);
    for (const cmd of ['start', 'migrate', 'seed-demo', 'tenant create', 'tenant list', 'staff create']) expect(main.stdout).toContain(cmd);
    const tenant = await runHere(['tenant', 'create', '--help']);
    expect(tenant.code).toBe(0);
    expect(tenant.stdout).toContain('--slug <slug>');
    expect(tenant.stdout).toContain('--host <host>');
    const staff = await runHere(['staff', 'create', '--help']);
    expect(staff.code).toBe(0);
    expect(staff.stdout).toContain('--password-stdin');
    expect((await runHere(['start', '--help'])).stdout).toContain('SIGTERM');
  });

  it('names the bad option, the missing one and the unknown command (exit code 2)', async () => {
    const bad = await run(['tenant', 'create', '--slug', 'x', '--colour', 'blue']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('guichet tenant create: unknown option --colour');
    expect(bad.stderr).toContain('guichet tenant create --help');
    const missing = await runHere(['tenant', 'create', '--slug', 'x', '--name-fr', 'X']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name-en is required');
    const role = await runHere(['staff', 'create', '--tenant', 'x', '--email', 'a@b.ca', '--name', 'A', '--role', 'boss']);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('--role must be one of agent, manager, admin');
    const unknown = await runHere(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const none = await runHere([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: guichet <command>');
  });

  it('stops on a bad setting with one line naming it', async () => {
    const res = await run(['migrate'], { env: { PORT: 'eighty' } });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('Configuration error: PORT: must be a whole number, got "eighty"');
  });
});

describe('towns and staff accounts', () => {
  it('creates a town, and refuses to create it twice', async () => {
    const args = ['tenant', 'create', '--slug', 'granby', '--name-fr', 'Ville de Granby', '--name-en', 'Town of Granby', '--host', 'granby.example', '--host', 'services.granby.example'];
    const first = await run(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Created town "granby": Ville de Granby / Town of Granby');
    const second = await run(args);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe('guichet tenant create: --slug: a town "granby" already exists');
    const host = await runHere(['tenant', 'create', '--slug', 'other', '--name-fr', 'A', '--name-en', 'B', '--host', 'granby.example']);
    expect(host.code).toBe(1);
    expect(host.stderr).toContain('--host: already used by another town: granby.example');
    const zone = await runHere(['tenant', 'create', '--slug', 'other', '--name-fr', 'A', '--name-en', 'B', '--time-zone', 'Mars/Olympus']);
    expect(zone.code).toBe(1);
    expect(zone.stderr).toContain('--time-zone: "Mars/Olympus" is not a known time zone');
    const list = await runHere(['tenant', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('granby\tVille de Granby / Town of Granby\tgranby.example, services.granby.example');
    expect(list.stdout).not.toContain('other');
  });

  it('lists a town’s pass signing keys and rotates them, the former key still verifying', async () => {
    const first = await runHere(['passes', 'keys', '--tenant', 'granby']);
    expect(first.code).toBe(0);
    const kid = first.stdout.split(/\s+/)[0];
    expect(kid).toMatch(/^[0-9a-f]{8}$/);
    const rotated = await runHere(['passes', 'rotate-key', '--tenant', 'granby']);
    expect(rotated.code).toBe(0);
    const newKid = /with key ([0-9a-f]{8})/.exec(rotated.stdout)![1]!;
    const after = await runHere(['passes', 'keys', '--tenant', 'granby']);
    expect(after.stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual([newKid, kid]);
    const unknown = await runHere(['passes', 'keys', '--tenant', 'nowhere']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no town with the slug "nowhere"');
  });

  it('creates staff accounts with a password from stdin or a generated one', async () => {
    const password = 'a passphrase from stdin';
    const [fromStdin, short] = await Promise.all([
      run(
        ['staff', 'create', '--tenant', 'granby', '--email', 'greffe@granby.example', '--name', 'Greffière', '--role', 'admin', '--password-stdin'],
        { input: `${password}\n` },
      ),
      // Checked before the database is opened.
      run(['staff', 'create', '--tenant', 'granby', '--email', 'x@granby.example', '--name', 'X', '--role', 'agent', '--password-stdin'], { input: 'short\n' }),
    ]);
    expect(short.code).toBe(1);
    expect(short.stderr.trim()).toBe('guichet staff create: --password-stdin: must be at least 12 characters long');
    expect(fromStdin.stderr).toBe('');
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toContain('Created admin account for greffe@granby.example in town "granby".');
    expect(fromStdin.stdout).not.toContain(password);

    const generated = await runHere(['staff', 'create', '--tenant', 'granby', '--email', 'agent@granby.example', '--name', 'Agent', '--role', 'agent', '--locale', 'en']);
    expect(generated.code).toBe(0);
    const shown = /Password \(shown only now[^)]*\): (\S+)/.exec(generated.stdout)?.[1];
    expect(shown).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const again = await runHere(['staff', 'create', '--tenant', 'granby', '--email', 'GREFFE@granby.example', '--name', 'X', '--role', 'agent']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--email: a staff account with this email already exists in this town');
    const town = await runHere(['staff', 'create', '--tenant', 'nowhere', '--email', 'x@granby.example', '--name', 'X', '--role', 'agent']);
    expect(town.code).toBe(1);
    expect(town.stderr).toContain('--tenant: no town with the slug "nowhere"');

    // The passwords printed or given are the ones stored (as argon2id hashes).
    const opened = await openPgliteFolder(dataDir);
    const db = fromPglite(opened.pglite, () => opened.release());
    try {
      const tenant = await db.owner.selectFrom('tenants').select('id').where('slug', '=', 'granby').executeTakeFirstOrThrow();
      const rows = await db.withTenant(tenant.id, (trx) => trx.selectFrom('staff_users').select(['email', 'password_hash', 'locale']).orderBy('email').execute());
      expect(rows.map((r) => r.email)).toEqual(['agent@granby.example', 'greffe@granby.example']);
      expect(await verify(rows[0]!.password_hash!, shown!)).toBe(true);
      expect(rows[0]!.locale).toBe('en');
      expect(await verify(rows[1]!.password_hash!, password)).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe('guichet start', () => {
  it('serves the demo town on localhost, refuses a second process on the same data folder, and stops cleanly', async () => {
    const first = await startServer({ PORT: '0', SEED_DEMO: 'true' });
    const out = first.output();
    expect(out).toContain('Demo town: Ville de Val-des-Lacs / Town of Val-des-Lacs');
    expect(out).toContain('admin@val-des-lacs.example');
    expect(out).toContain('Password for both: val-des-lacs-demo');
    expect(out).toContain('DEMO ONLY');

    // No DEFAULT_TENANT: localhost is the demo town's host name.
    const page = await fetch(`${first.url}/en/staff/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Town of Val-des-Lacs');

    const second = await run(['start'], { env: { PORT: '0' } });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`The data folder ${dataDir} is already in use by another Guichet process.`);
    const migrate = await runHere(['migrate']);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain('already in use by another Guichet process');

    const exited = new Promise<number | null>((resolve) => first.child.on('exit', resolve));
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(first.output()).toContain('Guichet stopped.');

    // The lock went with it.
    const after = await runHere(['migrate']);
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('The database is up to date.');
  }, 180_000); // A child process migrates a new PGlite folder and seeds the whole demo town first.
});
