import type { Kysely } from 'kysely';
import { firing, nextFireAt } from '../../../domain/sla.js';
import { BackgroundLoop, type Log } from '../../platform/background.js';
import type { Clock } from '../../platform/clock.js';
import type { DB } from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';
import type { TicketActionsService } from '../tickets/tickets.actions.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import type { SlaRepository } from './sla.repository.js';

/** Rows per multi-row insert: well under SQLite's limit of bound parameters. */
const INSERT_CHUNK = 400;

export interface FireResult {
  claimed: number;
  warned: number;
  breached: number;
  escalated: number;
}

export interface SchedulerOptions {
  /** Clocks fired per transaction. */
  batchSize?: number;
  /** The longest sleep between passes: clocks started by other servers are seen within it. */
  maxSleepMs?: number;
  /** How often the reconciliation safety net runs. */
  reconcileEveryMs?: number;
}

/**
 * Fires the SLA clocks on time (§3): warnings at their warn time (80% by default), breaches at
 * their due time, each exactly once, and a breach escalates the request one level (R26).
 *
 * It does not sweep: each pass reads only the clocks whose `next_fire_at` (indexed) has come, in
 * batches, and then sleeps until the earliest next one — at most `maxSleepMs`, so a clock started
 * on another server is never missed for long. A batch is claimed and fired in ONE transaction:
 * on PostgreSQL the claim is `for update skip locked`, so several servers fire side by side, each
 * clock by exactly one of them; the row locks are the lease — a server that dies mid-batch rolls
 * back and its clocks are due again at once. The firing updates are guarded (`warned_at is null`,
 * `breached_at is null`), so even a clock read twice fires once. Tests call `runOnce(now)` with a
 * ManualClock; a server runs `start()` / `stop()`.
 */
