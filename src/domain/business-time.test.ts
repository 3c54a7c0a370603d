import { describe, expect, it } from 'vitest';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  isWorkingTime,
  nextWorkingInstant,
  STANDARD_CALENDAR,
  validateCalendar,
  type WorkingInterval,
} from './business-time.js';
import { CN_HOLIDAY_ARRANGEMENTS } from './holidays-cn.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const WORKING_DAY = 8 * HOUR; // the standard calendar's 3.5 h + 4.5 h

/** A local time in Asia/Shanghai: '2026-11-02 09:00' or '2026-11-02 11:59:59.999'. */
function sh(local: string): Date {
  const [date, time] = local.split(' ');
  const withSeconds = time!.length === 5 ? `${time}:00` : time;
  return new Date(`${date}T${withSeconds}+08:00`);
}

function everyDay(intervals: WorkingInterval[], timeZone: string): BusinessCalendar {
  return {
    timeZone,
    weekly: {
      0: intervals,
      1: intervals,
      2: intervals,
      3: intervals,
      4: intervals,
      5: intervals,
      6: intervals,
    },
    holidays: [],
    workdays: [],
  };
}

const OFFICE: WorkingInterval[] = [
  { start: '08:30', end: '12:00' },
  { start: '13:30', end: '18:00' },
];

