/**
 * An activity's page: what it is, when registration opens (with a countdown before), its sessions
 * with the places left, and the form to hold a place, join a waitlist or enter the lottery.
 */
import { Layout } from '../../../web/components/Layout.tsx';
import { Radios } from '../../../web/components/choices.tsx';
import { Banner, Table, Tag } from '../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { residentSignInPath } from '../../../platform/auth/session.ts';
import type { Activity, Session } from '../catalogue.ts';
import { registrationPhase, type Phase } from '../rules.ts';
import { agesOf, Countdown, priceOf, sessionWhen, when } from './parts.tsx';

export interface BookValues {
  session: string;
  participant: string;
}

export interface MemberChoice {
  id: string;
  name: string;
  age: number;
}

export interface ActivityPageProps {
  ctx: PageContext;
  activity: Activity;
  sessions: Session[];
  now: Date;
  /** The signed-in resident's household, or null when nobody is signed in. */
  members: MemberChoice[] | null;
  isResident: boolean;
  values: BookValues;
  errors: FieldErrors;
  idempotencyKey: string;
}

function PhaseNotice({ ctx, phase, activity }: { ctx: PageContext; phase: Phase; activity: Activity }) {
  const { t } = ctx;
  switch (phase.phase) {
    case 'upcoming':
      return (
        <Banner ctx={ctx} kind="important">
          <p>{t('bookings.phase.upcoming', { date: when(ctx, phase.opensAt) })}</p>
          {phase.residentsEarlier ? <p>{t('bookings.phase.upcomingResidents', { date: when(ctx, phase.residentsEarlier) })}</p> : null}
          <Countdown ctx={ctx} until={phase.opensAt} label={t('bookings.phase.countdown')} reload />
          <p class="field__hint">{t('bookings.phase.countdownHint')}</p>
        </Banner>
      );
    case 'residentsWindow':
      return (
        <Banner ctx={ctx} kind="important">
          <p>{t('bookings.phase.residentsWindow', { date: when(ctx, phase.opensAt) })}</p>
          <Countdown ctx={ctx} until={phase.opensAt} label={t('bookings.phase.countdown')} reload />
          <p class="field__hint">{t('bookings.phase.countdownHint')}</p>
        </Banner>
      );
    case 'residentsOnly':
      return (
        <Banner ctx={ctx} kind="important">
          <p>{t('bookings.phase.residentsOnly')}</p>
        </Banner>
      );
    case 'lottery':
      return (
        <Banner ctx={ctx} kind="important">
          <p>{t('bookings.phase.lottery', { date: when(ctx, phase.closesAt) })}</p>
        </Banner>
      );
    case 'drawing':
      return (
        <Banner ctx={ctx} kind="important">
          <p>{t('bookings.phase.drawing')}</p>
        </Banner>
      );
    case 'open':
      return activity.window.mode === 'fcfs' ? <p>{t('bookings.phase.open')}</p> : null;
  }
}

function placesText(ctx: PageContext, s: Session): string {
  if (s.cancelled) return ctx.t('bookings.activity.cancelled');
  if (s.placesLeft === 0) return ctx.t('bookings.activity.full');
  return ctx.t('bookings.activity.placesLeft', { left: s.placesLeft, capacity: s.capacity });
}

