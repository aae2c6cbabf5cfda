/**
 * Tracking a request like a parcel (by private link or from the account): where it stands, when
 * it is usually done, what happened so far, and after a closure the "not fixed" answer.
 */
import { Banner } from '../../../web/components/display.tsx';
import { Layout } from '../../../web/components/Layout.tsx';
import { Button, ErrorSummary, PostForm, TextArea, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import type { TrackedRequest } from '../types.ts';
import { RequestsStyles, StatusTag, Timeline, when } from './parts.tsx';

export type TrackNotice = 'sent' | 'followed' | 'reopened' | null;

export function TrackPage(props: {
  ctx: PageContext;
  request: TrackedRequest;
  /** Where the "not fixed" form posts (null: not offered). */
  reopenAction: string | null;
  notice: TrackNotice;
  /** This page's own address, to keep (private link), or null from the account. */
  privateLink: string | null;
  errors: FieldErrors;
  comment: string;
}) {
  const { ctx, request: r, notice, errors } = props;
  const { t, locale } = ctx;
  const title = t('requests.track.title', { reference: r.reference });
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      <RequestsStyles />
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice === 'sent' ? (
        <Banner ctx={ctx} kind="success" title={t('requests.track.sentTitle')}>
          <p>
            {t('requests.track.sentReference')} <strong class="reference">{r.reference}</strong>
          </p>
          <p>{t('requests.track.sentKeep')}</p>
        </Banner>
      ) : notice === 'followed' ? (
        <Banner ctx={ctx} kind="success" title={t('requests.track.followedTitle')}>
          <p>{t('requests.track.followedBody')}</p>
        </Banner>
      ) : notice === 'reopened' ? (
        <Banner ctx={ctx} kind="success" title={t('requests.track.reopenedTitle')}>
          <p>{t('requests.track.reopenedBody')}</p>
        </Banner>
      ) : null}
      <h1>{title}</h1>
      <dl class="summary">
        <dt>{t('requests.track.type')}</dt>
        <dd>{r.type.name[locale]}</dd>
        <dt>{t('requests.track.status')}</dt>
        <dd>
          <StatusTag ctx={ctx} status={r.status} />
          {r.reopened ? <> {t('requests.track.reopenedFlag')}</> : null}
        </dd>
        {r.expected ? (
          <>
            <dt>{t('requests.track.expected')}</dt>
            <dd>
              {t(r.expected.basis === 'history' ? 'requests.track.usually' : 'requests.track.target', { days: r.expected.days })}{' '}
              {t('requests.track.expectedBy', { date: when(ctx, r.expected.at) })}
            </dd>
          </>
        ) : null}
        <dt>{t('requests.track.where')}</dt>
        <dd>
          {r.address ?? t('requests.details.pinOnly')}
          {r.location ? ` (${r.location.lat.toFixed(5)}, ${r.location.lng.toFixed(5)})` : ''}
        </dd>
        <dt>{t('requests.track.requestedAt')}</dt>
        <dd>{when(ctx, r.requestedAt)}</dd>
        {r.description ? (
          <>
            <dt>{t('requests.track.description')}</dt>
            <dd class="prewrap">{r.description}</dd>
          </>
        ) : null}
        {r.answers.map((a, i) => (
          <>
            <dt key={`q${i}`}>{a.label[locale]}</dt>
            <dd key={`a${i}`}>{typeof a.value === 'string' ? a.value : a.value.map((v) => v[locale]).join(', ')}</dd>
          </>
        ))}
      </dl>
      {r.mergedInto ? <p>{t('requests.track.merged', { reference: r.mergedInto })}</p> : null}
      {r.photos.filter((p) => p.eventId === null).length > 0 ? (
        <section aria-labelledby="photos-title">
          <h2 id="photos-title">{t('requests.track.photos')}</h2>
          <ul class="photos">
            {r.photos
              .filter((p) => p.eventId === null)
              .map((p, i) => (
                <li key={p.id}>
                  <img src={href(ctx, `/requests/photos/${p.id}`)} alt={t('requests.track.photoAlt', { n: i + 1 })} width={p.width} height={p.height} />
                </li>
              ))}
          </ul>
        </section>
      ) : null}
      <h2>{t('requests.track.timeline')}</h2>
      <Timeline ctx={ctx} events={r.events} />
      {props.reopenAction && r.reopenUntil ? (
        <section class="notice" aria-labelledby="not-fixed-title">
          <h2 id="not-fixed-title">{t('requests.track.notFixedTitle')}</h2>
          <p>{t('requests.track.notFixedIntro', { date: when(ctx, r.reopenUntil) })}</p>
          <PostForm ctx={ctx} action={props.reopenAction}>
            <TextArea ctx={ctx} name="comment" label={t('requests.track.notFixedComment')} value={props.comment} error={errors.comment} rows={3} />
            <Button variant="warning">{t('requests.track.notFixedButton')}</Button>
          </PostForm>
        </section>
      ) : null}
      {props.privateLink ? <p class="field__hint">{t('requests.track.privateLink')}</p> : null}
      <p>
        <a href={href(ctx, '/requests')}>{t('requests.track.another')}</a>
      </p>
    </Layout>
  );
}
