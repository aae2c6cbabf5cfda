/**
 * The reviewer's forms on the review screen, each a plain POST with its CSRF token: assign, ask
 * for information, schedule the interview, approve with conditions, refuse with reasons, issue the
 * document; then the thread with the applicant and the internal notes.
 */
import { Select } from '../../../../web/components/choices.tsx';
import { Button, PostForm, TextArea, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { ApplicationEvent } from '../../domain.ts';
import type { Review } from '../../review/service.ts';
import { FilePreview, when } from './parts.tsx';

export type ActionValues = Partial<Record<'assignee' | 'request' | 'conditions' | 'reasons' | 'validFrom' | 'validUntil' | 'revokeReason' | 'note' | 'message' | 'interviewDate' | 'interviewTime' | 'place', string>>;

interface Props {
  ctx: PageContext;
  review: Review;
  errors: FieldErrors;
  values: ActionValues;
}

/** Whether the service's review includes an interview (a review step coded "interview"). */
export const hasInterviewStep = (r: Review) => r.application.definition.steps.some((s) => s.code === 'interview') || r.interview !== null;

export function ReviewActions({ ctx, review, errors, values }: Props) {
  const { t } = ctx;
  const a = review.application;
  const base = `/staff/applications/${a.id}`;
  const open = ['submitted', 'in_review', 'info_requested'].includes(a.status);
  const decidable = ['submitted', 'in_review'].includes(a.status);
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">{t('review.actions.title')}</h2>
      {open || a.status === 'approved' ? (
        <PostForm ctx={ctx} action={href(ctx, `${base}/assign`)}>
          <Select
            ctx={ctx}
            name="assignee"
            label={t('review.actions.assignee')}
            value={values.assignee ?? a.assigneeId ?? ''}
            error={errors.assignee}
            required
            options={[{ value: '', label: t('review.queue.unassigned') }, ...review.reviewers.map((r) => ({ value: r.id, label: r.name }))]}
          />
          <Button variant="secondary">{t('review.actions.assign')}</Button>
        </PostForm>
      ) : null}
      {decidable ? (
        <PostForm ctx={ctx} action={href(ctx, `${base}/request-info`)}>
          <h3>{t('review.actions.requestTitle')}</h3>
          <TextArea ctx={ctx} name="request" label={t('review.actions.request')} hint={t('review.actions.requestHint')} value={values.request} error={errors.request} required maxLength={4000} rows={4} />
          <Button variant="secondary">{t('review.actions.requestButton')}</Button>
        </PostForm>
      ) : null}
      {open && hasInterviewStep(review) ? (
        <PostForm ctx={ctx} action={href(ctx, `${base}/interview`)}>
          <h3>{t('review.actions.interviewTitle')}</h3>
          <TextField ctx={ctx} type="date" name="interviewDate" label={t('review.actions.interviewDate')} value={values.interviewDate} error={errors.interviewDate} required />
          <TextField ctx={ctx} name="interviewTime" label={t('review.actions.interviewTime')} hint={t('review.actions.interviewTimeHint')} value={values.interviewTime} error={errors.interviewTime} required maxLength={5} />
          <TextField ctx={ctx} name="place" label={t('review.actions.place')} hint={t('review.actions.placeHint')} value={values.place} error={errors.place} required maxLength={300} />
          <Button variant="secondary">{t('review.actions.interviewButton')}</Button>
        </PostForm>
      ) : null}
      {decidable ? (
        <PostForm ctx={ctx} action={href(ctx, `${base}/approve`)}>
          <h3>{t('review.actions.approveTitle')}</h3>
          <TextArea ctx={ctx} name="conditions" label={t('review.actions.conditions')} hint={t('review.actions.conditionsHint')} value={values.conditions} error={errors.conditions} maxLength={4000} rows={4} />
          <Button>{t('review.actions.approveButton')}</Button>
        </PostForm>
      ) : null}
      {open ? (
        <PostForm ctx={ctx} action={href(ctx, `${base}/refuse`)}>
          <h3>{t('review.actions.refuseTitle')}</h3>
          <TextArea ctx={ctx} name="reasons" label={t('review.actions.reasons')} hint={t('review.actions.reasonsHint')} value={values.reasons} error={errors.reasons} required maxLength={4000} rows={4} />
          <Button variant="warning">{t('review.actions.refuseButton')}</Button>
        </PostForm>
      ) : null}
      {a.status === 'approved' ? (
        <PostForm ctx={ctx} action={href(ctx, `${base}/issue`)}>
          <h3>{t('review.actions.issueTitle')}</h3>
          <TextField ctx={ctx} type="date" name="validFrom" label={t('review.actions.validFrom')} value={values.validFrom} error={errors.validFrom} required />
          <TextField ctx={ctx} type="date" name="validUntil" label={t('review.actions.validUntil')} hint={t('review.actions.validUntilHint')} value={values.validUntil} error={errors.validUntil} />
          <Button>{t('review.actions.issueButton')}</Button>
        </PostForm>
      ) : null}
      {a.status === 'issued' && review.documents.some((d) => !d.revokedAt) ? (
        <PostForm ctx={ctx} action={href(ctx, `${base}/revoke`)}>
          <h3>{t('review.actions.revokeTitle')}</h3>
          <TextArea ctx={ctx} name="revokeReason" label={t('review.actions.revokeReason')} hint={t('review.actions.revokeReasonHint')} value={values.revokeReason} error={errors.revokeReason} required maxLength={1000} rows={3} />
          <Button variant="warning">{t('review.actions.revokeButton')}</Button>
        </PostForm>
      ) : !open && a.status !== 'approved' ? (
        <p>{t('review.actions.none')}</p>
      ) : null}
    </section>
  );
}

