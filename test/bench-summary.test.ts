import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Machine } from '../bench/common.js';
import { printedTables, scriptSummary } from '../bench/script-figures.js';
import {
  END,
  formatValue,
  readResults,
  renderSummary,
  replaceSummary,
  START,
  type SummaryRow,
  writeSummary,
} from '../bench/summary.js';

const root = join(import.meta.dirname, '..');

const MACHINE: Machine = {
  date: '2026-12-01T08:00:00.000Z',
  cpuModel: 'AMD EPYC',
  cores: 2,
  memoryGiB: 24,
  loadAverage: [2.4, 1.4, 0.6],
  node: 'v20.20.2',
  sqlite: '3.53.2',
  postgres: null,
};

// What the scripts print, as they printed it in a smoke run (bench/sla.ts, bench/import.ts) and
// in a full-scale one (bench/search.ts, its heading and two of its rows).
const SLA_OUTPUT = `SLA bench on sqlite; Node v20.20.2; AMD EPYC × 2
| open clocks | load s | idle pass p50 ms | idle pass p95 ms | firing pass (500 breaches) ms | per breach ms | delay p50 ms | delay p95 ms | delay max ms |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
| 100 | 0.1 | 0.19 | 9.56 | 1009.8 | 2.02 | 3.00 | 25.0 | 57.0 |
`;
const IMPORT_OUTPUT = `sheet: 50 rows (1 bad), 0.0 MB .xlsx, written in 0.1 s; 2 cores, Node v20.20.2
sqlite   dry run (upload, parse, check):   0.6 s  89 rows/s
sqlite   commit (49 residents, 1 buildings, 2 units, 37 rooms):   0.4 s  128 rows/s
`;
const SEARCH_OUTPUT = `
resident search at 1,000,000 residents in 200 communities — postgres, node v20.20.2, 2 cores
bulk load: 212.4 s

| who | query | requests | p50 ms | p95 ms | p99 ms | errors |
|---|---|---:|---:|---:|---:|---:|
| agent (1 community) | 尾号 (4 digits) | 400 | 3.10 | 5.02 | 7.88 | 0 |
| admin (all communities) | name (surname + first given char) | 400 | 18.40 | 31.20 | 44.95 | 0 |
`;

/** The result files of a run, written as the benches write them. */
function writeResults(dir: string) {
  // a ceiling as bench/index.ts measured it on this machine (helloWorld.rps ≈ 30,344), kept as a
  // fixture: bench/results/ceiling.json changes with every run
  copyFileSync(join(root, 'test', 'fixtures', 'bench', 'ceiling.json'), join(dir, 'ceiling.json'));
  const save = (name: string, data: unknown) =>
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
  save('web-size', {
    name: 'web-size',
    machine: MACHINE,
    groups: [],
    summary: [
      {
        scenario: 'web: login page',
        dialect: '–',
        metric: 'JS gzip',
        value: 345.8,
        unit: 'KB',
        target: 350,
        met: true,
      },
      {
        scenario: 'web: agent console, first screen',
        dialect: '–',
        metric: 'JS gzip',
        value: 471.3,
        unit: 'KB',
        target: 350,
        met: false,
      },
    ],
  });
  save('intake', {
    name: 'intake',
    machine: MACHINE,
    summary: [
      {
        scenario: 'intake: POST /api/v1/tickets',
        dialect: 'sqlite',
        metric: 'throughput',
        value: 47.61,
        unit: 'req/s',
      },
      {
        scenario: 'intake: POST /api/v1/tickets',
        dialect: 'sqlite',
        metric: 'of hello-world',
        value: 0.16,
        unit: '%',
        target: 30,
        met: false,
      },
    ],
  });
  const tables = printedTables(SLA_OUTPUT);
  save('sla', {
    name: 'sla',
    machine: MACHINE,
    exitCode: 0,
    tables,
    output: SLA_OUTPUT,
    summary: scriptSummary('sla', { figures: {}, tables, output: SLA_OUTPUT }),
  });
  // targets written as text, as the soak test writes them
  save('soak', {
    name: 'soak',
    summary: [
      {
        scenario: 'soak',
        dialect: 'sqlite',
        metric: 'errors',
        value: 3,
        unit: 'requests',
        target: '0',
        met: false,
      },
      {
        scenario: 'soak',
        dialect: 'sqlite',
        metric: 'p99 all',
        value: 18.2,
        unit: 'ms',
        target: '≤ 20 ms (p99)',
        met: true,
      },
      { scenario: 'soak', dialect: 'sqlite', metric: 'not a figure', value: '12', unit: 'ms' },
    ],
  });
  // a result of an older run, without summary figures, and a file that is not JSON
  save('memory', { name: 'memory', machine: MACHINE, rssMiB: 212 });
  writeFileSync(join(dir, 'broken.json'), '{ "name": ');
}

