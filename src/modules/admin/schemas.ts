/** What the administration forms accept: limits and messages at the edge. */
import { defineForm, type Form, type FieldSpec } from '../../platform/forms.ts';
import type { Translate } from '../../platform/i18n.ts';
import { AUDIT_ACTIONS } from '../../platform/audit.ts';
import { DEPARTMENT_NAME_MAX } from '../departments/service.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '../staff/service.ts';
import { ACTOR_KINDS, type AuditFilters } from './audit.ts';
import { ROLES } from './service.ts';

const role = { kind: 'choice', required: true, max: 20, choices: ROLES, label: 'admin.staff.role' } as const;

export const inviteForm = defineForm({
  name: { kind: 'text', required: true, max: 200, label: 'admin.invite.name' },
  email: { kind: 'email', required: true, max: 254, label: 'admin.invite.email' },
  locale: { kind: 'choice', required: true, max: 2, choices: ['fr', 'en'], label: 'admin.invite.locale' },
  role,
});

export const accessForm = defineForm({ role });

export const departmentForm = defineForm({
  nameFr: { kind: 'text', required: true, max: DEPARTMENT_NAME_MAX, label: 'admin.departments.nameFr' },
  nameEn: { kind: 'text', required: true, max: DEPARTMENT_NAME_MAX, label: 'admin.departments.nameEn' },
});

export const acceptForm = defineForm({
  password: { kind: 'password', required: true, min: PASSWORD_MIN, max: PASSWORD_MAX, label: 'admin.accept.password' },
  confirm: { kind: 'password', required: true, max: PASSWORD_MAX, label: 'admin.accept.confirm' },
});

/** A form's body schema plus extra properties (hidden fields, repeated checkboxes). */
function withProperties<F extends Record<string, FieldSpec>>(form: Form<F>, extra: Record<string, unknown>) {
  return {
    ...form.bodySchema,
    properties: { ...(form.bodySchema.properties as Record<string, unknown>), ...extra },
  };
}

/** Checked boxes arrive as one value or several: Fastify turns one into a list of one. */
const departmentsProperty = { departments: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 500 } };

export const inviteBody = withProperties(inviteForm, departmentsProperty);
export const accessBody = withProperties(accessForm, departmentsProperty);
export const acceptBody = withProperties(acceptForm, { token: { type: 'string', maxLength: 100 } });
export const departmentBody = departmentForm.bodySchema;
/** Buttons that only say which way to go (disable or enable, deactivate or activate). */
export const toggleBody = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 200 }, to: { type: 'string', enum: ['on', 'off'] } },
  required: ['to'],
  additionalProperties: false,
} as const;
export const csrfOnlyBody = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 200 } }, additionalProperties: false } as const;

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: UUID_PATTERN } },
  required: ['id'],
  additionalProperties: false,
} as const;

export const pageQuery = {
  type: 'object',
  properties: { page: { type: 'integer', minimum: 1, maximum: 100000 }, done: { type: 'string', maxLength: 40 } },
} as const;

export const invitationQuery = { type: 'object', properties: { token: { type: 'string', maxLength: 100 } } } as const;

/** The audit search: structure only; the values are checked by parseAuditFilters for friendly messages. */
export const auditQuery = {
  type: 'object',
  properties: {
    from: { type: 'string', maxLength: 40 },
    to: { type: 'string', maxLength: 40 },
    actor: { type: 'string', maxLength: 60 },
    action: { type: 'string', maxLength: 120 },
    subject: { type: 'string', maxLength: 400 },
    page: { type: 'integer', minimum: 1, maximum: 100000 },
  },
} as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 2000 && y <= 9999 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const UUID = new RegExp(UUID_PATTERN);
// eslint-disable-next-line no-control-regex -- control characters never belong in a filter
const CONTROL = /[\u0000-\u001F\u007F]/;

/** Checks the audit filters; the actor must be one of the kinds or a staff id offered in the form. */
export function parseAuditFilters(
  query: Record<string, unknown>,
  t: Translate,
): { values: AuditFilters; errors: Record<string, string> } {
  const str = (k: string) => (typeof query[k] === 'string' ? query[k].trim() : '');
  const values: AuditFilters = { from: str('from'), to: str('to'), actor: str('actor'), action: str('action'), subject: str('subject') };
  const errors: Record<string, string> = {};
  for (const field of ['from', 'to'] as const) {
    if (values[field] && !validDate(values[field])) errors[field] = t('admin.audit.errors.date', { label: t(`admin.audit.${field}`) });
  }
  if (!errors.from && !errors.to && values.from && values.to && values.from > values.to) errors.to = t('admin.audit.errors.range');
  const actorOk =
    values.actor === '' ||
    (values.actor.startsWith('kind:') && (ACTOR_KINDS as readonly string[]).includes(values.actor.slice(5))) ||
    (values.actor.startsWith('staff:') && UUID.test(values.actor.slice(6)));
  if (!actorOk) errors.actor = t('forms.choice', { label: t('admin.audit.actor') });
  else if (values.actor.startsWith('staff:')) values.actor = values.actor.toLowerCase();
  if (values.action && !(AUDIT_ACTIONS as readonly string[]).includes(values.action)) {
    errors.action = t('forms.choice', { label: t('admin.audit.action') });
  }
  if ([...values.subject].length > 254) errors.subject = t('forms.tooLong', { label: t('admin.audit.subject'), max: 254 });
  else if (CONTROL.test(values.subject)) errors.subject = t('forms.invalidCharacters', { label: t('admin.audit.subject') });
  return { values, errors };
}
