/** What the bookings pages accept: forms, query strings and path parameters, bounded at the edge. */
import { defineForm } from '../../platform/forms.ts';

export const BOOK_ACTIONS = ['hold', 'waitlist', 'lottery'] as const;
export type BookAction = (typeof BOOK_ACTIONS)[number];

/** The activity page's form: which session, for whom, and what to do (hold, waitlist, lottery). */
export const bookForm = defineForm({
  session: { kind: 'text', required: true, max: 36, label: 'bookings.activity.session' },
  participant: { kind: 'text', required: true, max: 36, label: 'bookings.activity.participant' },
  action: { kind: 'choice', required: false, max: 10, choices: BOOK_ACTIONS, label: 'bookings.activity.book' },
});

/** The confirmation: the payment method, for a paid booking. */
export const confirmForm = defineForm({
  payment: { kind: 'choice', required: false, max: 20, choices: ['counter'], label: 'bookings.booking.paymentMethod' },
});

/** Buttons that only carry the CSRF token (cancel, leave a waitlist). */
export const buttonForm = defineForm({});

export const filterQuery = {
  type: 'object',
  properties: { date: { type: 'string', maxLength: 40 }, age: { type: 'string', maxLength: 40 } },
  additionalProperties: false,
} as const;

export const noticeQuery = {
  type: 'object',
  properties: { done: { type: 'string', maxLength: 20 } },
  additionalProperties: false,
} as const;

export const slugParams = {
  type: 'object',
  properties: { slug: { type: 'string', maxLength: 64 } },
  required: ['slug'],
} as const;

export const drawParams = {
  type: 'object',
  properties: { slug: { type: 'string', maxLength: 64 }, session: { type: 'string', maxLength: 64 } },
  required: ['slug', 'session'],
} as const;

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;

/** A calendar date as typed in the filter: YYYY-MM-DD, a real day. */
export function validDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000 && y <= 2200;
}

/** An age in whole years, 0 to 120, as typed; null when it is not one. */
export function parseAge(value: string): number | null {
  if (!/^\d{1,3}$/.test(value)) return null;
  const age = Number(value);
  return age <= 120 ? age : null;
}
