/**
 * Deadline arithmetic on a business calendar (PRODUCT.md §3, R18–R26): how much working time lies
 * between two instants, and when a given amount of working time has passed. Pure: no I/O, no clock;
 * the caller passes every instant in.
 *
 * A calendar is a time zone, a weekly pattern of working intervals in local wall-clock time (several
 * a day, e.g. 08:30–12:00 and 13:30–18:00), holidays, and make-up working days (调休). A `null`
 * calendar means "on the clock": every millisecond counts (24×7).
 *
 * Rules:
 * - Working intervals are half-open, [start, end): 12:00 is not working time in 08:30–12:00.
 * - A deadline that lands exactly at the end of an interval stays there (18:00, not 08:30 the next
 *   morning); counting from a start outside working time begins at the next working instant; a zero
 *   duration gives the next working instant (the start itself when it is working time, or 24×7).
 * - A date listed as a make-up working day is worked with the pattern of `makeUpPattern` (default
 *   Monday), even when it is a weekend; a holiday has no working time; validation refuses a date
 *   that is both.
 *
 * Time zones (Intl only, no library): an interval is the span between the instants at which the
 * local wall clock first reads its start and first reads its end, so on a daylight-saving switch day
 * - a working day of 09:00–17:00 still has 8 working hours (the switch happens at night);
 * - an interval that contains the switch is as long as the real time that passes: 00:00–24:00 lasts
 *   23 h in spring and 25 h in autumn;
 * - a local time that does not exist (in the spring gap, e.g. 02:30 in New York on the switch day)
 *   is the moment the clocks jump forward (03:00 EDT): an office opening at 02:30 opens then;
 * - a local time that happens twice (the autumn repeat) is its first occurrence.
 * This assumes a zone changes its offset at most once in any 72 hours, true of every IANA zone.
 *
 * Cost: a local day's working intervals (its "plan") are computed once per calendar and day and
 * then cached, with at most one Intl lookup for a day not seen before in that zone. addBusinessTime
 * jumps over a whole day whose working time is less than what remains, and walks interval by
 * interval only within the first and the last day: O(calendar days spanned + intervals in a day),
 * never per minute. 30 working days on the standard calendar touch about 45 days (up to ~60 across
 * 春节 or 国庆). businessTimeBetween and isWorkingTime are likewise O(days spanned).
 *
 * Calendars are treated as immutable values: one object is validated and compiled the first time
 * it is used (an invalid one throws a RangeError) and the compiled form is kept with it; change a
 * calendar by making a new object. Reuse the object where you can: with it a call costs about a
 * microsecond even for 30 working days, while a fresh copy (say, parsed from JSON for each call) is
 * validated and planned again, about 0.1 ms (bench/business-time.ts).
 */
import { CN_HOLIDAY_ARRANGEMENTS } from './holidays-cn.js';

/** A working interval in local wall-clock time: 'HH:MM', start < end, '24:00' allowed as end. */
export interface WorkingInterval {
  start: string;
  end: string;
}

/** Day of the week as JavaScript counts it: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface BusinessCalendar {
  /** IANA time zone, e.g. 'Asia/Shanghai' (the default for communities). */
  timeZone: string;
  /** Working intervals per weekday, 0 = Sunday; a day off has none. */
  weekly: Record<Weekday, WorkingInterval[]>;
  /** 'YYYY-MM-DD' local dates with no work. */
  holidays: string[];
  /** 'YYYY-MM-DD' make-up working days (调休), worked with the `makeUpPattern` weekday's intervals. */
  workdays: string[];
  /** Whose intervals a make-up working day has; default 1 (Monday). */
  makeUpPattern?: Weekday;
}

