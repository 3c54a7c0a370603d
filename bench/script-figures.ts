/**
 * The figures of the stand-alone scripts that bench/index.ts runs in a child process (run.ts,
 * search.ts, import.ts, sla.ts, language.ts, business-time.ts), read from what they print (and the
 * JSON run.ts and language.ts write): the markdown tables as rows of cells, and the main figures
 * as summary rows for docs/benchmarks.md (bench/summary.ts).
 */
import type { SummaryRow } from './summary.js';

export interface PrintedTable {
  columns: string[];
  rows: string[][];
}

/** The markdown tables in a script's output: column names and rows of cells. */
export function printedTables(output: string): PrintedTable[] {
  const tables: PrintedTable[] = [];
  let lines: string[] = [];
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
  const flush = () => {
    if (lines.length >= 2 && /^\|[\s:|-]+\|$/.test(lines[1]!))
      tables.push({ columns: cells(lines[0]!), rows: lines.slice(2).map(cells) });
    lines = [];
  };
  for (const line of output.split('\n').map((l) => l.trim())) {
    if (line.startsWith('|') && line.endsWith('|')) lines.push(line);
    else flush();
  }
  flush();
  return tables;
}

export interface ScriptRun {
  /** What the script wrote to BENCH_OUT (run.ts, language.ts), or {}. */
  figures: Record<string, unknown>;
  tables: PrintedTable[];
  output: string;
}

/** A number as printed ("1,234", "88.4"), or NaN. */
const num = (cell: string | undefined) => Number((cell ?? '').replace(/[,\s]/g, ''));

/** The rows of the first printed table that has all these columns, as records by column name. */
function rowsOf(tables: PrintedTable[], ...columns: string[]): Record<string, string>[] {
  const found = tables.find((t) => columns.every((c) => t.columns.includes(c)));
  if (!found) return [];
  return found.rows.map((row) => Object.fromEntries(found.columns.map((c, i) => [c, row[i] ?? ''])));
}

/** Issue 9: queue and lookup p99 ≤ 20 ms at full scale (1,000,000 residents). */
const LOOKUP_P99_TARGET_MS = 20;
const FULL_SCALE_RESIDENTS = 1_000_000;

interface HttpResult {
  name: string;
  connections: number;
  rps: number;
  p99: number;
}

const SUMMARIES: Record<string, (run: ScriptRun) => SummaryRow[]> = {
  /** run.ts: each scenario's p99 with one desk, its throughput with the most connections. */
  http({ figures }) {
    const environment = figures.environment as { dialect?: string } | undefined;
    const results = (figures.results as HttpResult[] | undefined) ?? [];
    const dialect = environment?.dialect ?? 'sqlite';
    const fewest = Math.min(...results.map((r) => r.connections));
    const most = Math.max(...results.map((r) => r.connections));
    return results.flatMap((r) => [
      ...(r.connections === fewest
        ? [
            {
              scenario: `http: ${r.name}`,
              dialect,
              metric: `p99, ${r.connections} conn.`,
              value: r.p99,
              unit: 'ms',
            },
          ]
        : []),
      ...(r.connections === most
        ? [
            {
              scenario: `http: ${r.name}`,
              dialect,
              metric: `throughput, ${r.connections} conn.`,
              value: r.rps,
              unit: 'req/s',
            },
          ]
        : []),
    ]);
  },

  /** search.ts: p99 of each kind of search, for the agent and the admin. */
  search({ tables, output }) {
    const heading = /resident search at ([\d,]+) residents .*? — (\w+),/.exec(output);
    const residents = num(heading?.[1]);
    const dialect = heading?.[2] ?? 'sqlite';
    const fullScale = residents >= FULL_SCALE_RESIDENTS;
    return rowsOf(tables, 'who', 'query', 'p99 ms').map((row) => ({
      scenario: `lookup: ${row.query} (${row.who?.split(' ')[0]}, ${residents.toLocaleString('en')} residents)`,
      dialect,
      metric: 'p99',
      value: num(row['p99 ms']),
      unit: 'ms',
      ...(fullScale ? { target: LOOKUP_P99_TARGET_MS, met: num(row['p99 ms']) <= LOOKUP_P99_TARGET_MS } : {}),
    }));
  },

  /** import.ts: rows per second of the dry run and of the commit, per database. */
  import({ output }) {
    const rows = Number(/sheet: (\d+) rows/.exec(output)?.[1]);
    return [...output.matchAll(/^(\w+)\s+(dry run|commit)\b.*?([\d.]+) s\s+(\d+) rows\/s$/gm)].map((m) => ({
      scenario: `import: ${m[2]} (${rows.toLocaleString('en')} rows .xlsx)`,
      dialect: m[1]!,
      metric: 'rows/s',
      value: Number(m[4]),
      unit: 'rows/s',
    }));
  },

  /** sla.ts: the idle pass and the delay to fire, at each number of open clocks. */
  sla({ tables, output }) {
    const dialect = /SLA bench on (\w+)/.exec(output)?.[1] ?? 'sqlite';
    return rowsOf(tables, 'open clocks', 'idle pass p95 ms', 'delay p95 ms').flatMap((row) => [
      {
        scenario: `sla: idle pass, ${row['open clocks']} open clocks`,
        dialect,
        metric: 'p95',
        value: num(row['idle pass p95 ms']),
        unit: 'ms',
      },
      {
        scenario: `sla: due → fired, ${row['open clocks']} open clocks`,
        dialect,
        metric: 'delay p95',
        value: num(row['delay p95 ms']),
        unit: 'ms',
      },
    ]);
  },

  /** language.ts: a check's p95 against its 1 ms requirement. */
  language({ figures }) {
    const results = figures.results as
      | { p95Ms?: number; requirementMs?: number; passed?: boolean }
      | undefined;
    if (results?.p95Ms === undefined) return [];
    return [
      {
        scenario: 'language: check of a 500-character reply',
        dialect: '–',
        metric: 'p95',
        value: results.p95Ms,
        unit: 'ms',
        ...(results.requirementMs === undefined
          ? {}
          : { target: results.requirementMs, met: results.passed === true }),
      },
    ];
  },

  /** business-time.ts: deadlines on the standard calendar, per second. */
  'business-time'({ tables }) {
    return rowsOf(tables, 'calendar', 'duration', 'ops/s')
      .filter((row) => row.calendar === 'standard')
      .map((row) => ({
        scenario: `business time: addBusinessTime ${row.duration}, standard calendar`,
        dialect: '–',
        metric: 'throughput',
        value: num(row['ops/s']),
        unit: 'ops/s',
      }));
  },
};

/** The summary rows of a script's run (none if nothing was recognised). */
export function scriptSummary(name: string, run: ScriptRun): SummaryRow[] {
  return (SUMMARIES[name]?.(run) ?? []).filter((row) => Number.isFinite(row.value));
}
