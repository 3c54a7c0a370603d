import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has defaults that start on 127.0.0.1:3000 with SQLite in ./data', () => {
    const config = loadConfig({}, '/srv/estatedesk');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/estatedesk/data',
      databaseUrl: null,
      logLevel: 'info',
      publicUrl: 'http://127.0.0.1:3000',
      adminPassword: null,
      trustProxy: false,
    });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres:\/\//],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a valid URL/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must start with http/],
    [{ ESTATEDESK_ADMIN_PASSWORD: 'short' }, /at least 8 characters/],
    [{ ESTATEDESK_CONFIG: '/nonexistent.json' }, /does not exist/],
    [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY must be true or false/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('stops start-up with one clear line and exit code 2', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/server/main.ts')], {
      cwd: root,
      env: { ...process.env, PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      'EstateDesk cannot start: PORT must be a whole number, got "eighty"',
    ]);
  });
});
