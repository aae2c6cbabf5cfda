/**
 * One booking. While held: the confirmation step, stating in text until when the place is held
 * (a live countdown is added with JavaScript), with the payment method for a paid one. Then the
 * confirmation, with the cancellation rule; or why it ended.
 */
import { Layout } from '../../../web/components/Layout.tsx';
import { Radios } from '../../../web/components/choices.tsx';
import { Banner, Tag } from '../../../web/components/display.tsx';
import { Button, PostForm } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { PaymentMethod } from '../../../platform/payments.ts';
import { formatMoney } from '../rules.ts';
import type { BookingView } from '../service.ts';
import { Countdown, sessionWhen, STATUS_TONE, timeOf, when } from './parts.tsx';

const PAYMENT_LABEL: Record<PaymentMethod, string> = { counter: 'bookings.booking.paymentCounter' };

export type BookingNotice = 'confirmed' | 'cancelled' | 'released';

function Summary({ ctx, booking }: { ctx: PageContext; booking: BookingView }) {
  const { t, locale } = ctx;
  const payment =
    booking.priceCents === 0
      ? t('bookings.booking.free')
      : booking.paymentStatus === 'paid'
        ? t('bookings.booking.paid', { amount: formatMoney(locale, booking.priceCents) })
        : booking.paymentStatus === 'due'
          ? t('bookings.booking.due', { amount: formatMoney(locale, booking.priceCents) })
          : booking.paymentStatus === 'refunded'
            ? t('staffBookings.payment.refunded', { amount: formatMoney(locale, booking.priceCents) })
            : formatMoney(locale, booking.priceCents);
  return (
    <dl class="summary">
      <dt>{t('bookings.booking.activity')}</dt>
      <dd>
        <a href={href(ctx, `/activities/${booking.activity.slug}`)}>{booking.activity.name[locale]}</a>
      </dd>
      <dt>{t('bookings.booking.when')}</dt>
      <dd>{sessionWhen(ctx, booking.startsAt, booking.endsAt)}</dd>
      <dt>{t('bookings.booking.participant')}</dt>
      <dd>{booking.participant ?? t('bookings.participant.self')}</dd>
      <dt>{booking.status === 'held' ? t('bookings.booking.price') : t('bookings.booking.payment')}</dt>
      <dd>{payment}</dd>
      <dt>{t('bookings.mine.status')}</dt>
      <dd>
        <Tag tone={STATUS_TONE[booking.status]}>{t(`bookings.status.${booking.status}`)}</Tag>
      </dd>
    </dl>
  );
}

function HeldStep({ ctx, booking, methods }: { ctx: PageContext; booking: BookingView; methods: PaymentMethod[] }) {
  const { t } = ctx;
  const until = booking.holdExpiresAt!;
  return (
    <>
      {booking.source !== 'direct' ? (
        <Banner ctx={ctx} kind="important">
          <p>{t(booking.source === 'waitlist' ? 'bookings.booking.offer' : 'bookings.booking.lotteryWon')}</p>
        </Banner>
      ) : null}
      <p>
        <strong>{t('bookings.booking.heldUntil', { time: booking.source === 'direct' ? timeOf(ctx, until) : when(ctx, until) })}</strong>
      </p>
      <p class="field__hint">{t('bookings.booking.heldUntilHint')}</p>
      <Countdown ctx={ctx} until={until} label={t('bookings.booking.remaining')} />
      <h2>{t('bookings.booking.summary')}</h2>
      <Summary ctx={ctx} booking={booking} />
      <PostForm ctx={ctx} action={href(ctx, `/bookings/${booking.id}/confirm`)}>
        {booking.priceCents > 0 ? (
          <Radios
            ctx={ctx}
            name="payment"
            legend={t('bookings.booking.paymentMethod')}
            hint={t('bookings.booking.paymentCounterHint')}
            value={methods[0] ?? ''}
            options={methods.map((m) => ({ value: m, label: t(PAYMENT_LABEL[m]) }))}
          />
        ) : null}
        <Button>{t('bookings.booking.confirm')}</Button>
      </PostForm>
      <PostForm ctx={ctx} action={href(ctx, `/bookings/${booking.id}/cancel`)}>
        <Button variant="secondary">{t('bookings.booking.release')}</Button>
      </PostForm>
    </>
  );
}

export function BookingPage(props: { ctx: PageContext; booking: BookingView; notice?: BookingNotice | undefined; methods: PaymentMethod[] }) {
  const { ctx, booking, notice } = props;
  const { t } = ctx;
  const title =
    booking.status === 'held'
      ? t('bookings.booking.holdTitle')
      : booking.status === 'confirmed'
        ? t('bookings.booking.confirmedTitle')
        : booking.status === 'cancelled'
          ? t('bookings.booking.cancelledTitle')
          : t('bookings.booking.expiredTitle');
  return (
    <Layout ctx={ctx} title={title}>
      {notice ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`bookings.booking.${notice}Banner`)}</p>
        </Banner>
      ) : null}
      <h1>{title}</h1>
      {booking.status === 'held' ? <HeldStep ctx={ctx} booking={booking} methods={props.methods} /> : <Summary ctx={ctx} booking={booking} />}
      {booking.status === 'confirmed' ? (
        <ul class="actions">
          <li>
            <a href={href(ctx, `/bookings/${booking.id}/pass`)}>{t('passes.booking.passLink')}</a>
          </li>
          <li>
            <a href={href(ctx, `/bookings/${booking.id}/calendar.ics`)}>{t('passes.booking.calendarLink')}</a>
          </li>
        </ul>
      ) : null}
      {booking.status === 'confirmed' ? (
        booking.canCancel && booking.cancelUntil ? (
          <>
            <p>{t('bookings.booking.cancelUntil', { date: when(ctx, booking.cancelUntil) })}</p>
            <PostForm ctx={ctx} action={href(ctx, `/bookings/${booking.id}/cancel`)}>
              <Button variant="warning">{t('bookings.booking.cancel')}</Button>
            </PostForm>
          </>
        ) : (
          <p>{t('bookings.booking.cancelClosed')}</p>
        )
      ) : null}
      {booking.status === 'expired' ? <p>{t('bookings.booking.expiredBody')}</p> : null}
      <p>
        <a href={href(ctx, `/activities/${booking.activity.slug}`)}>{t('bookings.booking.backToActivity')}</a>
        {' · '}
        <a href={href(ctx, '/bookings')}>{t('bookings.booking.mine')}</a>
      </p>
    </Layout>
  );
}
