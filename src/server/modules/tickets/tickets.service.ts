import type { Kysely } from 'kysely';
import type { DispatchRoute } from '../../../domain/dispatch.js';
import type { EmergencyIntake } from '../../../domain/emergency.js';
import { normalizePhone } from '../../../domain/phone.js';
import { READ_ROLES } from '../../../domain/roles.js';
import { allowedActions } from '../../../domain/ticket-lifecycle.js';
import {
  INCIDENT_MATCH_HOURS,
  MAX_APPOINTMENT_HOURS,
  missingIntakeParts,
  type RepairScope,
  type TicketChannel,
  type TicketPriority,
  type TicketStatus,
  type TicketType,
} from '../../../domain/tickets.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { hasRole, type RequestContext } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { GroupCommit } from '../../platform/db/group-commit.js';
import type { DB } from '../../platform/db/schema.js';
import { errors, type FieldError } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import type { TicketNotifier } from '../notifications/notifications.service.js';
import type { RegistryRepository } from '../registry/registry.repository.js';
import type { ResidentsRepository } from '../residents/residents.repository.js';
import {
  emergencyBlocker,
  emergencyColumn,
  emergencyIntakeProblems,
  emergencyView,
} from './tickets.emergency.js';
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
  repairScope?: RepairScope | null;
  appointment?: { from: string; to: string } | null;
  externalRef?: string | null;
  parentId?: string | null;
  /** Emergencies (R16): what the playbook starts from, e.g. a lift entrapment's lift, floor and people. */
  emergency?: EmergencyIntake | null;
}

/** One date formatter per time zone: building one costs more than the rest of numbering a request. */
const localDateFormats = new Map<string, Intl.DateTimeFormat>();

/** "GD" + the community's local date, e.g. GD20261130. */
export function ticketNumberPrefix(at: Date, timeZone: string): string {
  let format = localDateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    localDateFormats.set(timeZone, format);
  }
  return `GD${format.format(at).replaceAll('-', '')}`;
}

