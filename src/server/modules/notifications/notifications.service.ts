import type { Kysely } from 'kysely';
import { maskPhone } from '../../../domain/names.js';
import { writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { inScope, type RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { t } from '../../platform/i18n/i18n.js';
import type { Locale, MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import { greetingName } from '../residents/residents.service.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import type { NotificationRow, NotificationsRepository, TicketFacts } from './notifications.repository.js';

/**
 * Told by the ticket services after every step, inside the step's own transaction (outbox
 * pattern): the message to the resident exists if and only if the step committed.
 */
export interface TicketNotifier {
  /**
   * `trx` is the step's transaction: read and write only through it. `data` and `note` are the
   * step's timeline event (`note` carries a reply's text, a cancel's reason).
   */
  onStep(
    trx: Kysely<DB>,
    ticketId: string,
    step: string,
    data: Record<string, unknown>,
    now: Date,
    note?: string | null,
    /** The member of staff who took the step; null or absent: the system. */
    actorId?: string | null,
  ): Promise<void>;
}

/**
 * The steps the resident is told of (R14). Grading, settling, escalating, attachments, internal
 * notes, declines, arrival and start are the staff's business and tell nobody.
 */
export const NOTIFIED_STEPS = [
  'created',
  'dispatch',
  'reassign',
  'grab',
  'accept',
  'pend',
  'resume',
  'complete',
  'close',
  'reopen',
  'cancel',
  'answer',
  'reply',
] as const;
export type NotifiedStep = (typeof NOTIFIED_STEPS)[number];

/** Who is told: the registered resident, or the caller as taken; nobody for an anonymous finding. */
export function recipientOf(
  facts: Pick<TicketFacts, 'resident' | 'callerName' | 'callerPhone'>,
): { name: string | null; phone: string | null; residentId: string | null; greeting: string | null } | null {
  if (facts.resident) {
    return {
      name: facts.resident.name,
      phone: facts.resident.phone,
      residentId: facts.resident.id,
      greeting: greetingName(facts.resident.name, facts.resident.salutation),
    };
  }
  if (!facts.callerName && !facts.callerPhone) return null;
  return { name: facts.callerName, phone: facts.callerPhone, residentId: null, greeting: facts.callerName };
}

const TERMINAL = /[。！？!?.…」”]$/;
const TRAILING_PUNCTUATION = /[\s。！？!?.,，；;、:：]+$/;

/** A fragment set inside a sentence: no trailing punctuation of its own. */
function clause(text: unknown): string {
  return String(text ?? '')
    .trim()
    .replace(TRAILING_PUNCTUATION, '');
}

/** A free text quoted whole (a reply): ends as a sentence. */
function sentence(text: string | null, locale: Locale): string {
  const trimmed = (text ?? '').trim();
  if (!trimmed || TERMINAL.test(trimmed)) return trimmed;
  return `${trimmed}${locale === 'en' ? '.' : '。'}`;
}

/** The request's content, shortened to what fits a text message. */
function summary(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > 30 ? `${chars.slice(0, 30).join('')}…` : flat;
}

/** A moment in the community's own time zone: "12月1日 14:30", with the year when it is not this one. */
export function localTime(at: Date | string, timeZone: string, now: Date, locale: Locale): string {
  const when = new Date(at);
  const year = (d: Date) => new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(d);
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    ...(year(when) === year(now) ? {} : { year: 'numeric' }),
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(when);
}

/** "维修师傅 张三（工号 1001）": the worker as the resident is told of them. */
function workerParams(facts: TicketFacts, locale: Locale) {
  const kind = facts.team?.kind ?? 'other';
  const key = `notify.worker.${kind}` as MessageKey;
  return {
    title: t(locale, key) === key ? t(locale, 'notify.worker.other') : t(locale, key),
    worker: facts.worker?.name ?? '',
    employeeNo: facts.worker?.employeeNo ?? '',
  };
}

/** The body of the message for one step, or null when this step tells the resident nothing. */
function stepBody(
  step: string,
  facts: TicketFacts,
  data: Record<string, unknown>,
  note: string | null,
  now: Date,
  locale: Locale,
): string | null {
  const number = facts.number;
  const say = (key: MessageKey, params: Record<string, string | number> = {}) =>
    t(locale, key, { number, ...params });
  switch (step as NotifiedStep) {
    case 'created':
      return say('notify.created', { content: summary(facts.content) });
    case 'dispatch':
    case 'reassign': {
      const prefix = step === 'dispatch' ? 'notify.dispatch' : 'notify.reassign';
      if (facts.worker) return say(`${prefix}Worker` as MessageKey, workerParams(facts, locale));
      if (facts.team) return say(`${prefix}Team` as MessageKey, { team: facts.team.name });
      return null;
    }
    case 'grab':
    case 'accept':
      return facts.worker ? say('notify.accept', workerParams(facts, locale)) : null;
    case 'pend':
      return say('notify.pend', {
        reason: clause(data.reason),
        nextStep: clause(data.nextStep),
        eta: localTime(String(data.eta), facts.timeZone, now, locale),
      });
    case 'resume':
      return say('notify.resume');
    case 'complete': {
      const report = (data.report ?? {}) as { work?: string; charge?: number | null };
      const charge = typeof report.charge === 'number' && report.charge > 0 ? report.charge : null;
      return say('notify.complete', {
        work: clause(report.work),
        charge: charge === null ? '' : t(locale, 'notify.charge', { amount: charge.toFixed(2) }),
      });
    }
    case 'close':
      return say('notify.close');
    case 'reopen':
      return say('notify.reopen');
    case 'cancel':
      return say('notify.cancel', { reason: clause(note) });
    case 'answer':
      return say('notify.answer', { content: summary(facts.content), reply: sentence(note, locale) });
    case 'reply':
      return note?.trim() ? say('notify.reply', { text: sentence(note, locale) }) : null;
    default:
      return null;
  }
}

/**
 * The whole text the resident receives for one step (R14): greeting, what happened, how to
 * reach us, signed with the company and the community. Null: this step tells nobody. Pure.
 */
export function composeNotification(input: {
  step: string;
  facts: TicketFacts;
  data: Record<string, unknown>;
  note: string | null;
  now: Date;
  locale?: Locale;
}): string | null {
  const locale = input.locale ?? 'zh-CN';
  const recipient = recipientOf(input.facts);
  if (!recipient) return null;
  const body = stepBody(input.step, input.facts, input.data, input.note, input.now, locale);
  if (!body) return null;
  const { companyName, hotline, communityName } = input.facts;
  return [
    companyName ? t(locale, 'notify.sign', { company: companyName }) : '',
    recipient.greeting ? t(locale, 'notify.greeting', { name: recipient.greeting }) : '',
    body,
    hotline ? t(locale, 'notify.help', { hotline }) : '',
    t(locale, 'notify.closing', { community: communityName }),
  ].join('');
}

/**
 * Composes the message for a step and puts it in the outbox (`notifications`), queued on the
 * channel new messages go out on. The dispatcher delivers it after the step commits.
 */
export class ResidentNotifier implements TicketNotifier {
  constructor(
    private readonly outbox: NotificationsRepository,
    private readonly channel: string,
  ) {}

  async onStep(
    trx: Kysely<DB>,
    ticketId: string,
    step: string,
    data: Record<string, unknown>,
    now: Date,
    note: string | null = null,
  ): Promise<void> {
    if (!(NOTIFIED_STEPS as readonly string[]).includes(step)) return;
    // the step's own transaction: on SQLite another connection would wait for it forever
    const outbox = this.outbox.with(trx);
    const facts = await outbox.ticketFacts(ticketId);
    if (!facts) return;
    const recipient = recipientOf(facts);
    const text = composeNotification({ step, facts, data, note, now });
    if (!recipient || !text) return;
    await outbox.insert({
      id: newId(now),
      ticket_id: facts.id,
      community_id: facts.communityId,
      event: step,
      channel: this.channel,
      recipient_name: recipient.name,
      recipient_phone: recipient.phone,
      resident_id: recipient.residentId,
      body: text,
      status: 'queued',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      last_error: null,
      created_at: now.toISOString(),
      sent_at: null,
    });
  }
}

/**
 * The resident's one-time rating links (`…/r/<token>`, R34) and survey links (`…/s/<token>`, R36)
 * with the token hidden: the message goes out whole, but staff who read it must not be able to
 * rate or answer in the resident's place.
 */
export function maskRatingLinks(text: string): string {
  return text.replace(/\/([rs])\/[A-Za-z0-9_-]{16,}/g, '/$1/******');
}

/** A message as staff see it: phones masked (R4), rating links without their token (R34). */
function toView(row: NotificationRow) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    event: row.event,
    channel: row.channel,
    recipient: {
      name: row.recipient_name,
      phone: row.recipient_phone ? maskPhone(row.recipient_phone) : null,
      residentId: row.resident_id,
    },
    text: maskRatingLinks(row.body),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** What residents were told, for the staff; and sending a failed message again. */
export class NotificationsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly outbox: NotificationsRepository,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
  ) {}

  /** Every message of a request, oldest first; whoever may read the request may read them. */
  async forTicket(ctx: RequestContext, ticketId: string) {
    await this.tickets.get(ctx, ticketId);
    const rows = await this.outbox.forTicket(ticketId);
    return { items: rows.map(toView) };
  }

  /** The caller's own alerts (R26 escalations), newest first, with how many are unread. */
  async mine(ctx: RequestContext, query: { unread?: boolean; limit?: number }) {
    const userId = ctx.principal.userId;
    const [rows, unread] = await Promise.all([
      this.outbox.forUser(userId, ctx.principal.scope, query.limit ?? 20, query.unread ?? false),
      this.outbox.unreadCount(userId, ctx.principal.scope),
    ]);
    return {
      unread,
      items: rows.map((row) => ({
        id: row.id,
        ticketId: row.ticket_id,
        ticketNumber: row.ticket_number,
        ticketStatus: row.ticket_status,
        callbackId: row.callback_id,
        communityId: row.community_id,
        event: row.event,
        text: row.body,
        createdAt: row.created_at,
        readAt: row.read_at,
      })),
    };
  }

  /**
   * Marks one of the caller's alerts read (404 if it is not theirs), or all of them: recorded, so
   * that who knew of an escalation, and when, is on the record (逐级负责制).
   */
  async markRead(ctx: RequestContext, id?: string) {
    const userId = ctx.principal.userId;
    if (id !== undefined) {
      const row = await this.db
        .selectFrom('notifications')
        .select(['id', 'community_id'])
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row || (row.community_id !== null && !inScope(ctx.principal.scope, row.community_id)))
        throw errors.notFound();
    }
    const now = this.clock.now();
    const changed = await this.db.transaction().execute(async (trx) => {
      const ids = await this.outbox.with(trx).markRead(userId, ctx.principal.scope, now.toISOString(), id);
      for (const readId of ids)
        await writeAudit(
          trx,
          ctx,
          {
            action: 'notification.read',
            entityType: 'notification',
            entityId: readId,
            changes: { readAt: [null, now.toISOString()] },
          },
          now,
        );
      return ids.length;
    });
    return { marked: changed, unread: await this.outbox.unreadCount(userId, ctx.principal.scope) };
  }

  /** Queues a failed or undeliverable message again, with a fresh set of attempts; audited. */
  async retry(ctx: RequestContext, id: string) {
    const row = await this.outbox.get(ctx.principal.scope, id);
    if (!row) throw errors.notFound();
    // the request itself must be visible too (404 otherwise, like the request)
    if (row.ticket_id) await this.tickets.get(ctx, row.ticket_id);
    const now = this.clock.now();
    const requeued = await this.db.transaction().execute(async (trx) => {
      if (!(await this.outbox.with(trx).requeue(id, now.toISOString()))) return false;
      await writeAudit(
        trx,
        ctx,
        {
          action: 'notification.retry',
          entityType: 'notification',
          entityId: id,
          communityId: row.community_id,
          changes: {
            status: [row.status, 'queued'],
            attempts: [row.attempts, 0],
          },
        },
        now,
      );
      return true;
    });
    if (!requeued) throw errors.conflict('notification.notRetryable');
    const fresh = await this.outbox.get(ctx.principal.scope, id);
    return toView(fresh!);
  }
}
