/**
 * Open311 GeoReport v2 at /open311/v2/ (no language prefix): discovery, services, one service's
 * definition, requests (list, file, one), tokens, and report photos (media_url). The format is the
 * path's extension (.xml, the standard's default, or .json); `jurisdiction_id` is the town's slug
 * (it may be left out on the town's own host name); errors are the spec's list of {code,
 * description} with the HTTP status as code. Descriptions follow `locale` (fr or en, an extension;
 * the town's language by default). Reading needs no key; filing needs an API key (`api_key`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { isLocale, translator, type Locale, type Translate } from '../../platform/i18n.ts';
import { getPublicPhoto, getRequestType, listRequestTypes, type RequestsCaller } from '../requests/service.ts';
import { findTenantBySlug, type Tenant } from '../tenants/service.ts';
import { fail, formatOfUrl, Open311Failure, send, sendErrors, splitFormat, type Format } from './format.ts';
import { param, type Open311Context } from './context.ts';
import { fileRequest } from './post.ts';
import { listRequests, oneRequest, oneToken, REQUEST_ITEMS } from './read.ts';
import { serviceDefinition, serviceOf } from './services.ts';

export const OPEN311_PREFIX = '/open311/v2';
/** When the standard's text was last followed here (the discovery's changeset). */
const CHANGESET = '2026-11-27T00:00:00Z';

function originOf(req: FastifyRequest): string {
  const protocol = req.server.deps.config.env === 'production' ? 'https' : req.protocol;
  return `${protocol}://${req.host}`;
}

function localeOf(req: FastifyRequest, tenant: Tenant | null): Locale {
  const asked = param(req, 'locale');
  return isLocale(asked) ? asked : (tenant?.defaultLocale ?? 'fr');
}

/** The town: `jurisdiction_id` (its slug) when given, else the host name's town. */
async function townOf(req: FastifyRequest, t: Translate): Promise<Tenant> {
  const slug = param(req, 'jurisdiction_id');
  if (slug !== undefined && slug.trim() !== '') {
    const clean = slug.trim().toLowerCase();
    const tenant = /^[a-z0-9][a-z0-9-]{1,62}$/.test(clean) ? await findTenantBySlug(req.server.deps.db, clean) : undefined;
    if (!tenant) throw fail(404, t('open311.errors.jurisdictionNotFound'));
    return tenant;
  }
  if (!req.tenant) throw fail(400, t('open311.errors.jurisdictionRequired'));
  return req.tenant;
}

/** Reads the format, the town and the language, in that order (each error in the best format known so far). */
async function contextOf(req: FastifyRequest, file: string): Promise<Open311Context & { name: string }> {
  const split = splitFormat(file);
  const early = translator(localeOf(req, req.tenant));
  if (!split) throw fail(400, early('open311.errors.format'));
  (req as FastifyRequest & { open311Format?: Format }).open311Format = split.format;
  const tenant = await townOf(req, early);
  const locale = localeOf(req, tenant);
  const caller: RequestsCaller = { db: req.server.deps.db, tenant, principal: { kind: 'anonymous', tenantId: tenant.id }, ip: req.ip, publicUrl: originOf(req) };
  return { name: split.name, tenant, locale, t: translator(locale), format: split.format, caller, origin: originOf(req) };
}

function notFound(req: FastifyRequest): Open311Failure {
  return fail(404, translator(localeOf(req, req.tenant))('open311.errors.notFound'));
}

function discovery(ctx: Open311Context) {
  return {
    changeset: CHANGESET,
    contact: ctx.t('open311.discovery.contact', { town: ctx.tenant.name[ctx.locale], url: `${ctx.origin}/${ctx.locale}/contact` }),
    key_service: ctx.t('open311.discovery.keyService'),
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: `${ctx.origin}${OPEN311_PREFIX}`,
        changeset: CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

export async function open311Routes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; code?: string }, req, reply) => {
    const format = (req as FastifyRequest & { open311Format?: Format }).open311Format ?? formatOfUrl(req.url);
    if (err instanceof Open311Failure) return sendErrors(reply, format, err.status, err.errors);
    const t = translator(localeOf(req, req.tenant));
    const status = err instanceof AppError ? err.status : (err.statusCode ?? 500);
    if (status === 429) reply.header('retry-after', String((err as { retryAfter?: number }).retryAfter ?? 60));
    if (status >= 500) req.log.error({ err }, 'open311 request failed');
    else req.log.info({ status, reason: err.message }, 'open311 request refused');
    const key = status === 404 ? 'notFound' : status === 413 ? 'tooLarge' : status === 415 ? 'mediaType' : status === 429 ? 'tooManyRequests' : status >= 500 ? 'internal' : 'badRequest';
    return sendErrors(reply, format, status >= 400 && status < 600 ? status : 500, [{ code: status, description: t(`open311.errors.${key}`) }]);
  });
  app.setNotFoundHandler((req, reply) => {
    const failure = notFound(req);
    return sendErrors(reply, formatOfUrl(req.url), failure.status, failure.errors);
  });

  app.get('/:file', async (req, reply) => {
    const ctx = await contextOf(req, (req.params as { file: string }).file);
    switch (ctx.name) {
      case 'discovery':
        return send(reply, ctx.format, 200, discovery(ctx), 'discovery', { endpoints: 'endpoint', formats: 'format' });
      case 'services': {
        const types = await listRequestTypes(ctx.caller.db, ctx.tenant.id);
        return send(reply, ctx.format, 200, types.map((type) => serviceOf(type, ctx.locale)), 'services', { services: 'service' });
      }
      case 'requests':
        return listRequests(req, reply, ctx);
      default:
        throw notFound(req);
    }
  });

  app.post('/:file', { config: { skipCsrf: true } }, async (req, reply) => {
    const ctx = await contextOf(req, (req.params as { file: string }).file);
    if (ctx.name !== 'requests') throw notFound(req);
    return fileRequest(req, reply, ctx);
  });

  app.get('/services/:file', async (req, reply) => {
    const ctx = await contextOf(req, (req.params as { file: string }).file);
    const type = await getRequestType(ctx.caller.db, ctx.tenant.id, ctx.name);
    if (!type) throw fail(404, ctx.t('open311.errors.serviceNotFound'));
    return send(reply, ctx.format, 200, serviceDefinition(type, ctx.locale), 'service_definition', { attributes: 'attribute', values: 'value' });
  });

  app.get('/requests/:file', async (req, reply) => {
    const ctx = await contextOf(req, (req.params as { file: string }).file);
    return send(reply, ctx.format, 200, await oneRequest(ctx, ctx.name), 'service_requests', REQUEST_ITEMS);
  });

  app.get('/tokens/:file', async (req, reply) => {
    const ctx = await contextOf(req, (req.params as { file: string }).file);
    return send(reply, ctx.format, 200, await oneToken(ctx, ctx.name), 'service_requests', REQUEST_ITEMS);
  });

  // A report's photo, as Open311's media_url points to it (public photos only).
  app.get('/media/:id', async (req, reply) => {
    const ctx = await contextOf(req, (req.params as { id: string }).id);
    const photo = await getPublicPhoto(ctx.caller, ctx.name);
    if (!photo) throw notFound(req);
    return reply
      .header('content-type', photo.contentType)
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(photo.bytes);
  });
}

