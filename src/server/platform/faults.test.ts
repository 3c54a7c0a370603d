import { describe, expect, it } from 'vitest';
import { classifyFault } from './faults.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyFault: what the error handler answers with 503 / 507 instead of 500', () => {
  it.each([
    // node-postgres and the network under it
    [coded('ECONNREFUSED'), 'database_unavailable'],
    [coded('ECONNRESET'), 'database_unavailable'],
    [new Error('Connection terminated unexpectedly'), 'database_unavailable'],
    [new Error('timeout exceeded when trying to connect'), 'database_unavailable'],
    [coded('57P01', 'terminating connection due to administrator command'), 'database_unavailable'],
    [coded('55000', 'database "x" is not currently accepting connections'), 'database_unavailable'],
    [coded('08006', 'connection failure'), 'database_unavailable'],
    [new AggregateError([coded('ECONNREFUSED')], 'connect failed'), 'database_unavailable'],
    // better-sqlite3
    [coded('SQLITE_FULL', 'database or disk is full'), 'storage_full'],
    [coded('SQLITE_READONLY', 'attempt to write a readonly database'), 'storage_read_only'],
    [coded('SQLITE_BUSY', 'database is locked'), 'database_busy'],
    [coded('SQLITE_IOERR_WRITE', 'disk I/O error'), 'database_unavailable'],
    // the attachments on disk
    [coded('ENOSPC', 'no space left on device'), 'storage_full'],
    [coded('EROFS', 'read-only file system'), 'storage_read_only'],
    // PostgreSQL's own disk full, and a cause chain
    [coded('53100', 'could not extend file'), 'storage_full'],
    [new Error('migration failed', { cause: coded('SQLITE_FULL') }), 'storage_full'],
  ])('%s → %s', (error, fault) => {
    expect(classifyFault(error)).toBe(fault);
  });

  it('leaves every other error alone (a 500 stays a 500)', () => {
    expect(classifyFault(new Error('Cannot read properties of undefined'))).toBeNull();
    expect(classifyFault(coded('23505', 'duplicate key value violates unique constraint'))).toBeNull();
    expect(classifyFault(coded('SQLITE_CONSTRAINT_UNIQUE'))).toBeNull();
    expect(classifyFault(coded('ENOENT'))).toBeNull();
    expect(classifyFault('a string')).toBeNull();
    expect(classifyFault(null)).toBeNull();
  });
});
