/**
 * The emergency playbook (R16) as pure rules: what an emergency records when it is received,
 * the checklist it is worked through, what may be logged in which order, which step is next,
 * whether a reassurance call is overdue, and whether the request may be completed or closed.
 * No I/O: the caller loads the record (the ticket's `emergency` JSON), calls these functions with
 * `now`, and stores what they return.
 *
 * Only the lift entrapment (电梯困人) has a playbook so far. A kind is added by adding it to
 * EMERGENCY_KINDS with its intake, its log entries and its rules; the record is a union by kind.
 *
 * The clocks of R16 (contractor called at once, rescuers on site within 30 min) belong to the
 * SLA module: this module records every time they are measured from (reported, called, arrived,
 * released) and leaves the measuring to it.
 */

/** The kinds of emergency with a playbook. */
export const EMERGENCY_KINDS = ['lift_entrapment'] as const;
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];

/** What may be logged on a lift entrapment while it is worked (the incident report aside). */
export const LIFT_LOG_ENTRIES = [
  'contractor_called', // 通知电梯维保单位
  'onsite_notified', // 通知保安 / 工程人员到场
  'reassurance_call', // 对讲或电话安抚被困人员 (repeated until release)
  'rescuers_arrived', // 救援人员到场
  'released', // 被困人员解救 (time, injuries)
  'lift_checked', // 电梯停用、检查
] as const;
export type LiftLogEntry = (typeof LIFT_LOG_ENTRIES)[number];

/** The checklist of a lift entrapment, in the order it is worked. */
export const LIFT_STEPS = ['recorded', ...LIFT_LOG_ENTRIES, 'incident_report'] as const;
export type LiftStep = (typeof LIFT_STEPS)[number];

/**
 * How often the trapped people are spoken to until they are freed (*default*). The standards in
 * seeds/ name no interval for a lift; 5 minutes is common practice, and R29 asks far more often of
 * a caller on hold.
 */
export const REASSURANCE_INTERVAL_MINUTES = 5;

/** The longest trapped time an incident report may state: a week, in minutes. */
export const MAX_DURATION_MINUTES = 7 * 24 * 60;

/** Who logged a step, as they were at that moment. */
export interface StaffRef {
  id: string;
  name: string;
  employeeNo: string | null;
}

export interface EmergencyLogRecord {
  entry: LiftLogEntry;
  /** When it happened (may be earlier than when it was logged). */
  at: string;
  /** When it was logged. */
  loggedAt: string;
  by: StaffRef | null;
  note: string | null;
  /** contractor_called: whom the desk called. */
  contractor: { name: string; phone: string | null } | null;
  /** released: whether anyone was hurt. */
  injuries: boolean | null;
}

export interface IncidentReport {
  cause: string;
  /** How long the people were trapped, in minutes. */
  durationMinutes: number;
  actions: string;
  injuries: string;
  followUp: string;
  at: string;
  by: StaffRef | null;
}

/** The record of a lift entrapment, stored on the ticket. */
export interface LiftEntrapmentRecord {
  kind: 'lift_entrapment';
  /** Which lift, e.g. "3栋2单元1号梯". */
  lift: string;
  floor: string;
  people: number;
  notes: string | null;
  /** When the desk received it: the start of the playbook and of its clocks. */
  reportedAt: string;
  log: EmergencyLogRecord[];
  report: IncidentReport | null;
}

/** One record per kind. */
export type EmergencyRecord = LiftEntrapmentRecord;

// ---- intake ----

export interface EmergencyIntake {
  kind: EmergencyKind;
  lift?: string | null;
  floor?: string | null;
  people?: number | null;
  notes?: string | null;
}

export type IntakeField = 'lift' | 'floor' | 'people';

/** What a lift entrapment must record when received (R16): the lift, the floor, how many people. */
export function intakeProblems(
  intake: EmergencyIntake,
): { field: IntakeField; problem: 'required' | 'invalid' }[] {
  const problems: { field: IntakeField; problem: 'required' | 'invalid' }[] = [];
  if (!intake.lift?.trim()) problems.push({ field: 'lift', problem: 'required' });
  if (!intake.floor?.trim()) problems.push({ field: 'floor', problem: 'required' });
  if (intake.people === undefined || intake.people === null)
    problems.push({ field: 'people', problem: 'required' });
  else if (!Number.isInteger(intake.people) || intake.people < 1)
    problems.push({ field: 'people', problem: 'invalid' });
  return problems;
}

