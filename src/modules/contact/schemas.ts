/** What the contact form accepts: limits and messages at the edge. */
import { defineForm } from '../../platform/forms.ts';

export const MESSAGE_MAX = 4000;

export const contactForm = defineForm({
  name: { kind: 'text', required: true, max: 200, label: 'contact.form.name' },
  email: { kind: 'email', required: true, max: 254, label: 'contact.form.email' },
  message: { kind: 'multiline', required: true, max: MESSAGE_MAX, label: 'contact.form.message' },
});

/** The hidden `_idem` field: a random key made when the form is shown (base64url, 128 bits or more). */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{22,64}$/;


export const sentParamsSchema = {
  type: 'object',
  properties: { reference: { type: 'string', maxLength: 20 } },
  required: ['reference'],
  additionalProperties: false,
} as const;
