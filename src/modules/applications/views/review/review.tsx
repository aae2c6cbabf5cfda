/**
 * The review screen of one application: summary and clock, the answers as its form version asked
 * them, the documents previewed in the page (images inline, PDFs in a frame from a same-origin
 * route), the reviewer's actions, issued documents, the thread with the applicant, internal notes
 * and the full history.
 */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Banner } from '../../../../web/components/display.tsx';
import { ErrorSummary, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { formatReference } from '../../../../platform/reference.ts';
import { answerText } from '../../answers.ts';
import type { ApplicationEvent, ApplicationFile } from '../../domain.ts';
import { formatDay } from '../../documents/pdf.ts';
import type { Review } from '../../review/service.ts';
import { ReviewActions, ThreadForms, type ActionValues } from './actions.tsx';
import { ClockText, FilePreview, StatusTag, when } from './parts.tsx';

export type ReviewNotice = 'assigned' | 'infoRequested' | 'approved' | 'refused' | 'issued' | 'revoked' | 'noted' | 'messaged' | 'interview';

const fileUrl = (ctx: PageContext, r: Review, f: ApplicationFile) => href(ctx, `/staff/applications/${r.application.id}/files/${f.id}`);

function Answers({ ctx, review }: { ctx: PageContext; review: Review }) {
  const { t, locale } = ctx;
  const a = review.application;
  return (
    <>
      <h2>{t('review.screen.answers', { version: a.version })}</h2>
      {a.definition.pages.map((page) => {
        const shown = page.questions.filter((q) => (q.kind === 'file' ? review.files.some((f) => f.questionCode === q.code) : answerText(q, a.answers[q.code], locale) !== ''));
        if (shown.length === 0) return null;
        return (
          <section key={page.code}>
            <h3>{page.title[locale]}</h3>
            <dl class="summary">
              {shown.map((q) => (
                <>
                  <dt>{q.label[locale]}</dt>
                  <dd>
                    {q.kind === 'file' ? (
                      review.files
                        .filter((f) => f.questionCode === q.code)
                        .map((f) => <FilePreview key={f.id} ctx={ctx} url={fileUrl(ctx, review, f)} file={f} />)
                    ) : (
                      <span class="pre-line">{answerText(q, a.answers[q.code], locale)}</span>
                    )}
                  </dd>
                </>
              ))}
            </dl>
          </section>
        );
      })}
    </>
  );
}

export function eventLabel(ctx: PageContext, e: ApplicationEvent): string {
  const known = ['submitted', 'assigned', 'info_requested', 'info_provided', 'approved', 'refused', 'issued', 'document_revoked', 'internal_note', 'interview_scheduled', 'started'];
  return known.includes(e.kind) ? ctx.t(`review.events.${e.kind}`) : ctx.t('review.events.other');
}

function History({ ctx, review }: { ctx: PageContext; review: Review }) {
  const { t } = ctx;
  const author = (e: ApplicationEvent) =>
    e.authorKind === 'staff' ? (e.authorId ? (review.staffNames.get(e.authorId) ?? t('review.screen.staff')) : t('review.screen.staff')) : e.authorKind === 'resident' ? t('review.screen.applicant') : t('review.screen.system');
  return (
    <>
      <h2 id="history">{t('review.screen.history')}</h2>
      <ol class="timeline">
        {review.events.map((e) => (
          <li key={e.id}>
            <p>
              <strong>{eventLabel(ctx, e)}</strong> — {author(e)}, {when(ctx, e.createdAt)}
              {e.public ? null : <> ({t('review.screen.internal')})</>}
            </p>
            {e.body ? <p class="pre-line">{e.body}</p> : null}
          </li>
        ))}
      </ol>
    </>
  );
}

export function ReviewPage(props: { ctx: PageContext; review: Review; notice: ReviewNotice | null; errors: FieldErrors; values: ActionValues; idempotencyKey: string }) {
  const { ctx, review } = props;
  const { t, locale } = ctx;
  const a = review.application;
  const title = t('review.screen.title', { reference: formatReference(a.reference) });
  const hasErrors = Object.keys(props.errors).length > 0;
  const notes = review.events.filter((e) => e.kind === 'internal_note');
  return (
    <Layout ctx={ctx} title={title} hasErrors={hasErrors}>
      <p>
        <a href={href(ctx, '/staff/applications')}>{t('review.screen.back')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {props.notice ? (
        <Banner ctx={ctx} kind="success">
          <p>{t(`review.notices.${props.notice}`)}</p>
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
        <dt>{t('review.queue.timeLeft')}</dt>
        <dd>
          <ClockText ctx={ctx} clock={review.clock} />
        </dd>
        <dt>{t('review.screen.applicantLabel')}</dt>
        <dd>{[review.applicant.name, review.applicant.email].filter(Boolean).join(' — ') || '—'}</dd>
        <dt>{t('review.queue.submitted')}</dt>
        <dd>{a.submittedAt ? when(ctx, a.submittedAt) : '—'}</dd>
        <dt>{t('review.queue.assignee')}</dt>
        <dd>{review.assigneeName ?? t('review.queue.unassigned')}</dd>
        <dt>{t('review.screen.language')}</dt>
        <dd>{t(`review.screen.languages.${a.locale}`)}</dd>
        {review.interview ? (
          <>
            <dt>{t('review.screen.interview')}</dt>
            <dd>{t('review.screen.interviewValue', { when: when(ctx, review.interview.at), place: review.interview.place })}</dd>
          </>
        ) : null}
      </dl>
      <Answers ctx={ctx} review={review} />
      <ReviewActions ctx={ctx} review={review} errors={props.errors} values={props.values} />
      {review.documents.length > 0 ? (
        <>
          <h2>{t('review.screen.documents')}</h2>
          <ul>
            {review.documents.map((d) => (
              <li key={d.id}>
                <a href={href(ctx, `/staff/applications/${a.id}/documents/${d.id}.pdf`)}>{t('review.screen.documentLink', { number: d.number })}</a>{' '}
                ({formatDay(locale, d.validFrom)} – {d.validUntil ? formatDay(locale, d.validUntil) : t('review.verify.noEnd')}){' '}
                {d.revokedAt ? t('review.verify.status.revoked') : null} —{' '}
                <a href={href(ctx, `/verify/${d.verifyToken}`)}>{t('review.screen.verifyLink')}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <ThreadForms ctx={ctx} review={review} errors={props.errors} values={props.values} idempotencyKey={props.idempotencyKey} notes={notes} />
      <History ctx={ctx} review={review} />
    </Layout>
  );
}
