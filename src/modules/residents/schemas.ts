/** What the residents' forms accept: limits, formats and messages at the edge. */
import { defineForm } from '../../platform/forms.ts';
import type { Translate } from '../../platform/i18n.ts';

export const signInForm = defineForm({
  email: { kind: 'email', required: true, max: 254, label: 'residents.signIn.email' },
});

export const codeForm = defineForm({
  code: { kind: 'text', required: true, max: 20, label: 'residents.code.label' },
});

const YES = ['yes'] as const;

export const profileForm = defineForm({
  name: { kind: 'text', required: true, max: 200, label: 'residents.profile.name' },
  email: { kind: 'email', required: true, max: 254, label: 'residents.profile.email' },
  phone: { kind: 'text', required: false, max: 30, label: 'residents.profile.phone' },
  locale: { kind: 'choice', required: true, max: 2, choices: ['fr', 'en'], label: 'residents.profile.locale' },
  address: { kind: 'multiline', required: false, max: 300, label: 'residents.profile.address' },
  birthDate: { kind: 'text', required: false, max: 10, label: 'residents.profile.birthDate' },
  notifyUpdates: { kind: 'choice', required: false, max: 3, choices: YES, label: 'residents.profile.notifyUpdates' },
  notifyReminders: { kind: 'choice', required: false, max: 3, choices: YES, label: 'residents.profile.notifyReminders' },
  notifyNews: { kind: 'choice', required: false, max: 3, choices: YES, label: 'residents.profile.notifyNews' },
});

export const RELATIONSHIPS = ['child', 'spouse', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const memberForm = defineForm({
  name: { kind: 'text', required: true, max: 200, label: 'residents.household.form.name' },
  birthDate: { kind: 'text', required: true, max: 10, label: 'residents.household.form.birthDate' },
  relationship: { kind: 'choice', required: true, max: 10, choices: RELATIONSHIPS, label: 'residents.household.form.relationship' },
});

/** At most this many people in one household besides the resident. */
export const HOUSEHOLD_MAX = 12;

/** A phone number as people write it: digits with spaces, dashes, dots, brackets, a leading +. */
export function phoneError(value: string, t: Translate, label: string): string | undefined {
  if (value === '') return undefined;
  const digits = value.replace(/\D/g, '');
  if (!/^\+?[\d\s().-]+$/.test(value) || digits.length < 10 || digits.length > 15) {
    return t('residents.errors.phone', { label: t(label) });
  }
  return undefined;
}

/** Today's date (YYYY-MM-DD) in the town's time zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A date as people type it, year first ("2015-04-23", "2015/4/23", "2015 04 23"), as YYYY-MM-DD; else null. */
export function normalizeDate(value: string): string | null {
  const m = /^(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})$/.exec(value.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : null;
}

/**
 * Checks a typed birth date in place: normalized to YYYY-MM-DD in `values`, or an error in `errors`
 * (nothing when empty; whether it is required is the form's rule).
 */
export function checkBirthDate(values: { birthDate: string }, errors: Record<string, string>, today: string, t: Translate, label: string): void {
  if (errors.birthDate || values.birthDate === '') return;
  const date = normalizeDate(values.birthDate);
  const problem = birthDateError(date ?? values.birthDate, today, t, label);
  if (problem) errors.birthDate = problem;
  else if (date) values.birthDate = date;
}

/** A real calendar date, YYYY-MM-DD, between 1900-01-01 and today. */
export function birthDateError(value: string, today: string, t: Translate, label: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const l = t(label);
  if (!match) return t('residents.errors.date', { label: l });
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return t('residents.errors.date', { label: l });
  }
  if (value > today) return t('residents.errors.dateFuture', { label: l });
  if (value < '1900-01-01') return t('residents.errors.dateTooOld', { label: l });
  return undefined;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
