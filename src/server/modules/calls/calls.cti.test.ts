import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import {
  foldCall,
  formToObject,
  normalizeCallerNumber,
  parseCtiEvent,
  type ResolvedEvent,
} from './calls.cti.js';
import { localHour, startOfLocalDay } from './calls.stats.js';

const resolved = (over: Partial<ResolvedEvent>): ResolvedEvent => ({
  event: 'newCall',
  callId: 'c',
  direction: 'in',
  from: '13800138000',
  to: '4008001234',
  users: [],
  queue: null,
  cause: null,
  answeringNumber: null,
  at: null,
  occurredAt: '2026-12-01T02:00:00.000Z',
  agentUserId: null,
  extension: null,
  recipients: [],
  ...over,
});

describe('Zammad generic CTI events', () => {
  it('reads form fields as Zammad sends them (user[] repeated, aliases)', () => {
    const body = formToObject(
      new URLSearchParams('event=answer&callId=1&user%5B%5D=A&user%5B%5D=B&answeringNumber=8001').entries(),
    );
    expect(parseCtiEvent(body)).toMatchObject({
      event: 'answer',
      callId: '1',
      direction: 'in',
      users: ['A', 'B'],
      answeringNumber: '8001',
    });
    expect(
      parseCtiEvent({ event: 'ringing', callId: 'x', direction: 'out', timestamp: '1764554400' }),
    ).toMatchObject({ event: 'newCall', direction: 'out', at: new Date(1764554400 * 1000) });
  });

  it('refuses an event without a kind, a call id or a known direction', () => {
    expect(() => parseCtiEvent({})).toThrow(AppError);
    try {
      parseCtiEvent({ event: 'dial', direction: 'up' });
    } catch (error) {
      expect((error as AppError).fields.map((f) => f.field)).toEqual(['event', 'callId', 'direction']);
    }
  });

  it('normalises a caller number as residents’ phones are stored', () => {
    expect(normalizeCallerNumber('+86 138 0013 8000')).toBe('13800138000');
    expect(normalizeCallerNumber('008613800138000')).toBe('13800138000');
    expect(normalizeCallerNumber('8613800138000')).toBe('13800138000');
    expect(normalizeCallerNumber('013800138000')).toBe('13800138000');
    expect(normalizeCallerNumber('021-6234 5678')).toBe('02162345678');
    expect(normalizeCallerNumber('anonymous')).toBeNull();
  });
});

describe('a call from its events (foldCall)', () => {
  const ring = resolved({
    event: 'newCall',
    occurredAt: '2026-12-01T02:00:00.000Z',
    recipients: ['u1', 'u2'],
  });
  const answer = resolved({
    event: 'answer',
    occurredAt: '2026-12-01T02:00:09.000Z',
    agentUserId: 'u1',
    extension: '8001',
  });
  const hangup = resolved({
    event: 'hangup',
    occurredAt: '2026-12-01T02:01:09.000Z',
    cause: 'normalClearing',
  });

  it('gives the same call in every order', () => {
    const orders = [
      [ring, answer, hangup],
      [hangup, answer, ring],
      [answer, hangup, ring],
    ];
    const calls = orders.map(foldCall);
    for (const c of calls) expect(c).toEqual(calls[0]);
    expect(calls[0]).toMatchObject({
      status: 'ended',
      outcome: 'answered',
      agentUserId: 'u1',
      ringSeconds: 9,
      talkSeconds: 60,
      notifiedUserIds: ['u1', 'u2'],
    });
  });

  it('an inbound call nobody answered is missed, or abandoned when the caller gave up', () => {
    expect(foldCall([ring, resolved({ event: 'hangup', cause: 'noAnswer' })]).outcome).toBe('missed');
    expect(foldCall([ring, resolved({ event: 'hangup', cause: 'cancel' })]).outcome).toBe('abandoned');
    expect(foldCall([ring, resolved({ event: 'hangup', cause: 'forwarded' })]).outcome).toBe('forwarded');
    expect(
      foldCall([
        resolved({ direction: 'out' }),
        resolved({ event: 'hangup', direction: 'out', cause: 'busy' }),
      ]).outcome,
    ).toBe('busy');
  });

  it('a call ends no earlier than anything happened to it, and is answered no later than it ended', () => {
    const late = resolved({ event: 'answer', occurredAt: '2026-12-01T02:05:00.000Z' });
    const c = foldCall([ring, late, hangup]);
    expect(c.endedAt).toBe(late.occurredAt);
    expect(c.answeredAt).toBe(late.occurredAt);
    expect(c.talkSeconds).toBe(0);
  });
});

describe('the desk’s day and hour', () => {
  it('in the company’s time zone', () => {
    expect(localHour('2026-12-01T17:30:00.000Z', 'Asia/Shanghai')).toBe('2026-12-02 01');
    expect(startOfLocalDay(new Date('2026-12-01T17:30:00.000Z'), 'Asia/Shanghai').toISOString()).toBe(
      '2026-12-01T16:00:00.000Z',
    );
  });
});
