/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [<name>…]` runs the named ones.
 * Each prints its table and writes bench/results/<name>.json (or under BENCH_RESULTS_DIR) with the
 * machine (CPU, cores, RAM, Node, SQLite and PostgreSQL versions, date), the sizes and the figures.
 * BENCH_SMOKE=1 runs at tiny sizes (CI's smoke test, test/bench-smoke.test.ts): it checks that the
 * benchmarks work, not how fast anything is.
 *
 *   ceiling        bare Fastify hello-world (autocannon) and raw insert rate, 1 row per transaction
 *   intake         POST /api/v1/tickets with an API token, vs the ceiling measured in the same run
 *   web-size       gzip size of the JS and CSS the login page and the agent console load
 *   http           bench/run.ts: queue view, resident search and intake with a session (own load loop)
 *   search         bench/search.ts: resident search at 1,000,000 residents
 *   import         bench/import.ts: a 100,000-row .xlsx import
 *   sla            bench/sla.ts: the SLA scheduler as open clocks grow
 *   language       bench/language.ts: the service-language checker
 *   business-time  bench/business-time.ts: deadline arithmetic
 *
 * BENCH_DATABASE_URL (a PostgreSQL server URL) adds PostgreSQL wherever a benchmark supports it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ceilingRows, loadSettings, measureCeiling } from './ceiling.js';
import { describeMachine, envWhole, machine, resultsDir, table, writeResult } from './common.js';
import { intake } from './intake.js';
import { ensureWebBuild, measureWeb, webRows } from './web-size.js';

const root = join(import.meta.dirname, '..');
const SMOKE = process.env.BENCH_SMOKE === '1';
const PG_URL = process.env.BENCH_DATABASE_URL?.trim() || null;

if (SMOKE) {
  process.env.BENCH_LOAD_CONNECTIONS ??= '2';
  process.env.BENCH_LOAD_SECONDS ??= '1';
  process.env.BENCH_WARMUP_SECONDS ??= '0';
  process.env.BENCH_RESIDENTS ??= '50';
  process.env.BENCH_TICKETS ??= '0';
}

/** The existing stand-alone scripts, run as they are in a child process. */
const SCRIPTS: Record<string, string> = {
  http: 'run.ts',
  search: 'search.ts',
  import: 'import.ts',
  sla: 'sla.ts',
  language: 'language.ts',
  'business-time': 'business-time.ts',
};

const BENCHES: Record<string, () => Promise<boolean>> = {
  async ceiling() {
    const settings = loadSettings();
    const ceiling = await measureCeiling(settings, PG_URL);
    console.log(table(ceilingRows(ceiling)));
    writeResult('ceiling', { name: 'ceiling', machine: await machine(PG_URL), ...ceiling });
    return ceiling.helloWorld.expected > 0 && Object.keys(ceiling.helloWorld.unexpected).length === 0;
  },

  async intake() {
    const settings = loadSettings();
    const residents = envWhole('BENCH_RESIDENTS', 10_000, 50, 1_000_000);
    const tickets = envWhole('BENCH_TICKETS', Math.round(residents / 2), 0, 1_000_000);
    console.log(
      `ceiling first: ${settings.connections} connections, ${settings.seconds} s (+${settings.warmupSeconds} s warm-up)`,
    );
    const ceiling = await measureCeiling(settings, PG_URL);
    const hello = ceiling.helloWorld;
    console.log(`  hello-world ${hello.rps.toFixed(0)} req/s, p50 ${hello.p50} ms, p99 ${hello.p99} ms`);
    const runs = [];
    for (const dialect of PG_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
      const result = await intake({
        dialect,
        pgAdminUrl: PG_URL,
        residents,
        tickets,
        settings,
        log: (line) => console.log(line),
      });
      for (const problem of result.problems) console.error(`  ${dialect}: ${problem}`);
      runs.push({ ...result, percentOfCeiling: (100 * result.load.rps) / hello.rps });
    }
    const pct = (rps: number) => `${((100 * rps) / hello.rps).toFixed(1)} %`;
    console.log(
      `\n${table([
        [
          'scenario',
          'conn.',
          '201s',
          'req/s',
          '% of hello-world',
          'p50 ms',
          'p99 ms',
          'rows = 201s sent + aborted',
        ],
        [
          hello.name,
          hello.connections,
          hello.expected,
          hello.rps.toFixed(0),
          '100 %',
          hello.p50,
          hello.p99,
          '–',
        ],
        ...runs.map((r) => [
          r.load.name,
          r.load.connections,
          r.load.expected,
          r.load.rps.toFixed(0),
          pct(r.load.rps),
          r.load.p50,
          r.load.p99,
          `${r.rowsAdded} = ${r.served201} + ${r.rowsAdded - r.served201} (≤ ${r.aborted}) ${r.checked ? '✓' : '✗'}`,
        ]),
      ])}`,
    );
    console.log(
      `\n${table(ceilingRows(ceiling).filter((row) => String(row[0]).startsWith('insert') || row[0] === 'ceiling'))}`,
    );
    const m = await machine(PG_URL);
    writeResult('ceiling', { name: 'ceiling', machine: m, ...ceiling });
    writeResult('intake', {
      name: 'intake',
      machine: m,
      sizes: { residents, tickets, ...settings },
      ceiling,
      runs,
    });
    return runs.every((r) => r.checked);
  },

  async 'web-size'() {
    const groups = measureWeb(ensureWebBuild(root));
    console.log(table(webRows(groups)));
    writeResult('web-size', { name: 'web-size', machine: await machine(), groups });
    return groups[0]!.jsGzipBytes > 0;
  },
};

for (const [name, script] of Object.entries(SCRIPTS)) {
  BENCHES[name] = async () => {
    if (SMOKE) {
      console.log(`${name}: not run in smoke mode`);
      return true;
    }
    // run.ts writes its JSON itself (BENCH_OUT), language.ts its own file: both are kept, with
    // the machine added; the others' printed tables are kept as they are
    const out = join(resultsDir(), `${name}.json`);
    const own =
      name === 'http'
        ? `${out}.tmp`
        : name === 'language'
          ? join(root, 'bench', 'results', 'language.json')
          : null;
    mkdirSync(resultsDir(), { recursive: true });
    let output = '';
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', script)], {
        cwd: root,
        env: { ...process.env, ...(name === 'http' ? { BENCH_OUT: own! } : {}) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        output += chunk.toString();
      });
      child.once('error', reject);
      child.once('exit', (exit) => resolve(exit ?? 1));
    });
    const figures = own && existsSync(own) ? JSON.parse(readFileSync(own, 'utf8')) : { output };
    if (name === 'http' && own) rmSync(own, { force: true });
    writeResult(name, { name, machine: await machine(PG_URL), exitCode: code, ...figures });
    return code === 0;
  };
}

async function main() {
  const asked = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = asked.filter((name) => !(name in BENCHES));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  // everything: the ceiling is measured by intake, in the same run
  const names = asked.length ? asked : Object.keys(BENCHES).filter((n) => n !== 'ceiling');
  console.log(describeMachine(await machine(PG_URL)));
  let ok = true;
  for (const name of names) {
    console.log(`\n## ${name}\n`);
    if (!(await BENCHES[name]!())) {
      console.error(`${name}: FAILED`);
      ok = false;
    }
  }
  console.log(`\nresults in ${resultsDir()}`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