/** Seeded PRNG (mulberry32): the same "random" cases on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('addBusinessTime on the standard calendar (Asia/Shanghai, 08:30–12:00 and 13:30–18:00)', () => {
  // 2026-11-02 is a Monday; November 2026 has no holiday.
  it.each([
    { name: 'inside the morning interval', start: '2026-11-02 09:00', ms: HOUR, due: '2026-11-02 10:00' },
    { name: 'crossing lunch', start: '2026-11-02 11:00', ms: 2 * HOUR, due: '2026-11-02 14:30' },
    {
      name: 'exactly at the end of the morning stays at 12:00',
      start: '2026-11-02 11:00',
      ms: HOUR,
      due: '2026-11-02 12:00',
    },
    {
      name: 'exactly at the end of the day stays at 18:00, not 08:30 the next morning',
      start: '2026-11-02 17:00',
      ms: HOUR,
      due: '2026-11-02 18:00',
    },
    {
      name: 'a whole working day from opening ends at closing',
      start: '2026-11-02 08:30',
      ms: WORKING_DAY,
      due: '2026-11-02 18:00',
    },
    { name: 'crossing the night', start: '2026-11-02 17:00', ms: 2 * HOUR, due: '2026-11-03 09:30' },
    {
      name: 'starting during lunch counts from 13:30',
      start: '2026-11-02 12:30',
      ms: HOUR,
      due: '2026-11-02 14:30',
    },
    {
      name: 'starting at the end edge of the morning (12:00) counts from 13:30',
      start: '2026-11-02 12:00',
      ms: HOUR,
      due: '2026-11-02 14:30',
    },
    {
      name: 'starting at the start edge of the afternoon (13:30)',
      start: '2026-11-02 13:30',
      ms: HOUR,
      due: '2026-11-02 14:30',
    },
    {
      name: 'starting one millisecond before the end of the morning',
      start: '2026-11-02 11:59:59.999',
      ms: HOUR,
      due: '2026-11-02 14:29:59.999',
    },
    {
      name: 'starting at closing time (18:00) counts from 08:30 the next day',
      start: '2026-11-02 18:00',
      ms: HOUR,
      due: '2026-11-03 09:30',
    },
    { name: 'starting before opening', start: '2026-11-02 07:00', ms: HOUR, due: '2026-11-02 09:30' },
    { name: 'starting at midnight', start: '2026-11-02 00:00', ms: 30 * MINUTE, due: '2026-11-02 09:00' },
    {
      name: 'crossing a weekend (Friday evening to Monday morning)',
      start: '2026-11-06 17:00',
      ms: 2 * HOUR,
      due: '2026-11-09 09:30',
    },
    { name: 'starting on a Saturday', start: '2026-11-07 10:00', ms: HOUR, due: '2026-11-09 09:30' },
    {
      name: 'a holiday: 清明 (Sat 4 – Mon 6 April 2026)',
      start: '2026-04-03 17:00',
      ms: 2 * HOUR,
      due: '2026-04-07 09:30',
    },
    {
      name: 'a 调休 make-up Saturday is worked (2026-02-14)',
      start: '2026-02-13 17:00',
      ms: 2 * HOUR,
      due: '2026-02-14 09:30',
    },
    {
      name: 'from the make-up Saturday over 春节 (15–23 February 2026)',
      start: '2026-02-14 17:00',
      ms: 2 * HOUR,
      due: '2026-02-24 09:30',
    },
    {
      name: 'the make-up Saturday after 春节 (2026-02-28)',
      start: '2026-02-27 17:00',
      ms: 2 * HOUR,
      due: '2026-02-28 09:30',
    },
    {
      name: '元旦 (1–3 January 2026) into the make-up Sunday 2026-01-04',
      start: '2025-12-31 17:00',
      ms: 2 * HOUR,
      due: '2026-01-04 09:30',
    },
    {
      name: 'multi-day: a working week from Monday opening ends Friday 18:00',
      start: '2026-11-02 08:30',
      ms: 5 * WORKING_DAY,
      due: '2026-11-06 18:00',
    },
    {
      name: 'multi-day: 3 working days across a weekend',
      start: '2026-11-05 10:00',
      ms: 3 * WORKING_DAY,
      due: '2026-11-10 10:00',
    },
    {
      name: 'multi-day: 30 working days',
      start: '2026-11-02 09:00',
      ms: 30 * WORKING_DAY,
      due: '2026-12-14 09:00',
    },
    {
      name: 'multi-day: 30 working days across 中秋, 国庆 and the make-up Saturday 10 October',
      start: '2026-09-21 09:00',
      ms: 30 * WORKING_DAY,
      due: '2026-11-09 09:00',
    },
    {
      name: 'R23: a complaint on the eve of 国庆 (2026-09-30 17:00, 24 working hours) lands after the holiday, on the make-up Saturday',
      start: '2026-09-30 17:00',
      ms: 24 * HOUR,
      due: '2026-10-10 17:00',
    },
    {
      name: 'R23: a complaint on the eve of 春节 (2026-02-13 17:00, 24 working hours)',
      start: '2026-02-13 17:00',
      ms: 24 * HOUR,
      due: '2026-02-25 17:00',
    },
  ])('$name', ({ start, ms, due }) => {
    expect(addBusinessTime(sh(start), ms, STANDARD_CALENDAR).toISOString()).toBe(sh(due).toISOString());
  });
});

describe('zero duration gives the next working instant', () => {
  it.each([
    {
      name: 'inside working time: the start itself',
      at: '2026-11-02 10:15:30.250',
      next: '2026-11-02 10:15:30.250',
    },
    { name: 'at the start edge of an interval', at: '2026-11-02 08:30', next: '2026-11-02 08:30' },
    { name: 'at the end edge of the morning: 13:30', at: '2026-11-02 12:00', next: '2026-11-02 13:30' },
    { name: 'during lunch', at: '2026-11-02 13:29:59.999', next: '2026-11-02 13:30' },
    { name: 'at closing time: the next morning', at: '2026-11-02 18:00', next: '2026-11-03 08:30' },
    { name: 'on a Saturday: Monday morning', at: '2026-11-07 10:00', next: '2026-11-09 08:30' },
    { name: 'during 国庆: the first day after it', at: '2026-10-01 10:00', next: '2026-10-08 08:30' },
    { name: 'on the make-up Saturday: the start itself', at: '2026-10-10 10:00', next: '2026-10-10 10:00' },
  ])('$name', ({ at, next }) => {
    expect(addBusinessTime(sh(at), 0, STANDARD_CALENDAR).toISOString()).toBe(sh(next).toISOString());
    expect(nextWorkingInstant(sh(at), STANDARD_CALENDAR).toISOString()).toBe(sh(next).toISOString());
  });

  it('on the clock (24×7): the start itself', () => {
    const at = sh('2026-11-07 03:21:09.007');
    expect(addBusinessTime(at, 0, null).toISOString()).toBe(at.toISOString());
    expect(nextWorkingInstant(at, null).toISOString()).toBe(at.toISOString());
  });
});

describe('on the clock: a null calendar counts every millisecond (24×7)', () => {
  it.each([
    {
      name: 'R23 on the clock: the eve of 国庆 + 24 h is 2026-10-01 17:00',
      start: '2026-09-30 17:00',
      ms: 24 * HOUR,
      due: '2026-10-01 17:00',
    },
    { name: 'through the night', start: '2026-11-02 23:30', ms: HOUR, due: '2026-11-03 00:30' },
    { name: 'through a weekend', start: '2026-11-06 17:00', ms: 48 * HOUR, due: '2026-11-08 17:00' },
    { name: 'R19: 5 minutes', start: '2026-10-01 03:00', ms: 5 * MINUTE, due: '2026-10-01 03:05' },
  ])('$name', ({ start, ms, due }) => {
    expect(addBusinessTime(sh(start), ms, null).toISOString()).toBe(sh(due).toISOString());
    expect(businessTimeBetween(sh(start), sh(due), null)).toBe(ms);
  });

  it('is always working time', () => {
    expect(isWorkingTime(sh('2026-10-01 03:00'), null)).toBe(true);
    expect(isWorkingTime(sh('2026-11-07 23:59:59.999'), null)).toBe(true);
  });
});

describe('businessTimeBetween on the standard calendar', () => {
  it.each([
    { name: 'lunch is not counted', from: '2026-11-02 11:00', to: '2026-11-02 14:30', ms: 2 * HOUR },
    { name: 'the night is not counted', from: '2026-11-02 17:00', to: '2026-11-03 09:30', ms: 2 * HOUR },
    { name: 'the weekend is not counted', from: '2026-11-06 17:00', to: '2026-11-09 09:30', ms: 2 * HOUR },
    { name: '国庆 is not counted', from: '2026-09-30 17:00', to: '2026-10-10 17:00', ms: 24 * HOUR },
    { name: 'a whole local day', from: '2026-11-02 00:00', to: '2026-11-03 00:00', ms: WORKING_DAY },
    { name: 'a whole week', from: '2026-11-02 00:00', to: '2026-11-09 00:00', ms: 5 * WORKING_DAY },
    { name: 'from Saturday to Sunday: none', from: '2026-11-07 10:00', to: '2026-11-08 10:00', ms: 0 },
    { name: 'within lunch: none', from: '2026-11-02 12:00', to: '2026-11-02 13:30', ms: 0 },
    { name: 'the same instant: none', from: '2026-11-02 10:00', to: '2026-11-02 10:00', ms: 0 },
    { name: 'to before from: none', from: '2026-11-02 11:00', to: '2026-11-02 10:00', ms: 0 },
    {
      name: 'one millisecond at each edge',
      from: '2026-11-02 11:59:59.999',
      to: '2026-11-02 13:30:00.001',
      ms: 2,
    },
  ])('$name', ({ from, to, ms }) => {
    expect(businessTimeBetween(sh(from), sh(to), STANDARD_CALENDAR)).toBe(ms);
  });
});

describe('isWorkingTime on the standard calendar (intervals are [start, end))', () => {
  it.each([
    { name: 'just before opening', at: '2026-11-02 08:29:59.999', working: false },
    { name: 'at opening', at: '2026-11-02 08:30', working: true },
    { name: 'just before noon', at: '2026-11-02 11:59:59.999', working: true },
    { name: 'at noon', at: '2026-11-02 12:00', working: false },
    { name: 'just before the afternoon', at: '2026-11-02 13:29:59.999', working: false },
    { name: 'at the start of the afternoon', at: '2026-11-02 13:30', working: true },
    { name: 'just before closing', at: '2026-11-02 17:59:59.999', working: true },
    { name: 'at closing', at: '2026-11-02 18:00', working: false },
    { name: 'a Saturday', at: '2026-11-07 10:00', working: false },
    { name: 'a make-up Saturday (调休 2026-02-14)', at: '2026-02-14 10:00', working: true },
    { name: 'a make-up Sunday (调休 2026-09-20)', at: '2026-09-20 10:00', working: true },
    { name: 'a weekday in 国庆', at: '2026-10-05 10:00', working: false },
    { name: 'a weekday in 春节', at: '2026-02-17 10:00', working: false },
  ])('$name', ({ at, working }) => {
    expect(isWorkingTime(sh(at), STANDARD_CALENDAR)).toBe(working);
  });
});

describe('make-up days are worked with the makeUpPattern weekday', () => {
  const calendar: BusinessCalendar = {
    timeZone: 'Asia/Shanghai',
    weekly: {
      0: [],
      1: [{ start: '09:00', end: '17:00' }],
      2: [{ start: '09:00', end: '17:00' }],
      3: [{ start: '09:00', end: '17:00' }],
      4: [{ start: '09:00', end: '17:00' }],
      5: [{ start: '09:00', end: '12:00' }],
      6: [],
    },
    holidays: [],
    workdays: ['2026-11-07', '2026-11-14'],
  };

  it('by default the Monday pattern', () => {
    expect(businessTimeBetween(sh('2026-11-07 00:00'), sh('2026-11-08 00:00'), calendar)).toBe(8 * HOUR);
  });

  it('or the pattern it names', () => {
    const fridays = { ...calendar, makeUpPattern: 5 as const };
    expect(businessTimeBetween(sh('2026-11-07 00:00'), sh('2026-11-08 00:00'), fridays)).toBe(3 * HOUR);
    expect(addBusinessTime(sh('2026-11-06 11:00'), 2 * HOUR, fridays).toISOString()).toBe(
      sh('2026-11-07 10:00').toISOString(),
    );
  });
});

describe('time zones with daylight saving time: America/New_York and Europe/Berlin', () => {
  const newYorkDays = everyDay([{ start: '09:00', end: '17:00' }], 'America/New_York');
  const berlinDays = everyDay([{ start: '09:00', end: '17:00' }], 'Europe/Berlin');
  const newYorkAllDay = everyDay([{ start: '00:00', end: '24:00' }], 'America/New_York');

  it.each([
    {
      name: 'New York, spring switch day (Sun 2026-03-08): 09:00–17:00 is 8 h',
      calendar: newYorkDays,
      from: '2026-03-08T00:00:00-05:00',
      to: '2026-03-09T00:00:00-04:00',
      ms: 8 * HOUR,
    },
    {
      name: 'New York, autumn switch day (Sun 2026-11-01): 09:00–17:00 is 8 h',
      calendar: newYorkDays,
      from: '2026-11-01T00:00:00-04:00',
      to: '2026-11-02T00:00:00-05:00',
      ms: 8 * HOUR,
    },
    {
      name: 'Berlin, spring switch day (Sun 2026-03-29): 09:00–17:00 is 8 h',
      calendar: berlinDays,
      from: '2026-03-29T00:00:00+01:00',
      to: '2026-03-30T00:00:00+02:00',
      ms: 8 * HOUR,
    },
    {
      name: 'Berlin, autumn switch day (Sun 2026-10-25): 09:00–17:00 is 8 h',
      calendar: berlinDays,
      from: '2026-10-25T00:00:00+02:00',
      to: '2026-10-26T00:00:00+01:00',
      ms: 8 * HOUR,
    },
    {
      name: 'New York, 00:00–24:00 on the spring switch day lasts the 23 h that really pass',
      calendar: newYorkAllDay,
      from: '2026-03-08T00:00:00-05:00',
      to: '2026-03-09T00:00:00-04:00',
      ms: 23 * HOUR,
    },
    {
      name: 'New York, 00:00–24:00 on the autumn switch day lasts the 25 h that really pass',
      calendar: newYorkAllDay,
      from: '2026-11-01T00:00:00-04:00',
      to: '2026-11-02T00:00:00-05:00',
      ms: 25 * HOUR,
    },
  ])('$name', ({ calendar, from, to, ms }) => {
    expect(businessTimeBetween(new Date(from), new Date(to), calendar)).toBe(ms);
  });

  it.each([
    {
      name: 'New York: inside the spring switch day',
      calendar: newYorkDays,
      start: '2026-03-08T09:00:00-04:00',
      ms: 8 * HOUR,
      due: '2026-03-08T17:00:00-04:00',
    },
    {
      name: 'New York: from the day before into the spring switch day (EST → EDT)',
      calendar: newYorkDays,
      start: '2026-03-07T16:00:00-05:00',
      ms: 2 * HOUR,
      due: '2026-03-08T10:00:00-04:00',
    },
    {
      name: 'New York: from the day before into the autumn switch day (EDT → EST)',
      calendar: newYorkDays,
      start: '2026-10-31T16:00:00-04:00',
      ms: 2 * HOUR,
      due: '2026-11-01T10:00:00-05:00',
    },
    {
      name: 'Berlin: across the spring switch (CET → CEST)',
      calendar: berlinDays,
      start: '2026-03-28T16:00:00+01:00',
      ms: 2 * HOUR,
      due: '2026-03-29T10:00:00+02:00',
    },
    {
      name: 'Berlin: across the autumn switch (CEST → CET)',
      calendar: berlinDays,
      start: '2026-10-24T16:00:00+02:00',
      ms: 2 * HOUR,
      due: '2026-10-25T10:00:00+01:00',
    },
    {
      name: 'New York 00:00–24:00: 23 h from the start of the spring switch day ends at the next midnight',
      calendar: newYorkAllDay,
      start: '2026-03-08T00:00:00-05:00',
      ms: 23 * HOUR,
      due: '2026-03-09T00:00:00-04:00',
    },
  ])('$name', ({ calendar, start, ms, due }) => {
    expect(addBusinessTime(new Date(start), ms, calendar).toISOString()).toBe(new Date(due).toISOString());
  });

  describe('a local time in the spring gap is the moment the clocks jump forward', () => {
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT (07:00Z); 02:30 does not exist that day.
    const gapOpening = everyDay([{ start: '02:30', end: '04:00' }], 'America/New_York');

    it('an interval opening at 02:30 opens at 03:00 EDT and lasts 1 h that day (1.5 h the day before)', () => {
      expect(
        businessTimeBetween(
          new Date('2026-03-08T00:00:00-05:00'),
          new Date('2026-03-09T00:00:00-04:00'),
          gapOpening,
        ),
      ).toBe(HOUR);
      expect(
        businessTimeBetween(
          new Date('2026-03-07T00:00:00-05:00'),
          new Date('2026-03-08T00:00:00-05:00'),
          gapOpening,
        ),
      ).toBe(1.5 * HOUR);
    });

    it.each([
      {
        name: 'the last second before the jump is not working time',
        at: '2026-03-08T06:59:59.999Z',
        working: false,
      },
      { name: 'the jump itself (03:00 EDT) is', at: '2026-03-08T07:00:00.000Z', working: true },
      { name: '03:59 EDT is', at: '2026-03-08T07:59:00.000Z', working: true },
      { name: '04:00 EDT is not', at: '2026-03-08T08:00:00.000Z', working: false },
    ])('$name', ({ at, working }) => {
      expect(isWorkingTime(new Date(at), gapOpening)).toBe(working);
    });

    it('the next working instant from 01:00 EST is 03:00 EDT', () => {
      expect(nextWorkingInstant(new Date('2026-03-08T01:00:00-05:00'), gapOpening).toISOString()).toBe(
        '2026-03-08T07:00:00.000Z',
      );
    });

    it('an interval wholly inside the gap (Berlin 02:00–03:00 on 2026-03-29) has no working time', () => {
      const inGap = everyDay([{ start: '02:00', end: '03:00' }], 'Europe/Berlin');
      expect(
        businessTimeBetween(
          new Date('2026-03-29T00:00:00+01:00'),
          new Date('2026-03-30T00:00:00+02:00'),
          inGap,
        ),
      ).toBe(0);
      expect(addBusinessTime(new Date('2026-03-28T02:30:00+01:00'), HOUR, inGap).toISOString()).toBe(
        new Date('2026-03-30T02:30:00+02:00').toISOString(),
      );
    });
  });

  describe('a local time that happens twice (autumn) is its first occurrence', () => {
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00Z); 01:30 happens twice.
    const repeated = everyDay([{ start: '01:30', end: '03:00' }], 'America/New_York');

    it('01:30–03:00 runs from the first 01:30 (EDT) to 03:00 EST: 2.5 h', () => {
      expect(
        businessTimeBetween(
          new Date('2026-11-01T00:00:00-04:00'),
          new Date('2026-11-02T00:00:00-05:00'),
          repeated,
        ),
      ).toBe(2.5 * HOUR);
      expect(nextWorkingInstant(new Date('2026-11-01T00:00:00-04:00'), repeated).toISOString()).toBe(
        new Date('2026-11-01T01:30:00-04:00').toISOString(),
      );
      expect(isWorkingTime(new Date('2026-11-01T01:15:00-05:00'), repeated)).toBe(true);
      expect(addBusinessTime(new Date('2026-11-01T01:30:00-04:00'), 2.5 * HOUR, repeated).toISOString()).toBe(
        new Date('2026-11-01T03:00:00-05:00').toISOString(),
      );
    });
  });

  it('Asia/Shanghai has no DST: each local day of 2026 and 2027 is 24 h long', () => {
    const allDay = everyDay([{ start: '00:00', end: '24:00' }], 'Asia/Shanghai');
    const first = sh('2026-01-01 00:00').getTime();
    for (let day = 0; day < 730; day++) {
      const from = new Date(first + day * 24 * HOUR);
      const to = new Date(first + (day + 1) * 24 * HOUR);
      expect(businessTimeBetween(from, to, allDay)).toBe(24 * HOUR);
    }
  });
});

/** An independent check for the standard calendar: walk minute by minute at a fixed UTC+8. */
function standardMinuteIsWorking(minuteStart: number, holidays: Set<string>, workdays: Set<string>): boolean {
  const local = new Date(minuteStart + 8 * HOUR);
  const date = local.toISOString().slice(0, 10);
  const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes();
  const workingDay =
    workdays.has(date) || (!holidays.has(date) && local.getUTCDay() >= 1 && local.getUTCDay() <= 5);
  return (
    workingDay && ((minuteOfDay >= 510 && minuteOfDay < 720) || (minuteOfDay >= 810 && minuteOfDay < 1080))
  );
}

