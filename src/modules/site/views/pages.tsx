import { Layout } from '../../../web/components/Layout.tsx';
import { href, type PageContext } from '../../../web/context.ts';

export function HomePage({ ctx }: { ctx: PageContext }) {
  const { t, tenant, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('site.home.title')}>
      <h1>{t('site.home.heading', { town: tenant.name[locale] })}</h1>
      <p class="lead">{t('site.home.intro')}</p>
      <ul class="card-list">
        <li class="card">
          <h2 class="card__title">
            <a href={href(ctx, '/requests')}>{t('requests.home.title')}</a>
          </h2>
          <p>{t('requests.home.body')}</p>
        </li>
        <li class="card">
          <h2 class="card__title">
            <a href={href(ctx, '/activities')}>{t('site.home.activitiesTitle')}</a>
          </h2>
          <p>{t('site.home.activitiesBody')}</p>
        </li>
        <li class="card">
          <h2 class="card__title">
            <a href={href(ctx, '/account')}>{t('site.home.accountTitle')}</a>
          </h2>
          <p>{t('site.home.accountBody')}</p>
        </li>
        <li class="card">
          <h2 class="card__title">
            <a href={href(ctx, '/contact')}>{t('site.home.contactTitle')}</a>
          </h2>
          <p>{t('site.home.contactBody')}</p>
        </li>
      </ul>
    </Layout>
  );
}

export function StatementPage({ ctx, kind }: { ctx: PageContext; kind: 'privacy' | 'accessibility' }) {
  const { t, tenant, locale } = ctx;
  const town = tenant.name[locale];
  return (
    <Layout ctx={ctx} title={t(`site.${kind}.title`)}>
      <h1>{t(`site.${kind}.title`)}</h1>
      <p>{t(`site.${kind}.intro`, { town })}</p>
      <h2>{t(`site.${kind}.contactHeading`)}</h2>
      <p>
        {t(`site.${kind}.contactBody`, { town })}{' '}
        <a href={href(ctx, '/contact')}>{t('common.contact')}</a>
      </p>
    </Layout>
  );
}
