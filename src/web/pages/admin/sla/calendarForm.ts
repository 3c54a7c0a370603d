/**
 * The business-calendar editor's rules, pure (no React, no I/O): the calendar as the API sends it
 * turned into an editable draft and back, times typed the quick way ("0830", "8:30", "8：30")
 * normalised, each working interval checked (end after start, no overlap within a day) so the
 * editor can mark the very field, holidays and make-up working days (调休) kept sorted, and the
 * preview line ("下一个工作时段") computed with the same arithmetic the server uses.
 * The server validates the calendar again (domain/business-time validateCalendar).
 */
import {
  type BusinessCalendar,
  MAX_CALENDAR_DATES,
  MAX_INTERVALS_PER_DAY,
  nextWorkingInstant,
  type Weekday,
  type WorkingInterval,
} from '../../../../domain/business-time';
import type { HolidayArrangement } from '../../../../domain/holidays-cn';

/** The order a Chinese office reads a week in: Monday first. */
export const WEEKDAYS_MONDAY_FIRST: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];
const ALL_WEEKDAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
/** Monday to Friday: where "copy to the working week" copies a day's intervals. */
export const WORKING_WEEK: readonly Weekday[] = [1, 2, 3, 4, 5];
/** Whose intervals a make-up working day has when the calendar does not say (the server's default). */
export const DEFAULT_MAKE_UP_PATTERN: Weekday = 1;

const MINUTES_PER_DAY = 24 * 60;

/** The calendar as the API answers it: weekdays keyed '0'…'6'. */
export interface CalendarJson {
  timeZone: string;
  weekly: Record<string, WorkingInterval[]>;
  holidays: string[];
  workdays: string[];
  makeUpPattern?: number;
}

/** One interval being edited: the text as typed, and an id that stays while the list changes. */
export interface IntervalDraft {
  id: number;
  start: string;
  end: string;
}

export interface CalendarDraft {
  timeZone: string;
  weekly: Record<Weekday, IntervalDraft[]>;
  holidays: string[];
  workdays: string[];
  makeUpPattern: Weekday;
}

let lastIntervalId = 0;
function interval(start: string, end: string): IntervalDraft {
  lastIntervalId += 1;
  return { id: lastIntervalId, start, end };
}

function isWeekday(value: unknown): value is Weekday {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 6;
}

/** The editable copy of a calendar; a weekday the calendar does not list is a day off. */
export function draftOf(calendar: CalendarJson): CalendarDraft {
  const weekly = {} as Record<Weekday, IntervalDraft[]>;
  for (const day of ALL_WEEKDAYS) {
    weekly[day] = (calendar.weekly[String(day)] ?? []).map((item) => interval(item.start, item.end));
  }
  return {
    timeZone: calendar.timeZone,
    weekly,
    holidays: sortedUnique(calendar.holidays),
    workdays: sortedUnique(calendar.workdays),
    makeUpPattern: isWeekday(calendar.makeUpPattern) ? calendar.makeUpPattern : DEFAULT_MAKE_UP_PATTERN,
  };
}

/**
 * The calendar to send (PUT /sla/calendars/…): times normalised, each day's intervals in order,
 * dates sorted. Times that cannot be read are sent as typed (the server refuses them by field).
 */
export function calendarOf(draft: CalendarDraft): BusinessCalendar {
  const weekly = {} as Record<Weekday, WorkingInterval[]>;
  for (const day of ALL_WEEKDAYS) {
    weekly[day] = draft.weekly[day]
      .map((item) => ({
        start: normalizeTime(item.start) ?? item.start.trim(),
        end: normalizeTime(item.end) ?? item.end.trim(),
      }))
      .sort((a, b) => (minuteOf(a.start) ?? 0) - (minuteOf(b.start) ?? 0));
  }
  return {
    timeZone: draft.timeZone,
    weekly,
    holidays: sortedUnique(draft.holidays),
    workdays: sortedUnique(draft.workdays),
    makeUpPattern: draft.makeUpPattern,
  };
}

