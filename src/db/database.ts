/**
 * One database handle for both engines. Modules never see a raw connection: they get a
 * transaction handle from `withTenant`, which runs as the non-superuser application role with the
 * town set, so row-level security applies to every query. Because the callback only receives the
 * transaction, code inside a transaction cannot reach the outer handle (which would deadlock the
 * single PGlite connection).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { CompiledQuery, Kysely, PostgresDialect, PostgresDriver, sql, type DatabaseConnection, type Driver, type Transaction, type TransactionSettings } from 'kysely';
import type { DB } from './schema.ts';

export type Engine = 'postgres' | 'pglite';
export type Tx = Transaction<DB>;

/** The role the application runs as inside every transaction; it is not a superuser and not the owner. */
export const APP_ROLE = 'guichet_app';

export interface Database {
  readonly engine: Engine;
  /** Runs `fn` in one transaction as the application role with `tenantId` as the current town. */
  withTenant<T>(tenantId: string, fn: (trx: Tx) => Promise<T>): Promise<T>;
  /** Runs `fn` in one transaction as the application role with no town: town-owned rows are invisible. */
  withoutTenant<T>(fn: (trx: Tx) => Promise<T>): Promise<T>;
  /**
   * Owner access, bypassing row-level security: migrations, the command line's town creation and
   * the job queue. Never handed to a module's use case.
   */
  readonly owner: Kysely<DB>;
  /** A node-postgres style pool for libraries that need one (pg-boss). */
  readonly pool: pg.Pool;
  /**
   * PostgreSQL: listens on `channel` on a connection of its own, calling `onMessage` for each
   * notification and `onState(false)` when the connection is lost (it reconnects, then
   * `onState(true)`). PGlite (one process): null, there is no one else to hear from.
   */
  listen(channel: string, onMessage: () => void, onState: (listening: boolean) => void): Promise<{ close(): Promise<void> } | null>;
  close(): Promise<void>;
}

// Dates and bigints come back as text; our code converts where it needs to.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // 1082 date, 1114 timestamp, 1184 timestamptz: keep timestamptz as Date, date as text.
    if (oid === 1082) return (v: string) => v;
    if (oid === 20) return (v: string) => v;
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

export class NestedTransactionError extends Error {
  constructor() {
    super(
      'A transaction was opened inside another one. Pass the transaction handle (trx) down instead: ' +
        'on PGlite the outer connection is busy and the inner call would wait forever.',
    );
    this.name = 'NestedTransactionError';
  }
}

/** What a running transaction carries in its async context: work to do before and after it commits. */
interface TxContext {
  beforeCommit: Map<string, (trx: Tx) => Promise<unknown>>;
  afterCommit: Array<() => void>;
}

/** Marks the async context of a running transaction, so a nested one fails at once instead of deadlocking. */
const inTransaction = new AsyncLocalStorage<TxContext>();

/**
 * Registers `fn` to run once the current transaction (the one `trx` belongs to) has committed; it
 * never runs if the transaction rolls back. Returns false outside a transaction opened by
 * withTenant/withoutTenant, where there is no commit to wait for. `fn` must not throw.
 */
export function afterCommit(_trx: Tx, fn: () => void): boolean {
  const context = inTransaction.getStore();
  if (!context) return false;
  context.afterCommit.push(fn);
  return true;
}

/**
 * Registers `fn` to run in the current transaction after its work and just before it commits, once
 * per `key` whatever the number of calls (e.g. one notification for several changes). Returns false
 * outside a transaction opened by withTenant/withoutTenant.
 */
export function beforeCommit(_trx: Tx, key: string, fn: (trx: Tx) => Promise<unknown>): boolean {
  const context = inTransaction.getStore();
  if (!context) return false;
  if (!context.beforeCommit.has(key)) context.beforeCommit.set(key, fn);
  return true;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The statement that opens a town's transaction: BEGIN and the role and town settings in one
 * message (one round trip instead of two, and the simple protocol: no parse, bind and describe for a
 * statement that only sets two settings). The town id goes into the text, so only an id that is
 * exactly a UUID does (they all are: tenants.id is a uuid column); anything else takes the
 * parameterized path. The role is a constant.
 */
function beginStatement(tenantId: string | null): string | null {
  if (tenantId !== null && !UUID.test(tenantId)) return null;
  return `begin; select set_config('role', '${APP_ROLE}', true), set_config('app.tenant_id', '${tenantId ?? ''}', true)`;
}

/** Set around owner.transaction() by withTenant: the driver opens the transaction with it. */
const openingStatement = new AsyncLocalStorage<string>();

/** Kysely's PostgreSQL driver, opening withTenant's transactions with beginStatement. */
class TenantDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const opening = openingStatement.getStore();
    // Only the transaction's own opening: the store is cleared for everything inside it.
    if (opening === undefined || settings.isolationLevel || settings.accessMode) return super.beginTransaction(connection, settings);
    await connection.executeQuery(CompiledQuery.raw(opening));
  }
}

