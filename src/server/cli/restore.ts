import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { systemClock } from '../platform/clock.js';
import { type Config, ConfigError, loadConfig } from '../platform/config.js';
import { assertDataDirWritable } from '../platform/data-dir.js';
import { openDatabase } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { migrations as knownMigrations } from '../platform/db/migrations/index.js';
import {
  ATTACHMENTS,
  type AttachmentRow,
  COUNTED_TABLES,
  copyAttachmentKeys,
  fsyncPath,
  listKeys,
  MANIFEST,
  type Manifest,
  pgTarget,
  readManifest,
  runPgTool,
  SQLITE_FILE,
  stamp,
  userPath,
  verifyAttachments,
  writeDurable,
} from './backup-archive.js';

/**
 * `npm run restore -- <backup> [--force]`: puts a backup made by `npm run backup` back into
 * DATA_DIR (SQLite) or into the DATABASE_URL database (PostgreSQL), with its attachment files.
 *
 * - Refuses while anything uses the database: on SQLite, leaving WAL mode needs every other
 *   connection closed, so a server that has the file open makes it fail (an OS lock, which a
 *   killed server cannot leave behind); on PostgreSQL, any other session on the database.
 *   `--force` skips this check.
 * - Checks the backup before touching anything: SQLite's integrity and foreign-key checks, the
 *   row counts written in the manifest, every attachment file against its row's size and sha256,
 *   and that it comes from this version or an older one (then it is migrated forward).
 * - Keeps what it replaces in `DATA_DIR/backups/replaced-<time>/`, itself a backup folder: the
 *   same command brings it back.
 * A bare `.sqlite` file or `.dump` (backups made before backups were folders) is accepted too; it
 * carries no attachments, so the attachments folder is left as it is.
 */

/** A refusal the user can fix (server running, wrong kind of backup): exit code 2, nothing changed. */
class Refusal extends Error {}

interface Source {
  path: string;
  manifest: Manifest | null;
  dialect: 'sqlite' | 'postgres';
  databaseFile: string;
  /** Null for a bare database file: no attachments come with it. */
  attachmentsDir: string | null;
}

interface Checked {
  counts: Record<string, number>;
  rows: AttachmentRow[];
  applied: string[];
}

function magic(path: string, length: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, read).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

async function resolveSource(argument: string): Promise<Source> {
  const path = userPath(argument);
  if (!existsSync(path)) throw new Refusal(`${path} does not exist.`);
  if (statSync(path).isDirectory()) {
    const manifest = await readManifest(path);
    if (!manifest) throw new Refusal(`${path} is not an EstateDesk backup: it has no ${MANIFEST}.`);
    const databaseFile = join(path, manifest.database);
    if (!existsSync(databaseFile)) throw new Refusal(`${databaseFile} is missing: the backup is incomplete.`);
    return {
      path,
      manifest,
      dialect: manifest.dialect,
      databaseFile,
      attachmentsDir: join(path, ATTACHMENTS),
    };
  }
  if (magic(path, 5) === 'PGDMP') {
    return { path, manifest: null, dialect: 'postgres', databaseFile: path, attachmentsDir: null };
  }
  if (magic(path, 16) === 'SQLite format 3\0') {
    return { path, manifest: null, dialect: 'sqlite', databaseFile: path, attachmentsDir: null };
  }
  throw new Refusal(`${path} is neither a backup folder, a SQLite database nor a pg_dump -Fc archive.`);
}

function refuseNewer(applied: string[]) {
  const unknown = applied.filter((name) => !(name in knownMigrations));
  if (unknown.length) {
    throw new Refusal(
      `The backup was made by a newer EstateDesk (migrations unknown here: ${unknown.join(', ')}). ` +
        'Restore it with that version or a later one.',
    );
  }
}

