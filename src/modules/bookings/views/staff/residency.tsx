/** Residency: staff review requests (the list, then one request to approve or refuse); residents ask. */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Banner, Table, Tag, type TagTone } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextArea, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { ResidencyRequestView, ResidencyStatus } from '../../staff/residency.ts';
import { when } from '../parts.tsx';
import { StaffBookingsLayout, type DoneCode } from './layout.tsx';

const TONE: Record<ResidencyRequestView['status'], TagTone> = { pending: 'warning', approved: 'success', refused: 'neutral' };

function StatusTag({ ctx, status }: { ctx: PageContext; status: ResidencyRequestView['status'] }) {
  return <Tag tone={TONE[status]}>{ctx.t(`staffBookings.residency.statuses.${status}`)}</Tag>;
}

export function ResidencyQueuePage(props: { ctx: PageContext; pending: ResidencyRequestView[]; decided: ResidencyRequestView[]; done?: DoneCode | undefined }) {
  const { ctx } = props;
  const { t } = ctx;
  const columns = [
    { header: t('staffBookings.residency.person'), cell: (r: ResidencyRequestView) => <a href={href(ctx, `/staff/bookings/residency/${r.id}`)}>{r.name ?? r.email}</a> },
    { header: t('staffBookings.fields.address'), cell: (r: ResidencyRequestView) => r.address },
    { header: t('staffBookings.residency.sent'), cell: (r: ResidencyRequestView) => when(ctx, r.createdAt) },
    { header: t('staffBookings.activities.status'), cell: (r: ResidencyRequestView) => <StatusTag ctx={ctx} status={r.status} /> },
  ];
  return (
    <StaffBookingsLayout ctx={ctx} title={t('staffBookings.residency.title')} section="residency" done={props.done}>
      <h1>{t('staffBookings.residency.title')}</h1>
      <p>{t('staffBookings.residency.intro')}</p>
      <Table<ResidencyRequestView> caption={t('staffBookings.residency.pendingCaption')} empty={t('staffBookings.residency.noPending')} rows={props.pending} rowKey={(r) => r.id} columns={columns} />
      <h2>{t('staffBookings.residency.decidedTitle')}</h2>
      <Table<ResidencyRequestView> caption={t('staffBookings.residency.decidedCaption')} empty={t('staffBookings.residency.noDecided')} rows={props.decided} rowKey={(r) => r.id} columns={columns} />
    </StaffBookingsLayout>
  );
}

export function ResidencyReviewPage(props: { ctx: PageContext; request: ResidencyRequestView; values: { validUntil: string; reason: string }; errors: FieldErrors }) {
  const { ctx, request: r, errors } = props;
  const { t } = ctx;
  const title = t('staffBookings.residency.reviewTitle', { name: r.name ?? r.email });
  return (
    <StaffBookingsLayout ctx={ctx} title={title} section="residency" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, '/staff/bookings/residency')}>{t('staffBookings.back')}</a>
      </p>
      <h1>{title}</h1>
      <dl class="summary">
        <dt>{t('staffBookings.residency.person')}</dt>
        <dd>{r.name ? `${r.name} (${r.email})` : r.email}</dd>
        <dt>{t('staffBookings.fields.address')}</dt>
        <dd>{r.address}</dd>
        <dt>{t('staffBookings.residency.profileAddress')}</dt>
        <dd>{r.profileAddress ?? t('staffBookings.residency.noProfileAddress')}</dd>
        <dt>{t('staffBookings.fields.proof')}</dt>
        <dd>{r.proof}</dd>
        <dt>{t('staffBookings.residency.sent')}</dt>
        <dd>{when(ctx, r.createdAt)}</dd>
        <dt>{t('staffBookings.activities.status')}</dt>
        <dd>
          <StatusTag ctx={ctx} status={r.status} />
          {r.validUntil ? ` ${t('staffBookings.residency.until', { date: r.validUntil })}` : ''}
          {r.reason ? ` ${r.reason}` : ''}
        </dd>
      </dl>
      {r.status === 'pending' ? (
        <>
          <h2>{t('staffBookings.residency.approveTitle')}</h2>
          <p>{t('staffBookings.residency.approveIntro')}</p>
          <PostForm ctx={ctx} action={href(ctx, `/staff/bookings/residency/${r.id}/approve`)}>
            <TextField
              ctx={ctx}
              name="validUntil"
              label={t('staffBookings.fields.validUntil')}
              hint={t('staffBookings.hints.day')}
              value={props.values.validUntil}
              error={errors.validUntil}
              maxLength={10}
              required
            />
            <Button>{t('staffBookings.residency.approve')}</Button>
          </PostForm>
          <h2>{t('staffBookings.residency.refuseTitle')}</h2>
          <PostForm ctx={ctx} action={href(ctx, `/staff/bookings/residency/${r.id}/refuse`)}>
            <TextArea
              ctx={ctx}
              name="reason"
              label={t('staffBookings.fields.reason')}
              hint={t('staffBookings.hints.reason')}
              value={props.values.reason}
              error={errors.reason}
              maxLength={1000}
              rows={3}
              required
            />
            <Button variant="warning">{t('staffBookings.residency.refuse')}</Button>
          </PostForm>
        </>
      ) : null}
    </StaffBookingsLayout>
  );
}

/** The resident's page: their proof on file, their latest request, and the form to ask. */
export function MyResidencyPage(props: {
  ctx: PageContext;
  status: ResidencyStatus;
  values: { address: string; proof: string };
  errors: FieldErrors;
  idempotencyKey: string;
  sent?: boolean;
}) {
  const { ctx, status, errors } = props;
  const { t } = ctx;
  const pending = status.request?.status === 'pending';
  return (
    <Layout ctx={ctx} title={t('staffBookings.mine.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      {props.sent ? (
        <Banner ctx={ctx} kind="success">
          <p>{t('staffBookings.mine.sent')}</p>
        </Banner>
      ) : null}
      <h1>{t('staffBookings.mine.title')}</h1>
      <p>{t('staffBookings.mine.intro')}</p>
      <p>{status.validUntil ? t('staffBookings.mine.onFile', { date: status.validUntil }) : t('staffBookings.mine.noneOnFile')}</p>
      {status.request?.status === 'refused' ? <p>{t('staffBookings.mine.refused', { reason: status.request.reason ?? '' })}</p> : null}
      {pending ? (
        <p>{t('staffBookings.mine.pending', { date: when(ctx, status.request!.createdAt) })}</p>
      ) : (
        <PostForm ctx={ctx} action={href(ctx, '/residency')}>
          <input type="hidden" name="_idem" value={props.idempotencyKey} />
          <TextField ctx={ctx} name="address" label={t('staffBookings.fields.address')} value={props.values.address} error={errors.address} maxLength={300} autocomplete="street-address" required />
          <TextArea ctx={ctx} name="proof" label={t('staffBookings.fields.proof')} hint={t('staffBookings.hints.proof')} value={props.values.proof} error={errors.proof} maxLength={1000} rows={3} required />
          <Button>{t('staffBookings.mine.send')}</Button>
        </PostForm>
      )}
      <p>
        <a href={href(ctx, '/activities')}>{t('staffBookings.mine.toActivities')}</a>
      </p>
    </Layout>
  );
}
