/** Radio buttons and checkboxes in a fieldset, with hint and error, like the design system's fields. */
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../../web/context.ts';

interface Option {
  value: string;
  label: string;
  /** The option's language, when it differs from the page's (a language's own name). */
  lang?: string;
}

function Group(props: { ctx: PageContext; name: string; legend: string; hint?: string | undefined; error?: string | undefined; children: ComponentChildren }) {
  const described = [props.hint ? `${props.name}-hint` : null, props.error ? `${props.name}-error` : null].filter(Boolean).join(' ');
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby={described || undefined}>
        <legend class="field__label">{props.legend}</legend>
        {props.hint ? (
          <p class="field__hint" id={`${props.name}-hint`}>
            {props.hint}
          </p>
        ) : null}
        {props.error ? (
          <p class="field__error" id={`${props.name}-error`}>
            <span class="visually-hidden">{props.ctx.t('common.errorPrefix')} </span>
            {props.error}
          </p>
        ) : null}
        {props.children}
      </fieldset>
    </div>
  );
}

/** One choice among options. The first option carries the id the error summary links to. */
export function RadioGroup(props: {
  ctx: PageContext;
  name: string;
  legend: string;
  options: Option[];
  value: string;
  hint?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <Group {...props}>
      <div class="choices">
        {props.options.map((o, i) => (
          <div class="choice" key={o.value}>
            <input
              class="choice__input"
              type="radio"
              id={i === 0 ? props.name : `${props.name}-${o.value}`}
              name={props.name}
              value={o.value}
              checked={props.value === o.value}
              aria-invalid={props.error ? 'true' : undefined}
            />
            <label class="choice__label" for={i === 0 ? props.name : `${props.name}-${o.value}`} lang={o.lang}>
              {o.label}
            </label>
          </div>
        ))}
      </div>
    </Group>
  );
}

/** Yes/no checkboxes: each one posts "yes" when ticked and nothing when not. */
export function CheckboxGroup(props: {
  ctx: PageContext;
  name: string;
  legend: string;
  boxes: Array<{ name: string; label: string; checked: boolean }>;
  hint?: string | undefined;
}) {
  return (
    <Group {...props}>
      <div class="choices">
        {props.boxes.map((b) => (
          <div class="choice" key={b.name}>
            <input class="choice__input" type="checkbox" id={b.name} name={b.name} value="yes" checked={b.checked} />
            <label class="choice__label" for={b.name}>
              {b.label}
            </label>
          </div>
        ))}
      </div>
    </Group>
  );
}
