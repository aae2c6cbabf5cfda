/** guichet sso set | show | remove: a town's OpenID Connect single sign-on for its staff. */
import type { Config } from '../config.ts';
import { findTenantBySlug, listTenants } from '../modules/tenants/service.ts';
import { secretBox } from '../modules/staff/secret-box.ts';
import { checkSsoProvider, configureSso, findSsoConfig, removeSso, SsoInputError, type RoleMap, type SsoEnvironment } from '../modules/sso/service.ts';
import { STAFF_ROLES, type StaffRole } from '../modules/staff/service.ts';
import { CommandError, list, optional, parseOptions, required, UsageError } from './args.ts';
import { withDatabase } from './database.ts';

export const SSO_HELP = `Usage: guichet sso <set|show|remove> --tenant <slug> [options]

  guichet sso set      Set (or replace) a town's single sign-on provider (OpenID Connect)
  guichet sso show     Show a town's single sign-on settings (never the client secret)
  guichet sso remove   Remove it: staff sign in with their password again

Run "guichet sso set --help" for its options.`;

export const SSO_SET_HELP = `Usage: guichet sso set --tenant <slug> --issuer <url> --client-id <id> --client-secret-stdin
                       --role-claim <claim> --map <role>=<value> [--map ...] [options]

Staff of the town then see "Sign in with <label>" on the staff sign-in page. At the provider
(Entra ID, Google Workspace, Keycloak...), register a web application whose redirect URI is
https://<each host name of the town>/staff/sso/callback.

Options:
  --tenant <slug>            The town (see "guichet tenant list") (required)
  --issuer <url>             The provider's issuer URL, exactly as its discovery document says,
                             e.g. https://login.microsoftonline.com/<tenant-id>/v2.0 (required)
  --client-id <id>           The application's client id at the provider (required)
  --client-secret-stdin      Read the client secret from standard input (required), e.g.
                             printf '%s' "$SECRET" | guichet sso set ... --client-secret-stdin
  --role-claim <claim>       The claim carrying the person's groups or roles: groups, roles,
                             realm_access.roles... (required)
  --map <role>=<value>       A claim value that gives a role (agent, manager or admin); repeat it.
                             At least one. A person whose values match none is refused.
  --allowed-domain <domain>  Accept addresses of this domain even when the provider does not say
                             they are verified (Entra ID does not); then only these domains. Repeatable.
  --label <text>             The provider's name on the button (default: the issuer's host name)
  --scopes <scopes>          Scopes to ask for (default "openid email profile"; add "groups" if your
                             provider needs it to send the groups claim)
  --password-sign-in <on|off>  Whether staff may still sign in with a password (default on)
  --skip-check               Do not contact the provider to check its discovery document
  -h, --help                 Show this help`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function environment(config: Config): SsoEnvironment {
  return { box: secretBox(config.sessionSecret), allowHttp: config.env !== 'production' };
}

function parseMap(cmd: string, values: string[]): RoleMap {
  const map: RoleMap = {};
  for (const entry of values) {
    const eq = entry.indexOf('=');
    const role = entry.slice(0, eq).trim() as StaffRole;
    const value = entry.slice(eq + 1).trim();
    if (eq < 1 || value === '') throw new UsageError(cmd, `--map must look like admin=guichet-admins, got "${entry}"`);
    if (!STAFF_ROLES.includes(role)) throw new UsageError(cmd, `--map: unknown role "${role}" (use ${STAFF_ROLES.join(', ')})`);
    (map[role] ??= []).push(value);
  }
  return map;
}

