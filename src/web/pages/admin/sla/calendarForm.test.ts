import { describe, expect, it } from 'vitest';
import { STANDARD_CALENDAR, validateCalendar } from '../../../../domain/business-time';
import type { HolidayArrangement } from '../../../../domain/holidays-cn';
import {
  addDate,
  addInterval,
  type CalendarDraft,
  type CalendarJson,
  calendarIssues,
  calendarOf,
  copyDay,
  datesByYear,
  dayIssues,
  draftOf,
  issueAt,
  mergeStatutory,
  minuteOf,
  nextWorkingPeriod,
  normalizeTime,
  removeDate,
  removeInterval,
  sameCalendar,
  setIntervalTime,
  suggestInterval,
  tidyTimes,
} from './calendarForm';

/** The standard calendar as the API sends it (weekdays keyed '0'…'6'). */
const standardJson = (): CalendarJson => JSON.parse(JSON.stringify(STANDARD_CALENDAR)) as CalendarJson;

/** A small calendar: Mon–Fri 08:30–12:00 and 13:30–18:00 in Shanghai, one holiday, one make-up day. */
function office(): CalendarDraft {
  const office = [
    { start: '08:30', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ];
  return draftOf({
    timeZone: 'Asia/Shanghai',
    weekly: { '0': [], '1': office, '2': office, '3': office, '4': office, '5': office, '6': [] },
    holidays: ['2026-12-25'],
    workdays: ['2026-12-26'],
  });
}

describe('times typed the quick way (R20: calendars that business-hours clocks follow)', () => {
  it('reads 0830, 8:30, 8：30, 8.30 and 8 as HH:MM, and 24:00 as the end of the day', () => {
    expect(normalizeTime('0830')).toBe('08:30');
    expect(normalizeTime('830')).toBe('08:30');
    expect(normalizeTime('8:30')).toBe('08:30');
    expect(normalizeTime(' 8：30 ')).toBe('08:30');
    expect(normalizeTime('8.30')).toBe('08:30');
    expect(normalizeTime('8')).toBe('08:00');
    expect(normalizeTime('13:05')).toBe('13:05');
    expect(normalizeTime('24:00')).toBe('24:00');
  });

  it('refuses what is not a time of day', () => {
    for (const text of ['', 'abc', '25:00', '24:30', '12:60', '12:3', '123456', '-1:00']) {
      expect(normalizeTime(text), text).toBeNull();
    }
    expect(minuteOf('13:30')).toBe(810);
    expect(minuteOf('x')).toBeNull();
  });
});

describe('checking a day’s working intervals', () => {
  it('accepts intervals in any order, and touching ones (an interval is [start, end))', () => {
    const draft = office();
    expect(dayIssues(1, draft.weekly[1])).toEqual([]);
    const touching = setIntervalTime(draft, 1, draft.weekly[1][1]!.id, 'start', '12:00');
    expect(dayIssues(1, touching.weekly[1])).toEqual([]);
  });

  it('marks the end of an interval that does not end after it starts', () => {
    const draft = office();
    const id = draft.weekly[2][0]!.id;
    const wrong = setIntervalTime(draft, 2, id, 'end', '08:00');
    expect(dayIssues(2, wrong.weekly[2])).toEqual([
      { kind: 'interval', weekday: 2, id, part: 'end', problem: 'start_not_before_end' },
    ]);
    const same = setIntervalTime(draft, 2, id, 'end', '08:30');
    expect(issueAt(calendarIssues(same), 2, id, 'end')?.problem).toBe('start_not_before_end');
  });

  it('marks the later of two overlapping intervals, and unreadable times where they are', () => {
    const draft = office();
    const [morning, afternoon] = draft.weekly[3];
    const overlapping = setIntervalTime(draft, 3, afternoon!.id, 'start', '11:00');
    expect(dayIssues(3, overlapping.weekly[3])).toEqual([
      { kind: 'interval', weekday: 3, id: afternoon!.id, part: 'start', problem: 'overlapping' },
    ]);
    // the one that starts later is marked, whichever was typed first
    const early = setIntervalTime(draft, 3, afternoon!.id, 'start', '07:00');
    expect(dayIssues(3, early.weekly[3])).toEqual([
      { kind: 'interval', weekday: 3, id: morning!.id, part: 'start', problem: 'overlapping' },
    ]);
    const unreadable = setIntervalTime(draft, 3, morning!.id, 'start', '8点');
    expect(dayIssues(3, unreadable.weekly[3])).toEqual([
      { kind: 'interval', weekday: 3, id: morning!.id, part: 'start', problem: 'invalid_time' },
    ]);
    // 24:00 ends a day but never starts an interval
    const midnight = setIntervalTime(draft, 3, morning!.id, 'start', '24:00');
    expect(dayIssues(3, midnight.weekly[3])[0]).toMatchObject({ part: 'start', problem: 'invalid_time' });
  });
});

describe('a whole calendar’s problems', () => {
  it('finds none in the standard calendar, and the server agrees with what it would send', () => {
    const draft = draftOf(standardJson());
    expect(calendarIssues(draft)).toEqual([]);
    const sent = calendarOf(draft);
    expect(validateCalendar(sent)).toEqual({ ok: true, calendar: { ...sent, makeUpPattern: 1 } });
    expect(sent.holidays).toEqual(STANDARD_CALENDAR.holidays);
    expect(sent.workdays).toEqual(STANDARD_CALENDAR.workdays);
  });

  it('refuses a week without work, make-up days on a day off, a date both ways, an unknown zone', () => {
    let draft = office();
    for (const day of [1, 2, 3, 4, 5] as const) {
      for (const item of draft.weekly[day]) draft = removeInterval(draft, day, item.id);
    }
    expect(calendarIssues(draft).map((issue) => issue.problem)).toEqual([
      'no_working_time',
      'make_up_day_off',
    ]);

    const both = { ...office(), workdays: ['2026-12-25', '2026-12-26'] };
    expect(calendarIssues(both)).toEqual([
      { kind: 'workdays', problem: 'holiday_and_workday', date: '2026-12-25' },
    ]);
    expect(calendarIssues({ ...office(), timeZone: 'Mars/Olympus' })).toEqual([
      { kind: 'timeZone', problem: 'invalid_time_zone' },
    ]);
  });

  it('whenever it finds nothing wrong, the domain validation (which the server runs) accepts the calendar', () => {
    let draft = office();
    draft = addInterval(draft, 6); // Saturday 08:30–12:00
    draft = addInterval(draft, 6); // and 13:00–17:00 after a lunch break
    draft = setIntervalTime(draft, 1, draft.weekly[1][0]!.id, 'start', '0800');
    draft = addDate(draft, 'holidays', '2027-01-01');
    expect(calendarIssues(draft)).toEqual([]);
    const result = validateCalendar(calendarOf(draft));
    expect(result.ok).toBe(true);
    expect(calendarOf(draft).weekly[6]).toEqual([
      { start: '08:30', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    // and with an overlap it finds one, as the server would
    const bad = setIntervalTime(draft, 6, draft.weekly[6][1]!.id, 'start', '11:00');
    expect(calendarIssues(bad)).toHaveLength(1);
    expect(validateCalendar(calendarOf(bad))).toMatchObject({ ok: false, problem: 'overlapping_intervals' });
  });
});

describe('editing a draft', () => {
  it('proposes 08:30–12:00 on an empty day and the next interval an hour after the last one', () => {
    expect(suggestInterval([])).toEqual({ start: '08:30', end: '12:00' });
    const draft = office();
    expect(suggestInterval(draft.weekly[1])).toEqual({ start: '19:00', end: '23:00' });
    const late = setIntervalTime(draft, 1, draft.weekly[1][1]!.id, 'end', '22:00');
    expect(suggestInterval(late.weekly[1])).toEqual({ start: '23:00', end: '24:00' });
    const full = setIntervalTime(draft, 1, draft.weekly[1][1]!.id, 'end', '23:30');
    expect(suggestInterval(full.weekly[1])).toBeNull();
  });

  it('sends times in their canonical form and intervals in order; tidies typed times on leaving', () => {
    let draft = office();
    const [morning, afternoon] = draft.weekly[1];
    draft = setIntervalTime(draft, 1, afternoon!.id, 'start', '0730');
    draft = setIntervalTime(draft, 1, afternoon!.id, 'end', '8:00');
    draft = setIntervalTime(draft, 1, morning!.id, 'start', '9');
    expect(calendarOf(draft).weekly[1]).toEqual([
      { start: '07:30', end: '08:00' },
      { start: '09:00', end: '12:00' },
    ]);
    const tidy = tidyTimes(draft, 1);
    expect(tidy.weekly[1].map((item) => [item.start, item.end])).toEqual([
      ['09:00', '12:00'],
      ['07:30', '08:00'],
    ]);
    expect(tidy.weekly[1][0]!.id).toBe(morning!.id);
  });

  it('copies a day onto the working week with fresh intervals, leaving the weekend', () => {
    let draft = office();
    draft = addInterval(draft, 6);
    draft = setIntervalTime(draft, 1, draft.weekly[1][0]!.id, 'start', '08:00');
    const copied = copyDay(draft, 1, [1, 2, 3, 4, 5]);
    expect(calendarOf(copied).weekly[5]).toEqual(calendarOf(draft).weekly[1]);
    expect(copied.weekly[6]).toBe(draft.weekly[6]);
    expect(copied.weekly[5][0]!.id).not.toBe(draft.weekly[1][0]!.id);
  });

  it('keeps dates sorted and unique; a date added to one list leaves the other', () => {
    let draft = office();
    draft = addDate(draft, 'holidays', '2026-10-01');
    draft = addDate(draft, 'holidays', '2026-10-01');
    expect(draft.holidays).toEqual(['2026-10-01', '2026-12-25']);
    draft = addDate(draft, 'holidays', '2026-12-26');
    expect(draft.workdays).toEqual([]);
    expect(draft.holidays).toEqual(['2026-10-01', '2026-12-25', '2026-12-26']);
    draft = removeDate(draft, 'holidays', '2026-12-25');
    expect(draft.holidays).toEqual(['2026-10-01', '2026-12-26']);
    expect(datesByYear(['2027-01-01', '2026-10-01', '2026-12-26'])).toEqual([
      { year: '2026', dates: ['2026-10-01', '2026-12-26'] },
      { year: '2027', dates: ['2027-01-01'] },
    ]);
  });

  it('merges the State Council’s dates, keeping a date the company lists the other way round', () => {
    const notice: HolidayArrangement = {
      year: 2026,
      source: 'test',
      provisional: false,
      holidays: ['2026-12-25', '2026-12-31'],
      workdays: ['2026-12-26', '2026-12-27'],
    };
    const draft = addDate(office(), 'holidays', '2026-12-27');
    const { draft: merged, added } = mergeStatutory(draft, [notice]);
    expect(added).toBe(1);
    expect(merged.holidays).toEqual(['2026-12-25', '2026-12-27', '2026-12-31']);
    expect(merged.workdays).toEqual(['2026-12-26']);
  });

  it('knows an untouched draft from a changed one', () => {
    const draft = office();
    expect(sameCalendar(draft, tidyTimes(draft, 1))).toBe(true);
    expect(sameCalendar(draft, addDate(draft, 'holidays', '2026-10-01'))).toBe(false);
    expect(sameCalendar(draft, { ...draft, makeUpPattern: 2 })).toBe(false);
  });
});

describe('the preview: the next working period, in the calendar’s time zone', () => {
  const calendar = calendarOf(office());

  it('names the period under way during working time', () => {
    // Tue 2026-12-01 10:00 in Shanghai
    expect(nextWorkingPeriod(calendar, new Date('2026-12-01T02:00:00Z'))).toEqual({
      now: true,
      date: '2026-12-01',
      weekday: 2,
      start: '10:00',
      end: '12:00',
    });
  });

  it('names the next one at lunch, at night, over a holiday and on a make-up Saturday', () => {
    // Tue 12:30 → 13:30–18:00
    expect(nextWorkingPeriod(calendar, new Date('2026-12-01T04:30:00Z'))).toMatchObject({
      now: false,
      date: '2026-12-01',
      start: '13:30',
      end: '18:00',
    });
    // Thu 2026-12-24 20:00 → Fri 25th is a holiday, Sat 26th a make-up day with Monday's hours
    expect(nextWorkingPeriod(calendar, new Date('2026-12-24T12:00:00Z'))).toEqual({
      now: false,
      date: '2026-12-26',
      weekday: 6,
      start: '08:30',
      end: '12:00',
    });
  });

  it('counts in the calendar’s zone, not the browser’s', () => {
    const newYork = { ...calendar, timeZone: 'America/New_York' };
    // 2026-12-01T14:00Z is 09:00 in New York (EST, UTC−5)
    expect(nextWorkingPeriod(newYork, new Date('2026-12-01T14:00:00Z'))).toMatchObject({
      now: true,
      date: '2026-12-01',
      start: '09:00',
      end: '12:00',
    });
  });
});
