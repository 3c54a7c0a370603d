import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * Quality spot checks (抽查, §6 R39): the score sheet (每项满分与扣分标准, versioned: editing writes
 * a new version and every check keeps the version it was scored on), the requests and calls drawn
 * for checking each week per community, and the checks with the agent's acknowledgement.
 */

/** The default sheet: 100 points, deductions in the style of the 5S rules of seed [001] (扣 N 分/次). */
export const DEFAULT_QA_ITEMS = [
  {
    key: 'greeting',
    name: '问候与开场',
    maxPoints: 15,
    deductions: '未使用标准问候语扣2分/次；未报工号扣1分/次；响铃三声后接听未致歉扣1分/次',
  },
  {
    key: 'accuracy',
    name: '答复准确',
    maxPoints: 25,
    deductions: '答复错误或凭记忆答复扣5分/次；房号、电话、诉求记录错误扣2分/处；未核实住户身份扣2分/次',
  },
  {
    key: 'attitude',
    name: '服务态度',
    maxPoints: 20,
    deductions: '语气生硬、不耐烦扣3分/次；打断住户讲话扣2分/次；先于住户挂机扣2分/次',
  },
  {
    key: 'language',
    name: '服务用语',
    maxPoints: 20,
    deductions: '使用服务禁用语扣5分/次；质问、命令式语气扣2分/次；未使用礼貌用语扣1分/次',
  },
  {
    key: 'timeliness',
    name: '处理及时',
    maxPoints: 10,
    deductions: '未在时限内响应扣2分/次；未按承诺时间回复住户扣3分/次',
  },
  {
    key: 'record',
    name: '记录完整',
    maxPoints: 10,
    deductions: '工单要素缺项扣1分/项；处理过程未记录扣2分/次；未按规定回访或关单扣1分/次',
  },
];

/** The seeded sheet's id: a fixed UUIDv7-shaped value, so every install starts with the same one. */
export const DEFAULT_QA_SHEET_ID = '01900000-0000-7000-8000-00000000a001';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  await db.schema
    .createTable('qa_sheets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON array of { key, name, maxPoints, deductions }
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // 1 on the sheet new checks are scored on; earlier versions stay for the checks made on them
    .addColumn('current', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('qa_sheets_version_idx')
    .on('qa_sheets')
    .columns(['version'])
    .unique()
    .execute();
  await db
    .insertInto('qa_sheets')
    .values({
      id: DEFAULT_QA_SHEET_ID,
      name: '客服质检评分表',
      items: JSON.stringify(DEFAULT_QA_ITEMS),
      version: 1,
      current: 1,
      created_by: null,
      created_at: '2026-12-01T00:00:00.000Z',
    })
    .execute();

  await db.schema
    .createTable('qa_samples')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // ISO week, e.g. 2026-W49
    .addColumn('week', 'text', (c) => c.notNull())
    // ticket | call
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    // when the request was logged / the call rang: the report counts it in that month
    .addColumn('subject_at', ts, (c) => c.notNull())
    .addColumn('agent_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    // random | new_staff | keyword
    .addColumn('reason', 'text', (c) => c.notNull())
    // pending | scored
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('drawn_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  // a request or call is sampled at most once
  await db.schema
    .createIndex('qa_samples_subject_idx')
    .on('qa_samples')
    .columns(['subject_type', 'subject_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('qa_samples_week_idx')
    .on('qa_samples')
    .columns(['community_id', 'week'])
    .execute();
  await db.schema.createIndex('qa_samples_agent_idx').on('qa_samples').columns(['agent_user_id']).execute();
  await db.schema.createIndex('qa_samples_at_idx').on('qa_samples').columns(['subject_at']).execute();

  await db.schema
    .createTable('qa_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // one check per sample
    .addColumn('sample_id', 'text', (c) => c.notNull().unique().references('qa_samples.id'))
    .addColumn('sheet_id', 'text', (c) => c.notNull().references('qa_sheets.id'))
    // JSON object: item key → points given
    .addColumn('scores', 'text', (c) => c.notNull())
    .addColumn('total', 'real', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('checked_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('checked_at', ts, (c) => c.notNull())
    // the agent acknowledged the result (已阅)
    .addColumn('seen_at', ts)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('qa_checks').execute();
  await db.schema.dropTable('qa_samples').execute();
  await db.schema.dropTable('qa_sheets').execute();
}
