import { parseArgs } from 'node:util';
import { buildServices } from '../app.js';
import { type BulkResult, DEFAULT_BULK_OPTIONS, generateBulk } from '../modules/demo/bulk.js';
import { systemClock } from '../platform/clock.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrate.js';

const USAGE = `npm run generate -- [--communities N] [--residents N] [--tickets N] [--seed N]
                      [--years N] [--open-share 0.03] [--now ISO-time] [--force]

Loads a large property company (大型物业公司) into the database of DATA_DIR / DATABASE_URL in bulk:
communities with buildings, units and rooms, residents with phones and households, staff and
teams, and requests over the years with their timelines and SLA clocks. Defaults: ${DEFAULT_BULK_OPTIONS.communities}
communities, ${DEFAULT_BULK_OPTIONS.residents.toLocaleString()} residents, ${DEFAULT_BULK_OPTIONS.tickets.toLocaleString()} requests. A database that already holds communities,
residents or requests is refused unless --force (then the new company is added beside them).
Every generated member of staff has the password ${DEFAULT_BULK_OPTIONS.password}.`;

function whole(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isInteger(value) || value < 0)
    throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  return value;
}

class UsageError extends Error {}

async function run() {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`EstateDesk cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(database.db, database.dialect);
    if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
    const { db } = database;
    const holds = await Promise.all(
      (['communities', 'residents', 'tickets'] as const).map((table) =>
        db.selectFrom(table).select('id').limit(1).executeTakeFirst(),
      ),
    );
    if (holds.some(Boolean) && !args.force) {
      console.error(
        '数据库中已有数据，未做任何修改（加 --force 可在现有数据旁追加）。\n' +
          'The database already holds communities, residents or requests: nothing was changed ' +
          '(add --force to add the generated company beside them).',
      );
      process.exitCode = 1;
      return;
    }
    const services = buildServices(database, config, systemClock);
    const admin = await services.auth.ensureAdmin(config.adminPassword);
    if (admin.created && admin.password) {
      console.log(
        `\n  已创建管理员账号 admin，初始密码 ${admin.password}\n  Created user "admin" with password ${admin.password} (you must change it at first login)\n`,
      );
    }
    await services.company.ensure();
    const where = database.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL';
    console.log(
      `generating ${args.communities} communities, ${args.residents.toLocaleString()} residents, ` +
        `${args.tickets.toLocaleString()} requests into ${where}…`,
    );
    const result = await generateBulk(database, {
      communities: args.communities,
      residents: args.residents,
      tickets: args.tickets,
      seed: args.seed,
      years: args.years,
      openShare: args.openShare,
      ...(args.now ? { now: args.now } : {}),
      onProgress: (line) => console.log(line),
    });
    console.log(summary(result));
  } finally {
    await database.close();
  }
}

function parse() {
  const { values } = parseArgs({
    options: {
      communities: { type: 'string' },
      residents: { type: 'string' },
      tickets: { type: 'string' },
      seed: { type: 'string' },
      years: { type: 'string' },
      'open-share': { type: 'string' },
      now: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  const d = DEFAULT_BULK_OPTIONS;
  const years = values.years === undefined ? d.years : Number(values.years);
  if (!(years > 0 && years <= 20)) throw new UsageError('--years must be more than 0 and at most 20');
  const openShare = values['open-share'] === undefined ? d.openShare : Number(values['open-share']);
  if (!(openShare >= 0 && openShare <= 1)) throw new UsageError('--open-share must be from 0 to 1');
  const now = values.now === undefined ? null : new Date(values.now);
  if (now && Number.isNaN(now.getTime())) throw new UsageError('--now must be an ISO time');
  const communities = whole('communities', values.communities, d.communities);
  const residents = whole('residents', values.residents, d.residents);
  if (communities < 1) throw new UsageError('--communities must be at least 1');
  if (residents < communities) throw new UsageError('--residents must be at least one per community');
  return {
    communities,
    residents,
    tickets: whole('tickets', values.tickets, d.tickets),
    seed: whole('seed', values.seed, d.seed),
    years,
    openShare,
    now,
    force: values.force ?? false,
    help: values.help ?? false,
  };
}

function summary(r: BulkResult): string {
  const lines = [
    '',
    `| table | rows | insert s | index s | rows/s |`,
    `|---|---:|---:|---:|---:|`,
    ...r.tables
      .filter((t) => t.rows > 0)
      .map(
        (t) =>
          `| ${t.table} | ${t.rows.toLocaleString()} | ${t.insertSeconds.toFixed(1)} | ${t.indexSeconds.toFixed(1)} | ${Math.round(t.rowsPerSecond).toLocaleString()} |`,
      ),
    '',
    `generated and written in ${r.loadSeconds.toFixed(1)} s, indexes rebuilt in ${r.indexSeconds.toFixed(1)} s, ` +
      `ANALYZE ${r.analyzeSeconds.toFixed(1)} s — ${r.totalSeconds.toFixed(1)} s in all`,
    `requests by status: ${Object.entries(r.distributions.status)
      .map(([k, v]) => `${k} ${v.toLocaleString()}`)
      .join(', ')}`,
    '',
    `登录（密码均为 ${r.password}）/ logins (every password is ${r.password}):`,
    ...r.logins.map(
      (l) =>
        `  ${l.username.padEnd(22)} ${l.employeeNo.padEnd(10)} ${l.roles.join(',')} [${l.communities === 'all' ? 'all' : l.communities.join(',')}]`,
    ),
    `  (and the same for every other community: <code>.agent1, <code>.technician1 …)`,
  ];
  return lines.join('\n');
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