/** Whether two drafts would save the same calendar (the editor's "unsaved changes" flag). */
export function sameCalendar(a: CalendarDraft, b: CalendarDraft): boolean {
  return JSON.stringify(calendarOf(a)) === JSON.stringify(calendarOf(b));
}

// ---------------------------------------------------------------------------------------------
// Times

/**
 * 'HH:MM' from what a person types: "8:30", "08:30", "0830", "830", "8", "8：30" (a Chinese
 * input method's colon), "8.30"; "24:00" is the end of the day. null when it is not a time.
 */
export function normalizeTime(text: string): string | null {
  const value = text.trim().replace(/[：.．]/g, ':');
  const match =
    /^(\d{1,2}):(\d{2})$/.exec(value) ?? /^(\d{1,2})(\d{2})$/.exec(value) ?? /^(\d{1,2})()$/.exec(value);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2] || '0');
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Minutes since local midnight of a time as typed; null when it is not a time. */
export function minuteOf(text: string): number | null {
  const time = normalizeTime(text);
  if (time === null) return null;
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function timeOfMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Checks

export type IntervalProblem = 'invalid_time' | 'start_not_before_end' | 'overlapping';

/** What is wrong with one interval, and where to mark it. */
export interface IntervalIssue {
  kind: 'interval';
  weekday: Weekday;
  id: number;
  /** The field to mark: a time that cannot be read, or the end of an interval that ends too early. */
  part: 'start' | 'end';
  problem: IntervalProblem;
}

export type CalendarIssue =
  | IntervalIssue
  | { kind: 'day'; weekday: Weekday; problem: 'too_many' }
  | { kind: 'timeZone'; problem: 'invalid_time_zone' }
  | { kind: 'weekly'; problem: 'no_working_time' }
  | { kind: 'makeUpPattern'; problem: 'make_up_day_off' }
  | { kind: 'holidays' | 'workdays'; problem: 'too_many_dates' }
  | { kind: 'workdays'; problem: 'holiday_and_workday'; date: string };

/** The problems of one day's intervals: unreadable times, an end not after its start, overlaps. */
export function dayIssues(weekday: Weekday, intervals: readonly IntervalDraft[]): IntervalIssue[] {
  const issues: IntervalIssue[] = [];
  const readable: { id: number; start: number; end: number }[] = [];
  for (const item of intervals) {
    const start = minuteOf(item.start);
    const end = minuteOf(item.end);
    if (start === null || start >= MINUTES_PER_DAY) {
      issues.push({ kind: 'interval', weekday, id: item.id, part: 'start', problem: 'invalid_time' });
    }
    if (end === null) {
      issues.push({ kind: 'interval', weekday, id: item.id, part: 'end', problem: 'invalid_time' });
    }
    if (start === null || end === null || start >= MINUTES_PER_DAY) continue;
    if (start >= end) {
      issues.push({ kind: 'interval', weekday, id: item.id, part: 'end', problem: 'start_not_before_end' });
      continue;
    }
    readable.push({ id: item.id, start, end });
  }
  // touching intervals (12:00 end, 12:00 start) are fine: an interval is [start, end)
  readable.sort((a, b) => a.start - b.start || a.end - b.end);
  let latestEnd = -1;
  for (const item of readable) {
    if (item.start < latestEnd) {
      issues.push({ kind: 'interval', weekday, id: item.id, part: 'start', problem: 'overlapping' });
    }
    latestEnd = Math.max(latestEnd, item.end);
  }
  return issues;
}

function isTimeZone(value: string): boolean {
  if (!value) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Every problem of a draft; none means the server will accept it. */
export function calendarIssues(draft: CalendarDraft): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  if (!isTimeZone(draft.timeZone)) issues.push({ kind: 'timeZone', problem: 'invalid_time_zone' });
  for (const day of WEEKDAYS_MONDAY_FIRST) {
    const intervals = draft.weekly[day];
    if (intervals.length > MAX_INTERVALS_PER_DAY)
      issues.push({ kind: 'day', weekday: day, problem: 'too_many' });
    issues.push(...dayIssues(day, intervals));
  }
  if (WEEKDAYS_MONDAY_FIRST.every((day) => draft.weekly[day].length === 0)) {
    issues.push({ kind: 'weekly', problem: 'no_working_time' });
  }
  if (draft.workdays.length > 0 && draft.weekly[draft.makeUpPattern].length === 0) {
    issues.push({ kind: 'makeUpPattern', problem: 'make_up_day_off' });
  }
  if (draft.holidays.length > MAX_CALENDAR_DATES)
    issues.push({ kind: 'holidays', problem: 'too_many_dates' });
  if (draft.workdays.length > MAX_CALENDAR_DATES)
    issues.push({ kind: 'workdays', problem: 'too_many_dates' });
  const holidays = new Set(draft.holidays);
  for (const date of draft.workdays) {
    if (holidays.has(date)) issues.push({ kind: 'workdays', problem: 'holiday_and_workday', date });
  }
  return issues;
}

/** The issue to show under one time field, if any. */
export function issueAt(
  issues: readonly CalendarIssue[],
  weekday: Weekday,
  id: number,
  part: 'start' | 'end',
): IntervalIssue | undefined {
  return issues.find(
    (issue): issue is IntervalIssue =>
      issue.kind === 'interval' && issue.weekday === weekday && issue.id === id && issue.part === part,
  );
}

// ---------------------------------------------------------------------------------------------
// Edits (each returns a new draft)

/**
 * The interval "add" proposes: 08:30–12:00 on an empty day; after the day's last interval, one
 * starting an hour after it ends (a lunch break after 12:00 gives 13:00–17:00). null when the
 * day is full (no hour left after its last interval) or has the most intervals a day may have.
 */
export function suggestInterval(intervals: readonly IntervalDraft[]): { start: string; end: string } | null {
  if (intervals.length >= MAX_INTERVALS_PER_DAY) return null;
  const ends = intervals.map((item) => minuteOf(item.end)).filter((end): end is number => end !== null);
  if (ends.length === 0) return { start: '08:30', end: '12:00' };
  const start = Math.max(...ends) + 60;
  if (start >= MINUTES_PER_DAY) return null;
  return { start: timeOfMinute(start), end: timeOfMinute(Math.min(start + 4 * 60, MINUTES_PER_DAY)) };
}

export function addInterval(draft: CalendarDraft, weekday: Weekday): CalendarDraft {
  const suggestion = suggestInterval(draft.weekly[weekday]) ?? { start: '', end: '' };
  return withDay(draft, weekday, [...draft.weekly[weekday], interval(suggestion.start, suggestion.end)]);
}

export function removeInterval(draft: CalendarDraft, weekday: Weekday, id: number): CalendarDraft {
  return withDay(
    draft,
    weekday,
    draft.weekly[weekday].filter((item) => item.id !== id),
  );
}

export function setIntervalTime(
  draft: CalendarDraft,
  weekday: Weekday,
  id: number,
  part: 'start' | 'end',
  text: string,
): CalendarDraft {
  return withDay(
    draft,
    weekday,
    draft.weekly[weekday].map((item) => (item.id === id ? { ...item, [part]: text } : item)),
  );
}

/** Typed times in their canonical form ("0830" → "08:30"), left as typed when unreadable. */
export function tidyTimes(draft: CalendarDraft, weekday: Weekday): CalendarDraft {
  return withDay(
    draft,
    weekday,
    draft.weekly[weekday].map((item) => ({
      ...item,
      start: normalizeTime(item.start) ?? item.start,
      end: normalizeTime(item.end) ?? item.end,
    })),
  );
}

/** One day's intervals copied onto other days (e.g. Monday's onto the whole working week). */
export function copyDay(draft: CalendarDraft, from: Weekday, to: readonly Weekday[]): CalendarDraft {
  let next = draft;
  for (const day of to) {
    if (day === from) continue;
    next = withDay(
      next,
      day,
      draft.weekly[from].map((item) => interval(item.start, item.end)),
    );
  }
  return next;
}

function withDay(draft: CalendarDraft, weekday: Weekday, intervals: IntervalDraft[]): CalendarDraft {
  return { ...draft, weekly: { ...draft.weekly, [weekday]: intervals } };
}

/** A date added to the holidays or the make-up working days; moved there if it was in the other. */
export function addDate(draft: CalendarDraft, list: 'holidays' | 'workdays', date: string): CalendarDraft {
  const other = list === 'holidays' ? 'workdays' : 'holidays';
  return {
    ...draft,
    [list]: sortedUnique([...draft[list], date]),
    [other]: draft[other].filter((d) => d !== date),
  };
}

export function removeDate(draft: CalendarDraft, list: 'holidays' | 'workdays', date: string): CalendarDraft {
  return { ...draft, [list]: draft[list].filter((d) => d !== date) };
}

/**
 * The State Council's holidays and 调休 days (domain/holidays-cn) merged in; a date the company
 * already lists the other way round is left as the company has it. Counts the dates added.
 */
export function mergeStatutory(
  draft: CalendarDraft,
  arrangements: readonly HolidayArrangement[],
): { draft: CalendarDraft; added: number } {
  const holidays = new Set(draft.holidays);
  const workdays = new Set(draft.workdays);
  let added = 0;
  for (const year of arrangements) {
    for (const date of year.holidays) {
      if (holidays.has(date) || workdays.has(date)) continue;
      holidays.add(date);
      added += 1;
    }
    for (const date of year.workdays) {
      if (holidays.has(date) || workdays.has(date)) continue;
      workdays.add(date);
      added += 1;
    }
  }
  return { draft: { ...draft, holidays: [...holidays].sort(), workdays: [...workdays].sort() }, added };
}

/** Dates grouped by year, in order: a year of holidays reads as one line of tags. */
export function datesByYear(dates: readonly string[]): { year: string; dates: string[] }[] {
  const groups: { year: string; dates: string[] }[] = [];
  for (const date of sortedUnique(dates)) {
    const year = date.slice(0, 4);
    const last = groups[groups.length - 1];
    if (last && last.year === year) last.dates.push(date);
    else groups.push({ year, dates: [date] });
  }
  return groups;
}

function sortedUnique(dates: readonly string[]): string[] {
  return [...new Set(dates)].sort();
}

// ---------------------------------------------------------------------------------------------
// Preview

/** The working period the preview line names, in the calendar's own time zone. */
export interface WorkingPeriod {
  /** true: `at` itself is working time; the period is the one under way. */
  now: boolean;
  /** The local date, 'YYYY-MM-DD', and its weekday. */
  date: string;
  weekday: Weekday;
  /** Local wall-clock times: from `at` (or the interval's start) to the interval's end. */
  start: string;
  end: string;
}

const localFormatters = new Map<string, Intl.DateTimeFormat>();
function localParts(at: Date, timeZone: string) {
  let formatter = localFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    localFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() as Weekday;
  return { date, weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/**
 * The working period under way at `at`, or the next one: e.g. { date: '2026-12-01', weekday: 2,
 * start: '08:30', end: '12:00' }. null when the calendar is not valid or never works again.
 */
export function nextWorkingPeriod(calendar: BusinessCalendar, at: Date): WorkingPeriod | null {
  let start: Date;
  try {
    start = nextWorkingInstant(at, calendar);
  } catch {
    return null;
  }
  const local = localParts(start, calendar.timeZone);
  const pattern = calendar.workdays.includes(local.date)
    ? calendar.weekly[calendar.makeUpPattern ?? DEFAULT_MAKE_UP_PATTERN]
    : calendar.weekly[local.weekday];
  const current = pattern.find((item) => {
    const from = minuteOf(item.start);
    const to = minuteOf(item.end);
    return from !== null && to !== null && from <= local.minute && local.minute < to;
  });
  return {
    // nextWorkingInstant answers `at` itself when it is working time
    now: start.getTime() === at.getTime(),
    date: local.date,
    weekday: local.weekday,
    start: timeOfMinute(local.minute),
    end: current?.end ?? timeOfMinute(Math.min(local.minute + 1, MINUTES_PER_DAY)),
  };
}
