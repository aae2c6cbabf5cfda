/**
 * Validation at the edge for HTML forms. A form is a list of fields with limits; it gives Fastify a
 * body schema (structure: strings only, bounded) and parses a body into clean values or translated
 * errors per field, which the page shows in its error summary and at each field (status 422).
 */
import type { Translate } from './i18n.ts';

export interface FieldSpec {
  /** How the value is checked beyond length. */
  kind: 'text' | 'email' | 'multiline' | 'password' | 'choice';
  required: boolean;
  /** Maximum length in characters, after trimming. */
  max: number;
  min?: number;
  /** Allowed values for kind "choice". */
  choices?: readonly string[];
  /** The i18n key of the field's label, used in error messages. */
  label: string;
}

export type FormValues<F> = { [K in keyof F]: string };
export type ParseResult<F> =
  | { ok: true; values: FormValues<F> }
  | { ok: false; values: FormValues<F>; errors: Record<string, string> };

// Pragmatic email check: one @, a dot in the domain, no spaces; real verification is the email itself.
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;
// Control characters other than tab and newlines never belong in a form field.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Hidden fields every form may carry besides its own. */
const HIDDEN = ['_csrf', '_idem'] as const;

export interface Form<F extends Record<string, FieldSpec>> {
  fields: F;
  /** A Fastify body schema: every field a bounded string, nothing else accepted. */
  bodySchema: Record<string, unknown>;
  parse(body: unknown, t: Translate): ParseResult<F>;
}

export function defineForm<F extends Record<string, FieldSpec>>(fields: F): Form<F> {
  const properties: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    // Structural bound only: generous so the friendly per-field message is what people see.
    properties[name] = { type: 'string', maxLength: spec.max * 4 + 100 };
  }
  for (const name of HIDDEN) properties[name] = { type: 'string', maxLength: 200 };
  const bodySchema = { type: 'object', properties, additionalProperties: false };

  return {
    fields,
    bodySchema,
    parse(body, t) {
      const input = (body ?? {}) as Record<string, unknown>;
      const values = {} as Record<string, string>;
      const errors: Record<string, string> = {};
      for (const [name, spec] of Object.entries(fields)) {
        const raw = typeof input[name] === 'string' ? input[name] : '';
        const value = spec.kind === 'password' ? raw : raw.replace(/\r\n/g, '\n').trim();
        values[name] = value;
        const label = t(spec.label);
        if (value === '') {
          if (spec.required) errors[name] = t('forms.required', { label });
          continue;
        }
        if (CONTROL.test(value) || (spec.kind !== 'multiline' && /\n/.test(value))) {
          errors[name] = t('forms.invalidCharacters', { label });
        } else if ([...value].length > spec.max) {
          errors[name] = t('forms.tooLong', { label, max: spec.max });
        } else if (spec.min !== undefined && [...value].length < spec.min) {
          errors[name] = t('forms.tooShort', { label, min: spec.min });
        } else if (spec.kind === 'email' && !EMAIL.test(value)) {
          errors[name] = t('forms.email', { label });
        } else if (spec.kind === 'choice' && !(spec.choices ?? []).includes(value)) {
          errors[name] = t('forms.choice', { label });
        }
      }
      const typed = values as FormValues<F>;
      return Object.keys(errors).length === 0 ? { ok: true, values: typed } : { ok: false, values: typed, errors };
    },
  };
}
