/** Turns a page request into the administrator at work (AdminCaller) that the use cases take. */
import type { FastifyRequest } from 'fastify';
import { requireStaff } from '../../platform/auth/session.ts';
import { requireTenant } from '../../platform/http.ts';
import { staffPrincipal } from '../departments/service.ts';
import type { AdminCaller } from './service.ts';

/**
 * The signed-in staff member as a caller (a sign-in redirect when nobody is signed in). Whether
 * they may do what they ask is the use case's first check, which records any refusal.
 */
export async function adminCaller(req: FastifyRequest): Promise<AdminCaller> {
  const tenant = requireTenant(req);
  const staff = requireStaff(req);
  const { config, db } = req.server.deps;
  const principal = await staffPrincipal(db, tenant.id, staff);
  // Links in emails lead back to the host name this town answered on (a town may have several).
  const protocol = config.env === 'production' ? 'https' : req.protocol;
  return { db, principal, ip: req.ip, tenant, baseUrl: `${protocol}://${req.host}` };
}

/** The departments ticked in a form (one value or several). */
export function tickedDepartments(body: unknown): string[] {
  const raw = (body as { departments?: unknown } | undefined)?.departments;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return list.filter((v): v is string => typeof v === 'string' && v !== '');
}
