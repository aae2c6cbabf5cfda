/** guichet tenant create | list */
import type { Config } from '../config.ts';
import { createTenant, listTenants, TenantInputError } from '../modules/tenants/service.ts';
import { CommandError, list, oneOf, optional, parseOptions, required, UsageError } from './args.ts';
import { withDatabase } from './database.ts';

export const TENANT_HELP = `Usage: guichet tenant <create|list> [options]

  guichet tenant create   Create a town
  guichet tenant list     List the towns and the host names they answer on

Run "guichet tenant create --help" for its options.`;

export const TENANT_CREATE_HELP = `Usage: guichet tenant create --slug <slug> --name-fr <name> --name-en <name> --host <host> [options]

Creates a town. Requests are matched to a town by their host name.

Options:
  --slug <slug>            Short identifier: 2 to 63 lowercase letters, digits or dashes (required)
  --name-fr <name>         The town's name in French, e.g. "Ville de Val-des-Lacs" (required)
  --name-en <name>         The town's name in English, e.g. "Town of Val-des-Lacs" (required)
  --host <host>            A host name the town answers on, e.g. services.val-des-lacs.ca;
                           repeat for several. Without any, the town is reached only as DEFAULT_TENANT.
  --time-zone <zone>       IANA time zone (default America/Toronto)
  --locale <fr|en>         The town's default language (default fr)
  --contact-email <email>  The address residents can write to
  -h, --help               Show this help`;

export const TENANT_LIST_HELP = `Usage: guichet tenant list

Lists every town: slug, names and host names.`;

const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

export async function tenantCommand(args: string[], config: () => Config, print: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('tenant', 'missing subcommand (create or list)');
  if (sub === '--help' || sub === '-h') {
    print(TENANT_HELP);
    return 0;
  }
  if (sub === 'create') return create(rest, config, print);
  if (sub === 'list') return listCommand(rest, config, print);
  throw new UsageError('tenant', `unknown subcommand "${sub}" (use create or list)`);
}

async function create(args: string[], config: () => Config, print: (line: string) => void): Promise<number> {
  const cmd = 'tenant create';
  const values = parseOptions(cmd, args, {
    slug: { type: 'string' },
    'name-fr': { type: 'string' },
    'name-en': { type: 'string' },
    host: { type: 'string', multiple: true },
    'time-zone': { type: 'string' },
    locale: { type: 'string' },
    'contact-email': { type: 'string' },
  });
  if (values.help) {
    print(TENANT_CREATE_HELP);
    return 0;
  }
  const slug = required(cmd, values, 'slug');
  const nameFr = required(cmd, values, 'name-fr');
  const nameEn = required(cmd, values, 'name-en');
  const hosts = list(values, 'host');
  const timeZone = optional(values, 'time-zone');
  const locale = oneOf(cmd, 'locale', optional(values, 'locale'), ['fr', 'en'] as const);
  const contactEmail = optional(values, 'contact-email');
  if (contactEmail !== undefined && !EMAIL.test(contactEmail)) {
    throw new CommandError(cmd, `--contact-email: "${contactEmail}" is not an email address`);
  }
  const tenant = await withDatabase(config(), async (db) => {
    try {
      return await createTenant(db, {
        slug,
        name: { fr: nameFr, en: nameEn },
        hosts,
        ...(timeZone ? { timeZone } : {}),
        ...(locale ? { defaultLocale: locale } : {}),
        contactEmail: contactEmail ?? null,
      });
    } catch (err) {
      if (err instanceof TenantInputError) throw new CommandError(cmd, `--${err.field}: ${err.message.slice(err.field.length + 2)}`);
      throw err;
    }
  });
  print(`Created town "${tenant.slug}": ${tenant.name.fr} / ${tenant.name.en}`);
  print(hosts.length > 0 ? `  Host names: ${[...new Set(hosts.map((h) => h.toLowerCase()))].join(', ')}` : '  No host name: this town is reached only when DEFAULT_TENANT is its slug.');
  print(`  Next: guichet staff create --tenant ${tenant.slug} --email <email> --name <name> --role admin`);
  return 0;
}

async function listCommand(args: string[], config: () => Config, print: (line: string) => void): Promise<number> {
  const values = parseOptions('tenant list', args, {});
  if (values.help) {
    print(TENANT_LIST_HELP);
    return 0;
  }
  const towns = await withDatabase(config(), (db) => listTenants(db));
  if (towns.length === 0) {
    print('No town yet. Create one with "guichet tenant create" (or "guichet seed-demo" for the demo town).');
    return 0;
  }
  for (const town of towns) {
    print(`${town.slug}\t${town.name.fr} / ${town.name.en}\t${town.hosts.join(', ') || '(no host name)'}`);
  }
  return 0;
}
