import type { Kysely } from 'kysely';
import { maskPhone } from '../../../domain/names.js';
import { normalizePhone } from '../../../domain/phone.js';
import { writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { type RequestContext, systemContext } from '../../platform/context.js';
import { serialize } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/errors.js';
import { CALL_EVENT_MAX_USERS, type CallEvent, type EventBus } from '../../platform/events.js';
import { t } from '../../platform/i18n/i18n.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import type { CompanyService } from '../company/company.service.js';
import { signBody } from '../notifications/notifications.channels.js';
import type { ResidentsService } from '../residents/residents.service.js';
import { greetingName } from '../residents/residents.service.js';
import type { StaffService } from '../staff/staff.service.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import {
  type CallState,
  foldCall,
  MISSED_OUTCOMES,
  normalizeCallerNumber,
  parseCtiEvent,
  type ResolvedEvent,
} from './calls.cti.js';
import type { CallRow, CallsRepository, StaffHandle } from './calls.repository.js';
import { answerStats, startOfLocalDay } from './calls.stats.js';

/**
 * Where an inbound call nobody answered goes (R30: missed calls become callbacks). Called inside
 * the transaction that ends the call, exactly once per call, whatever the PBX repeats.
 */
export interface MissedCallSink {
  onMissedCall(
    trx: Kysely<DB>,
    call: {
      callId: string;
      phone: string;
      communityId: string | null;
      residentId: string | null;
      queue: string | null;
      at: Date;
    },
  ): Promise<void>;
}

export interface CallSettings {
  /** A call answered within this many seconds counts as answered within three rings. */
  answerThresholdSeconds: number;
  originateUrl: string | null;
  originateSecret: string | null;
  originateTimeoutMs?: number;
}

/** A PBX's own timestamp is believed within this window around our clock; else the arrival time is used. */
const PBX_CLOCK_PAST_MS = 24 * 60 * 60_000;
const PBX_CLOCK_FUTURE_MS = 60_000;
/** A call still "ringing" or "answered" after this long lost its hangup: no longer live. */
const LIVE_FOR_MS = 4 * 60 * 60_000;
const STATS_MAX_DAYS = 31;
export const ORIGINATE_SIGNATURE_HEADER = 'x-estatedesk-signature';

type CallListRow = CallRow & {
  agent_name: string | null;
  agent_employee_no: string | null;
  resident_name: string | null;
  resident_salutation: string | null;
  community_name: string | null;
};