export class SlaScheduler {
  private readonly batchSize: number;
  private readonly maxSleepMs: number;
  private readonly reconcileEveryMs: number;
  private readonly loop = new BackgroundLoop(
    async () => {
      const now = this.clock.now();
      if (now.getTime() - this.lastReconcile >= this.reconcileEveryMs) await this.reconcile(now);
      const r = await this.runOnce(now);
      return this.sleepMs(r.claimed === this.batchSize);
    },
    'SLA clock firing failed',
    () => this.maxSleepMs,
  );
  private lastReconcile = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: SlaRepository,
    private readonly actions: Pick<TicketActionsService, 'escalateForBreach'>,
    private readonly tickets: Pick<TicketsService, 'announce'>,
    private readonly clock: Clock,
    options: SchedulerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxSleepMs = options.maxSleepMs ?? 1_000;
    this.reconcileEveryMs = options.reconcileEveryMs ?? 5 * 60_000;
  }

  /** One batch: claims the due clocks and fires their warnings and breaches, in one transaction. */
  async runOnce(now: Date = this.clock.now()): Promise<FireResult> {
    const at = now.toISOString();
    const touched = new Map<string, string>();
    const result = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const due = await repo.claimDue(at, this.batchSize);
      const warns: typeof due = [];
      const breaches: typeof due = [];
      for (const clock of due) {
        const fire = firing(
          {
            warnAt: clock.warn_at,
            dueAt: clock.due_at,
            warnedAt: clock.warned_at,
            breachedAt: clock.breached_at,
          },
          at,
        );
        if (clock.status === 'running' && fire === 'warn') warns.push(clock);
        else if (clock.status === 'running' && fire === 'breach') breaches.push(clock);
        else {
          // nothing to fire (a stale next_fire_at): put it right instead of reading it again
          await repo.updateClock(clock.id, {
            next_fire_at: nextFireAt({
              status: clock.status as 'running',
              warnAt: clock.warn_at,
              dueAt: clock.due_at,
              warnedAt: clock.warned_at,
              breachedAt: clock.breached_at,
            }),
          });
        }
      }
      const warned = new Set(
        await repo.markWarned(
          warns.map((c) => c.id),
          at,
        ),
      );
      const breached = new Set(
        await repo.markBreached(
          breaches.map((c) => c.id),
          at,
        ),
      );
      const fired = [
        ...warns.filter((c) => warned.has(c.id)).map((c) => ({ ...c, kind: 'warn' as const })),
        ...breaches.filter((c) => breached.has(c.id)).map((c) => ({ ...c, kind: 'breach' as const })),
      ];
      await repo.insertEvents(
        fired.map((c) => ({
          id: newId(now),
          clock_id: c.id,
          ticket_id: c.ticket_id,
          type: c.kind,
          at,
          data: JSON.stringify({ dueAt: c.due_at, warnAt: c.warn_at }),
        })),
      );
      await this.recordSteps(trx, fired, now);
      let escalated = 0;
      for (const c of fired) {
        touched.set(c.ticket_id, c.community_id);
        if (c.kind !== 'breach') continue;
        // R26: one level up per breach, in this same transaction
        if ((await this.actions.escalateForBreach(trx, c.ticket_id, c.target, now)) !== null) escalated++;
      }
      return { claimed: due.length, warned: warned.size, breached: breached.size, escalated };
    });
    if (touched.size) await this.announce(touched);
    return result;
  }

  /**
   * The timeline steps of the firing (sla_warn / sla_breach, by the system) and their audit
   * records, many rows per statement: a pass of thousands of clocks stays a few statements.
   */
  private async recordSteps(
    trx: Kysely<DB>,
    fired: {
      id: string;
      ticket_id: string;
      community_id: string;
      target: string;
      due_at: string;
      kind: 'warn' | 'breach';
    }[],
    now: Date,
  ) {
    const at = now.toISOString();
    for (let i = 0; i < fired.length; i += INSERT_CHUNK) {
      const chunk = fired.slice(i, i + INSERT_CHUNK);
      await trx
        .insertInto('ticket_events')
        .values(
          chunk.map((c) => ({
            id: newId(now),
            ticket_id: c.ticket_id,
            community_id: c.community_id,
            type: `sla_${c.kind}`,
            at,
            actor_id: null,
            note: null,
            data: JSON.stringify({ target: c.target, clockId: c.id, dueAt: c.due_at }),
          })),
        )
        .execute();
      await trx
        .insertInto('audit_log')
        .values(
          chunk.map((c) => ({
            id: newId(now),
            at,
            actor_type: 'system',
            actor_id: null,
            actor_name: 'system',
            action: `ticket.sla_${c.kind}`,
            entity_type: 'ticket',
            entity_id: c.ticket_id,
            community_id: c.community_id,
            changes: JSON.stringify({ [`sla.${c.target}`]: [null, c.kind] }),
            request_id: 'system',
            ip: null,
          })),
        )
        .execute();
    }
  }

  /** Tells open consoles the requests changed (a missed announcement costs a refresh only). */
  private async announce(touched: Map<string, string>) {
    const ids = [...touched.keys()];
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      const rows = await this.db
        .selectFrom('tickets')
        .select(['id', 'community_id', 'status', 'version'])
        .where('id', 'in', ids.slice(i, i + INSERT_CHUNK))
        .execute();
      for (const row of rows) {
        await this.tickets.announce(
          { id: row.id, communityId: row.community_id, status: row.status, version: row.version },
          'sla',
        );
      }
    }
  }

  /**
   * The safety net: a running clock that lost its next firing (it should never happen: every
   * write sets it) gets it back. Cheap: it reads the index on (status, next_fire_at), not every
   * clock. (A clock whose next firing is stale is put right by the pass that claims it.)
   */
  async reconcile(now: Date = this.clock.now()): Promise<number> {
    const lost = await this.db
      .selectFrom('sla_clocks')
      .select(['id', 'status', 'warn_at', 'due_at', 'warned_at', 'breached_at'])
      .where('status', '=', 'running')
      .where('next_fire_at', 'is', null)
      .where('breached_at', 'is', null)
      .limit(10_000)
      .execute();
    for (const c of lost) {
      await this.repo.updateClock(c.id, {
        next_fire_at: nextFireAt({
          status: 'running',
          warnAt: c.warn_at,
          dueAt: c.due_at,
          warnedAt: c.warned_at,
          breachedAt: c.breached_at,
        }),
      });
    }
    this.lastReconcile = now.getTime();
    return lost.length;
  }

  /** How long to sleep: until the earliest next firing, at most `maxSleepMs`. */
  private async sleepMs(full: boolean): Promise<number> {
    if (full) return 0;
    const next = await this.repo.nextFireAt();
    if (!next) return this.maxSleepMs;
    const wait = new Date(next).getTime() - this.clock.now().getTime();
    return Math.min(Math.max(wait, 0), this.maxSleepMs);
  }

  /**
   * Runs in the background until `stop()`: a full batch is followed at once by the next; else it
   * sleeps until the next clock is due (at most `maxSleepMs`). Every `reconcileEveryMs` the safety
   * net runs. Errors are logged and firing goes on.
   */
  start(log?: Log): void {
    this.loop.start(log);
  }

  /** Stops firing and waits for the batch in hand, so that shutdown never cuts a pass short. */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}
