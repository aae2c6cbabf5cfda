/** guichet staff create */
import crypto from 'node:crypto';
import type { Config } from '../config.ts';
import { findTenantBySlug } from '../modules/tenants/service.ts';
import { createStaff, PASSWORD_MIN, STAFF_ROLES, StaffInputError } from '../modules/staff/service.ts';
import { CommandError, oneOf, optional, parseOptions, required, UsageError } from './args.ts';
import { withDatabase } from './database.ts';

export const STAFF_HELP = `Usage: guichet staff create [options]

  guichet staff create   Create a staff account in a town

Run "guichet staff create --help" for its options.`;

export const STAFF_CREATE_HELP = `Usage: guichet staff create --tenant <slug> --email <email> --name <name> --role <role> [options]

Creates a staff account that signs in at /fr/staff/sign-in (or /en/...) on the town's site.

Options:
  --tenant <slug>      The town (see "guichet tenant list") (required)
  --email <email>      The person's email address, used to sign in (required)
  --name <name>        The person's name as colleagues see it (required)
  --role <role>        agent, manager or admin (required)
  --locale <fr|en>     The person's language for messages (default fr)
  --password-stdin     Read the password from standard input (at least ${PASSWORD_MIN} characters),
                       e.g. printf '%s' "$PASSWORD" | guichet staff create ... --password-stdin.
                       Without it, a strong password is generated and printed once.
  -h, --help           Show this help`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function staffCommand(args: string[], config: () => Config, print: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('staff', 'missing subcommand (create)');
  if (sub === '--help' || sub === '-h') {
    print(STAFF_HELP);
    return 0;
  }
  if (sub !== 'create') throw new UsageError('staff', `unknown subcommand "${sub}" (use create)`);
  const cmd = 'staff create';
  const values = parseOptions(cmd, rest, {
    tenant: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    locale: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  if (values.help) {
    print(STAFF_CREATE_HELP);
    return 0;
  }
  const slug = required(cmd, values, 'tenant');
  const email = required(cmd, values, 'email');
  const name = required(cmd, values, 'name');
  const role = oneOf(cmd, 'role', required(cmd, values, 'role'), STAFF_ROLES)!;
  const locale = oneOf(cmd, 'locale', optional(values, 'locale'), ['fr', 'en'] as const) ?? 'fr';
  const generated = values['password-stdin'] !== true;
  const password = generated ? crypto.randomBytes(18).toString('base64url') : await readStdin();
  if (!generated && password.length === 0) throw new CommandError(cmd, '--password-stdin: standard input was empty');
  if ([...password].length < PASSWORD_MIN) throw new CommandError(cmd, `--password-stdin: must be at least ${PASSWORD_MIN} characters long`);

  const created = await withDatabase(config(), async (db) => {
    const tenant = await findTenantBySlug(db, slug);
    if (!tenant) throw new CommandError(cmd, `--tenant: no town with the slug "${slug}" (see "guichet tenant list")`);
    try {
      return { tenant, staff: await createStaff(db, tenant.id, { email, name, role, locale, password }) };
    } catch (err) {
      if (err instanceof StaffInputError) throw new CommandError(cmd, `--${err.field === 'password' ? 'password-stdin' : err.field}: ${err.message.slice(err.field.length + 2)}`);
      throw err;
    }
  });
  print(`Created ${created.staff.role} account for ${created.staff.email} in town "${created.tenant.slug}".`);
  if (generated) {
    print(`Password (shown only now; give it to the person over a safe channel): ${password}`);
  }
  print(`Sign-in page: /${locale}/staff/sign-in on the town's site.`);
  return 0;
}
