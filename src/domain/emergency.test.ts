import { describe, expect, it } from 'vitest';
import {
  checklist,
  type EmergencyRecord,
  emergencyDetail,
  fileReport,
  intakeProblems,
  LIFT_LOG_ENTRIES,
  LIFT_STEPS,
  type LiftLogEntry,
  type LogInput,
  logEntry,
  newEmergencyRecord,
  nextStep,
  parseEmergencyRecord,
  playbookBlocker,
  REASSURANCE_INTERVAL_MINUTES,
  reassurance,
} from './emergency.js';

const REPORTED = new Date('2026-12-01T02:00:00.000Z');
const minutes = (n: number) => new Date(REPORTED.getTime() + n * 60_000);
const BY = { id: 'u1', name: '张敏', employeeNo: '1001' };

const fresh = (): EmergencyRecord =>
  newEmergencyRecord({ kind: 'lift_entrapment', lift: '3栋2单元1号梯', floor: '12', people: 2 }, REPORTED);

const REPORT = {
  cause: '门锁回路故障',
  actions: '维保到场盘车放人',
  injuries: '无',
  followUp: '更换门锁开关',
  by: BY,
};

/** Logs `entry` at minute `n` (also "now"), with what that entry needs. */
function log(record: EmergencyRecord, entry: LiftLogEntry, n: number, extra: Partial<LogInput> = {}) {
  return logEntry(
    record,
    'received',
    {
      entry,
      at: minutes(n).toISOString(),
      by: BY,
      ...(entry === 'released' ? { injuries: false } : {}),
      ...extra,
    },
    minutes(n),
  );
}

function must<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  return result as Extract<T, { ok: true }>;
}

/** The whole playbook in its usual order. */
function worked(): EmergencyRecord {
  let r = fresh();
  const order: LiftLogEntry[] = [
    'contractor_called',
    'onsite_notified',
    'reassurance_call',
    'rescuers_arrived',
    'reassurance_call',
    'released',
    'lift_checked',
  ];
  order.forEach((entry, i) => {
    r = must(log(r, entry, i + 1)).record;
  });
  return must(fileReport(r, 'in_progress', REPORT, minutes(30))).record;
}

describe('R16: what a lift entrapment records when received', () => {
  it('R16: needs the lift, the floor and the number of people', () => {
    expect(intakeProblems({ kind: 'lift_entrapment', lift: '1号梯', floor: 'B1', people: 1 })).toEqual([]);
    expect(intakeProblems({ kind: 'lift_entrapment' })).toEqual([
      { field: 'lift', problem: 'required' },
      { field: 'floor', problem: 'required' },
      { field: 'people', problem: 'required' },
    ]);
    expect(intakeProblems({ kind: 'lift_entrapment', lift: '  ', floor: '3', people: 0 })).toEqual([
      { field: 'lift', problem: 'required' },
      { field: 'people', problem: 'invalid' },
    ]);
    expect(intakeProblems({ kind: 'lift_entrapment', lift: 'A', floor: '3', people: 1.5 })).toEqual([
      { field: 'people', problem: 'invalid' },
    ]);
  });

  it('starts with an empty log, the contractor call prompted at once', () => {
    const r = fresh();
    expect(r).toMatchObject({ lift: '3栋2单元1号梯', floor: '12', people: 2, log: [], report: null });
    expect(nextStep(r, REPORTED)).toBe('contractor_called');
    expect(
      checklist(r)
        .filter((c) => c.done)
        .map((c) => c.step),
    ).toEqual(['recorded']);
    expect(parseEmergencyRecord(JSON.stringify(r))).toEqual(r);
    expect(parseEmergencyRecord(null)).toBeNull();
  });
});

