/** guichet passes rotate-key | keys: a town's pass signing keys, for the operator. */
import type { Config } from '../config.ts';
import { publicKeySet } from '../modules/bookings/passes/keys.ts';
import { rotatePassKey } from '../modules/bookings/passes/service.ts';
import { findTenantBySlug } from '../modules/tenants/service.ts';
import { CommandError, parseOptions, required, UsageError } from './args.ts';
import { withDatabase } from './database.ts';

export const PASSES_HELP = `Usage: guichet passes <rotate-key|keys> --tenant <slug>

  guichet passes keys         List the town's public keys that verify passes (key id, public key)
  guichet passes rotate-key   A new key signs the town's passes from now on; passes already given
                              keep working (the former key still verifies them)

Door scanners download the keys with the day's list; offline scanners get the new key at their
next download. The public keys are at https://<town host>/passes/keys.json.`;

type Print = (line: string) => void;

export async function passesCommand(args: string[], config: () => Config, print: Print): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('passes', 'missing subcommand (rotate-key or keys)');
  if (sub === '--help' || sub === '-h') return (print(PASSES_HELP), 0);
  if (sub !== 'rotate-key' && sub !== 'keys') throw new UsageError('passes', `unknown subcommand "${sub}"`);
  const cmd = `passes ${sub}`;
  const values = parseOptions(cmd, rest, { tenant: { type: 'string' } });
  if (values.help) return (print(PASSES_HELP), 0);
  const slug = required(cmd, values, 'tenant');
  const cfg = config();
  return withDatabase(cfg, async (db) => {
    const tenant = await findTenantBySlug(db, slug);
    if (!tenant) throw new CommandError(cmd, `--tenant: no town with the slug "${slug}" (see "guichet tenant list")`);
    if (sub === 'rotate-key') {
      const kid = await rotatePassKey(db, cfg.sessionSecret, tenant.id);
      print(`Town "${tenant.slug}" now signs its passes with key ${kid}; earlier keys still verify the passes they signed.`);
      return 0;
    }
    const { keys } = await publicKeySet(db, cfg.sessionSecret, tenant.id);
    for (const k of keys) print(`${k.kid}  Ed25519  ${k.x}`);
    return 0;
  });
}