/** The record an emergency starts with; call only once intakeProblems() is empty. */
export function newEmergencyRecord(intake: EmergencyIntake, reportedAt: Date): EmergencyRecord {
  return {
    kind: intake.kind,
    lift: intake.lift!.trim(),
    floor: intake.floor!.trim(),
    people: intake.people!,
    notes: intake.notes?.trim() || null,
    reportedAt: reportedAt.toISOString(),
    log: [],
    report: null,
  };
}

/** The stored JSON of a ticket's emergency, or null when it has none. */
export function parseEmergencyRecord(json: string | null | undefined): EmergencyRecord | null {
  if (!json) return null;
  const value = JSON.parse(json) as EmergencyRecord;
  return (EMERGENCY_KINDS as readonly string[]).includes(value.kind) ? value : null;
}

// ---- the order of the log ----

interface EntryRule {
  /** Logged at most once. */
  once: boolean;
  /** What must be logged first; its time is also a lower bound of this one's. */
  requires: readonly LiftLogEntry[];
  /** Only while people are still trapped (before 'released'). */
  whileTrapped: boolean;
}

/**
 * The order of a lift entrapment. The contractor (维保单位) is called before anyone can be said to
 * have come to rescue, and the people are freed by rescuers on site: a release needs both. Until
 * then the desk notifies security or engineering on site once and speaks to the trapped people as
 * often as it takes. After the release only the lift's check and the report remain.
 */
const LIFT_RULES: { readonly [E in LiftLogEntry]: EntryRule } = {
  contractor_called: { once: true, requires: [], whileTrapped: true },
  onsite_notified: { once: true, requires: [], whileTrapped: true },
  reassurance_call: { once: false, requires: [], whileTrapped: true },
  rescuers_arrived: { once: true, requires: ['contractor_called'], whileTrapped: true },
  released: { once: true, requires: ['contractor_called', 'rescuers_arrived'], whileTrapped: true },
  lift_checked: { once: true, requires: ['released'], whileTrapped: false },
};

/** Ticket statuses on which the playbook can no longer be written. */
const FINISHED_STATUSES: readonly string[] = ['closed', 'cancelled'];

export type PlaybookRefusal =
  /** The request is closed or cancelled. */
  | { reason: 'ticket_finished' }
  /** A once-only step was logged already. */
  | { reason: 'already_logged'; step: LiftStep; at: string }
  /** A step that must come first is missing. */
  | { reason: 'needs'; step: LiftStep }
  /** The people are free: the trapped phase cannot be logged any more. */
  | { reason: 'already_released'; at: string }
  /** The input itself is wrong. */
  | {
      reason: 'invalid';
      field: 'at' | 'contractor' | 'injuries' | 'duration';
      problem: 'future' | 'before_report' | 'before_step' | 'only_for' | 'required' | 'format';
      step?: LiftStep;
      at?: string;
    };

export type PlaybookResult<T> =
  | { ok: true; record: EmergencyRecord; added: T }
  | { ok: false; refusal: PlaybookRefusal };

export interface LogInput {
  entry: LiftLogEntry;
  /** When it happened; defaults to now. An ISO time. */
  at?: string | null;
  note?: string | null;
  contractor?: { name: string; phone?: string | null } | null;
  injuries?: boolean | null;
  by: StaffRef | null;
}

/** The entries of one kind, in the order they were logged. */
function entriesOf(record: EmergencyRecord, entry: LiftLogEntry) {
  return record.log.filter((e) => e.entry === entry);
}

function released(record: EmergencyRecord) {
  return record.log.find((e) => e.entry === 'released') ?? null;
}

const ms = (iso: string) => Date.parse(iso);

/**
 * Logs one step of the playbook, or says why not. Checks run in this order: the ticket's state,
 * the order of the playbook (repeated, after the release, something missing first), then the
 * input (which fields belong to which step, and times: not in the future, not before the request
 * was received, not before the step it follows; a release not before anything already logged).
 */
