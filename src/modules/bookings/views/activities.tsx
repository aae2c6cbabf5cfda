/** The list of activities and facility slots, filtered by date and age (a plain GET form). */
import { Layout } from '../../../web/components/Layout.tsx';
import { Tag } from '../../../web/components/display.tsx';
import { Button, ErrorSummary, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { ActivitySummary } from '../catalogue.ts';
import { registrationPhase } from '../rules.ts';
import { agesOf, priceOf, when } from './parts.tsx';

export interface FilterValues {
  date: string;
  age: string;
}

function PhaseLine({ ctx, activity, now }: { ctx: PageContext; activity: ActivitySummary; now: Date }) {
  const { t } = ctx;
  // The list is the same for everyone: it states when registration opens to all.
  const phase = registrationPhase({ ...activity.window, residentsOnly: false }, false, now);
  switch (phase.phase) {
    case 'upcoming':
    case 'residentsWindow':
      return <p>{t('bookings.phase.upcoming', { date: when(ctx, phase.opensAt) })}</p>;
    case 'lottery':
      return <p>{t('bookings.phase.lottery', { date: when(ctx, phase.closesAt) })}</p>;
    case 'drawing':
      return <p>{t('bookings.phase.drawing')}</p>;
    default:
      return <p>{t('bookings.phase.open')}</p>;
  }
}

export function ActivitiesPage(props: { ctx: PageContext; activities: ActivitySummary[]; values: FilterValues; errors: FieldErrors; now: Date }) {
  const { ctx, activities, values, errors } = props;
  const { t } = ctx;
  const filtered = values.date !== '' || values.age !== '';
  return (
    <Layout ctx={ctx} title={t('bookings.list.title')} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('bookings.list.title')}</h1>
      <p class="lead">{t('bookings.list.lead')}</p>
      {ctx.resident ? (
        <p>
          <a href={href(ctx, '/bookings')}>{t('bookings.nav.mine')}</a>
        </p>
      ) : null}
      <form method="get" action={href(ctx, '/activities')} novalidate>
        <h2>{t('bookings.list.filters')}</h2>
        <TextField ctx={ctx} name="date" type="date" label={t('bookings.list.date')} hint={t('bookings.list.dateHint')} value={values.date} error={errors.date} maxLength={10} />
        <TextField
          ctx={ctx}
          name="age"
          label={t('bookings.list.age')}
          hint={t('bookings.list.ageHint')}
          value={values.age}
          error={errors.age}
          inputMode="numeric"
          maxLength={3}
        />
        <Button variant="secondary">{t('bookings.list.apply')}</Button>
        {filtered ? (
          <p>
            <a href={href(ctx, '/activities')}>{t('bookings.list.clear')}</a>
          </p>
        ) : null}
      </form>
      <h2>{t('bookings.list.caption')}</h2>
      {activities.length === 0 ? (
        <p>{t('bookings.list.empty')}</p>
      ) : (
        <ul class="card-list">
          {activities.map((a) => (
            <li class="card" key={a.id}>
              <h3 class="card__title">
                <a href={href(ctx, `/activities/${a.slug}`)}>
                  {a.name[ctx.locale]}
                </a>
              </h3>
              <p>
                <Tag tone="info">{t(`bookings.kind.${a.kind}`)}</Tag> {agesOf(ctx, a)} · {priceOf(ctx, a)}
              </p>
              <p>{t('bookings.list.next', { date: when(ctx, a.nextStart) })}</p>
              <PhaseLine ctx={ctx} activity={a} now={props.now} />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
