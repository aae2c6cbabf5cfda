/**
 * Step 2 of a report: similar open reports nearby first (follow one instead: "me too"), then the
 * type's questions, the description, photos, how to reach the resident, what will be public, send.
 * A multipart form (photos) that works without JavaScript; its CSRF token is also in its action.
 */
import { Checkboxes, Radios } from '../../../web/components/choices.tsx';
import { Layout } from '../../../web/components/Layout.tsx';
import { Button, ErrorLine, ErrorSummary, PostForm, TextArea, TextField, type FieldErrors } from '../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../web/context.ts';
import { multipartAction } from '../../../platform/uploads.ts';
import { DESCRIPTION_MAX, MAX_PHOTOS } from '../report.ts';
import type { NearbyRequest, Question, RequestTypeWithQuestions } from '../types.ts';
import { FileField, RequestsStyles, StatusTag, when } from './parts.tsx';

export interface DetailsValues {
  lat: string;
  lng: string;
  address: string;
  description: string;
  email: string;
  answers: Record<string, string | string[]>;
}

export const answerField = (code: string) => `answer-${code}`;
export const PHOTO_FIELDS = Array.from({ length: MAX_PHOTOS }, (_, i) => `photo${i + 1}`);

function QuestionField({ ctx, q, value, error }: { ctx: PageContext; q: Question; value: string | string[] | undefined; error: string | undefined }) {
  const { locale } = ctx;
  const name = answerField(q.code);
  const label = q.label[locale];
  const hint = q.help[locale] || undefined;
  const text = typeof value === 'string' ? value : '';
  const options = q.values.map((v) => ({ value: v.key, label: v.name[locale] }));
  switch (q.datatype) {
    case 'text':
      return <TextArea ctx={ctx} name={name} label={label} hint={hint} value={text} error={error} required={q.required} rows={4} />;
    case 'number':
      return <TextField ctx={ctx} name={name} label={label} hint={hint ?? ctx.t('requests.details.numberHint')} value={text} error={error} required={q.required} />;
    case 'datetime':
      return <TextField ctx={ctx} name={name} type="date" label={label} hint={hint ?? ctx.t('requests.details.dateHint')} value={text} error={error} required={q.required} />;
    case 'singlevaluelist':
      return <Radios ctx={ctx} name={name} legend={label} hint={hint} options={options} value={text} error={error} />;
    case 'multivaluelist':
      return (
        <Checkboxes ctx={ctx} name={name} legend={label} hint={hint} options={options} values={Array.isArray(value) ? value : text ? [text] : []} error={error} empty="" />
      );
    default:
      return <TextField ctx={ctx} name={name} label={label} hint={hint} value={text} error={error} required={q.required} maxLength={300} />;
  }
}

function Duplicates({ ctx, type, nearby, signedIn }: { ctx: PageContext; type: RequestTypeWithQuestions; nearby: NearbyRequest[]; signedIn: boolean }) {
  const { t, locale } = ctx;
  if (nearby.length === 0) return null;
  return (
    <section class="duplicates" aria-labelledby="duplicates-title">
      <h2 id="duplicates-title">{t('requests.duplicates.title')}</h2>
      <p>{t('requests.duplicates.intro', { type: type.name[locale] })}</p>
      <ul class="card-list">
        {nearby.map((n) => (
          <li class="card" key={n.reference}>
            <h3 class="card__title">
              {type.name[locale]} — {n.address ?? t('requests.duplicates.pinOnly')}
            </h3>
            <p>
              <StatusTag ctx={ctx} status={n.status} />{' '}
              {n.distance > 0
                ? t('requests.duplicates.meta', { distance: n.distance, date: when(ctx, n.requestedAt), followers: n.followers })
                : t('requests.duplicates.metaSameAddress', { date: when(ctx, n.requestedAt), followers: n.followers })}
            </p>
            {n.description ? <p class="excerpt">{n.description.length > 200 ? `${n.description.slice(0, 200)}…` : n.description}</p> : null}
            {signedIn ? (
              <PostForm ctx={ctx} action={href(ctx, `/requests/follow/${n.reference}`)}>
                <Button variant="secondary">{t('requests.duplicates.follow', { reference: n.reference })}</Button>
              </PostForm>
            ) : (
              <p>
                <a class="button button--secondary" href={href(ctx, `/requests/follow/${n.reference}`)}>
                  {t('requests.duplicates.follow', { reference: n.reference })}
                </a>
              </p>
            )}
          </li>
        ))}
      </ul>
      <p>{t('requests.duplicates.notThese')}</p>
    </section>
  );
}