export function logEntry(
  record: EmergencyRecord,
  ticketStatus: string,
  input: LogInput,
  now: Date,
): PlaybookResult<EmergencyLogRecord> {
  const refuse = (refusal: PlaybookRefusal) => ({ ok: false as const, refusal });
  if (FINISHED_STATUSES.includes(ticketStatus)) return refuse({ reason: 'ticket_finished' });
  const rule = LIFT_RULES[input.entry];
  const freed = released(record);
  if (rule.whileTrapped && freed) return refuse({ reason: 'already_released', at: freed.at });
  const earlier = entriesOf(record, input.entry)[0];
  if (rule.once && earlier) return refuse({ reason: 'already_logged', step: input.entry, at: earlier.at });
  const missing = rule.requires.find((r) => entriesOf(record, r).length === 0);
  if (missing) return refuse({ reason: 'needs', step: missing });

  if (input.contractor && input.entry !== 'contractor_called')
    return refuse({ reason: 'invalid', field: 'contractor', problem: 'only_for', step: 'contractor_called' });
  const hasInjuries = input.injuries !== undefined && input.injuries !== null;
  if (hasInjuries && input.entry !== 'released')
    return refuse({ reason: 'invalid', field: 'injuries', problem: 'only_for', step: 'released' });
  if (!hasInjuries && input.entry === 'released')
    return refuse({ reason: 'invalid', field: 'injuries', problem: 'required' });

  const at = input.at ?? now.toISOString();
  const atMs = ms(at);
  if (Number.isNaN(atMs)) return refuse({ reason: 'invalid', field: 'at', problem: 'format' });
  if (atMs > now.getTime()) return refuse({ reason: 'invalid', field: 'at', problem: 'future' });
  if (atMs < ms(record.reportedAt))
    return refuse({ reason: 'invalid', field: 'at', problem: 'before_report', at: record.reportedAt });
  // a release ends the trapped phase: nothing already logged can have happened after it
  const bounds = input.entry === 'released' ? record.log : rule.requires.flatMap((r) => entriesOf(record, r));
  const latest = bounds.reduce<EmergencyLogRecord | null>(
    (a, e) => (!a || ms(e.at) > ms(a.at) ? e : a),
    null,
  );
  if (latest && atMs < ms(latest.at))
    return refuse({
      reason: 'invalid',
      field: 'at',
      problem: 'before_step',
      step: latest.entry,
      at: latest.at,
    });

  const added: EmergencyLogRecord = {
    entry: input.entry,
    at: new Date(atMs).toISOString(),
    loggedAt: now.toISOString(),
    by: input.by,
    note: input.note?.trim() || null,
    contractor: input.contractor
      ? { name: input.contractor.name.trim(), phone: input.contractor.phone?.trim() || null }
      : null,
    injuries: hasInjuries ? input.injuries! : null,
  };
  return { ok: true, record: { ...record, log: [...record.log, added] }, added };
}

export interface ReportInput {
  cause: string;
  /** Minutes trapped; defaults to the time from the report to the release. */
  durationMinutes?: number | null;
  actions: string;
  injuries: string;
  followUp: string;
  by: StaffRef | null;
}

/** Files the incident report: only after the release, once. */
export function fileReport(
  record: EmergencyRecord,
  ticketStatus: string,
  input: ReportInput,
  now: Date,
): PlaybookResult<IncidentReport> {
  const refuse = (refusal: PlaybookRefusal) => ({ ok: false as const, refusal });
  if (FINISHED_STATUSES.includes(ticketStatus)) return refuse({ reason: 'ticket_finished' });
  if (record.report)
    return refuse({ reason: 'already_logged', step: 'incident_report', at: record.report.at });
  const freed = released(record);
  if (!freed) return refuse({ reason: 'needs', step: 'released' });
  const given = input.durationMinutes;
  if (
    given !== undefined &&
    given !== null &&
    (!Number.isInteger(given) || given < 0 || given > MAX_DURATION_MINUTES)
  )
    return refuse({ reason: 'invalid', field: 'duration', problem: 'format' });
  const durationMinutes = given ?? Math.max(0, Math.round((ms(freed.at) - ms(record.reportedAt)) / 60_000));
  const report: IncidentReport = {
    cause: input.cause.trim(),
    durationMinutes,
    actions: input.actions.trim(),
    injuries: input.injuries.trim(),
    followUp: input.followUp.trim(),
    at: now.toISOString(),
    by: input.by,
  };
  return { ok: true, record: { ...record, report }, added: report };
}

