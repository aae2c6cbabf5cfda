/**
 * The administration pages (/staff/admin/…: staff accounts, departments, audit trail), for the
 * town's administrators, and the public page where an invited person accepts their invitation.
 */
import type { FastifyInstance } from 'fastify';
import { auditAdminRoutes } from './audit-routes.tsx';
import { departmentAdminRoutes } from './department-routes.tsx';
import { invitationRoutes } from './invitation-routes.tsx';
import { staffAdminRoutes } from './staff-routes.tsx';

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  await staffAdminRoutes(app);
  await departmentAdminRoutes(app);
  await auditAdminRoutes(app);
  await invitationRoutes(app);
}
