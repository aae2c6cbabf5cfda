/**
 * Choice fields of the design system: a select, radio buttons, checkboxes. Each has a label or
 * legend, a hint and an error that the error summary links to: the first control carries the
 * field's name as its id.
 */
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../context.ts';
import { ErrorLine } from './forms.tsx';

export interface Option {
  value: string;
  label: string;
  /** Shown after the label, e.g. "(inactive)". */
  note?: string;
  /** The option's language when it differs from the page's (a language's own name). */
  lang?: string;
  disabled?: boolean;
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

const labelOf = (o: Option) => (o.note ? `${o.label} ${o.note}` : o.label);
const idOf = (name: string, i: number, o: Option) => (i === 0 ? name : `${name}-${o.value.replace(/[^A-Za-z0-9_-]/g, '_') || i}`);

export function Select(props: {
  ctx: PageContext;
  name: string;
  label: string;
  options: Option[];
  value: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
}) {
  const { ctx, name, hint, error } = props;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label class="field__label" for={name}>
        {props.label}
        {props.required ? null : <span class="field__optional"> {ctx.t('common.optional')}</span>}
      </label>
      {hint ? (
        <p class="field__hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      <ErrorLine ctx={ctx} id={`${name}-error`} error={error} />
      <select
        class="field__input"
        id={name}
        name={name}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value} disabled={o.disabled} lang={o.lang}>
            {labelOf(o)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A fieldset with its legend, hint and error: the frame of radios and checkboxes. */
export function ChoiceGroup(props: {
  ctx: PageContext;
  name: string;
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** Marks the legend "(optional)" when false. Radios are always an answer, so they default to required. */
  required?: boolean;
  children: ComponentChildren;
}) {
  const { ctx, name, hint, error } = props;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby={describedBy(name, hint, error)}>
        <legend class="field__label">
          {props.legend}
          {props.required === false ? <span class="field__optional"> {ctx.t('common.optional')}</span> : null}
        </legend>
        {hint ? (
          <p class="field__hint" id={`${name}-hint`}>
            {hint}
          </p>
        ) : null}
        <ErrorLine ctx={ctx} id={`${name}-error`} error={error} />
        {props.children}
      </fieldset>
    </div>
  );
}

function Choice(props: { type: 'radio' | 'checkbox'; id: string; name: string; option: Option; checked: boolean; invalid: boolean }) {
  const { option: o } = props;
  return (
    <div class="choice">
      <input
        class="choice__input"
        type={props.type}
        id={props.id}
        name={props.name}
        value={o.value}
        checked={props.checked}
        disabled={o.disabled}
        aria-invalid={props.invalid ? 'true' : undefined}
      />
      <label class="choice__label" for={props.id} lang={o.lang}>
        {labelOf(o)}
      </label>
    </div>
  );
}

/** One choice among options. `children` go after the options, inside the fieldset. */
export function Radios(props: {
  ctx: PageContext;
  name: string;
  legend: string;
  options: Option[];
  value: string;
  hint?: string | undefined;
  error?: string | undefined;
  children?: ComponentChildren;
}) {
  return (
    <ChoiceGroup {...props}>
      <div class="choices">
        {props.options.map((o, i) => (
          <Choice type="radio" id={idOf(props.name, i, o)} name={props.name} option={o} checked={o.value === props.value} invalid={!!props.error} />
        ))}
      </div>
      {props.children}
    </ChoiceGroup>
  );
}

/** Several choices among options, posted as repeated values of one name. */
export function Checkboxes(props: {
  ctx: PageContext;
  name: string;
  legend: string;
  options: Option[];
  values: readonly string[];
  hint?: string | undefined;
  error?: string | undefined;
  /** Shown instead of the boxes when there is nothing to choose from. */
  empty: string;
}) {
  return (
    <ChoiceGroup {...props} required={false}>
      {props.options.length === 0 ? (
        <p id={props.name}>{props.empty}</p>
      ) : (
        <div class="choices">
          {props.options.map((o, i) => (
            <Choice type="checkbox" id={idOf(props.name, i, o)} name={props.name} option={o} checked={props.values.includes(o.value)} invalid={!!props.error} />
          ))}
        </div>
      )}
    </ChoiceGroup>
  );
}

/** Independent yes/no boxes: each posts "yes" under its own name when ticked, nothing when not. */
export function YesNoBoxes(props: {
  ctx: PageContext;
  name: string;
  legend: string;
  boxes: Array<{ name: string; label: string; checked: boolean }>;
  hint?: string | undefined;
}) {
  return (
    <ChoiceGroup {...props} required={false}>
      <div class="choices">
        {props.boxes.map((b) => (
          <Choice type="checkbox" id={b.name} name={b.name} option={{ value: 'yes', label: b.label }} checked={b.checked} invalid={false} />
        ))}
      </div>
    </ChoiceGroup>
  );
}