// ---- where it stands ----

export interface ChecklistItem {
  step: LiftStep;
  done: boolean;
  /** When it happened; for the reassurance calls, the latest. */
  at: string | null;
  count: number;
}

/** Every step of the checklist, done or not, in order. */
export function checklist(record: EmergencyRecord): ChecklistItem[] {
  return LIFT_STEPS.map((step) => {
    if (step === 'recorded') return { step, done: true, at: record.reportedAt, count: 1 };
    if (step === 'incident_report')
      return {
        step,
        done: record.report !== null,
        at: record.report?.at ?? null,
        count: record.report ? 1 : 0,
      };
    const entries = entriesOf(record, step);
    const last = entries.reduce<string | null>((a, e) => (!a || ms(e.at) > ms(a) ? e.at : a), null);
    return { step, done: entries.length > 0, at: last, count: entries.length };
  });
}

/**
 * When the trapped people must next be spoken to: the interval after the latest reassurance call,
 * or after the report when there was none yet (the intake call itself reassured them). Nothing
 * is due once they are freed.
 */
export function reassurance(
  record: EmergencyRecord,
  now: Date,
  intervalMinutes = REASSURANCE_INTERVAL_MINUTES,
): { dueAt: string | null; overdue: boolean } {
  if (released(record)) return { dueAt: null, overdue: false };
  const last = entriesOf(record, 'reassurance_call').reduce(
    (a, e) => Math.max(a, ms(e.at)),
    ms(record.reportedAt),
  );
  const due = last + intervalMinutes * 60_000;
  return { dueAt: new Date(due).toISOString(), overdue: now.getTime() > due };
}

/**
 * The step to prompt for now, or null when the checklist is complete. The contractor is called
 * first and at once; then an overdue reassurance call comes before anything else.
 */
export function nextStep(
  record: EmergencyRecord,
  now: Date,
  intervalMinutes = REASSURANCE_INTERVAL_MINUTES,
): LiftStep | null {
  const has = (entry: LiftLogEntry) => entriesOf(record, entry).length > 0;
  if (!released(record)) {
    if (!has('contractor_called')) return 'contractor_called';
    if (reassurance(record, now, intervalMinutes).overdue) return 'reassurance_call';
    if (!has('onsite_notified')) return 'onsite_notified';
    if (!has('rescuers_arrived')) return 'rescuers_arrived';
    return 'released';
  }
  if (!has('lift_checked')) return 'lift_checked';
  if (!record.report) return 'incident_report';
  return null;
}

/** Why the request may not be completed or closed yet, or null. */
export type EmergencyBlock = 'not_released' | 'no_report';

/**
 * An emergency with a playbook is completed or closed only once the people are freed and the
 * incident report is filed. Requests without a playbook record are never blocked.
 */
export function playbookBlocker(record: EmergencyRecord | null): EmergencyBlock | null {
  if (!record) return null;
  if (!released(record)) return 'not_released';
  if (!record.report) return 'no_report';
  return null;
}

/** Everything the console shows of an emergency at `now`. */
export function emergencyDetail(record: EmergencyRecord, now: Date) {
  const freed = released(record);
  const due = reassurance(record, now);
  return {
    kind: record.kind,
    lift: record.lift,
    floor: record.floor,
    people: record.people,
    notes: record.notes,
    reportedAt: record.reportedAt,
    log: record.log,
    checklist: checklist(record),
    nextStep: nextStep(record, now),
    reassuranceIntervalMinutes: REASSURANCE_INTERVAL_MINUTES,
    reassuranceDueAt: due.dueAt,
    reassuranceOverdue: due.overdue,
    releasedAt: freed?.at ?? null,
    injuries: freed?.injuries ?? null,
    report: record.report,
  };
}
export type EmergencyDetail = ReturnType<typeof emergencyDetail>;
