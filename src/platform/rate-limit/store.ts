/**
 * The store behind @fastify/rate-limit. The broad per-minute limit stays in each process's memory
 * (it only protects that process); the tight limits on sign-in and submission routes, set per route,
 * are counted in the database so that running several processes does not multiply an attacker's
 * attempts. Keys are hashed before they are stored.
 */
import crypto from 'node:crypto';
// The plugin's own in-memory store (no typings are published for it).
// @ts-expect-error untyped CommonJS module of @fastify/rate-limit
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import * as repo from './repo.ts';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;
interface Store {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void;
  read?(key: string, cb: Callback, timeWindow: number, max: number): void;
  child(routeOptions: object): Store;
}

const hashKey = (route: string, key: string) => crypto.createHash('sha256').update(`${route}\u0000${key}`).digest('hex');

class DatabaseStore implements Store {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly route: string,
  ) {}
  incr(key: string, cb: Callback, timeWindow: number): void {
    repo.hit(this.db, hashKey(this.route, key), timeWindow).then(
      (r) => cb(null, { current: r.count, ttl: r.ttlMs }),
      (err: Error) => cb(err),
    );
  }
  read(key: string, cb: Callback): void {
    repo.peek(this.db, hashKey(this.route, key)).then(
      (r) => cb(null, { current: r.count, ttl: r.ttlMs }),
      (err: Error) => cb(err),
    );
  }
  child(): Store {
    return this;
  }
}

/** Builds the store class the plugin instantiates (`store` option). */
export function rateLimitStore(db: Kysely<DB>) {
  return class HybridStore implements Store {
    private readonly local: Store;
    constructor(params: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-call -- the plugin's store has no typings (see the import)
      this.local = new LocalStore(params.continueExceeding, params.exponentialBackoff) as Store;
    }
    incr(key: string, cb: Callback, timeWindow: number, max: number): void {
      this.local.incr(key, cb, timeWindow, max);
    }
    read(key: string, cb: Callback, timeWindow: number, max: number): void {
      this.local.read!(key, cb, timeWindow, max);
    }
    child(routeOptions: object): Store {
      const { routeInfo } = routeOptions as { routeInfo?: { url?: string; method?: string } };
      // One counter for both language versions of a route.
      const url = (routeInfo?.url ?? '').replace(/^\/(fr|en)(?=\/|$)/, '');
      const route = `${routeInfo?.method ?? ''} ${url}`;
      return new DatabaseStore(db, route);
    }
  };
}

export const purgeExpiredRateLimits = repo.purgeExpired;
