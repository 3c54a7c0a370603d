import type { Kysely } from 'kysely';
import { normalizePhone } from '../../../domain/phone.js';
import { READ_ROLES } from '../../../domain/roles.js';
import { allowedActions } from '../../../domain/ticket-lifecycle.js';
import {
  missingIntakeParts,
  type TicketChannel,
  type TicketPriority,
  type TicketStatus,
  type TicketType,
} from '../../../domain/tickets.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { hasRole, type RequestContext } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { errors, type FieldError } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import type { RegistryRepository } from '../registry/registry.repository.js';
import type { ResidentsRepository } from '../residents/residents.repository.js';
import type { TicketsRepository } from './tickets.repository.js';

/** The queue views of the desk and of field staff. */
export const TICKET_VIEWS = ['mine', 'team', 'unassigned', 'pending'] as const;
export type QueueView = (typeof TICKET_VIEWS)[number];

export interface CreateTicketInput {
  communityId: string;
  roomId?: string | null;
  publicAreaId?: string | null;
  residentId?: string | null;
  callerName?: string | null;
  callerPhone?: string | null;
  type: TicketType;
  channel: TicketChannel;
  priority?: TicketPriority;
  categoryId?: string | null;
  content: string;
  paid?: boolean;
}

/** "GD" + the community's local date, e.g. GD20261130. */
export function ticketNumberPrefix(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
  return `GD${parts.replaceAll('-', '')}`;
}