export async function ssoCommand(
  args: string[],
  config: () => Config,
  print: (line: string) => void,
  readSecret: () => Promise<string> = readStdin,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('sso', 'missing subcommand (set, show or remove)');
  if (sub === '--help' || sub === '-h') {
    print(SSO_HELP);
    return 0;
  }
  if (sub !== 'set' && sub !== 'show' && sub !== 'remove') throw new UsageError('sso', `unknown subcommand "${sub}" (use set, show or remove)`);
  const cmd = `sso ${sub}`;
  const values = parseOptions(
    cmd,
    rest,
    sub === 'set'
      ? {
          tenant: { type: 'string' },
          issuer: { type: 'string' },
          'client-id': { type: 'string' },
          'client-secret-stdin': { type: 'boolean' },
          'role-claim': { type: 'string' },
          map: { type: 'string', multiple: true },
          'allowed-domain': { type: 'string', multiple: true },
          label: { type: 'string' },
          scopes: { type: 'string' },
          'password-sign-in': { type: 'string' },
          'skip-check': { type: 'boolean' },
        }
      : { tenant: { type: 'string' } },
  );
  if (values.help) {
    print(sub === 'set' ? SSO_SET_HELP : SSO_HELP);
    return 0;
  }
  const slug = required(cmd, values, 'tenant');

  if (sub === 'set') {
    const issuer = required(cmd, values, 'issuer');
    const clientId = required(cmd, values, 'client-id');
    const roleClaim = required(cmd, values, 'role-claim');
    if (values['client-secret-stdin'] !== true) throw new UsageError(cmd, '--client-secret-stdin is required (the secret is never given on the command line)');
    const maps = list(values, 'map');
    if (maps.length === 0) throw new UsageError(cmd, '--map is required, e.g. --map admin=guichet-admins');
    const roleMap = parseMap(cmd, maps);
    const passwordOption = optional(values, 'password-sign-in');
    if (passwordOption !== undefined && passwordOption !== 'on' && passwordOption !== 'off') {
      throw new UsageError(cmd, `--password-sign-in must be on or off, got "${passwordOption}"`);
    }
    const clientSecret = await readSecret();
    if (clientSecret === '') throw new CommandError(cmd, '--client-secret-stdin: standard input was empty');
    const cfg = config();
    const env = environment(cfg);
    return withDatabase(cfg, async (db) => {
      const tenant = await findTenantBySlug(db, slug);
      if (!tenant) throw new CommandError(cmd, `--tenant: no town with the slug "${slug}" (see "guichet tenant list")`);
      let saved;
      try {
        saved = await configureSso(db, env, tenant.id, {
          issuer,
          clientId,
          clientSecret,
          roleClaim,
          roleMap,
          label: optional(values, 'label'),
          scopes: optional(values, 'scopes'),
          allowedDomains: list(values, 'allowed-domain'),
          passwordSignIn: passwordOption !== 'off',
        });
      } catch (err) {
        if (err instanceof SsoInputError) throw new CommandError(cmd, `--${err.field}: ${err.message.slice(err.field.length + 2)}`);
        throw err;
      }
      print(`Single sign-on set for town "${tenant.slug}": "${saved.label}" (${saved.issuer}).`);
      if (values['skip-check'] !== true) {
        try {
          await checkSsoProvider(db, env, tenant.id);
          print('  The provider answered its discovery document: OK.');
        } catch (err) {
          print(`  Warning: the provider could not be checked (${err instanceof Error ? err.message : String(err)}). Staff will see a refusal until it answers.`);
        }
      }
      const hosts = (await listTenants(db)).find((t) => t.id === tenant.id)?.hosts ?? [];
      print('  Register this redirect URI at the provider (one per host name of the town):');
      for (const host of hosts) print(`    https://${host}/staff/sso/callback`);
      print(`  Roles: ${STAFF_ROLES.filter((r) => saved.roleMap[r]).map((r) => `${r} = ${saved.roleMap[r]!.join(', ')}`).join('; ')} (claim "${saved.roleClaim}")`);
      print(`  Password sign-in: ${saved.passwordSignIn ? 'still allowed' : 'turned off'}`);
      return 0;
    });
  }

  return withDatabase(config(), async (db) => {
    const tenant = await findTenantBySlug(db, slug);
    if (!tenant) throw new CommandError(cmd, `--tenant: no town with the slug "${slug}" (see "guichet tenant list")`);
    if (sub === 'remove') {
      const removed = await removeSso(db, tenant.id);
      print(removed ? `Single sign-on removed for town "${tenant.slug}": staff sign in with their password.` : `Town "${tenant.slug}" has no single sign-on.`);
      return 0;
    }
    const sso = await findSsoConfig(db, tenant.id);
    if (!sso) {
      print(`Town "${tenant.slug}" has no single sign-on.`);
      return 0;
    }
    print(`Single sign-on of town "${tenant.slug}":`);
    print(`  Label:            ${sso.label}`);
    print(`  Issuer:           ${sso.issuer}`);
    print(`  Client id:        ${sso.clientId}`);
    print('  Client secret:    (stored encrypted, never shown)');
    print(`  Scopes:           ${sso.scopes}`);
    print(`  Role claim:       ${sso.roleClaim}`);
    for (const role of STAFF_ROLES) if (sso.roleMap[role]) print(`  ${`${role}:`.padEnd(18)}${sso.roleMap[role].join(', ')}`);
    print(`  Allowed domains:  ${sso.allowedDomains.length > 0 ? sso.allowedDomains.join(', ') : '(none: only emails the provider verified)'}`);
    print(`  Password sign-in: ${sso.passwordSignIn ? 'allowed' : 'turned off'}`);
    return 0;
  });
}
