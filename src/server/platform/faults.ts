import type { MessageKey } from './i18n/messages.js';

/**
 * Failures of the machinery under the app rather than of the request: the database cannot be
 * reached, the disk is full, the data directory is read-only. The error handler answers them with
 * a translated 503 or 507 and a `Retry-After` hint instead of a bare 500, because the caller can do
 * something about them: wait and send the same request again.
 */
export type Fault =
  /** PostgreSQL does not answer (connection refused, reset, timed out, shutting down); SQLite cannot read its file. */
  | 'database_unavailable'
  /** SQLite's file is locked by another program for longer than the busy timeout. */
  | 'database_busy'
  /** No space left on the device (SQLITE_FULL, ENOSPC, PostgreSQL 53100). */
  | 'storage_full'
  /** The data directory or the database is read-only (EROFS, SQLITE_READONLY, PostgreSQL 25006). */
  | 'storage_read_only';

/** Node's socket errors when the other end is gone or never answered. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What node-postgres says, without a code, when its connection dies or cannot be made. */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

function classifyOne(error: { code?: unknown; message?: unknown }): Fault | null {
  const code = typeof error.code === 'string' ? error.code : '';
  const message = typeof error.message === 'string' ? error.message : '';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === '53100') {
    return 'storage_full';
  }
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY') || code === '25006') {
    return 'storage_read_only';
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return 'database_busy';
  }
  if (
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'EIO' ||
    NETWORK_CODES.has(code) ||
    // SQLSTATE class 08 (connection exception); 57P01-03 (admin or crash shutdown, starting up);
    // 53300 (too many connections)
    /^08[0-9A-Z]{3}$/.test(code) ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '53300' ||
    // a database closed to new connections for maintenance (ALTER DATABASE … ALLOW_CONNECTIONS false)
    (code === '55000' &&
      typeof error.message === 'string' &&
      error.message.includes('not currently accepting connections'))
  ) {
    return 'database_unavailable';
  }
  if (!code && PG_CONNECTION_MESSAGES.some((text) => message.includes(text))) return 'database_unavailable';
  return null;
}

/** The fault behind an error (looking through `cause` and AggregateError), or null for any other error. */
export function classifyFault(error: unknown, depth = 0): Fault | null {
  if (!error || typeof error !== 'object' || depth > 5) return null;
  const own = classifyOne(error as { code?: unknown; message?: unknown });
  if (own) return own;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = classifyFault(inner, depth + 1);
      if (found) return found;
    }
  }
  return classifyFault((error as { cause?: unknown }).cause, depth + 1);
}

/** How each fault is answered: status, stable code, message, and how long to wait before trying again. */
export const FAULT_ANSWERS = {
  database_unavailable: {
    status: 503,
    code: 'DATABASE_UNAVAILABLE',
    key: 'error.DATABASE_UNAVAILABLE',
    retryAfterSeconds: 5,
  },
  database_busy: { status: 503, code: 'DATABASE_BUSY', key: 'error.DATABASE_BUSY', retryAfterSeconds: 2 },
  storage_full: { status: 507, code: 'STORAGE_FULL', key: 'error.STORAGE_FULL', retryAfterSeconds: 60 },
  storage_read_only: {
    status: 503,
    code: 'STORAGE_READ_ONLY',
    key: 'error.STORAGE_READ_ONLY',
    retryAfterSeconds: 60,
  },
} as const satisfies Record<
  Fault,
  { status: number; code: string; key: MessageKey; retryAfterSeconds: number }
>;
