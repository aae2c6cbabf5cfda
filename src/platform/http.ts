/**
 * The request's context for pages: the town (from the host name), the language (from the URL
 * prefix), and helpers to render a page. Decorations are declared here once.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { isLocale, negotiateLocale, translator, type Locale } from './i18n.ts';
import type { Tenant } from '../modules/tenants/service.ts';
import type { PageContext } from '../web/context.ts';
import { renderDocument } from '../web/render.ts';
import { AppError } from './errors.ts';

export interface StaffPrincipal {
  id: string;
  name: string;
  email: string;
  role: 'agent' | 'manager' | 'admin';
  locale: Locale;
}

/** A resident signed in with a one-time code; name is null until they fill in their profile. */
export interface ResidentPrincipal {
  id: string;
  email: string;
  name: string | null;
  locale: Locale;
  /** YYYY-MM-DD, when the resident gave it in their profile (age limits of activities). */
  birthDate?: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant | null;
    locale: Locale;
    /** The signed-in staff member, set by the session hook. */
    staff: StaffPrincipal | null;
    /** The signed-in resident, set by the session hook (never both staff and resident). */
    resident: ResidentPrincipal | null;
  }
  interface FastifyContextConfig {
    /** Routes that serve no town data (static files, health) skip the town lookup. */
    skipTenant?: boolean;
  }
}

/** The language of the URL prefix, else the browser's preference. */
export function localeOf(req: FastifyRequest): Locale {
  const first = req.url.split('/')[1]?.split('?')[0];
  if (isLocale(first)) return first;
  return negotiateLocale(req.headers['accept-language']);
}

export function requireTenant(req: FastifyRequest): Tenant {
  if (!req.tenant) throw new AppError('unknownTenant');
  return req.tenant;
}

/** Path after the language prefix, e.g. "/fr/contact?x=1" → "/contact?x=1". */
export function pathWithoutLocale(url: string): string {
  const rest = url.replace(/^\/(fr|en)(?=\/|\?|$)/, '');
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

export function pageContext(req: FastifyRequest, reply: FastifyReply): PageContext {
  const tenant = requireTenant(req);
  return {
    locale: req.locale,
    t: translator(req.locale),
    tenant,
    path: pathWithoutLocale(req.url),
    csrfToken: reply.generateCsrf(),
    nonce: (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script ?? '',
    staff: req.staff ? { id: req.staff.id, name: req.staff.name, role: req.staff.role } : null,
    resident: req.resident ? { id: req.resident.id, name: req.resident.name } : null,
  };
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(renderDocument(page));
}

/** Redirect after a successful POST (303 so the browser follows with GET). */
export function seeOther(reply: FastifyReply, location: string): FastifyReply {
  return reply.redirect(location, 303);
}
