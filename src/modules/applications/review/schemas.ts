/** The reviewer's forms: every field bounded, required where the action needs it. */
import { defineForm } from '../../../platform/forms.ts';

export const ACTION_FORMS = {
  assign: defineForm({ assignee: { kind: 'text', required: false, max: 40, label: 'review.actions.assignee' } }),
  'request-info': defineForm({ request: { kind: 'multiline', required: true, max: 4000, label: 'review.actions.request' } }),
  approve: defineForm({ conditions: { kind: 'multiline', required: false, max: 4000, label: 'review.actions.conditions' } }),
  refuse: defineForm({ reasons: { kind: 'multiline', required: true, min: 10, max: 4000, label: 'review.actions.reasons' } }),
  issue: defineForm({
    validFrom: { kind: 'text', required: true, max: 10, label: 'review.actions.validFrom' },
    validUntil: { kind: 'text', required: false, max: 10, label: 'review.actions.validUntil' },
  }),
  revoke: defineForm({ revokeReason: { kind: 'multiline', required: true, min: 10, max: 1000, label: 'review.actions.revokeReason' } }),
  note: defineForm({ note: { kind: 'multiline', required: true, max: 4000, label: 'review.notes.note' } }),
  message: defineForm({ message: { kind: 'multiline', required: true, max: 4000, label: 'review.thread.message' } }),
  interview: defineForm({
    interviewDate: { kind: 'text', required: true, max: 10, label: 'review.actions.interviewDate' },
    interviewTime: { kind: 'text', required: true, max: 5, label: 'review.actions.interviewTime' },
    place: { kind: 'text', required: true, max: 300, label: 'review.actions.place' },
  }),
};

export type ActionName = keyof typeof ACTION_FORMS;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date typed as YYYY-MM-DD that exists. */
export function isDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
