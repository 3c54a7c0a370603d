/**
 * Shared by the benchmarks dispatched by bench/index.ts: the machine a run happened on, and the
 * JSON written under bench/results/<name>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export interface Machine {
  date: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  loadAverage: number[];
  node: string;
  sqlite: string;
  postgres: string | null;
}

/** The machine, Node, SQLite and (with a server URL) PostgreSQL versions, and the date. */
export async function machine(pgUrl: string | null = null): Promise<Machine> {
  const memory = new Database(':memory:');
  const sqlite = (memory.prepare('select sqlite_version() as v').get() as { v: string }).v;
  memory.close();
  let postgres: string | null = null;
  if (pgUrl) {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    postgres = (await client.query<{ server_version: string }>('show server_version')).rows[0]!
      .server_version;
    await client.end();
  }
  return {
    date: new Date().toISOString(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    node: process.version,
    sqlite,
    postgres,
  };
}

export function describeMachine(m: Machine): string {
  return (
    `${m.date.slice(0, 16).replace('T', ' ')} UTC, ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ` +
    `Node ${m.node}, SQLite ${m.sqlite}${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}, ` +
    `load average ${m.loadAverage.join(' ')}`
  );
}

/** Where results go: bench/results, or BENCH_RESULTS_DIR (the smoke test uses a temp dir). */
export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR?.trim() || join(import.meta.dirname, 'results');
}

export function writeResult(name: string, data: unknown): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** A whole number from the environment, within bounds, or the fallback. */
export function envWhole(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** A markdown table of rows (first row: headers; columns after the first right-aligned). */
export function table(rows: (string | number)[][]): string {
  const [head, ...body] = rows;
  if (!head) return '';
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [
    line(head),
    `|---|${head
      .slice(1)
      .map(() => '---:')
      .join('|')}|`,
    ...body.map(line),
  ].join('\n');
}
