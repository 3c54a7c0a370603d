/**
 * `npx tsx bench/business-time.ts`: the cost of the deadline arithmetic (src/domain/business-time.ts),
 * as operations per second for 10,000 addBusinessTime calls of 1 working hour, 3 working days and
 * 30 working days (8 h a day on the standard calendar), from seeded start instants spread over
 * 2026–2027. Standalone: no database, no server.
 *
 * Scenarios per duration:
 * - standard: STANDARD_CALENDAR (Asia/Shanghai, holidays), the same object every call (the usual
 *   case: compiled once, day plans cached);
 * - standard, new object: a fresh copy of the calendar each call, as when it is parsed from a
 *   stored JSON every time (validated and compiled every call; zone offsets still cached);
 * - New York: a DST zone, office hours Monday to Friday;
 * - 24×7: the null calendar, for scale.
 * Each scenario runs once untimed to warm up, then BENCH_ROUNDS (default 5) timed rounds; the best
 * round is reported, as the others mostly measure the machine's other work. BENCH_CALLS (default
 * 10,000) sets the calls per round (the smoke test runs a few hundred).
 */
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  STANDARD_CALENDAR,
} from '../src/domain/business-time.js';

const CALLS = Math.max(100, Number(process.env.BENCH_CALLS ?? 10_000) || 10_000);
const HOUR = 3_600_000;
const WORKING_DAY = 8 * HOUR;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5) || 5);

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const next = seeded(1);
const first = Date.parse('2026-01-01T00:00:00Z');
const span = Date.parse('2027-11-01T00:00:00Z') - first;
const starts = Array.from({ length: CALLS }, () => new Date(first + Math.floor(next() * span)));

const office = [
  { start: '08:30', end: '12:00' },
  { start: '13:30', end: '18:00' },
];
const newYork: BusinessCalendar = {
  timeZone: 'America/New_York',
  weekly: { 0: [], 1: office, 2: office, 3: office, 4: office, 5: office, 6: [] },
  holidays: [],
  workdays: [],
};
const storedStandard = JSON.stringify(STANDARD_CALENDAR);

const scenarios: { name: string; calendar: () => BusinessCalendar | null }[] = [
  { name: 'standard', calendar: () => STANDARD_CALENDAR },
  { name: 'standard, new object', calendar: () => JSON.parse(storedStandard) as BusinessCalendar },
  { name: 'New York (DST)', calendar: () => newYork },
  { name: '24×7 (null)', calendar: () => null },
];
const durations = [
  { name: '1 h', ms: HOUR },
  { name: '3 days', ms: 3 * WORKING_DAY },
  { name: '30 days', ms: 30 * WORKING_DAY },
];

/** Runs the calls once and returns the elapsed ms; checks each result so nothing is optimised away. */
function round(calendarOf: () => BusinessCalendar | null, durationMs: number): number {
  const began = performance.now();
  let check = 0;
  for (const start of starts) {
    const calendar = calendarOf();
    const due = addBusinessTime(start, durationMs, calendar);
    check += due.getTime() - start.getTime();
  }
  const elapsed = performance.now() - began;
  if (!(check >= durationMs * CALLS)) throw new Error('a deadline came before its start');
  return elapsed;
}

console.log(`addBusinessTime, ${CALLS} calls per round, best of ${ROUNDS} rounds, Node ${process.version}\n`);
console.log('| calendar | duration | ops/s | µs/op |');
console.log('|---|---|---:|---:|');
for (const scenario of scenarios) {
  for (const duration of durations) {
    round(scenario.calendar, duration.ms); // warm-up: JIT and caches
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < ROUNDS; i++) best = Math.min(best, round(scenario.calendar, duration.ms));
    const opsPerSecond = (CALLS / best) * 1000;
    console.log(
      `| ${scenario.name} | ${duration.name} | ${Math.round(opsPerSecond).toLocaleString('en-US')} | ` +
        `${((best * 1000) / CALLS).toFixed(2)} |`,
    );
  }
}

// A sanity check that the bench measured real work: the inverse holds on a sample.
for (const start of starts.slice(0, 100)) {
  const due = addBusinessTime(start, 30 * WORKING_DAY, STANDARD_CALENDAR);
  if (businessTimeBetween(start, due, STANDARD_CALENDAR) !== 30 * WORKING_DAY) {
    throw new Error(`inverse failed from ${start.toISOString()}`);
  }
}
