/** The signed-in resident's requests and the ones they follow. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Table } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { MyRequest } from '../types.ts';
import { StatusTag, when } from './parts.tsx';

export function MinePage({ ctx, requests }: { ctx: PageContext; requests: MyRequest[] }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('requests.mine.title')}>
      <h1>{t('requests.mine.title')}</h1>
      <Table
        caption={t('requests.mine.caption')}
        rowKey={(r) => r.id}
        rows={requests}
        empty={t('requests.mine.empty')}
        columns={[
          { header: t('requests.mine.reference'), cell: (r) => <a href={href(ctx, `/requests/mine/${r.reference}`)}>{r.reference}</a> },
          { header: t('requests.track.type'), cell: (r) => r.type.name[locale] },
          { header: t('requests.track.where'), cell: (r) => r.address ?? t('requests.details.pinOnly') },
          { header: t('requests.track.status'), cell: (r) => <StatusTag ctx={ctx} status={r.status} /> },
          { header: t('requests.mine.relation'), cell: (r) => t(r.relation === 'requester' ? 'requests.mine.mine' : 'requests.mine.following') },
          { header: t('requests.track.requestedAt'), cell: (r) => when(ctx, r.requestedAt) },
        ]}
      />
      <p>
        <a href={href(ctx, '/requests')}>{t('requests.track.another')}</a>
      </p>
    </Layout>
  );
}