/** The same, in any zone, reading the wall clock of every minute with Intl (slow; short walks only). */
const wallClocks = new Map<string, Intl.DateTimeFormat>();
function wallClockMinuteIsWorking(minuteStart: number, timeZone: string): boolean {
  let wallClock = wallClocks.get(timeZone);
  if (!wallClock) {
    wallClock = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      hour: 'numeric',
      minute: 'numeric',
    });
    wallClocks.set(timeZone, wallClock);
  }
  const parts = wallClock.formatToParts(minuteStart);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  const minute = Number(parts.find((p) => p.type === 'minute')!.value);
  const minuteOfDay = hour * 60 + minute;
  return (minuteOfDay >= 510 && minuteOfDay < 720) || (minuteOfDay >= 810 && minuteOfDay < 1080);
}

function walkMinutes(start: number, minutes: number, isWorking: (minuteStart: number) => boolean): number {
  let at = start;
  let counted = 0;
  for (;;) {
    if (isWorking(at)) {
      if (counted === minutes) return at;
      counted++;
      if (counted === minutes) return at + MINUTE;
    }
    at += MINUTE;
  }
}

describe('agrees with a minute-by-minute walk', () => {
  it('standard calendar: 300 seeded starts (whole minutes, 2026–2027) and durations up to 3 working days', () => {
    const next = random(20261201);
    const holidays = new Set(STANDARD_CALENDAR.holidays);
    const workdays = new Set(STANDARD_CALENDAR.workdays);
    const first = sh('2026-01-01 00:00').getTime();
    for (let i = 0; i < 300; i++) {
      const start = first + Math.floor(next() * 720 * 24 * 60) * MINUTE;
      const minutes = Math.floor(next() * 3 * 8 * 60);
      const expected = walkMinutes(start, minutes, (m) => standardMinuteIsWorking(m, holidays, workdays));
      const actual = addBusinessTime(new Date(start), minutes * MINUTE, STANDARD_CALENDAR).getTime();
      expect({ start: new Date(start).toISOString(), minutes, due: new Date(actual).toISOString() }).toEqual({
        start: new Date(start).toISOString(),
        minutes,
        due: new Date(expected).toISOString(),
      });
    }
  });

  it.each([
    { zone: 'America/New_York', around: '2026-03-08T12:00:00Z' },
    { zone: 'America/New_York', around: '2026-11-01T12:00:00Z' },
    { zone: 'Europe/Berlin', around: '2026-03-29T12:00:00Z' },
    { zone: 'Europe/Berlin', around: '2026-10-25T12:00:00Z' },
  ])('$zone office hours every day, starts within 3 days of the switch on $around', ({ zone, around }) => {
    const calendar = everyDay(OFFICE, zone);
    const next = random(around.length + zone.length);
    const centre = new Date(around).getTime();
    for (let i = 0; i < 8; i++) {
      const start = centre + Math.floor((next() - 0.5) * 6 * 24 * 60) * MINUTE;
      const minutes = Math.floor(next() * 2 * 8 * 60);
      const expected = walkMinutes(start, minutes, (m) => wallClockMinuteIsWorking(m, zone));
      expect(addBusinessTime(new Date(start), minutes * MINUTE, calendar).toISOString()).toBe(
        new Date(expected).toISOString(),
      );
    }
  });
});

