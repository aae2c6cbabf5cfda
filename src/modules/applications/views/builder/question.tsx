/** Editing one question of the draft (its texts, whether it is required, its condition, its kind's rules), and one page. */
import { Checkboxes, Select } from '../../../../web/components/choices.tsx';
import { Button, PostForm, TextArea, TextField, type FieldErrors } from '../../../../web/components/forms.tsx';
import { href, type PageContext } from '../../../../web/context.ts';
import type { ApplicationService } from '../../domain.ts';
import { optionsText } from '../../builder-edit.ts';
import { CONDITION_OPS, FILE_TYPE_NAMES, SAFE_PATTERN_NAMES, type Condition, type Page, type Question } from '../../engine/index.ts';
import { BilingualFields, BuilderLayout, YesBox } from './parts.tsx';

const n = (v: number | null) => (v === null ? '' : String(v));

export function questionValues(q: Question): Record<string, string> {
  const v: Record<string, string> = {
    label_fr: q.label.fr,
    label_en: q.label.en,
    help_fr: q.help.fr,
    help_en: q.help.en,
    required: q.required ? 'yes' : '',
    ...conditionValues(q.showIf),
  };
  switch (q.kind) {
    case 'text':
      return { ...v, multiline: q.multiline ? 'yes' : '', min_length: n(q.minLength), max_length: String(q.maxLength), pattern: q.pattern ?? '' };
    case 'number':
      return { ...v, min: n(q.min), max: n(q.max), integer: q.integer ? 'yes' : '', unit_fr: q.unit?.fr ?? '', unit_en: q.unit?.en ?? '' };
    case 'date':
      return { ...v, min_days: n(q.minDaysFromToday), max_days: n(q.maxDaysFromToday) };
    case 'single':
      return { ...v, options: optionsText(q.options) };
    case 'multiple':
      return { ...v, options: optionsText(q.options), min_selected: n(q.minSelected), max_selected: n(q.maxSelected) };
    case 'file':
      return { ...v, accept: q.accept.join(','), max_kb: String(Math.round(q.maxBytes / 1024)), max_files: String(q.maxFiles) };
    default:
      return v;
  }
}

export function conditionValues(c: Condition | null): Record<string, string> {
  return { cond_question: c?.question ?? '', cond_op: c?.op ?? 'equals', cond_value: c?.value === null || c?.value === undefined ? '' : String(c.value) };
}

function ConditionFields(props: { ctx: PageContext; earlier: Question[]; values: Record<string, string>; errors: FieldErrors }) {
  const { ctx, values, errors } = props;
  const { t, locale } = ctx;
  return (
    <fieldset class="fieldset">
      <legend class="field__label">{t('applications.builder.condition')}</legend>
      <p class="field__hint">{t('applications.builder.conditionHint')}</p>
      <Select
        ctx={ctx}
        name="cond_question"
        label={t('applications.builder.conditionQuestion')}
        value={values.cond_question ?? ''}
        error={errors.cond_question}
        required={false}
        options={[{ value: '', label: t('applications.builder.always') }, ...props.earlier.map((q) => ({ value: q.code, label: `${q.label[locale]} (${q.code})` }))]}
      />
      <Select ctx={ctx} name="cond_op" label={t('applications.builder.conditionOp')} value={values.cond_op ?? 'equals'} error={errors.cond_op} required={false} options={CONDITION_OPS.map((o) => ({ value: o, label: t(`applications.builder.ops.${o}`) }))} />
      <TextField ctx={ctx} name="cond_value" label={t('applications.builder.conditionValue')} hint={t('applications.builder.conditionValueHint')} value={values.cond_value} error={errors.cond_value} required={false} maxLength={200} />
    </fieldset>
  );
}

