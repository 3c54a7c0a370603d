import type { Kysely } from 'kysely';
import type { ClockTerms } from '../../../domain/sla.js';
import type { DB } from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';

/**
 * Loads many open requests, each with one running clock, straight into the tables in bulk — not
 * through the API — for the scale tests and bench/sla.ts. Clock `i` is due at
 * `firstDue + i * spacingMs` and warns `warnBeforeMs` earlier, so firing can be watched advance.
 */
export async function loadOpenClocks(
  db: Kysely<DB>,
  options: {
    communityId: string;
    count: number;
    firstDue: Date;
    spacingMs: number;
    warnBeforeMs: number;
    startedAt: Date;
    /** Distinguishes the ticket numbers of several loads into one database. */
    prefix?: string;
  },
): Promise<void> {
  const { communityId, count, firstDue, spacingMs, warnBeforeMs, startedAt } = options;
  const prefix = options.prefix ?? 'L';
  const started = startedAt.toISOString();
  const terms: ClockTerms = { minutes: 10, warnPercent: 80, calendar: null };
  const policy = JSON.stringify(terms);
  const chunk = 1000;
  await db.transaction().execute(async (trx) => {
    for (let from = 0; from < count; from += chunk) {
      const tickets = [];
      const clocks = [];
      for (let i = from; i < Math.min(count, from + chunk); i++) {
        const ticketId = newId(startedAt);
        const number = `${prefix}${String(i).padStart(8, '0')}`;
        const due = new Date(firstDue.getTime() + i * spacingMs);
        const warn = new Date(due.getTime() - warnBeforeMs).toISOString();
        tickets.push({
          id: ticketId,
          number,
          community_id: communityId,
          type: 'repair',
          channel: 'phone',
          priority: 'normal',
          status: 'dispatched',
          content: '批量载入的测试工单',
          created_at: started,
          updated_at: started,
          version: 1,
        });
        clocks.push({
          id: newId(startedAt),
          ticket_id: ticketId,
          community_id: communityId,
          target: 'accept',
          policy_id: null,
          policy,
          started_at: started,
          due_at: due.toISOString(),
          warn_at: warn,
          status: 'running',
          next_fire_at: warn,
          created_at: started,
          ticket_number: number,
        });
      }
      await trx.insertInto('tickets').values(tickets).execute();
      await trx.insertInto('sla_clocks').values(clocks).execute();
    }
  });
}