describe('inverse properties (seeded random starts and durations)', () => {
  const calendars: { name: string; calendar: BusinessCalendar }[] = [
    { name: 'standard (Asia/Shanghai, with 2026/2027 holidays)', calendar: STANDARD_CALENDAR },
    { name: 'New York office hours every day', calendar: everyDay(OFFICE, 'America/New_York') },
    {
      name: 'Berlin, three intervals including one to 24:00',
      calendar: everyDay(
        [
          { start: '00:00', end: '02:30' },
          { start: '07:00', end: '12:00' },
          { start: '20:00', end: '24:00' },
        ],
        'Europe/Berlin',
      ),
    },
    {
      name: 'New York, an interval in the spring gap',
      calendar: everyDay([{ start: '02:30', end: '04:00' }], 'America/New_York'),
    },
  ];

  it.each(calendars)('$name: businessTimeBetween(s, addBusinessTime(s, d)) === d', ({ calendar }) => {
    const next = random(7);
    const first = Date.parse('2026-01-01T00:00:00Z');
    const span = Date.parse('2027-12-01T00:00:00Z') - first;
    for (let i = 0; i < 500; i++) {
      const start = new Date(first + Math.floor(next() * span));
      const roll = next();
      // mostly arbitrary milliseconds; some zero and some whole hours, which end on interval edges
      const duration =
        roll < 0.1 ? 0 : roll < 0.3 ? Math.ceil(next() * 240) * HOUR : Math.floor(next() * 30 * WORKING_DAY);
      const due = addBusinessTime(start, duration, calendar);
      expect(businessTimeBetween(start, due, calendar)).toBe(duration);
      expect(due.getTime()).toBeGreaterThanOrEqual(nextWorkingInstant(start, calendar).getTime());
      // the deadline is reached while working: the millisecond before it is working time
      if (duration > 0) expect(isWorkingTime(new Date(due.getTime() - 1), calendar)).toBe(true);
      // longer durations never give earlier deadlines
      const shorter = Math.floor(duration * next());
      expect(addBusinessTime(start, shorter, calendar).getTime()).toBeLessThanOrEqual(due.getTime());
    }
  });

  it.each(calendars)(
    '$name: addBusinessTime(s, businessTimeBetween(s, t)) is the last working instant ≤ t',
    ({ calendar }) => {
      const next = random(11);
      const first = Date.parse('2026-01-01T00:00:00Z');
      const span = Date.parse('2027-12-01T00:00:00Z') - first;
      for (let i = 0; i < 300; i++) {
        const from = new Date(first + Math.floor(next() * span));
        const to = new Date(from.getTime() + Math.floor(next() * 20 * 24 * HOUR));
        const worked = businessTimeBetween(from, to, calendar);
        const reached = addBusinessTime(from, worked, calendar);
        expect(reached.getTime()).toBeLessThanOrEqual(
          Math.max(to.getTime(), nextWorkingInstant(from, calendar).getTime()),
        );
        expect(businessTimeBetween(reached, to, calendar)).toBe(0);
      }
    },
  );
});

