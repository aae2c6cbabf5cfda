/** Staff: one facility or activity, its sessions, and the forms to add one session or a weekly series. */
import { Table, Tag } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { StaffActivity, StaffSession } from '../../staff/catalogue.ts';
import type { SeriesValues, SessionValues } from '../../staff/forms.ts';
import { formatMoney } from '../../rules.ts';
import { agesOf, sessionWhen, when } from '../parts.tsx';
import { PublishedTag } from './activities.tsx';
import { StaffBookingsLayout, type DoneCode } from './layout.tsx';

export function SessionStatus({ ctx, session }: { ctx: PageContext; session: StaffSession }) {
  const { t } = ctx;
  if (session.cancelled) return <Tag tone="danger">{t('staffBookings.sessions.cancelled')}</Tag>;
  if (session.taken >= session.capacity) return <Tag tone="warning">{t('staffBookings.sessions.full')}</Tag>;
  return <Tag tone="info">{t('staffBookings.sessions.open')}</Tag>;
}

export function ActivitySummary({ ctx, activity }: { ctx: PageContext; activity: StaffActivity }) {
  const { t, locale } = ctx;
  return (
    <dl class="summary">
      <dt>{t('staffBookings.fields.kind')}</dt>
      <dd>{t(`staffBookings.kinds.${activity.kind}`)}</dd>
      <dt>{t('staffBookings.activities.status')}</dt>
      <dd>
        <PublishedTag ctx={ctx} published={activity.published} />
      </dd>
      <dt>{t('staffBookings.activity.ages')}</dt>
      <dd>{agesOf(ctx, activity)}</dd>
      <dt>{t('staffBookings.activity.prices')}</dt>
      <dd>
        {t('staffBookings.activity.pricesValue', {
          resident: formatMoney(locale, activity.residentPriceCents),
          other: formatMoney(locale, activity.nonresidentPriceCents),
        })}
        {activity.residentsOnly ? ` (${t('staffBookings.fields.residentsOnly')})` : ''}
      </dd>
      <dt>{t('staffBookings.fields.mode')}</dt>
      <dd>{t(`staffBookings.modes.${activity.mode}`)}</dd>
      <dt>{t('staffBookings.fields.opensAt')}</dt>
      <dd>{when(ctx, activity.opensAt)}</dd>
      {activity.residentsOpenAt ? (
        <>
          <dt>{t('staffBookings.fields.residentsOpenAt')}</dt>
          <dd>{when(ctx, activity.residentsOpenAt)}</dd>
        </>
      ) : null}
      {activity.lotteryClosesAt ? (
        <>
          <dt>{t('staffBookings.fields.lotteryClosesAt')}</dt>
          <dd>{when(ctx, activity.lotteryClosesAt)}</dd>
        </>
      ) : null}
      <dt>{t('staffBookings.activity.rules')}</dt>
      <dd>{t('staffBookings.activity.rulesValue', { cancel: activity.cancelHoursBefore, hold: activity.holdMinutes, offer: activity.offerHours })}</dd>
    </dl>
  );
}

export function StaffActivityPage(props: {
  ctx: PageContext;
  activity: StaffActivity;
  sessions: StaffSession[];
  canManage: boolean;
  session: { values: SessionValues; errors: FieldErrors; key: string };
  series: { values: SeriesValues; errors: FieldErrors; key: string };
  done?: DoneCode | undefined;
}) {
  const { ctx, activity } = props;
  const { t, locale } = ctx;
  const errors = { ...props.session.errors, ...props.series.errors };
  const field = (name: string, value: string, error: string | undefined, maxLength: number, hint?: string) => (
    <TextField ctx={ctx} name={name} label={t(`staffBookings.fields.${name}`)} value={value} error={error} maxLength={maxLength} hint={hint} required />
  );
  const base = `/staff/bookings/activities/${activity.id}`;
  return (
    <StaffBookingsLayout ctx={ctx} title={activity.name[locale]} section="activities" done={props.done} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, '/staff/bookings')}>{t('staffBookings.back')}</a>
      </p>
      <h1>{activity.name[locale]}</h1>
      <ActivitySummary ctx={ctx} activity={activity} />
      {props.canManage ? (
        <p>
          <a href={href(ctx, `${base}/edit`)}>{t('staffBookings.activity.edit')}</a>
          {activity.published ? (
            <>
              {' · '}
              <a href={href(ctx, `/activities/${activity.slug}`)}>{t('staffBookings.activity.publicPage')}</a>
            </>
          ) : null}
        </p>
      ) : null}
      <h2>{t('staffBookings.sessions.title')}</h2>
      <Table<StaffSession>
        caption={t('staffBookings.sessions.caption', { name: activity.name[locale] })}
        empty={t('staffBookings.sessions.empty')}
        rows={props.sessions}
        rowKey={(s) => s.id}
        columns={[
          { header: t('staffBookings.sessions.when'), cell: (s) => <a href={href(ctx, `/staff/bookings/sessions/${s.id}`)}>{sessionWhen(ctx, s.startsAt, s.endsAt)}</a> },
          { header: t('staffBookings.sessions.taken'), cell: (s) => t('staffBookings.sessions.takenValue', { taken: s.taken, capacity: s.capacity }), numeric: true },
          { header: t('staffBookings.sessions.waiting'), cell: (s) => (activity.mode === 'lottery' && !s.drawn ? s.entries : s.waiting), numeric: true },
          { header: t('staffBookings.activities.status'), cell: (s) => <SessionStatus ctx={ctx} session={s} /> },
        ]}
      />
      {props.canManage ? (
        <>
          <h2>{t('staffBookings.sessions.addTitle')}</h2>
          <PostForm ctx={ctx} action={href(ctx, `${base}/sessions`)}>
            <input type="hidden" name="_idem" value={props.session.key} />
            {field('startsAt', props.session.values.startsAt, props.session.errors.startsAt, 20, t('staffBookings.hints.dateTime'))}
            {field('endsAt', props.session.values.endsAt, props.session.errors.endsAt, 20, t('staffBookings.hints.dateTime'))}
            {field('capacity', props.session.values.capacity, props.session.errors.capacity, 6)}
            <Button>{t('staffBookings.sessions.add')}</Button>
          </PostForm>
          <h2>{t('staffBookings.sessions.seriesTitle')}</h2>
          <p>{t('staffBookings.sessions.seriesIntro')}</p>
          <PostForm ctx={ctx} action={href(ctx, `${base}/series`)}>
            <input type="hidden" name="_idem" value={props.series.key} />
            {field('firstStartsAt', props.series.values.firstStartsAt, props.series.errors.firstStartsAt, 20, t('staffBookings.hints.dateTime'))}
            {field('minutes', props.series.values.minutes, props.series.errors.minutes, 4, t('staffBookings.hints.minutes'))}
            {field('weeks', props.series.values.weeks, props.series.errors.weeks, 3, t('staffBookings.hints.weeks'))}
            <TextField
              ctx={ctx}
              name="seriesCapacity"
              label={t('staffBookings.fields.seriesCapacity')}
              value={props.series.values.seriesCapacity}
              error={props.series.errors.seriesCapacity}
              maxLength={6}
              required
            />
            <Button>{t('staffBookings.sessions.addSeries')}</Button>
          </PostForm>
        </>
      ) : null}
    </StaffBookingsLayout>
  );
}
