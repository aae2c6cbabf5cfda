/**
 * The guichet command: dispatches to each command, prints clear errors and returns the exit code:
 * 0 done, 1 failed (bad value, locked data folder, configuration error), 2 wrong usage.
 */
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { DataDirLockedError } from '../db/pglite.ts';
import { startServer } from '../server.ts';
import { seedDemo } from '../modules/demo/seed.ts';
import { CommandError, parseOptions, UsageError } from './args.ts';
import { withDatabase } from './database.ts';
import { tenantCommand } from './tenant.ts';
import { staffCommand } from './staff.ts';
import { ssoCommand } from './sso.ts';
import { passesCommand } from './passes.ts';
import { apiKeyCommand } from './api-key.ts';
import { requestTypesCommand } from './request-types.ts';

export const MAIN_HELP = `Usage: guichet <command> [options]

Guichet, the online front counter for municipalities.

Commands:
  start           Run the server: migrates the database, seeds the demo town (unless SEED_DEMO=false),
                  serves on PORT and runs the background jobs
  migrate         Apply pending database migrations
  seed-demo       Create the demo town and its staff accounts (safe to run again)
  tenant create   Create a town
  tenant list     List the towns
  staff create    Create a staff account in a town
  sso set         Set a town's single sign-on (OpenID Connect); also sso show, sso remove
  passes keys     List a town's pass signing keys; also passes rotate-key (a new key signs)
  api-key create  Create an Open311 API key for a town's client; also api-key list, api-key revoke
  request-types import  Load a town's service-request types, questions and area from JSON; also request-types list

Run "guichet <command> --help" for a command's options.
Settings come from the environment (see README.md and .env.example): DATABASE_URL (PostgreSQL; without it,
an embedded database in GUICHET_DATA_DIR, default ./data), PORT, HOST, PUBLIC_URL, SESSION_SECRET, SMTP_URL...`;

const START_HELP = `Usage: guichet start

Runs Guichet: opens the database (PostgreSQL with DATABASE_URL, else the embedded database in
GUICHET_DATA_DIR), applies migrations, seeds the demo town unless SEED_DEMO=false (the default in
production), listens on HOST:PORT (default 127.0.0.1:3000) and runs background jobs unless JOBS=false.
Stops cleanly on Ctrl+C (SIGINT) or SIGTERM.`;

const MIGRATE_HELP = `Usage: guichet migrate

Applies the pending database migrations (also done by "guichet start").`;

const SEED_HELP = `Usage: guichet seed-demo

Creates the bilingual demo town "Val-des-Lacs" (host names localhost and 127.0.0.1) with an
administrator and an agent whose password is public. Safe to run again. Demo only.`;

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const defaultIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** Runs one command. Returns the exit code, or "running" when the server was started. */
export async function runCli(argv: string[], io: Io = defaultIo, env: Record<string, string | undefined> = process.env): Promise<number | 'running'> {
  const config = (): Config => loadConfig(env);
  const [command, ...args] = argv;
  try {
    switch (command) {
      case undefined:
        io.err(MAIN_HELP);
        return 2;
      case '--help':
      case '-h':
      case 'help':
        io.out(MAIN_HELP);
        return 0;
      case 'start': {
        if (parseOptions('start', args, {}).help) return help(io, START_HELP);
        await startServer(config(), { handleSignals: true, print: io.out });
        return 'running';
      }
      case 'migrate': {
        if (parseOptions('migrate', args, {}).help) return help(io, MIGRATE_HELP);
        const applied = await withDatabase(config(), async (_db, done) => done);
        io.out(applied.length === 0 ? 'The database is up to date.' : `Applied ${applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ')}.`);
        return 0;
      }
      case 'seed-demo': {
        if (parseOptions('seed-demo', args, {}).help) return help(io, SEED_HELP);
        const demo = await withDatabase(config(), (db) => seedDemo(db));
        io.out(`Demo town "${demo.tenant.slug}" ${demo.townCreated ? 'created' : 'already there'}: ${demo.tenant.name.fr} / ${demo.tenant.name.en}`);
        io.out(`  Host names: ${demo.hosts.join(', ') || '(none: another town uses localhost)'}`);
        for (const person of demo.staff) io.out(`  ${person.role.padEnd(5)}  ${person.email}${person.created ? '' : ' (already there)'}`);
        io.out(`  Password for both: ${demo.password}`);
        io.out('  DEMO ONLY: these accounts and their password are public.');
        return 0;
      }
      case 'tenant':
        return await tenantCommand(args, config, io.out);
      case 'staff':
        return await staffCommand(args, config, io.out);
      case 'sso':
        return await ssoCommand(args, config, io.out);
      case 'passes':
        return await passesCommand(args, config, io.out);
      case 'api-key':
        return await apiKeyCommand(args, config, io.out);
      case 'request-types':
        return await requestTypesCommand(args, config, io.out);
      default:
        throw new UsageError('', `unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(err.message);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(`Configuration error: ${err.message}`);
      return 1;
    }
    if (err instanceof CommandError || err instanceof DataDirLockedError) {
      io.err(err.message);
      return 1;
    }
    io.err(`guichet ${command ?? ''}: failed: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

function help(io: Io, text: string): number {
  io.out(text);
  return 0;
}
