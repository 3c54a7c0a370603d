import { closeSync, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.js';

/** Errors that mean "this folder cannot be written", whoever we are (root ignores chmod, not EROFS). */
const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * Start-up check of DATA_DIR: it must exist (it is created if missing) and take writes, since the
 * SQLite database, its WAL and the attachments live there. A read-only folder stops the process
 * with a ConfigError (exit code 2) rather than letting it serve: a service desk that can show
 * requests but not take them would have agents promise callers what is never recorded.
 *
 * A full disk does not stop the start: reads still work, and every write that fails says so
 * (507 STORAGE_FULL).
 */
export function assertDataDirWritable(dir: string): void {
  const probe = join(dir, `.write-check-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(probe, 'w', 0o600);
    try {
      writeSync(fd, 'ok');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (NOT_WRITABLE.has(code)) {
      throw new ConfigError(
        `DATA_DIR ${dir} is not writable (${code}); the database and attachments are written there. ` +
          'Remount it read-write, fix its permissions, or set DATA_DIR to a writable folder',
      );
    }
    try {
      unlinkSync(probe);
    } catch {
      // nothing was created
    }
  }
}