function compareCounts(expected: Record<string, number> | undefined, actual: Record<string, number>) {
  if (!expected) return;
  const wrong = Object.entries(expected).filter(([table, n]) => actual[table] !== n);
  if (wrong.length) {
    throw new Error(
      `the restored rows do not match the backup's manifest: ${wrong
        .map(([table, n]) => `${table} ${actual[table]} (manifest ${n})`)
        .join(', ')}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite

/**
 * Takes the live database for ourselves, or refuses. Switching it out of WAL mode needs every
 * other connection closed; it also folds the WAL into the file, so the file moved aside is whole.
 * The handle keeps an exclusive lock until it is closed, so no server can start in the meantime.
 */
function lockLiveSqlite(file: string, force: boolean): SQLite.Database | null {
  const handle = new SQLite(file, { timeout: 0, fileMustExist: true });
  try {
    handle.pragma('locking_mode = EXCLUSIVE');
    handle.pragma('journal_mode = DELETE');
    handle.exec('begin exclusive');
    handle.exec('commit');
    return handle;
  } catch (error) {
    handle.close();
    const code = String((error as { code?: string }).code ?? '');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      if (!force) {
        throw new Refusal(
          `${file} is in use: a server (or another program) has it open. Stop the server first ` +
            '(SIGTERM) and run the restore again, or add --force if you are sure nothing writes to it.',
        );
      }
      console.error(`warning: ${file} is in use; going on because of --force`);
      return null;
    }
    // a damaged database (often the reason for the restore) cannot be locked: it is moved aside as is
    console.error(
      `warning: the current database could not be opened (${code || String(error)}); it is moved aside as it is`,
    );
    return null;
  }
}

function sqliteFacts(handle: SQLite.Database): {
  migrations: string[];
  counts: Record<string, number>;
  rows: AttachmentRow[];
} {
  const has = (table: string) =>
    handle.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table) !== undefined;
  const migrations = has('kysely_migration')
    ? (handle.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
        (r) => r.name,
      )
    : [];
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    if (has(table))
      counts[table] = (handle.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  }
  const rows = has('ticket_attachments')
    ? (handle
        .prepare('select id, storage_key, thumbnail_key, sha256, size from ticket_attachments')
        .all() as AttachmentRow[])
    : [];
  return { migrations, counts, rows };
}

/** Integrity, foreign keys, counts against the manifest, version; then migrates the staged copy forward. */
async function checkSqliteCopy(file: string, manifest: Manifest | null): Promise<Checked> {
  const handle = new SQLite(file, { fileMustExist: true });
  let facts: ReturnType<typeof sqliteFacts>;
  try {
    const integrity = handle.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new Error(`the backup failed SQLite's integrity check: ${String(integrity)}`);
    const orphans = handle.pragma('foreign_key_check') as unknown[];
    if (orphans.length)
      throw new Error(`the backup has ${orphans.length} rows whose foreign keys point nowhere`);
    facts = sqliteFacts(handle);
  } finally {
    handle.close();
  }
  refuseNewer(facts.migrations);
  compareCounts(manifest?.counts, facts.counts);
  const database = openDatabase({ databaseUrl: null, sqlitePath: file });
  let applied: string[];
  try {
    applied = await migrateToLatest(database.db, database.dialect);
  } finally {
    // the last connection to close folds the WAL into the file: the staged copy is one file again
    await database.close();
  }
  await fsyncPath(file);
  return { counts: facts.counts, rows: facts.rows, applied };
}

async function restoreSqlite(config: Config, source: Source, force: boolean, at: Date) {
  const live = join(config.dataDir, SQLITE_FILE);
  const staging = join(config.dataDir, `.restore-${stamp(at)}`);
  const aside = join(config.dataDir, 'backups', `replaced-${stamp(at)}`);
  const lock = existsSync(live) ? lockLiveSqlite(live, force) : null;
  try {
    const previous = lock ? sqliteFacts(lock) : null;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    try {
      const staged = join(staging, SQLITE_FILE);
      await copyFile(source.databaseFile, staged);
      const checked = await checkSqliteCopy(staged, source.manifest);
      const attachmentsVerified = await stageAttachments(source, staging, checked.rows);

      // the checks passed: what is there now goes aside, the staged copy takes its place
      const moved = await moveAside(config.dataDir, aside, [
        SQLITE_FILE,
        `${SQLITE_FILE}-wal`,
        `${SQLITE_FILE}-shm`,
        ...(source.attachmentsDir ? [ATTACHMENTS] : []),
      ]);
      if (moved.length) {
        await writeAsideManifest(aside, 'sqlite', SQLITE_FILE, at, previous);
      }
      await rename(staged, live);
      if (source.attachmentsDir && existsSync(join(staging, ATTACHMENTS))) {
        await rename(join(staging, ATTACHMENTS), join(config.dataDir, ATTACHMENTS));
      }
      await fsyncPath(config.dataDir);
      report(source, `DATA_DIR ${config.dataDir}`, checked, attachmentsVerified, moved.length ? aside : null);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  } finally {
    lock?.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

async function pgFacts(client: pg.Client) {
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
  const rows = (await has('ticket_attachments'))
    ? (
        await client.query<AttachmentRow>(
          'select id, storage_key, thumbnail_key, sha256, size from ticket_attachments',
        )
      ).rows
    : [];
  return { migrations, counts, rows };
}

/** `grant` statements that give schema public back the privileges it had (aclitem text, e.g. `=U/owner`). */
function schemaGrants(owner: string, acl: string | null): string[] {
  if (!acl) return [];
  const grants: string[] = [];
  for (const item of acl.replace(/^\{|\}$/g, '').split(',')) {
    const match = /^(.*)=([A-Za-z*]*)\/.*$/.exec(item.trim());
    if (!match) continue;
    const grantee = match[1] === '' ? 'public' : match[1]!;
    if (grantee === owner) continue;
    const privileges = [
      match[2]!.includes('U') ? 'usage' : null,
      match[2]!.includes('C') ? 'create' : null,
    ].filter(Boolean);
    if (privileges.length) grants.push(`grant ${privileges.join(', ')} on schema public to ${grantee}`);
  }
  return grants;
}

/**
 * pg_restore's SQL piped into one psql transaction: the database is either all old or all new.
 * The `commit` is ours, written only after pg_restore has exited cleanly; if it fails, or psql
 * stops at an error (ON_ERROR_STOP), psql ends without it and PostgreSQL rolls everything back.
 */
function pipeRestore(
  dumpFile: string,
  url: string,
  env: NodeJS.ProcessEnv,
  prelude: string[],
): Promise<void> {
  const binary = (tool: string) => (process.env.PG_BIN_DIR ? join(process.env.PG_BIN_DIR, tool) : tool);
  return new Promise((resolvePromise, reject) => {
    let errors = '';
    let failed = false;
    const fail = (message: string) => {
      failed = true;
      errors += `${message}\n`;
    };
    const psql = spawn(
      binary('psql'),
      ['-X', '-q', '--no-password', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', '-'],
      {
        env,
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    psql.stderr.on('data', (chunk) => {
      errors += chunk;
    });
    psql.on('error', (error) => fail(`psql could not run: ${error.message}`));
    // psql may stop reading at an error; what we still write then is of no use
    psql.stdin.on('error', () => {});
    psql.stdin.write(`begin;\n${prelude.map((statement) => `${statement};\n`).join('')}`);

    const restore = spawn(binary('pg_restore'), ['--no-owner', '--no-privileges', '-f', '-', dumpFile], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    restore.stdout.pipe(psql.stdin, { end: false });
    restore.stderr.on('data', (chunk) => {
      errors += `pg_restore: ${chunk}`;
    });
    restore.on('error', (error) => fail(`pg_restore could not run: ${error.message}`));
    restore.on('close', (code) => {
      if (code !== 0) fail(`pg_restore exited with ${code}`);
      psql.stdin.end(failed ? '' : 'commit;\n');
    });
    psql.on('close', (code) => {
      if (code === 0 && !failed) resolvePromise();
      else
        reject(
          new Error(`the restore was rolled back, nothing changed: ${errors.trim() || `psql exit ${code}`}`),
        );
    });
  });
}

/**
 * The rows of one table inside a pg_dump archive, read without restoring it (`pg_restore
 * --data-only -t <table>` prints the table's COPY text), so the backup can be checked first.
 * Values are COPY text: `\N` is null; ids, keys and hex digests need no unescaping.
 */
async function rowsOfDump(dumpFile: string, table: string): Promise<Record<string, string | null>[]> {
  const { stdout } = await runPgTool('pg_restore', ['--data-only', '-t', table, '-f', '-', dumpFile]);
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`COPY public.${table} (`));
  if (start < 0) return [];
  const columns = /\((.*)\) FROM stdin;$/
    .exec(lines[start]!)![1]!
    .split(', ')
    .map((c) => c.replace(/^"|"$/g, ''));
  const rows: Record<string, string | null>[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line === '\\.') break;
    const values = line.split('\t');
    rows.push(
      Object.fromEntries(
        columns.map((column, i) => [column, values[i] === '\\N' ? null : (values[i] ?? null)]),
      ),
    );
  }
  return rows;
}

async function restorePostgres(config: Config, source: Source, force: boolean, at: Date) {
  const databaseUrl = config.databaseUrl!;
  const target = pgTarget(databaseUrl);
  const staging = join(config.dataDir, `.restore-${stamp(at)}`);
  const aside = join(config.dataDir, 'backups', `replaced-${stamp(at)}`);
  // an unreadable archive stops here, before anything is touched
  await runPgTool('pg_restore', ['--list', source.databaseFile]);
  refuseNewer(
    source.manifest?.migrations ??
      (await rowsOfDump(source.databaseFile, 'kysely_migration')).map((row) => String(row.name)),
  );
  const attachmentRows = (await rowsOfDump(source.databaseFile, 'ticket_attachments')).map(
    (row): AttachmentRow => ({
      id: String(row.id),
      storage_key: String(row.storage_key),
      thumbnail_key: row.thumbnail_key ?? null,
      sha256: String(row.sha256),
      size: Number(row.size),
    }),
  );

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let previous: Awaited<ReturnType<typeof pgFacts>>;
  let owner: string;
  let acl: string | null;
  try {
    const others = (
      await client.query<{
        pid: number;
        application_name: string;
        client_addr: string | null;
        state: string | null;
      }>(
        `select pid, application_name, client_addr::text as client_addr, state from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()`,
      )
    ).rows;
    if (others.length && !force) {
      const who = others
        .map(
          (o) => `pid ${o.pid} ${o.application_name || '(no name)'} from ${o.client_addr ?? 'local socket'}`,
        )
        .join('; ');
      throw new Refusal(
        `The database is in use by ${others.length} other session(s) (${who}). Stop the servers first and run ` +
          'the restore again, or add --force if you are sure nothing writes to it.',
      );
    }
    previous = await pgFacts(client);
    const schema = (
      await client.query<{ owner: string; acl: string | null }>(
        "select nspowner::regrole::text as owner, nspacl::text as acl from pg_namespace where nspname = 'public'",
      )
    ).rows[0];
    owner = schema?.owner ?? 'pg_database_owner';
    acl = schema?.acl ?? null;
  } finally {
    await client.end();
  }

  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    // the attachment files are copied and checked against the archive's rows before the database changes
    const attachmentsVerified = await stageAttachments(source, staging, attachmentRows);
    const hadData = previous.migrations.length > 0 || Object.keys(previous.counts).length > 0;
    if (hadData) {
      await mkdir(aside, { recursive: true });
      await runPgTool(
        'pg_dump',
        ['-Fc', '--no-password', '-f', join(aside, 'estatedesk.dump'), '-d', target.url],
        target.env,
      );
      await fsyncPath(join(aside, 'estatedesk.dump'));
    }
    await pipeRestore(source.databaseFile, target.url, target.env, [
      'set local client_min_messages = warning',
      'drop schema if exists public cascade',
      `create schema public authorization ${owner}`,
      ...schemaGrants(owner, acl),
    ]);

    const database = openDatabase({ databaseUrl, poolSize: 2, onIdleError: () => {} });
    let checked: Checked;
    try {
      const restored = new pg.Client({ connectionString: databaseUrl });
      await restored.connect();
      let facts: Awaited<ReturnType<typeof pgFacts>>;
      try {
        facts = await pgFacts(restored);
      } finally {
        await restored.end();
      }
      compareCounts(source.manifest?.counts, facts.counts);
      const applied = await migrateToLatest(database.db, database.dialect);
      checked = { counts: facts.counts, rows: facts.rows, applied };
    } finally {
      await database.close();
    }
    const moved = source.attachmentsDir ? await moveAside(config.dataDir, aside, [ATTACHMENTS]) : [];
    if (hadData || moved.length) await writeAsideManifest(aside, 'postgres', 'estatedesk.dump', at, previous);
    if (source.attachmentsDir && existsSync(join(staging, ATTACHMENTS))) {
      await rename(join(staging, ATTACHMENTS), join(config.dataDir, ATTACHMENTS));
      await fsyncPath(config.dataDir);
    }
    report(
      source,
      'the DATABASE_URL database',
      checked,
      attachmentsVerified,
      hadData || moved.length ? aside : null,
    );
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// both

/**
 * Copies the backup's attachment files into the staging folder and checks
 * every row's file against its size and sha256. Returns how many rows were verified; null when the
 * backup carries no attachments (a bare database file).
 */
async function stageAttachments(
  source: Source,
  staging: string,
  rows: AttachmentRow[],
): Promise<number | null> {
  if (!source.attachmentsDir) return null;
  const stagedRoot = join(staging, ATTACHMENTS);
  if (existsSync(source.attachmentsDir)) {
    await copyAttachmentKeys(source.attachmentsDir, stagedRoot, await listKeys(source.attachmentsDir));
  }
  const problems = await verifyAttachments(stagedRoot, rows);
  if (problems.length) {
    throw new Error(
      `the backup's attachment files do not match their rows (${problems.length}):\n  ${problems.slice(0, 20).join('\n  ')}`,
    );
  }
  return rows.length;
}

/** Moves the named entries of DATA_DIR into the aside folder; returns those that existed. */
async function moveAside(dataDir: string, aside: string, names: string[]): Promise<string[]> {
  const present = names.filter((name) => existsSync(join(dataDir, name)));
  if (!present.length) return [];
  await mkdir(aside, { recursive: true });
  for (const name of present) await rename(join(dataDir, name), join(aside, name));
  await fsyncPath(aside);
  return present;
}

async function writeAsideManifest(
  aside: string,
  dialect: 'sqlite' | 'postgres',
  database: string,
  at: Date,
  previous: { migrations: string[]; counts: Record<string, number> } | null,
) {
  const keys = await listKeys(join(aside, ATTACHMENTS));
  const manifest: Manifest = {
    format: 'estatedesk-backup',
    version: 1,
    kind: 'replaced',
    createdAt: at.toISOString(),
    dialect,
    database,
    migrations: previous?.migrations ?? [],
    // a damaged database could not be counted: no counts, so restoring it back compares nothing
    counts: previous?.counts ?? {},
    attachments: { files: keys.length, bytes: 0, missing: [] },
  };
  await writeDurable(join(aside, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

function report(
  source: Source,
  where: string,
  checked: Checked,
  attachmentsVerified: number | null,
  aside: string | null,
) {
  const counts = Object.entries(checked.counts)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ');
  console.log(`restored ${source.path} into ${where}`);
  console.log(`  rows: ${counts}`);
  console.log(
    `  migrations applied: ${checked.applied.length ? checked.applied.join(', ') : 'none (up to date)'}`,
  );
  console.log(
    attachmentsVerified === null
      ? '  attachments: none in this backup (a bare database file); the attachments folder was left as it was'
      : `  attachments: ${attachmentsVerified} verified against their sha256`,
  );
  if (aside) console.log(`  what was there before: ${aside} (npm run restore -- ${aside} brings it back)`);
}

function parseArgs(argv: string[]) {
  const force = argv.includes('--force');
  const positional = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--force');
  if (unknown.length)
    throw new Refusal(`Unknown option ${unknown.join(' ')}. Usage: npm run restore -- <backup> [--force]`);
  if (positional.length !== 1)
    throw new Refusal('Usage: npm run restore -- <backup folder or file> [--force]');
  return { backup: positional[0]!, force };
}

async function run() {
  const config = loadConfig();
  const { backup, force } = parseArgs(process.argv.slice(2));
  const source = await resolveSource(backup);
  const dialect = config.databaseUrl ? 'postgres' : 'sqlite';
  if (source.dialect !== dialect) {
    throw new Refusal(
      `${source.path} is a ${source.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} backup, but this configuration ` +
        `uses ${dialect === 'sqlite' ? 'SQLite (no DATABASE_URL)' : 'PostgreSQL (DATABASE_URL)'}.`,
    );
  }
  assertDataDirWritable(config.dataDir);
  const at = systemClock.now();
  if (dialect === 'sqlite') await restoreSqlite(config, source, force, at);
  else await restorePostgres(config, source, force, at);
}

run().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`EstateDesk cannot start: ${error.message}`);
  else if (error instanceof Refusal) console.error(error.message);
  else console.error(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof ConfigError || error instanceof Refusal ? 2 : 1);
});
