import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertValidKey,
  InvalidStorageKeyError,
  LocalDiskStorage,
  StorageNotFoundError,
  storageKey,
} from './storage.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  let out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out = out.concat(filesUnder(join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

describe('LocalDiskStorage', () => {
  let base: string;
  let root: string;
  let storage: LocalDiskStorage;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'estatedesk-storage-'));
    root = join(base, 'attachments');
    storage = new LocalDiskStorage(root);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('stores, reads back, tells existence and removes', async () => {
    const data = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
    expect(await storage.exists('2026/11/abc')).toBe(false);
    await storage.put('2026/11/abc', data);
    expect(await storage.exists('2026/11/abc')).toBe(true);
    expect(readFileSync(join(root, '2026', '11', 'abc'))).toEqual(data);
    const read = await storage.get('2026/11/abc');
    expect(Buffer.isBuffer(read) ? read : await buffer(read)).toEqual(data);
    await storage.remove('2026/11/abc');
    expect(await storage.exists('2026/11/abc')).toBe(false);
    // removing twice is fine; reading what is gone is a clear error
    await storage.remove('2026/11/abc');
    await expect(storage.get('2026/11/abc')).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it('leaves no temporary file behind, and a second put replaces the whole file', async () => {
    await storage.put('k/one', Buffer.alloc(100_000, 1));
    await storage.put('k/one', Buffer.from('short'));
    expect(readFileSync(join(root, 'k', 'one'), 'utf8')).toBe('short');
    expect(filesUnder(root)).toEqual(['k/one']);
  });

  it('a put that fails leaves nothing under the key and no temporary file', async () => {
    // a plain file where the key's folder must go: the rename cannot happen
    await storage.put('blocker', Buffer.from('x'));
    await expect(storage.put('blocker/inside', Buffer.alloc(10_000, 7))).rejects.toThrow();
    expect(await storage.exists('blocker/inside')).toBe(false);
    expect(filesUnder(root)).toEqual(['blocker']);
  });

  it('refuses keys that could leave the root: .., absolute, backslash, empty or odd segments', async () => {
    writeFileSync(join(base, 'secret'), 'do not touch');
    const bad = [
      '..',
      '../secret',
      'a/../../secret',
      '2026/11/..',
      'a/..b',
      '/etc/passwd',
      'a//b',
      'a/./b',
      '.',
      '.incoming/x',
      'a\\..\\..\\secret',
      'a/b\u0000c',
      'a/b\nc',
      '',
      '中文/名字',
      'x'.repeat(600),
    ];
    for (const key of bad) {
      expect(() => assertValidKey(key), JSON.stringify(key)).toThrow(InvalidStorageKeyError);
      await expect(storage.put(key, Buffer.from('x')), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.get(key), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.remove(key), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.exists(key), key).rejects.toBeInstanceOf(InvalidStorageKeyError);
    }
    expect(readFileSync(join(base, 'secret'), 'utf8')).toBe('do not touch');
  });

  it('makes keys as yyyy/mm/<uuid> by the UTC month, never from a file name', () => {
    const key = storageKey(new Date('2026-11-30T17:00:00.000Z'));
    expect(key).toMatch(/^2026\/11\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // 01:00 on 1 December in Shanghai is still November in UTC
    expect(storageKey(new Date('2026-11-30T17:00:00.000Z'), 'id-1', '-thumb')).toBe('2026/11/id-1-thumb');
    expect(() => storageKey(new Date(), '../../etc/passwd')).toThrow(InvalidStorageKeyError);
  });

  it('a writer killed with SIGKILL mid-write never leaves a partial file under a key', async () => {
    const size = 8 * 1024 * 1024;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'test/fixtures/attachments/storage-writer.ts'), root, String(size)],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let finished = 0;
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`writer made no progress: ${errors}`)), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        finished += chunk.toString().split('\n').filter(Boolean).length;
        // a few whole files written: the writer is now busy with the next one
        if (finished >= 3) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${errors}`)));
    });
    child.kill('SIGKILL');
    await exited;

    const keys = filesUnder(root).filter((path) => !path.startsWith('.incoming/'));
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) {
      expect(statSync(join(root, key)).size, key).toBe(size);
      const bytes = readFileSync(join(root, key));
      const value = Number(key.split('-').pop()) % 250;
      expect(bytes[0], key).toBe(value + 1);
      expect(bytes[size - 1], key).toBe(value + 1);
    }
  });
});