export class TicketsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly tickets: TicketsRepository,
    private readonly registry: RegistryRepository,
    private readonly residents: ResidentsRepository,
    private readonly clock: Clock,
    private readonly events: EventBus,
  ) {}

  /** Tells every open console that a request changed; the change has committed already. */
  async announce(
    ticket: { id: string; communityId: string; status: string; version: number },
    action: string,
  ) {
    await this.events
      .publish({
        type: 'ticket.changed',
        ticketId: ticket.id,
        communityId: ticket.communityId,
        status: ticket.status,
        version: ticket.version,
        action,
      })
      .catch(() => {
        // a missed announcement costs a refresh, never the change itself
      });
  }

  /** Field staff (维修, 保安 …) see only their jobs: assigned to them or with one of their teams. */
  async workerOf(ctx: RequestContext) {
    if (hasRole(ctx.principal, READ_ROLES)) return undefined;
    return { userId: ctx.principal.userId, teamIds: await this.tickets.teamIdsOf(ctx.principal.userId) };
  }

  /**
   * The queues: `mine` (assigned to me), `team` (my teams' jobs, their grab pools included),
   * `unassigned` (received, waiting for dispatch), `pending` (on hold); or everything in my
   * communities. Newest first, keyset-paginated.
   */
  async list(
    ctx: RequestContext,
    q: {
      communityId?: string;
      status?: string;
      type?: string;
      view?: QueueView;
      cursor?: string;
      limit?: number;
    },
  ) {
    const limit = q.limit ?? 50;
    const worker = await this.workerOf(ctx);
    const myTeams =
      q.view === 'team'
        ? (worker?.teamIds ?? (await this.tickets.teamIdsOf(ctx.principal.userId)))
        : undefined;
    const rows = await this.tickets.list(ctx.principal.scope, {
      communityId: q.communityId,
      status: q.view === 'pending' ? 'pending' : q.view === 'unassigned' ? 'received' : q.status,
      type: q.type,
      beforeId: decodeCursor(q.cursor),
      limit,
      ...(q.view === 'mine' ? { assigneeId: ctx.principal.userId } : {}),
      ...(myTeams ? { teamIds: myTeams } : {}),
      ...(q.view === 'unassigned' ? { unassigned: true } : {}),
      ...(worker ? { workerOf: worker } : {}),
    });
    return toPage(rows, limit);
  }

  /**
   * One request with its timeline and the actions the caller may take. `afterOwnAction`: the
   * caller has just acted on it, so they see the result even if it is no longer theirs (a
   * worker who declined a job).
   */
  async get(ctx: RequestContext, id: string, options: { afterOwnAction?: boolean } = {}) {
    const worker = options.afterOwnAction ? undefined : await this.workerOf(ctx);
    const ticket = await this.tickets.get(ctx.principal.scope, id, worker);
    if (!ticket) throw errors.notFound();
    const [events, lifecycle, teamIds] = await Promise.all([
      this.tickets.events(id),
      this.tickets.lifecycleOf(id),
      this.tickets.teamIdsOf(ctx.principal.userId),
    ]);
    const actions = lifecycle
      ? allowedActions(lifecycle, { id: ctx.principal.userId, roles: ctx.principal.roles, teamIds })
      : [];
    return {
      ...ticket,
      allowedActions: actions,
      events: events.map((e) => ({
        id: e.id,
        type: e.type,
        at: e.at,
        note: e.note,
        actor: e.actor_id
          ? { id: e.actor_id, name: e.actor_name ?? '', employeeNo: e.actor_employee_no ?? '' }
          : null,
      })),
    };
  }

  /**
   * Receives a request (受理). With an idempotency key, a retried submission returns the ticket
   * the first one created instead of creating a second (R12).
   */
  async create(ctx: RequestContext, input: CreateTicketInput, idempotencyKey?: string) {
    const scope = ctx.principal.scope;
    const key = idempotencyKey ? `${ctx.principal.id}:${idempotencyKey}` : null;
    if (key) {
      const existing = await this.tickets.findByIdempotencyKey(key);
      if (existing) return { ticket: await this.get(ctx, existing.id), replayed: true };
    }

    const problems: FieldError[] = [];
    const community = await this.registry.getCommunity(scope, input.communityId);
    if (!community) throw errors.field('communityId', 'validation.notFound');

    if (input.roomId && input.publicAreaId)
      problems.push({ field: 'roomId', key: 'validation.oneOf', params: { other: 'publicAreaId' } });
    if (input.roomId) {
      const room = await this.registry.getRoom(scope, input.roomId);
      if (!room) problems.push({ field: 'roomId', key: 'validation.notFound' });
      else if (room.communityId !== community.id)
        problems.push({ field: 'roomId', key: 'validation.roomCommunity' });
    }
    if (input.publicAreaId) {
      const area = await this.registry.getPublicArea(scope, input.publicAreaId);
      if (!area || area.community_id !== community.id)
        problems.push({ field: 'publicAreaId', key: 'validation.notFound' });
    }
    let resident: Awaited<ReturnType<ResidentsRepository['get']>> | undefined;
    if (input.residentId) {
      resident = await this.residents.get(scope, input.residentId);
      if (!resident || resident.communityId !== community.id)
        problems.push({ field: 'residentId', key: 'validation.notFound' });
    }
    let callerPhone: string | null = null;
    if (input.callerPhone?.trim()) {
      callerPhone = normalizePhone(input.callerPhone, { service: true });
      if (!callerPhone) problems.push({ field: 'callerPhone', key: 'validation.phone' });
    }
    const callerName = input.callerName?.trim() || null;
    const intakeProblem = {
      location: { field: 'roomId', key: 'validation.oneOf', params: { other: 'publicAreaId' } },
      contactName: { field: 'callerName', key: 'validation.required' },
      contactPhone: { field: 'callerPhone', key: 'validation.required' },
    } satisfies Record<string, FieldError>;
    for (const part of missingIntakeParts({
      channel: input.channel,
      hasLocation: Boolean(input.roomId || input.publicAreaId),
      hasContactName: Boolean(input.residentId || callerName),
      hasContactPhone: Boolean(input.residentId || input.callerPhone?.trim()),
    })) {
      const problem = intakeProblem[part];
      if (!problems.some((p) => p.field === problem.field)) problems.push(problem);
    }
    if (input.categoryId && !(await this.tickets.categoryExists(input.categoryId))) {
      problems.push({ field: 'categoryId', key: 'validation.notFound' });
    }
    if (problems.length) throw errors.validation(problems);

    // R5: a resident who needs extra care is never left in the normal queue
    const requested = input.priority ?? 'normal';
    const raisedForCare = Boolean(resident?.care.length) && (requested === 'normal' || requested === 'low');
    const priority = raisedForCare ? 'high' : requested;

    const now = this.clock.now();
    const id = newId(now);
    try {
      await this.db.transaction().execute(async (trx) => {
        const repo = this.tickets.with(trx);
        const prefix = ticketNumberPrefix(now, community.time_zone);
        const sequence = await repo.nextSequence(`ticket:${prefix}`);
        const row = {
          id,
          number: `${prefix}-${String(sequence).padStart(4, '0')}`,
          community_id: community.id,
          type: input.type,
          channel: input.channel,
          priority,
          status: 'received',
          room_id: input.roomId ?? null,
          public_area_id: input.publicAreaId ?? null,
          resident_id: input.residentId ?? null,
          caller_name: callerName,
          caller_phone: callerPhone,
          category_id: input.categoryId ?? null,
          content: input.content.trim(),
          paid: input.paid ? 1 : 0,
          created_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
          idempotency_key: key,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          version: 1,
        };
        await repo.insert(row);
        await repo.insertEvent({
          id: newId(now),
          ticket_id: id,
          community_id: community.id,
          type: 'created',
          at: now.toISOString(),
          actor_id: row.created_by,
          note: raisedForCare ? '住户需特别关怀，优先级已调高' : null,
          data: JSON.stringify({
            channel: row.channel,
            type: row.type,
            priority: row.priority,
            raisedForCare,
          }),
        });
        const { idempotency_key: _k, ...audited } = row;
        await writeAudit(
          trx,
          ctx,
          {
            action: 'ticket.created',
            entityType: 'ticket',
            entityId: id,
            communityId: community.id,
            changes: changesOf(null, audited),
          },
          now,
        );
      });
    } catch (error) {
      // two copies of one submission raced: the loser answers with the winner's ticket
      if (key && isUniqueViolation(error)) {
        const existing = await this.tickets.findByIdempotencyKey(key);
        if (existing) return { ticket: await this.get(ctx, existing.id), replayed: true };
      }
      throw error;
    }
    const ticket = await this.get(ctx, id);
    await this.announce(ticket, 'created');
    return { ticket, replayed: false };
  }

  async categories() {
    const rows = await this.tickets.categories();
    return { items: rows.map((r) => ({ id: r.id, parentId: r.parent_id, code: r.code, name: r.name })) };
  }
}
