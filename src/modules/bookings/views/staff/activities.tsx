/** Staff: the list of facilities and activities, and the form to create or change one. */
import { Radios, YesNoBoxes } from '../../../../web/components/choices.tsx';
import { Table, Tag } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextArea, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { StaffActivity } from '../../staff/catalogue.ts';
import { DESCRIPTION_MAX, NAME_MAX, type ActivityValues } from '../../staff/forms.ts';
import { when } from '../parts.tsx';
import { StaffBookingsLayout, type DoneCode } from './layout.tsx';

export function PublishedTag({ ctx, published }: { ctx: PageContext; published: boolean }) {
  return <Tag tone={published ? 'success' : 'neutral'}>{ctx.t(published ? 'staffBookings.activities.published' : 'staffBookings.activities.draft')}</Tag>;
}

export function StaffActivitiesPage(props: { ctx: PageContext; activities: StaffActivity[]; canManage: boolean; done?: DoneCode | undefined }) {
  const { ctx } = props;
  const { t, locale } = ctx;
  return (
    <StaffBookingsLayout ctx={ctx} title={t('staffBookings.activities.title')} section="activities" done={props.done}>
      <h1>{t('staffBookings.activities.title')}</h1>
      <p>{t('staffBookings.activities.intro')}</p>
      {props.canManage ? (
        <p>
          <a class="button button--secondary" href={href(ctx, '/staff/bookings/new')}>
            {t('staffBookings.activities.new')}
          </a>
        </p>
      ) : null}
      <Table<StaffActivity>
        caption={t('staffBookings.activities.caption')}
        empty={t('staffBookings.activities.empty')}
        rows={props.activities}
        rowKey={(a) => a.id}
        columns={[
          { header: t('staffBookings.activities.name'), cell: (a) => <a href={href(ctx, `/staff/bookings/activities/${a.id}`)}>{a.name[locale]}</a> },
          { header: t('staffBookings.fields.kind'), cell: (a) => t(`staffBookings.kinds.${a.kind}`) },
          { header: t('staffBookings.fields.mode'), cell: (a) => t(`staffBookings.modes.${a.mode}`) },
          { header: t('staffBookings.fields.opensAt'), cell: (a) => when(ctx, a.opensAt) },
          { header: t('staffBookings.activities.upcoming'), cell: (a) => a.upcoming ?? 0, numeric: true },
          { header: t('staffBookings.activities.status'), cell: (a) => <PublishedTag ctx={ctx} published={a.published} /> },
        ]}
      />
    </StaffBookingsLayout>
  );
}

const DATE_HINT = 'staffBookings.hints.dateTime';

/** Every field of a facility or activity, with its limits. */
function ActivityFields({ ctx, values, errors }: { ctx: PageContext; values: ActivityValues; errors: FieldErrors }) {
  const { t } = ctx;
  const field = (name: keyof ActivityValues, maxLength: number, opts: { required?: boolean; hint?: string; inputMode?: 'numeric' | 'text' } = {}) => (
    <TextField
      ctx={ctx}
      name={name}
      label={t(`staffBookings.fields.${name}`)}
      value={values[name]}
      error={errors[name]}
      maxLength={maxLength}
      required={opts.required ?? false}
      hint={opts.hint}
      inputMode={opts.inputMode}
    />
  );
  return (
    <>
      <Radios
        ctx={ctx}
        name="kind"
        legend={t('staffBookings.fields.kind')}
        value={values.kind}
        error={errors.kind}
        options={(['activity', 'facility'] as const).map((k) => ({ value: k, label: t(`staffBookings.kinds.${k}`) }))}
      />
      {field('nameFr', NAME_MAX, { required: true })}
      {field('nameEn', NAME_MAX, { required: true })}
      {field('slug', 63, { required: true, hint: t('staffBookings.hints.slug') })}
      <TextArea ctx={ctx} name="descriptionFr" label={t('staffBookings.fields.descriptionFr')} value={values.descriptionFr} error={errors.descriptionFr} maxLength={DESCRIPTION_MAX} rows={4} />
      <TextArea ctx={ctx} name="descriptionEn" label={t('staffBookings.fields.descriptionEn')} value={values.descriptionEn} error={errors.descriptionEn} maxLength={DESCRIPTION_MAX} rows={4} />
      <h2>{t('staffBookings.form.whoTitle')}</h2>
      {field('minAge', 3, { hint: t('staffBookings.hints.age'), inputMode: 'numeric' })}
      {field('maxAge', 3, { hint: t('staffBookings.hints.age'), inputMode: 'numeric' })}
      {field('residentPrice', 12, { required: true, hint: t('staffBookings.hints.money') })}
      {field('nonresidentPrice', 12, { required: true, hint: t('staffBookings.hints.money') })}
      <YesNoBoxes
        ctx={ctx}
        name="residentsOnly"
        legend={t('staffBookings.form.residencyLegend')}
        boxes={[{ name: 'residentsOnly', label: t('staffBookings.fields.residentsOnly'), checked: values.residentsOnly === 'yes' }]}
      />
      <h2>{t('staffBookings.form.registrationTitle')}</h2>
      <Radios
        ctx={ctx}
        name="mode"
        legend={t('staffBookings.fields.mode')}
        value={values.mode}
        error={errors.mode}
        options={(['fcfs', 'lottery'] as const).map((m) => ({ value: m, label: t(`staffBookings.modes.${m}`) }))}
      />
      {field('opensAt', 20, { required: true, hint: t(DATE_HINT) })}
      {field('residentsOpenAt', 20, { hint: t('staffBookings.hints.residentsOpenAt') })}
      {field('lotteryClosesAt', 20, { hint: t('staffBookings.hints.lotteryClosesAt') })}
      {field('cancelHours', 4, { required: true, hint: t('staffBookings.hints.cancelHours'), inputMode: 'numeric' })}
      {field('holdMinutes', 2, { required: true, hint: t('staffBookings.hints.holdMinutes'), inputMode: 'numeric' })}
      {field('offerHours', 3, { required: true, hint: t('staffBookings.hints.offerHours'), inputMode: 'numeric' })}
      <YesNoBoxes
        ctx={ctx}
        name="published"
        legend={t('staffBookings.form.publishLegend')}
        boxes={[{ name: 'published', label: t('staffBookings.fields.published'), checked: values.published === 'yes' }]}
      />
    </>
  );
}

/** Create (no activity) or change (an activity) a facility or activity. */
export function ActivityFormPage(props: {
  ctx: PageContext;
  activity: StaffActivity | null;
  values: ActivityValues;
  errors: FieldErrors;
  idempotencyKey?: string;
}) {
  const { ctx, activity, errors } = props;
  const { t, locale } = ctx;
  const title = activity ? t('staffBookings.form.editTitle', { name: activity.name[locale] }) : t('staffBookings.form.newTitle');
  const action = activity ? `/staff/bookings/activities/${activity.id}/edit` : '/staff/bookings/new';
  return (
    <StaffBookingsLayout ctx={ctx} title={title} section="activities" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, activity ? `/staff/bookings/activities/${activity.id}` : '/staff/bookings')}>{t('staffBookings.back')}</a>
      </p>
      <h1>{title}</h1>
      <PostForm ctx={ctx} action={href(ctx, action)}>
        {props.idempotencyKey ? <input type="hidden" name="_idem" value={props.idempotencyKey} /> : null}
        <ActivityFields ctx={ctx} values={props.values} errors={errors} />
        <Button>{t(activity ? 'staffBookings.form.save' : 'staffBookings.form.create')}</Button>
      </PostForm>
    </StaffBookingsLayout>
  );
}
