/**
 * The long crash-durability run (issue 10 §1): `npm run crash`. The real server under concurrent
 * writers, killed with SIGKILL at random moments (20 times by default) on SQLite and on a fresh
 * PostgreSQL database, and once during the PostgreSQL run PostgreSQL itself is restarted while
 * the app keeps serving. Every restart is checked (test/helpers/crash.ts); the counts go to the
 * "Crash durability" section of docs/reliability.md.
 *
 *   npm run crash -- [--kills 20] [--dialect both|sqlite|postgres] [--seed N]
 *                    [--pg-outage restart|terminate|none] [--no-docs]
 *
 * CRASH_SEED=<seed> (or --seed) replays a run's choices. ESTATEDESK_TEST_PG_URL names the
 * PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres); a database of its own is
 * created and dropped. `--pg-outage restart` runs
 * `pg_ctlcluster --skip-systemctl-redirect <version> main restart` (root, Debian's
 * postgresql-common): every other user of that server loses its connections for a few seconds.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { type CrashOptions, type CrashReport, runCrashRounds } from '../test/helpers/crash.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    dialect: { type: 'string', default: 'both' },
    seed: { type: 'string' },
    'pg-outage': { type: 'string', default: 'restart' },
    'no-docs': { type: 'boolean', default: false },
  },
});

const kills = Number(values.kills);
const seed = Number(values.seed ?? process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const adminUrl = process.env.ESTATEDESK_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const dialects = values.dialect === 'both' ? (['sqlite', 'postgres'] as const) : [values.dialect];
const outageKind = values['pg-outage'];
if (!Number.isInteger(kills) || kills < 1) throw new Error('--kills must be a whole number ≥ 1');
if (!dialects.every((d) => d === 'sqlite' || d === 'postgres'))
  throw new Error('--dialect must be both, sqlite or postgres');
if (!['restart', 'terminate', 'none'].includes(outageKind!))
  throw new Error('--pg-outage must be restart, terminate or none');

const log = (line: string) => console.log(`[crash ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function onPostgres(): Promise<{ url: string; version: string; drop: () => Promise<void> }> {
  const name = `estatedesk_crash_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = String((await admin.query('show server_version')).rows[0].server_version);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    version,
    async drop() {
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

/** The cluster's version directory under /etc/postgresql (Debian's layout), for pg_ctlcluster. */
function clusterVersion(): string {
  const versions = readdirSync('/etc/postgresql');
  if (versions.length !== 1)
    throw new Error(`expected one PostgreSQL version in /etc/postgresql, found ${versions}`);
  return versions[0]!;
}

