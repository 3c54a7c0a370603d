import type { Kysely } from 'kysely';
import {
  type AttemptOutcome,
  attemptEffect,
  type CallbackKind,
  type CallbackView,
} from '../../../domain/callbacks.js';
import { maskPhone } from '../../../domain/names.js';
import { normalizePhone } from '../../../domain/phone.js';
import { READ_ROLES } from '../../../domain/roles.js';
import {
  type CallbackTarget,
  type ClockTerms,
  callbackPolicy,
  deadlines,
  nextFireAt,
} from '../../../domain/sla.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { hasRole, type RequestContext, systemContext } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { isUniqueViolation, serialize } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { errors, type FieldError } from '../../platform/errors.js';
import { isLocale, t } from '../../platform/i18n/i18n.js';
import type { Locale, MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/schemas.js';
import type { NotificationsRepository } from '../notifications/notifications.repository.js';
import { localTime } from '../notifications/notifications.service.js';
import type { StaffRecipient } from '../notifications/notifications.staff.js';
import type { RegistryRepository } from '../registry/registry.repository.js';
import { greetingName } from '../residents/residents.service.js';
import type { SlaRepository } from '../sla/sla.repository.js';
import type { CallbackRecord, CallbacksRepository, Viewer } from './callbacks.repository.js';

/** A missed or abandoned inbound call, as the telephony module reports it (R30). */
export interface MissedCall {
  callId: string;
  phone: string;
  communityId: string | null;
  residentId: string | null;
  queue: string | null;
  at: Date;
}

export interface TakeMessageInput {
  communityId: string;
  callerName: string;
  phone: string;
  residentId?: string | null;
  roomId?: string | null;
  roomText?: string | null;
  content: string;
  forUserId?: string | null;
  forTeamId?: string | null;
  calledAt?: string;
  readBack: boolean;
}

const TARGET_OF: Record<CallbackKind, CallbackTarget> = {
  missed_call: 'callback',
  message: 'message_callback',
};

function summary(content: string, max = 40): string {
  const chars = [...content.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

function localeOf(user: { locale: string | null }): Locale {
  return user.locale && isLocale(user.locale) ? user.locale : 'zh-CN';
}

/** A due time as the desk says it: "14:30" today, else "12月2日 09:00". */
export function dueText(due: string, timeZone: string, now: Date, locale: Locale): string {
  const day = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(d);
  const when = new Date(due);
  if (day(when) === day(now)) {
    return new Intl.DateTimeFormat(locale, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(when);
  }
  return localTime(when, timeZone, now, locale);
}

/**
 * Callbacks (回电) and messages (留言), R30: a message taken for a colleague or team becomes a
 * callback task for them with a due time from the SLA policies (`message_callback`, 2 business
 * hours by default) and tells them at once; every missed call becomes one too (`callback`, 30
 * business minutes), several misses from one number merged into one task. Each attempt is logged
 * with its outcome; unanswered ones are tried again on a schedule; a task is done only when the
 * caller was reached or it was closed with a reason.
 */
export class CallbacksService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
    private readonly repo: CallbacksRepository,
    private readonly sla: SlaRepository,
    private readonly registry: RegistryRepository,
    private readonly outbox: NotificationsRepository,
    /** The channel staff alerts go out on (as the escalation alerts). */
    private readonly channel: string,
    private readonly clock: Clock,
  ) {}

  private async viewer(ctx: RequestContext): Promise<Viewer> {
    return {
      userId: ctx.principal.userId,
      teamIds: await this.repo.teamIdsOf(ctx.principal.userId),
      desk: hasRole(ctx.principal, READ_ROLES),
      scope: ctx.principal.scope,
    };
  }

  /** The clock a callback gets: the policy of its target, in the community's business calendar. */
  private async termsFor(
    trx: Kysely<DB>,
    communityId: string | null,
    kind: CallbackKind,
  ): Promise<{ policyId: string; terms: ClockTerms } | null> {
    const sla = this.sla.with(trx);
    // '' matches no community: a caller of no known community gets the company's policy and calendar
    const policy = callbackPolicy(await sla.policiesFor(communityId ?? ''), communityId, TARGET_OF[kind]);
    if (!policy || policy.minutes === null) return null;
    const calendar = policy.businessHours
      ? await sla.calendarFor(communityId ?? '', await this.repo.with(trx).timeZoneOf(communityId))
      : null;
    return {
      policyId: policy.id,
      terms: { minutes: policy.minutes, warnPercent: policy.warnPercent, calendar },
    };
  }

  private clockValues(clock: { policyId: string; terms: ClockTerms } | null, startedAt: Date) {
    if (!clock) {
      return { policy_id: null, policy: null, due_at: null, warn_at: null, next_fire_at: null };
    }
    const { dueAt, warnAt } = deadlines(clock.terms, startedAt, 0);
    return {
      policy_id: clock.policyId,
      policy: JSON.stringify(clock.terms),
      due_at: dueAt.toISOString(),
      warn_at: warnAt.toISOString(),
      next_fire_at: nextFireAt({
        status: 'running',
        warnAt: warnAt.toISOString(),
        dueAt: dueAt.toISOString(),
        warnedAt: null,
        breachedAt: null,
      }),
    };
  }

  toView(row: CallbackRecord, now: Date = this.clock.now()) {
    const terms = row.policy ? (JSON.parse(row.policy) as ClockTerms) : null;
    const running = row.status === 'open' && row.responded_at === null && row.due_at !== null;
    return {
      id: row.id,
      kind: row.kind as CallbackKind,
      communityId: row.community_id,
      communityName: row.community_name,
      residentId: row.resident_id,
      roomId: row.room_id,
      room: row.room_label ?? row.room_text,
      callerName: row.caller_name,
      phone: row.phone,
      content: row.content,
      forUser: row.for_user_id
        ? {
            id: row.for_user_id,
            name: row.for_user_name ?? '',
            employeeNo: row.for_user_employee_no ?? '',
          }
        : null,
      forTeam: row.for_team_id ? { id: row.for_team_id, name: row.for_team_name ?? '' } : null,
      queue: row.queue,
      takenBy: row.taken_by
        ? { id: row.taken_by, name: row.taken_by_name ?? '', employeeNo: row.taken_by_employee_no ?? '' }
        : null,
      calledAt: row.called_at,
      lastCallAt: row.last_call_at,
      misses: row.misses,
      status: row.status as 'open' | 'done' | 'closed',
      outcome: row.outcome as AttemptOutcome | null,
      closeReason: row.close_reason,
      dueAt: row.due_at,
      warnAt: row.warn_at,
      warnedAt: row.warned_at,
      breachedAt: row.breached_at,
      respondedAt: row.responded_at,
      nextAttemptAt: row.next_attempt_at,
      attempts: row.attempts,
      remainingMs: running ? new Date(row.due_at!).getTime() - now.getTime() : null,
      minutes: terms?.minutes ?? null,
      businessHours: terms ? terms.calendar !== null : false,
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      doneAt: row.done_at,
    };
  }

  /** The queues: for me, for my teams, the desk's unassigned missed calls, or all I may see; by due time. */
  async list(
    ctx: RequestContext,
    q: { view?: CallbackView; status?: string; communityId?: string; cursor?: string; limit?: number },
  ) {
    const limit = q.limit ?? 50;
    const viewer = await this.viewer(ctx);
    const raw = decodeCursor(q.cursor);
    const sep = raw?.lastIndexOf('|') ?? -1;
    const after = raw && sep > 0 ? { at: raw.slice(0, sep), id: raw.slice(sep + 1) } : undefined;
    const rows = await this.repo.list(viewer, {
      view: q.view ?? 'all',
      status: q.status === 'any' ? null : (q.status ?? 'open'),
      communityId: q.communityId,
      after,
      limit,
    });
    const now = this.clock.now();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => this.toView(r, now)),
      nextCursor: rows.length > limit && last ? encodeCursor(`${last.sort_at}|${last.id}`) : null,
    };
  }

  /** The colleagues and teams a message may be for, in one of the caller's communities. */
  async recipients(ctx: RequestContext, communityId: string) {
    const community = await this.registry.getCommunity(ctx.principal.scope, communityId);
    if (!community) throw errors.field('communityId', 'validation.notFound');
    return this.repo.recipients(community.id);
  }

  /**
   * When a message taken now would be due (the read-back tells the caller, [002]): the
   * community's `message_callback` policy in its business calendar; null when none applies.
   */
  async messageDue(ctx: RequestContext, communityId: string) {
    const community = await this.registry.getCommunity(ctx.principal.scope, communityId);
    if (!community) throw errors.field('communityId', 'validation.notFound');
    const now = this.clock.now();
    const clock = this.clockValues(await this.termsFor(this.db, community.id, 'message'), now);
    const timeZone = await this.repo.timeZoneOf(community.id);
    return {
      dueAt: clock.due_at,
      said: clock.due_at ? dueText(clock.due_at, timeZone, now, ctx.locale) : null,
      now: now.toISOString(),
    };
  }

  /** One callback with its attempts and merged calls; 404 when the caller may not see it. */
  async get(ctx: RequestContext, id: string) {
    const row = await this.repo.get(await this.viewer(ctx), id);
    if (!row) throw errors.notFound();
    return this.detail(row);
  }

  private async detail(row: CallbackRecord) {
    const [attempts, calls] = await Promise.all([this.repo.attempts(row.id), this.repo.calls(row.id)]);
    return {
      ...this.toView(row),
      attemptLog: attempts.map((a) => ({
        id: a.id,
        at: a.at,
        outcome: a.outcome as AttemptOutcome,
        note: a.note,
        user: { id: a.user_id, name: a.user_name ?? '', employeeNo: a.user_employee_no ?? '' },
      })),
      calls: calls.map((c) => ({ callId: c.call_id, at: c.at })),
    };
  }

  /** Checks the colleague or team a callback is for; the problems, or who it is. */
  private async recipient(
    communityId: string | null,
    forUserId: string | null | undefined,
    forTeamId: string | null | undefined,
    problems: FieldError[],
  ) {
    if (forUserId && forTeamId) {
      problems.push({ field: 'forUserId', key: 'validation.oneOf', params: { other: 'forTeamId' } });
      return null;
    }
    if (!forUserId && !forTeamId) {
      problems.push({ field: 'forUserId', key: 'validation.callbackForWhom' });
      return null;
    }
    if (forUserId) {
      const user = await this.repo.user(forUserId);
      const worksThere =
        user &&
        !user.disabled &&
        (user.all_communities === 1 ||
          communityId === null ||
          (await this.repo.userWorksIn(user.id, communityId)));
      if (!user || !worksThere) {
        problems.push({ field: 'forUserId', key: 'validation.notFound' });
        return null;
      }
      return { userId: user.id, teamId: null };
    }
    const team = await this.repo.team(forTeamId!);
    if (!team || team.archived_at || (team.community_id !== null && team.community_id !== communityId)) {
      problems.push({ field: 'forTeamId', key: 'validation.notFound' });
      return null;
    }
    return { userId: null, teamId: team.id };
  }

  /**
   * Takes a message (留言) for a colleague or team [002]: caller's name, unit, phone, content and
   * the time of the call, read back to the caller before it is saved (`readBack`). It becomes a
   * callback task for them with its due time, and they are told at once (R30).
   */
  async takeMessage(ctx: RequestContext, input: TakeMessageInput) {
    if (input.readBack !== true) throw errors.field('readBack', 'validation.readBackRequired');
    const scope = ctx.principal.scope;
    const community = await this.registry.getCommunity(scope, input.communityId);
    if (!community) throw errors.field('communityId', 'validation.notFound');
    const problems: FieldError[] = [];
    const phone = normalizePhone(input.phone, { service: true });
    if (!phone) problems.push({ field: 'phone', key: 'validation.phone' });
    let roomId: string | null = null;
    if (input.roomId) {
      const room = await this.registry.getRoom(scope, input.roomId);
      if (!room || room.communityId !== community.id)
        problems.push({ field: 'roomId', key: 'validation.notFound' });
      else roomId = room.id;
    }
    let residentId: string | null = null;
    if (input.residentId) {
      const resident = await this.repo.resident(input.residentId);
      if (!resident || resident.community_id !== community.id)
        problems.push({ field: 'residentId', key: 'validation.notFound' });
      else {
        residentId = resident.id;
        roomId ??= resident.room_id;
      }
    }
    const now = this.clock.now();
    const calledAt = input.calledAt ? new Date(input.calledAt) : now;
    if (calledAt.getTime() > now.getTime() + 60_000)
      problems.push({ field: 'calledAt', key: 'validation.emergencyAtFuture' });
    const forWhom = await this.recipient(community.id, input.forUserId, input.forTeamId, problems);
    if (problems.length || !forWhom || !phone) throw errors.validation(problems);

    const id = newId(now);
    const at = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      // the promise starts when the message is taken: the person it is for learns of it now
      const clock = this.clockValues(await this.termsFor(trx, community.id, 'message'), now);
      const row = {
        id,
        kind: 'message',
        community_id: community.id,
        resident_id: residentId,
        room_id: roomId,
        room_text: input.roomText?.trim() || null,
        caller_name: input.callerName.trim(),
        phone,
        content: input.content.trim(),
        for_user_id: forWhom.userId,
        for_team_id: forWhom.teamId,
        queue: null,
        // the system (an import, a CLI) is nobody who took it
        taken_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
        called_at: calledAt.toISOString(),
        last_call_at: calledAt.toISOString(),
        misses: 0,
        status: 'open',
        outcome: null,
        close_reason: null,
        ...clock,
        warned_at: null,
        breached_at: null,
        responded_at: null,
        next_attempt_at: null,
        attempts: 0,
        version: 1,
        created_at: at,
        updated_at: at,
        done_at: null,
      };
      await repo.insert(row);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'callback.message',
          entityType: 'callback',
          entityId: id,
          communityId: community.id,
          changes: changesOf(null, {
            kind: 'message',
            callerName: row.caller_name,
            phone: maskPhone(phone),
            forUserId: row.for_user_id,
            forTeamId: row.for_team_id,
            dueAt: row.due_at,
            readBack: true,
          }),
        },
        now,
      );
      const fresh = (await repo.byId(id))!;
      const users = forWhom.userId
        ? [await repo.user(forWhom.userId)].flatMap((u) => (u ? [u] : []))
        : await repo.teamMembers(forWhom.teamId!);
      await this.alert(trx, fresh, users, 'callback_message', now);
    });
    return this.detail((await this.repo.byId(id))!);
  }

  /**
   * A missed or abandoned inbound call (R30), in the telephony's own transaction: the open
   * missed-call callback of the same number takes it (misses + 1, the call recorded), else a new
   * one is created with its due time. Idempotent per call id. A merge keeps the first due time:
   * the first miss started the promise to call back, and a caller who tries again is owed the
   * call sooner, not later.
   */
  async onMissedCall(trx: Kysely<DB>, call: MissedCall): Promise<void> {
    const phone = normalizePhone(call.phone, { service: true }) ?? call.phone.replace(/\s+/g, '');
    // a withheld number cannot be called back: nothing to promise
    if (!phone) return;
    // one number at a time (PostgreSQL; SQLite's writers are serialised): two misses from the
    // same number committing side by side still make one task (the unique index is the backstop)
    await serialize(trx, this.dialect, `callback-phone:${phone}`);
    const repo = this.repo.with(trx);
    if (await repo.callLogged(call.callId)) return;
    const at = call.at.toISOString();
    const now = this.clock.now();
    const open = await repo.openMissedCall(phone);
    const ctx = systemContext();
    if (open) {
      await repo.update(open.id, {
        misses: open.misses + 1,
        // ISO times: the later of the two as text
        last_call_at: [open.last_call_at, at].sort()[1]!,
        version: open.version + 1,
        updated_at: now.toISOString(),
      });
      await repo.insertCall({ call_id: call.callId, callback_id: open.id, at });
      await writeAudit(
        trx,
        ctx,
        {
          action: 'callback.missed_call_merged',
          entityType: 'callback',
          entityId: open.id,
          communityId: open.community_id,
          changes: { misses: [open.misses, open.misses + 1], callId: [null, call.callId] },
        },
        now,
      );
      return;
    }
    let communityId = call.communityId;
    let residentId: string | null = null;
    let roomId: string | null = null;
    let callerName: string | null = null;
    if (call.residentId) {
      const resident = await repo.resident(call.residentId);
      if (resident) {
        residentId = resident.id;
        roomId = resident.room_id;
        communityId = resident.community_id;
        callerName = greetingName(resident.name, resident.salutation);
      }
    }
    // a queue named after a team is that team's; any other queue is the desk's pool
    const team = call.queue ? await repo.team(call.queue) : undefined;
    const id = newId(call.at);
    const clock = this.clockValues(await this.termsFor(trx, communityId, 'missed_call'), call.at);
    await repo.insert({
      id,
      kind: 'missed_call',
      community_id: communityId,
      resident_id: residentId,
      room_id: roomId,
      room_text: null,
      caller_name: callerName,
      phone,
      content: null,
      for_user_id: null,
      for_team_id: team && !team.archived_at ? team.id : null,
      queue: call.queue,
      taken_by: null,
      called_at: at,
      last_call_at: at,
      misses: 1,
      status: 'open',
      outcome: null,
      close_reason: null,
      ...clock,
      warned_at: null,
      breached_at: null,
      responded_at: null,
      next_attempt_at: null,
      attempts: 0,
      version: 1,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      done_at: null,
    });
    await repo.insertCall({ call_id: call.callId, callback_id: id, at });
    await writeAudit(
      trx,
      ctx,
      {
        action: 'callback.missed_call',
        entityType: 'callback',
        entityId: id,
        communityId,
        changes: changesOf(null, { kind: 'missed_call', phone: maskPhone(phone), callId: call.callId }),
      },
      now,
    );
  }

  /** The callback, if the caller may act on it and it is still open. */
  private async openOne(ctx: RequestContext, id: string, version: number) {
    const row = await this.repo.get(await this.viewer(ctx), id);
    if (!row) throw errors.notFound();
    if (row.status !== 'open')
      throw errors.conflict('error.CALLBACK_NOT_OPEN', {
        status: t(ctx.locale, `callback.status.${row.status}` as MessageKey),
      });
    if (row.version !== version) throw errors.conflict();
    return row;
  }

  /** What ends a clock on the first attempt (or a close): kept, or late when past its due time. */
  private stopClock(row: CallbackRecord, now: Date) {
    const at = now.toISOString();
    const late = row.due_at !== null && row.due_at < at;
    return {
      responded_at: row.responded_at ?? at,
      next_fire_at: null,
      // kept after its due time but before the scheduler got to it is still a breach
      breached_at: row.breached_at ?? (late && row.responded_at === null ? row.due_at : null),
    };
  }

  /**
   * Logs an attempt to call back: reached → done; no answer or busy → tried again on the retry
   * schedule (+10 min, +30 min, +2 h); a wrong number → corrected (tried again now) or closed with
   * a reason. The first attempt keeps the time promise (or breaks it, if late).
   */
  async attempt(
    ctx: RequestContext,
    id: string,
    input: {
      version: number;
      outcome: AttemptOutcome;
      note?: string | null;
      correctedPhone?: string | null;
      closeReason?: string | null;
    },
  ) {
    const row = await this.openOne(ctx, id, input.version);
    const now = this.clock.now();
    const effect = attemptEffect(input.outcome, input, row.attempts, now);
    if ('problem' in effect) {
      throw effect.problem === 'closeReason'
        ? errors.field('closeReason', 'validation.oneOf', { other: 'correctedPhone' })
        : errors.field('correctedPhone', 'validation.callbackWrongNumber');
    }
    let phone = row.phone;
    if ('correctedPhone' in effect) {
      const fixed = normalizePhone(effect.correctedPhone, { service: true });
      if (!fixed) throw errors.field('correctedPhone', 'validation.phone');
      phone = fixed;
    }
    const at = now.toISOString();
    const values = {
      ...this.stopClock(row, now),
      attempts: row.attempts + 1,
      outcome: input.outcome,
      updated_at: at,
      phone,
      ...(effect.status === 'done' ? { status: 'done', done_at: at, next_attempt_at: null } : {}),
      ...(effect.status === 'closed'
        ? { status: 'closed', close_reason: effect.reason, done_at: at, next_attempt_at: null }
        : {}),
      ...('retryAt' in effect ? { next_attempt_at: effect.retryAt.toISOString() } : {}),
      ...('correctedPhone' in effect ? { next_attempt_at: at } : {}),
    };
    const applied = await this.db
      .transaction()
      .execute(async (trx) => {
        const repo = this.repo.with(trx);
        if (phone !== row.phone) {
          await serialize(trx, this.dialect, `callback-phone:${phone}`);
          if (row.kind === 'missed_call' && (await repo.openMissedCall(phone)))
            throw errors.field('correctedPhone', 'validation.callbackPhoneOpen');
        }
        if (!(await repo.applyIfVersion(id, row.version, values))) return false;
        await repo.insertAttempt({
          id: newId(now),
          callback_id: id,
          at,
          user_id: ctx.principal.userId,
          outcome: input.outcome,
          note: input.note?.trim() || null,
        });
        await writeAudit(
          trx,
          ctx,
          {
            action: 'callback.attempt',
            entityType: 'callback',
            entityId: id,
            communityId: row.community_id,
            changes: {
              ...changesOf(
                { status: row.status, attempts: row.attempts, nextAttemptAt: row.next_attempt_at },
                {
                  status: values.status ?? row.status,
                  attempts: values.attempts,
                  nextAttemptAt: values.next_attempt_at ?? row.next_attempt_at,
                },
              ),
              outcome: [row.outcome, input.outcome],
              ...(phone !== row.phone ? { phone: [maskPhone(row.phone), maskPhone(phone)] } : {}),
            },
          },
          now,
        );
        return true;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw errors.field('correctedPhone', 'validation.callbackPhoneOpen');
        throw error;
      });
    if (!applied) throw errors.conflict();
    return this.get(ctx, id);
  }

  /** Closes an open callback with a reason (the caller called again and was helped, a hoax …). */
  async close(ctx: RequestContext, id: string, input: { version: number; reason: string }) {
    const row = await this.openOne(ctx, id, input.version);
    const now = this.clock.now();
    const at = now.toISOString();
    const reason = input.reason.trim();
    const applied = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const values = {
        ...this.stopClock(row, now),
        responded_at: row.responded_at,
        status: 'closed',
        close_reason: reason,
        done_at: at,
        next_attempt_at: null,
        updated_at: at,
      };
      if (!(await repo.applyIfVersion(id, row.version, values))) return false;
      await writeAudit(
        trx,
        ctx,
        {
          action: 'callback.close',
          entityType: 'callback',
          entityId: id,
          communityId: row.community_id,
          changes: { status: [row.status, 'closed'], closeReason: [null, reason] },
        },
        now,
      );
      return true;
    });
    if (!applied) throw errors.conflict();
    return this.get(ctx, id);
  }

  /** Hands a callback to a colleague or a team; a colleague is told at once. */
  async assign(
    ctx: RequestContext,
    id: string,
    input: { version: number; userId?: string | null; teamId?: string | null },
  ) {
    const row = await this.openOne(ctx, id, input.version);
    const problems: FieldError[] = [];
    const forWhom = await this.recipient(row.community_id, input.userId, input.teamId, problems);
    if (!forWhom) {
      throw errors.validation(
        problems.map((p) => ({
          ...p,
          field: p.field === 'forUserId' ? 'userId' : 'teamId',
          ...(p.params?.other ? { params: { other: 'teamId' } } : {}),
        })),
      );
    }
    const now = this.clock.now();
    const applied = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const values = {
        for_user_id: forWhom.userId,
        for_team_id: forWhom.teamId,
        updated_at: now.toISOString(),
      };
      if (!(await repo.applyIfVersion(id, row.version, values))) return false;
      await writeAudit(
        trx,
        ctx,
        {
          action: 'callback.assign',
          entityType: 'callback',
          entityId: id,
          communityId: row.community_id,
          changes: changesOf(
            { forUserId: row.for_user_id, forTeamId: row.for_team_id },
            { forUserId: forWhom.userId, forTeamId: forWhom.teamId },
          ),
        },
        now,
      );
      if (forWhom.userId && forWhom.userId !== ctx.principal.userId) {
        const user = await repo.user(forWhom.userId);
        if (user) await this.alert(trx, (await repo.byId(id))!, [user], 'callback_assigned', now);
      }
      return true;
    });
    if (!applied) throw errors.conflict();
    return this.get(ctx, id);
  }

  /**
   * Staff alerts about a callback, in the caller's transaction: one outbox row per person, in
   * their language, shown in their console (the bell) until read.
   */
  async alert(
    trx: Kysely<DB>,
    row: CallbackRecord,
    users: Pick<StaffRecipient, 'id' | 'name' | 'phone' | 'locale'>[],
    event: 'callback_message' | 'callback_assigned' | 'callback_warn' | 'callback_breach',
    now: Date,
  ) {
    if (!users.length) return;
    const timeZone = await this.repo.with(trx).timeZoneOf(row.community_id);
    const seen = new Set<string>();
    const rows = users
      .filter((u) => !seen.has(u.id) && seen.add(u.id))
      .map((user) => {
        const locale = localeOf(user);
        const who = [row.room_label ?? row.room_text, maskPhone(row.phone)]
          .filter(Boolean)
          .join(locale === 'en' ? ', ' : '，');
        const params = {
          caller: row.caller_name || t(locale, 'callback.unknownCaller'),
          who,
          content: summary(row.content ?? ''),
          kind: t(locale, `callback.kind.${row.kind}` as MessageKey),
          due: row.due_at ? dueText(row.due_at, timeZone, now, locale) : t(locale, 'callback.noDue'),
          misses: row.misses,
        };
        const key: MessageKey =
          event === 'callback_message'
            ? 'alert.callbackMessage'
            : event === 'callback_assigned'
              ? 'alert.callbackAssigned'
              : event === 'callback_warn'
                ? 'alert.callbackWarn'
                : 'alert.callbackBreach';
        return {
          id: newId(now),
          ticket_id: null,
          callback_id: row.id,
          community_id: row.community_id,
          event,
          channel: this.channel,
          recipient_name: user.name,
          recipient_phone: user.phone,
          resident_id: null,
          user_id: user.id,
          read_at: null,
          body: t(locale, key, params),
          status: 'queued',
          attempts: 0,
          next_attempt_at: now.toISOString(),
          last_error: null,
          created_at: now.toISOString(),
          sent_at: null,
        };
      });
    await this.outbox.with(trx).insertMany(rows);
  }
}
