import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where the bytes of photos and files live; the database keeps only their key and description.
 *
 * One small interface so the store can be swapped: `LocalDiskStorage` (below) keeps the files
 * under `<DATA_DIR>/attachments`, which suits one server or a shared volume. A large operator
 * with several servers plugs in an S3-compatible object store (MinIO, OSS, COS, S3) behind the
 * same four calls: `put` is a PutObject (atomic by nature), `get` a GetObject stream, `remove` a
 * DeleteObject, `exists` a HeadObject. Keys are made by us (`storageKey()`), never from a
 * client's file name, so they are valid object names in every such store.
 */
export interface ObjectStorage {
  /** Stores the bytes under the key, replacing what was there; all or nothing. */
  put(key: string, data: Buffer): Promise<void>;
  /** The bytes under the key, as a stream or a buffer; `StorageNotFoundError` if there are none. */
  get(key: string): Promise<Readable | Buffer>;
  /** Deletes the bytes under the key; a missing key is not an error. */
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export class InvalidStorageKeyError extends Error {
  override name = 'InvalidStorageKeyError';
  constructor(key: string) {
    super(`invalid storage key: ${JSON.stringify(key)}`);
  }
}

export class StorageNotFoundError extends Error {
  override name = 'StorageNotFoundError';
  constructor(key: string) {
    super(`nothing stored under ${JSON.stringify(key)}`);
  }
}

/** Segments of letters, digits, `-`, `_` and `.`, joined by `/`: never `..`, never absolute. */
const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const MAX_KEY_LENGTH = 512;

/**
 * Refuses any key that could leave the storage root or mean different things on different
 * stores: `..`, `.`, empty segments, a leading `/`, backslashes, control characters.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new InvalidStorageKeyError(String(key));
  }
  for (const segment of key.split('/')) {
    if (!KEY_SEGMENT.test(segment) || segment.includes('..')) throw new InvalidStorageKeyError(key);
  }
}

/** A fresh key for new bytes: `yyyy/mm/<uuid>` by the upload's UTC month, plus an optional suffix. */
export function storageKey(at: Date, id: string = randomUUID(), suffix = ''): string {
  const year = String(at.getUTCFullYear());
  const month = String(at.getUTCMonth() + 1).padStart(2, '0');
  const key = `${year}/${month}/${id}${suffix}`;
  assertValidKey(key);
  return key;
}

/** Folder of unfinished writes, inside the root so that the final rename stays on one file system. */
const INCOMING = '.incoming';

/**
 * Files on the local disk, one per key, under `root` (`<DATA_DIR>/attachments`).
 *
 * A write goes to a temporary file in `root/.incoming`, is fsynced, and is then renamed onto its
 * key, and the folder is fsynced: a crash at any moment leaves either the whole file under its
 * key or nothing there (at worst an orphan in `.incoming`, which may be deleted while the server
 * is stopped).
 */
export class LocalDiskStorage implements ObjectStorage {
  constructor(readonly root: string) {}

  /** The file of a key, checked again to lie inside the root (defence in depth). */
  pathOf(key: string): string {
    assertValidKey(key);
    const path = join(this.root, ...key.split('/'));
    const rel = relative(this.root, path);
    if (rel.startsWith('..') || rel.split(sep)[0] === INCOMING) throw new InvalidStorageKeyError(key);
    return path;
  }

  async put(key: string, data: Buffer): Promise<void> {
    const target = this.pathOf(key);
    const incoming = join(this.root, INCOMING);
    await mkdir(incoming, { recursive: true });
    const temp = join(incoming, `${randomUUID()}.part`);
    try {
      const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o640);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    // the rename is durable only once the folder that holds the new name is on disk
    await syncDirectory(dirname(target));
  }

  async get(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    try {
      // opened here, so a missing file is an error now rather than a broken stream later
      const handle = await open(path, constants.O_RDONLY);
      return handle.createReadStream();
    } catch (error) {
      if (isMissing(error)) throw new StorageNotFoundError(key);
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}

/** No such file, or a path through something that is not a folder. */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function syncDirectory(path: string) {
  const handle = await open(path, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