describe('R16: the order of the playbook', () => {
  /**
   * The rules, written out independently of the module: what each entry needs logged before it,
   * whether it may be repeated, whether it belongs to the time the people are still trapped.
   */
  const NEEDS: Record<LiftLogEntry | 'report', LiftLogEntry[]> = {
    contractor_called: [],
    onsite_notified: [],
    reassurance_call: [],
    rescuers_arrived: ['contractor_called'],
    released: ['contractor_called', 'rescuers_arrived'],
    lift_checked: ['released'],
    report: ['released'],
  };
  const REPEATABLE = new Set(['reassurance_call']);
  const TRAPPED_PHASE = new Set([
    'contractor_called',
    'onsite_notified',
    'reassurance_call',
    'rescuers_arrived',
    'released',
  ]);

  function* permutations<T>(items: T[]): Generator<T[]> {
    if (items.length <= 1) {
      yield items;
      return;
    }
    const seen = new Set<T>();
    for (let i = 0; i < items.length; i++) {
      if (seen.has(items[i]!)) continue;
      seen.add(items[i]!);
      const rest = [...items.slice(0, i), ...items.slice(i + 1)];
      for (const p of permutations(rest)) yield [items[i]!, ...p];
    }
  }

  it('R16: in every order of every entry and the report (two reassurance calls among them), exactly the allowed ones are accepted', () => {
    const all: (LiftLogEntry | 'report')[] = [...LIFT_LOG_ENTRIES, 'reassurance_call', 'report'];
    let orders = 0;
    for (const order of permutations(all)) {
      orders++;
      let r = fresh();
      const logged: (LiftLogEntry | 'report')[] = [];
      order.forEach((entry, i) => {
        const result =
          entry === 'report' ? fileReport(r, 'in_progress', REPORT, minutes(i + 1)) : log(r, entry, i + 1);
        const allowed =
          NEEDS[entry].every((n) => logged.includes(n)) &&
          (REPEATABLE.has(entry) || !logged.includes(entry)) &&
          !(TRAPPED_PHASE.has(entry) && logged.includes('released'));
        expect(result.ok, `${order.join(' → ')}: ${entry}`).toBe(allowed);
        if (result.ok) {
          r = result.record;
          logged.push(entry);
        }
      });
      // what got in is always in a sensible order
      const at = (e: LiftLogEntry) => r.log.findIndex((l) => l.entry === e);
      if (at('released') >= 0) {
        expect(at('contractor_called')).toBeLessThan(at('rescuers_arrived'));
        expect(at('rescuers_arrived')).toBeLessThan(at('released'));
        expect(r.log.slice(at('released') + 1).every((l) => l.entry === 'lift_checked')).toBe(true);
      }
      if (r.report) expect(at('released')).toBeGreaterThanOrEqual(0);
    }
    expect(orders).toBe(20160); // 8! / 2!: the two reassurance calls are alike
  });

  it('R16: says why an entry is out of order', () => {
    const r = fresh();
    expect(log(r, 'released', 1)).toEqual({
      ok: false,
      refusal: { reason: 'needs', step: 'contractor_called' },
    });
    expect(log(r, 'rescuers_arrived', 1)).toEqual({
      ok: false,
      refusal: { reason: 'needs', step: 'contractor_called' },
    });
    expect(log(r, 'lift_checked', 1)).toEqual({ ok: false, refusal: { reason: 'needs', step: 'released' } });
    expect(fileReport(r, 'received', REPORT, minutes(1))).toEqual({
      ok: false,
      refusal: { reason: 'needs', step: 'released' },
    });
    const called = must(log(r, 'contractor_called', 1)).record;
    expect(log(called, 'contractor_called', 2)).toEqual({
      ok: false,
      refusal: { reason: 'already_logged', step: 'contractor_called', at: minutes(1).toISOString() },
    });
    const done = worked();
    expect(log(done, 'released', 40)).toMatchObject({ ok: false, refusal: { reason: 'already_released' } });
    expect(log(done, 'reassurance_call', 40)).toMatchObject({
      ok: false,
      refusal: { reason: 'already_released' },
    });
    expect(fileReport(done, 'in_progress', REPORT, minutes(40))).toMatchObject({
      ok: false,
      refusal: { reason: 'already_logged', step: 'incident_report' },
    });
  });

  it('R16: nothing is logged on a closed or cancelled request', () => {
    for (const status of ['closed', 'cancelled']) {
      expect(logEntry(fresh(), status, { entry: 'reassurance_call', by: BY }, minutes(1))).toEqual({
        ok: false,
        refusal: { reason: 'ticket_finished' },
      });
      expect(fileReport(worked(), status, REPORT, minutes(40))).toEqual({
        ok: false,
        refusal: { reason: 'ticket_finished' },
      });
    }
    // done is not finished: the lift's check may come after the request is completed
    let r = fresh();
    for (const [i, e] of (['contractor_called', 'rescuers_arrived', 'released'] as const).entries())
      r = must(log(r, e, i + 1)).record;
    expect(logEntry(r, 'done', { entry: 'lift_checked', by: BY }, minutes(9)).ok).toBe(true);
  });

  it('R16: the contractor belongs to the contractor call, injuries to the release (and the release needs them)', () => {
    const r = must(
      log(fresh(), 'contractor_called', 1, { contractor: { name: '奥的斯维保', phone: '4008-123-456' } }),
    );
    expect(r.added.contractor).toEqual({ name: '奥的斯维保', phone: '4008-123-456' });
    expect(log(fresh(), 'reassurance_call', 1, { contractor: { name: 'x' } })).toMatchObject({
      ok: false,
      refusal: { reason: 'invalid', field: 'contractor', problem: 'only_for', step: 'contractor_called' },
    });
    expect(log(fresh(), 'reassurance_call', 1, { injuries: true })).toMatchObject({
      ok: false,
      refusal: { reason: 'invalid', field: 'injuries', problem: 'only_for' },
    });
    let s = must(log(r.record, 'rescuers_arrived', 2)).record;
    expect(log(s, 'released', 3, { injuries: null })).toMatchObject({
      ok: false,
      refusal: { reason: 'invalid', field: 'injuries', problem: 'required' },
    });
    s = must(log(s, 'released', 3, { injuries: true })).record;
    expect(emergencyDetail(s, minutes(3))).toMatchObject({
      releasedAt: minutes(3).toISOString(),
      injuries: true,
    });
  });

  it('R16: times are never in the future, before the request was received, or before the step they follow', () => {
    const now = minutes(10);
    const at = (n: number) => minutes(n).toISOString();
    const entry = (r: EmergencyRecord, e: LiftLogEntry, n: number) =>
      logEntry(
        r,
        'received',
        { entry: e, at: at(n), by: BY, ...(e === 'released' ? { injuries: false } : {}) },
        now,
      );
    expect(entry(fresh(), 'reassurance_call', 11)).toMatchObject({
      ok: false,
      refusal: { field: 'at', problem: 'future' },
    });
    expect(entry(fresh(), 'reassurance_call', -1)).toMatchObject({
      ok: false,
      refusal: { field: 'at', problem: 'before_report', at: REPORTED.toISOString() },
    });
    // a call logged late keeps the time it was made
    const called = must(entry(fresh(), 'contractor_called', 4));
    expect(called.added).toMatchObject({ at: at(4), loggedAt: now.toISOString() });
    expect(entry(called.record, 'rescuers_arrived', 3)).toMatchObject({
      ok: false,
      refusal: { field: 'at', problem: 'before_step', step: 'contractor_called', at: at(4) },
    });
    let r = must(entry(called.record, 'rescuers_arrived', 6)).record;
    r = must(entry(r, 'reassurance_call', 8)).record;
    // the release ends the trapped time: it cannot be before a call already logged
    expect(entry(r, 'released', 7)).toMatchObject({
      ok: false,
      refusal: { field: 'at', problem: 'before_step', step: 'reassurance_call', at: at(8) },
    });
    r = must(entry(r, 'released', 9)).record;
    expect(entry(r, 'lift_checked', 8)).toMatchObject({ ok: false, refusal: { problem: 'before_step' } });
    // without `at`, it happened now
    expect(must(logEntry(fresh(), 'received', { entry: 'reassurance_call', by: BY }, now)).added.at).toBe(
      now.toISOString(),
    );
  });

  it('R16: the incident report states how long the people were trapped, from the report to the release unless told', () => {
    let r = fresh();
    for (const [e, n] of [
      ['contractor_called', 1],
      ['rescuers_arrived', 20],
      ['released', 26],
    ] as const)
      r = must(log(r, e, n)).record;
    expect(must(fileReport(r, 'on_site', REPORT, minutes(40))).added).toMatchObject({
      durationMinutes: 26,
      cause: '门锁回路故障',
      at: minutes(40).toISOString(),
      by: BY,
    });
    expect(
      must(fileReport(r, 'on_site', { ...REPORT, durationMinutes: 35 }, minutes(40))).added.durationMinutes,
    ).toBe(35);
    expect(fileReport(r, 'on_site', { ...REPORT, durationMinutes: -1 }, minutes(40))).toMatchObject({
      ok: false,
      refusal: { field: 'duration' },
    });
  });
});