describe('STANDARD_CALENDAR and its holiday data', () => {
  it('is Asia/Shanghai, Monday to Friday 08:30–12:00 and 13:30–18:00, valid, and frozen', () => {
    expect(STANDARD_CALENDAR.timeZone).toBe('Asia/Shanghai');
    expect(STANDARD_CALENDAR.weekly[1]).toEqual(OFFICE);
    expect(STANDARD_CALENDAR.weekly[0]).toEqual([]);
    expect(STANDARD_CALENDAR.weekly[6]).toEqual([]);
    expect(validateCalendar(STANDARD_CALENDAR)).toEqual({ ok: true, calendar: STANDARD_CALENDAR });
    expect(Object.isFrozen(STANDARD_CALENDAR.holidays)).toBe(true);
    expect(() => (STANDARD_CALENDAR.holidays as string[]).push('2026-11-02')).toThrow(TypeError);
  });

  it('2026 follows 国办发明电〔2025〕7号: 33 days off in seven breaks, starting on the weekdays the notice names', () => {
    const year2026 = CN_HOLIDAY_ARRANGEMENTS.find((a) => a.year === 2026)!;
    expect(year2026.provisional).toBe(false);
    expect(year2026.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
    // first and last day of each break, with the weekdays printed in the notice
    const breaks: [string, number, string, number][] = [
      ['2026-01-01', 4, '2026-01-03', 6],
      ['2026-02-15', 0, '2026-02-23', 1],
      ['2026-04-04', 6, '2026-04-06', 1],
      ['2026-05-01', 5, '2026-05-05', 2],
      ['2026-06-19', 5, '2026-06-21', 0],
      ['2026-09-25', 5, '2026-09-27', 0],
      ['2026-10-01', 4, '2026-10-07', 3],
    ];
    for (const [from, fromDay, to, toDay] of breaks) {
      expect([from, weekday(from)]).toEqual([from, fromDay]);
      expect([to, weekday(to)]).toEqual([to, toDay]);
      const days = year2026.holidays.filter((d) => d >= from && d <= to);
      expect(days).toHaveLength((Date.parse(to) - Date.parse(from)) / (24 * HOUR) + 1);
    }
    expect(year2026.workdays).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    // a make-up working day is always a Saturday or a Sunday
    for (const date of year2026.workdays) expect([0, 6]).toContain(weekday(date));
  });

  it('2027 is marked provisional: statutory days only, no make-up days', () => {
    const year2027 = CN_HOLIDAY_ARRANGEMENTS.find((a) => a.year === 2027)!;
    expect(year2027.provisional).toBe(true);
    expect(year2027.workdays).toEqual([]);
    for (const date of [
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-04-05',
      '2027-05-01',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01',
    ]) {
      expect(year2027.holidays).toContain(date);
    }
  });
});

describe('validateCalendar', () => {
  const good = (): Record<string, unknown> => ({
    timeZone: 'Asia/Shanghai',
    weekly: { 0: [], 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE, 6: [] },
    holidays: ['2026-10-01'],
    workdays: ['2026-10-10'],
  });
  const withDay = (intervals: unknown) => ({
    ...good(),
    weekly: { ...(good().weekly as object), 1: intervals },
  });

  it('accepts a good calendar and returns a sorted copy', () => {
    const input = {
      ...good(),
      weekly: {
        ...(good().weekly as object),
        2: [
          { start: '13:30', end: '18:00' },
          { start: '08:30', end: '12:00' },
        ],
      },
      holidays: ['2026-10-02', '2026-10-01'],
      makeUpPattern: 2,
    };
    const result = validateCalendar(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.calendar.weekly[2]).toEqual(OFFICE);
    expect(result.calendar.holidays).toEqual(['2026-10-01', '2026-10-02']);
    expect(result.calendar.makeUpPattern).toBe(2);
  });

  it.each([
    {
      name: 'touching intervals',
      calendar: withDay([
        { start: '08:00', end: '12:00' },
        { start: '12:00', end: '24:00' },
      ]),
    },
    { name: 'an interval of the whole day', calendar: withDay([{ start: '00:00', end: '24:00' }]) },
    { name: 'another IANA zone', calendar: { ...good(), timeZone: 'Europe/Berlin' } },
  ])('accepts $name', ({ calendar }) => {
    expect(validateCalendar(calendar).ok).toBe(true);
  });

  it.each([
    { name: 'not an object', calendar: 'Asia/Shanghai', field: 'calendar', problem: 'not_an_object' },
    { name: 'null', calendar: null, field: 'calendar', problem: 'not_an_object' },
    {
      name: 'an unknown field',
      calendar: { ...good(), lunch: true },
      field: 'lunch',
      problem: 'unknown_field',
    },
    {
      name: 'no time zone',
      calendar: { ...good(), timeZone: undefined },
      field: 'timeZone',
      problem: 'required',
    },
    {
      name: 'a bad zone',
      calendar: { ...good(), timeZone: 'Mars/Olympus_Mons' },
      field: 'timeZone',
      problem: 'invalid_time_zone',
    },
    {
      name: 'an offset instead of a zone',
      calendar: { ...good(), timeZone: '+08:00' },
      field: 'timeZone',
      problem: 'invalid_time_zone',
    },
    {
      name: 'an empty zone',
      calendar: { ...good(), timeZone: '' },
      field: 'timeZone',
      problem: 'invalid_time_zone',
    },
    {
      name: 'a zone that is not a string',
      calendar: { ...good(), timeZone: 8 },
      field: 'timeZone',
      problem: 'invalid_time_zone',
    },
    {
      name: 'no weekly pattern',
      calendar: { ...good(), weekly: undefined },
      field: 'weekly',
      problem: 'required',
    },
    {
      name: 'a weekly pattern that is a list',
      calendar: { ...good(), weekly: [] },
      field: 'weekly',
      problem: 'not_an_object',
    },
    {
      name: 'a missing weekday',
      calendar: { ...good(), weekly: { 0: [], 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE } },
      field: 'weekly.6',
      problem: 'required',
    },
    {
      name: 'weekday 7',
      calendar: { ...good(), weekly: { ...(good().weekly as object), 7: [] } },
      field: 'weekly.7',
      problem: 'invalid_weekday',
    },
    {
      name: 'a day that is not a list',
      calendar: withDay({ start: '08:30', end: '12:00' }),
      field: 'weekly.1',
      problem: 'not_a_list',
    },
    {
      name: 'an interval that is not an object',
      calendar: withDay(['08:30-12:00']),
      field: 'weekly.1[0]',
      problem: 'not_an_object',
    },
    {
      name: 'an interval with an unknown field',
      calendar: withDay([{ start: '08:30', end: '12:00', lunch: true }]),
      field: 'weekly.1[0].lunch',
      problem: 'unknown_field',
    },
    {
      name: 'an interval without a start',
      calendar: withDay([{ end: '12:00' }]),
      field: 'weekly.1[0].start',
      problem: 'required',
    },
    {
      name: 'an interval without an end',
      calendar: withDay([{ start: '08:30' }]),
      field: 'weekly.1[0].end',
      problem: 'required',
    },
    {
      name: '25:00',
      calendar: withDay([{ start: '08:30', end: '25:00' }]),
      field: 'weekly.1[0].end',
      problem: 'invalid_time',
    },
    {
      name: '24:01',
      calendar: withDay([{ start: '08:30', end: '24:01' }]),
      field: 'weekly.1[0].end',
      problem: 'invalid_time',
    },
    {
      name: '24:00 as a start',
      calendar: withDay([{ start: '24:00', end: '24:00' }]),
      field: 'weekly.1[0].start',
      problem: 'invalid_time',
    },
    {
      name: '12:60',
      calendar: withDay([{ start: '08:30', end: '12:60' }]),
      field: 'weekly.1[0].end',
      problem: 'invalid_time',
    },
    {
      name: 'a time without its leading zero',
      calendar: withDay([{ start: '8:30', end: '12:00' }]),
      field: 'weekly.1[0].start',
      problem: 'invalid_time',
    },
    {
      name: 'a time with seconds',
      calendar: withDay([{ start: '08:30:00', end: '12:00' }]),
      field: 'weekly.1[0].start',
      problem: 'invalid_time',
    },
    {
      name: 'a time as a number',
      calendar: withDay([{ start: 830, end: '12:00' }]),
      field: 'weekly.1[0].start',
      problem: 'invalid_time',
    },
    {
      name: 'an empty interval',
      calendar: withDay([{ start: '12:00', end: '12:00' }]),
      field: 'weekly.1[0]',
      problem: 'start_not_before_end',
    },
    {
      name: 'an interval across midnight',
      calendar: withDay([{ start: '22:00', end: '06:00' }]),
      field: 'weekly.1[0]',
      problem: 'start_not_before_end',
    },
    {
      name: 'overlapping intervals',
      calendar: withDay([
        { start: '08:30', end: '12:00' },
        { start: '11:30', end: '18:00' },
      ]),
      field: 'weekly.1[1]',
      problem: 'overlapping_intervals',
    },
    {
      name: 'overlapping intervals given out of order',
      calendar: withDay([
        { start: '13:30', end: '18:00' },
        { start: '08:30', end: '14:00' },
      ]),
      field: 'weekly.1[1]',
      problem: 'overlapping_intervals',
    },
    {
      name: 'an interval inside another',
      calendar: withDay([
        { start: '08:00', end: '18:00' },
        { start: '09:00', end: '10:00' },
      ]),
      field: 'weekly.1[1]',
      problem: 'overlapping_intervals',
    },
    {
      name: 'too many intervals in a day',
      calendar: withDay(
        Array.from({ length: 13 }, (_, i) => ({
          start: `${String(i).padStart(2, '0')}:00`,
          end: `${String(i).padStart(2, '0')}:30`,
        })),
      ),
      field: 'weekly.1',
      problem: 'too_many',
    },
    {
      name: 'no holidays list',
      calendar: { ...good(), holidays: undefined },
      field: 'holidays',
      problem: 'required',
    },
    {
      name: 'holidays that are not a list',
      calendar: { ...good(), holidays: '2026-10-01' },
      field: 'holidays',
      problem: 'not_a_list',
    },
    {
      name: 'a date that does not exist',
      calendar: { ...good(), holidays: ['2026-02-30'] },
      field: 'holidays[0]',
      problem: 'invalid_date',
    },
    {
      name: 'a date without leading zeros',
      calendar: { ...good(), holidays: ['2026-10-01', '2026-2-3'] },
      field: 'holidays[1]',
      problem: 'invalid_date',
    },
    {
      name: 'a date with a time',
      calendar: { ...good(), holidays: ['2026-10-01T00:00:00Z'] },
      field: 'holidays[0]',
      problem: 'invalid_date',
    },
    {
      name: 'month 13',
      calendar: { ...good(), workdays: ['2026-13-01'] },
      field: 'workdays[0]',
      problem: 'invalid_date',
    },
    {
      name: 'a date as a number',
      calendar: { ...good(), workdays: [20261010] },
      field: 'workdays[0]',
      problem: 'invalid_date',
    },
    {
      name: 'a duplicate date',
      calendar: { ...good(), holidays: ['2026-10-01', '2026-10-01'] },
      field: 'holidays[1]',
      problem: 'duplicate_date',
    },
    {
      name: 'no workdays list',
      calendar: { ...good(), workdays: undefined },
      field: 'workdays',
      problem: 'required',
    },
    {
      name: 'a date both holiday and make-up day',
      calendar: { ...good(), workdays: ['2026-10-10', '2026-10-01'] },
      field: 'workdays[1]',
      problem: 'holiday_and_workday',
    },
    {
      name: 'too many holidays',
      calendar: {
        ...good(),
        holidays: Array.from({ length: 1001 }, (_, i) =>
          new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
        ),
      },
      field: 'holidays',
      problem: 'too_many',
    },
    {
      name: 'makeUpPattern 7',
      calendar: { ...good(), makeUpPattern: 7 },
      field: 'makeUpPattern',
      problem: 'invalid_weekday',
    },
    {
      name: 'makeUpPattern as text',
      calendar: { ...good(), makeUpPattern: '1' },
      field: 'makeUpPattern',
      problem: 'invalid_weekday',
    },
    {
      name: 'make-up days worked with a day off',
      calendar: { ...good(), makeUpPattern: 0 },
      field: 'makeUpPattern',
      problem: 'no_working_time',
    },
    {
      name: 'a week without working time',
      calendar: { ...good(), weekly: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] } },
      field: 'weekly',
      problem: 'no_working_time',
    },
  ])('refuses $name', ({ calendar, field, problem }) => {
    expect(validateCalendar(calendar)).toEqual({ ok: false, field, problem });
  });

  it('the arithmetic refuses an invalid calendar instead of guessing', () => {
    const bad = { ...good(), timeZone: 'Mars/Olympus_Mons' } as unknown as BusinessCalendar;
    expect(() => addBusinessTime(sh('2026-11-02 09:00'), HOUR, bad)).toThrow(/timeZone: invalid_time_zone/);
    expect(() => businessTimeBetween(sh('2026-11-02 09:00'), sh('2026-11-03 09:00'), bad)).toThrow(
      RangeError,
    );
    expect(() => isWorkingTime(sh('2026-11-02 09:00'), bad)).toThrow(RangeError);
  });
});

