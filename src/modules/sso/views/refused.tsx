/** The page a refused single sign-on ends on: what happened and what to do, never the technical detail. */
import { Layout } from '../../../web/components/Layout.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { SsoRefusal } from '../service.ts';

export function RefusedPage({ ctx, reason, provider }: { ctx: PageContext; reason: SsoRefusal; provider: string | null }) {
  const { t } = ctx;
  const name = provider ?? t('sso.refused.yourProvider');
  return (
    <Layout ctx={ctx} title={t('sso.refused.title')}>
      <h1>{t('sso.refused.title')}</h1>
      <p class="lead">{t(`sso.refused.reasons.${reason}`, { provider: name })}</p>
      <p>{t('sso.refused.nothingKept')}</p>
      <p>
        <a href={href(ctx, '/staff/sign-in')}>{t('sso.refused.back')}</a>
      </p>
    </Layout>
  );
}
