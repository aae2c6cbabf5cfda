/** Staff: one booking, and what staff can do to it: move, cancel, mark paid, refund. */
import { Select } from '../../../../web/components/choices.tsx';
import { Tag } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { StaffBookingView } from '../../staff/desk.ts';
import { sessionWhen, STATUS_TONE, when } from '../parts.tsx';
import { StaffBookingsLayout, type DoneCode } from './layout.tsx';
import { PAYMENT_TONE, paymentLabel } from './session.tsx';

export function StaffBookingPage(props: {
  ctx: PageContext;
  booking: StaffBookingView;
  canManage: boolean;
  errors: FieldErrors;
  moveTo: string;
  done?: DoneCode | undefined;
}) {
  const { ctx, booking: b, errors } = props;
  const { t, locale } = ctx;
  const live = b.status === 'held' || b.status === 'confirmed';
  const base = `/staff/bookings/bookings/${b.id}`;
  const title = t('staffBookings.booking.title', { participant: b.participant });
  return (
    <StaffBookingsLayout ctx={ctx} title={title} section="activities" done={props.done} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, `/staff/bookings/sessions/${b.sessionId}`)}>{t('staffBookings.booking.backToRoster')}</a>
      </p>
      <h1>{title}</h1>
      <dl class="summary">
        <dt>{t('staffBookings.booking.activity')}</dt>
        <dd>{b.activity.name[locale]}</dd>
        <dt>{t('staffBookings.sessions.when')}</dt>
        <dd>{sessionWhen(ctx, b.startsAt, b.endsAt)}</dd>
        <dt>{t('staffBookings.roster.bookedBy')}</dt>
        <dd>{b.resident.name ? `${b.resident.name} (${b.resident.email})` : b.resident.email}</dd>
        <dt>{t('staffBookings.roster.status')}</dt>
        <dd>
          <Tag tone={STATUS_TONE[b.status]}>{t(`bookings.status.${b.status}`)}</Tag>
        </dd>
        <dt>{t('staffBookings.roster.payment')}</dt>
        <dd>
          <Tag tone={PAYMENT_TONE[b.paymentStatus]}>{paymentLabel(ctx, b.paymentStatus, b.priceCents)}</Tag>{' '}
          {t(`staffBookings.rates.${b.rate}`)}
          {b.paidAt ? ` · ${t('staffBookings.booking.paidAt', { date: when(ctx, b.paidAt) })}` : ''}
          {b.refundedAt ? ` · ${t('staffBookings.booking.refundedAt', { date: when(ctx, b.refundedAt) })}` : ''}
        </dd>
        <dt>{t('staffBookings.booking.booked')}</dt>
        <dd>{when(ctx, b.createdAt)}</dd>
        {b.cancelledAt ? (
          <>
            <dt>{t('staffBookings.booking.cancelledAt')}</dt>
            <dd>{when(ctx, b.cancelledAt)}</dd>
          </>
        ) : null}
      </dl>
      {live ? (
        <>
          <h2>{t('staffBookings.move.title')}</h2>
          {b.targets.length === 0 ? (
            <p>{t('staffBookings.move.none')}</p>
          ) : (
            <PostForm ctx={ctx} action={href(ctx, `${base}/move`)}>
              <Select
                ctx={ctx}
                name="session"
                label={t('staffBookings.fields.moveTo')}
                hint={t('staffBookings.move.hint')}
                value={props.moveTo}
                error={errors.session}
                required
                options={[
                  { value: '', label: t('staffBookings.move.choose') },
                  ...b.targets.map((s) => ({
                    value: s.id,
                    label: sessionWhen(ctx, s.startsAt, s.endsAt),
                    note: t('staffBookings.move.free', { free: s.free }),
                  })),
                ]}
              />
              <Button>{t('staffBookings.move.button')}</Button>
            </PostForm>
          )}
          {b.paymentStatus === 'due' && b.status === 'confirmed' ? (
            <>
              <h2>{t('staffBookings.paid.title')}</h2>
              <p>{t('staffBookings.paid.intro')}</p>
              <PostForm ctx={ctx} action={href(ctx, `${base}/paid`)}>
                <Button>{t('staffBookings.paid.button')}</Button>
              </PostForm>
            </>
          ) : null}
          <h2>{t('staffBookings.cancel.title')}</h2>
          <p>{t('staffBookings.cancel.intro')}</p>
          <PostForm ctx={ctx} action={href(ctx, `${base}/cancel`)}>
            <Button variant="warning">{t('staffBookings.cancel.button')}</Button>
          </PostForm>
        </>
      ) : null}
      {b.status === 'cancelled' && b.paymentStatus === 'paid' && b.priceCents > 0 && props.canManage ? (
        <>
          <h2>{t('staffBookings.refund.title')}</h2>
          <p>{t('staffBookings.refund.intro')}</p>
          <PostForm ctx={ctx} action={href(ctx, `${base}/refund`)}>
            <Button variant="warning">{t('staffBookings.refund.button')}</Button>
          </PostForm>
        </>
      ) : null}
    </StaffBookingsLayout>
  );
}
