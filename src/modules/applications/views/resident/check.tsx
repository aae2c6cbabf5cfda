/** "Check your answers" before sending: every answer with a link to change it, the fee, how to pay, send. */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Radios } from '../../../../web/components/choices.tsx';
import { Button, ErrorSummary, PostForm, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import { answerText } from '../../answers.ts';
import type { Application, ApplicationFile } from '../../domain.ts';
import { formatBytes, formatMoney } from '../../engine/index.ts';

export function CheckPage(props: {
  ctx: PageContext;
  application: Application;
  files: ApplicationFile[];
  visible: ReadonlySet<string>;
  /** Answers missing or wrong, by question code: each links to its page. */
  problems: Array<{ question: string; page: string; message: string }>;
  feeCents: number;
  methods: readonly string[];
  errors: FieldErrors;
  submitKey: string;
}) {
  const { ctx, application: a } = props;
  const { t, locale } = ctx;
  const def = a.definition;
  const name = a.service.name[locale];
  const base = `/applications/${a.id}`;
  const summaryErrors: FieldErrors = { ...props.errors };
  for (const p of props.problems) summaryErrors[`answer-${p.question}`] = p.message;
  const answers = a.answers;
  return (
    <Layout ctx={ctx} title={`${t('applications.check.title')} – ${name}`} hasErrors={Object.keys(summaryErrors).length > 0}>
      <ErrorSummary ctx={ctx} errors={summaryErrors} />
      <p class="caption">{name}</p>
      <h1>{t('applications.check.title')}</h1>
      {def.pages.map((page) => {
        const shown = page.questions.filter((q) => props.visible.has(q.code));
        if (shown.length === 0) return null;
        return (
          <section key={page.code}>
            <h2>{page.title[locale]}</h2>
            <dl class="summary">
              {shown.map((q) => {
                const problem = props.problems.find((p) => p.question === q.code);
                const files = props.files.filter((f) => f.questionCode === q.code && f.messageId === null);
                const shownAnswer =
                  q.kind === 'file'
                    ? files.map((f) => `${f.filename} (${formatBytes(f.size, locale)})`).join(', ')
                    : answerText(q, answers[q.code], locale);
                return (
                  <>
                    <dt key={`${q.code}-q`} id={`answer-${q.code}`}>
                      {q.label[locale]}
                    </dt>
                    <dd key={`${q.code}-a`}>
                      {shownAnswer === '' ? <span>{t('applications.check.notAnswered')}</span> : shownAnswer}
                      {problem ? <p class="field__error">{problem.message}</p> : null}{' '}
                      <a href={href(ctx, `${base}/pages/${page.code}#${q.code}`)}>
                        {t('applications.check.change')}
                        <span class="visually-hidden"> {q.label[locale]}</span>
                      </a>
                    </dd>
                  </>
                );
              })}
            </dl>
          </section>
        );
      })}
      <h2>{t('applications.check.feeTitle')}</h2>
      <p>{props.feeCents === 0 ? t('applications.fee.none') : t('applications.check.fee', { amount: formatMoney(props.feeCents, locale) })}</p>
      {props.problems.length > 0 ? (
        <p>{t('applications.check.fixFirst')}</p>
      ) : (
        <PostForm ctx={ctx} action={href(ctx, `${base}/submit`)}>
          <input type="hidden" name="_idem" value={props.submitKey} />
          {props.feeCents > 0 ? (
            <Radios
              ctx={ctx}
              name="payment"
              legend={t('applications.check.paymentMethod')}
              error={props.errors.payment}
              value={props.methods.length === 1 ? props.methods[0]! : ''}
              options={props.methods.map((m) => ({ value: m, label: t(`applications.payment.${m}`) }))}
            />
          ) : null}
          <p>{t('applications.check.declaration')}</p>
          <Button>{t('applications.check.submit')}</Button>
        </PostForm>
      )}
      <p>
        <a href={href(ctx, `${base}/continue`)}>{t('applications.check.backToForm')}</a>
      </p>
    </Layout>
  );
}
