/**
 * The summary table of docs/benchmarks.md, from every bench/results/*.json (or BENCH_RESULTS_DIR)
 * that holds `summary` rows: the absolute figure, its percentage of the hello-world ceiling where it
 * is a rate of requests (req/s, with ceiling.json), the target and whether it is met, the date it
 * was measured. It replaces only what is between the two markers below in docs/benchmarks.md (put
 * right after the first paragraph when absent); with BENCH_SMOKE=1 it writes
 * BENCH_RESULTS_DIR/benchmarks.md instead, so that the smoke test never touches docs/.
 *
 * Runs at the end of every `npm run bench` (bench/index.ts), and alone: `npm run bench -- summary`
 * or `npx tsx bench/summary.ts`.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeMachine, type Machine, machine, resultsDir } from './common.js';

/** One figure of a benchmark, as each bench writes them in its JSON's `summary`. */
export interface SummaryRow {
  scenario: string;
  /** sqlite, postgres, or – where no database is involved. */
  dialect: string;
  metric: string;
  value: number;
  unit: string;
  /** A number in the row's unit, or a text such as "≤ 20 ms" (written as it is). */
  target?: number | string;
  met?: boolean;
}

export interface ResultFile {
  /** bench/results/<file> */
  file: string;
  machine?: Machine;
  summary?: SummaryRow[];
  /** ceiling.json: the bare Fastify hello-world's requests per second. */
  helloWorldRps?: number;
}

export const START = '<!-- bench:summary:start -->';
export const END = '<!-- bench:summary:end -->';

/** The benchmarks in the order of issue 9's list; any other after them, by name. */
const ORDER = [
  'ceiling',
  'intake',
  'scale',
  'http',
  'search',
  'sla',
  'import',
  'web-size',
  'language',
  'business-time',
];

function isRow(value: unknown): value is SummaryRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return (
    typeof row.scenario === 'string' &&
    typeof row.dialect === 'string' &&
    typeof row.metric === 'string' &&
    typeof row.value === 'number' &&
    typeof row.unit === 'string' &&
    (row.target === undefined || typeof row.target === 'number' || typeof row.target === 'string') &&
    (row.met === undefined || typeof row.met === 'boolean')
  );
}

/** Every result file of the directory (those that are not JSON objects are left out, with a warning). */
export function readResults(dir: string): ResultFile[] {
  if (!existsSync(dir)) return [];
  const rank = (file: string) => {
    const index = ORDER.indexOf(file.replace(/\.json$/, ''));
    return index < 0 ? ORDER.length : index;
  };
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .flatMap((file): ResultFile[] => {
      try {
        const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
        const summary = Array.isArray(data.summary) ? data.summary.filter(isRow) : undefined;
        const hello = data.helloWorld as { rps?: unknown } | undefined;
        const helloWorldRps = typeof hello?.rps === 'number' && hello.rps > 0 ? hello.rps : undefined;
        return [{ file, machine: data.machine as Machine | undefined, summary, helloWorldRps }];
      } catch (error) {
        console.error(`summary: ${file} is left out: ${(error as Error).message}`);
        return [];
      }
    });
}