function KindFields({ ctx, q, values, errors }: { ctx: PageContext; q: Question; values: Record<string, string>; errors: FieldErrors }) {
  const { t } = ctx;
  const num = (name: string, label: string, hint?: string) => <TextField ctx={ctx} name={name} label={label} hint={hint} value={values[name]} error={errors[name]} required={false} maxLength={16} />;
  switch (q.kind) {
    case 'text':
      return (
        <>
          <YesBox name="multiline" label={t('applications.builder.multiline')} checked={values.multiline === 'yes'} />
          {num('min_length', t('applications.builder.minLength'))}
          {num('max_length', t('applications.builder.maxLength'))}
          <Select
            ctx={ctx}
            name="pattern"
            label={t('applications.builder.pattern')}
            value={values.pattern ?? ''}
            error={errors.pattern}
            required={false}
            options={[{ value: '', label: t('applications.builder.noPattern') }, ...SAFE_PATTERN_NAMES.map((p) => ({ value: p, label: t(`applications.builder.patterns.${p}`) }))]}
          />
        </>
      );
    case 'number':
      return (
        <>
          {num('min', t('applications.builder.min'))}
          {num('max', t('applications.builder.max'))}
          <YesBox name="integer" label={t('applications.builder.integer')} checked={values.integer === 'yes'} />
          <BilingualFields ctx={ctx} name="unit" label={t('applications.builder.unit')} values={values} errors={errors} maxLength={20} required={false} />
        </>
      );
    case 'date':
      return (
        <>
          {num('min_days', t('applications.builder.minDays'), t('applications.builder.daysHint'))}
          {num('max_days', t('applications.builder.maxDays'), t('applications.builder.daysHint'))}
        </>
      );
    case 'single':
    case 'multiple':
      return (
        <>
          <TextArea ctx={ctx} name="options" label={t('applications.builder.options')} hint={t('applications.builder.optionsHint')} value={values.options} error={errors.options} required rows={6} maxLength={20000} />
          {q.kind === 'multiple' ? (
            <>
              {num('min_selected', t('applications.builder.minSelected'))}
              {num('max_selected', t('applications.builder.maxSelected'))}
            </>
          ) : null}
        </>
      );
    case 'file':
      return (
        <>
          <Checkboxes
            ctx={ctx}
            name="accept"
            legend={t('applications.builder.accept')}
            values={(values.accept ?? '').split(',')}
            error={errors.accept}
            empty=""
            options={FILE_TYPE_NAMES.map((f) => ({ value: f, label: f.toUpperCase() }))}
          />
          {num('max_kb', t('applications.builder.maxKb'))}
          {num('max_files', t('applications.builder.maxFiles'))}
        </>
      );
    default:
      return null;
  }
}

export function QuestionEditPage(props: { ctx: PageContext; service: ApplicationService; q: Question; earlier: Question[]; values: Record<string, string>; errors: FieldErrors }) {
  const { ctx, q, values, errors } = props;
  const { t, locale } = ctx;
  const base = `/staff/services/${props.service.id}`;
  const title = t('applications.builder.editQuestion', { label: q.label[locale] });
  return (
    <BuilderLayout ctx={ctx} title={title} errors={errors} back={{ href: href(ctx, base), label: props.service.name[locale] }}>
      <h1>{title}</h1>
      <p>
        {t(`applications.builder.kinds.${q.kind}`)} · <code>{q.code}</code>
      </p>
      <PostForm ctx={ctx} action={href(ctx, `${base}/questions/${q.code}`)}>
        <BilingualFields ctx={ctx} name="label" label={t('applications.builder.questionLabel')} values={values} errors={errors} maxLength={300} />
        <BilingualFields ctx={ctx} name="help" label={t('applications.builder.help')} values={values} errors={errors} maxLength={1000} multiline required={false} />
        <YesBox name="required" label={t('applications.builder.required')} checked={values.required === 'yes'} />
        <KindFields ctx={ctx} q={q} values={values} errors={errors} />
        <ConditionFields ctx={ctx} earlier={props.earlier} values={values} errors={errors} />
        <Button>{t('applications.builder.saveQuestion')}</Button>
      </PostForm>
    </BuilderLayout>
  );
}

export function PageEditPage(props: { ctx: PageContext; service: ApplicationService; page: Page; earlier: Question[]; values: Record<string, string>; errors: FieldErrors }) {
  const { ctx, page, values, errors } = props;
  const { t, locale } = ctx;
  const base = `/staff/services/${props.service.id}`;
  const title = t('applications.builder.editPageTitle', { title: page.title[locale] });
  return (
    <BuilderLayout ctx={ctx} title={title} errors={errors} back={{ href: href(ctx, base), label: props.service.name[locale] }}>
      <h1>{title}</h1>
      <PostForm ctx={ctx} action={href(ctx, `${base}/pages/${page.code}`)}>
        <BilingualFields ctx={ctx} name="title" label={t('applications.builder.pageTitle')} values={values} errors={errors} maxLength={300} />
        <BilingualFields ctx={ctx} name="intro" label={t('applications.builder.pageIntro')} values={values} errors={errors} maxLength={1000} multiline required={false} />
        <ConditionFields ctx={ctx} earlier={props.earlier} values={values} errors={errors} />
        <Button>{t('applications.builder.savePage')}</Button>
      </PostForm>
    </BuilderLayout>
  );
}