class TenantDialect extends PostgresDialect {
  constructor(private readonly pool: pg.Pool) {
    super({ pool });
  }
  override createDriver(): Driver {
    return new TenantDriver({ pool: this.pool });
  }
}

type Listen = Database['listen'];

function build(engine: Engine, pool: pg.Pool, onClose: () => Promise<void>, listen: Listen): Database {
  const owner = new Kysely<DB>({ dialect: new TenantDialect(pool) });
  async function run<T>(tenantId: string | null, fn: (trx: Tx) => Promise<T>): Promise<T> {
    if (inTransaction.getStore()) throw new NestedTransactionError();
    const context: TxContext = { beforeCommit: new Map(), afterCommit: [] };
    // PGlite has no round trip to save, and plans a simple-protocol statement at every call: there,
    // BEGIN alone and the settings as a parameterized (so prepared) statement cost less.
    const opening = engine === 'pglite' ? null : beginStatement(tenantId);
    const transaction = () =>
      owner.transaction().execute((trx) =>
        openingStatement.exit(() =>
          inTransaction.run(context, async () => {
            if (opening === null) {
              await sql`select set_config('role', ${APP_ROLE}, true), set_config('app.tenant_id', ${tenantId ?? ''}, true)`.execute(trx);
            }
            const value = await fn(trx);
            for (const last of context.beforeCommit.values()) await last(trx);
            return value;
          }),
        ),
      );
    const result = opening === null ? await transaction() : await openingStatement.run(opening, transaction);
    for (const done of context.afterCommit) done();
    return result;
  }
  return {
    engine,
    owner,
    pool,
    listen,
    withTenant: (tenantId, fn) => run(tenantId, fn),
    withoutTenant: (fn) => run(null, fn),
    async close() {
      await owner.destroy();
      await onClose();
    },
  };
}

/**
 * Statements the application runs again and again get a name the first times they are seen often,
 * so that each connection parses and plans them once (a prepared statement) instead of at every
 * call. Bounded: only the first MAX_TEXTS statement texts are counted, and a connection names at
 * most MAX_NAMED of them; everything else runs unnamed as before.
 */
const NAME_AFTER_USES = 3;
const MAX_TEXTS = 2000;
const MAX_NAMED = 300;
const uses = new Map<string, { count: number; name: string }>();

function statementName(text: string): string | undefined {
  let entry = uses.get(text);
  if (!entry) {
    if (uses.size >= MAX_TEXTS) return undefined;
    entry = { count: 0, name: `g_${crypto.createHash('sha1').update(text).digest('base64url').slice(0, 20)}` };
    uses.set(text, entry);
  }
  entry.count += 1;
  return entry.count >= NAME_AFTER_USES ? entry.name : undefined;
}

type QueryFn = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/** What the opening statement of a town's transaction starts with (beginStatement). */
const OPENING_PREFIX = 'begin; select set_config(';
/** Kysely reads command, rowCount and rows; the opening's own result is never used. */
const OPENING_SENT = Object.freeze({ command: 'SELECT', rowCount: 0, rows: [] });

/**
 * Wraps a new PostgreSQL connection's query():
 * - parameterized statements seen often run as named statements (see statementName);
 * - the opening of a town's transaction (BEGIN and the settings) is not waited for: it goes out on
 *   the same write as the transaction's first statement (the connection is pipelined, the socket
 *   corked until that statement is queued), so opening a transaction costs no round trip of its
 *   own. Its outcome is awaited with that next statement, and an error in it is the one reported.
 */
