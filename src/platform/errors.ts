/**
 * The typed error catalogue. A use case throws an AppError with a code; the one error handler turns
 * it into a localized page (errors.<code>.title / .body) or a JSON problem. Never a stack or SQL.
 */
export const ERRORS = {
  notFound: 404,
  unknownTenant: 404,
  forbidden: 403,
  csrf: 403,
  unauthorized: 401,
  conflict: 409,
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  badRequest: 400,
  tooManyRequests: 429,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  constructor(readonly code: ErrorCode, message?: string) {
    super(message ?? code);
    this.name = 'AppError';
    this.status = ERRORS[code];
  }
}

export const notFound = (what?: string) => new AppError('notFound', what);
export const forbidden = (why?: string) => new AppError('forbidden', why);
