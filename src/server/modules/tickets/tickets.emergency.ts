import type { Kysely } from 'kysely';
import {
  type EmergencyIntake,
  type EmergencyRecord,
  emergencyDetail,
  fileReport,
  intakeProblems,
  type LiftLogEntry,
  type LiftStep,
  logEntry,
  newEmergencyRecord,
  type PlaybookRefusal,
  parseEmergencyRecord,
  playbookBlocker,
  type StaffRef,
} from '../../../domain/emergency.js';
import { normalizePhone } from '../../../domain/phone.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors, type FieldError } from '../../platform/errors.js';
import { t } from '../../platform/i18n/i18n.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import type { TicketActionsService } from './tickets.actions.js';
import type { TicketsRepository, TicketView } from './tickets.repository.js';
import type { TicketsService } from './tickets.service.js';

export interface EmergencyLogInput {
  version: number;
  entry: LiftLogEntry;
  note?: string;
  at?: string;
  contractor?: { name: string; phone?: string };
  injuries?: boolean;
}

export interface IncidentReportInput {
  version: number;
  cause: string;
  /** Minutes trapped; by default from the report to the release. */
  duration?: number;
  actions: string;
  injuries: string;
  followUp: string;
}

/**
 * The emergency playbook (R16) on a request: each step of a lift entrapment (contractor called,
 * security and engineering sent, reassurance calls, rescuers on site, release, lift check) and
 * the incident report. The pure rules in domain/emergency decide the order; this service writes
 * a step only against the version the caller saw (R12), into the request's `emergency` record
 * and onto its timeline and audit trail in one transaction, then announces it.
 */
export class TicketEmergencyService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly tickets: TicketsRepository,
    private readonly ticketsService: TicketsService,
    private readonly actions: TicketActionsService,
    private readonly clock: Clock,
  ) {}

  /** Logs one step of the playbook. */
  async log(ctx: RequestContext, id: string, input: EmergencyLogInput) {
    const { view, record } = await this.playbookOf(ctx, id);
    const rawPhone = input.contractor?.phone?.trim() || null;
    const phone = rawPhone ? normalizePhone(rawPhone, { service: true }) : null;
    const now = this.clock.now();
    const result = logEntry(
      record,
      view.status,
      {
        entry: input.entry,
        at: input.at ?? null,
        note: input.note ?? null,
        contractor: input.contractor ? { name: input.contractor.name, phone: phone ?? rawPhone } : null,
        injuries: input.injuries ?? null,
        by: staffOf(ctx),
      },
      now,
    );
    if (!result.ok) throw refusalError(ctx, result.refusal, input.entry, view.status);
    // the order is right; now the contractor's number must be one that can be rung back
    if (rawPhone && !phone) throw errors.field('contractor.phone', 'validation.phone');
    const { note, ...data } = result.added;
    return this.write(ctx, view, input.version, result.record, `emergency_${input.entry}`, now, {
      note,
      data,
      changes: { [`emergency.${input.entry}`]: [null, result.added] },
    });
  }

  /** Files the incident report, once the people are freed. */
  async report(ctx: RequestContext, id: string, input: IncidentReportInput) {
    const { view, record } = await this.playbookOf(ctx, id);
    const now = this.clock.now();
    const result = fileReport(
      record,
      view.status,
      {
        cause: input.cause,
        durationMinutes: input.duration ?? null,
        actions: input.actions,
        injuries: input.injuries,
        followUp: input.followUp,
        by: staffOf(ctx),
      },
      now,
    );
    if (!result.ok) throw refusalError(ctx, result.refusal, 'incident_report', view.status);
    return this.write(ctx, view, input.version, result.record, 'incident_report', now, {
      note: result.added.cause,
      data: { ...result.added },
      changes: { 'emergency.report': [null, result.added] },
    });
  }

  /** The request, as the caller may see it (field staff: only their jobs), and its playbook. */
  private async playbookOf(ctx: RequestContext, id: string) {
    const view = await this.tickets.get(ctx.principal.scope, id, await this.ticketsService.workerOf(ctx));
    if (!view) throw errors.notFound();
    if (!view.emergency) throw new AppError(409, 'EMERGENCY_NO_PLAYBOOK', 'error.EMERGENCY_NO_PLAYBOOK');
    return { view, record: view.emergency };
  }

  private async write(
    ctx: RequestContext,
    view: TicketView,
    version: number,
    record: EmergencyRecord,
    type: string,
    now: Date,
    step: { note: string | null; data: Record<string, unknown>; changes: Record<string, [unknown, unknown]> },
  ) {
    let stale = false;
    await this.db.transaction().execute(async (trx) => {
      const applied = await this.tickets.with(trx).applyIfVersion(view.id, version, {
        emergency: JSON.stringify(record),
        updated_at: now.toISOString(),
      });
      if (!applied) {
        stale = true;
        return;
      }
      await this.actions.recordStep(trx, ctx, view, type, now, step);
    });
    if (stale) throw await this.staleError(ctx, view.id);
    const ticket = await this.ticketsService.get(ctx, view.id);
    await this.ticketsService.announce(ticket, type);
    return ticket;
  }

  /** A 409 that says who changed the request, when, and how (R12), as every ticket action does. */
  private async staleError(ctx: RequestContext, id: string) {
    const last = await this.tickets.lastEvent(id);
    return new AppError(409, 'CONFLICT', 'error.STALE_TICKET', {
      who: last?.actor_name ?? '—',
      at: last ? when(last.at) : '',
      action: last ? t(ctx.locale, `ticket.action.${last.type}` as MessageKey) : '—',
    });
  }
}