describe('bad arguments', () => {
  it.each([
    { name: 'a negative duration', start: sh('2026-11-02 09:00'), ms: -1 },
    { name: 'NaN', start: sh('2026-11-02 09:00'), ms: Number.NaN },
    { name: 'Infinity', start: sh('2026-11-02 09:00'), ms: Number.POSITIVE_INFINITY },
    { name: 'more than ten years', start: sh('2026-11-02 09:00'), ms: 11 * 366 * 24 * HOUR },
  ])('refuses $name', ({ start, ms }) => {
    expect(() => addBusinessTime(start, ms, STANDARD_CALENDAR)).toThrow(RangeError);
    expect(() => addBusinessTime(start, ms, null)).toThrow(RangeError);
  });

  it('refuses an invalid Date', () => {
    const invalid = new Date('not a date');
    expect(() => addBusinessTime(invalid, HOUR, STANDARD_CALENDAR)).toThrow(TypeError);
    expect(() => businessTimeBetween(invalid, sh('2026-11-02 09:00'), null)).toThrow(TypeError);
    expect(() => isWorkingTime(invalid, null)).toThrow(TypeError);
  });

  it('drops fractions of a millisecond', () => {
    expect(addBusinessTime(sh('2026-11-02 09:00'), 1.9, STANDARD_CALENDAR).toISOString()).toBe(
      sh('2026-11-02 09:00:00.001').toISOString(),
    );
  });
});
