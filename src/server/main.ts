import { buildApp, buildServices } from './app.js';
import { systemClock } from './platform/clock.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { createLogger } from './platform/logger.js';

/** Reads config, opens the database, migrates, listens, and shuts down gracefully on SIGTERM. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`EstateDesk cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const database = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onIdleError: (error) =>
      logger.warn({ err: error }, 'PostgreSQL connection lost; the pool will reconnect'),
  });
  const applied = await migrateToLatest(database.db, database.dialect);
  if (applied.length) logger.info({ applied }, 'database migrated');

  const services = buildServices(database, config, systemClock);
  const admin = await services.auth.ensureAdmin(config.adminPassword);
  if (admin.created && admin.password) {
    // printed once, never stored in clear: the admin must change it at first login
    console.log(
      `\n  首次启动：已创建管理员账号 admin，初始密码 ${admin.password}\n  First start: created user "admin" with password ${admin.password} (you must change it at first login)\n`,
    );
  }

  const app = await buildApp({ config, database, logger });
  const housekeeping = setInterval(() => {
    services.sessions
      .prune()
      .catch((error: unknown) => logger.warn({ err: error }, 'session pruning failed'));
  }, 60 * 60_000);
  housekeeping.unref();
  const checkpoint =
    database.sqlite &&
    setInterval(() => {
      // keep the WAL file from growing without bound under steady writes
      try {
        database.sqlite?.pragma('wal_checkpoint(PASSIVE)');
      } catch (error) {
        // a full or read-only disk: the WAL keeps the data, the next pass tries again; never crash on it
        logger.warn({ err: error }, 'SQLite checkpoint failed; will try again');
      }
    }, config.sqliteCheckpointSeconds * 1000);
  checkpoint?.unref();

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    if (checkpoint) clearInterval(checkpoint);
    clearInterval(housekeeping);
    try {
      await app.close(); // stops accepting, lets requests in flight finish
      await database.close();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host });
  const where = database.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL';
  logger.info({ address }, `EstateDesk listening on ${address} (${where})`);
}

main().catch((error) => {
  // a setting found wrong after loading (e.g. a read-only DATA_DIR): the same one line and exit code 2
  if (error instanceof ConfigError) {
    console.error(`EstateDesk cannot start: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