export class CallsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly calls: CallsRepository,
    private readonly residents: ResidentsService,
    private readonly tickets: TicketsService,
    private readonly company: CompanyService,
    private readonly staff: StaffService,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly settings: CallSettings,
    private readonly missed?: MissedCallSink,
  ) {}

  /**
   * One event from the PBX (POST /cti/events). A repeat changes nothing; events in any order end
   * in the same call (see foldCall). Everything that needs reading is read before the transaction.
   */
  async ingest(ctx: RequestContext, body: unknown) {
    const ev = parseCtiEvent(body);
    const now = this.clock.now();
    const believable =
      ev.at &&
      ev.at.getTime() >= now.getTime() - PBX_CLOCK_PAST_MS &&
      ev.at.getTime() <= now.getTime() + PBX_CLOCK_FUTURE_MS;
    const occurredAt = (believable ? ev.at! : now).toISOString();

    const existing = await this.calls.byPbxId(ev.callId);
    const remote = normalizeCallerNumber(ev.direction === 'in' ? ev.from : ev.to);
    let residentId = existing?.resident_id ?? null;
    let communityId = existing?.community_id ?? null;
    let matchCount = existing?.match_count ?? 0;
    if (!residentId && remote && normalizePhone(remote)) {
      // R27: the caller's card; the search that the desk's search box uses (R3), in every community
      const found = await this.residents.search(systemContext(), remote, { limit: 5 });
      if (found[0]) {
        residentId = found[0].id;
        communityId = found[0].communityId;
        matchCount = found.length;
      }
    }
    const agent = await this.agentOf(ev);
    const named = agent ? [] : await this.calls.staffByNames(ev.users);
    let recipients: string[];
    if (agent) recipients = [agent.id];
    else if (named.length) recipients = named.map((n) => n.id);
    else if (ev.event === 'newCall' || !existing) recipients = await this.calls.deskAgentsOnDuty(communityId);
    else recipients = [];
    const resolved: ResolvedEvent = {
      ...ev,
      at: null,
      occurredAt,
      agentUserId: agent?.id ?? (ev.direction === 'out' && named.length === 1 ? named[0]!.id : null),
      extension: agent?.extension ?? null,
      recipients,
    };

    const freshId = newId(now);
    const outcome = await this.db.transaction().execute(async (trx) => {
      // one call's events one at a time, on every server (SQLite writers are serialised anyway)
      await serialize(trx, this.calls.dialect, `call:${ev.callId}`);
      const repo = this.calls.with(trx);
      const call = await repo.ensure({
        id: freshId,
        pbx_call_id: ev.callId,
        direction: ev.direction,
        from_number: ev.from,
        to_number: ev.to,
        remote_number: remote,
        queue: ev.queue,
        extension: null,
        agent_user_id: null,
        resident_id: residentId,
        community_id: communityId,
        match_count: matchCount,
        status: 'ringing',
        outcome: null,
        cause: null,
        ringing_at: occurredAt,
        answered_at: null,
        ended_at: null,
        ring_seconds: null,
        talk_seconds: null,
        notified_user_ids: '[]',
        missed_handled_at: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      const created = call.id === freshId;
      const added = await repo.addEvent({
        id: newId(now),
        call_id: call.id,
        event: ev.event,
        dedupe_key: `${ev.callId}:${ev.event}`,
        occurred_at: occurredAt,
        received_at: now.toISOString(),
        payload: JSON.stringify(resolved),
      });
      if (!added) return { call, created: false, duplicate: true, changed: false };
      const state = foldCall((await repo.events(call.id)).map((e) => JSON.parse(e.payload) as ResolvedEvent));
      const isMissed =
        state.status === 'ended' &&
        state.direction === 'in' &&
        state.outcome !== null &&
        MISSED_OUTCOMES.includes(state.outcome) &&
        call.missed_handled_at === null;
      const values = {
        ...stateColumns(state),
        remote_number: call.remote_number ?? remote,
        resident_id: call.resident_id ?? residentId,
        community_id: call.community_id ?? communityId,
        match_count: call.resident_id ? call.match_count : matchCount,
        ...(isMissed ? { missed_handled_at: now.toISOString() } : {}),
        updated_at: now.toISOString(),
      };
      await repo.update(call.id, values);
      const after = { ...call, ...values };
      if (isMissed && this.missed) {
        // R30: a missed call becomes a callback, in this transaction
        await this.missed.onMissedCall(trx, {
          callId: call.id,
          phone: after.remote_number ?? ev.from ?? '',
          communityId: after.community_id,
          residentId: after.resident_id,
          queue: after.queue,
          at: new Date(after.ended_at ?? occurredAt),
        });
      }
      await writeAudit(
        trx,
        ctx,
        {
          action: `call.${ev.event}`,
          entityType: 'call',
          entityId: call.id,
          communityId: after.community_id,
          changes: {
            status: [created ? null : call.status, after.status],
            outcome: [created ? null : call.outcome, after.outcome],
          },
        },
        now,
      );
      return { call: after, created, duplicate: false, changed: created || call.status !== after.status };
    });

    if (outcome.changed) await this.announce(outcome.call);
    return {
      id: outcome.call.id,
      callId: ev.callId,
      status: outcome.call.status as 'ringing' | 'answered' | 'ended',
      outcome: outcome.call.outcome,
      duplicate: outcome.duplicate,
    };
  }

  /** The agent an event names: who answered, or the extension dialled / dialling. */
  private async agentOf(ev: ReturnType<typeof parseCtiEvent>): Promise<StaffHandle | undefined> {
    if (ev.answeringNumber) {
      const found = await this.calls.staffByHandle(ev.answeringNumber);
      if (found) return found;
    }
    // a direct dial to an extension (in), or a call from one (out)
    const side = ev.direction === 'in' ? ev.to : ev.from;
    if (side) {
      const found = await this.calls.staffByHandle(side);
      if (found && found.extension === side) return found;
    }
    if (ev.event !== 'newCall' && ev.users.length === 1) {
      const [named] = await this.calls.staffByNames(ev.users);
      if (named) return named;
    }
    return undefined;
  }

  /** Tells the consoles of the people the call is for; ids only (the console fetches the card). */
  private async announce(call: CallRow) {
    const userIds = new Set<string>(JSON.parse(call.notified_user_ids) as string[]);
    if (call.agent_user_id) userIds.add(call.agent_user_id);
    const ids = [...userIds];
    const type = `call.${call.status}` as CallEvent['type'];
    for (let i = 0; i < ids.length; i += CALL_EVENT_MAX_USERS) {
      await this.events
        .publish({
          type,
          userIds: ids.slice(i, i + CALL_EVENT_MAX_USERS),
          communityId: call.community_id,
          callId: call.id,
          status: call.status,
          direction: call.direction,
          agentUserId: call.agent_user_id,
        })
        .catch(() => {
          // a missed pop costs the agent a look at the call desk, never the call record
        });
    }
  }

  private async view(rows: CallListRow[]) {
    const linked = await this.calls.ticketsOf(rows.map((r) => r.id));
    const threshold = this.settings.answerThresholdSeconds;
    return rows.map((r) => ({
      id: r.id,
      pbxCallId: r.pbx_call_id,
      direction: r.direction as 'in' | 'out',
      status: r.status as 'ringing' | 'answered' | 'ended',
      outcome: r.outcome,
      cause: r.cause,
      // R4: the other party's number masked; the full one through the audited reveal
      number: r.remote_number ? maskPhone(r.remote_number) : null,
      line: (r.direction === 'in' ? r.to_number : r.from_number) ?? null,
      queue: r.queue,
      extension: r.extension,
      agent: r.agent_user_id
        ? { id: r.agent_user_id, name: r.agent_name ?? '', employeeNo: r.agent_employee_no ?? '' }
        : null,
      resident:
        r.resident_id && r.resident_name !== null
          ? {
              id: r.resident_id,
              name: r.resident_name,
              greeting: greetingName(r.resident_name, r.resident_salutation),
            }
          : null,
      matchCount: r.match_count,
      communityId: r.community_id,
      communityName: r.community_name,
      ringingAt: r.ringing_at,
      answeredAt: r.answered_at,
      endedAt: r.ended_at,
      ringSeconds: r.ring_seconds,
      talkSeconds: r.talk_seconds,
      withinThreshold: r.ring_seconds === null ? null : r.ring_seconds <= threshold,
      tickets: linked
        .filter((l) => l.call_id === r.id)
        .map((l) => ({ id: l.id, number: l.number, type: l.type, status: l.status })),
    }));
  }

  private async row(ctx: RequestContext, id: string) {
    const row = await this.calls.get(ctx.principal.scope, ctx.principal.userId, id);
    if (!row) throw errors.notFound();
    return row as CallListRow;
  }

  async list(
    ctx: RequestContext,
    q: {
      mine?: boolean;
      live?: boolean;
      from?: string;
      to?: string;
      agentId?: string;
      outcome?: string;
      direction?: 'in' | 'out';
      residentId?: string;
      cursor?: string;
      limit?: number;
    },
  ) {
    const limit = q.limit ?? 50;
    const now = this.clock.now();
    const rows = (await this.calls.list(ctx.principal.scope, ctx.principal.userId, {
      from: q.live ? new Date(now.getTime() - LIVE_FOR_MS).toISOString() : q.from,
      to: q.to,
      agentUserId: q.mine ? ctx.principal.userId : q.agentId,
      outcome: q.outcome,
      direction: q.direction,
      residentId: q.residentId,
      statuses: q.live ? ['ringing', 'answered'] : undefined,
      afterId: decodeCursor(q.cursor),
      limit,
    })) as CallListRow[];
    const page = toPage(rows, limit);
    return { items: await this.view(page.items), nextCursor: page.nextCursor };
  }

  /**
   * The screen pop (R27, R28): the call, the caller's card (as the residents module builds it, with
   * the agent's own permissions), and the greeting with the center's name and the agent's 工号.
   */
  async get(ctx: RequestContext, id: string) {
    const row = await this.row(ctx, id);
    const [call] = await this.view([row]);
    let card = null;
    if (row.resident_id) {
      card = await this.residents.card(ctx, row.resident_id).catch((error: unknown) => {
        if (error instanceof AppError && error.status === 404) return null;
        throw error;
      });
    }
    const company = await this.company.get();
    const me = await this.calls.employeeNoOf(ctx.principal.userId);
    return {
      call: call!,
      card,
      known: card !== null,
      script: t(ctx.locale, 'call.greeting', {
        center: company.shortName || company.name,
        employeeNo: me?.employee_no ?? ctx.principal.employeeNo ?? '',
      }),
      holdPromptSeconds: 20,
    };
  }

  /** The other party's full number, to call back or register a new resident (R4: audited). */
  async revealNumber(ctx: RequestContext, id: string) {
    const row = await this.row(ctx, id);
    if (!row.remote_number) throw errors.conflict('error.CALL_NO_NUMBER');
    const now = this.clock.now();
    await writeAudit(
      this.db,
      ctx,
      { action: 'call.number_revealed', entityType: 'call', entityId: id, communityId: row.community_id },
      now,
    );
    return { number: row.remote_number };
  }

  /** A call created or was about a request: linked in one click, audited; linking twice is once. */
  async linkTicket(ctx: RequestContext, id: string, ticketId: string) {
    const row = await this.row(ctx, id);
    try {
      await this.tickets.get(ctx, ticketId);
    } catch (error) {
      if (error instanceof AppError && error.status === 404)
        throw errors.field('ticketId', 'validation.notFound');
      throw error;
    }
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const added = await this.calls.with(trx).linkTicket({
        call_id: id,
        ticket_id: ticketId,
        created_at: now.toISOString(),
        created_by: ctx.principal.userId,
      });
      if (!added) return;
      await writeAudit(
        trx,
        ctx,
        {
          action: 'call.ticket_linked',
          entityType: 'call',
          entityId: id,
          communityId: row.community_id,
          changes: { ticketId: [null, ticketId] },
        },
        now,
      );
    });
    const [call] = await this.view([await this.row(ctx, id)]);
    return call!;
  }

  async stats(ctx: RequestContext, q: { from?: string; to?: string; communityId?: string }) {
    const company = await this.company.get();
    const now = this.clock.now();
    const from = q.from ? new Date(q.from) : startOfLocalDay(now, company.timeZone);
    const to = q.to ? new Date(q.to) : new Date(from.getTime() + 24 * 60 * 60_000);
    if (
      Number.isNaN(from.getTime()) ||
      Number.isNaN(to.getTime()) ||
      from >= to ||
      to.getTime() - from.getTime() > STATS_MAX_DAYS * 24 * 60 * 60_000
    ) {
      throw errors.field(q.to ? 'to' : 'from', 'validation.callRange', { days: STATS_MAX_DAYS });
    }
    const calls = await this.calls.forStats(
      ctx.principal.scope,
      ctx.principal.userId,
      from.toISOString(),
      to.toISOString(),
      q.communityId,
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      timeZone: company.timeZone,
      ...answerStats(calls, this.settings.answerThresholdSeconds, company.timeZone),
    };
  }

  async myExtension(ctx: RequestContext) {
    const me = await this.calls.employeeNoOf(ctx.principal.userId);
    if (!me) throw errors.notFound();
    return { extension: me.extension, originate: this.settings.originateUrl !== null };
  }

  /** Staff set their own extension (the screen pop rings there); unique among active staff. */
  async setMyExtension(ctx: RequestContext, extension: string | null) {
    if (ctx.principal.kind !== 'user') throw errors.forbidden();
    await this.staff.update(ctx, ctx.principal.userId, { extension });
    return this.myExtension(ctx);
  }

  /**
   * Click to call (§4): asks the PBX to ring the agent's extension and then the number, by a signed
   * POST to CTI_ORIGINATE_URL. The call itself is reported back by the PBX's events as any other.
   */
  async originate(ctx: RequestContext, input: { number?: string; callId?: string }) {
    const url = this.settings.originateUrl;
    if (!url) throw errors.conflict('error.ORIGINATE_OFF');
    const me = await this.calls.employeeNoOf(ctx.principal.userId);
    if (!me?.extension) throw errors.conflict('error.NO_EXTENSION');
    let number: string | null = null;
    let callId: string | null = null;
    if (input.callId) {
      const row = await this.row(ctx, input.callId);
      if (!row.remote_number) throw errors.conflict('error.CALL_NO_NUMBER');
      number = row.remote_number;
      callId = row.id;
    } else if (input.number) {
      number = normalizePhone(input.number, { service: true });
      if (!number) throw errors.field('phone', 'validation.phone');
    } else throw errors.field('phone', 'validation.required');

    const now = this.clock.now();
    const payload = JSON.stringify({
      extension: me.extension,
      number,
      requestedBy: { id: me.id, name: me.name, employeeNo: me.employee_no },
      callId,
      requestId: ctx.requestId,
      at: now.toISOString(),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (this.settings.originateSecret)
      headers[ORIGINATE_SIGNATURE_HEADER] = signBody(payload, this.settings.originateSecret);
    let problem: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.originateTimeoutMs ?? 5000),
      });
      const answer = (await response.text().catch(() => '')).slice(0, 200);
      if (response.status < 200 || response.status >= 300)
        problem = `HTTP ${response.status}${answer ? ` ${answer}` : ''}`;
    } catch (error) {
      problem = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'unreachable';
    }
    await writeAudit(
      this.db,
      ctx,
      {
        action: problem ? 'call.originate_failed' : 'call.originate_requested',
        entityType: 'call',
        entityId: callId,
        changes: { number: [null, maskPhone(number)], extension: [null, me.extension] },
      },
      now,
    );
    if (problem) throw new AppError(502, 'PBX_UNAVAILABLE', 'error.PBX_UNAVAILABLE', { reason: problem });
    return { extension: me.extension, number: maskPhone(number) };
  }
}

function stateColumns(s: CallState) {
  return {
    direction: s.direction,
    from_number: s.fromNumber,
    to_number: s.toNumber,
    queue: s.queue,
    agent_user_id: s.agentUserId,
    extension: s.extension,
    status: s.status,
    outcome: s.outcome,
    cause: s.cause,
    ringing_at: s.ringingAt,
    answered_at: s.answeredAt,
    ended_at: s.endedAt,
    ring_seconds: s.ringSeconds,
    talk_seconds: s.talkSeconds,
    notified_user_ids: JSON.stringify(s.notifiedUserIds),
  };
}
