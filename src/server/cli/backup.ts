import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../platform/config.js';
import { openSqlite } from '../platform/db/database.js';

/**
 * `npm run backup [-- --out <file>]`: a consistent copy of the live SQLite database through
 * SQLite's online backup API, safe while the server is running and writing.
 * On PostgreSQL use pg_dump (docs/operations.md).
 */
async function run() {
  const config = loadConfig();
  if (config.databaseUrl) {
    console.error('DATABASE_URL points at PostgreSQL: back it up with pg_dump -Fc (see docs/operations.md).');
    process.exit(2);
  }
  const outIndex = process.argv.indexOf('--out');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target =
    outIndex > 0 && process.argv[outIndex + 1]
      ? resolve(process.argv[outIndex + 1]!)
      : join(config.dataDir, 'backups', `estatedesk-${stamp}.sqlite`);
  const file = join(config.dataDir, 'estatedesk.sqlite');
  if (!existsSync(file)) {
    console.error(`No database at ${file}: nothing to back up (check DATA_DIR).`);
    process.exit(2);
  }
  mkdirSync(dirname(target), { recursive: true });
  const source = openSqlite(file);
  try {
    const started = Date.now();
    await source.backup(target);
    console.log(`backup written: ${target} (${Date.now() - started} ms)`);
  } finally {
    source.close();
  }
}

run().catch((error) => {
  console.error(error instanceof ConfigError ? `EstateDesk cannot start: ${error.message}` : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
