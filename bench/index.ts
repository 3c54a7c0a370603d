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
 *   scale          bench/scale.ts: the large operator (bulk generator): queue and lookup p99, server RSS
 *   summary        bench/summary.ts: the summary table of docs/benchmarks.md (also after every run)
 *
 * BENCH_DATABASE_URL (a PostgreSQL server URL) adds PostgreSQL wherever a benchmark supports it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ceilingRows, ceilingSummary, loadSettings, measureCeiling } from './ceiling.js';
import { describeMachine, envWhole, machine, resultsDir, table, writeResult } from './common.js';
import { intake, intakeSummary, type PeerResult, peerIntake, peerSettings } from './intake.js';
import { printedTables, scriptSummary } from './script-figures.js';
import { writeSummary } from './summary.js';
import { ensureWebBuild, measureWeb, webRows, webSummary } from './web-size.js';

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

/**
 * The existing stand-alone scripts, run as they are in a child process; in smoke mode at tiny
 * sizes (their own environment variables; BENCH_RESIDENTS and BENCH_TICKETS are set above).
 */
const SCRIPTS: Record<string, { script: string; smoke: Record<string, string> }> = {
  http: { script: 'run.ts', smoke: { BENCH_CONNECTIONS: '1', BENCH_REQUESTS: '10', BENCH_SECONDS: '1' } },
  search: { script: 'search.ts', smoke: { BENCH_REQUESTS: '5' } },
  import: { script: 'import.ts', smoke: { BENCH_IMPORT_ROWS: '50' } },
  sla: { script: 'sla.ts', smoke: { BENCH_SLA_SIZES: '100' } },
  language: { script: 'language.ts', smoke: { BENCH_LANGUAGE_RUNS: '200' } },
  'business-time': { script: 'business-time.ts', smoke: { BENCH_ROUNDS: '1', BENCH_CALLS: '200' } },
};

const BENCHES: Record<string, () => Promise<boolean>> = {
  async ceiling() {
    const settings = loadSettings();
    const ceiling = await measureCeiling(settings, PG_URL);
    console.log(table(ceilingRows(ceiling)));
    writeResult('ceiling', {
      name: 'ceiling',
      machine: await machine(PG_URL),
      ...ceiling,
      summary: ceilingSummary(ceiling),
    });
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
    // the optional peer (PEER_TICKETS_URL, PEER_API_KEY): osTicket's API, same load, same run
    const peerTarget = peerSettings();
    let peer: PeerResult | null = null;
    if (peerTarget) {
      console.log(`peer: ${peerTarget.url}…`);
      peer = await peerIntake(peerTarget, settings);
      for (const problem of peer.problems) console.error(`  peer: ${problem}`);
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
          'server p50 / p99 ms',
          'writes per commit',
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
          '–',
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
          `${r.server.p50} / ${r.server.p99}`,
          r.groupCommit ? (r.groupCommit.writes / Math.max(1, r.groupCommit.commits)).toFixed(1) : '–',
          `${r.rowsAdded} = ${r.served201} + ${r.rowsAdded - r.served201} (≤ ${r.aborted}) ${r.checked ? '✓' : '✗'}`,
        ]),
        ...(peer
          ? [
              [
                peer.load.name,
                peer.load.connections,
                peer.load.expected,
                peer.load.rps.toFixed(0),
                pct(peer.load.rps),
                peer.load.p50,
                peer.load.p99,
                '–',
                '–',
                peer.checked ? 'all 201 ✓' : '✗',
              ],
            ]
          : []),
      ])}`,
    );
    if (peer)
      for (const r of runs)
        console.log(
          `EstateDesk (${r.dialect}) / peer: ${(peer.load.rps > 0 ? r.load.rps / peer.load.rps : 0).toFixed(2)} × the peer's throughput`,
        );
    console.log(
      `\n${table(ceilingRows(ceiling).filter((row) => String(row[0]).startsWith('insert') || row[0] === 'ceiling'))}`,
    );
    const m = await machine(PG_URL);
    writeResult('ceiling', { name: 'ceiling', machine: m, ...ceiling, summary: ceilingSummary(ceiling) });
    writeResult('intake', {
      name: 'intake',
      machine: m,
      sizes: { residents, tickets, ...settings },
      ceiling,
      runs,
      peer,
      summary: intakeSummary(runs, hello.rps, peer),
    });
    return runs.every((r) => r.checked) && (peer?.checked ?? true);
  },

  async 'web-size'() {
    const groups = measureWeb(ensureWebBuild(root));
    console.log(table(webRows(groups)));
    writeResult('web-size', {
      name: 'web-size',
      machine: await machine(),
      groups,
      summary: webSummary(groups),
    });
    return groups[0]!.jsGzipBytes > 0;
  },
};

for (const [name, { script, smoke }] of Object.entries(SCRIPTS)) {
  BENCHES[name] = async () => {
    // run.ts and language.ts write their figures as JSON (BENCH_OUT): kept, with the machine
    // added; every script's printed tables are kept as rows of cells, with the output, and the
    // main figures as its summary (bench/script-figures.ts, for docs/benchmarks.md)
    const out = join(resultsDir(), `${name}.json`);
    const own = name === 'http' || name === 'language' ? `${out}.tmp` : null;
    mkdirSync(resultsDir(), { recursive: true });
    let output = '';
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', script)], {
        cwd: root,
        env: { ...(SMOKE ? smoke : {}), ...process.env, ...(own ? { BENCH_OUT: own } : {}) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        output += chunk.toString();
      });
      child.once('error', reject);
      child.once('exit', (exit) => resolve(exit ?? 1));
    });
    const figures = own && existsSync(own) ? JSON.parse(readFileSync(own, 'utf8')) : {};
    if (own) rmSync(own, { force: true });
    const tables = printedTables(output);
    const summary = code === 0 ? scriptSummary(name, { figures, tables, output }) : [];
    writeResult(name, {
      name,
      machine: await machine(PG_URL),
      exitCode: code,
      ...figures,
      tables,
      output,
      summary,
    });
    if (code === 0 && summary.length === 0) console.error(`${name}: no figures found in its output`);
    return code === 0 && summary.length > 0;
  };
}

/** docs/benchmarks.md's summary table, from every result so far (bench/summary.ts). */
async function summarize(): Promise<boolean> {
  const asked = process.argv.slice(2).filter((a) => a !== '--');
  const command = `npm run bench${asked.length ? ` -- ${asked.join(' ')}` : ''}`;
  const file = await writeSummary({ machine: await machine(PG_URL), command });
  console.log(`summary table written to ${file}`);
  return true;
}
// Alone (`npm run bench -- summary`) it only rewrites the table; every run ends with it anyway.
BENCHES.summary = summarize;

// the large operator: loads it with the bulk generator, measures the queue, lookups and the
// server's RSS (BENCH_COMMUNITIES / BENCH_RESIDENTS / BENCH_TICKETS; tiny in smoke mode)
BENCHES.scale = async () => (await import('./scale.js')).runScale();

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
  if (!names.includes('summary')) await summarize();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
