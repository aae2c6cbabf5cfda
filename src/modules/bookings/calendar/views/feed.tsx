/** The resident's personal calendar feed: its secret address, and a form to get a new one. */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Banner } from '../../../../web/components/display.tsx';
import { Button, PostForm } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';

export function FeedPage(props: { ctx: PageContext; address: string | null; notice?: 'reset' | 'created' | undefined }) {
  const { ctx, address, notice } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('passes.feed.title')}>
      <link rel="stylesheet" href="/static/passes.css" />
      {notice ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(notice === 'reset' ? 'passes.feed.resetDone' : 'passes.feed.createdDone')}</p>
        </Banner>
      ) : null}
      <h1>{t('passes.feed.title')}</h1>
      <p>{t('passes.feed.intro')}</p>
      {address ? (
        <>
          <h2>{t('passes.feed.addressTitle')}</h2>
          <p>{t('passes.feed.addressHint')}</p>
          <p>
            <code class="pass__code" id="feed-address">
              {address}
            </code>
          </p>
          <p>{t('passes.feed.secret')}</p>
          <PostForm ctx={ctx} action={href(ctx, '/bookings/calendar/reset')}>
            <Button variant="secondary">{t('passes.feed.reset')}</Button>
          </PostForm>
        </>
      ) : (
        <PostForm ctx={ctx} action={href(ctx, '/bookings/calendar/reset')}>
          <Button>{t('passes.feed.create')}</Button>
        </PostForm>
      )}
      <p>
        <a href={href(ctx, '/bookings')}>{t('passes.feed.back')}</a>
      </p>
    </Layout>
  );
}
