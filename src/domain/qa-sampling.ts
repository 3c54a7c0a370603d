/**
 * Quality spot checks (抽查, §6 R39), pure: which requests and calls of a week are checked.
 * Per agent, N of what they handled at random (new staff 2×), and every one that mentions
 * 投诉 / 赔偿 / 起诉 (Traditional 投訴 / 賠償 / 起訴 too), always. Deterministic for a given seed.
 */

export type QaSubjectType = 'ticket' | 'call';
export type QaReason = 'random' | 'new_staff' | 'keyword';

/** The words that make a request or call always checked (R39), both scripts. */
export const QA_KEYWORDS = ['投诉', '赔偿', '起诉', '投訴', '賠償', '起訴'] as const;

/** Default random picks per agent per week. */
export const QA_DEFAULT_PER_AGENT = 2;
/** Staff who joined within this many days are new: sampled twice as often. */
export const QA_NEW_STAFF_DAYS = 90;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether a text mentions one of the always-checked words. */
export function mentionsKeyword(text: string): boolean {
  return QA_KEYWORDS.some((k) => text.includes(k));
}

/** One request or call of the week, with all the text it carries (content, replies, notes). */
export interface QaCandidate {
  subjectType: QaSubjectType;
  subjectId: string;
  /** Who handled it; null: nobody known (only sampled if it mentions a keyword). */
  agentUserId: string | null;
  text: string;
}

export interface QaAgent {
  id: string;
  /** When the member of staff was created (ISO). */
  createdAt: string;
}

export interface QaPick {
  subjectType: QaSubjectType;
  subjectId: string;
  agentUserId: string | null;
  reason: QaReason;
}

export interface QaDrawInput {
  candidates: readonly QaCandidate[];
  agents: readonly QaAgent[];
  /** The end of the week: staff created within 90 days before it are new. */
  weekEnd: Date;
  /** What is already sampled: `${subjectType}:${subjectId}` → its agent and reason. */
  existing: readonly QaPick[];
  seed: string;
  perAgent?: number;
  newStaffDays?: number;
}

/** Whether the agent counts as new staff in the week ending at `weekEnd` (R39). */
export function isNewStaff(agent: QaAgent, weekEnd: Date, newStaffDays = QA_NEW_STAFF_DAYS): boolean {
  const created = Date.parse(agent.createdAt);
  return Number.isFinite(created) && weekEnd.getTime() - created <= newStaffDays * DAY_MS;
}

/** A small seeded PRNG (mulberry32 over an FNV-1a hash of the seed). */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keyOf = (p: { subjectType: QaSubjectType; subjectId: string }) => `${p.subjectType}:${p.subjectId}`;

/**
 * The new picks of a draw: every keyword candidate not yet sampled, and per agent random picks
 * among the rest up to their quota (N, or 2N for new staff) less what was already drawn at random
 * for them. Drawing again over the same candidates adds nothing.
 */
export function drawQaSample(input: QaDrawInput): QaPick[] {
  const perAgent = input.perAgent ?? QA_DEFAULT_PER_AGENT;
  const newStaffDays = input.newStaffDays ?? QA_NEW_STAFF_DAYS;
  const taken = new Set(input.existing.map(keyOf));
  const agents = new Map(input.agents.map((a) => [a.id, a]));
  const random = seededRandom(input.seed);
  const picks: QaPick[] = [];

  // candidates in a stable order, whatever order the database returned them in
  const candidates = [...input.candidates].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  const pool = new Map<string, QaCandidate[]>();
  for (const c of candidates) {
    if (taken.has(keyOf(c))) continue;
    if (mentionsKeyword(c.text)) {
      picks.push({
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        agentUserId: c.agentUserId,
        reason: 'keyword',
      });
      taken.add(keyOf(c));
      continue;
    }
    if (!c.agentUserId || !agents.has(c.agentUserId)) continue;
    const list = pool.get(c.agentUserId) ?? [];
    list.push(c);
    pool.set(c.agentUserId, list);
  }

  const already = new Map<string, number>();
  for (const e of input.existing) {
    if (e.reason === 'keyword' || !e.agentUserId) continue;
    already.set(e.agentUserId, (already.get(e.agentUserId) ?? 0) + 1);
  }

  for (const agentId of [...pool.keys()].sort()) {
    const agent = agents.get(agentId)!;
    const fresh = isNewStaff(agent, input.weekEnd, newStaffDays);
    const quota = (fresh ? 2 * perAgent : perAgent) - (already.get(agentId) ?? 0);
    const list = pool.get(agentId)!;
    // a partial Fisher–Yates shuffle: the first `quota` are a uniform random choice
    for (let i = 0; i < Math.min(quota, list.length); i++) {
      const j = i + Math.floor(random() * (list.length - i));
      [list[i], list[j]] = [list[j]!, list[i]!];
      const c = list[i]!;
      picks.push({
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        agentUserId: agentId,
        reason: fresh ? 'new_staff' : 'random',
      });
    }
  }
  return picks;
}

/** The week named by 'YYYY-Www' (ISO 8601) or containing a 'YYYY-MM-DD' date. */
export interface QaWeek {
  /** e.g. "2026-W49" */
  label: string;
  /** Monday, "YYYY-MM-DD" */
  monday: string;
  /** Sunday, "YYYY-MM-DD" */
  sunday: string;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Parses a week; null for anything else (a bad date, week 54, …). */
export function parseWeek(input: string): QaWeek | null {
  const week = /^(\d{4})-W(\d{2})$/.exec(input);
  let monday: number;
  if (week) {
    const year = Number(week[1]);
    const n = Number(week[2]);
    // ISO week 1 holds 4 January
    const jan4 = Date.UTC(year, 0, 4);
    const mondayW1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
    monday = mondayW1 + (n - 1) * DAY_MS * 7;
    if (n < 1 || weekOf(monday).label !== input) return null;
  } else {
    const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
    if (!date) return null;
    const ms = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    if (isoDate(ms) !== input) return null;
    monday = ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY_MS;
  }
  return weekOf(monday);
}

function weekOf(monday: number): QaWeek {
  // the ISO year is the year of the week's Thursday
  const thursday = monday + 3 * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const n = Math.floor((thursday - jan1) / DAY_MS / 7) + 1;
  return {
    label: `${year}-W${String(n).padStart(2, '0')}`,
    monday: isoDate(monday),
    sunday: isoDate(monday + 6 * DAY_MS),
  };
}
