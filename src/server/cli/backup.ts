import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { systemClock } from '../platform/clock.js';
import { type Config, ConfigError, loadConfig } from '../platform/config.js';
import { openSqlite } from '../platform/db/database.js';
import {
  ATTACHMENTS,
  COUNTED_TABLES,
  copyAttachmentKeys,
  fsyncPath,
  MANIFEST,
  type Manifest,
  PG_DUMP_FILE,
  pgTarget,
  publish,
  runPgTool,
  SQLITE_FILE,
  stamp,
  userPath,
  writeDurable,
} from './backup-archive.js';

/**
 * `npm run backup [-- --out <folder>]`: a consistent copy of the database and of the attachment
 * files its rows name, taken while the server runs and writes (no downtime).
 *
 * SQLite: `VACUUM INTO` copies one read transaction's snapshot (WAL readers never block the
 * writer, and unlike the page-by-page backup API it never restarts when the server writes).
 * PostgreSQL: `pg_dump -Fc` runs on a snapshot exported from a repeatable-read transaction, and the
 * attachment keys are read in that same transaction.
 *
 * The database is copied first and the files after it: a file is written before its row commits
 * and never changes afterwards, so every row in the snapshot has its file on disk.
 */

/** A refusal the user can fix (wrong folder, nothing to back up): exit code 2. */
class Refusal extends Error {}

interface Snapshot {
  migrations: string[];
  counts: Record<string, number>;
  keys: string[];
}

function keysOf(rows: { storage_key: string; thumbnail_key: string | null }[]): string[] {
  return rows.flatMap((row) =>
    row.thumbnail_key ? [row.storage_key, row.thumbnail_key] : [row.storage_key],
  );
}

async function backupSqlite(config: Config, partial: string): Promise<Snapshot> {
  const file = join(config.dataDir, SQLITE_FILE);
  const target = join(partial, SQLITE_FILE);
  const source = openSqlite(file);
  try {
    source.prepare('vacuum into ?').run(target);
  } finally {
    source.close();
  }
  // VACUUM INTO writes without syncing: make the copy durable before calling it a backup
  await fsyncPath(target);
  const copy = new SQLite(target, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
    const has = (table: string) =>
      copy.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table) !== undefined;
    const migrations = has('kysely_migration')
      ? (copy.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
          (r) => r.name,
        )
      : [];
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      if (has(table))
        counts[table] = (copy.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    }
    const keys = has('ticket_attachments')
      ? keysOf(
          copy.prepare('select storage_key, thumbnail_key from ticket_attachments order by id').all() as {
            storage_key: string;
            thumbnail_key: string | null;
          }[],
        )
      : [];
    return { migrations, counts, keys };
  } finally {
    copy.close();
  }
}

async function backupPostgres(databaseUrl: string, partial: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read, read only');
    const { rows } = await client.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot');
    const target = pgTarget(databaseUrl);
    // pg_dump reads the snapshot this transaction holds open: exactly what the queries below see
    await runPgTool(
      'pg_dump',
      [
        '-Fc',
        `--snapshot=${rows[0]!.snapshot}`,
        '--no-password',
        '-f',
        join(partial, PG_DUMP_FILE),
        '-d',
        target.url,
      ],
      target.env,
    );
    const has = async (table: string) =>
      (
        await client.query<{ present: boolean }>('select to_regclass($1) is not null as present', [
          `public.${table}`,
        ])
      ).rows[0]!.present;
    const migrations = (await has('kysely_migration'))
      ? (await client.query<{ name: string }>('select name from kysely_migration order by name')).rows.map(
          (r) => r.name,
        )
      : [];
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      if (await has(table)) {
        counts[table] = Number(
          (await client.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n,
        );
      }
    }
    const keys = (await has('ticket_attachments'))
      ? keysOf(
          (
            await client.query<{ storage_key: string; thumbnail_key: string | null }>(
              'select storage_key, thumbnail_key from ticket_attachments order by id',
            )
          ).rows,
        )
      : [];
    await client.query('commit');
    await fsyncPath(join(partial, PG_DUMP_FILE));
    return { migrations, counts, keys };
  } finally {
    await client.end();
  }
}

function parseOut(argv: string[]): string | null {
  const index = argv.indexOf('--out');
  if (index < 0) return null;
  const value = argv[index + 1];
  if (!value || value.startsWith('--'))
    throw new Refusal('--out needs a folder: npm run backup -- --out <folder>');
  return value;
}

async function run() {
  const config = loadConfig();
  const started = performance.now();
  const now = systemClock.now();
  const out = parseOut(process.argv.slice(2));
  const folder = out ? userPath(out) : join(config.dataDir, 'backups', `estatedesk-${stamp(now)}`);
  if (existsSync(folder)) throw new Refusal(`${folder} already exists: choose another --out folder.`);
  const file = join(config.dataDir, SQLITE_FILE);
  if (!config.databaseUrl && !existsSync(file)) {
    throw new Refusal(`No database at ${file}: nothing to back up (check DATA_DIR).`);
  }
  const partial = `${folder}.partial`;
  // what an interrupted backup left behind is never a backup
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });

  const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
  const database = config.databaseUrl ? PG_DUMP_FILE : SQLITE_FILE;
  let attachments: Manifest['attachments'];
  try {
    const snapshot = config.databaseUrl
      ? await backupPostgres(config.databaseUrl, partial)
      : await backupSqlite(config, partial);
    attachments = await copyAttachmentKeys(
      join(config.dataDir, ATTACHMENTS),
      join(partial, ATTACHMENTS),
      snapshot.keys,
    );
    const manifest: Manifest = {
      format: 'estatedesk-backup',
      version: 1,
      kind: 'backup',
      createdAt: now.toISOString(),
      dialect,
      database,
      migrations: snapshot.migrations,
      counts: snapshot.counts,
      attachments,
    };
    await writeDurable(join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await fsyncPath(partial);
    await publish(partial, folder);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }

  const size = (await stat(join(folder, database))).size;
  for (const key of attachments.missing) {
    console.error(`warning: attachment file ${key} is missing from ${join(config.dataDir, ATTACHMENTS)}`);
  }
  console.log(
    `backup written: ${folder} (${dialect}, database ${(size / 1048576).toFixed(1)} MB, ` +
      `${attachments.files} attachment files ${(attachments.bytes / 1048576).toFixed(1)} MB, ` +
      `${Math.round(performance.now() - started)} ms)`,
  );
}

run().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`EstateDesk cannot start: ${error.message}`);
  else if (error instanceof Refusal) console.error(error.message);
  else console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof ConfigError || error instanceof Refusal ? 2 : 1);
});
