/** The signed-in staff member as the requests use cases' caller (a sign-in redirect when nobody is signed in). */
import type { FastifyRequest } from 'fastify';
import { requireStaff } from '../../../platform/auth/session.ts';
import { requireTenant } from '../../../platform/http.ts';
import { staffPrincipal } from '../../departments/service.ts';
import type { RequestsCaller } from '../types.ts';

export async function staffRequestsCaller(req: FastifyRequest): Promise<RequestsCaller> {
  const tenant = requireTenant(req);
  const staff = requireStaff(req);
  const { db, config } = req.server.deps;
  return { db, tenant, principal: await staffPrincipal(db, tenant.id, staff), ip: req.ip, publicUrl: config.publicUrl };
}

