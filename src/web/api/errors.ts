/**
 * The console's single error contract. The server answers every failure with
 * `{ code, message, details: [{ field, message }] | null, requestId }`, `message` already in the
 * caller's language. `reportError` is the one place that shows it: a toast with the message, and
 * the `details` put on the form fields when a form is given.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] | null,
    readonly requestId: string | null,
    /** False when the message is ours (network failure, unreadable body), not the server's. */
    readonly fromServer: boolean,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(0, 'NETWORK', '', null, null, false);
    error.cause = cause;
    return error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function readDetails(value: unknown): FieldProblem[] | null {
  if (!Array.isArray(value)) return null;
  const details: FieldProblem[] = [];
  for (const item of value) {
    if (isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string') {
      details.push({ field: item.field, message: item.message });
    }
  }
  return details.length > 0 ? details : null;
}

export function toApiError(response: Response, body: unknown): ApiError {
  const requestId = response.headers.get('x-request-id');
  if (isRecord(body) && typeof body.code === 'string' && typeof body.message === 'string') {
    return new ApiError(
      response.status,
      body.code,
      body.message,
      readDetails(body.details),
      typeof body.requestId === 'string' ? body.requestId : requestId,
      true,
    );
  }
  return new ApiError(response.status, `HTTP_${response.status}`, '', null, requestId, false);
}

/** What a form must offer to receive field errors (antd's FormInstance has it). */
export interface FieldErrorTarget {
  setFields(fields: { name: (string | number)[]; errors: string[] }[]): void;
}

/** `body.phone`, `/phone`, `details.0.name` → ['phone'], ['phone'], ['details', 0, 'name'] */
export function fieldPath(field: string): (string | number)[] {
  return field
    .replace(/^\/?body[./]/, '')
    .replace(/^\//, '')
    .split(/[./]/)
    .filter((part) => part.length > 0)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export interface ErrorPresenter {
  /** Shows a message to the user (toast); the error gives the request id for support. */
  show(text: string, error: ApiError | null): void;
  /** Message for failures without a server message. */
  fallback(error: ApiError | null): string;
  /** The session is gone: forget the user; the router then shows the login page. */
  unauthorized(): void;
}

let presenter: ErrorPresenter | null = null;

export function setErrorPresenter(next: ErrorPresenter | null): void {
  presenter = next;
}

/** Login answers 401 for a wrong password: that is a message, not an expired session. */
const NOT_A_SESSION_PROBLEM = new Set(['INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'RATE_LIMITED']);

export function reportError(error: unknown, form?: FieldErrorTarget): void {
  const apiError = error instanceof ApiError ? error : null;
  if (!apiError) console.error(error);
  if (apiError?.status === 401 && !NOT_A_SESSION_PROBLEM.has(apiError.code)) {
    presenter?.unauthorized();
  }
  if (form && apiError?.details) {
    const fields = apiError.details
      .map((detail) => ({ name: fieldPath(detail.field), errors: [detail.message] }))
      .filter((field) => field.name.length > 0);
    if (fields.length > 0) form.setFields(fields);
  }
  const text = apiError?.fromServer ? apiError.message : (presenter?.fallback(apiError) ?? String(error));
  presenter?.show(text, apiError);
}