export class TicketsService {
  constructor(
    // biome-ignore lint/correctness/noUnusedPrivateClassMembers: unused since receiving writes through `commits`; kept until the call in app.ts (a shared file) drops it
    private readonly db: Kysely<DB>,
    private readonly tickets: TicketsRepository,
    private readonly registry: RegistryRepository,
    private readonly residents: ResidentsRepository,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly notifier: TicketNotifier,
    private readonly router: DispatchRouter,
    /** Receiving shares commits with the requests received at the same moment (SQLite). */
    readonly commits: GroupCommit,
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
   * worker who declined a job). `justCreated`: this call created it, so nothing links to it yet
   * (no children to look up). Three statements for most requests: the row (with what the
   * lifecycle needs), its timeline, the caller's teams.
   */
  async get(
    ctx: RequestContext,
    id: string,
    options: { afterOwnAction?: boolean; justCreated?: boolean } = {},
  ) {
    const worker = options.afterOwnAction ? undefined : await this.workerOf(ctx);
    const [detail, events, teamIds] = await Promise.all([
      this.tickets.getDetail(ctx.principal.scope, id, worker),
      this.tickets.events(id),
      worker ? worker.teamIds : this.tickets.teamIdsOf(ctx.principal.userId),
    ]);
    if (!detail) throw errors.notFound();
    const { view: ticket, lifecycle } = detail;
    // the first owner is most often who took the request, or who holds it: both are in the row
    const ownerId = lifecycle.firstOwnerId;
    const knownOwner = [ticket.createdBy, ticket.assignee].find((actor) => actor && actor.id === ownerId);
    const [parent, children, firstOwner] = await Promise.all([
      ticket.parentId ? this.tickets.brief(ticket.parentId) : undefined,
      options.justCreated ? [] : this.tickets.children(id),
      knownOwner ?? (ownerId ? this.tickets.actor(ownerId) : undefined),
    ]);
    // a request linked to an incident follows it (R11): it is not dispatched or worked on its own
    const actions = allowedActions(lifecycle, {
      id: ctx.principal.userId,
      roles: ctx.principal.roles,
      teamIds,
    }).filter(
      (a) =>
        (!ticket.parentId || LINKED_ACTIONS.has(a)) &&
        // R16: the playbook must reach the release and the incident report first
        !((a === 'complete' || a === 'close') && emergencyBlocker(ticket)),
    );
    return {
      ...ticket,
      parent: parent ? { id: parent.id, number: parent.number, status: parent.status as TicketStatus } : null,
      children: children.map((c) => ({
        id: c.id,
        number: c.number,
        status: c.status as TicketStatus,
        reporterName: c.resident_name ?? c.caller_name,
      })),
      firstOwner: firstOwner ?? null,
      emergency: emergencyView(ticket.emergency, this.clock.now()),
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
    if (input.categoryId && !(await this.tickets.categoryInUse(input.categoryId))) {
      problems.push({ field: 'categoryId', key: 'validation.notFound' });
    }
    const now = this.clock.now();
    problems.push(...checkRequestDetails(input, now));
    problems.push(...emergencyIntakeProblems(input.type, input.emergency));
    const parent = input.parentId ? await this.tickets.get(scope, input.parentId) : undefined;
    if (input.parentId) {
      const problem = linkProblem(parent, community.id);
      if (problem) problems.push({ field: 'parentId', key: problem });
    }
    if (problems.length) throw errors.validation(problems);
    const repairScope =
      input.type !== 'repair'
        ? null
        : (input.repairScope ?? (input.roomId ? 'indoor' : input.publicAreaId ? 'public' : null));

    // R5: a resident who needs extra care is never left in the normal queue
    // R16: an emergency is urgent, whatever was asked for
    const requested = input.type === 'emergency' ? 'urgent' : (input.priority ?? 'normal');
    const raisedForCare = Boolean(resident?.care.length) && (requested === 'normal' || requested === 'low');
    const priority = raisedForCare ? 'high' : requested;

    const id = newId(now);
    const prefix = ticketNumberPrefix(now, community.time_zone);
    // The day's counter row stays locked from its increment to the commit. SQLite's writers take
    // turns anyway (and share commits); on PostgreSQL that lock made each request wait for the one
    // before it to commit — 6 to 9 of 10 pooled connections were waiting on it under load. There the
    // number is taken in a statement of its own, committed at once: a request that fails after it
    // leaves a gap in the day's numbers (docs/decisions/0006-group-commit.md).
    const numberedAhead = this.commits.sideBySide
      ? await this.tickets.nextSequence(`ticket:${prefix}`)
      : null;
    try {
      await this.commits.run(async (trx) => {
        const repo = this.tickets.with(trx);
        const sequence = numberedAhead ?? (await repo.nextSequence(`ticket:${prefix}`));
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
          repair_scope: repairScope,
          appointment_from: input.appointment ? new Date(input.appointment.from).toISOString() : null,
          appointment_to: input.appointment ? new Date(input.appointment.to).toISOString() : null,
          external_ref: input.externalRef?.trim() || null,
          parent_id: parent?.id ?? null,
          emergency: emergencyColumn(input.emergency, now),
          created_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
          // 首问负责制 (R15): whoever first hears it owns it until it is handed to a team
          first_owner_id: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
          idempotency_key: key,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
          version: 1,
        };
        // dispatch by category (grab pool or round-robin among those on duty), unless it is a
        // report of an incident already being handled (R11)
        const route = parent
          ? ({ mode: 'assign' } as const)
          : await this.router.routeFor(trx, { categoryId: row.category_id, communityId: community.id }, now);
        const dispatched =
          route.mode === 'assign'
            ? {}
            : {
                status: 'dispatched',
                team_id: route.teamId,
                assignee_id: route.mode === 'auto' ? route.assigneeId : null,
                dispatched_at: now.toISOString(),
                handed_over_at: now.toISOString(),
              };
        await repo.insert({ ...row, ...dispatched });
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
        await this.notifier.onStep(trx, id, 'created', {}, now);
        if (route.mode !== 'assign') {
          const data = {
            teamId: route.teamId,
            assigneeId: route.mode === 'auto' ? route.assigneeId : null,
            pool: route.mode === 'grab',
            automatic: true,
            ...(route.mode === 'grab' && route.reason ? { reason: route.reason } : {}),
          };
          await repo.insertEvent({
            id: newId(now),
            ticket_id: id,
            community_id: community.id,
            type: 'dispatch',
            at: now.toISOString(),
            actor_id: null,
            note: route.mode === 'auto' ? '按类别自动派单（轮流）' : '按类别进入班组抢单池',
            data: JSON.stringify(data),
          });
          await this.notifier.onStep(trx, id, 'dispatch', data, now);
        }
        if (parent) {
          // the incident's own timeline lists every reporter (R11)
          await repo.insertEvent({
            id: newId(now),
            ticket_id: parent.id,
            community_id: community.id,
            type: 'link',
            at: now.toISOString(),
            actor_id: row.created_by,
            note: row.number,
            data: JSON.stringify({ childId: id, childNumber: row.number }),
          });
        }
        const { idempotency_key: _k, ...audited } = { ...row, ...dispatched };
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
    const ticket = await this.get(ctx, id, { justCreated: true });
    await this.announce(ticket, 'created');
    return { ticket, replayed: false };
  }

  /**
   * Open requests that may be the same incident as one being logged (R11): same community, same
   * category (or its parent, or its children), same building (for a room) or the
   * same public area, received in the last day.
   */
  async similar(
    ctx: RequestContext,
    q: {
      communityId: string;
      categoryId: string;
      roomId?: string;
      publicAreaId?: string;
      excludeId?: string;
    },
  ) {
    const scope = ctx.principal.scope;
    const category = await this.tickets.categoryWithParent(q.categoryId);
    if (!category) throw errors.field('categoryId', 'validation.notFound');
    let buildingId: string | null = null;
    if (q.roomId) {
      const room = await this.registry.getRoom(scope, q.roomId);
      if (!room || room.communityId !== q.communityId) throw errors.field('roomId', 'validation.notFound');
      buildingId = room.buildingId;
    } else if (!q.publicAreaId) {
      throw errors.field('roomId', 'validation.oneOf', { other: 'publicAreaId' });
    }
    const since = new Date(this.clock.now().getTime() - INCIDENT_MATCH_HOURS * 3_600_000).toISOString();
    const matches = await this.tickets.similar(scope, {
      communityId: q.communityId,
      // the same category, its first-level parent, or (for a first-level one) its children:
      // one caller says 漏水, another just 水电
      categoryIds: category.parent_id
        ? [category.id, category.parent_id]
        : [category.id, ...(await this.tickets.childCategoryIds(category.id))],
      buildingId,
      publicAreaId: q.publicAreaId ?? null,
      since,
      excludeId: q.excludeId,
      limit: 5,
    });
    const items = [];
    for (const m of matches) {
      const ticket = await this.tickets.get(scope, m.id);
      if (ticket) items.push(ticket);
    }
    return { items };
  }
}

/** Where a new request goes by its category (the categories module decides). */
export interface DispatchRouter {
  routeFor(
    trx: Kysely<DB>,
    ticket: { categoryId: string | null; communityId: string },
    now: Date,
  ): Promise<DispatchRoute>;
}

/** What a request linked to an incident may still do on its own: leave it by being cancelled. */
const LINKED_ACTIONS = new Set<string>(['cancel']);

/** Scope, appointment window and hotline order number: what only some requests carry. */
function checkRequestDetails(input: CreateTicketInput, now: Date): FieldError[] {
  const problems: FieldError[] = [];
  if (input.repairScope && input.type !== 'repair')
    problems.push({ field: 'repairScope', key: 'validation.onlyRepairs' });
  if (input.appointment) {
    const from = Date.parse(input.appointment.from);
    const to = Date.parse(input.appointment.to);
    if (!input.roomId) problems.push({ field: 'appointment', key: 'validation.appointmentNeedsRoom' });
    else if (!(from < to) || to - from > MAX_APPOINTMENT_HOURS * 3_600_000 || to <= now.getTime())
      problems.push({
        field: 'appointment',
        key: 'validation.appointmentWindow',
        params: { hours: MAX_APPOINTMENT_HOURS },
      });
  }
  const ref = input.externalRef?.trim();
  if (input.channel === 'hotline' && !ref)
    problems.push({ field: 'externalRef', key: 'validation.required' });
  if (ref && input.channel !== 'hotline')
    problems.push({ field: 'externalRef', key: 'validation.onlyHotline' });
  return problems;
}

/** Why a request cannot be the incident another one is linked to (R11), or null. */
export function linkProblem(
  parent: { communityId: string; status: string; parentId: string | null } | undefined,
  communityId: string,
): MessageKey | null {
  if (!parent || parent.communityId !== communityId) return 'validation.notFound';
  if (['done', 'closed', 'cancelled'].includes(parent.status)) return 'validation.parentNotOpen';
  if (parent.parentId) return 'validation.parentIsLinked';
  return null;
}
