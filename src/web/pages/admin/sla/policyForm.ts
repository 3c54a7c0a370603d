/**
 * The SLA policy table's rules, pure: minutes as a person says them ("30 分钟", "2 小时", "3 天",
 * "不计时"), a duration typed as an amount and a unit, and the order and filter of the table
 * (company first, then each community; within a scope by target, type, priority).
 */
import type { Translate } from '../../../app/i18n';

/** The longest time a policy may promise (the server's limit: 366 days). */
export const MAX_POLICY_MINUTES = 60 * 24 * 366;

export const DURATION_UNITS = ['minute', 'hour', 'day'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
const UNIT_MINUTES: Record<DurationUnit, number> = { minute: 1, hour: 60, day: 24 * 60 };

/** A duration in the largest unit that says it exactly: 120 → 2 hours, 90 → 90 minutes. */
export function splitMinutes(minutes: number): { amount: number; unit: DurationUnit } {
  if (minutes > 0 && minutes % UNIT_MINUTES.day === 0)
    return { amount: minutes / UNIT_MINUTES.day, unit: 'day' };
  if (minutes > 0 && minutes % UNIT_MINUTES.hour === 0)
    return { amount: minutes / UNIT_MINUTES.hour, unit: 'hour' };
  return { amount: minutes, unit: 'minute' };
}

/** Whole minutes of an amount in a unit; null when it is not a duration a policy may have. */
export function toMinutes(amount: number | null | undefined, unit: DurationUnit): number | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount)) return null;
  const minutes = Math.round(amount * UNIT_MINUTES[unit]);
  return minutes >= 1 && minutes <= MAX_POLICY_MINUTES ? minutes : null;
}

/**
 * What a policy promises, as the desk says it: "30 分钟", "2 小时", "1 天 2 小时", "不计时" (null).
 * Business-hours time is never said in days: 24 working hours are three working days, not one.
 */
export function formatPolicyMinutes(minutes: number | null, t: Translate, businessHours = false): string {
  if (minutes === null) return t('slaSettings.minutes.none');
  const days = businessHours ? 0 : Math.floor(minutes / UNIT_MINUTES.day);
  const hours = Math.floor((minutes - days * UNIT_MINUTES.day) / UNIT_MINUTES.hour);
  const rest = minutes - days * UNIT_MINUTES.day - hours * UNIT_MINUTES.hour;
  const parts: string[] = [];
  if (days) parts.push(t('slaSettings.minutes.day', { n: days }));
  if (hours) parts.push(t('slaSettings.minutes.hour', { n: hours }));
  if (rest || parts.length === 0) parts.push(t('slaSettings.minutes.minute', { n: rest }));
  return parts.join(' ');
}

/** The fields of a policy the table sorts and filters by. */
export interface PolicyRowLike {
  id: string;
  communityId: string | null;
  ticketType: string | null;
  priority: string | null;
  categoryId: string | null;
  target: string;
}

/** 'all', 'company' (the company's own policies) or a community's id (its overrides). */
export type PolicyScopeFilter = 'all' | 'company' | (string & {});

export interface PolicyFilter {
  scope: PolicyScopeFilter;
  ticketType?: string;
  priority?: string;
  target?: string;
}

/**
 * Whether a row shows under the filters. A type or priority filter keeps the rows that apply to
 * it: those for that type and those for any type (null), as a request of that type would use them.
 */
export function matchesPolicyFilter(policy: PolicyRowLike, filter: PolicyFilter): boolean {
  if (filter.scope === 'company' && policy.communityId !== null) return false;
  if (filter.scope !== 'all' && filter.scope !== 'company' && policy.communityId !== filter.scope)
    return false;
  if (filter.ticketType && policy.ticketType !== null && policy.ticketType !== filter.ticketType)
    return false;
  if (filter.priority && policy.priority !== null && policy.priority !== filter.priority) return false;
  if (filter.target && policy.target !== filter.target) return false;
  return true;
}

/** Position in a code list; codes not in it (and null: "any") go first, in that order. */
function rank(order: readonly string[], value: string | null): number {
  if (value === null) return -1;
  const index = order.indexOf(value);
  return index === -1 ? order.length : index;
}

/**
 * The table's order: the company's policies, then each community's (by name); within a scope by
 * target in the product's order, then ticket type, priority ("any" first) and category.
 */
export function sortPolicies<P extends PolicyRowLike>(
  policies: readonly P[],
  orders: {
    targets: readonly string[];
    types: readonly string[];
    priorities: readonly string[];
    communityName: (id: string) => string;
  },
): P[] {
  const scopeKey = (p: P) => (p.communityId === null ? '' : orders.communityName(p.communityId));
  return [...policies].sort(
    (a, b) =>
      Number(a.communityId !== null) - Number(b.communityId !== null) ||
      scopeKey(a).localeCompare(scopeKey(b), 'zh-CN') ||
      rank(orders.targets, a.target) - rank(orders.targets, b.target) ||
      rank(orders.types, a.ticketType) - rank(orders.types, b.ticketType) ||
      rank(orders.priorities, a.priority) - rank(orders.priorities, b.priority) ||
      Number(a.categoryId !== null) - Number(b.categoryId !== null) ||
      a.id.localeCompare(b.id),
  );
}
