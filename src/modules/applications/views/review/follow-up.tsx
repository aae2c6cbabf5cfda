/**
 * The applicant's follow-up page (/applications/:id/follow-up): what the town asked, the decision
 * with its conditions or reasons, the interview, the issued document to download, the thread, and
 * the form to answer with a message and documents (multipart; works without JavaScript).
 */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Banner } from '../../../../web/components/display.tsx';
import { Button, ErrorSummary, PostForm, TextArea, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { formatReference } from '../../../../platform/reference.ts';
import { multipartAction } from '../../../../platform/uploads.ts';
import { formatDay } from '../../documents/pdf.ts';
import type { FollowUp } from '../../review/applicant.ts';
import { eventLabel } from './review.tsx';
import { StatusTag, when } from './parts.tsx';

export type FollowUpNotice = 'answered' | 'sent';

export const REPLY_MAX_FILES = 5;
export const REPLY_MAX_BYTES = 10 * 1024 * 1024;

export function FollowUpPage(props: { ctx: PageContext; view: FollowUp; notice: FollowUpNotice | null; errors: FieldErrors; body: string; idempotencyKey: string }) {
  const { ctx, view } = props;
  const { t, locale } = ctx;
  const a = view.application;
  const base = `/applications/${a.id}`;
  const title = t('review.followUp.title', { reference: formatReference(a.reference) });
  const decision = [...view.events].reverse().find((e) => e.kind === 'approved' || e.kind === 'refused');
  const canReply = ['submitted', 'in_review', 'info_requested'].includes(a.status);
  return (
    <Layout ctx={ctx} title={title} hasErrors={Object.keys(props.errors).length > 0}>
      <p>
        <a href={href(ctx, base)}>{t('review.followUp.back')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {props.notice ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`review.followUp.notices.${props.notice}`)}</p>
        </Banner>
      ) : null}
      <h1>{title}</h1>
      <dl class="summary">
        <dt>{t('review.queue.service')}</dt>
        <dd>{a.service.name[locale]}</dd>
        <dt>{t('review.queue.status')}</dt>
        <dd>
          <StatusTag ctx={ctx} status={a.status} />
        </dd>
        {view.interview ? (
          <>
            <dt>{t('review.screen.interview')}</dt>
            <dd>{t('review.screen.interviewValue', { when: when(ctx, view.interview.at), place: view.interview.place })}</dd>
          </>
        ) : null}
      </dl>
      {view.openRequest ? (
        <Banner ctx={ctx} kind="important" title={t('review.followUp.requestTitle')}>
          <p class="pre-line">{view.openRequest.body}</p>
          <p>{t('review.followUp.requestHint')}</p>
        </Banner>
      ) : null}
      {decision ? (
        <section aria-labelledby="decision-title">
          <h2 id="decision-title">{t(decision.kind === 'approved' ? 'review.followUp.approved' : 'review.followUp.refused')}</h2>
          <p>{when(ctx, decision.createdAt)}</p>
          {decision.body ? (
            <>
              <h3>{t(decision.kind === 'approved' ? 'review.followUp.conditions' : 'review.followUp.reasons')}</h3>
              <p class="pre-line">{decision.body}</p>
            </>
          ) : null}
        </section>
      ) : null}
      {view.documents.length > 0 ? (
        <section aria-labelledby="documents-title">
          <h2 id="documents-title">{t('review.followUp.documents')}</h2>
          <ul>
            {view.documents.map((d) => (
              <li key={d.id}>
                <a href={href(ctx, `${base}/documents/${d.id}.pdf`)}>{t('review.followUp.download', { number: d.number })}</a>{' '}
                ({formatDay(locale, d.validFrom)} – {d.validUntil ? formatDay(locale, d.validUntil) : t('review.verify.noEnd')})
                {d.revokedAt ? <> — {t('review.verify.status.revoked')}</> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="thread-title">
        <h2 id="thread-title">{t('review.thread.title')}</h2>
        {view.messages.length === 0 ? <p>{t('review.thread.empty')}</p> : null}
        <ol class="thread">
          {view.messages.map((m) => (
            <li key={m.id} class={`thread__message thread__message--${m.authorKind}`}>
              <p class="thread__meta">
                <strong>{m.authorKind === 'staff' ? t('review.followUp.town') : t('review.followUp.you')}</strong>, {when(ctx, m.createdAt)}
              </p>
              <p class="pre-line">{m.body}</p>
              {m.files.length > 0 ? <p>{t('review.followUp.attached', { names: m.files.map((f) => f.filename).join(', ') })}</p> : null}
            </li>
          ))}
        </ol>
        {canReply ? (
          <PostForm ctx={ctx} action={multipartAction(href(ctx, `${base}/follow-up`), ctx.csrfToken)} enctype="multipart/form-data">
            <input type="hidden" name="_idem" value={props.idempotencyKey} />
            <TextArea ctx={ctx} name="message" label={t('review.followUp.message')} value={props.body} error={props.errors.message} required maxLength={4000} rows={5} />
            <div class={`field${props.errors.files ? ' field--error' : ''}`}>
              <label class="field__label" for="files">
                {t('review.followUp.files')} <span class="field__optional">{t('common.optional')}</span>
              </label>
              <p class="field__hint" id="files-hint">
                {t('review.followUp.filesHint', { max: REPLY_MAX_FILES, size: REPLY_MAX_BYTES / 1024 / 1024 })}
              </p>
              {props.errors.files ? (
                <p class="field__error" id="files-error">
                  <span class="visually-hidden">{t('common.errorPrefix')} </span>
                  {props.errors.files}
                </p>
              ) : null}
              <input
                class="field__input"
                type="file"
                id="files"
                name="files"
                multiple
                accept="application/pdf,image/jpeg,image/png,image/webp"
                aria-describedby={props.errors.files ? 'files-hint files-error' : 'files-hint'}
                aria-invalid={props.errors.files ? 'true' : undefined}
              />
            </div>
            <Button>{t(a.status === 'info_requested' ? 'review.followUp.answer' : 'review.followUp.send')}</Button>
          </PostForm>
        ) : null}
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('review.followUp.timeline')}</h2>
        <ol class="timeline">
          {view.events.map((e) => (
            <li key={e.id}>
              <strong>{eventLabel(ctx, e)}</strong>, {when(ctx, e.createdAt)}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}
