/**
 * How a new request reaches the people who do the work, per category (PRODUCT.md §2):
 * - `assign` (派单): the desk picks a team and a worker by hand;
 * - `grab` (抢单): the job waits in the category's team pool until a worker takes it;
 * - `auto` (自动派单): the job goes at once to the team's next worker on duty, in turn.
 * Pure rules only; the categories service reads and writes the rows.
 */
export const DISPATCH_MODES = ['assign', 'grab', 'auto'] as const;
export type DispatchMode = (typeof DISPATCH_MODES)[number];

export function isDispatchMode(value: unknown): value is DispatchMode {
  return typeof value === 'string' && (DISPATCH_MODES as readonly string[]).includes(value);
}

/** A category's own dispatch settings, as stored. */
export interface DispatchSettings {
  mode: DispatchMode;
  teamId: string | null;
}

/**
 * What happens to a new request of a category:
 * - `assign`: nothing automatic; `reason: 'no_team'` when the category names a team that cannot
 *   take it (gone, archived, or serving another community);
 * - `grab`: into the team's pool; `reason: 'nobody_on_duty'` when the category is `auto` but
 *   nobody of the team is on duty, so the job waits for whoever comes on (`'contention'`: other
 *   servers kept taking the turns first, a rare fall-back that never loses the job);
 * - `auto`: to `assigneeId` of `teamId`.
 */
export type DispatchRoute =
  | { mode: 'assign'; reason?: 'no_team' }
  | { mode: 'grab'; teamId: string; reason?: 'nobody_on_duty' | 'contention' }
  | { mode: 'auto'; teamId: string; assigneeId: string };

/** grab and auto hand the job to a team: without one they cannot work. */
export function needsTeam(mode: DispatchMode): boolean {
  return mode !== 'assign';
}

/**
 * The settings that apply to a category: its own, or its parent's when it has none of its own
 * (mode `assign` and no team), so a second-level category follows its first level by default.
 */
export function effectiveDispatch(
  own: DispatchSettings,
  parent: DispatchSettings | null | undefined,
): DispatchSettings {
  const hasOwn = own.mode !== 'assign' || own.teamId !== null;
  if (hasOwn || !parent) return own;
  return parent;
}

/** A team member who may be given a job automatically, and when they last were. */
export interface DutyCandidate {
  userId: string;
  /** ISO-8601 UTC; null when never assigned automatically. */
  lastAssignedAt: string | null;
}

/**
 * Round-robin among those on duty: whoever waited longest since their last automatic job goes
 * next — never-assigned members first, ties by user id so every server picks the same one.
 */
export function nextInTurn<T extends DutyCandidate>(candidates: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const c of candidates) {
    if (!best || comesBefore(c, best)) best = c;
  }
  return best;
}

function comesBefore(a: DutyCandidate, b: DutyCandidate): boolean {
  if (a.lastAssignedAt !== b.lastAssignedAt) {
    if (a.lastAssignedAt === null) return true;
    if (b.lastAssignedAt === null) return false;
    return a.lastAssignedAt < b.lastAssignedAt;
  }
  return a.userId < b.userId;
}
