/**
 * Staff: one session: its roster (printable: the print stylesheet keeps the list and drops the
 * forms; and as CSV), its capacity, its cancellation, and for a lottery the draw with its seed.
 */
import { Banner, Table, Tag, type TagTone } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { PaymentStatus, RosterLine } from '../../staff/desk.ts';
import type { SessionDetail } from '../../staff/catalogue.ts';
import { formatMoney } from '../../rules.ts';
import { sessionWhen, STATUS_TONE, when } from '../parts.tsx';
import { SessionStatus } from './activity.tsx';
import { StaffBookingsLayout, type DoneCode } from './layout.tsx';

export const PAYMENT_TONE: Record<PaymentStatus, TagTone> = { none: 'neutral', due: 'warning', paid: 'success', refunded: 'info' };

export function paymentLabel(ctx: PageContext, status: PaymentStatus, cents: number): string {
  if (cents === 0) return ctx.t('staffBookings.payment.free');
  return ctx.t(`staffBookings.payment.${status}`, { amount: formatMoney(ctx.locale, cents) });
}

export function StaffSessionPage(props: {
  ctx: PageContext;
  detail: SessionDetail & { lines: RosterLine[] };
  canManage: boolean;
  capacity: { value: string; errors: FieldErrors };
  done?: DoneCode | undefined;
  problem?: string | undefined;
}) {
  const { ctx, detail } = props;
  const { t, locale } = ctx;
  const { activity, session, draw } = detail;
  const title = t('staffBookings.roster.title', { name: activity.name[locale], when: sessionWhen(ctx, session.startsAt, session.endsAt) });
  const base = `/staff/bookings/sessions/${session.id}`;
  const live = props.detail.lines.filter((l) => l.status === 'confirmed' || l.status === 'held').length;
  return (
    <StaffBookingsLayout ctx={ctx} title={title} section="activities" done={props.done} hasErrors={Object.keys(props.capacity.errors).length > 0}>
      <link rel="stylesheet" href="/static/bookings-print.css" media="print" />
      <ErrorSummary ctx={ctx} errors={props.capacity.errors} />
      {props.problem ? (
        <Banner ctx={ctx} kind="important">
          <p>{props.problem}</p>
        </Banner>
      ) : null}
      <p class="no-print">
        <a href={href(ctx, `/staff/bookings/activities/${activity.id}`)}>{t('staffBookings.roster.backToActivity', { name: activity.name[locale] })}</a>
      </p>
      <h1>{title}</h1>
      <p>
        <SessionStatus ctx={ctx} session={session} /> {t('staffBookings.roster.count', { live, capacity: session.capacity, waiting: session.waiting })}
      </p>
      <p class="no-print">
        <a href={href(ctx, `${base}/roster.csv`)} download>
          {t('staffBookings.roster.csv')}
        </a>{' '}
        · {t('staffBookings.roster.printHint')}
      </p>
      <Table<RosterLine>
        caption={t('staffBookings.roster.caption')}
        empty={t('staffBookings.roster.empty')}
        rows={props.detail.lines}
        rowKey={(l) => l.bookingId}
        columns={[
          { header: t('staffBookings.roster.participant'), cell: (l) => <a href={href(ctx, `/staff/bookings/bookings/${l.bookingId}`)}>{l.participant}</a> },
          { header: t('staffBookings.roster.bookedBy'), cell: (l) => l.bookedBy ?? '' },
          { header: t('staffBookings.roster.contact'), cell: (l) => (l.phone ? `${l.email}, ${l.phone}` : l.email) },
          { header: t('staffBookings.roster.status'), cell: (l) => <Tag tone={STATUS_TONE[l.status]}>{t(`bookings.status.${l.status}`)}</Tag> },
          { header: t('staffBookings.roster.payment'), cell: (l) => <Tag tone={PAYMENT_TONE[l.payment]}>{paymentLabel(ctx, l.payment, l.priceCents)}</Tag> },
        ]}
      />
      {activity.mode === 'lottery' ? (
        <section class="no-print" aria-labelledby="draw-title">
          <h2 id="draw-title">{t('staffBookings.draw.title')}</h2>
          {draw ? (
            <dl class="summary">
              <dt>{t('staffBookings.draw.drawnAt')}</dt>
              <dd>{when(ctx, draw.drawnAt)}</dd>
              <dt>{t('staffBookings.draw.seed')}</dt>
              <dd>
                <code>{draw.seed}</code>
              </dd>
              <dt>{t('staffBookings.draw.algorithm')}</dt>
              <dd>
                <code>{draw.algorithm}</code>
              </dd>
              <dt>{t('staffBookings.draw.result')}</dt>
              <dd>{t('staffBookings.draw.resultValue', { entries: draw.entryIds.length, places: draw.places, winners: draw.winners })}</dd>
              <dt>{t('staffBookings.draw.check')}</dt>
              <dd>{t(draw.verified ? 'staffBookings.draw.verified' : 'staffBookings.draw.notVerified')}</dd>
              <dt>{t('staffBookings.draw.order')}</dt>
              <dd>
                <ol>
                  {draw.order.map((id, i) => {
                    const entry = detail.entries.get(id);
                    return (
                      <li>
                        {entry ? `${entry.participant} – ` : ''}
                        {t((entry ? entry.status === 'won' : i < draw.winners) ? 'staffBookings.draw.won' : 'staffBookings.draw.waitlisted')} (<code>{id}</code>)
                      </li>
                    );
                  })}
                </ol>
              </dd>
            </dl>
          ) : (
            <>
              <p>
                {t('staffBookings.draw.pending', {
                  entries: session.entries,
                  date: activity.lotteryClosesAt ? when(ctx, activity.lotteryClosesAt) : '',
                })}
              </p>
              {props.canManage && activity.lotteryClosesAt && activity.lotteryClosesAt <= detail.now && !session.cancelled ? (
                <PostForm ctx={ctx} action={href(ctx, `${base}/draw`)}>
                  <Button>{t('staffBookings.draw.run')}</Button>
                </PostForm>
              ) : null}
            </>
          )}
        </section>
      ) : null}
      {props.canManage && !session.cancelled ? (
        <div class="no-print">
          <h2>{t('staffBookings.capacity.title')}</h2>
          <PostForm ctx={ctx} action={href(ctx, `${base}/capacity`)}>
            <TextField
              ctx={ctx}
              name="capacity"
              label={t('staffBookings.fields.capacity')}
              hint={t('staffBookings.capacity.hint', { taken: session.taken })}
              value={props.capacity.value}
              error={props.capacity.errors.capacity}
              maxLength={6}
              inputMode="numeric"
              required
            />
            <Button>{t('staffBookings.capacity.save')}</Button>
          </PostForm>
          <h2>{t('staffBookings.cancelSession.title')}</h2>
          <p>{t('staffBookings.cancelSession.intro')}</p>
          <PostForm ctx={ctx} action={href(ctx, `${base}/cancel`)}>
            <Button variant="warning">{t('staffBookings.cancelSession.button')}</Button>
          </PostForm>
        </div>
      ) : null}
    </StaffBookingsLayout>
  );
}