describe('bench/summary.ts: the summary table of docs/benchmarks.md', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'estatedesk-bench-summary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('renders each figure with its unit, its share of the hello-world ceiling, its target and the date', () => {
    writeResults(dir);
    const results = readResults(dir);
    // the order first (ceiling, intake, sla, web-size), then the others by name; broken.json left out
    expect(results.map((r) => r.file)).toEqual([
      'ceiling.json',
      'intake.json',
      'sla.json',
      'web-size.json',
      'memory.json',
      'soak.json',
    ]);
    const text = renderSummary({ results, machine: MACHINE, command: 'npm run bench -- web-size' });
    const lines = text.split('\n');
    expect(text).toContain(
      'Last run: `npm run bench -- web-size` — 2026-12-01 08:00 UTC, AMD EPYC, 2 cores, 24 GiB, Node v20.20.2, SQLite 3.53.2, load average 2.4 1.4 0.6.',
    );
    expect(text).toContain('Hello-world ceiling: 30,344 req/s (2026-12-01)');
    const row = (scenario: string, metric: string) =>
      lines.find((line) => line.startsWith(`| ${scenario} |`) && line.includes(`| ${metric} |`));
    // 47.61 / 30,343.8 req/s
    expect(row('intake: POST /api/v1/tickets', 'throughput')).toBe(
      '| intake: POST /api/v1/tickets | sqlite | throughput | 47.6 req/s | 0.2 % |  |  | 2026-12-01 |',
    );
    // a share is a floor to reach, a size a ceiling not to pass
    expect(row('intake: POST /api/v1/tickets', 'of hello-world')).toBe(
      '| intake: POST /api/v1/tickets | sqlite | of hello-world | 0.16 % |  | ≥ 30 % | **missed** | 2026-12-01 |',
    );
    expect(row('web: login page', 'JS gzip')).toBe(
      '| web: login page | – | JS gzip | 345.8 KB |  | ≤ 350 KB | met | 2026-12-01 |',
    );
    expect(row('web: agent console, first screen', 'JS gzip')).toContain(
      '| 471.3 KB |  | ≤ 350 KB | **missed** |',
    );
    expect(row('sla: due → fired, 100 open clocks', 'delay p95')).toBe(
      '| sla: due → fired, 100 open clocks | sqlite | delay p95 | 25 ms |  |  |  | 2026-12-01 |',
    );
    expect(row('soak', 'errors')).toBe(
      '| soak | sqlite | errors | 3 requests |  | ≤ 0 requests | **missed** |  |',
    );
    expect(row('soak', 'p99 all')).toContain('| 18.2 ms |  | ≤ 20 ms (p99) | met |');
    // a row that is not a figure is left out
    expect(text).not.toContain('not a figure');
    expect(text).toContain('Without summary figures (see their sections below): memory.json.');
  });

  it('puts the markers right after the first paragraph once, then replaces only what is between them', () => {
    const original = readFileSync(join(root, 'docs', 'benchmarks.md'), 'utf8');
    const withoutTable = original.includes(START)
      ? original.slice(0, original.indexOf(START)) + original.slice(original.indexOf(END) + END.length)
      : original;
    const first = replaceSummary(withoutTable, 'table one');
    const [before, rest] = first.split(`${START}\ntable one\n${END}`) as [string, string];
    // after the title and the first paragraph; everything else as it was
    expect(before.startsWith('# Benchmarks\n\n')).toBe(true);
    expect(before.trimEnd().split('\n\n')).toHaveLength(2);
    expect(before.trimEnd() + rest).toBe(withoutTable);

    const second = replaceSummary(first, 'table two');
    expect(second).toBe(first.replace('table one', 'table two'));
    expect(() => replaceSummary(`# B\n\ntext\n\n${START}\nno end\n`, 'x')).toThrow(/one summary marker/);
    expect(replaceSummary('', 'x')).toBe(`\n\n${START}\nx\n${END}\n`);
  });

  it('reads the figures of the scripts from what they print', () => {
    expect(scriptSummary('import', { figures: {}, tables: [], output: IMPORT_OUTPUT })).toEqual([
      {
        scenario: 'import: dry run (50 rows .xlsx)',
        dialect: 'sqlite',
        metric: 'rows/s',
        value: 89,
        unit: 'rows/s',
      },
      {
        scenario: 'import: commit (50 rows .xlsx)',
        dialect: 'sqlite',
        metric: 'rows/s',
        value: 128,
        unit: 'rows/s',
      },
    ]);
    // at 1,000,000 residents the lookup target applies: p99 ≤ 20 ms
    const search: SummaryRow[] = scriptSummary('search', {
      figures: {},
      tables: printedTables(SEARCH_OUTPUT),
      output: SEARCH_OUTPUT,
    });
    expect(search).toEqual([
      {
        scenario: 'lookup: 尾号 (4 digits) (agent, 1,000,000 residents)',
        dialect: 'postgres',
        metric: 'p99',
        value: 7.88,
        unit: 'ms',
        target: 20,
        met: true,
      },
      {
        scenario: 'lookup: name (surname + first given char) (admin, 1,000,000 residents)',
        dialect: 'postgres',
        metric: 'p99',
        value: 44.95,
        unit: 'ms',
        target: 20,
        met: false,
      },
    ]);
    // output in another shape gives no figures (and the bench then fails: bench/index.ts)
    expect(scriptSummary('sla', { figures: {}, tables: [], output: 'something else' })).toEqual([]);
    expect(formatValue(30343.77)).toBe('30,344');
    expect(formatValue(0.0938)).toBe('0.09');
  });

  it('in smoke mode writes BENCH_RESULTS_DIR/benchmarks.md, from docs/benchmarks.md, which it leaves alone', async () => {
    writeResults(dir);
    const docs = join(root, 'docs', 'benchmarks.md');
    const docsBefore = readFileSync(docs, 'utf8');
    const saved = { smoke: process.env.BENCH_SMOKE, dir: process.env.BENCH_RESULTS_DIR };
    process.env.BENCH_SMOKE = '1';
    process.env.BENCH_RESULTS_DIR = dir;
    try {
      const file = await writeSummary({ machine: MACHINE, command: 'npm run bench -- summary' });
      expect(file).toBe(join(dir, 'benchmarks.md'));
      const written = readFileSync(file, 'utf8');
      expect(written).toContain('| web: login page | – | JS gzip | 345.8 KB |');
      expect(written).toContain('## Ceiling and intake');
      // a second run replaces its own table
      await writeSummary({ machine: MACHINE, command: 'npm run bench -- summary' });
      expect(readFileSync(file, 'utf8')).toBe(written);
    } finally {
      if (saved.smoke === undefined) delete process.env.BENCH_SMOKE;
      else process.env.BENCH_SMOKE = saved.smoke;
      if (saved.dir === undefined) delete process.env.BENCH_RESULTS_DIR;
      else process.env.BENCH_RESULTS_DIR = saved.dir;
    }
    expect(readFileSync(docs, 'utf8')).toBe(docsBefore);
  });
});