export function DetailsPage(props: {
  ctx: PageContext;
  type: RequestTypeWithQuestions;
  values: DetailsValues;
  errors: FieldErrors;
  nearby: NearbyRequest[];
  idempotencyKey: string;
  signedInEmail: string | null;
  /** The resident had chosen photos before an error: they must choose them again. */
  photosLost: boolean;
}) {
  const { ctx, type, values, errors, nearby, signedInEmail } = props;
  const { t, locale } = ctx;
  const back = `/requests/new/${type.code}?${new URLSearchParams({ address: values.address, lat: values.lat, lng: values.lng }).toString()}`;
  const canSend = signedInEmail !== null || type.allowAnonymous;
  return (
    <Layout ctx={ctx} title={t('requests.details.title', { type: type.name[locale] })} hasErrors={Object.keys(errors).length > 0}>
      <RequestsStyles />
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="step">{t('requests.steps.two')}</p>
      <h1>{t('requests.details.title', { type: type.name[locale] })}</h1>
      <dl class="summary">
        <dt>{t('requests.details.where')}</dt>
        <dd>
          {values.address || t('requests.details.pinOnly')}
          {values.lat && values.lng ? ` (${t('requests.details.pinSet')})` : ''} <a href={href(ctx, back)}>{t('requests.details.changePlace')}</a>
        </dd>
      </dl>
      <Duplicates ctx={ctx} type={type} nearby={nearby} signedIn={signedInEmail !== null} />
      <h2>{nearby.length > 0 ? t('requests.details.newReportTitle') : t('requests.details.aboutTitle')}</h2>
      <PostForm ctx={ctx} action={multipartAction(href(ctx, `/requests/new/${type.code}`), ctx.csrfToken)} enctype="multipart/form-data">
        <input type="hidden" name="_idem" value={props.idempotencyKey} />
        <input type="hidden" name="lat" value={values.lat} />
        <input type="hidden" name="lng" value={values.lng} />
        <input type="hidden" name="address" value={values.address} />
        <ErrorLine ctx={ctx} id="location" error={errors.location} />
        {type.questions.map((q) => (
          <QuestionField key={q.code} ctx={ctx} q={q} value={values.answers[q.code]} error={errors[answerField(q.code)]} />
        ))}
        <TextArea
          ctx={ctx}
          name="description"
          label={t('requests.details.description')}
          hint={t('requests.details.descriptionHint', { max: DESCRIPTION_MAX })}
          value={values.description}
          error={errors.description}
          rows={6}
        />
        <fieldset class="fieldset">
          <legend class="field__label">{t('requests.details.photos')}</legend>
          <p class="field__hint">{t('requests.details.photosHint', { max: MAX_PHOTOS })}</p>
          {props.photosLost ? <p class="field__hint">{t('requests.details.photosAgain')}</p> : null}
          {PHOTO_FIELDS.map((name, i) => (
            <FileField key={name} ctx={ctx} name={name} label={t('requests.details.photoN', { n: i + 1 })} error={errors[name]} accept="image/jpeg,image/png,image/webp" />
          ))}
        </fieldset>
        <h2>{t('requests.details.contactTitle')}</h2>
        {signedInEmail !== null ? (
          <p>{t('requests.details.signedIn', { email: signedInEmail })}</p>
        ) : type.allowAnonymous ? (
          <>
            <TextField
              ctx={ctx}
              name="email"
              type="email"
              label={t('requests.details.email')}
              hint={t('requests.details.emailHint')}
              value={values.email}
              error={errors.email}
              required
              autocomplete="email"
            />
            <p>
              <a href={href(ctx, `/account/sign-in?next=${encodeURIComponent(href(ctx, back))}`)}>{t('requests.details.orSignIn')}</a>
            </p>
          </>
        ) : (
          <p id="contact" class={errors.contact ? 'field__error' : undefined}>
            {t('requests.details.signInRequired')}{' '}
            <a href={href(ctx, `/account/sign-in?next=${encodeURIComponent(href(ctx, back))}`)}>{t('requests.details.signIn')}</a>
          </p>
        )}
        <div class="notice" role="note" aria-labelledby="public-title">
          <h2 id="public-title">{t('requests.details.publicTitle')}</h2>
          <p>{t('requests.details.publicBody')}</p>
          <p>{t('requests.details.privateBody')}</p>
        </div>
        {canSend ? <Button>{t('requests.details.send')}</Button> : null}
      </PostForm>
    </Layout>
  );
}
