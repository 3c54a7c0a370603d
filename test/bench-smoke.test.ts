import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const results = mkdtempSync(join(tmpdir(), 'estatedesk-bench-smoke-'));
afterAll(() => rmSync(results, { recursive: true, force: true }));

const read = (name: string) => JSON.parse(readFileSync(join(results, `${name}.json`), 'utf8'));

/**
 * Issue 9: the benchmarks keep working. `npm run bench -- ceiling intake web-size` at tiny sizes
 * (BENCH_SMOKE: 2 connections, 1 s, 50 residents, SQLite): it must produce figures and JSON. How
 * fast anything is is not asserted: CI machines vary too much.
 */
describe('benchmarks (smoke)', () => {
  it('ceiling, intake and web-size produce their figures and JSON', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_SMOKE: '1', BENCH_RESULTS_DIR: results };
    delete env.BENCH_DATABASE_URL;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench', 'index.ts'), 'ceiling', 'intake', 'web-size'],
      { cwd: root, env, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toContain('| POST /api/v1/tickets (sqlite, API token) |');

    const ceiling = read('ceiling');
    expect(ceiling.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
    expect(ceiling.machine.sqlite).toMatch(/^3\./);
    expect(ceiling.helloWorld.expected).toBeGreaterThan(0);
    expect(ceiling.helloWorld.unexpected).toEqual({});
    expect(ceiling.inserts[0]).toMatchObject({ dialect: 'sqlite' });
    expect(ceiling.inserts[0].rowsPerSecond).toBeGreaterThan(0);

    const intake = read('intake');
    expect(intake.sizes).toMatchObject({ connections: 2, seconds: 1, residents: 50 });
    const [run] = intake.runs;
    expect(run.dialect).toBe('sqlite');
    // every response was a 201, every 201 sent is a row, any other row an aborted request's
    expect(run.problems).toEqual([]);
    expect(run.load.expected).toBeGreaterThan(0);
    expect(run.rowsAdded).toBeGreaterThanOrEqual(run.served201);
    expect(run.rowsAdded).toBeLessThanOrEqual(run.served201 + run.aborted);
    expect(run.percentOfCeiling).toBeGreaterThan(0);

    const web = read('web-size');
    expect(web.groups[0].name).toBe('login page');
    expect(web.groups[0].jsGzipBytes).toBeGreaterThan(0);
    expect(web.groups[0].cssGzipBytes).toBeGreaterThan(0);
  }, 120_000);
});