describe('R16: reassuring the trapped people until they are freed', () => {
  const interval = REASSURANCE_INTERVAL_MINUTES;

  it(`R16: a call is due ${interval} minutes after the report, then after each call; overdue once that passes`, () => {
    let r = fresh();
    expect(reassurance(r, minutes(interval))).toEqual({
      dueAt: minutes(interval).toISOString(),
      overdue: false,
    });
    expect(reassurance(r, minutes(interval + 1))).toMatchObject({ overdue: true });
    r = must(log(r, 'contractor_called', 1)).record;
    expect(nextStep(r, minutes(interval + 1))).toBe('reassurance_call');
    r = must(log(r, 'reassurance_call', 6)).record;
    expect(reassurance(r, minutes(6 + interval))).toEqual({
      dueAt: minutes(6 + interval).toISOString(),
      overdue: false,
    });
    expect(reassurance(r, minutes(7 + interval)).overdue).toBe(true);
    // a call logged late, at the time it was made, counts from then; the latest call counts
    r = must(log(r, 'reassurance_call', 9, { at: minutes(4).toISOString() })).record;
    expect(reassurance(r, minutes(9)).dueAt).toBe(minutes(6 + interval).toISOString());
    // another interval can be asked for (a company setting, later)
    expect(reassurance(r, minutes(9), 2).overdue).toBe(true);
  });

  it('R16: nothing is due once the people are freed', () => {
    let r = fresh();
    for (const [i, e] of (['contractor_called', 'rescuers_arrived', 'released'] as const).entries())
      r = must(log(r, e, i + 1)).record;
    expect(reassurance(r, minutes(600))).toEqual({ dueAt: null, overdue: false });
    expect(emergencyDetail(r, minutes(600)).reassuranceOverdue).toBe(false);
  });
});

