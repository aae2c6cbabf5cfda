/**
 * One service in the builder: its settings, its draft form (pages and questions, each to edit,
 * move or remove), the questions and pages to add, the fee, the documents and steps, publish.
 */
import { Radios, Select } from '../../../../web/components/choices.tsx';
import { Tag } from '../../../../web/components/display.tsx';
import { Button, PostForm, TextArea, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { Department } from '../../../departments/service.ts';
import type { ServiceForBuilder } from '../../builder.ts';
import { QUESTION_KINDS, type FormDefinition, type Question } from '../../engine/index.ts';
import { dayOf } from '../resident/parts.tsx';
import { feeText } from '../resident/catalogue.tsx';
import { departmentOptions, kindOptions } from './list.tsx';
import { BilingualFields, BuilderLayout, ButtonForm, YesBox, type BuilderDone } from './parts.tsx';

const money = (cents: number | null) => (cents === null ? '' : (cents / 100).toFixed(2));

/** The values the forms show when nothing was just sent. */
export function serviceValues(b: ServiceForBuilder): Record<string, string> {
  const s = b.service;
  const def = b.draft.definition;
  const fee = def.fee;
  return {
    name_fr: s.name.fr,
    name_en: s.name.en,
    summary_fr: s.summary.fr,
    summary_en: s.summary.en,
    kind: s.kind,
    department: s.departmentId ?? '',
    active: s.active ? 'yes' : '',
    fee_kind: fee.kind,
    fee_amount: fee.kind === 'fixed' ? money(fee.cents) : '',
    fee_question: fee.kind === 'perUnit' ? fee.question : '',
    fee_base: fee.kind === 'perUnit' ? money(fee.baseCents) : '',
    fee_per_unit: fee.kind === 'perUnit' ? money(fee.centsPerUnit) : '',
    fee_min: fee.kind === 'perUnit' ? money(fee.minCents) : '',
    fee_max: fee.kind === 'perUnit' ? money(fee.maxCents) : '',
    documents: def.documents.map((d) => [d.label.fr, d.label.en, d.question ?? ''].filter((x, i) => i < 2 || x !== '').join(' | ')).join('\n'),
    steps: def.steps.map((s2) => `${s2.code} | ${s2.label.fr} | ${s2.label.en}`).join('\n'),
    form_target_days: String(def.targetDays),
  };
}

function conditionText(ctx: PageContext, def: FormDefinition, q: { showIf: Question['showIf'] }): string {
  if (!q.showIf) return '';
  const target = def.pages.flatMap((p) => p.questions).find((x) => x.code === q.showIf!.question);
  return ctx.t('applications.builder.conditionShort', {
    question: target ? target.label[ctx.locale] : q.showIf.question,
    op: ctx.t(`applications.builder.ops.${q.showIf.op}`),
    value: q.showIf.value === null ? '' : String(q.showIf.value),
  });
}

function Outline({ ctx, b }: { ctx: PageContext; b: ServiceForBuilder }) {
  const { t, locale } = ctx;
  const def = b.draft.definition;
  const base = `/staff/services/${b.service.id}`;
  return (
    <>
      {def.pages.map((page, pi) => (
        <section key={page.code} class="builder-page">
          <h3>{t('applications.builder.pageHeading', { n: pi + 1, title: page.title[locale] })}</h3>
          {page.showIf ? <p>{conditionText(ctx, def, page)}</p> : null}
          <div class="actions">
            <a class="button button--secondary" href={href(ctx, `${base}/pages/${page.code}`)}>
              {t('applications.builder.editPage')}
              <span class="visually-hidden"> {page.title[locale]}</span>
            </a>
            <a class="button button--secondary" href={href(ctx, `${base}/preview/${page.code}`)}>
              {t('applications.builder.preview')}
              <span class="visually-hidden"> {page.title[locale]}</span>
            </a>
            {pi > 0 ? <ButtonForm ctx={ctx} action={href(ctx, `${base}/pages/${page.code}/move`)} hidden={{ dir: 'up' }} label={t('applications.builder.moveUp')} hiddenLabel={page.title[locale]} /> : null}
            {pi < def.pages.length - 1 ? <ButtonForm ctx={ctx} action={href(ctx, `${base}/pages/${page.code}/move`)} hidden={{ dir: 'down' }} label={t('applications.builder.moveDown')} hiddenLabel={page.title[locale]} /> : null}
            {def.pages.length > 1 ? <ButtonForm ctx={ctx} action={href(ctx, `${base}/pages/${page.code}/remove`)} variant="warning" label={t('applications.builder.removePage')} hiddenLabel={page.title[locale]} /> : null}
          </div>
          {page.questions.length === 0 ? (
            <p>{t('applications.builder.noQuestions')}</p>
          ) : (
            <ol class="builder-questions">
              {page.questions.map((q) => (
                <li key={q.code}>
                  <p>
                    <strong>{q.label[locale]}</strong> <Tag tone="info">{t(`applications.builder.kinds.${q.kind}`)}</Tag>{' '}
                    {q.required ? <Tag tone="neutral">{t('applications.builder.requiredTag')}</Tag> : null} <code>{q.code}</code>
                  </p>
                  {q.showIf ? <p>{conditionText(ctx, def, q)}</p> : null}
                  <div class="actions">
                    <a class="button button--secondary" href={href(ctx, `${base}/questions/${q.code}`)}>
                      {t('applications.builder.edit')}
                      <span class="visually-hidden"> {q.label[locale]}</span>
                    </a>
                    <ButtonForm ctx={ctx} action={href(ctx, `${base}/questions/${q.code}/move`)} hidden={{ dir: 'up' }} label={t('applications.builder.moveUp')} hiddenLabel={q.label[locale]} />
                    <ButtonForm ctx={ctx} action={href(ctx, `${base}/questions/${q.code}/move`)} hidden={{ dir: 'down' }} label={t('applications.builder.moveDown')} hiddenLabel={q.label[locale]} />
                    <ButtonForm ctx={ctx} action={href(ctx, `${base}/questions/${q.code}/remove`)} variant="warning" label={t('applications.builder.remove')} hiddenLabel={q.label[locale]} />
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
      ))}
    </>
  );
}

export function ServiceBuilderPage(props: {
  ctx: PageContext;
  b: ServiceForBuilder;
  departments: Department[];
  values: Record<string, string>;
  errors: FieldErrors;
  done?: BuilderDone | undefined;
}) {
  const { ctx, b, values, errors } = props;
  const { t, locale } = ctx;
  const def = b.draft.definition;
  const base = `/staff/services/${b.service.id}`;
  const numberQuestions = def.pages.flatMap((p) => p.questions).filter((q) => q.kind === 'number');
  return (
    <BuilderLayout ctx={ctx} title={b.service.name[locale]} errors={errors} done={props.done} back={{ href: href(ctx, '/staff/services'), label: t('applications.builder.backToList') }}>
      <h1>{b.service.name[locale]}</h1>
      <p>
        {b.published
          ? t('applications.builder.publishedOn', { version: b.published.version, date: dayOf(ctx, b.published.publishedAt!) })
          : t('applications.builder.neverPublished')}{' '}
        {t('applications.builder.draftVersion', { version: b.draft.version })}
      </p>
      {b.published ? (
        <p>
          <a href={href(ctx, `/applications/services/${b.service.slug}`)}>{t('applications.builder.residentPage')}</a>
        </p>
      ) : null}

      <h2>{t('applications.builder.formTitle')}</h2>
      <p>{t('applications.builder.formLead')}</p>
      <Outline ctx={ctx} b={b} />

      <h3>{t('applications.builder.addQuestion')}</h3>
      <PostForm ctx={ctx} action={href(ctx, `${base}/questions`)}>
        <Select ctx={ctx} name="new_page" label={t('applications.builder.onPage')} value={values.new_page ?? def.pages[def.pages.length - 1]!.code} error={errors.new_page} required options={def.pages.map((p, i) => ({ value: p.code, label: `${i + 1}. ${p.title[locale]}` }))} />
        <Select ctx={ctx} name="new_kind" label={t('applications.builder.questionKind')} value={values.new_kind ?? 'text'} error={errors.new_kind} required options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`applications.builder.kinds.${k}`) }))} />
        <TextField ctx={ctx} name="new_code" label={t('applications.builder.code')} hint={t('applications.builder.codeHint')} value={values.new_code} error={errors.new_code} required maxLength={63} />
        <BilingualFields ctx={ctx} name="new_label" label={t('applications.builder.questionLabel')} values={values} errors={errors} maxLength={300} />
        <Button>{t('applications.builder.addQuestionButton')}</Button>
      </PostForm>

      <h3>{t('applications.builder.addPage')}</h3>
      <PostForm ctx={ctx} action={href(ctx, `${base}/pages`)}>
        <TextField ctx={ctx} name="page_code" label={t('applications.builder.code')} hint={t('applications.builder.codeHint')} value={values.page_code} error={errors.page_code} required maxLength={63} />
        <BilingualFields ctx={ctx} name="page_title" label={t('applications.builder.pageTitle')} values={values} errors={errors} maxLength={300} />
        <Button>{t('applications.builder.addPageButton')}</Button>
      </PostForm>

      <h2>{t('applications.builder.feeTitle')}</h2>
      <p>{feeText(ctx, def)}</p>
      <PostForm ctx={ctx} action={href(ctx, `${base}/fee`)}>
        <Radios
          ctx={ctx}
          name="fee_kind"
          legend={t('applications.builder.feeKind')}
          value={values.fee_kind ?? 'none'}
          error={errors.fee_kind}
          options={(['none', 'fixed', 'perUnit'] as const).map((k) => ({ value: k, label: t(`applications.builder.feeKinds.${k}`) }))}
        />
        <TextField ctx={ctx} name="fee_amount" label={t('applications.builder.feeAmount')} hint={t('applications.builder.moneyHint')} value={values.fee_amount} error={errors.fee_amount} required={false} maxLength={12} />
        <Select
          ctx={ctx}
          name="fee_question"
          label={t('applications.builder.feeQuestion')}
          value={values.fee_question ?? ''}
          error={errors.fee_question}
          required={false}
          options={[{ value: '', label: t('applications.builder.noQuestion') }, ...numberQuestions.map((q) => ({ value: q.code, label: q.label[locale] }))]}
        />
        <TextField ctx={ctx} name="fee_base" label={t('applications.builder.feeBase')} hint={t('applications.builder.moneyHint')} value={values.fee_base} error={errors.fee_base} required={false} maxLength={12} />
        <TextField ctx={ctx} name="fee_per_unit" label={t('applications.builder.feePerUnit')} hint={t('applications.builder.moneyHint')} value={values.fee_per_unit} error={errors.fee_per_unit} required={false} maxLength={12} />
        <TextField ctx={ctx} name="fee_min" label={t('applications.builder.feeMin')} value={values.fee_min} error={errors.fee_min} required={false} maxLength={12} />
        <TextField ctx={ctx} name="fee_max" label={t('applications.builder.feeMax')} value={values.fee_max} error={errors.fee_max} required={false} maxLength={12} />
        <Button>{t('applications.builder.saveFee')}</Button>
      </PostForm>

      <h2>{t('applications.builder.documentsTitle')}</h2>
      <PostForm ctx={ctx} action={href(ctx, `${base}/documents`)}>
        <TextArea ctx={ctx} name="documents" label={t('applications.builder.documents')} hint={t('applications.builder.documentsHint')} value={values.documents} error={errors.documents} required={false} rows={4} maxLength={6000} />
        <TextArea ctx={ctx} name="steps" label={t('applications.builder.steps')} hint={t('applications.builder.stepsHint')} value={values.steps} error={errors.steps} required={false} rows={4} maxLength={4000} />
        <TextField ctx={ctx} name="form_target_days" label={t('applications.builder.targetDays')} value={values.form_target_days} error={errors.form_target_days} required maxLength={3} inputMode="numeric" />
        <Button>{t('applications.builder.saveDocuments')}</Button>
      </PostForm>

      <h2 id="publish">{t('applications.builder.publishTitle')}</h2>
      <p>{t('applications.builder.publishLead')}</p>
      <ButtonForm ctx={ctx} action={href(ctx, `${base}/publish`)} variant="primary" label={t('applications.builder.publish', { version: b.draft.version })} />

      <h2>{t('applications.builder.settingsTitle')}</h2>
      <PostForm ctx={ctx} action={href(ctx, `${base}/settings`)}>
        <BilingualFields ctx={ctx} name="name" label={t('applications.builder.name')} values={values} errors={errors} maxLength={120} />
        <Radios ctx={ctx} name="kind" legend={t('applications.builder.kind')} value={values.kind ?? 'permit'} error={errors.kind} options={kindOptions(ctx)} />
        <BilingualFields ctx={ctx} name="summary" label={t('applications.builder.summary')} values={values} errors={errors} maxLength={1000} multiline required={false} />
        <Select ctx={ctx} name="department" label={t('applications.builder.department')} value={values.department ?? ''} error={errors.department} options={departmentOptions(ctx, props.departments)} required={false} />
        <YesBox name="active" label={t('applications.builder.active')} checked={values.active === 'yes'} />
        <Button>{t('applications.builder.saveSettings')}</Button>
      </PostForm>

      <h2>{t('applications.builder.versionsTitle')}</h2>
      <ul>
        {b.versions.map((v) => (
          <li key={v.id}>
            {v.publishedAt ? t('applications.builder.versionPublished', { version: v.version, date: dayOf(ctx, v.publishedAt) }) : t('applications.builder.versionDraft', { version: v.version })}
          </li>
        ))}
      </ul>
    </BuilderLayout>
  );
}