function BookForm(props: ActivityPageProps & { phase: Phase }) {
  const { ctx, activity, sessions, members, values, errors, phase } = props;
  const { t } = ctx;
  if (members === null) {
    const back = `/${ctx.locale}/activities/${activity.slug}`;
    return (
      <section aria-labelledby="book-title">
        <h2 id="book-title">{t('bookings.activity.book')}</h2>
        <p>{t('bookings.activity.signInBody')}</p>
        <p>
          <a class="button button--primary" href={residentSignInPath(ctx.locale, back)}>
            {t('bookings.activity.signIn')}
          </a>
        </p>
      </section>
    );
  }
  if (phase.phase !== 'open' && phase.phase !== 'lottery') return null;
  const open = sessions.filter((s) => !s.cancelled && s.startsAt > props.now);
  if (open.length === 0) return null;
  const lottery = phase.phase === 'lottery';
  const anyFull = open.some((s) => s.placesLeft === 0);
  return (
    <section aria-labelledby="book-title">
      <h2 id="book-title">{t('bookings.activity.book')}</h2>
      <PostForm ctx={ctx} action={href(ctx, `/activities/${activity.slug}`)}>
        <input type="hidden" name="_idem" value={props.idempotencyKey} />
        <Radios
          ctx={ctx}
          name="session"
          legend={t('bookings.activity.session')}
          hint={t('bookings.activity.sessionHint')}
          error={errors.session}
          value={values.session}
          options={open.map((s) => ({
            value: s.id,
            label: t('bookings.activity.sessionOption', {
              date: sessionWhen(ctx, s.startsAt, s.endsAt),
              places: lottery ? t('bookings.activity.placesLeft', { left: s.capacity, capacity: s.capacity }) : placesText(ctx, s),
            }),
          }))}
        />
        <Radios
          ctx={ctx}
          name="participant"
          legend={t('bookings.activity.participant')}
          hint={t('bookings.activity.participantHint')}
          error={errors.participant}
          value={values.participant}
          options={[
            { value: 'self', label: t('bookings.participant.selfOption') },
            ...members.map((m) => ({ value: m.id, label: t('bookings.participant.member', { name: m.name, age: m.age }) })),
          ]}
        >
          <p>
            <a href={href(ctx, '/account/household/new')}>{t('bookings.activity.addMember')}</a>
          </p>
        </Radios>
        {lottery ? (
          <Button name="action" value="lottery">
            {t('bookings.activity.enter')}
          </Button>
        ) : (
          <>
            <Button name="action" value="hold">
              {t('bookings.activity.hold')}
            </Button>
            {anyFull ? (
              <>
                <p class="field__hint">{t('bookings.activity.waitlistHint')}</p>
                <Button name="action" value="waitlist" variant="secondary">
                  {t('bookings.activity.waitlist')}
                </Button>
              </>
            ) : null}
          </>
        )}
      </PostForm>
    </section>
  );
}

export function ActivityPage(props: ActivityPageProps) {
  const { ctx, activity, sessions, errors } = props;
  const { t } = ctx;
  const phase = registrationPhase(activity.window, props.isResident, props.now, sessions.some((s) => s.drawn));
  const name = activity.name[ctx.locale];
  const description = activity.description[ctx.locale];
  return (
    <Layout ctx={ctx} title={name} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <a href={href(ctx, '/activities')}>{t('bookings.activity.back')}</a>
      </p>
      <h1>{name}</h1>
      {description ? <p class="lead">{description}</p> : null}
      <dl class="summary">
        <dt>{t('bookings.activity.kind')}</dt>
        <dd>
          <Tag tone="info">{t(`bookings.kind.${activity.kind}`)}</Tag>
        </dd>
        <dt>{t('bookings.activity.ages')}</dt>
        <dd>{agesOf(ctx, activity)}</dd>
        <dt>{t('bookings.activity.price')}</dt>
        <dd>{priceOf(ctx, activity)}</dd>
        <dt>{t('bookings.activity.cancellation')}</dt>
        <dd>{t('bookings.activity.cancellationRule', { hours: activity.cancelHoursBefore })}</dd>
      </dl>
      <p>{t('bookings.activity.holdTime', { minutes: activity.holdMinutes })}</p>
      {ctx.resident && !props.isResident && (activity.residentPriceCents !== activity.nonresidentPriceCents || activity.window.residentsOnly || activity.window.residentsOpenAt) ? (
        <p>
          <a href={href(ctx, '/residency')}>{t('staffBookings.mine.proveLink')}</a>
        </p>
      ) : null}
      <PhaseNotice ctx={ctx} phase={phase} activity={activity} />
      <h2>{t('bookings.activity.sessions')}</h2>
      <Table
        caption={t('bookings.activity.sessionsCaption')}
        rows={sessions}
        rowKey={(s) => s.id}
        empty={t('bookings.activity.noSessions')}
        columns={[
          { header: t('bookings.activity.when'), cell: (s) => sessionWhen(ctx, s.startsAt, s.endsAt) },
          {
            header: t('bookings.activity.places'),
            cell: (s) => (
              <>
                {placesText(ctx, s)}
                {s.waiting > 0 ? ` · ${t('bookings.activity.waiting', { count: s.waiting })}` : ''}
                {s.drawn ? (
                  <>
                    {' · '}
                    <a href={href(ctx, `/activities/${activity.slug}/draws/${s.id}`)}>{t('bookings.draw.link')}</a>
                  </>
                ) : null}
              </>
            ),
          },
        ]}
      />
      <BookForm {...props} phase={phase} />
    </Layout>
  );
}
