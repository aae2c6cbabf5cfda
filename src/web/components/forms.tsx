/** Form parts: error summary, fields with hint and error, buttons, the CSRF token. */
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../context.ts';

/** A field error as the page shows it: already translated. */
export type FieldErrors = Record<string, string>;

export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: FieldErrors }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-module="error-summary">
      <h2 id="error-summary-title" class="error-summary__title">
        {ctx.t('common.errorSummaryTitle')}
      </h2>
      <ul class="error-summary__list">
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

/** A POST form with its CSRF token; `data-module="submit-once"` stops a double-click sending twice. */
export function PostForm(props: { ctx: PageContext; action: string; children: ComponentChildren; enctype?: string }) {
  return (
    <form method="post" action={props.action} novalidate data-module="submit-once" enctype={props.enctype}>
      <CsrfField ctx={props.ctx} />
      {props.children}
    </form>
  );
}

interface FieldBase {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  required?: boolean;
}

function describedBy(name: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** A field's error message, read first by screen readers as "Error:"; nothing when there is none. */
export function ErrorLine({ ctx, id, error }: { ctx: PageContext; id: string; error?: string | undefined }) {
  if (!error) return null;
  return (
    <p class="field__error" id={id}>
      <span class="visually-hidden">{ctx.t('common.errorPrefix')} </span>
      {error}
    </p>
  );
}

function FieldShell(props: FieldBase & { children: ComponentChildren; ctx: PageContext }) {
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <label class="field__label" for={props.name}>
        {props.label}
        {props.required ? null : <span class="field__optional"> {props.ctx.t('common.optional')}</span>}
      </label>
      {props.hint ? (
        <p class="field__hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <ErrorLine ctx={props.ctx} id={`${props.name}-error`} error={props.error} />
      {props.children}
    </div>
  );
}

export function TextField(
  props: FieldBase & {
    ctx: PageContext;
    value?: string | undefined;
    type?: 'text' | 'email' | 'tel' | 'password' | 'number' | 'date';
    autocomplete?: string;
    maxLength?: number;
    inputMode?: 'numeric' | 'email' | 'tel' | 'text';
  },
) {
  return (
    <FieldShell {...props}>
      <input
        class="field__input"
        id={props.name}
        name={props.name}
        // preact types each input type with its own allowed roles; tsc needs this cast for a union of types.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? 'text') as 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
      />
    </FieldShell>
  );
}

/** A one-time code from an email or an authenticator app: numeric keypad, and the phone may offer the code it received. */
export function CodeField(props: { ctx: PageContext; label: string; hint?: string | undefined; error?: string | undefined; name?: string }) {
  return (
    <TextField
      ctx={props.ctx}
      name={props.name ?? 'code'}
      label={props.label}
      hint={props.hint}
      error={props.error}
      autocomplete="one-time-code"
      inputMode="numeric"
      maxLength={20}
      required
    />
  );
}

export function TextArea(props: FieldBase & { ctx: PageContext; value?: string | undefined; rows?: number; maxLength?: number }) {
  return (
    <FieldShell {...props}>
      <textarea
        class="field__input field__textarea"
        id={props.name}
        name={props.name}
        rows={props.rows ?? 6}
        maxLength={props.maxLength}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
      >
        {props.value ?? ''}
      </textarea>
    </FieldShell>
  );
}

export function Button(props: { children: ComponentChildren; variant?: 'primary' | 'secondary' | 'warning'; name?: string; value?: string }) {
  return (
    <button type="submit" class={`button button--${props.variant ?? 'primary'}`} name={props.name} value={props.value}>
      {props.children}
    </button>
  );
}