/** Who is logging: their name and 工号 as they are now, kept with the step. */
function staffOf(ctx: RequestContext): StaffRef | null {
  if (ctx.principal.userId === 'system') return null;
  return { id: ctx.principal.userId, name: ctx.principal.name, employeeNo: ctx.principal.employeeNo };
}

/** A time as the stale-version message shows it. */
function when(iso: string) {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

const stepName = (ctx: RequestContext, step: string) => t(ctx.locale, `emergency.step.${step}` as MessageKey);

/** Why the playbook refused, in the caller's language: the order is a 409, the input a 400. */
function refusalError(
  ctx: RequestContext,
  refusal: PlaybookRefusal,
  step: LiftStep,
  status: string,
): AppError {
  const action = step === 'incident_report' ? step : `emergency_${step}`;
  switch (refusal.reason) {
    case 'ticket_finished':
      return new AppError(409, 'ILLEGAL_TRANSITION', 'error.ILLEGAL_TRANSITION', {
        status: t(ctx.locale, `ticket.status.${status}` as MessageKey),
        action: t(ctx.locale, `ticket.action.${action}` as MessageKey),
      });
    case 'already_logged':
      return new AppError(409, 'EMERGENCY_OUT_OF_ORDER', 'error.EMERGENCY_ALREADY_LOGGED', {
        step: stepName(ctx, refusal.step),
        at: when(refusal.at),
      });
    case 'needs':
      return new AppError(409, 'EMERGENCY_OUT_OF_ORDER', 'error.EMERGENCY_OUT_OF_ORDER', {
        step: stepName(ctx, refusal.step),
      });
    case 'already_released':
      return new AppError(409, 'EMERGENCY_OUT_OF_ORDER', 'error.EMERGENCY_ALREADY_RELEASED', {
        at: when(refusal.at),
        step: stepName(ctx, step),
      });
    case 'invalid': {
      const params = {
        ...(refusal.step ? { step: stepName(ctx, refusal.step) } : {}),
        ...(refusal.at ? { at: when(refusal.at) } : {}),
      };
      const key: MessageKey = {
        future: 'validation.emergencyAtFuture',
        before_report: 'validation.emergencyAtBeforeReport',
        before_step: 'validation.emergencyAtBeforeStep',
        only_for: 'validation.emergencyOnlyForStep',
        required: 'validation.required',
        format: 'validation.invalid',
      }[refusal.problem] as MessageKey;
      return errors.field(refusal.field, key, params);
    }
  }
}

// ---- what the rest of the tickets module uses ----

/**
 * R16, on receiving a request: the emergency part belongs to emergencies only, and a lift
 * entrapment names the lift, the floor and how many people are trapped.
 */
export function emergencyIntakeProblems(
  type: string,
  intake: EmergencyIntake | null | undefined,
): FieldError[] {
  if (!intake) return [];
  if (type !== 'emergency') return [{ field: 'emergency', key: 'validation.emergencyOnlyForEmergency' }];
  return intakeProblems(intake).map((p) =>
    p.problem === 'required'
      ? { field: `emergency.${p.field}`, key: 'validation.required' }
      : { field: `emergency.${p.field}`, key: 'validation.minimum', params: { limit: 1 } },
  );
}

/** The `emergency` column of a new request: its playbook record, or null. */
export function emergencyColumn(intake: EmergencyIntake | null | undefined, reportedAt: Date): string | null {
  return intake ? JSON.stringify(newEmergencyRecord(intake, reportedAt)) : null;
}

/** The playbook as the request's detail shows it at `now`: checklist, next step, reassurance due. */
export function emergencyView(record: EmergencyRecord | null, now: Date) {
  return record ? emergencyDetail(record, now) : null;
}

/**
 * Why an emergency may not be completed or closed yet (R16: only once the people are freed and
 * the incident report is filed), as a message key; null when nothing holds it. Takes the
 * request's row (its `emergency` JSON) or its TicketView (the parsed record).
 */
export function emergencyBlocker(ticket: { emergency: string | EmergencyRecord | null }): MessageKey | null {
  const record =
    typeof ticket.emergency === 'string' ? parseEmergencyRecord(ticket.emergency) : ticket.emergency;
  const block = playbookBlocker(record);
  if (block === 'not_released') return 'error.EMERGENCY_NOT_RELEASED';
  if (block === 'no_report') return 'error.EMERGENCY_NO_REPORT';
  return null;
}
