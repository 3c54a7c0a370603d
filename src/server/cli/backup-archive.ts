import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { DialectName } from '../platform/db/database.js';
import { assertValidKey } from '../platform/storage.js';

/**
 * The backup folder shared by `npm run backup` and `npm run restore`:
 *
 *   estatedesk-<time>/
 *     manifest.json        what this is (below)
 *     estatedesk.sqlite    SQLite: a consistent snapshot (VACUUM INTO)
 *     estatedesk.dump      PostgreSQL: pg_dump -Fc of the same kind of snapshot
 *     attachments/<key>    the bytes of every attachment the snapshot's rows name, and no others
 *
 * A folder rather than a tarball: no archiver is needed to look inside, the attachment files can be
 * rsynced off the machine as they are, and the restore checks each one against its row's sha256.
 * It is written as `<name>.partial` and renamed when complete, so a folder without that suffix is
 * always whole.
 */
export const MANIFEST = 'manifest.json';
export const SQLITE_FILE = 'estatedesk.sqlite';
export const PG_DUMP_FILE = 'estatedesk.dump';
export const ATTACHMENTS = 'attachments';

export interface Manifest {
  format: 'estatedesk-backup';
  version: 1;
  /** `backup`: made by npm run backup; `replaced`: what a restore moved aside. */
  kind: 'backup' | 'replaced';
  createdAt: string;
  dialect: DialectName;
  /** File in the folder holding the database. */
  database: string;
  /** The migrations the database had applied (kysely_migration), in order. */
  migrations: string[];
  /** Rows of the main tables, for a quick comparison after a restore. */
  counts: Record<string, number>;
  attachments: { files: number; bytes: number; missing: string[] };
}

/** Tables counted in the manifest (and by the restore, to print what came back). */
export const COUNTED_TABLES = [
  'communities',
  'residents',
  'tickets',
  'ticket_events',
  'ticket_attachments',
  'users',
  'audit_log',
] as const;

/** A path the user typed: relative to where they ran npm (INIT_CWD), not to the repository. */
export function userPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** `2026-12-01T07-10-00-123Z`: a time for folder names. */
export function stamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** Writes and fsyncs a file, so that a backup that says it is done is on disk. */
export async function writeDurable(path: string, data: string | Buffer): Promise<void> {
  await writeFile(path, data);
  await fsyncPath(path);
}

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Copies the files of the given storage keys from one attachments folder to another, each
 * fsynced. A key whose file is missing at the source is listed, not fatal: the live store has
 * already lost it, and the backup says so instead of failing to exist.
 */
export async function copyAttachmentKeys(
  fromRoot: string,
  toRoot: string,
  keys: Iterable<string>,
): Promise<{ files: number; bytes: number; missing: string[] }> {
  let files = 0;
  let bytes = 0;
  const missing: string[] = [];
  const madeDirs = new Set<string>();
  for (const key of keys) {
    assertValidKey(key);
    const from = join(fromRoot, ...key.split('/'));
    const to = join(toRoot, ...key.split('/'));
    if (!madeDirs.has(dirname(to))) {
      await mkdir(dirname(to), { recursive: true });
      madeDirs.add(dirname(to));
    }
    try {
      await copyFile(from, to, constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        missing.push(key);
        continue;
      }
      throw error;
    }
    await fsyncPath(to);
    files += 1;
    bytes += (await stat(to)).size;
  }
  for (const dir of madeDirs) await fsyncPath(dir);
  if (madeDirs.size) await fsyncPath(toRoot);
  return { files, bytes, missing };
}

/** Every file under a folder, as storage keys (`yyyy/mm/<id>`); `.incoming` (writes in progress) is skipped. */
export async function listKeys(root: string, prefix = ''): Promise<string[]> {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (!prefix && entry.name === '.incoming') continue;
    const key = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listKeys(join(root, entry.name), key)));
    else if (entry.isFile()) out.push(key);
  }
  return out;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

export interface AttachmentRow {
  id: string;
  storage_key: string;
  thumbnail_key: string | null;
  sha256: string;
  size: number;
}

/**
 * Checks an attachments folder against the rows that describe it: every row's file is there with
 * its size and sha256, and its thumbnail is there. Returns the problems, one line each.
 */
export async function verifyAttachments(root: string, rows: AttachmentRow[]): Promise<string[]> {
  const problems: string[] = [];
  for (const row of rows) {
    const path = join(root, ...row.storage_key.split('/'));
    if (!existsSync(path)) {
      problems.push(`attachment ${row.id}: file ${row.storage_key} is missing`);
      continue;
    }
    const size = (await stat(path)).size;
    if (size !== Number(row.size)) {
      problems.push(`attachment ${row.id}: ${row.storage_key} has ${size} bytes, its row says ${row.size}`);
    } else if ((await sha256File(path)) !== row.sha256) {
      problems.push(`attachment ${row.id}: ${row.storage_key} does not match its sha256`);
    }
    if (row.thumbnail_key && !existsSync(join(root, ...row.thumbnail_key.split('/')))) {
      problems.push(`attachment ${row.id}: thumbnail ${row.thumbnail_key} is missing`);
    }
  }
  return problems;
}

export async function readManifest(folder: string): Promise<Manifest | null> {
  const path = join(folder, MANIFEST);
  if (!existsSync(path)) return null;
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  if (manifest.format !== 'estatedesk-backup' || manifest.version !== 1) {
    throw new Error(`${path} is not an EstateDesk backup manifest (format ${String(manifest.format)})`);
  }
  return manifest;
}

/** Renames `<folder>.partial` onto `<folder>` and makes the rename durable. */
export async function publish(partial: string, folder: string): Promise<void> {
  await rename(partial, folder);
  await fsyncPath(dirname(folder));
}

const execFileAsync = promisify(execFile);

/**
 * A PostgreSQL URL for the client programs, with its password moved to PGPASSWORD so that it
 * does not show in the process list.
 */
export function pgTarget(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

/**
 * Runs one of PostgreSQL's client programs (pg_dump, pg_restore, psql), found on PATH or in
 * PG_BIN_DIR; its stderr becomes the error message when it fails.
 */
export async function runPgTool(
  tool: 'pg_dump' | 'pg_restore' | 'psql',
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
) {
  const binary = process.env.PG_BIN_DIR ? join(process.env.PG_BIN_DIR, tool) : tool;
  try {
    return await execFileAsync(binary, args, { env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error(`${tool} was not found: install the PostgreSQL client tools or set PG_BIN_DIR`);
    }
    throw new Error(`${tool} failed: ${(failure.stderr || failure.message).trim()}`);
  }
}
