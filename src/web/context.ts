import type { Locale, Translate } from '../platform/i18n.ts';
import type { Tenant } from '../modules/tenants/service.ts';

/** What every page needs to render: the language, the town, the signed-in staff member if any. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  tenant: Tenant;
  /** The path after the language prefix, with the query string, e.g. "/contact?x=1". */
  path: string;
  csrfToken: string;
  nonce: string;
  staff: { id: string; name: string; role: string } | null;
  /** The signed-in resident, if any (left out on pages that know nobody, such as error pages). */
  resident?: { id: string; name: string | null } | null;
}

/** A link inside the current language: href(ctx, '/contact') → '/fr/contact'. */
export function href(ctx: Pick<PageContext, 'locale'>, path: string): string {
  return `/${ctx.locale}${path === '/' ? '' : path}`;
}
