/**
 * Builds the Fastify application. Tests call buildApp and use app.inject() or a real browser;
 * server.ts calls it and listens.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import csrf from '@fastify/csrf-protection';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { tileOrigin, type Config } from './config.ts';
import type { Database } from './db/database.ts';
import { AppError } from './platform/errors.ts';
import { localeOf } from './platform/http.ts';
import { registerErrorHandling } from './platform/error-handler.tsx';
import { loggerOptions } from './platform/logging.ts';
import { tenantResolver } from './modules/tenants/service.ts';
import { registerRoutes } from './routes.ts';
import { MULTIPART_LIMITS } from './platform/uploads.ts';
import { rateLimitStore } from './platform/rate-limit/store.ts';
import { listenForPrincipalChanges, setSessionCacheSeconds } from './platform/auth/session-cache.ts';

export interface AppDeps {
  config: Config;
  db: Database;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'web', 'static');
const LEAFLET_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'leaflet', 'dist');

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  setSessionCacheSeconds(config.sessionCacheSeconds);
  const app = Fastify({
    logger: loggerOptions(config),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    requestIdHeader: false,
  });
  app.decorate('deps', deps);
  app.decorateRequest('tenant', null);
  app.decorateRequest('locale', 'fr');
  app.decorateRequest('staff', null);

  registerErrorHandling(app);

  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // The map's tiles (service requests) come from the configured tile server.
        imgSrc: ["'self'", 'data:', ...(tileOrigin(config) ? [tileOrigin(config)!] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        scriptSrcAttr: ["'none'"],
        upgradeInsecureRequests: config.env === 'production' ? [] : null,
      },
    },
    strictTransportSecurity: config.env === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });
  await app.register(csrf, {
    cookieKey: config.env === 'production' ? '__Host-csrf' : 'csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: config.env === 'production', signed: true },
    // Multipart forms are read by their handler, after this check: they carry the token in the
    // query string too (platform/uploads.ts multipartAction). Other forms only in the body.
    getToken: (req) => {
      const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
      if (typeof fromBody === 'string') return fromBody;
      const fromQuery = (req.query as Record<string, unknown> | undefined)?._csrf;
      return req.isMultipart() && typeof fromQuery === 'string' ? fromQuery : undefined;
    },
  });
  await app.register(multipart, { limits: MULTIPART_LIMITS });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimit.perMinute,
    timeWindow: 60_000,
    store: rateLimitStore(deps.db.owner),
    errorResponseBuilder: (_req, context) => {
      const err = new AppError('tooManyRequests');
      (err as AppError & { retryAfter: number }).retryAfter = Math.ceil(context.ttl / 1000);
      return err;
    },
  });
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/static/',
    maxAge: config.env === 'production' ? '1h' : 0,
    wildcard: false,
  });
  // Leaflet (the map pin of service requests), served from its package: no CDN.
  await app.register(fastifyStatic, {
    root: LEAFLET_DIR,
    prefix: '/static/leaflet/',
    maxAge: config.env === 'production' ? '1h' : 0,
    wildcard: false,
    decorateReply: false,
  });

  const resolveTenant = tenantResolver(deps.db, config.defaultTenant);
  app.addHook('onRequest', async (req) => {
    req.locale = localeOf(req);
    if (req.url.startsWith('/static/') || req.routeOptions.config?.skipTenant) return;
    req.tenant = (await resolveTenant(req.headers.host)) ?? null;
  });
  // A state-changing request must carry a valid CSRF token, whatever route it reaches.
  app.addHook('preHandler', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS' || req.routeOptions.config?.skipCsrf) {
      done();
      return;
    }
    app.csrfProtection(req, reply, done);
  });

  // Other processes' sign-outs and account changes reach this one's session cache (PostgreSQL).
  if (config.sessionCacheSeconds > 0) {
    const stopListening = await listenForPrincipalChanges(deps.db);
    app.addHook('onClose', async () => stopListening());
  }

  await registerRoutes(app);
  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** API routes authenticated by key or token instead of a cookie skip the CSRF check. */
    skipCsrf?: boolean;
  }
}
