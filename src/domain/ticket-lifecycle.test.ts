import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from './roles.js';
import {
  type ActionInput,
  type Actor,
  allowedActions,
  type LifecycleTicket,
  OPEN_STATUSES,
  TICKET_ACTIONS,
  type TicketAction,
  type TransitionResult,
  transition,
} from './ticket-lifecycle.js';
import { TICKET_STATUSES, TICKET_TYPES, type TicketStatus } from './tickets.js';

const NOW = new Date('2026-12-01T08:00:00Z');
const LATER = '2026-12-02T10:00:00+08:00';

/**
 * The expected table, written out independently of the module's: for each action, the statuses
 * it may be taken from (Y) and the status it leads to.
 */
const STATUS_COLUMNS: TicketStatus[] = [
  'received',
  'dispatched',
  'accepted',
  'on_site',
  'in_progress',
  'pending',
  'done',
  'closed',
  'cancelled',
];
// biome-ignore format: a table
const EXPECTED: Record<TicketAction, [string, TicketStatus | 'same' | 'remembered']> = {
  //          rec dis acc ons inp pen don clo can
  dispatch: ['Y   Y   .   .   .   .   .   .   .', 'dispatched'],
  grab:     ['.   Y   .   .   .   .   .   .   .', 'accepted'],
  accept:   ['.   Y   .   .   .   .   .   .   .', 'accepted'],
  decline:  ['.   Y   Y   .   .   .   .   .   .', 'received'],
  arrive:   ['.   .   Y   .   .   .   .   .   .', 'on_site'],
  start:    ['.   .   Y   Y   .   .   .   .   .', 'in_progress'],
  complete: ['.   .   .   Y   Y   .   .   .   .', 'done'],
  pend:     ['.   Y   Y   Y   Y   .   .   .   .', 'pending'],
  resume:   ['.   .   .   .   .   Y   .   .   .', 'remembered'],
  reassign: ['.   Y   Y   Y   Y   Y   .   .   .', 'dispatched'],
  escalate: ['Y   Y   Y   Y   Y   Y   .   .   .', 'same'],
  answer:   ['Y   .   .   .   .   .   .   .   .', 'closed'],
  close:    ['.   .   .   .   .   .   Y   .   .', 'closed'],
  reopen:   ['.   .   .   .   .   .   Y   Y   .', 'received'],
  cancel:   ['Y   Y   Y   Y   Y   Y   .   .   .', 'cancelled'],
};
function expectedFrom(action: TicketAction): TicketStatus[] {
  const marks = EXPECTED[action][0].split(/\s+/);
  expect(marks).toHaveLength(STATUS_COLUMNS.length);
  return STATUS_COLUMNS.filter((_, i) => marks[i] === 'Y');
}

/** Who may take each action, written out independently of the module. */
const DESK: Role[] = ['agent', 'supervisor', 'manager', 'steward', 'admin'];
const EXPECTED_WHO: Record<TicketAction, 'desk' | 'assignee' | 'assignee_or_desk' | 'team' | 'reopen'> = {
  dispatch: 'desk',
  grab: 'team',
  accept: 'assignee',
  decline: 'assignee',
  arrive: 'assignee',
  start: 'assignee',
  complete: 'assignee_or_desk',
  pend: 'assignee_or_desk',
  resume: 'assignee_or_desk',
  reassign: 'desk',
  escalate: 'desk',
  answer: 'desk',
  close: 'desk',
  reopen: 'reopen',
  cancel: 'desk',
};

function ticket(over: Partial<LifecycleTicket> = {}): LifecycleTicket {
  return {
    status: 'received',
    type: 'inquiry',
    teamId: 'team-1',
    assigneeId: 'worker-1',
    pendingFrom: null,
    escalationLevel: 0,
    reopenCount: 0,
    paid: false,
    chargeSettled: false,
    ...over,
  };
}

/** A ticket in `status` that meets every condition of `action` other than its status. */
function ticketFor(action: TicketAction, status: TicketStatus): LifecycleTicket {
  return ticket({
    status,
    assigneeId: action === 'grab' ? null : 'worker-1',
    pendingFrom: status === 'pending' ? 'in_progress' : null,
  });
}

