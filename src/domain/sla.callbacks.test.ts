import { describe, expect, it } from 'vitest';
import { attemptEffect, nextAttemptAt, readBackSentence } from './callbacks.js';
import {
  callbackPolicy,
  clockEffect,
  SLA_TARGETS,
  type SlaPolicy,
  type SlaTicket,
  targetApplies,
} from './sla.js';

const ticket: SlaTicket = {
  communityId: 'c1',
  type: 'complaint',
  priority: 'normal',
  channel: 'hotline',
  categoryId: null,
  parentCategoryId: null,
  emergencyKind: null,
  parentId: null,
};
const policy = (over: Partial<SlaPolicy>): SlaPolicy => ({
  id: 'p1',
  communityId: null,
  ticketType: null,
  priority: null,
  categoryId: null,
  target: 'callback',
  minutes: 30,
  businessHours: true,
  warnPercent: 80,
  ...over,
});

describe('R30: the callbacks’ time promises in the SLA domain', () => {
  it('a callback target never applies to a request, whatever its policies say', () => {
    expect(targetApplies('callback', ticket)).toBe(false);
    expect(targetApplies('message_callback', ticket)).toBe(false);
    // and no step of a request starts one
    for (const step of ['created', 'dispatch', 'reassign', 'complete', 'reopen']) {
      const effect = clockEffect(step, {}, ticket);
      expect([...effect.start, ...effect.restart]).not.toContain('callback');
      expect([...effect.start, ...effect.restart]).not.toContain('message_callback');
    }
    expect(SLA_TARGETS).toContain('callback');
  });

  it('a community’s override beats the company’s; a ticket-narrowed policy never applies; null turns it off', () => {
    const company = policy({ id: 'a' });
    const own = policy({ id: 'b', communityId: 'c1', minutes: 15 });
    const narrowed = policy({ id: 'z', communityId: 'c1', ticketType: 'repair', minutes: 1 });
    expect(callbackPolicy([company, own, narrowed], 'c1', 'callback')?.id).toBe('b');
    expect(callbackPolicy([company, own, narrowed], 'c2', 'callback')?.id).toBe('a');
    expect(callbackPolicy([company, own], null, 'callback')?.id).toBe('a');
    expect(callbackPolicy([company], 'c1', 'message_callback')).toBeNull();
    expect(
      callbackPolicy([company, policy({ id: 'c', communityId: 'c1', minutes: null })], 'c1', 'callback'),
    ).toBeNull();
  });
});

describe('R30: attempts and the retry schedule', () => {
  const now = new Date('2026-11-30T03:00:00.000Z');
  it('unanswered attempts are retried after 10 min, 30 min, then every 2 h', () => {
    expect([1, 2, 3, 4].map((n) => (nextAttemptAt(n, now).getTime() - now.getTime()) / 60_000)).toEqual([
      10, 30, 120, 120,
    ]);
  });
  it('reached is done; a wrong number must be corrected or closed with a reason', () => {
    expect(attemptEffect('reached', {}, 0, now)).toEqual({ status: 'done' });
    expect(attemptEffect('busy', {}, 1, now)).toEqual({ status: 'open', retryAt: nextAttemptAt(2, now) });
    expect(attemptEffect('wrong_number', {}, 0, now)).toEqual({ problem: 'correctedPhone' });
    expect(attemptEffect('wrong_number', { closeReason: '空号' }, 0, now)).toEqual({
      status: 'closed',
      reason: '空号',
    });
    expect(attemptEffect('wrong_number', { correctedPhone: '13800138001' }, 0, now)).toEqual({
      status: 'open',
      correctedPhone: '13800138001',
    });
  });
  it('[002] the message is read back as one sentence', () => {
    expect(
      readBackSentence(
        {
          caller: '王先生',
          forWhom: '维修组李师傅',
          phone: '13800138000',
          room: '3-2-1502',
          content: '卫生间漏水。',
          due: '14:30',
        },
        {
          sentence:
            '{caller}，我跟您确认一下：您找{forWhom}，电话{phone}{room}，内容是：{content}，{due}，对吗？',
          room: '，房号{room}',
          due: '我们会在{due}前回电',
          noDue: '我们会尽快回电',
        },
      ),
    ).toBe(
      '王先生，我跟您确认一下：您找维修组李师傅，电话13800138000，房号3-2-1502，内容是：卫生间漏水，我们会在14:30前回电，对吗？',
    );
  });
});
