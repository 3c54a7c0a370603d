import { describe, expect, it } from 'vitest';
import { STANDARD_CALENDAR } from './business-time.js';
import {
  clockEffect,
  covers,
  deadlines,
  firing,
  nextFireAt,
  policyFor,
  type SlaPolicy,
  type SlaTicket,
  specificity,
  targetApplies,
} from './sla.js';

const ticket = (over: Partial<SlaTicket> = {}): SlaTicket => ({
  communityId: 'c1',
  type: 'repair',
  priority: 'normal',
  channel: 'phone',
  categoryId: 'cat-leak',
  parentCategoryId: 'cat-water_power',
  emergencyKind: null,
  parentId: null,
  ...over,
});

let n = 0;
const policy = (over: Partial<SlaPolicy>): SlaPolicy => ({
  id: `p${String(++n).padStart(3, '0')}`,
  communityId: null,
  ticketType: null,
  priority: null,
  categoryId: null,
  target: 'resolution',
  minutes: 60,
  businessHours: false,
  warnPercent: 80,
  ...over,
});

describe('which policy sets a target for a ticket', () => {
  const any = policy({ minutes: 1000 });
  const repair = policy({ ticketType: 'repair', minutes: 500 });
  const urgent = policy({ ticketType: 'repair', priority: 'urgent', minutes: 400 });
  const water = policy({
    categoryId: 'cat-water_power',
    priority: 'urgent',
    ticketType: 'repair',
    minutes: 480,
  });
  const leak = policy({ categoryId: 'cat-leak', minutes: 300 });
  const override = policy({ communityId: 'c1', minutes: 100 });
  const elsewhere = policy({ communityId: 'c2', minutes: 1 });

  it.each([
    ['any type, company-wide', [any], ticket(), 1000],
    ['the type beats any', [any, repair], ticket(), 500],
    ['type and priority beat type', [any, repair, urgent], ticket({ priority: 'urgent' }), 400],
    [
      'R20: a parent category (水电) covers its child (漏水)',
      [urgent, water],
      ticket({ priority: 'urgent' }),
      480,
    ],
    ['the category itself beats its parent', [water, leak], ticket({ priority: 'urgent' }), 300],
    ["a community's override beats the company", [leak, override], ticket(), 100],
    ["another community's override does not apply", [any, elsewhere], ticket(), 1000],
    ['none applies', [urgent], ticket({ priority: 'low' }), null],
  ] as const)('%s', (_name, policies, t, minutes) => {
    expect(policyFor(policies, t, 'resolution')?.minutes ?? null).toBe(minutes);
  });

  it('an override with no minutes turns the target off there', () => {
    expect(policyFor([any, policy({ communityId: 'c1', minutes: null })], ticket(), 'resolution')).toBeNull();
  });

  it('policies of another target do not count', () => {
    expect(policyFor([policy({ target: 'accept' })], ticket(), 'resolution')).toBeNull();
    expect(specificity(policy({ ticketType: 'complaint' }), ticket())).toBe(-1);
  });
});

describe('which targets a ticket can have at all', () => {
  it.each([
    ['handover', ticket({ type: 'complaint' }), true],
    ['handover', ticket(), false],
    ['hotline_signoff', ticket({ channel: 'hotline' }), true],
    ['hotline_signoff', ticket(), false],
    ['rescue', ticket({ type: 'emergency', emergencyKind: 'lift_entrapment' }), true],
    ['rescue', ticket({ type: 'emergency' }), false],
    ['accept', ticket(), true],
  ] as const)('%s on %o: %s', (target, t, applies) => {
    expect(targetApplies(target, t)).toBe(applies);
  });
});

