/** guichet api-key create | list | revoke: Open311 API keys of a town, for the operator. */
import type { Config } from '../config.ts';
import { AppError } from '../platform/errors.ts';
import { operatorKeys } from '../modules/open311/service.ts';
import { findTenantBySlug } from '../modules/tenants/service.ts';
import { CommandError, parseOptions, required, UsageError } from './args.ts';
import { withDatabase } from './database.ts';

export const API_KEY_HELP = `Usage: guichet api-key <create|list|revoke> [options]

  guichet api-key create   Create an Open311 API key for a client (shown once)
  guichet api-key list     List a town's API keys
  guichet api-key revoke   Revoke a key (it stops working at once)

Clients send the key as api_key to POST /open311/v2/requests. Administrators can do the same
under Administration › API keys. Run "guichet api-key <subcommand> --help" for its options.`;

const CREATE_HELP = `Usage: guichet api-key create --tenant <slug> --name <client>

Creates an API key and prints it once (only its fingerprint is stored).

Options:
  --tenant <slug>   The town (see "guichet tenant list") (required)
  --name <client>   Who uses the key, e.g. "Regional 311 app" (required, at most 120 characters)
  -h, --help        Show this help`;

const LIST_HELP = `Usage: guichet api-key list --tenant <slug>

Lists the town's keys: id, beginning of the key, name, created, last used, revoked.`;

const REVOKE_HELP = `Usage: guichet api-key revoke --tenant <slug> --id <key id>

Revokes a key (its id is shown by "guichet api-key list").`;

type Print = (line: string) => void;

async function town(cmd: string, db: Parameters<typeof findTenantBySlug>[0], slug: string) {
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) throw new CommandError(cmd, `--tenant: no town with the slug "${slug}" (see "guichet tenant list")`);
  return tenant;
}

export async function apiKeyCommand(args: string[], config: () => Config, print: Print): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('api-key', 'missing subcommand (create, list or revoke)');
  if (sub === '--help' || sub === '-h') {
    print(API_KEY_HELP);
    return 0;
  }
  if (sub === 'create') {
    const cmd = 'api-key create';
    const values = parseOptions(cmd, rest, { tenant: { type: 'string' }, name: { type: 'string' } });
    if (values.help) return (print(CREATE_HELP), 0);
    const slug = required(cmd, values, 'tenant');
    const name = required(cmd, values, 'name');
    return withDatabase(config(), async (db) => {
      const tenant = await town(cmd, db, slug);
      const result = await operatorKeys.create(db, tenant.id, name);
      if (!result.ok) throw new CommandError(cmd, result.error === 'nameTooLong' ? '--name: at most 120 characters' : '--name: required');
      if (!result.created) throw new CommandError(cmd, 'the key was not created');
      print(`Created API key ${result.info.id} for "${result.info.name}" in town "${tenant.slug}".`);
      print(`Key (shown only now; give it to the client over a safe channel): ${result.key}`);
      return 0;
    });
  }
  if (sub === 'list') {
    const cmd = 'api-key list';
    const values = parseOptions(cmd, rest, { tenant: { type: 'string' } });
    if (values.help) return (print(LIST_HELP), 0);
    const slug = required(cmd, values, 'tenant');
    return withDatabase(config(), async (db) => {
      const tenant = await town(cmd, db, slug);
      const keys = await operatorKeys.list(db, tenant.id);
      if (keys.length === 0) print(`No API key in town "${tenant.slug}".`);
      for (const k of keys) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        print(`${k.id}  ${k.prefix}…  ${k.name}  created ${k.createdAt.toISOString()}  last used ${k.lastUsedAt?.toISOString() ?? 'never'}  ${state}`);
      }
      return 0;
    });
  }
  if (sub === 'revoke') {
    const cmd = 'api-key revoke';
    const values = parseOptions(cmd, rest, { tenant: { type: 'string' }, id: { type: 'string' } });
    if (values.help) return (print(REVOKE_HELP), 0);
    const slug = required(cmd, values, 'tenant');
    const id = required(cmd, values, 'id');
    return withDatabase(config(), async (db) => {
      const tenant = await town(cmd, db, slug);
      try {
        const key = await operatorKeys.revoke(db, tenant.id, id.trim().toLowerCase());
        print(`Revoked API key ${key.id} ("${key.name}") in town "${tenant.slug}".`);
        return 0;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'notFound')) throw err;
        throw new CommandError(cmd, `--id: no API key "${id}" in town "${tenant.slug}" (see "guichet api-key list")`);
      }
    });
  }
  throw new UsageError('api-key', `unknown subcommand "${sub}" (use create, list or revoke)`);
}
