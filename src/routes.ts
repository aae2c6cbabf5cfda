/** Every module's routes, in one place. Page routes are registered once per language prefix. */
import type { FastifyInstance } from 'fastify';
import { LOCALES } from './platform/i18n.ts';
import { siteRoutes, rootRoutes } from './modules/site/routes.tsx';

type PagePlugin = (app: FastifyInstance) => Promise<void> | void;

/** Page routes live under /fr and /en; each module's page plugin is mounted under both. */
const pagePlugins: PagePlugin[] = [siteRoutes];

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(rootRoutes);
  for (const locale of LOCALES) {
    for (const plugin of pagePlugins) await app.register(plugin, { prefix: `/${locale}` });
  }
}