export function ThreadForms({ ctx, review, errors, values, idempotencyKey, notes }: Props & { idempotencyKey: string; notes: ApplicationEvent[] }) {
  const { t } = ctx;
  const a = review.application;
  const base = `/staff/applications/${a.id}`;
  return (
    <>
      <section aria-labelledby="thread-title">
        <h2 id="thread-title">{t('review.thread.title')}</h2>
        {review.messages.length === 0 ? <p>{t('review.thread.empty')}</p> : null}
        <ol class="thread">
          {review.messages.map((m) => (
            <li key={m.id} class={`thread__message thread__message--${m.authorKind}`}>
              <p class="thread__meta">
                <strong>{m.authorKind === 'staff' ? (m.authorName ?? t('review.screen.staff')) : t('review.screen.applicant')}</strong>, {when(ctx, m.createdAt)}
              </p>
              <p class="pre-line">{m.body}</p>
              {m.files.map((f) => (
                <FilePreview key={f.id} ctx={ctx} url={href(ctx, `${base}/files/${f.id}`)} file={f} />
              ))}
            </li>
          ))}
        </ol>
        <PostForm ctx={ctx} action={href(ctx, `${base}/message`)}>
          <input type="hidden" name="_idem" value={idempotencyKey} />
          <TextArea ctx={ctx} name="message" label={t('review.thread.message')} hint={t('review.thread.messageHint')} value={values.message} error={errors.message} required maxLength={4000} rows={4} />
          <Button variant="secondary">{t('review.thread.send')}</Button>
        </PostForm>
      </section>
      <section aria-labelledby="notes-title">
        <h2 id="notes-title">{t('review.notes.title')}</h2>
        <p class="field__hint">{t('review.notes.hint')}</p>
        <ul>
          {notes.map((n) => (
            <li key={n.id}>
              <p class="thread__meta">
                {n.authorId ? (review.staffNames.get(n.authorId) ?? t('review.screen.staff')) : t('review.screen.staff')}, {when(ctx, n.createdAt)}
              </p>
              <p class="pre-line">{n.body}</p>
            </li>
          ))}
        </ul>
        <PostForm ctx={ctx} action={href(ctx, `${base}/note`)}>
          <TextArea ctx={ctx} name="note" label={t('review.notes.note')} value={values.note} error={errors.note} required maxLength={4000} rows={3} />
          <Button variant="secondary">{t('review.notes.add')}</Button>
        </PostForm>
      </section>
    </>
  );
}
