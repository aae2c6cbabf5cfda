/** "Do I need a permit?": one question per page (a GET form), and the outcome with a link to the form. */
import { Layout } from '../../../../web/components/Layout.tsx';
import { Radios } from '../../../../web/components/choices.tsx';
import { Button, ErrorSummary } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { Precheck, PrecheckOutcome, PrecheckQuestion } from '../../precheck.ts';

export function PrecheckQuestionPage(props: { ctx: PageContext; precheck: Precheck; question: PrecheckQuestion; error: string | null; first: boolean }) {
  const { ctx, precheck: p, question: q } = props;
  const { t, locale } = ctx;
  const title = p.title[locale];
  return (
    <Layout ctx={ctx} title={`${q.label[locale]} – ${title}`} hasErrors={props.error !== null}>
      <p>
        <a href={href(ctx, '/applications')}>{t('applications.list.back')}</a>
      </p>
      <ErrorSummary ctx={ctx} errors={props.error ? { choice: props.error } : {}} />
      <h1>{title}</h1>
      {props.first && p.definition.intro[locale] ? <p class="lead">{p.definition.intro[locale]}</p> : null}
      <form method="get" action={href(ctx, `/applications/check/${p.slug}/answer`)} novalidate>
        <input type="hidden" name="at" value={q.code} />
        <Radios
          ctx={ctx}
          name="choice"
          legend={q.label[locale]}
          hint={q.help[locale] || undefined}
          error={props.error ?? undefined}
          value=""
          options={q.choices.map((c) => ({ value: c.value, label: c.label[locale] }))}
        />
        <Button>{t('applications.precheck.continue')}</Button>
      </form>
    </Layout>
  );
}

export function PrecheckOutcomePage(props: { ctx: PageContext; precheck: Precheck; outcome: PrecheckOutcome }) {
  const { ctx, precheck: p, outcome: o } = props;
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={`${o.title[locale]} – ${p.title[locale]}`}>
      <p class="caption">{p.title[locale]}</p>
      <h1>{o.title[locale]}</h1>
      {o.body[locale].split('\n').map((line, i) => (line.trim() ? <p key={i}>{line}</p> : null))}
      {o.service ? (
        <p>
          <a class="button button--primary" href={href(ctx, `/applications/services/${o.service}`)}>
            {t('applications.precheck.toForm')}
          </a>
        </p>
      ) : null}
      <p>
        <a href={href(ctx, `/applications/check/${p.slug}`)}>{t('applications.precheck.again')}</a>
        {' · '}
        <a href={href(ctx, '/applications')}>{t('applications.list.back')}</a>
      </p>
    </Layout>
  );
}
