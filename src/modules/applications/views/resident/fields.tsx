/**
 * One question of a form as a field of the page, by kind, with its hint and its error. Field names
 * are the question codes (an address adds `<code>__lot`); a file question lists the files attached
 * with a remove button, and a file input that the page's own buttons send.
 */
import { Radios, Checkboxes, ChoiceGroup } from '../../../../web/components/choices.tsx';
import { TextArea, TextField } from '../../../../web/components/forms.tsx';
import type { PageContext } from '../../../../web/context.ts';
import type { ApplicationFile } from '../../domain.ts';
import { FILE_TYPES, findQuestion, formatBytes, type FormDefinition, type Question, type RawAnswer } from '../../engine/index.ts';

export const LOT_SUFFIX = '__lot';

/** "Answer only if you answered «Yes» to «Are you extending?»": a condition on the same page, said in words. */
function conditionHint(ctx: PageContext, def: FormDefinition, q: Question): string | null {
  if (!q.showIf) return null;
  const target = findQuestion(def, q.showIf.question);
  if (!target) return null;
  const v = q.showIf.value;
  const answer =
    target.kind === 'yesno'
      ? ctx.t(v === 'yes' ? 'applications.answer.yes' : 'applications.answer.no')
      : target.kind === 'single' || target.kind === 'multiple'
        ? (target.options.find((o) => o.value === String(v))?.label[ctx.locale] ?? String(v))
        : String(v ?? '');
  return ctx.t(`applications.form.onlyIf.${q.showIf.op}`, { question: target.label[ctx.locale], answer });
}

function hintOf(ctx: PageContext, def: FormDefinition, q: Question, sameList: ReadonlySet<string>): string | undefined {
  const parts = [q.help[ctx.locale]];
  if (q.kind === 'number' && q.unit) parts.push(ctx.t('applications.form.unit', { unit: q.unit[ctx.locale] }));
  if (q.kind === 'date') parts.push(ctx.t('applications.form.dateHint'));
  if (q.kind === 'file') {
    parts.push(ctx.t('applications.form.fileHint', { types: q.accept.map((a) => a.toUpperCase()).join(', '), max: formatBytes(q.maxBytes, ctx.locale), count: q.maxFiles }));
  }
  // A condition on a question of this very page cannot be applied before the page is sent: say it.
  if (q.showIf && sameList.has(q.showIf.question)) parts.push(conditionHint(ctx, def, q) ?? '');
  const text = parts.filter((p) => p.trim() !== '').join(' ');
  return text === '' ? undefined : text;
}

const text = (v: RawAnswer | undefined) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: RawAnswer | undefined) => (Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : []);

