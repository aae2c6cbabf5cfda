/** What the resident pages of service requests accept in their URLs and bodies (checked at the edge). */
const param = (pattern: string, maxLength: number) => ({ type: 'string', pattern, maxLength }) as const;

const REFERENCE = '^[2-9A-HJ-NP-Za-hj-np-z]{4}-?[2-9A-HJ-NP-Za-hj-np-z]{4}$';

export const codeParams = {
  type: 'object',
  properties: { code: param('^[a-z0-9][a-z0-9-]{1,62}$', 63) },
  required: ['code'],
} as const;

export const referenceParams = {
  type: 'object',
  properties: { reference: param(REFERENCE, 9) },
  required: ['reference'],
} as const;

export const trackParams = {
  type: 'object',
  properties: { reference: param(REFERENCE, 9), token: param('^[A-Za-z0-9_-]{43}$', 43) },
  required: ['reference', 'token'],
} as const;

export const photoParams = {
  type: 'object',
  properties: { id: param('^[0-9a-fA-F-]{36}$', 36) },
  required: ['id'],
} as const;

export const followBody = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 200 }, email: { type: 'string', maxLength: 254 } },
} as const;

export const reopenBody = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 200 }, comment: { type: 'string', maxLength: 8000 } },
} as const;