describe('the step table: which step moves which clock', () => {
  const t = ticket();
  it.each([
    ['created', 'start', ['handover', 'hotline_signoff', 'rescue', 'resolution']],
    ['dispatch', 'restart', ['accept']],
    ['dispatch', 'start', ['first_contact', 'arrival']],
    ['dispatch', 'meet', ['handover']],
    ['grab', 'meet', ['accept', 'hotline_signoff']],
    ['accept', 'meet', ['accept', 'hotline_signoff']],
    ['decline', 'cancel', ['accept']],
    ['arrive', 'meet', ['arrival', 'first_contact', 'rescue']],
    ['arrive', 'start', ['escalation']],
    ['emergency_rescuers_arrived', 'meet', ['rescue', 'arrival']],
    ['reply', 'meet', ['first_contact']],
    ['escalate', 'meet', ['escalation']],
    ['complete', 'meet', 'all_but_return_visit'],
    ['complete', 'start', ['return_visit']],
    ['close', 'meet', 'all_but_return_visit'],
    ['return_visit', 'meet', ['return_visit']],
    ['return_visit', 'cancel', []],
    ['return_visit_skipped', 'cancel', ['return_visit']],
    ['return_visit_skipped', 'meet', []],
    ['answer', 'meet', 'all'],
    ['reopen', 'meet', ['return_visit']],
    ['reopen', 'start', ['resolution']],
    ['cancel', 'cancel', 'all'],
    ['link', 'cancel', 'all'],
  ] as const)('%s → %s %o', (step, field, expected) => {
    expect(clockEffect(step, {}, t)[field]).toEqual(expected);
  });

  it('§3: a hold pauses the clocks only for a typed reason', () => {
    expect(clockEffect('pend', { pauseReason: 'waiting_parts' }, t).pause).toBe('waiting_parts');
    expect(clockEffect('pend', { pauseReason: 'resident_unavailable' }, t).pause).toBe(
      'resident_unavailable',
    );
    expect(clockEffect('pend', { pauseReason: 'waiting_contractor' }, t).pause).toBe('waiting_contractor');
    expect(clockEffect('pend', { reason: '等领导批示' }, t).pause).toBeNull();
    expect(clockEffect('pend', { pauseReason: 'lunch' }, t).pause).toBeNull();
    expect(clockEffect('resume', {}, t).resume).toBe(true);
    expect(clockEffect('reassign', {}, t).resume).toBe(true);
  });

  it("R26: the system's escalation on a breach is not the worker's escalation (it meets nothing)", () => {
    expect(clockEffect('escalate', { breachedTarget: 'arrival' }, t).meet).toEqual([]);
  });

  it('a linked report (R11) starts no clock of its own; the SLA steps move nothing', () => {
    expect(clockEffect('created', {}, ticket({ parentId: 'x' })).start).toEqual([]);
    for (const step of ['sla_warn', 'sla_breach', 'note', 'grade', 'settle']) {
      expect(clockEffect(step, {}, t)).toEqual({
        start: [],
        restart: [],
        meet: [],
        cancel: [],
        pause: null,
        resume: false,
      });
    }
  });

  it('R24 R33: closing a finished job is not its return visit; the visit (or skipping it) is', () => {
    expect(covers(clockEffect('close', {}, t).meet, 'return_visit')).toBe(false);
    expect(covers(clockEffect('close', {}, t).meet, 'resolution')).toBe(true);
    expect(covers(clockEffect('return_visit', {}, t).meet, 'return_visit')).toBe(true);
    expect(covers(clockEffect('return_visit', {}, t).meet, 'resolution')).toBe(false);
    expect(clockEffect('return_visit_skipped', {}, t).start).toEqual([]);
  });

  it('covers: lists, all, and all but the return visit', () => {
    expect(covers('all', 'return_visit')).toBe(true);
    expect(covers('all_but_return_visit', 'return_visit')).toBe(false);
    expect(covers('all_but_return_visit', 'arrival')).toBe(true);
    expect(covers(['accept'], 'arrival')).toBe(false);
  });
});

describe('deadlines and firing', () => {
  const start = new Date('2026-12-01T02:00:00.000Z'); // Tuesday 10:00 in Shanghai

  it('R21: 10 minutes on the clock warn at 8, due at 10; a pause of 3 minutes moves both', () => {
    const terms = { minutes: 10, warnPercent: 80, calendar: null };
    expect(deadlines(terms, start, 0)).toEqual({
      warnAt: new Date('2026-12-01T02:08:00.000Z'),
      dueAt: new Date('2026-12-01T02:10:00.000Z'),
    });
    expect(deadlines(terms, start, 3 * 60_000)).toEqual({
      warnAt: new Date('2026-12-01T02:11:00.000Z'),
      dueAt: new Date('2026-12-01T02:13:00.000Z'),
    });
  });

  it('R17: on the business calendar a deadline crosses lunch and the night', () => {
    const terms = { minutes: 8 * 60, warnPercent: 50, calendar: STANDARD_CALENDAR };
    // 10:00 + 8 working hours: 2 h to lunch, 4.5 h in the afternoon, 1.5 h the next morning → Wed 10:00
    expect(deadlines(terms, start, 0).dueAt.toISOString()).toBe('2026-12-02T02:00:00.000Z');
    // half of it, 4 h: 2 h before lunch, 2 h after 13:30 → 15:30
    expect(deadlines(terms, start, 0).warnAt.toISOString()).toBe('2026-12-01T07:30:00.000Z');
  });

  it('fires the warning first, then the breach, then nothing', () => {
    const clock = {
      status: 'running' as const,
      warnAt: '2026-12-01T02:08:00.000Z',
      dueAt: '2026-12-01T02:10:00.000Z',
      warnedAt: null as string | null,
      breachedAt: null as string | null,
    };
    expect(nextFireAt(clock)).toBe(clock.warnAt);
    expect(firing(clock, '2026-12-01T02:07:59.999Z')).toBeNull();
    expect(firing(clock, '2026-12-01T02:08:00.000Z')).toBe('warn');
    const warned = { ...clock, warnedAt: '2026-12-01T02:08:00.000Z' };
    expect(nextFireAt(warned)).toBe(clock.dueAt);
    expect(firing(warned, '2026-12-01T02:09:00.000Z')).toBeNull();
    expect(firing(warned, '2026-12-01T02:10:00.000Z')).toBe('breach');
    // a clock first seen after its due time breaches without a stale warning
    expect(firing(clock, '2026-12-01T02:11:00.000Z')).toBe('breach');
    const breached = { ...warned, breachedAt: '2026-12-01T02:10:00.000Z' };
    expect(nextFireAt(breached)).toBeNull();
    expect(firing(breached, '2026-12-01T03:00:00.000Z')).toBeNull();
    expect(nextFireAt({ ...clock, status: 'paused' })).toBeNull();
  });
});
