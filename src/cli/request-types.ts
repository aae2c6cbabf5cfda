/** guichet request-types import | list: a town's catalogue of service-request types, for its IT person. */
import fs from 'node:fs';
import type { Config } from '../config.ts';
import { CatalogueError, importCatalogue, parseCatalogue } from '../modules/requests/catalogue-file.ts';
import { listAllRequestTypes } from '../modules/requests/service.ts';
import { findTenantBySlug } from '../modules/tenants/service.ts';
import { CommandError, parseOptions, required, UsageError } from './args.ts';
import { withDatabase } from './database.ts';

export const REQUEST_TYPES_HELP = `Usage: guichet request-types <import|list> [options]

  guichet request-types import   Create or update a town's request types, their questions and the
                                 town's area from a JSON file (checked whole before anything is saved)
  guichet request-types list     List a town's request types

The file's format is described in docs/requests.md ("The town's catalogue").`;

const IMPORT_HELP = `Usage: guichet request-types import --tenant <slug> --file <catalogue.json>

Options:
  --tenant <slug>   The town (see "guichet tenant list") (required)
  --file <path>     The catalogue: { "types": [...], "area": {...} } (required)
  -h, --help        Show this help`;

const LIST_HELP = `Usage: guichet request-types list --tenant <slug>

Lists the town's request types: code, French and English names, questions, active or not.`;

type Print = (line: string) => void;

async function town(cmd: string, db: Parameters<typeof findTenantBySlug>[0], slug: string) {
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant) throw new CommandError(cmd, `--tenant: no town with the slug "${slug}" (see "guichet tenant list")`);
  return tenant;
}

export async function requestTypesCommand(args: string[], config: () => Config, print: Print): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) throw new UsageError('request-types', 'missing subcommand (import or list)');
  if (sub === '--help' || sub === '-h') return (print(REQUEST_TYPES_HELP), 0);
  if (sub === 'import') {
    const cmd = 'request-types import';
    const values = parseOptions(cmd, rest, { tenant: { type: 'string' }, file: { type: 'string' } });
    if (values.help) return (print(IMPORT_HELP), 0);
    const slug = required(cmd, values, 'tenant');
    const file = required(cmd, values, 'file');
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new CommandError(cmd, `--file: cannot read ${file} as JSON (${(e as Error).message})`);
    }
    const parsed = parseCatalogue(json);
    if (!parsed.ok) throw new CommandError(cmd, `nothing was saved; fix these in ${file}:\n  ${parsed.errors.join('\n  ')}`);
    return withDatabase(config(), async (db) => {
      const tenant = await town(cmd, db, slug);
      try {
        await importCatalogue(db, tenant.id, parsed.catalogue);
      } catch (e) {
        if (e instanceof CatalogueError) throw new CommandError(cmd, `nothing was saved; fix these in ${file}:\n  ${e.errors.join('\n  ')}`);
        throw e;
      }
      print(`${parsed.catalogue.types.length} request type(s) saved for ${tenant.slug}${parsed.catalogue.area ? ', and the town’s area' : ''}.`);
      return 0;
    });
  }
  if (sub === 'list') {
    const cmd = 'request-types list';
    const values = parseOptions(cmd, rest, { tenant: { type: 'string' } });
    if (values.help) return (print(LIST_HELP), 0);
    const slug = required(cmd, values, 'tenant');
    return withDatabase(config(), async (db) => {
      const tenant = await town(cmd, db, slug);
      const types = await listAllRequestTypes(db, tenant.id);
      if (types.length === 0) print('No request types yet: see "guichet request-types import --help".');
      for (const t of types) print(`${t.code}  ${t.name.fr} / ${t.name.en}  ${t.questions.length} question(s)  ${t.active ? 'active' : 'inactive'}`);
      return 0;
    });
  }
  throw new UsageError('request-types', `unknown subcommand "${sub}" (import or list)`);
}