const worker: Actor = { id: 'worker-1', roles: ['technician'], teamIds: ['team-1'] };
const teammate: Actor = { id: 'worker-2', roles: ['technician'], teamIds: ['team-1'] };
const outsider: Actor = { id: 'worker-3', roles: ['technician'], teamIds: ['team-9'] };
const nobody: Actor = { id: 'x', roles: [], teamIds: [] };
/** Passes every role check: the assignee, in the team, and an admin. */
const almighty: Actor = { id: 'worker-1', roles: ['admin'], teamIds: ['team-1'] };
const role = (r: Role, teamIds: string[] = []): Actor => ({ id: `user-${r}`, roles: [r], teamIds });

/** A valid input for `action` on `t` (which team/worker it may be changed to depends on t). */
function validInput(action: TicketAction, t: LifecycleTicket): ActionInput {
  switch (action) {
    case 'dispatch':
      return { action, teamId: 'team-2', assigneeId: 'worker-7' };
    case 'reassign':
      return { action, teamId: 'team-2', assigneeId: 'worker-7' };
    case 'decline':
    case 'escalate':
    case 'reopen':
    case 'cancel':
      return { action, reason: '原因' };
    case 'complete':
      return {
        action,
        report: { cause: '水管老化', work: '更换水管', ...(t.paid ? { charge: 80 } : {}) },
      };
    case 'pend':
      return { action, reason: '等配件', nextStep: '配件到货后上门', eta: LATER };
    case 'answer':
      return { action, reply: '已答复' };
    default:
      return { action } as ActionInput;
  }
}

