import { BackgroundLoop, type Log } from '../../platform/background.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import { type NotificationChannel, UndeliverableError } from './notifications.channels.js';
import type { ClaimedNotification, NotificationsRepository, Settlement } from './notifications.repository.js';

/** Waits after failed attempt 1, 2, 3 …; the last value repeats. */
export const BACKOFF_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000] as const;
/** After this many attempts a message is given up as failed (about 7 h after the first). */
export const MAX_ATTEMPTS = 6;
/** How long a claim holds a message; a dispatcher that dies mid-send loses it after this. */
export const LEASE_MS = 2 * 60_000;

/** The wait after failed attempt `attempt` (1-based). */
export function backoffAfter(attempt: number): number {
  return BACKOFF_MS[Math.min(Math.max(attempt, 1), BACKOFF_MS.length) - 1]!;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  /** Failed this time, to be tried again later. */
  retrying: number;
  /** Given up: failed after the last attempt, or undeliverable. */
  givenUp: number;
}

export interface DispatcherOptions {
  batchSize?: number;
  /** Pause between polls when nothing was due. */
  intervalMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  /**
   * Told of each staff alert when it is first claimed (it is committed then, whichever step or
   * server wrote it), so that the addressee's console shows it at once (`alert.created`).
   */
  events?: Pick<EventBus, 'publish'>;
}

/**
 * Delivers the outbox (R14): claims due messages in batches, hands each to its channel and
 * records the outcome. Safe with several servers on PostgreSQL (claims skip each other's rows)
 * and after a crash (a claim's lease runs out and the message is claimed again). Tests call
 * `runOnce()` with a ManualClock; a server runs `start()` / `stop()`.
 */
export class NotificationDispatcher {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly events: Pick<EventBus, 'publish'> | undefined;
  private readonly loop = new BackgroundLoop(
    async () => ((await this.runOnce()).claimed === this.batchSize ? 0 : this.intervalMs),
    'notification delivery failed',
    () => this.intervalMs,
  );

  constructor(
    private readonly outbox: NotificationsRepository,
    private readonly channels: ReadonlyMap<string, NotificationChannel>,
    private readonly clock: Clock,
    options: DispatcherOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 20;
    this.intervalMs = options.intervalMs ?? 3_000;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
    this.maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
    this.events = options.events;
  }

  /** Claims one batch of due messages and delivers them, side by side. */
  async runOnce(): Promise<DispatchResult> {
    const now = this.clock.now();
    const claimed = await this.outbox.claimDue(
      now.toISOString(),
      new Date(now.getTime() + this.leaseMs).toISOString(),
      this.batchSize,
    );
    const result: DispatchResult = { claimed: claimed.length, sent: 0, retrying: 0, givenUp: 0 };
    await this.announceAlerts(claimed);
    const outcomes = await Promise.all(claimed.map((message) => this.deliver(message)));
    // the outcomes of the batch recorded together: one commit (on SQLite one fsync) for up to
    // `batchSize` messages instead of one each, which under steady intake cost as much as the
    // intake's own commits. A crash before it means the batch is sent again once its lease ends —
    // as a crash between one send and its own record did before: delivery is at least once.
    await this.outbox.settleAll(outcomes.map((o) => o.settlement));
    for (const { outcome } of outcomes) result[outcome]++;
    return result;
  }

  /** New staff alerts (first attempt), one event per addressee, whatever the channel then does. */
  private async announceAlerts(claimed: ClaimedNotification[]) {
    if (!this.events) return;
    for (const message of claimed) {
      if (!message.user_id || message.attempts !== 1) continue;
      await this.events
        .publish({
          type: 'alert.created',
          userIds: [message.user_id],
          communityId: message.community_id,
          alertId: message.id,
        })
        .catch(() => {
          // the console also polls: a lost announcement only delays the bell
        });
    }
  }

  /** One attempt at one message, and the outcome to record against this claim. */
  private async deliver(
    message: ClaimedNotification,
  ): Promise<{ outcome: 'sent' | 'retrying' | 'givenUp'; settlement: Settlement }> {
    const attempt = message.attempts;
    const settle = (outcome: 'sent' | 'retrying' | 'givenUp', values: Settlement['values']) => ({
      outcome,
      settlement: { id: message.id, attempt, values },
    });
    if (attempt > this.maxAttempts) {
      // its last attempt's dispatcher vanished mid-send: the outcome is unknown, give up
      return settle('givenUp', {
        status: 'failed',
        next_attempt_at: null,
        last_error: message.last_error ?? 'the last attempt did not finish (lease expired)',
      });
    }
    try {
      const channel = this.channels.get(message.channel);
      if (!channel) throw new Error(`channel "${message.channel}" is not configured on this server`);
      await channel.send({
        id: message.id,
        ticketId: message.ticket_id,
        ticketNumber: message.ticket_number,
        // a callback's alert says which callback (R30); others send what they always did
        ...(message.callback_id ? { callbackId: message.callback_id } : {}),
        event: message.event,
        audience: message.user_id ? 'staff' : 'resident',
        recipient: { name: message.recipient_name, phone: message.recipient_phone },
        text: message.body,
        createdAt: message.created_at,
      });
    } catch (error) {
      const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const final = error instanceof UndeliverableError || attempt >= this.maxAttempts;
      const at = this.clock.now();
      return settle(final ? 'givenUp' : 'retrying', {
        status: error instanceof UndeliverableError ? 'undeliverable' : final ? 'failed' : 'queued',
        next_attempt_at: final ? null : new Date(at.getTime() + backoffAfter(attempt)).toISOString(),
        last_error: lastError,
      });
    }
    return settle('sent', {
      status: 'sent',
      next_attempt_at: null,
      last_error: null,
      sent_at: this.clock.now().toISOString(),
    });
  }

  /**
   * Polls in the background until `stop()`: at once again after a full batch, otherwise after
   * `intervalMs`. Errors are logged and polling goes on.
   */
  start(log?: Log): void {
    this.loop.start(log);
  }

  /** Stops polling and waits for the batch in hand, so that shutdown never cuts a claim short. */
  stop(): Promise<void> {
    return this.loop.stop();
  }
}