/** Why validateCalendar refused a calendar; `field` says where (e.g. 'weekly.1[0].end'). */
export type CalendarProblem =
  | 'not_an_object'
  | 'required'
  | 'unknown_field'
  | 'invalid_time_zone'
  | 'not_a_list'
  | 'too_many'
  | 'invalid_time'
  | 'start_not_before_end'
  | 'overlapping_intervals'
  | 'invalid_date'
  | 'duplicate_date'
  | 'holiday_and_workday'
  | 'invalid_weekday'
  | 'no_working_time';

/** A refused calendar: where, and why. */
export interface CalendarRefusal {
  ok: false;
  field: string;
  problem: CalendarProblem;
}

export type CalendarValidation = { ok: true; calendar: BusinessCalendar } | CalendarRefusal;

/** The longest duration the arithmetic accepts: ten years, far beyond any service promise. */
export const MAX_BUSINESS_DURATION_MS = 10 * 366 * 24 * 3_600_000;
/** Working intervals a day may have. */
export const MAX_INTERVALS_PER_DAY = 12;
/** Dates a calendar may list as holidays, and as make-up working days. */
export const MAX_CALENDAR_DATES = 1000;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEKDAYS: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
const DEFAULT_MAKE_UP_PATTERN: Weekday = 1;
/** More days in a row without working time than a valid calendar can have (its dates are bounded). */
const MAX_IDLE_DAYS = 8 * (MAX_CALENDAR_DATES + 1);
/** Entries kept per cache before it is emptied (memory stays bounded on long-running servers). */
const CACHE_LIMIT = 20_000;

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * The instant at which `durationMs` of working time has passed, counting from `start` (or from the
 * next working instant when `start` is outside working time). Lands exactly on the end of an
 * interval when the time runs out there. Fractions of a millisecond are dropped.
 */
export function addBusinessTime(start: Date, durationMs: number, calendar: BusinessCalendar | null): Date {
  const from = instantOf(start, 'start');
  const duration = durationOf(durationMs);
  if (calendar === null) return new Date(from + duration);
  const compiled = compile(calendar);
  let remaining = duration;
  let idleDays = 0;
  for (let day = firstDayToScan(from); ; day++) {
    const plan = dayPlan(compiled, day);
    const bounds = plan.bounds;
    if (plan.total === 0) {
      if (++idleDays > MAX_IDLE_DAYS) throw new RangeError('the calendar has no working time ahead');
      continue;
    }
    idleDays = 0;
    // The whole day lies ahead and is not enough: take all of it at once.
    if (from <= bounds[0]! && remaining > plan.total) {
      remaining -= plan.total;
      continue;
    }
    for (let i = 0; i < bounds.length; i += 2) {
      const end = bounds[i + 1]!;
      if (end <= from) continue;
      const begin = Math.max(bounds[i]!, from);
      const available = end - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
    }
  }
}

