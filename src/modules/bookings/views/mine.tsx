/** "My bookings": bookings, waitlist places and lottery entries; and the page that explains a refusal. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Banner, Table, Tag } from '../../../web/components/display.tsx';
import { Button, PostForm } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { RefusalCode } from '../rules.ts';
import type { MyBookings } from '../service.ts';
import { sessionWhen, STATUS_TONE, when } from './parts.tsx';

export type MineNotice = 'left' | 'joined' | 'entered';

export function MyBookingsPage(props: { ctx: PageContext; mine: MyBookings; notice?: MineNotice | undefined }) {
  const { ctx, mine } = props;
  const { t, locale } = ctx;
  const self = t('bookings.participant.self');
  return (
    <Layout ctx={ctx} title={t('bookings.mine.title')}>
      {props.notice ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`bookings.mine.${props.notice}Banner`)}</p>
        </Banner>
      ) : null}
      <h1>{t('bookings.mine.title')}</h1>
      <p class="lead">{t('bookings.mine.lead')}</p>
      <Table
        caption={t('bookings.mine.bookingsCaption')}
        rows={mine.bookings}
        rowKey={(b) => b.id}
        empty={t('bookings.mine.empty')}
        columns={[
          { header: t('bookings.mine.activity'), cell: (b) => b.activity.name[locale] },
          { header: t('bookings.mine.when'), cell: (b) => sessionWhen(ctx, b.startsAt, b.endsAt) },
          { header: t('bookings.mine.participant'), cell: (b) => b.participant ?? self },
          { header: t('bookings.mine.status'), cell: (b) => <Tag tone={STATUS_TONE[b.status]}>{t(`bookings.status.${b.status}`)}</Tag> },
          {
            header: t('bookings.mine.open'),
            cell: (b) => (
              <a href={href(ctx, `/bookings/${b.id}`)}>
                {t('bookings.mine.open')}
                <span class="visually-hidden"> {b.activity.name[locale]}</span>
              </a>
            ),
          },
        ]}
      />
      {mine.waitlist.length > 0 ? (
        <>
          <h2>{t('bookings.mine.waitlistTitle')}</h2>
          <Table
            caption={t('bookings.mine.waitlistCaption')}
            rows={mine.waitlist}
            rowKey={(w) => w.id}
            empty=""
            columns={[
              { header: t('bookings.mine.activity'), cell: (w) => <a href={href(ctx, `/activities/${w.activity.slug}`)}>{w.activity.name[locale]}</a> },
              { header: t('bookings.mine.when'), cell: (w) => when(ctx, w.startsAt) },
              { header: t('bookings.mine.participant'), cell: (w) => w.participant ?? self },
              { header: t('bookings.mine.position'), numeric: true, cell: (w) => t('bookings.mine.positionValue', { position: w.position }) },
              {
                header: t('bookings.mine.leave'),
                cell: (w) => (
                  <PostForm ctx={ctx} action={href(ctx, `/waitlist/${w.id}/leave`)}>
                    <Button variant="secondary">
                      {t('bookings.mine.leave')}
                      <span class="visually-hidden"> {w.activity.name[locale]}</span>
                    </Button>
                  </PostForm>
                ),
              },
            ]}
          />
        </>
      ) : null}
      {mine.lottery.length > 0 ? (
        <>
          <h2>{t('bookings.mine.lotteryTitle')}</h2>
          <Table
            caption={t('bookings.mine.lotteryCaption')}
            rows={mine.lottery}
            rowKey={(e) => e.id}
            empty=""
            columns={[
              { header: t('bookings.mine.activity'), cell: (e) => <a href={href(ctx, `/activities/${e.activity.slug}`)}>{e.activity.name[locale]}</a> },
              { header: t('bookings.mine.when'), cell: (e) => when(ctx, e.startsAt) },
              { header: t('bookings.mine.participant'), cell: (e) => e.participant ?? self },
              { header: t('bookings.mine.drawAt'), cell: (e) => (e.drawAt ? when(ctx, e.drawAt) : '') },
            ]}
          />
        </>
      ) : null}
      <p>
        <a href={href(ctx, '/activities')}>{t('bookings.mine.browse')}</a>
      </p>
      <p>
        <a href={href(ctx, '/bookings/calendar')}>{t('passes.mine.feedLink')}</a>
      </p>
      <p>
        <a href={href(ctx, '/residency')}>{t('staffBookings.mine.link')}</a>
      </p>
    </Layout>
  );
}

/** Why an action on a booking was refused, with a way back. */
export function RefusalPage(props: { ctx: PageContext; code: RefusalCode; params: Record<string, string | number>; activitySlug?: string | undefined }) {
  const { ctx, code } = props;
  const { t } = ctx;
  const title = t(`bookings.refusals.${code}.title`);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{t(`bookings.refusals.${code}.body`, props.params)}</p>
      <p>
        {props.activitySlug ? (
          <>
            <a href={href(ctx, `/activities/${props.activitySlug}`)}>{t('bookings.refusals.back')}</a>
            {' · '}
          </>
        ) : null}
        <a href={href(ctx, '/bookings')}>{t('bookings.booking.mine')}</a>
      </p>
    </Layout>
  );
}
