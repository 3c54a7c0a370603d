import type { Kysely } from 'kysely';
import { firing, nextFireAt } from '../../../domain/sla.js';
import { BackgroundLoop, type Log } from '../../platform/background.js';
import type { Clock } from '../../platform/clock.js';
import type { DB } from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';
import { escalationRecipients, type StaffRecipient } from '../notifications/notifications.staff.js';
import type { CallbackRow, CallbacksRepository } from './callbacks.repository.js';
import type { CallbacksService } from './callbacks.service.js';

export interface CallbackFireResult {
  claimed: number;
  warned: number;
  breached: number;
}

export interface CallbackSchedulerOptions {
  batchSize?: number;
  /** The longest sleep between passes: callbacks created by other servers are seen within it. */
  maxSleepMs?: number;
}

/** The 客服主管 level of 逐级负责制 (R26): a callback's breach goes one level up, to them. */
const SUPERVISOR_LEVEL = 2;

/**
 * Fires the callbacks' time promises (R30) on time, modelled on the SLA scheduler: a warning at
 * the warn time (80% by default) to the person it is for, a breach at the due time to them and to
 * the community's 客服主管 (R26, one level up), each exactly once.
 *
 * Each pass reads only the callbacks whose `next_fire_at` (indexed) has come, claims them in ONE
 * transaction (`for update skip locked` on PostgreSQL, so several servers fire side by side), and
 * marks them with guarded updates (`warned_at is null`, `breached_at is null`), so a callback read
 * twice fires once. Then it sleeps until the next one is due, at most `maxSleepMs`. Tests call
 * `runOnce(now)`; a server runs `start()` / `stop()`.
 */
export class CallbackScheduler {
  private readonly batchSize: number;
  private readonly maxSleepMs: number;
  private readonly loop = new BackgroundLoop(
    async () => {
      const r = await this.runOnce(this.clock.now());
      return this.sleepMs(r.claimed === this.batchSize);
    },
    'callback clock firing failed',
    () => this.maxSleepMs,
  );

  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: CallbacksRepository,
    private readonly callbacks: Pick<CallbacksService, 'alert'>,
    private readonly clock: Clock,
    options: CallbackSchedulerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.maxSleepMs = options.maxSleepMs ?? 1_000;
  }

  /** One batch: claims the due callbacks and fires their warnings and breaches, in one transaction. */
  async runOnce(now: Date = this.clock.now()): Promise<CallbackFireResult> {
    const at = now.toISOString();
    return this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const due = await repo.claimDue(at, this.batchSize);
      const warns: CallbackRow[] = [];
      const breaches: CallbackRow[] = [];
      for (const row of due) {
        const clock = {
          warnAt: row.warn_at ?? '',
          dueAt: row.due_at ?? '',
          warnedAt: row.warned_at,
          breachedAt: row.breached_at,
        };
        const fire = row.status === 'open' && row.due_at ? firing(clock, at) : null;
        if (fire === 'warn') warns.push(row);
        else if (fire === 'breach') breaches.push(row);
        else {
          // nothing to fire (answered, closed, or a stale time): put it right
          await repo.update(row.id, {
            next_fire_at:
              row.status === 'open' && row.responded_at === null && row.due_at
                ? nextFireAt({ status: 'running', ...clock })
                : null,
          });
        }
      }
      const warned = new Set(
        await repo.markWarned(
          warns.map((r) => r.id),
          at,
        ),
      );
      const breached = new Set(
        await repo.markBreached(
          breaches.map((r) => r.id),
          at,
        ),
      );
      for (const row of warns.filter((r) => warned.has(r.id))) await this.fire(trx, row, 'warn', now);
      for (const row of breaches.filter((r) => breached.has(r.id))) await this.fire(trx, row, 'breach', now);
      return { claimed: due.length, warned: warned.size, breached: breached.size };
    });
  }

  /** The record of a firing (audit, by the system) and the alerts it sends. */
  private async fire(trx: Kysely<DB>, row: CallbackRow, kind: 'warn' | 'breach', now: Date) {
    const at = now.toISOString();
    await trx
      .insertInto('audit_log')
      .values({
        id: newId(now),
        at,
        actor_type: 'system',
        actor_id: null,
        actor_name: 'system',
        action: `callback.sla_${kind}`,
        entity_type: 'callback',
        entity_id: row.id,
        community_id: row.community_id,
        changes: JSON.stringify({ [kind === 'warn' ? 'warnedAt' : 'breachedAt']: [null, at] }),
        request_id: 'system',
        ip: null,
      })
      .execute();
    const repo = this.repo.with(trx);
    const users: Pick<StaffRecipient, 'id' | 'name' | 'phone' | 'locale'>[] = [];
    // the person it is for; a team's: its leader
    if (row.for_user_id) {
      const user = await repo.user(row.for_user_id);
      if (user && !user.disabled) users.push(user);
    } else if (row.for_team_id) {
      const team = await repo.team(row.for_team_id);
      const leader = team?.leader_user_id ? await repo.user(team.leader_user_id) : undefined;
      if (leader && !leader.disabled) users.push(leader);
    }
    if (kind === 'breach') {
      // R26: one level up — the community's 客服主管 (or the next level, if that post is empty)
      const { users: up } = await escalationRecipients(
        trx,
        { communityId: row.community_id ?? '', teamId: null },
        SUPERVISOR_LEVEL,
      );
      users.push(...up);
    }
    const record = await repo.byId(row.id);
    if (record) await this.callbacks.alert(trx, record, users, `callback_${kind}`, now);
  }

  private async sleepMs(full: boolean): Promise<number> {
    if (full) return 0;
    const next = await this.repo.nextFireAt();
    if (!next) return this.maxSleepMs;
    const wait = new Date(next).getTime() - this.clock.now().getTime();
    return Math.min(Math.max(wait, 0), this.maxSleepMs);
  }

  /** Runs in the background until `stop()`; errors are logged and firing goes on. */
  start(log?: Log): void {
    this.loop.start(log);
  }

  /** Stops firing and waits for the batch in hand. */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}
