/**
 * Form parts the administration pages need besides the design system's text fields: a select, a
 * group of radio buttons and a group of checkboxes, each with a legend or label, a hint and an
 * error that the error summary links to (the first control carries the field's name as its id).
 */
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../web/context.ts';

export interface Option {
  value: string;
  label: string;
  /** Shown after the label, e.g. "(inactive)". */
  note?: string;
}

function ErrorLine({ ctx, id, error }: { ctx: PageContext; id: string; error?: string | undefined }) {
  if (!error) return null;
  return (
    <p class="field__error" id={id}>
      <span class="visually-hidden">{ctx.t('common.errorPrefix')} </span>
      {error}
    </p>
  );
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

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
          <option value={o.value} selected={o.value === props.value}>
            {o.note ? `${o.label} ${o.note}` : o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Group(props: {
  ctx: PageContext;
  name: string;
  legend: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
  children: ComponentChildren;
}) {
  const { ctx, name, hint, error } = props;
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby={describedBy(name, hint, error)}>
        <legend class="field__label">
          {props.legend}
          {props.required ? null : <span class="field__optional"> {ctx.t('common.optional')}</span>}
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

export function Radios(props: {
  ctx: PageContext;
  name: string;
  legend: string;
  options: Option[];
  value: string;
  hint?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <Group {...props} required>
      <div class="choices">
        {props.options.map((o, i) => {
          const id = i === 0 ? props.name : `${props.name}-${o.value}`;
          return (
            <div class="choice">
              <input class="choice__input" type="radio" id={id} name={props.name} value={o.value} checked={o.value === props.value} />
              <label class="choice__label" for={id}>
                {o.note ? `${o.label} ${o.note}` : o.label}
              </label>
            </div>
          );
        })}
      </div>
    </Group>
  );
}

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
    <Group {...props}>
      {props.options.length === 0 ? (
        <p id={props.name}>{props.empty}</p>
      ) : (
        <div class="choices">
          {props.options.map((o, i) => {
            const id = i === 0 ? props.name : `${props.name}-${o.value}`;
            return (
              <div class="choice">
                <input class="choice__input" type="checkbox" id={id} name={props.name} value={o.value} checked={props.values.includes(o.value)} />
                <label class="choice__label" for={id}>
                  {o.note ? `${o.label} ${o.note}` : o.label}
                </label>
              </div>
            );
          })}
        </div>
      )}
    </Group>
  );
}
