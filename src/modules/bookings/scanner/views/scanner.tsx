/**
 * The door scanner page. Without JavaScript: choose a session of today (a GET form), type or paste a
 * pass's code (a POST form checked on the server), see the result and the arrivals. With JavaScript
 * (src/web/static/scanner.js): the camera, checks done in the page with the town's public key, and
 * offline work (the page, the day's list and the arrivals kept on the device, sent when back online).
 */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Select } from '../../../../web/components/choices.tsx';
import { Table } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextArea } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { timeOfDay } from '../../format.ts';
import type { DoorSession } from '../service.ts';

/** What the page shows after a check: the pass is good, was already used, or is refused. */
export type ShownResult =
  | { kind: 'valid' | 'already'; name: string; activity: string; at: Date }
  | { kind: 'refused'; message: string; name: string | null };

const time = (ctx: PageContext, at: Date) => timeOfDay(ctx.locale, ctx.tenant.timeZone, at);

export function sessionLabel(ctx: PageContext, s: DoorSession): string {
  return `${time(ctx, s.startsAt)}–${time(ctx, s.endsAt)} · ${s.name[ctx.locale]}`;
}

/** The result panel: an icon and words (never colour alone), announced politely. */
function Result({ ctx, result }: { ctx: PageContext; result: ShownResult | null }) {
  const { t } = ctx;
  const kind = result?.kind ?? 'none';
  return (
    <div class={`scanner-result scanner-result--${kind}`} id="scanner-result" role="status" aria-live="polite" aria-atomic="true">
      {result === null ? (
        <p class="scanner-result__title">{t('passes.scanner.waiting')}</p>
      ) : (
        <>
          <p class="scanner-result__title">
            <span class="scanner-result__icon" aria-hidden="true">
              {result.kind === 'valid' ? '✔' : result.kind === 'already' ? '⚠' : '✖'}
            </span>{' '}
            {result.kind === 'valid'
              ? t('passes.scanner.valid')
              : result.kind === 'already'
                ? t('passes.scanner.already', { time: time(ctx, result.at) })
                : t('passes.scanner.notValid')}
          </p>
          {result.name ? <p class="scanner-result__name">{result.name}</p> : null}
          {result.kind === 'refused' ? <p>{result.message}</p> : <p>{t('passes.scanner.checkedInAt', { activity: result.activity, time: time(ctx, result.at) })}</p>}
        </>
      )}
    </div>
  );
}

/** Strings the page's script shows, translated here (the script has no catalogue of its own). */
function clientMessages(ctx: PageContext): Record<string, string> {
  const keys = [
    'valid',
    'already',
    'notValid',
    'checkedInAt',
    'offline',
    'online',
    'pending',
    'synced',
    'syncFailed',
    'signInAgain',
    'cameraStart',
    'cameraStop',
    'cameraDenied',
    'cameraNone',
    'arrivals',
    'listReady',
    'listOld',
    'notOnList',
    'unverified',
  ] as const;
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = ctx.t(`passes.scanner.${k}`);
  for (const p of ['unreadable', 'unknownKey', 'badSignature', 'otherTown', 'notYet', 'expired', 'unknownBooking', 'cancelled', 'moved', 'otherSession', 'sessionCancelled'] as const) {
    out[`problem.${p}`] = ctx.t(`passes.problems.${p}`);
  }
  return out;
}

export interface ScannerPageProps {
  ctx: PageContext;
  day: string;
  sessions: DoorSession[];
  session: DoorSession | null;
  result: ShownResult | null;
  code: string;
  errors: Record<string, string>;
  clientId: string;
}

export function ScannerPage(props: ScannerPageProps) {
  const { ctx, sessions, session, result, errors } = props;
  const { t } = ctx;
  const base = href(ctx, '/staff/scanner');
  return (
    <Layout ctx={ctx} title={t('passes.scanner.title')} hasErrors={Object.keys(errors).length > 0}>
      <link rel="stylesheet" href="/static/passes.css" />
      <ErrorSummary ctx={ctx} errors={errors} />
      <h1>{t('passes.scanner.title')}</h1>
      <p>{t('passes.scanner.intro', { day: new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${props.day}T12:00:00Z`)) })}</p>
      {sessions.length === 0 ? (
        <p>{t('passes.scanner.noSession')}</p>
      ) : (
        <form method="get" action={base} class="scanner-choose">
          <Select
            ctx={ctx}
            name="session"
            label={t('passes.scanner.session')}
            required
            value={session?.id ?? ''}
            options={[
              ...(session ? [] : [{ value: '', label: t('passes.scanner.chooseSession') }]),
              ...sessions.map((s) => ({ value: s.id, label: sessionLabel(ctx, s) })),
            ]}
          />
          <Button variant="secondary">{t('passes.scanner.choose')}</Button>
        </form>
      )}
      {session ? (
        <section class="scanner-door" aria-labelledby="door-title">
          <h2 id="door-title">{sessionLabel(ctx, session)}</h2>
          <p class="scanner-count" id="scanner-count" aria-live="polite">
            {t('passes.scanner.arrivals', { arrived: session.arrived, booked: session.confirmed })}
          </p>
          <Result ctx={ctx} result={result} />
          <div
            class="scanner-live"
            data-module="scanner"
            data-session={session.id}
            data-day={props.day}
            data-day-url={href(ctx, '/staff/scanner/day.json')}
            data-sync-url={href(ctx, '/staff/scanner/sync')}
            data-worker-url={href(ctx, '/staff/scanner-sw.js')}
            data-scope={base}
            data-jsqr-url={href(ctx, '/staff/scanner/jsqr.js')}
            data-locale={ctx.locale}
            data-time-zone={ctx.tenant.timeZone}
            data-csrf={ctx.csrfToken}
            data-messages={JSON.stringify(clientMessages(ctx))}
          >
            <div class="scanner-live__status" id="scanner-status" aria-live="polite" hidden></div>
            <div class="scanner-camera" hidden>
              <button type="button" class="button button--secondary" id="scanner-camera-toggle">
                {t('passes.scanner.cameraStart')}
              </button>
              <video id="scanner-video" muted playsInline aria-label={t('passes.scanner.videoLabel')}></video>
            </div>
          </div>
          <PostForm ctx={ctx} action={base}>
            <input type="hidden" name="session" value={session.id} />
            <input type="hidden" name="_idem" value={props.clientId} />
            <TextArea
              ctx={ctx}
              name="code"
              label={t('passes.scanner.code')}
              hint={t('passes.scanner.codeHint')}
              error={errors.code}
              value={props.code}
              rows={3}
              maxLength={400}
              required
            />
            <Button>{t('passes.scanner.check')}</Button>
          </PostForm>
        </section>
      ) : null}
      <Table
        caption={t('passes.scanner.todayTitle')}
        empty={t('passes.scanner.noSession')}
        rows={sessions}
        rowKey={(s) => s.id}
        columns={[
          { header: t('passes.scanner.session'), cell: (s) => <a href={`${base}?session=${s.id}`}>{sessionLabel(ctx, s)}</a> },
          { header: t('passes.scanner.booked'), cell: (s) => s.confirmed, numeric: true },
          { header: t('passes.scanner.arrived'), cell: (s) => s.arrived, numeric: true },
        ]}
      />
      <script type="module" src="/static/scanner.js"></script>
    </Layout>
  );
}