/** Milliseconds of working time in [from, to); 0 when `to` is not after `from`. */
export function businessTimeBetween(from: Date, to: Date, calendar: BusinessCalendar | null): number {
  const start = instantOf(from, 'from');
  const end = instantOf(to, 'to');
  if (end <= start) return 0;
  if (calendar === null) return end - start;
  const compiled = compile(calendar);
  let total = 0;
  const lastDay = lastDayToScan(end);
  for (let day = firstDayToScan(start); day <= lastDay; day++) {
    const plan = dayPlan(compiled, day);
    if (plan.total === 0) continue;
    const bounds = plan.bounds;
    if (start <= bounds[0]! && bounds[bounds.length - 1]! <= end) {
      total += plan.total;
      continue;
    }
    for (let i = 0; i < bounds.length; i += 2) {
      const overlap = Math.min(bounds[i + 1]!, end) - Math.max(bounds[i]!, start);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** Whether `at` falls inside a working interval (always, on the clock). */
export function isWorkingTime(at: Date, calendar: BusinessCalendar | null): boolean {
  const instant = instantOf(at, 'at');
  if (calendar === null) return true;
  const compiled = compile(calendar);
  const lastDay = lastDayToScan(instant);
  for (let day = firstDayToScan(instant); day <= lastDay; day++) {
    const bounds = dayPlan(compiled, day).bounds;
    for (let i = 0; i < bounds.length; i += 2) {
      if (bounds[i]! <= instant && instant < bounds[i + 1]!) return true;
    }
  }
  return false;
}

/** `at` itself when it is working time, otherwise the start of the next working interval. */
export function nextWorkingInstant(at: Date, calendar: BusinessCalendar | null): Date {
  return addBusinessTime(at, 0, calendar);
}

/**
 * Checks a calendar as it comes from outside (a request body, a stored JSON) and returns a clean
 * copy: intervals sorted by start, dates sorted. Refuses unknown fields, malformed or impossible
 * times and dates ('25:00', '2026-02-30'), time zones Intl does not know, overlapping intervals
 * (touching ones are fine), a date that is both a holiday and a make-up day, and a calendar that
 * never works.
 */
export function validateCalendar(calendar: unknown): CalendarValidation {
  if (!isPlainObject(calendar)) return refuse('calendar', 'not_an_object');
  const known = ['timeZone', 'weekly', 'holidays', 'workdays', 'makeUpPattern'];
  for (const key of Object.keys(calendar)) if (!known.includes(key)) return refuse(key, 'unknown_field');

  const { timeZone } = calendar;
  if (timeZone === undefined) return refuse('timeZone', 'required');
  if (!isTimeZone(timeZone)) return refuse('timeZone', 'invalid_time_zone');

  const weekly = validateWeekly(calendar.weekly);
  if (!weekly.ok) return weekly;
  const holidays = validateDates(calendar.holidays, 'holidays');
  if (!holidays.ok) return holidays;
  const workdays = validateDates(calendar.workdays, 'workdays');
  if (!workdays.ok) return workdays;
  const holidaySet = new Set(holidays.dates);
  for (const [index, date] of (calendar.workdays as string[]).entries()) {
    if (holidaySet.has(date)) return refuse(`workdays[${index}]`, 'holiday_and_workday');
  }

  const { makeUpPattern } = calendar;
  if (makeUpPattern !== undefined && !isWeekday(makeUpPattern)) {
    return refuse('makeUpPattern', 'invalid_weekday');
  }
  if (WEEKDAYS.every((day) => weekly.weekly[day].length === 0)) return refuse('weekly', 'no_working_time');
  const makeUpDay = makeUpPattern ?? DEFAULT_MAKE_UP_PATTERN;
  if (workdays.dates.length > 0 && weekly.weekly[makeUpDay].length === 0) {
    return refuse('makeUpPattern', 'no_working_time');
  }

  const clean: BusinessCalendar = {
    timeZone,
    weekly: weekly.weekly,
    holidays: holidays.dates,
    workdays: workdays.dates,
  };
  if (makeUpPattern !== undefined) clean.makeUpPattern = makeUpPattern;
  return { ok: true, calendar: clean };
}

/**
 * The default calendar of a company: Asia/Shanghai, Monday to Friday 08:30–12:00 and 13:30–18:00,
 * with the mainland China public holidays and 调休 make-up days of 2026 and 2027 (holidays-cn.ts;
 * 2027 is provisional there until the State Council's notice is applied). Frozen.
 */
export const STANDARD_CALENDAR: BusinessCalendar = deepFreeze({
  timeZone: 'Asia/Shanghai',
  weekly: {
    0: [],
    1: officeHours(),
    2: officeHours(),
    3: officeHours(),
    4: officeHours(),
    5: officeHours(),
    6: [],
  },
  holidays: CN_HOLIDAY_ARRANGEMENTS.flatMap((year) => year.holidays).sort(),
  workdays: CN_HOLIDAY_ARRANGEMENTS.flatMap((year) => year.workdays).sort(),
});

function officeHours(): WorkingInterval[] {
  return [
    { start: '08:30', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ];
}

// ---------------------------------------------------------------------------------------------
// Inputs

function instantOf(value: Date, name: string): number {
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new TypeError(`${name} must be a valid Date`);
  return time;
}

function durationOf(durationMs: number): number {
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError('durationMs must be a finite number of milliseconds, 0 or more');
  }
  if (durationMs > MAX_BUSINESS_DURATION_MS) throw new RangeError('durationMs is longer than ten years');
  return Math.floor(durationMs);
}

// ---------------------------------------------------------------------------------------------
// Local days and their working intervals

/**
 * Local days are counted like epoch days: day N is the local date whose midnight, read as if it
 * were UTC, is N × 24 h after 1970-01-01T00:00Z. The local date of an instant t is within one day
 * of floor(t / 24 h) (offsets are within −12 h…+14 h); scanning starts one day earlier still, so
 * an interval of the previous local date that ends after t (an autumn repeat around midnight) is
 * never missed. Plans are cached, so the extra days cost a map lookup.
 */
function firstDayToScan(instant: number): number {
  return Math.floor(instant / DAY_MS) - 2;
}

/** No working interval of a later local day can start before `instant`. */
function lastDayToScan(instant: number): number {
  return Math.floor(instant / DAY_MS) + 1;
}

function weekdayOfDay(day: number): Weekday {
  return ((((day + 4) % 7) + 7) % 7) as Weekday; // 1970-01-01 was a Thursday
}

function dayOfDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** A local day's working intervals as instants: [start0, end0, start1, end1, …], none empty. */
interface DayPlan {
  bounds: readonly number[];
  /** Working milliseconds in the day. */
  total: number;
}

const NO_WORK: DayPlan = Object.freeze({ bounds: Object.freeze([]), total: 0 });

interface CompiledCalendar {
  timeZone: string;
  /** Per weekday: [startMinute0, endMinute0, …] (end may be 1440). */
  weekly: readonly (readonly number[])[];
  makeUpPattern: Weekday;
  holidays: ReadonlySet<number>;
  workdays: ReadonlySet<number>;
  plans: Map<number, DayPlan>;
}

const compiledCalendars = new WeakMap<object, CompiledCalendar>();

function compile(calendar: BusinessCalendar): CompiledCalendar {
  const cached = compiledCalendars.get(calendar);
  if (cached) return cached;
  const result = validateCalendar(calendar);
  if (!result.ok) throw new RangeError(`invalid business calendar: ${result.field}: ${result.problem}`);
  const valid = result.calendar;
  const compiled: CompiledCalendar = {
    timeZone: valid.timeZone,
    weekly: WEEKDAYS.map((day) =>
      valid.weekly[day].flatMap((interval) => [minuteOfDay(interval.start), minuteOfDay(interval.end)]),
    ),
    makeUpPattern: valid.makeUpPattern ?? DEFAULT_MAKE_UP_PATTERN,
    holidays: new Set(valid.holidays.map(dayOfDate)),
    workdays: new Set(valid.workdays.map(dayOfDate)),
    plans: new Map(),
  };
  compiledCalendars.set(calendar, compiled);
  return compiled;
}

function dayPlan(calendar: CompiledCalendar, day: number): DayPlan {
  const cached = calendar.plans.get(day);
  if (cached) return cached;
  const plan = buildDayPlan(calendar, day);
  if (calendar.plans.size >= CACHE_LIMIT) calendar.plans.clear();
  calendar.plans.set(day, plan);
  return plan;
}

function buildDayPlan(calendar: CompiledCalendar, day: number): DayPlan {
  const pattern = calendar.workdays.has(day)
    ? calendar.weekly[calendar.makeUpPattern]!
    : calendar.holidays.has(day)
      ? []
      : calendar.weekly[weekdayOfDay(day)]!;
  if (pattern.length === 0) return NO_WORK;
  const bounds: number[] = [];
  const offset = uniformOffset(calendar.timeZone, day);
  for (let i = 0; i < pattern.length; i += 2) {
    const startMinute = pattern[i]!;
    const endMinute = pattern[i + 1]!;
    let start: number;
    let end: number;
    if (offset !== null) {
      const midnight = day * DAY_MS - offset;
      start = midnight + startMinute * MINUTE_MS;
      end = midnight + endMinute * MINUTE_MS;
    } else {
      start = firstInstantAtWallTime(day, startMinute, calendar.timeZone);
      end = firstInstantAtWallTime(day, endMinute, calendar.timeZone);
    }
    // an interval wholly inside a spring gap never happens
    if (end > start) bounds.push(start, end);
  }
  if (bounds.length === 0) return NO_WORK;
  let total = 0;
  for (let i = 0; i < bounds.length; i += 2) total += bounds[i + 1]! - bounds[i]!;
  return { bounds, total };
}

// ---------------------------------------------------------------------------------------------
// Time zones, with Intl

const wallClockFormatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = wallClockFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClockFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at an instant, in ms (local = UTC + offset); +8 h in Shanghai. */
function offsetAt(instant: number, timeZone: string): number {
  let year = 0;
  let month = 0;
  let date = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of wallClockFormatter(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        date = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        second = Number(part.value);
        break;
    }
  }
  return Date.UTC(year, month - 1, date, hour, minute, second) - Math.floor(instant / 1000) * 1000;
}

/** Offsets at 09:00 UTC of each epoch day, per zone: the samples uniformOffset compares. */
const sampledOffsets = new Map<string, Map<number, number>>();

function sampledOffset(timeZone: string, day: number): number {
  let samples = sampledOffsets.get(timeZone);
  if (!samples) {
    samples = new Map();
    sampledOffsets.set(timeZone, samples);
  }
  let offset = samples.get(day);
  if (offset === undefined) {
    offset = offsetAt(day * DAY_MS + 9 * HOUR_MS, timeZone);
    if (samples.size >= CACHE_LIMIT) samples.clear();
    samples.set(day, offset);
  }
  return offset;
}

/**
 * The one offset the zone has for the whole local day `day` (00:00 to 24:00 inclusive), or null
 * on a day with an offset change. Every instant of that day lies within [day − 14 h, day + 36 h]
 * (offsets are −12 h…+14 h), inside the 72 h between the two samples: equal samples mean no change
 * in between, as no zone changes twice within 72 h.
 */
function uniformOffset(timeZone: string, day: number): number | null {
  const before = sampledOffset(timeZone, day - 1);
  const after = sampledOffset(timeZone, day + 2);
  return before === after ? before : null;
}

/**
 * The first instant at which the local wall clock of `day` reads `minute` (0…1440) or later:
 * the only such instant on most days; the first of two in an autumn repeat; the moment the clocks
 * jump forward when the time falls in a spring gap. Used only on days with an offset change.
 */
function firstInstantAtWallTime(day: number, minute: number, timeZone: string): number {
  const wall = day * DAY_MS + minute * MINUTE_MS; // the local time read as if it were UTC
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const withBefore = wall - before;
  if (before === after) return withBefore;
  const withAfter = wall - after;
  const validBefore = offsetAt(withBefore, timeZone) === before;
  const validAfter = offsetAt(withAfter, timeZone) === after;
  if (validBefore && validAfter) return Math.min(withBefore, withAfter);
  if (validBefore) return withBefore;
  if (validAfter) return withAfter;
  // In the gap: find the switch, to the second (offsets change on whole seconds). The instant
  // read with the later offset lies before it, the one read with the earlier offset after it.
  let low = withAfter; // still the earlier offset
  let high = withBefore; // already the later offset
  while (high - low > 1000) {
    const middle = low + Math.max(1000, Math.floor((high - low) / 2000) * 1000);
    if (offsetAt(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return high;
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

function refuse(field: string, problem: CalendarProblem): CalendarRefusal {
  return { ok: false, field, problem };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWeekday(value: unknown): value is Weekday {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 6;
}

/** Zones Intl has accepted: building a formatter to ask costs far more than the rest of validation. */
const knownTimeZones = new Set<string>();

function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  if (knownTimeZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    return false;
  }
  if (knownTimeZones.size >= CACHE_LIMIT) knownTimeZones.clear();
  knownTimeZones.add(value);
  return true;
}

const START_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

function minuteOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function validateWeekly(
  value: unknown,
): { ok: true; weekly: Record<Weekday, WorkingInterval[]> } | CalendarRefusal {
  if (value === undefined) return refuse('weekly', 'required');
  if (!isPlainObject(value)) return refuse('weekly', 'not_an_object');
  for (const key of Object.keys(value)) {
    if (!/^[0-6]$/.test(key)) return refuse(`weekly.${key}`, 'invalid_weekday');
  }
  const weekly = {} as Record<Weekday, WorkingInterval[]>;
  for (const day of WEEKDAYS) {
    const field = `weekly.${day}`;
    const list = value[day];
    if (list === undefined) return refuse(field, 'required');
    if (!Array.isArray(list)) return refuse(field, 'not_a_list');
    if (list.length > MAX_INTERVALS_PER_DAY) return refuse(field, 'too_many');
    const intervals: { interval: WorkingInterval; index: number }[] = [];
    for (const [index, item] of list.entries()) {
      const itemField = `${field}[${index}]`;
      if (!isPlainObject(item)) return refuse(itemField, 'not_an_object');
      for (const key of Object.keys(item)) {
        if (key !== 'start' && key !== 'end') return refuse(`${itemField}.${key}`, 'unknown_field');
      }
      const { start, end } = item;
      if (start === undefined) return refuse(`${itemField}.start`, 'required');
      if (typeof start !== 'string' || !START_TIME.test(start))
        return refuse(`${itemField}.start`, 'invalid_time');
      if (end === undefined) return refuse(`${itemField}.end`, 'required');
      if (typeof end !== 'string' || !(START_TIME.test(end) || end === '24:00')) {
        return refuse(`${itemField}.end`, 'invalid_time');
      }
      if (minuteOfDay(start) >= minuteOfDay(end)) return refuse(itemField, 'start_not_before_end');
      intervals.push({ interval: { start, end }, index });
    }
    intervals.sort((a, b) => minuteOfDay(a.interval.start) - minuteOfDay(b.interval.start));
    for (let i = 1; i < intervals.length; i++) {
      const previous = intervals[i - 1]!;
      const current = intervals[i]!;
      if (minuteOfDay(current.interval.start) < minuteOfDay(previous.interval.end)) {
        return refuse(`${field}[${Math.max(previous.index, current.index)}]`, 'overlapping_intervals');
      }
    }
    weekly[day] = intervals.map((entry) => entry.interval);
  }
  return { ok: true, weekly };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written 'YYYY-MM-DD' (so not '2026-02-30'), years 1900–2999. */
function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const date = Number(value.slice(8, 10));
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || date < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return date <= daysInMonth;
}

function validateDates(
  value: unknown,
  field: 'holidays' | 'workdays',
): { ok: true; dates: string[] } | CalendarRefusal {
  if (value === undefined) return refuse(field, 'required');
  if (!Array.isArray(value)) return refuse(field, 'not_a_list');
  if (value.length > MAX_CALENDAR_DATES) return refuse(field, 'too_many');
  const seen = new Set<string>();
  for (const [index, date] of value.entries()) {
    if (!isLocalDate(date)) return refuse(`${field}[${index}]`, 'invalid_date');
    if (seen.has(date)) return refuse(`${field}[${index}]`, 'duplicate_date');
    seen.add(date);
  }
  return { ok: true, dates: [...seen].sort() };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