/** 1,234 · 345.8 · 0.42: whole above 1,000, one decimal above 10, two below. */
export function formatValue(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

/** A rate (req/s, rows/s, %) is a floor to reach; everything else (ms, KB, MB) a ceiling. */
function higherIsBetter(unit: string): boolean {
  return unit.endsWith('/s') || unit === '%';
}

export interface SummaryContext {
  results: ResultFile[];
  /** The machine of this run and the command that ran it. */
  machine: Machine;
  command: string;
}

/** The markdown between the markers: where the figures come from, then the table. */
export function renderSummary({ results, machine: m, command }: SummaryContext): string {
  const ceiling = results.find((r) => r.file === 'ceiling.json');
  const helloRps = ceiling?.helloWorldRps ?? null;
  const lines = [
    '### Summary',
    '',
    `The latest figure of each benchmark in \`bench/results/\`, written by \`bench/summary.ts\` at the end of`,
    'every `npm run bench` (this part of the file only: the rest is written by hand). Each figure was',
    'measured on the date shown, on the machine recorded in its JSON.',
    '',
    `Last run: \`${command}\` — ${describeMachine(m)}.`,
  ];
  if (helloRps !== null)
    lines.push(
      `Hello-world ceiling: ${formatValue(helloRps)} req/s (${ceiling?.machine?.date.slice(0, 10) ?? '?'}); ` +
        'a rate of requests is also given as a percentage of it.',
    );
  const rows = results.flatMap((r) => (r.summary ?? []).map((row) => ({ row, result: r })));
  lines.push('');
  if (rows.length === 0) {
    lines.push('No benchmark has written summary figures yet: run `npm run bench`.');
  } else {
    lines.push(
      '| scenario | database | metric | value | % of hello-world | target | | measured |',
      '|---|---|---|---:|---:|---|---|---|',
    );
    for (const { row, result } of rows) {
      const pct = row.unit === 'req/s' && helloRps ? `${((100 * row.value) / helloRps).toFixed(1)} %` : '';
      const target = targetText(row);
      const met = row.met === undefined ? '' : row.met ? 'met' : '**missed**';
      lines.push(
        `| ${cell(row.scenario)} | ${cell(row.dialect)} | ${cell(row.metric)} | ` +
          `${formatValue(row.value)} ${cell(row.unit)} | ${pct} | ${target} | ${met} | ` +
          `${result.machine?.date.slice(0, 10) ?? ''} |`,
      );
    }
  }
  const without = results.filter((r) => !r.summary?.length && r.file !== 'ceiling.json').map((r) => r.file);
  if (without.length)
    lines.push('', `Without summary figures (see their sections below): ${without.join(', ')}.`);
  return lines.join('\n');
}

/** "≤ 350 KB", "≥ 30 %": a number gets the row's unit and the direction its unit implies. */
function targetText({ target, unit }: SummaryRow): string {
  if (target === undefined) return '';
  const value = typeof target === 'number' ? target : Number(target.trim());
  if (typeof target === 'string' && (target.trim() === '' || !Number.isFinite(value))) return cell(target);
  return `${higherIsBetter(unit) ? '≥' : '≤'} ${formatValue(value)} ${cell(unit)}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The document with the block between the markers replaced; without markers, they are put right
 * after the first paragraph (the first lines of text that are not a heading), the rest untouched.
 */
export function replaceSummary(document: string, block: string): string {
  const wrapped = `${START}\n${block}\n${END}`;
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start >= 0 && end > start) return document.slice(0, start) + wrapped + document.slice(end + END.length);
  if (start >= 0 || end >= 0) throw new Error(`docs/benchmarks.md has one summary marker without the other`);
  const lines = document.split('\n');
  let i = lines.findIndex((line) => line.trim() !== '' && !line.startsWith('#'));
  if (i < 0) return `${document.replace(/\n*$/, '\n\n')}${wrapped}\n`;
  while (i < lines.length && lines[i]!.trim() !== '') i++;
  return [...lines.slice(0, i), '', wrapped, ...lines.slice(i)].join('\n');
}

/** Where the summary goes: docs/benchmarks.md, or the results directory in smoke mode. */
export function summaryTarget(): { read: string; write: string } {
  const docs = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
  if (process.env.BENCH_SMOKE !== '1') return { read: docs, write: docs };
  const write = join(resultsDir(), 'benchmarks.md');
  return { read: existsSync(write) ? write : docs, write };
}

/** Renders the summary of the results directory into the document; returns the file written. */
export async function writeSummary(options: { machine?: Machine; command: string }): Promise<string> {
  const { read, write } = summaryTarget();
  const block = renderSummary({
    results: readResults(resultsDir()),
    machine: options.machine ?? (await machine(process.env.BENCH_DATABASE_URL?.trim() || null)),
    command: options.command,
  });
  writeFileSync(write, replaceSummary(readFileSync(read, 'utf8'), block));
  return write;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeSummary({ command: 'npx tsx bench/summary.ts' })
    .then((file) => console.log(`summary written to ${file}`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
