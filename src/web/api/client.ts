import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, toApiError } from './errors';
import type { paths } from './schema';

/**
 * The one HTTP client of the console. Every call goes through here:
 * - cookies are sent (the session is an HttpOnly cookie),
 * - `Accept-Language` follows the console language, so server messages arrive translated,
 * - state-changing calls carry the CSRF token from the login response or GET /me,
 * - failures become an `ApiError` (see errors.ts), reported in one place.
 */
let csrfToken: string | null = null;
let requestLocale = 'zh-CN';

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setRequestLocale(locale: string): void {
  requestLocale = locale;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', requestLocale);
    if (UNSAFE_METHODS.has(request.method.toUpperCase()) && csrfToken) {
      request.headers.set('x-csrf-token', csrfToken);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'include' });
api.use(headers);

interface FetchResult<D, E> {
  data?: D;
  error?: E;
  response: Response;
}

/** Resolves to the response body of a successful call, or throws an ApiError. */
export async function unwrap<D, E>(call: Promise<FetchResult<D, E>>): Promise<D> {
  let result: FetchResult<D, E>;
  try {
    result = await call;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!result.response.ok) throw toApiError(result.response, result.error);
  // 204 responses have no body: their success type is empty, so `data` is undefined there.
  return result.data as D;
}

/** A file answered by the API (an .xlsx), with the name the server gave it. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** The UTF-8 name from `filename*=UTF-8''…`, else the plain `filename="…"`. */
function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const encoded = header.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // a malformed name: keep looking
    }
  }
  return header.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

/** Like `unwrap`, for calls made with `parseAs: 'blob'`: the file and its name, or an ApiError. */
export async function unwrapFile<E>(
  call: Promise<FetchResult<Blob, E>>,
  fallbackName: string,
): Promise<DownloadedFile> {
  let result: FetchResult<Blob, E>;
  try {
    result = await call;
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!result.response.ok || !result.data) throw toApiError(result.response, result.error);
  return { blob: result.data, fileName: fileNameOf(result.response, fallbackName) };
}
