import { describe, expect, it } from 'vitest';
import { BACKOFF_MS, backoffAfter } from './notifications.dispatcher.js';
import type { TicketFacts } from './notifications.repository.js';
import { composeNotification, localTime, NOTIFIED_STEPS, recipientOf } from './notifications.service.js';

const now = new Date('2026-11-30T02:00:00.000Z');

const facts = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  id: 't1',
  number: 'GD20261130-0001',
  communityId: 'c1',
  communityName: '阳光花园',
  timeZone: 'Asia/Shanghai',
  companyName: '安居物业',
  hotline: '400-800-1234',
  content: '厨房水管漏水',
  charge: null,
  resident: { id: 'r1', name: '王建国', phone: '13800138000', salutation: 'mr' },
  callerName: null,
  callerPhone: null,
  team: { name: '维修组', kind: 'repair' },
  worker: { name: '张三', employeeNo: '1001' },
  ...over,
});

const compose = (step: string, data: Record<string, unknown> = {}, note: string | null = null, f = facts()) =>
  composeNotification({ step, facts: f, data, note, now });

describe('R14: what the resident is told at each step (pure composition)', () => {
  it('R14: 受理 — greets by surname, gives the number and what was recorded, signed by company and community', () => {
    expect(compose('created')).toBe(
      '【安居物业】王先生，您好！您反映的“厨房水管漏水”已受理，工单号 GD20261130-0001。' +
        '我们会尽快安排处理，请保持电话畅通，谢谢！如有疑问，请致电 400-800-1234。——阳光花园客服中心',
    );
  });

  it("R14: 派单 — names the worker and their 工号, titled by the team's trade", () => {
    const text = compose('dispatch', { teamId: 'x', assigneeId: 'y' })!;
    expect(text).toContain('已安排维修师傅 张三（工号 1001）处理');
    expect(compose('dispatch', {}, null, facts({ team: { name: '保洁组', kind: 'cleaning' } }))).toContain(
      '保洁人员 张三（工号 1001）',
    );
    // to a team's grab pool: nobody to name yet, the resident is told it is with the team
    expect(compose('dispatch', {}, null, facts({ worker: null }))).toContain('已转交维修组');
    expect(compose('reassign', {}, null)).toContain('已改由维修师傅 张三（工号 1001）处理');
  });

  it('R14: 接单 — the worker is on the way (also when grabbed from the pool)', () => {
    expect(compose('accept')).toContain('维修师傅 张三（工号 1001）已接单，正在前往');
    expect(compose('grab')).toContain('已接单，正在前往');
  });

  it("R14/R7: 挂起 — the reason, the next step and the ETA in the community's local time", () => {
    const text = compose('pend', {
      reason: '需要更换的阀门缺货。',
      nextStep: '到货后上门更换',
      eta: '2026-12-01T06:30:00.000Z',
    })!;
    expect(text).toContain('原因：需要更换的阀门缺货；下一步：到货后上门更换；预计处理时间：12月1日 14:30。');
    // another zone, another local time
    expect(
      compose(
        'pend',
        { reason: 'a', nextStep: 'b', eta: '2026-12-01T06:30:00.000Z' },
        null,
        facts({ timeZone: 'Asia/Urumqi' }),
      ),
    ).toContain('12月1日 12:30');
  });

  it('R14: 完成 — what was done, the charge of paid work, and a request to confirm', () => {
    expect(compose('complete', { report: { cause: '老化', work: '更换接头并试压' } })).toContain(
      '已处理完毕：更换接头并试压。请您确认处理结果',
    );
    expect(compose('complete', { report: { cause: '老化', work: '更换龙头', charge: 35 } })).toContain(
      '本次费用 35.00 元。请您确认',
    );
  });

  it('R14: 作废 with its reason, 答复 with the reply, and a reply note quoted whole', () => {
    expect(compose('cancel', {}, '住户已自行修好')).toContain('已撤销，原因：住户已自行修好。');
    expect(compose('answer', {}, '物业费可在APP内缴纳')).toContain(
      '答复如下：物业费可在APP内缴纳。感谢您的支持！',
    );
    expect(compose('reply', { visibility: 'resident' }, '师傅明早九点上门，请留人在家！')).toContain(
      '关于您的工单 GD20261130-0001：师傅明早九点上门，请留人在家！谢谢！',
    );
    for (const step of ['resume', 'close', 'reopen'])
      expect(compose(step), step).toMatch(/^【安居物业】王先生，您好！您的工单/);
  });

  it('R14: internal steps tell nobody: notes, grading, settling, escalating, attachments, decline, arrival', () => {
    for (const step of ['note', 'grade', 'settle', 'escalate', 'attachment', 'decline', 'arrive', 'start']) {
      expect(NOTIFIED_STEPS as readonly string[]).not.toContain(step);
      expect(compose(step, {}, '内部：住户脾气不好'), step).toBeNull();
    }
  });

  it('R14: a caller as taken is told by their name; a patrol finding without a contact tells nobody', () => {
    const caller = facts({ resident: null, callerName: '李女士', callerPhone: '13900139000' });
    expect(recipientOf(caller)).toEqual({
      name: '李女士',
      phone: '13900139000',
      residentId: null,
      greeting: '李女士',
    });
    expect(compose('created', {}, null, caller)).toContain('李女士，您好！');
    const patrol = facts({ resident: null, callerName: null, callerPhone: null });
    expect(recipientOf(patrol)).toBeNull();
    expect(compose('created', {}, null, patrol)).toBeNull();
  });

  it('R14: without a hotline the help line is left out; a long request is shortened', () => {
    const text = compose('created', {}, null, facts({ hotline: null, content: '漏'.repeat(80) }))!;
    expect(text).not.toContain('请致电');
    expect(text).toContain(`“${'漏'.repeat(30)}…”`);
  });

  it('R14: the same texts exist in zh-TW and en', () => {
    const tw = composeNotification({
      step: 'accept',
      facts: facts(),
      data: {},
      note: null,
      now,
      locale: 'zh-TW',
    });
    expect(tw).toContain('維修師傅 张三（工號 1001）已接單，正在前往');
    const en = composeNotification({
      step: 'accept',
      facts: facts(),
      data: {},
      note: null,
      now,
      locale: 'en',
    });
    expect(en).toContain(
      'technician 张三 (staff no. 1001) has taken request GD20261130-0001 and is on the way',
    );
  });

  it('shows a year only when the time is not in this local year', () => {
    expect(localTime('2026-12-31T16:30:00.000Z', 'Asia/Shanghai', now, 'zh-CN')).toBe('2027年1月1日 00:30');
    expect(localTime('2026-12-31T16:30:00.000Z', 'UTC', now, 'zh-CN')).toBe('12月31日 16:30');
  });
});

describe('R14: delivery backs off exponentially', () => {
  it('waits 30 s, 2 min, 10 min, 1 h, then 6 h between attempts', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(backoffAfter)).toEqual([
      30_000, 120_000, 600_000, 3_600_000, 21_600_000, 21_600_000, 21_600_000,
    ]);
    expect(BACKOFF_MS[0]).toBe(30_000);
  });
});