const results: { report: CrashReport; engine: string }[] = [];
const loadBefore = loadavg();
const startedAt = new Date();
log(
  `seed ${seed} (replay: CRASH_SEED=${seed}), ${kills} kills per dialect, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
);

for (const dialect of dialects) {
  const dataDir = mkdtempSync(join(tmpdir(), `estatedesk-crash-${dialect}-`));
  const database = dialect === 'postgres' ? await onPostgres() : null;
  try {
    const options: CrashOptions = {
      dialect,
      dataDir,
      databaseUrl: database?.url ?? null,
      kills,
      seed,
      roundMs: [2000, 6000],
      log,
    };
    if (dialect === 'postgres' && outageKind !== 'none') {
      const round = Math.max(1, Math.ceil(kills * 0.6));
      options.databaseOutage =
        outageKind === 'restart'
          ? {
              round,
              kind: 'restart',
              command: ['pg_ctlcluster', '--skip-systemctl-redirect', clusterVersion(), 'main', 'restart'],
            }
          : { round, kind: 'terminate', adminUrl, outageMs: 3000 };
    }
    const report = await runCrashRounds(options);
    const engine =
      dialect === 'postgres'
        ? `PostgreSQL ${database!.version}`
        : `SQLite ${(new SQLite(':memory:').prepare('select sqlite_version() as v').get() as { v: string }).v}`;
    results.push({ report, engine });
    log(`${dialect}: ${JSON.stringify({ ...report, problems: report.problems.length })}`);
    for (const p of report.problems.slice(0, 20)) log(`PROBLEM ${p.slice(0, 1500)}`);
  } finally {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadAfter = loadavg();
const problems = results.reduce((n, r) => n + r.report.problems.length, 0);
if (!values['no-docs']) writeDocs();
log(
  problems
    ? `${problems} problems: see above`
    : 'no problems: every acknowledged write was there after every kill',
);
process.exit(problems ? 1 : 0);

function writeDocs() {
  const path = join(import.meta.dirname, '..', 'docs', 'reliability.md');
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average ${loadBefore[0]!.toFixed(2)} at the start and ${loadAfter[0]!.toFixed(2)} at the end (the machine was shared with other work)`;
  const rows = results.map(({ report: r, engine }) => {
    return `| ${engine} | ${r.kills} | ${r.cleanStarts} / ${r.starts} | ${r.acknowledged} | ${r.inFlightAtKill} | ${r.refusedWhileDown} | ${r.createRetries} (${r.createRetriesReplayed} replayed) | ${r.recordsVerified} | ${r.verifications} | ${r.problems.length} | ${Math.round(r.durationMs / 1000)} s |`;
  });
  const outages = results.flatMap(({ report: r, engine }) => {
    const o = r.outage;
    if (!o) return [];
    const what =
      o.kind === 'restart' ? 'PostgreSQL was restarted' : 'every connection was ended and new ones refused';
    return [
      `- **${engine}, round ${Math.max(1, Math.ceil(kills * 0.6))}: ${what}** (\`pg_ctlcluster --skip-systemctl-redirect <version> main restart\`) while the clients kept writing. ` +
        `The app process ${o.serverStayedUp ? 'stayed up' : 'DIED'}; \`/readyz\` was unavailable for ${(o.unavailableMs / 1000).toFixed(1)} s ` +
        `(${Object.entries(o.readyzStatuses)
          .map(([s, n]) => `${n}× ${s}`)
          .join(', ')}) and came back by itself. While the database was away the clients got ` +
        `${
          Object.entries(o.clientStatuses)
            .map(([s, n]) => `${n}× ${s}`)
            .join(', ') || 'no errors'
        }` +
        `${
          Object.keys(o.clientErrorCodes).length
            ? ` (codes ${Object.entries(o.clientErrorCodes)
                .map(([c, n]) => `${n}× ${c}`)
                .join(', ')})`
            : ''
        }; ${o.acknowledgedDuring} writes were acknowledged around the outage, and ` +
        `${o.verifiedAfter ? 'all of them were there when checked right after it' : 'the check right after it FAILED'}. ` +
        `A staff alert queued after the outage was ${o.backgroundLoopsAlive ? 'picked up by the outbox dispatcher (its background loop survived)' : 'NOT picked up by the outbox dispatcher'}.`,
    ];
  });
  const section = [
    '## Crash durability',
    '',
    `\`npm run crash\` (scripts/crash.ts, harness test/helpers/crash.ts), last run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, seed ${seed} (replay: \`CRASH_SEED=${seed} npm run crash\`).`,
    `Machine: ${machine}.`,
    '',
    'Six clients (4 desk agents, 2 technicians, console sessions) write at once: tickets (with an',
    'Idempotency-Key), every lifecycle step (dispatch, accept, arrive, start, hold with and without',
    'a clock-stopping reason, resume, complete, close, escalate, cancel), internal notes, and',
    'messages (留言, read back). After 2–6 s the server is killed with SIGKILL, restarted on the same',
    'database, and must start cleanly (a "listening" line, no migration applied, no error logged,',
    '`/readyz` 200). A separate connection then reads the database in one transaction and checks it',
    "against every client's ledger and against itself: each acknowledged write present exactly once,",
    "in the order it was acknowledged; each ticket's status the last acknowledged step's (or a later",
    "unanswered one's); its version and status what its timeline leads to; an audit record for every",
    'step and no audit record without its step; the SLA clocks its timeline implies, open or ended;',
    'messages with their audit record and alert; no orphan rows; SQLite `integrity_check` and',
    '`foreign_key_check` clean. Creates left unanswered by a kill are sent again with the same',
    'Idempotency-Key: a committed one must come back as the same ticket.',
    '',
    '| Database | Kills | Clean starts | Writes acknowledged | In flight at kill | Refused while down | Creates retried | Records verified | Checks | Problems | Time |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...(outages.length ? [...outages, ''] : []),
    '`npm test` runs the short version (test/api/crash.test.ts): 3 kills per dialect, and on',
    "PostgreSQL the test database's connections ended and refused for 3 s while the app runs;",
    'test/helpers/crash.test.ts shows the checker finds each kind of damage (a lost step, a lost',
    'status change, a missing audit record, a duplicate, steps out of order, a wrong SLA clock, an',
    'orphan, a lost ticket or message, a create done twice).',
    '',
    'Found and fixed: when PostgreSQL ended a connection that was checked out of the pool (a',
    'restart, or an admin ending the backend, between two queries of a transaction), node-postgres',
    "emitted an `error` event nobody listened to and the server process died (\"Unhandled 'error'",
    'event"). `openDatabase` (src/server/platform/db/database.ts) now listens on every connection:',
    'the request in hand fails with an error answer and the pool replaces the connection',
    '(regression test src/server/platform/db/connection-loss.test.ts).',
    '',
  ].join('\n');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '# Reliability\n\nWhat is tested to show that nothing is lost, and the last results.\n';
  }
  // replace this section only: other sections of the file belong to other runs
  const start = text.indexOf('## Crash durability');
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + 1);
    text = text.slice(0, start) + section + (next >= 0 ? text.slice(next + 1) : '');
  } else {
    text = `${text.trimEnd()}\n\n${section}`;
  }
  writeFileSync(path, text);
  log(`wrote ${path}`);
}