function ok(result: TransitionResult): Extract<TransitionResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}: ${result.detail}`);
  return result;
}

function run(t: LifecycleTicket, action: TicketAction, actor: Actor, input?: ActionInput): TransitionResult {
  return transition(t, action, actor, input ?? validInput(action, t), NOW);
}

describe('the transition table: every action from every status', () => {
  const cases = TICKET_ACTIONS.flatMap((action) =>
    TICKET_STATUSES.map((status) => ({ action, status, allowed: expectedFrom(action).includes(status) })),
  );

  it('covers all 15 actions × 9 statuses', () => {
    expect(cases).toHaveLength(15 * 9);
    expect(Object.keys(EXPECTED).sort()).toEqual([...TICKET_ACTIONS].sort());
    expect([...TICKET_STATUSES].sort()).toEqual([...STATUS_COLUMNS].sort());
  });

  it.each(cases)('$action from $status: allowed=$allowed', ({ action, status, allowed }) => {
    const t = ticketFor(action, status);
    const result = run(t, action, almighty);
    if (!allowed) {
      expect(result).toMatchObject({ ok: false, error: 'illegal_transition' });
      // the status is checked before the actor and the input
      expect(run(t, action, nobody, { action } as ActionInput)).toMatchObject({
        error: 'illegal_transition',
      });
      return;
    }
    const done = ok(result);
    const to = EXPECTED[action][1];
    const expectedStatus = to === 'same' ? status : to === 'remembered' ? 'in_progress' : to;
    expect(done.ticket.status).toBe(expectedStatus);
    expect(done.event).toMatchObject({ type: action, data: { from: status, to: expectedStatus } });
    // the actor is checked before the input
    expect(run(t, action, nobody, { action } as ActionInput)).toMatchObject({ error: 'forbidden' });
    // the ticket passed in is left as it was
    expect(t).toEqual(ticketFor(action, status));
  });

  it('OPEN_STATUSES are those neither done, closed nor cancelled', () => {
    expect([...OPEN_STATUSES].sort()).toEqual(
      TICKET_STATUSES.filter((s) => !['done', 'closed', 'cancelled'].includes(s)).sort(),
    );
  });
});

describe('who may take each action', () => {
  const actors: { name: string; actor: Actor }[] = [
    ...ROLES.map((r) => ({ name: r, actor: role(r) })),
    { name: 'the assignee', actor: worker },
    { name: 'a teammate', actor: teammate },
    { name: 'a worker of another team', actor: outsider },
  ];
  function mayAct(action: TicketAction, name: string, actor: Actor): boolean {
    switch (EXPECTED_WHO[action]) {
      case 'desk':
        return actor.roles.some((r) => DESK.includes(r));
      case 'assignee':
        return name === 'the assignee';
      case 'assignee_or_desk':
        return name === 'the assignee' || actor.roles.some((r) => DESK.includes(r));
      case 'team':
        return name === 'the assignee' || name === 'a teammate';
      case 'reopen':
        return ['agent', 'supervisor', 'manager', 'admin'].includes(name);
    }
  }
  const cases = TICKET_ACTIONS.flatMap((action) =>
    actors.map(({ name, actor }) => ({ action, name, actor, may: mayAct(action, name, actor) })),
  );

  it.each(cases)('$action by $name: $may', ({ action, actor, may }) => {
    const t = ticketFor(action, expectedFrom(action)[0]!);
    const result = run(t, action, actor);
    if (may) ok(result);
    else expect(result).toMatchObject({ ok: false, error: 'forbidden' });
  });

  it('a steward may not reopen, but may cancel (R13)', () => {
    expect(run(ticket({ status: 'done' }), 'reopen', role('steward'))).toMatchObject({ error: 'forbidden' });
    ok(run(ticket({ status: 'received' }), 'cancel', role('steward')));
  });

  it('nobody is the assignee of a job in the pool: only grab takes it', () => {
    const pool = ticket({ status: 'dispatched', assigneeId: null });
    expect(run(pool, 'accept', teammate)).toMatchObject({ error: 'forbidden' });
    expect(allowedActions(pool, teammate)).toEqual(['grab']);
  });
});

describe('input', () => {
  const required: { action: TicketAction; status: TicketStatus; fields: string[]; paid?: boolean }[] = [
    { action: 'dispatch', status: 'received', fields: ['teamId'] },
    { action: 'reassign', status: 'accepted', fields: ['teamId'] },
    { action: 'decline', status: 'accepted', fields: ['reason'] },
    { action: 'pend', status: 'in_progress', fields: ['reason', 'nextStep', 'eta'] },
    { action: 'escalate', status: 'received', fields: ['reason'] },
    { action: 'answer', status: 'received', fields: ['reply'] },
    { action: 'reopen', status: 'closed', fields: ['reason'] },
    { action: 'cancel', status: 'received', fields: ['reason'] },
    { action: 'complete', status: 'in_progress', fields: ['report'] },
  ];
  const cases = required.flatMap(({ action, status, fields }) =>
    fields.flatMap((field) => [
      { action, status, field, value: undefined },
      { action, status, field, value: '   ' },
      { action, status, field, value: 42 },
    ]),
  );

  it.each(cases)('$action needs $field (given $value)', ({ action, status, field, value }) => {
    const t = ticket({ status, type: 'inquiry' });
    const input: Record<string, unknown> = { ...validInput(action, t) };
    if (value === undefined) delete input[field];
    else input[field] = value;
    expect(run(t, action, almighty, input as ActionInput)).toMatchObject({
      ok: false,
      error: 'invalid_input',
      field,
    });
  });

  it.each(['cause', 'work'])('R10: the completion report states the %s', (field) => {
    const t = ticket({ status: 'in_progress' });
    for (const value of [undefined, '', ' ']) {
      const report: Record<string, unknown> = { cause: '老化', work: '更换' };
      if (value === undefined) delete report[field];
      else report[field] = value;
      expect(
        run(t, 'complete', worker, { action: 'complete', report } as unknown as ActionInput),
      ).toMatchObject({
        error: 'invalid_input',
        field: `report.${field}`,
      });
    }
  });

  it('R10: paid work needs its charge; free work carries none', () => {
    const paid = ticket({ status: 'in_progress', type: 'repair', paid: true });
    const report = { cause: '老化', work: '更换' };
    for (const charge of [undefined, 0, -5, 12.345, Number.NaN]) {
      expect(
        run(paid, 'complete', worker, {
          action: 'complete',
          report: charge === undefined ? report : { ...report, charge },
        }),
      ).toMatchObject({ error: 'invalid_input', field: 'report.charge' });
    }
    const done = ok(
      run(paid, 'complete', worker, {
        action: 'complete',
        report: { ...report, charge: 80.5, parts: '水管 1 根', advice: '定期检查' },
      }),
    );
    expect(done.event.data.report).toEqual({
      cause: '老化',
      work: '更换',
      parts: '水管 1 根',
      charge: 80.5,
      advice: '定期检查',
    });
    for (const charge of [0.29, 19.99, 1200])
      expect(
        ok(run(paid, 'complete', worker, { action: 'complete', report: { ...report, charge } })).event.data
          .report,
      ).toMatchObject({ charge });
    const free = ticket({ status: 'in_progress' });
    expect(
      run(free, 'complete', worker, { action: 'complete', report: { ...report, charge: 50 } }),
    ).toMatchObject({ error: 'invalid_input', field: 'report.charge' });
    expect(ok(run(free, 'complete', worker, { action: 'complete', report })).event.data.report).toMatchObject(
      {
        charge: null,
        parts: null,
        advice: null,
      },
    );
  });

  it('R7: the ETA is an ISO time with a zone, in the future', () => {
    const t = ticket({ status: 'accepted' });
    const pend = (eta: string) =>
      run(t, 'pend', worker, { action: 'pend', reason: '等配件', nextStep: '到货后上门', eta });
    for (const eta of [
      '2026-12-01T08:00:00Z', // now
      '2026-11-30T10:00:00+08:00', // past
      '2026-12-02 10:00', // not ISO
      '2026-12-02T10:00:00', // no zone
      'tomorrow',
      '2026-13-45T10:00:00Z',
    ])
      expect(pend(eta)).toMatchObject({ error: 'invalid_input', field: 'eta' });
    expect(ok(pend('2026-12-01T16:00:01+08:00')).event.data.eta).toBe('2026-12-01T08:00:01.000Z');
  });

  it('the input must be for the action taken', () => {
    const t = ticket({ status: 'received' });
    expect(run(t, 'cancel', almighty, { action: 'escalate', reason: 'x' })).toMatchObject({
      error: 'invalid_input',
      field: 'action',
    });
  });

  it('text is trimmed', () => {
    const result = ok(run(ticket(), 'cancel', almighty, { action: 'cancel', reason: '  重复工单 ' }));
    expect(result.event.note).toBe('重复工单');
  });
});

describe('dispatch, grab, accept, decline', () => {
  it('dispatch to a worker or to the team pool; re-dispatch before anyone accepts', () => {
    const t = ticket({ status: 'received', teamId: null, assigneeId: null });
    const toPool = ok(run(t, 'dispatch', role('agent'), { action: 'dispatch', teamId: 'team-1' }));
    expect(toPool.ticket).toMatchObject({ status: 'dispatched', teamId: 'team-1', assigneeId: null });
    expect(toPool.event.data).toMatchObject({ teamId: 'team-1', assigneeId: null, pool: true });
    const toWorker = ok(
      run(toPool.ticket, 'dispatch', role('agent'), {
        action: 'dispatch',
        teamId: 'team-1',
        assigneeId: 'w',
      }),
    );
    expect(toWorker.ticket).toMatchObject({ status: 'dispatched', assigneeId: 'w' });
    // re-dispatching to the same team and worker changes nothing
    expect(
      run(toWorker.ticket, 'dispatch', role('agent'), {
        action: 'dispatch',
        teamId: 'team-1',
        assigneeId: 'w',
      }),
    ).toMatchObject({ error: 'invalid_input', field: 'assigneeId' });
  });

  it('grab: a team member takes a pooled job and becomes its assignee', () => {
    const pool = ticket({ status: 'dispatched', assigneeId: null });
    const grabbed = ok(run(pool, 'grab', teammate));
    expect(grabbed.ticket).toMatchObject({ status: 'accepted', assigneeId: 'worker-2', teamId: 'team-1' });
    expect(run(pool, 'grab', outsider)).toMatchObject({ error: 'forbidden' });
    expect(
      run(ticket({ status: 'dispatched', teamId: null, assigneeId: null }), 'grab', teammate),
    ).toMatchObject({
      error: 'forbidden',
    });
  });

  it('grab: the second of two grabbing at once gets a conflict, not the job', () => {
    const pool = ticket({ status: 'dispatched', assigneeId: null });
    const first = ok(run(pool, 'grab', teammate));
    const taken = { ...first.ticket, status: 'dispatched' as const };
    expect(run(taken, 'grab', worker)).toMatchObject({ error: 'illegal_transition' });
    expect(run(first.ticket, 'grab', worker)).toMatchObject({ error: 'illegal_transition' });
  });

  it('accept: only the assignee', () => {
    const t = ticket({ status: 'dispatched' });
    expect(ok(run(t, 'accept', worker)).ticket.status).toBe('accepted');
    expect(run(t, 'accept', teammate)).toMatchObject({ error: 'forbidden' });
    expect(run(t, 'accept', role('admin'))).toMatchObject({ error: 'forbidden' });
  });

  it.each(['dispatched', 'accepted'] as const)(
    'R13: declining a %s job needs a reason and sends it back to dispatch',
    (status) => {
      const t = ticket({ status });
      for (const reason of [undefined, '', '  '])
        expect(run(t, 'decline', worker, { action: 'decline', reason } as ActionInput)).toMatchObject({
          error: 'invalid_input',
          field: 'reason',
        });
      const declined = ok(run(t, 'decline', worker, { action: 'decline', reason: '不在服务范围' }));
      expect(declined.ticket).toMatchObject({ status: 'received', teamId: null, assigneeId: null });
      expect(declined.event).toMatchObject({
        type: 'decline',
        note: '不在服务范围',
        data: { teamId: 'team-1', assigneeId: 'worker-1' },
      });
    },
  );
});

describe('on site, in progress, done', () => {
  it('the assignee arrives, starts and completes; a desk role may complete on their behalf', () => {
    let t = ticket({ status: 'accepted' });
    t = ok(run(t, 'arrive', worker)).ticket;
    expect(t.status).toBe('on_site');
    t = ok(run(t, 'start', worker)).ticket;
    expect(t.status).toBe('in_progress');
    const byWorker = ok(run(t, 'complete', worker));
    expect(byWorker.ticket.status).toBe('done');
    expect(byWorker.event.data.onBehalf).toBe(false);
    const byDesk = ok(run(t, 'complete', role('agent')));
    expect(byDesk.event.data.onBehalf).toBe(true);
    expect(run(t, 'complete', teammate)).toMatchObject({ error: 'forbidden' });
  });

  it('start straight from accepted', () => {
    expect(ok(run(ticket({ status: 'accepted' }), 'start', worker)).ticket.status).toBe('in_progress');
  });
});

describe('pending (R7)', () => {
  it.each(['dispatched', 'accepted', 'on_site', 'in_progress'] as const)(
    'R7: pend from %s and resume returns to it',
    (status) => {
      const t = ticket({ status });
      const pended = ok(
        run(t, 'pend', worker, { action: 'pend', reason: '等配件', nextStep: '配件到货后上门', eta: LATER }),
      );
      expect(pended.ticket).toMatchObject({ status: 'pending', pendingFrom: status });
      expect(pended.event).toMatchObject({
        type: 'pend',
        note: '等配件',
        data: { reason: '等配件', nextStep: '配件到货后上门', eta: '2026-12-02T02:00:00.000Z' },
      });
      const resumed = ok(run(pended.ticket, 'resume', worker));
      expect(resumed.ticket).toEqual(t);
      expect(resumed.event.data).toMatchObject({ from: 'pending', to: status });
    },
  );

  it('a pending ticket with nothing to return to cannot be resumed, only reassigned or cancelled', () => {
    const broken = ticket({ status: 'pending', pendingFrom: null });
    expect(run(broken, 'resume', worker)).toMatchObject({ error: 'illegal_transition' });
    expect(allowedActions(broken, role('supervisor'))).toEqual(['reassign', 'escalate', 'cancel']);
  });

  it('reassigning or cancelling a pending ticket forgets where it was', () => {
    const t = ticket({ status: 'pending', pendingFrom: 'on_site' });
    expect(ok(run(t, 'reassign', role('supervisor'))).ticket).toMatchObject({
      status: 'dispatched',
      pendingFrom: null,
      teamId: 'team-2',
      assigneeId: 'worker-7',
    });
    expect(ok(run(t, 'cancel', role('supervisor'))).ticket).toMatchObject({
      status: 'cancelled',
      pendingFrom: null,
    });
  });
});

describe('reassign (转派)', () => {
  it('needs another worker or another team', () => {
    const t = ticket({ status: 'in_progress' });
    const sup = role('supervisor');
    expect(
      run(t, 'reassign', sup, { action: 'reassign', teamId: 'team-1', assigneeId: 'worker-1' }),
    ).toMatchObject({ error: 'invalid_input', field: 'assigneeId' });
    expect(
      ok(run(t, 'reassign', sup, { action: 'reassign', teamId: 'team-1', assigneeId: 'w2' })).ticket,
    ).toMatchObject({ status: 'dispatched', teamId: 'team-1', assigneeId: 'w2' });
    const toPool = ok(run(t, 'reassign', sup, { action: 'reassign', teamId: 'team-1', reason: '人手调整' }));
    expect(toPool.ticket).toMatchObject({ teamId: 'team-1', assigneeId: null });
    expect(toPool.event).toMatchObject({
      note: '人手调整',
      data: { fromTeamId: 'team-1', fromAssigneeId: 'worker-1' },
    });
  });
});

describe('escalation (R26)', () => {
  it('R26: one level at a time, worker → team lead → 客服主管 → 服务中心经理 → 品质部, no higher', () => {
    let t = ticket({ status: 'in_progress' });
    const sup = role('supervisor');
    const levels: unknown[] = [];
    for (let i = 1; i <= 4; i++) {
      const r = ok(run(t, 'escalate', sup, { action: 'escalate', reason: '超时' }));
      expect(r.ticket).toMatchObject({ status: 'in_progress', escalationLevel: i });
      levels.push(r.event.data.levelName);
      t = r.ticket;
    }
    expect(levels).toEqual(['team_lead', 'supervisor', 'manager', 'quality']);
    expect(run(t, 'escalate', sup, { action: 'escalate', reason: '超时' })).toMatchObject({
      ok: false,
      error: 'illegal_transition',
    });
    expect(allowedActions(t, sup)).not.toContain('escalate');
  });

  it('R26: escalation needs a reason and a desk role', () => {
    const t = ticket({ status: 'received' });
    expect(run(t, 'escalate', worker)).toMatchObject({ error: 'forbidden' });
    expect(run(t, 'escalate', role('agent'), { action: 'escalate', reason: ' ' })).toMatchObject({
      error: 'invalid_input',
      field: 'reason',
    });
  });
});

describe('answer and close at once', () => {
  it.each(TICKET_TYPES.map((type) => ({ type, may: ['inquiry', 'praise', 'suggestion'].includes(type) })))(
    'a received $type may be answered and closed: $may',
    ({ type, may }) => {
      const t = ticket({ status: 'received', type, teamId: null, assigneeId: null });
      const result = run(t, 'answer', role('agent'), { action: 'answer', reply: '感谢您的建议' });
      if (may) {
        expect(ok(result).ticket.status).toBe('closed');
        expect(ok(result).event.note).toBe('感谢您的建议');
      } else expect(result).toMatchObject({ ok: false, error: 'illegal_transition' });
      expect(allowedActions(t, role('agent')).includes('answer')).toBe(may);
    },
  );
});

describe('close (R10)', () => {
  it('R10: paid work closes only once its charge is settled', () => {
    const agent = role('agent');
    const unsettled = ticket({ status: 'done', type: 'repair', paid: true, chargeSettled: false });
    expect(run(unsettled, 'close', agent)).toMatchObject({ ok: false, error: 'illegal_transition' });
    expect(allowedActions(unsettled, agent)).not.toContain('close');
    expect(ok(run({ ...unsettled, chargeSettled: true }, 'close', agent)).ticket.status).toBe('closed');
    expect(ok(run(ticket({ status: 'done', type: 'repair' }), 'close', agent)).ticket.status).toBe('closed');
  });

  it('records a note of the return visit when given', () => {
    const r = ok(
      run(ticket({ status: 'done' }), 'close', role('agent'), { action: 'close', note: '回访满意' }),
    );
    expect(r.event.note).toBe('回访满意');
  });
});

describe('reopen and cancel (R13)', () => {
  it('R13: reopening is counted and needs a reason; the request goes back to dispatch', () => {
    const sup = role('supervisor');
    let t = ticket({ status: 'done', escalationLevel: 2 });
    const first = ok(run(t, 'reopen', sup, { action: 'reopen', reason: '回访不满意' }));
    expect(first.ticket).toMatchObject({
      status: 'received',
      reopenCount: 1,
      teamId: null,
      assigneeId: null,
      escalationLevel: 2,
    });
    expect(first.event).toMatchObject({ note: '回访不满意', data: { reopenCount: 1 } });
    t = { ...first.ticket, status: 'closed' };
    expect(ok(run(t, 'reopen', sup)).ticket.reopenCount).toBe(2);
    expect(run(t, 'reopen', sup, { action: 'reopen', reason: '' })).toMatchObject({
      error: 'invalid_input',
      field: 'reason',
    });
  });

  it.each(['received', 'dispatched', 'accepted', 'on_site', 'in_progress', 'pending'] as const)(
    'R13: cancelling a %s request needs a reason',
    (status) => {
      const t = ticket({ status, pendingFrom: status === 'pending' ? 'accepted' : null });
      expect(run(t, 'cancel', role('agent'), { action: 'cancel' } as ActionInput)).toMatchObject({
        error: 'invalid_input',
        field: 'reason',
      });
      const r = ok(run(t, 'cancel', role('agent'), { action: 'cancel', reason: '重复工单' }));
      expect(r.ticket.status).toBe('cancelled');
      expect(r.event.note).toBe('重复工单');
    },
  );
});

describe('a whole request', () => {
  it('received → pool → grabbed → on site → in progress → pending → resumed → done → closed', () => {
    const agent = role('agent');
    const steps: [TicketAction, Actor, ActionInput?][] = [
      ['dispatch', agent, { action: 'dispatch', teamId: 'team-1' }],
      ['grab', teammate],
      ['arrive', teammate],
      ['start', teammate],
      ['pend', teammate],
      ['resume', teammate],
      ['complete', teammate],
      ['close', agent],
    ];
    let t = ticket({ type: 'repair', teamId: null, assigneeId: null });
    const trail: string[] = [t.status];
    for (const [action, actor, input] of steps) {
      t = ok(run(t, action, actor, input)).ticket;
      trail.push(t.status);
    }
    expect(trail).toEqual([
      'received',
      'dispatched',
      'accepted',
      'on_site',
      'in_progress',
      'pending',
      'in_progress',
      'done',
      'closed',
    ]);
    expect(allowedActions(t, agent)).toEqual(['reopen']);
  });
});

describe('allowedActions agrees with transition', () => {
  const variants: LifecycleTicket[] = TICKET_STATUSES.flatMap((status) =>
    [null, 'worker-1'].flatMap((assigneeId) =>
      [0, 4].flatMap((escalationLevel) =>
        [
          { type: 'inquiry', paid: false, chargeSettled: false },
          { type: 'repair', paid: true, chargeSettled: false },
          { type: 'repair', paid: true, chargeSettled: true },
        ].map((kind) =>
          ticket({
            status,
            assigneeId,
            escalationLevel,
            ...(kind as Partial<LifecycleTicket>),
            pendingFrom: status === 'pending' ? 'on_site' : null,
          }),
        ),
      ),
    ),
  );
  const actors: Actor[] = [...ROLES.map((r) => role(r)), worker, teammate, outsider, nobody];

  it(`for ${variants.length} tickets × ${actors.length} actors × every action`, () => {
    let checked = 0;
    for (const t of variants)
      for (const actor of actors) {
        const allowed = allowedActions(t, actor);
        for (const action of TICKET_ACTIONS) {
          const result = run(t, action, actor);
          expect(allowed.includes(action), `${action} on ${JSON.stringify(t)} by ${actor.id}`).toBe(
            result.ok,
          );
          if (!result.ok) expect(result.error).not.toBe('invalid_input');
          checked++;
        }
        expect(allowed).toEqual(TICKET_ACTIONS.filter((a) => allowed.includes(a)));
      }
    expect(checked).toBe(variants.length * actors.length * TICKET_ACTIONS.length);
  });

  it('nothing is allowed on a cancelled request', () => {
    for (const actor of [...ROLES.map((r) => role(r)), worker])
      expect(allowedActions(ticket({ status: 'cancelled' }), actor)).toEqual([]);
  });
});
