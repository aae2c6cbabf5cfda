/**
 * The only reader of process.env. Every setting is validated once at start-up; a bad value stops
 * the process with a message naming the setting. The result is frozen and typed.
 * Every setting is documented in README.md and .env.example.
 */
import path from 'node:path';

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  /** PostgreSQL connection string; undefined means the embedded PGlite database. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Absolute base URL used in emails and printed at start, e.g. http://localhost:3000 */
  readonly publicUrl: string;
  /** Secret used to sign cookies (CSRF); at least 32 characters in production. */
  readonly sessionSecret: string;
  /** How long a process reuses a session it has just looked up, in seconds (0: look it up on every request). */
  readonly sessionCacheSeconds: number;
  readonly defaultTenant: string | undefined;
  readonly smtp: { readonly url: string | undefined; readonly from: string };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly rateLimit: { readonly perMinute: number; readonly sensitivePerMinute: number };
  readonly bodyLimitBytes: number;
  readonly trustProxy: boolean;
  readonly seedDemo: boolean;
  readonly jobs: boolean;
  /** Days a delivered (or given up) email is kept before it is removed. */
  readonly outboxRetentionDays: number;
  /**
   * The map under the service-request form: a tile URL template with {z}, {x} and {y} (https, or
   * http in development), its attribution, or no map (address entry only) when the URL is "off".
   */
  readonly map: { readonly tileUrl: string | null; readonly attribution: string };
}

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

const DEFAULT_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const DEFAULT_ATTRIBUTION = '© OpenStreetMap contributors';

function mapTiles(env: Env): Config['map'] {
  const raw = env.MAP_TILE_URL?.trim();
  const attribution = env.MAP_TILE_ATTRIBUTION?.trim() || DEFAULT_ATTRIBUTION;
  if (raw === 'off') return { tileUrl: null, attribution };
  const tileUrl = raw || DEFAULT_TILES;
  if (!['{z}', '{x}', '{y}'].every((p) => tileUrl.includes(p))) throw new ConfigError('MAP_TILE_URL', 'must hold {z}, {x} and {y} (or be "off")');
  url({ MAP_TILE_URL: tileUrl.replace(/\{[a-z]\}/g, '0') }, 'MAP_TILE_URL', ['https:', 'http:']);
  return { tileUrl, attribution };
}

/** The origin the map's tiles come from, for the Content-Security-Policy; null without a map. */
export function tileOrigin(config: Pick<Config, 'map'>): string | null {
  if (!config.map.tileUrl) return null;
  return new URL(config.map.tileUrl.replace(/\{[a-z]\}/g, '0')).origin;
}

export function loadConfig(env: Env = process.env): Config {
  const mode = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  const publicUrl = (url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/$/, '');
  let sessionSecret = env.SESSION_SECRET ?? '';
  if (sessionSecret === '') {
    if (mode === 'production') throw new ConfigError('SESSION_SECRET', 'is required in production (at least 32 characters)');
    sessionSecret = 'development-only-secret-do-not-use-in-production';
  } else if (sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long');
  }
  const defaultTenant = env.DEFAULT_TENANT?.trim() || undefined;
  if (defaultTenant !== undefined && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(defaultTenant)) {
    throw new ConfigError('DEFAULT_TENANT', 'must be a town slug (lowercase letters, digits and dashes)');
  }
  const config: Config = {
    env: mode,
    port,
    host,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    dataDir: path.resolve(env.GUICHET_DATA_DIR?.trim() || './data'),
    publicUrl,
    sessionSecret,
    sessionCacheSeconds: int(env, 'SESSION_CACHE_SECONDS', 5, 0, 60),
    defaultTenant,
    smtp: {
      url: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
      from: env.MAIL_FROM?.trim() || 'Guichet <no-reply@guichet.localhost>',
    },
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      mode === 'test' ? 'silent' : 'info'),
    rateLimit: {
      perMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 300, 1, 1_000_000),
      sensitivePerMinute: int(env, 'RATE_LIMIT_SENSITIVE_PER_MINUTE', 10, 1, 1_000_000),
    },
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    seedDemo: bool(env, 'SEED_DEMO', mode !== 'production'),
    jobs: bool(env, 'JOBS', true),
    outboxRetentionDays: int(env, 'OUTBOX_RETENTION_DAYS', 90, 7, 3650),
    map: mapTiles(env),
  };
  return Object.freeze({ ...config, smtp: Object.freeze(config.smtp), rateLimit: Object.freeze(config.rateLimit), map: Object.freeze(config.map) });
}
