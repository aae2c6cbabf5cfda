import { Layout } from '../../../web/components/Layout.tsx';
import { Banner } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';

export function SentPage({ ctx, reference }: { ctx: PageContext; reference: string }) {
  const { t, tenant, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('contact.sent.title')}>
      <h1>{t('contact.sent.title')}</h1>
      <Banner ctx={ctx} kind="success" title={t('contact.sent.referenceTitle')}>
        <p>
          <strong>{reference}</strong>
        </p>
      </Banner>
      <p>{t('contact.sent.body', { town: tenant.name[locale] })}</p>
      <p>{t('contact.sent.keepReference')}</p>
      <p>
        <a href={href(ctx, '/contact')}>{t('contact.sent.another')}</a>
      </p>
      <p>
        <a href={href(ctx, '/')}>{t('contact.sent.home')}</a>
      </p>
    </Layout>
  );
}