export function QuestionField(props: {
  ctx: PageContext;
  def: FormDefinition;
  q: Question;
  value: RawAnswer | undefined;
  error?: string | undefined;
  files: ApplicationFile[];
  /** Codes of the questions on the same page before this one. */
  samePage: ReadonlySet<string>;
  /** The link that downloads a file (absent in the builder's preview). */
  fileHref?: (f: ApplicationFile) => string;
  /** false in the builder's preview: nothing to remove. */
  editable?: boolean;
}) {
  const { ctx, q, value, error } = props;
  const { locale, t } = ctx;
  const label = q.label[locale];
  const hint = hintOf(ctx, props.def, q, props.samePage);
  const dataShowIf = q.showIf && props.samePage.has(q.showIf.question) ? JSON.stringify(q.showIf) : undefined;
  const field = (() => {
    switch (q.kind) {
      case 'text':
        return q.multiline ? (
          <TextArea ctx={ctx} name={q.code} label={label} hint={hint} error={error} required={q.required} value={text(value)} maxLength={q.maxLength} />
        ) : (
          <TextField
            ctx={ctx}
            name={q.code}
            label={label}
            hint={hint}
            error={error}
            required={q.required}
            value={text(value)}
            maxLength={q.maxLength}
            type={q.pattern === 'email' ? 'email' : q.pattern === 'phone' ? 'tel' : 'text'}
            autocomplete={q.pattern === 'postalCode' ? 'postal-code' : q.pattern === 'email' ? 'email' : q.pattern === 'phone' ? 'tel' : undefined}
          />
        );
      case 'number':
        return <TextField ctx={ctx} name={q.code} label={label} hint={hint} error={error} required={q.required} value={text(value)} maxLength={20} inputMode={q.integer ? 'numeric' : 'text'} />;
      case 'date':
        return <TextField ctx={ctx} name={q.code} label={label} hint={hint} error={error} required={q.required} value={text(value)} type="date" />;
      case 'single':
        return <Radios ctx={ctx} name={q.code} legend={label} hint={hint} error={error} value={text(value)} options={q.options.map((o) => ({ value: o.value, label: o.label[locale] }))} />;
      case 'multiple':
        return (
          <Checkboxes ctx={ctx} name={q.code} legend={label} hint={hint} error={error} values={list(value)} empty="" options={q.options.map((o) => ({ value: o.value, label: o.label[locale] }))} />
        );
      case 'yesno':
        return (
          <Radios
            ctx={ctx}
            name={q.code}
            legend={label}
            hint={hint}
            error={error}
            value={text(value)}
            options={[
              { value: 'yes', label: t('applications.answer.yes') },
              { value: 'no', label: t('applications.answer.no') },
            ]}
          />
        );
      case 'address': {
        const a = value && typeof value === 'object' && !Array.isArray(value) ? value : { address: text(value), lot: '' };
        return (
          <ChoiceGroup ctx={ctx} name={`${q.code}-group`} legend={label} hint={hint ?? t('applications.form.addressHint')} error={error} required={q.required}>
            <TextField ctx={ctx} name={q.code} label={t('applications.form.address')} value={a.address} maxLength={300} autocomplete="street-address" required={false} />
            <TextField ctx={ctx} name={`${q.code}${LOT_SUFFIX}`} label={t('applications.form.lot')} hint={t('applications.form.lotHint')} value={a.lot} maxLength={20} inputMode="numeric" required={false} />
          </ChoiceGroup>
        );
      }
      case 'file': {
        const mine = props.files.filter((f) => f.questionCode === q.code && f.messageId === null);
        const accept = q.accept.map((k) => FILE_TYPES[k]).join(',');
        return (
          <ChoiceGroup ctx={ctx} name={`${q.code}-group`} legend={label} hint={hint} error={error} required={q.required}>
            {mine.length > 0 ? (
              <ul class="file-list">
                {mine.map((f) => (
                  <li key={f.id}>
                    {props.fileHref ? <a href={props.fileHref(f)}>{f.filename}</a> : f.filename} ({formatBytes(f.size, locale)}){' '}
                    {props.editable === false ? null : (
                      <span class="choice choice--inline">
                        <input class="choice__input" type="checkbox" id={`remove-${f.id}`} name="remove" value={f.id} />
                        <label class="choice__label" for={`remove-${f.id}`}>
                          {t('applications.form.removeFile', { name: f.filename })}
                        </label>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            ) : null}
            {mine.length < q.maxFiles ? (
              <div class="field">
                <label class="field__label" for={q.code}>
                  {mine.length > 0 ? t('applications.form.addAnotherFile') : t('applications.form.chooseFile')}
                </label>
                <input class="field__input" type="file" id={q.code} name={q.code} accept={accept} aria-invalid={error ? 'true' : undefined} />
              </div>
            ) : (
              <p id={q.code}>{t('applications.form.fileLimitReached', { count: q.maxFiles })}</p>
            )}
          </ChoiceGroup>
        );
      }
    }
  })();
  return dataShowIf ? (
    <div data-show-if={dataShowIf} data-question={q.code}>
      {field}
    </div>
  ) : (
    field
  );
}
