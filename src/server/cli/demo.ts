import { buildServices } from '../app.js';
import { DEMO_COMPANY, type DemoResult, generateDemo } from '../modules/demo/demo.generator.js';
import { systemClock } from '../platform/clock.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrate.js';

/**
 * `npm run demo`: loads the demo company (演示数据) into the configured database so a newcomer
 * can try everything at once. Running it again changes nothing.
 */
async function run() {
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
    const services = buildServices(database, config, systemClock);
    const admin = await services.auth.ensureAdmin(config.adminPassword);
    if (admin.created && admin.password) {
      console.log(
        `\n  已创建管理员账号 admin，初始密码 ${admin.password}\n  Created user "admin" with password ${admin.password} (you must change it at first login)\n`,
      );
    }

    const where = database.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL';
    console.log(`正在导入演示数据 / loading demo data (${where})…`);
    const result = await generateDemo(services);
    console.log(summary(result));
  } finally {
    await database.close();
  }
}

function summary(r: DemoResult): string {
  const codes = r.communities.map((c) => `${c.name} (${c.code})`).join('、');
  if (r.alreadyPresent) {
    return [
      `演示数据已存在，未做任何修改：${codes}。`,
      `Demo data is already there, nothing was changed: ${codes}.`,
    ].join('\n');
  }
  const c = r.counts;
  const seconds = (r.elapsedMs / 1000).toFixed(1);
  const lines = [
    '',
    `演示数据已导入（${seconds} 秒）：${DEMO_COMPANY.name}，${codes}`,
    `  ${c.buildings} 栋楼 / ${c.units} 个单元 / ${c.rooms} 间房屋 / ${c.publicAreas} 处公共区域`,
    `  ${c.residents} 位住户，${c.staff} 名员工，${c.tickets} 张工单`,
    `Demo data loaded in ${seconds} s: ${c.buildings} buildings, ${c.units} units, ${c.rooms} rooms, ` +
      `${c.publicAreas} public areas, ${c.residents} residents, ${c.staff} staff, ${c.tickets} requests.`,
    '',
    `演示账号（用户名或工号登录，密码均为 ${r.password}）`,
    `Demo logins (username or employee no.; every password is ${r.password}):`,
  ];
  for (const s of r.staff) {
    const scope = s.communities === 'all' ? 'all' : s.communities.join(',');
    lines.push(
      `  ${s.username.padEnd(14)} ${s.employeeNo.padEnd(6)} ${s.name}\t${s.roles.join(',')} [${scope}]`,
    );
  }
  if (r.skippedStaff.length) {
    lines.push(`已存在、未修改 / already present, left alone: ${r.skippedStaff.join(', ')}`);
  }
  lines.push('', '启动 / start: npm start');
  return lines.join('\n');
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
