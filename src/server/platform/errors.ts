import type { MessageKey } from './i18n/messages.js';

export interface FieldError {
  field: string;
  /** Message key and its parameters; translated by the error handler. */
  key: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * A failure the caller can act on. Services throw these; one error handler turns them into
 * `{ code, message, details, requestId }` in the caller's language.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
    readonly fields: FieldError[] = [],
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const errors = {
  validation: (fields: FieldError[]) =>
    new AppError(400, 'VALIDATION_FAILED', 'error.VALIDATION_FAILED', {}, fields),
  field: (field: string, key: MessageKey, params?: Record<string, string | number>) =>
    new AppError(400, 'VALIDATION_FAILED', 'error.VALIDATION_FAILED', {}, [
      { field, key, ...(params ? { params } : {}) },
    ]),
  unauthenticated: () => new AppError(401, 'UNAUTHENTICATED', 'error.UNAUTHENTICATED'),
  invalidCredentials: () => new AppError(401, 'INVALID_CREDENTIALS', 'error.INVALID_CREDENTIALS'),
  forbidden: () => new AppError(403, 'FORBIDDEN', 'error.FORBIDDEN'),
  csrf: () => new AppError(403, 'CSRF_FAILED', 'error.CSRF_FAILED'),
  passwordChangeRequired: () =>
    new AppError(403, 'PASSWORD_CHANGE_REQUIRED', 'error.PASSWORD_CHANGE_REQUIRED'),
  /** Also the answer for records outside the caller's communities: their existence is not revealed. */
  notFound: () => new AppError(404, 'NOT_FOUND', 'error.NOT_FOUND'),
  conflict: (key: MessageKey = 'error.CONFLICT', params?: Record<string, string | number>) =>
    new AppError(409, 'CONFLICT', key, params),
  locked: (minutes: number) => new AppError(423, 'ACCOUNT_LOCKED', 'error.ACCOUNT_LOCKED', { minutes }),
  disabled: () => new AppError(403, 'ACCOUNT_DISABLED', 'error.ACCOUNT_DISABLED'),
  rateLimited: () => new AppError(429, 'RATE_LIMITED', 'error.RATE_LIMITED'),
};
