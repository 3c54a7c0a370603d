import { describe, expect, it } from 'vitest';
import { TICKET_PRIORITIES, TICKET_TYPES } from '../../../api/types';
import type { Translate } from '../../../app/i18n';
import { interpolate, lookup, messages } from '../../../locales';
import {
  formatPolicyMinutes,
  MAX_POLICY_MINUTES,
  matchesPolicyFilter,
  type PolicyRowLike,
  sortPolicies,
  splitMinutes,
  toMinutes,
} from './policyForm';
import { SLA_TARGETS } from './queries';

const translator =
  (locale: keyof typeof messages): Translate =>
  (key, params) =>
    interpolate(lookup(messages[locale], key) ?? key, params);
const t = translator('zh-CN');

describe('policy times as the desk says them (R19–R24 defaults)', () => {
  it('says minutes, hours and days, and 不计时 for a target turned off', () => {
    expect(formatPolicyMinutes(5, t)).toBe('5 分钟');
    expect(formatPolicyMinutes(30, t)).toBe('30 分钟');
    expect(formatPolicyMinutes(120, t)).toBe('2 小时');
    expect(formatPolicyMinutes(150, t)).toBe('2 小时 30 分钟');
    expect(formatPolicyMinutes(3 * 24 * 60, t)).toBe('3 天');
    expect(formatPolicyMinutes(24 * 60 + 120, t)).toBe('1 天 2 小时');
    expect(formatPolicyMinutes(null, t)).toBe('不计时');
    expect(formatPolicyMinutes(0, t)).toBe('0 分钟');
  });

  it('never says business-hours time in days (24 working hours are three working days)', () => {
    expect(formatPolicyMinutes(8 * 60, t, true)).toBe('8 小时');
    expect(formatPolicyMinutes(24 * 60, t, true)).toBe('24 小时');
  });

  it('speaks the other locales', () => {
    expect(formatPolicyMinutes(150, translator('zh-TW'))).toBe('2 小時 30 分鐘');
    expect(formatPolicyMinutes(3 * 24 * 60, translator('en'))).toBe('3 d');
    expect(formatPolicyMinutes(null, translator('en'))).toBe('No clock');
  });
});

describe('a duration as an amount and a unit', () => {
  it('splits minutes into the largest unit that says them exactly', () => {
    expect(splitMinutes(10)).toEqual({ amount: 10, unit: 'minute' });
    expect(splitMinutes(90)).toEqual({ amount: 90, unit: 'minute' });
    expect(splitMinutes(120)).toEqual({ amount: 2, unit: 'hour' });
    expect(splitMinutes(4320)).toEqual({ amount: 3, unit: 'day' });
  });

  it('turns an amount back into minutes within the server’s limits (1 minute to 366 days)', () => {
    expect(toMinutes(2, 'hour')).toBe(120);
    expect(toMinutes(3, 'day')).toBe(4320);
    expect(toMinutes(1.5, 'hour')).toBe(90);
    expect(toMinutes(366, 'day')).toBe(MAX_POLICY_MINUTES);
    expect(toMinutes(367, 'day')).toBeNull();
    expect(toMinutes(0, 'minute')).toBeNull();
    expect(toMinutes(undefined, 'minute')).toBeNull();
    expect(toMinutes(null, 'hour')).toBeNull();
    expect(toMinutes(Number.NaN, 'hour')).toBeNull();
  });
});

const row = (patch: Partial<PolicyRowLike> & { id: string }): PolicyRowLike => ({
  communityId: null,
  ticketType: null,
  priority: null,
  categoryId: null,
  target: 'accept',
  ...patch,
});

describe('the policy table: filter and order', () => {
  const policies = [
    row({ id: 'p1', target: 'arrival', ticketType: 'repair', priority: 'low' }),
    row({ id: 'p2', target: 'arrival', ticketType: 'repair', priority: 'urgent' }),
    row({ id: 'p3', target: 'accept' }),
    row({ id: 'p4', target: 'arrival', ticketType: 'repair', communityId: 'cB' }),
    row({ id: 'p5', target: 'first_contact', ticketType: 'complaint', communityId: 'cA' }),
    row({ id: 'p6', target: 'arrival', ticketType: 'emergency' }),
  ];

  it('shows the company first, then each community by name; by target, type and priority within', () => {
    const names: Record<string, string> = { cA: '阳光花园', cB: '翠湖苑' };
    const sorted = sortPolicies(policies, {
      targets: SLA_TARGETS,
      types: TICKET_TYPES,
      priorities: TICKET_PRIORITIES,
      communityName: (id) => names[id] ?? id,
    });
    // 翠湖苑 (cuì) sorts before 阳光花园 (yáng) in Chinese order
    expect(sorted.map((p) => p.id)).toEqual(['p3', 'p2', 'p1', 'p6', 'p4', 'p5']);
  });

  it('filters by scope, and keeps the "any" rows under a type or priority filter', () => {
    const ids = (filter: Parameters<typeof matchesPolicyFilter>[1]) =>
      policies.filter((p) => matchesPolicyFilter(p, filter)).map((p) => p.id);
    expect(ids({ scope: 'all' })).toHaveLength(6);
    expect(ids({ scope: 'company' })).toEqual(['p1', 'p2', 'p3', 'p6']);
    expect(ids({ scope: 'cA' })).toEqual(['p5']);
    expect(ids({ scope: 'all', ticketType: 'repair' })).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(ids({ scope: 'all', priority: 'urgent' })).toEqual(['p2', 'p3', 'p4', 'p5', 'p6']);
    expect(ids({ scope: 'company', target: 'arrival', ticketType: 'repair' })).toEqual(['p1', 'p2']);
  });
});
