/** A lottery draw's public record: anyone can re-run the shuffle with the seed and the entries. */
import { Layout } from '../../../web/components/Layout.tsx';
import { Banner } from '../../../web/components/display.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { Activity } from '../catalogue.ts';
import type { Draw } from '../lottery.ts';
import { sessionWhen, when } from './parts.tsx';

export function DrawPage(props: { ctx: PageContext; activity: Activity; session: { startsAt: Date; endsAt: Date }; draw: Draw; verified: boolean }) {
  const { ctx, activity, draw } = props;
  const { t } = ctx;
  const title = t('bookings.draw.title', { activity: activity.name[ctx.locale] });
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={href(ctx, `/activities/${activity.slug}`)}>{t('bookings.refusals.back')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">{t('bookings.draw.lead')}</p>
      <Banner ctx={ctx} kind={props.verified ? 'success' : 'important'}>
        <p>{props.verified ? t('bookings.draw.verified') : t('bookings.draw.notVerified')}</p>
      </Banner>
      <dl class="summary">
        <dt>{t('bookings.activity.session')}</dt>
        <dd>{sessionWhen(ctx, props.session.startsAt, props.session.endsAt)}</dd>
        <dt>{t('bookings.draw.drawnAt')}</dt>
        <dd>{when(ctx, draw.drawnAt)}</dd>
        <dt>{t('bookings.draw.places')}</dt>
        <dd>{t('bookings.draw.placesValue', { places: draw.places, entries: draw.entryIds.length, winners: draw.winners })}</dd>
        <dt>{t('bookings.draw.algorithm')}</dt>
        <dd>
          <code>{draw.algorithm}</code>
        </dd>
        <dt>{t('bookings.draw.seed')}</dt>
        <dd>
          <code class="break">{draw.seed}</code>
        </dd>
      </dl>
      <h2>{t('bookings.draw.howTitle')}</h2>
      <p>{t('bookings.draw.how')}</p>
      <h2>{t('bookings.draw.entries')}</h2>
      <ol class="draw-list">
        {draw.entryIds.map((id) => (
          <li key={id}>
            <code>{id}</code>
          </li>
        ))}
      </ol>
      <h2>{t('bookings.draw.order')}</h2>
      <ol class="draw-list">
        {draw.order.map((id, i) => (
          <li key={id}>
            <code>{id}</code> {i < draw.winners ? t('bookings.draw.won') : t('bookings.draw.waitlisted')}
          </li>
        ))}
      </ol>
      <p>
        <a href={href(ctx, `/activities/${activity.slug}/draws/${draw.sessionId}.json`)}>{t('bookings.draw.json')}</a>
      </p>
    </Layout>
  );
}