describe('R16: the next step, and when the request may be completed or closed', () => {
  it('R16: prompts each step in turn: contractor, on-site staff, rescuers, release, lift check, report', () => {
    let r = fresh();
    const seen: (string | null)[] = [nextStep(r, minutes(0))];
    for (const [i, e] of (
      ['contractor_called', 'onsite_notified', 'rescuers_arrived', 'released', 'lift_checked'] as const
    ).entries()) {
      r = must(log(r, e, i + 1)).record;
      seen.push(nextStep(r, minutes(i + 1)));
    }
    r = must(fileReport(r, 'in_progress', REPORT, minutes(9))).record;
    seen.push(nextStep(r, minutes(9)));
    expect(seen).toEqual([
      'contractor_called',
      'onsite_notified',
      'rescuers_arrived',
      'released',
      'lift_checked',
      'incident_report',
      null,
    ]);
    expect(checklist(r).map((c) => [c.step, c.done])).toEqual(
      LIFT_STEPS.map((s) => [s, s !== 'reassurance_call']),
    );
  });

  it('R16: the contractor call comes before even an overdue reassurance call', () => {
    expect(nextStep(fresh(), minutes(60))).toBe('contractor_called');
  });

  it('R16: blocks completion and closing until the people are freed and the report is filed', () => {
    expect(playbookBlocker(null)).toBeNull();
    let r = fresh();
    expect(playbookBlocker(r)).toBe('not_released');
    for (const [i, e] of (['contractor_called', 'rescuers_arrived'] as const).entries())
      r = must(log(r, e, i + 1)).record;
    expect(playbookBlocker(r)).toBe('not_released');
    r = must(log(r, 'released', 3)).record;
    expect(playbookBlocker(r)).toBe('no_report');
    // the lift's check is on the checklist but does not hold the request open
    r = must(fileReport(r, 'in_progress', REPORT, minutes(4))).record;
    expect(playbookBlocker(r)).toBeNull();
    expect(nextStep(r, minutes(4))).toBe('lift_checked');
    expect(playbookBlocker(worked())).toBeNull();
  });

  it('counts the reassurance calls and shows the latest', () => {
    const item = checklist(worked()).find((c) => c.step === 'reassurance_call');
    expect(item).toEqual({ step: 'reassurance_call', done: true, at: minutes(5).toISOString(), count: 2 });
  });
});
