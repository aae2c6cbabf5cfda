/** The receipt after sending, and one application's own page (status, expected date, answers, timeline). */
import type { ComponentChildren } from 'preact';
import { Layout } from '../../../../web/components/Layout.tsx';
import { Banner } from '../../../../web/components/display.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { formatReference } from '../../../../platform/reference.ts';
import { answerText } from '../../answers.ts';
import type { Application, ApplicationEvent, ApplicationFile } from '../../domain.ts';
import { formatBytes, formatMoney, visibility, type RawAnswers } from '../../engine/index.ts';
import { dayOf, StatusTag, when } from './parts.tsx';

function paymentText(ctx: PageContext, a: Application): string {
  const { t, locale } = ctx;
  if (a.feeCents === 0) return t('applications.fee.none');
  const amount = formatMoney(a.feeCents, locale);
  if (a.paymentStatus === 'paid') return t('applications.payment.paid', { amount });
  if (a.paymentStatus === 'refunded') return t('applications.payment.refunded', { amount });
  return t('applications.payment.dueCounter', { amount });
}

export function ReceiptPage({ ctx, application: a }: { ctx: PageContext; application: Application }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('applications.receipt.title')}>
      <Banner ctx={ctx} kind="success" title={t('applications.receipt.title')}>
        <p>
          {t('applications.receipt.reference')} <strong class="reference">{formatReference(a.reference)}</strong>
        </p>
      </Banner>
      <p>{t('applications.receipt.body', { service: a.service.name[locale] })}</p>
      <dl class="summary">
        <dt>{t('applications.detail.payment')}</dt>
        <dd>{paymentText(ctx, a)}</dd>
        {a.dueAt ? (
          <>
            <dt>{t('applications.detail.expected')}</dt>
            <dd>{dayOf(ctx, a.dueAt)}</dd>
          </>
        ) : null}
      </dl>
      <p>{t('applications.receipt.email')}</p>
      <p>
        <a href={href(ctx, `/applications/${a.id}`)}>{t('applications.receipt.follow')}</a>
      </p>
    </Layout>
  );
}

/** One application's page. `children` are the review side's parts (messages, requests for information, documents). */
export function ApplicationPage(props: {
  ctx: PageContext;
  application: Application;
  files: ApplicationFile[];
  events: ApplicationEvent[];
  children?: ComponentChildren;
}) {
  const { ctx, application: a } = props;
  const { t, locale } = ctx;
  const name = a.service.name[locale];
  const answers = a.answers as RawAnswers;
  const visible = visibility(a.definition, answers, props.files.map((f) => ({ questionCode: f.questionCode, contentType: f.contentType, size: f.size }))).questions;
  return (
    <Layout ctx={ctx} title={name}>
      <p>
        <a href={href(ctx, '/applications')}>{t('applications.detail.all')}</a>
      </p>
      <h1>{name}</h1>
      <dl class="summary">
        <dt>{t('applications.mine.reference')}</dt>
        <dd class="reference">{formatReference(a.reference)}</dd>
        <dt>{t('applications.mine.status')}</dt>
        <dd>
          <StatusTag ctx={ctx} status={a.status} />
        </dd>
        {a.submittedAt ? (
          <>
            <dt>{t('applications.detail.submitted')}</dt>
            <dd>{when(ctx, a.submittedAt)}</dd>
          </>
        ) : null}
        {a.dueAt && (a.status === 'submitted' || a.status === 'in_review') ? (
          <>
            <dt>{t('applications.detail.expected')}</dt>
            <dd>{dayOf(ctx, a.dueAt)}</dd>
          </>
        ) : null}
        <dt>{t('applications.detail.payment')}</dt>
        <dd>{paymentText(ctx, a)}</dd>
      </dl>
      <p>
        <a href={href(ctx, `/applications/${a.id}/follow-up`)}>{t('applications.detail.followUp')}</a>
      </p>
      {props.children}
      <h2>{t('applications.detail.answers')}</h2>
      <dl class="summary">
        {a.definition.pages
          .flatMap((p) => p.questions)
          .filter((q) => visible.has(q.code))
          .map((q) => (
            <>
              <dt key={`${q.code}-q`}>{q.label[locale]}</dt>
              <dd key={`${q.code}-a`}>
                {q.kind === 'file' ? (
                  <ul>
                    {props.files
                      .filter((f) => f.questionCode === q.code && f.messageId === null)
                      .map((f) => (
                        <li key={f.id}>
                          <a href={href(ctx, `/applications/${a.id}/files/${f.id}`)}>{f.filename}</a> ({formatBytes(f.size, locale)})
                        </li>
                      ))}
                  </ul>
                ) : (
                  answerText(q, answers[q.code], locale)
                )}
              </dd>
            </>
          ))}
      </dl>
      <h2>{t('applications.detail.history')}</h2>
      <ol class="timeline">
        {props.events.map((e) => (
          <li key={e.id}>
            <time dateTime={e.createdAt.toISOString()}>{when(ctx, e.createdAt)}</time> — {eventText(ctx, e)}
            {e.body ? <p lang={e.bodyLocale ?? undefined}>{e.body}</p> : null}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

const EVENTS = ['started', 'submitted', 'info_provided', 'interview_scheduled', 'issued', 'document_revoked'] as const;
const known = (kind: string): kind is (typeof EVENTS)[number] => (EVENTS as readonly string[]).includes(kind);

/** What the timeline says of an event: its own words, else the status it led to. */
function eventText(ctx: PageContext, e: ApplicationEvent): string {
  if (known(e.kind)) return ctx.t(`applications.event.${e.kind}`);
  if (e.toStatus) return ctx.t('applications.event.status', { status: ctx.t(`applications.status.${e.toStatus}`) });
  return ctx.t('applications.event.other');
}
