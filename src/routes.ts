/** Every module's routes, in one place. Page routes are registered once per language prefix. */
import type { FastifyInstance } from 'fastify';
import { LOCALES } from './platform/i18n.ts';
import { siteRoutes, rootRoutes } from './modules/site/routes.tsx';
import { contactRoutes } from './modules/contact/routes.tsx';
import { staffRoutes } from './modules/staff/routes.tsx';
import { ssoCallbackRoutes, ssoRoutes } from './modules/sso/routes.tsx';
import { adminRoutes } from './modules/admin/routes.tsx';
import { residentRoutes } from './modules/residents/routes.tsx';
import { principalForSession } from './modules/staff/service.ts';
import { residentForSession } from './modules/residents/service.ts';
import { redirectToSignIn, sessionHook } from './platform/auth/session.ts';
import { sessionRoutes } from './platform/auth/routes.tsx';
import { bookingRoutes } from './modules/bookings/routes.tsx';
import { requestRoutes } from './modules/requests/routes.tsx';
import { bookingStaffRoutes } from './modules/bookings/staff-routes.tsx';
import { bookingDeskRoutes } from './modules/bookings/staff-desk-routes.tsx';
import { passKeyRoutes, passRoutes } from './modules/bookings/passes/routes.tsx';
import { scannerRoutes } from './modules/bookings/scanner/routes.tsx';
import { verifyRoutes } from './modules/applications/verify-routes.tsx';
import { reviewRoutes } from './modules/applications/review-routes.tsx';
import { followUpRoutes } from './modules/applications/follow-up-routes.tsx';
import { applicationRoutes } from './modules/applications/routes.tsx';
import { builderRoutes } from './modules/applications/builder-routes.tsx';
import { OPEN311_PREFIX, open311Routes } from './modules/open311/routes.ts';
import { apiKeyAdminRoutes } from './modules/open311/admin-routes.tsx';
import { requestStaffRoutes } from './modules/requests/staff/routes.tsx';

type PagePlugin = (app: FastifyInstance) => Promise<void> | void;

/** Page routes live under /fr and /en; each module's page plugin is mounted under both. */
const pagePlugins: PagePlugin[] = [siteRoutes, staffRoutes, ssoRoutes, contactRoutes, adminRoutes, apiKeyAdminRoutes, requestStaffRoutes, residentRoutes, sessionRoutes, bookingRoutes, requestRoutes, bookingStaffRoutes, bookingDeskRoutes, passRoutes, scannerRoutes, verifyRoutes, reviewRoutes, followUpRoutes, applicationRoutes, builderRoutes];

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  // Sets req.staff or req.resident from the session cookie, once the town is known (see platform/auth/session.ts).
  app.decorateRequest('resident', null);
  app.addHook('onRequest', sessionHook(principalForSession, residentForSession));
  await app.register(rootRoutes);
  // Open311 GeoReport v2 (modules/open311): one address per town host, without a language prefix.
  await app.register(open311Routes, { prefix: OPEN311_PREFIX });
  // Each town's public keys for checking passes: one address per town host, without a language prefix.
  await app.register(passKeyRoutes);
  // The single sign-on callback: one address per town host, without a language prefix.
  await app.register(ssoCallbackRoutes);
  // Pages answer requireStaff()'s SignInRequired with a redirect to the sign-in page.
  await app.register(async (pages) => {
    redirectToSignIn(pages);
    for (const locale of LOCALES) {
      for (const plugin of pagePlugins) await pages.register(plugin, { prefix: `/${locale}` });
    }
  });
}
