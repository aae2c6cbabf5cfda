/** The residents' pages, under /fr and /en: sign-in, "My file", profile and household. */
import type { FastifyInstance } from 'fastify';
import { accountRoutes } from './account-routes.tsx';
import { householdRoutes } from './household-routes.tsx';
import { signInRoutes } from './sign-in-routes.tsx';

export async function residentRoutes(app: FastifyInstance): Promise<void> {
  await signInRoutes(app);
  await accountRoutes(app);
  await householdRoutes(app);
}