function tuneConnection(client: pg.PoolClient, pipelined: boolean): void {
  const named = new Set<string>();
  const original = client.query.bind(client) as QueryFn;
  const socket = (client as unknown as { connection: { stream: { cork(): void; uncork(): void } } }).connection.stream;
  let opening: Promise<unknown> | undefined;
  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  const submit = (config: unknown, values: unknown, callback: unknown): unknown => {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = statementName(config);
      if (name && (named.has(name) || named.size < MAX_NAMED)) {
        named.add(name);
        return original({ name, text: config, values });
      }
    }
    return original(config, values, callback);
  };
  (client as unknown as { query: QueryFn }).query = (config, values, callback) => {
    if (pipelined && typeof config === 'string' && callback === undefined && config.startsWith(OPENING_PREFIX) && opening === undefined) {
      socket.cork();
      corked = true;
      const sent = original(config, values) as Promise<unknown>;
      // Nothing else may fail unobserved: the outcome is collected by the next statement.
      sent.catch(() => {});
      opening = sent;
      // A transaction whose first statement is not queued at once still sends its opening.
      setImmediate(uncork);
      return Promise.resolve(OPENING_SENT);
    }
    const pending = opening;
    opening = undefined;
    const result = submit(config, values, callback);
    uncork();
    if (pending === undefined || !(result instanceof Promise)) return result;
    result.catch(() => {});
    return pending.then(() => result);
  };
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A connection of its own that LISTENs on `channel`, reconnecting after a loss (one second, then up
 * to 30 between tries); `onState` says when it is listening or not.
 */
async function listenOn(url: string, channel: string, onMessage: () => void, onState: (listening: boolean) => void): Promise<{ close(): Promise<void> }> {
  if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = 1000;
  const retry = () => {
    if (closed) return;
    timer = setTimeout(() => void connect(), delay);
    delay = Math.min(delay * 2, 30_000);
  };
  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: `guichet-listen-${process.pid}` });
    c.on('error', () => {});
    c.on('notification', (n) => {
      if (n.channel === channel) onMessage();
    });
    // Only the connection in use counts as lost (not one that failed while connecting).
    c.on('end', () => {
      if (client !== c) return;
      client = null;
      onState(false);
      retry();
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch {
      await c.end().catch(() => {});
      return retry();
    }
    if (closed) return void (await c.end().catch(() => {}));
    client = c;
    delay = 1000;
    onState(true);
  }
  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
      onState(false);
    },
  };
}

export function fromPostgresUrl(url: string, max = 10): Database {
  // Pipelined: a statement is sent without waiting for the previous one's answer (tuneConnection).
  const pool = new pg.Pool({ connectionString: url, max, types, pipeline: true });
  pool.on('connect', (client) => tuneConnection(client, true));
  // An idle connection the server closed (restart, administrator) is dropped by the pool and the
  // next query opens a new one; without a listener the pool's 'error' event would stop the process.
  pool.on('error', () => {});
  return build('postgres', pool, async () => {}, (channel, onMessage, onState) => listenOn(url, channel, onMessage, onState));
}

/** What each PGlite session has prepared or is preparing, by statement name (node-postgres's own records, shared). */
interface PreparedRecords {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}
const preparedInSession = new WeakMap<PGlite, PreparedRecords>();

/**
 * Wraps a PGlite instance. PGlite has one connection: the pool holds exactly one, so transactions queue.
 * Several pools (the app's, a test's) may share PGlite's one session, and a pool replaces its client
 * after an idle time while the session, with the statements it prepared, lives on: so every pool
 * and client on one PGlite share one record of what is prepared (node-postgres's parsedStatements
 * and submittedNamedStatements), and nothing is ever deallocated. A statement's name is a hash of
 * its text, so one name always means one statement. (Deallocating at each new client while that
 * record lived on is what gave "prepared statement ... does not exist" before.)
 */
export function fromPglite(pglite: PGlite, onClose: () => Promise<void> = async () => {}): Database {
  const config = createPgConfig(pglite);
  let prepared = preparedInSession.get(pglite);
  if (!prepared) {
    prepared = { parsedStatements: {}, submittedNamedStatements: {} };
    preparedInSession.set(pglite, prepared);
  }
  Object.assign(config.connection as unknown as PreparedRecords, prepared);
  const pool = new pg.Pool({ ...config, max: 1, types });
  pool.on('connect', (client) => tuneConnection(client, false));
  return build('pglite', pool, onClose, async () => null);
}
