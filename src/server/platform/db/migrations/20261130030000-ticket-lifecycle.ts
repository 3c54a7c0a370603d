import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * What the lifecycle of a request needs on the ticket itself: who has it (team, worker), why it
 * waits (pending reason, next step, ETA told to the resident), how far it was escalated, how
 * often it was reopened, whether it is paid work and its charge settled, and the completion report.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);
  const columns: [string, string, boolean?][] = [
    ['team_id', 'text'],
    ['assignee_id', 'text'],
    ['pending_from', 'text'],
    ['pending_reason', 'text'],
    ['pending_next_step', 'text'],
    ['pending_eta', ts],
    ['escalation_level', 'integer', true],
    ['reopen_count', 'integer', true],
    ['paid', 'integer', true],
    ['charge_amount', 'double precision'],
    ['charge_settled_at', ts],
    ['completion', 'text'],
    ['dispatched_at', ts],
    ['done_at', ts],
    ['closed_at', ts],
    ['complaint_grade', 'text'],
  ];
  for (const [name, type, zero] of columns) {
    await db.schema
      .alterTable('tickets')
      .addColumn(name, type as 'text', (c) => (zero ? c.notNull().defaultTo(0) : c))
      .execute();
  }
  // the queues: a team's pool, a worker's jobs
  await db.schema
    .createIndex('tickets_team_idx')
    .on('tickets')
    .columns(['team_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('tickets_assignee_idx')
    .on('tickets')
    .columns(['assignee_id', 'status', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_assignee_idx').execute();
  await db.schema.dropIndex('tickets_team_idx').execute();
  for (const name of [
    'team_id',
    'assignee_id',
    'pending_from',
    'pending_reason',
    'pending_next_step',
    'pending_eta',
    'escalation_level',
    'reopen_count',
    'paid',
    'charge_amount',
    'charge_settled_at',
    'completion',
    'dispatched_at',
    'done_at',
    'closed_at',
    'complaint_grade',
  ]) {
    await db.schema.alterTable('tickets').dropColumn(name).execute();
  }
}
