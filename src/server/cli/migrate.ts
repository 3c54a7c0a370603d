import { ConfigError, loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/database.js';
import { migrateDown, migrateToLatest } from '../platform/db/migrate.js';

/** `npm run migrate` (up to latest) or `npm run migrate -- down` (one step back). */
async function run() {
  const config = loadConfig();
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const names =
      process.argv[2] === 'down'
        ? await migrateDown(database.db, database.dialect)
        : await migrateToLatest(database.db, database.dialect);
    console.log(names.length ? `migrations applied: ${names.join(', ')}` : 'database is up to date');
  } finally {
    await database.close();
  }
}

run().catch((error) => {
  console.error(error instanceof ConfigError ? `EstateDesk cannot start: ${error.message}` : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
