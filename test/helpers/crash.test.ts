import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/server/platform/context.js';
import { type Client, createTestApp, type TestApp } from './app.js';
import { checkSnapshot, type LedgerEntry, readSnapshot, type Snapshot } from './crash.js';

/**
 * The crash test is only as good as its checker: here it reads a real database after a few real
 * requests, finds nothing wrong, and then finds each kind of damage a crash could leave — a lost
 * step, a lost status change, a step without its audit record, a duplicate, steps out of order,
 * a missing or extra SLA clock, an orphan row, a lost message, a ticket created twice.
 */
describe('the crash test checker (R62)', () => {
  let t: TestApp;
  let agent: Client;
  let tech: Client;
  let snapshot: Snapshot;
  const ledger: LedgerEntry[] = [];
  let ticketId = '';
  let tick = 0;

  const entry = (
    fields: Partial<LedgerEntry> & Pick<LedgerEntry, 'kind' | 'action' | 'userId'>,
  ): LedgerEntry => ({
    round: 1,
    client: fields.userId,
    ticketId: null,
    marker: null,
    sentTick: ++tick,
    doneTick: ++tick,
    outcome: 'ack',
    status: 200,
    expectStatus: null,
    eventId: null,
    callbackId: null,
    number: null,
    content: null,
    retryOf: null,
    duringOutage: false,
    ...fields,
  });
  const lastEvent = (body: { events: { id: string; type: string }[] }, type: string) =>
    body.events.filter((e) => e.type === type).at(-1)!.id;

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
    const agentId = (await t.services.staffRepo.findByLogin('agent-a'))!.id;
    const techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    const team = await t.services.teams.create(systemContext(), {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
    });
    await t.services.teams.setMembers(systemContext(), team.id, { userIds: [techId] });

    const content = '卫生间漏水，楼下已渗水 CR-1-agent1-1';
    const created = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      callerName: '王先生',
      callerPhone: '13800138000',
      type: 'repair',
      channel: 'phone',
      content,
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = created.json();
    ticketId = ticket.id;
    ledger.push(
      entry({
        kind: 'create',
        action: 'created',
        userId: agentId,
        ticketId,
        marker: 'CR-1-agent1-1',
        content,
        number: ticket.number,
        expectStatus: 'received',
        eventId: lastEvent(ticket, 'created'),
      }),
    );
    const dispatched = await agent.post(`/api/v1/tickets/${ticketId}/dispatch`, {
      version: ticket.version,
      teamId: team.id,
      assigneeId: techId,
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    ledger.push(
      entry({
        kind: 'step',
        action: 'dispatch',
        userId: agentId,
        ticketId,
        expectStatus: 'dispatched',
        eventId: lastEvent(dispatched.json(), 'dispatch'),
      }),
    );
    const accepted = await tech.post(`/api/v1/tickets/${ticketId}/accept`, {
      version: dispatched.json().version,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    ledger.push(
      entry({
        kind: 'step',
        action: 'accept',
        userId: techId,
        ticketId,
        expectStatus: 'accepted',
        eventId: lastEvent(accepted.json(), 'accept'),
      }),
    );
    const noted = await agent.post(`/api/v1/tickets/${ticketId}/notes`, {
      text: '已电话联系住户',
      visibility: 'internal',
    });
    expect(noted.statusCode, noted.body).toBe(200);
    ledger.push(
      entry({
        kind: 'note',
        action: 'note',
        userId: agentId,
        ticketId,
        eventId: lastEvent(noted.json(), 'note'),
      }),
    );
    const messageContent = '想请维修师傅回个电话 CR-1-agent1-2';
    const message = await agent.post('/api/v1/callbacks/messages', {
      communityId: t.world.communityA.id,
      callerName: '李女士',
      phone: '13900139000',
      content: messageContent,
      forUserId: techId,
      readBack: true,
    });
    expect(message.statusCode, message.body).toBe(201);
    ledger.push(
      entry({
        kind: 'message',
        action: 'message',
        userId: agentId,
        marker: 'CR-1-agent1-2',
        content: messageContent,
        callbackId: message.json().id,
      }),
    );
    snapshot = await readSnapshot(t.testDb.database.db, 'sqlite');
  });
  afterAll(async () => t?.close());

  const problemsOf = (damage: (s: Snapshot) => void) => {
    const copy = structuredClone(snapshot);
    damage(copy);
    const problems: string[] = [];
    checkSnapshot(copy, ledger, (p) => problems.push(p));
    return problems.join('\n');
  };
  const ticketRow = (s: Snapshot) => s.tickets.find((r) => r.id === ticketId)!;
  const eventOf = (s: Snapshot, type: string) =>
    s.events.find((e) => e.ticket_id === ticketId && e.type === type)!;

  it('finds nothing wrong with what the requests really wrote', () => {
    const problems: string[] = [];
    const records = checkSnapshot(snapshot, ledger, (p) => problems.push(p));
    expect(problems).toEqual([]);
    expect(records).toBeGreaterThan(ledger.length);
    // the ticket's clocks are real: accept met, first contact and arrival running
    expect(snapshot.clocks.filter((c) => c.ticket_id === ticketId).map((c) => [c.target, c.status])).toEqual(
      expect.arrayContaining([
        ['accept', 'met'],
        ['first_contact', 'running'],
        ['arrival', 'running'],
      ]),
    );
  });

  it('finds an acknowledged step lost with its status change', () => {
    const problems = problemsOf((s) => {
      s.events = s.events.filter((e) => e.id !== eventOf(snapshot, 'accept').id);
      ticketRow(s).status = 'dispatched';
      ticketRow(s).version -= 1;
    });
    expect(problems).toMatch(/acknowledged accept on .* is missing from its timeline/);
    expect(problems).toMatch(/is dispatched; acknowledged or in flight: accepted/);
  });

  it('finds a step on the timeline whose status change was lost', () => {
    expect(
      problemsOf((s) => {
        ticketRow(s).status = 'dispatched';
      }),
    ).toMatch(/is dispatched but its timeline leads to accepted/);
    expect(
      problemsOf((s) => {
        ticketRow(s).version += 1;
      }),
    ).toMatch(/is at version 4 but its timeline has 2/);
  });

  it('finds a step without its audit record, and an audit record without its step', () => {
    expect(
      problemsOf((s) => {
        s.audit = s.audit.filter((a) => !(a.entity_id === ticketId && a.action === 'ticket.dispatch'));
      }),
    ).toMatch(/dispatch at .* has no audit record/);
    expect(
      problemsOf((s) => {
        s.audit.push({
          action: 'ticket.start',
          entity_type: 'ticket',
          entity_id: ticketId,
          at: '2026-11-30T02:00:00.000Z',
        });
      }),
    ).toMatch(/audit ticket.start at .* has no step on the timeline/);
  });

  it('finds a step written twice, and steps out of the order they were acknowledged in', () => {
    expect(
      problemsOf((s) => {
        s.events.push({ ...eventOf(snapshot, 'note'), id: 'ffffffff-ffff-7fff-bfff-ffffffffffff' });
      }),
    ).toMatch(/2 note events by .*: 1 acknowledged, 0 unanswered/);
    expect(
      problemsOf((s) => {
        const dispatch = s.events.findIndex((e) => e.id === eventOf(snapshot, 'dispatch').id);
        const accept = s.events.findIndex((e) => e.id === eventOf(snapshot, 'accept').id);
        [s.events[dispatch], s.events[accept]] = [s.events[accept]!, s.events[dispatch]!];
      }),
    ).toMatch(
      /dispatch \(sent after created was acknowledged\) comes before it|accept \(sent after dispatch was acknowledged\) comes before it/,
    );
  });

  it('finds SLA clocks that do not match the timeline', () => {
    expect(
      problemsOf((s) => {
        s.clocks = s.clocks.filter((c) => !(c.ticket_id === ticketId && c.target === 'arrival'));
      }),
    ).toMatch(/0 arrival clocks, its timeline started 1/);
    expect(
      problemsOf((s) => {
        const accept = s.clocks.find((c) => c.ticket_id === ticketId && c.target === 'accept')!;
        accept.status = 'running';
        accept.ended_at = null;
      }),
    ).toMatch(/accept clock is running, its timeline says ended/);
  });

  it('finds orphans, lost tickets and messages, and a create that happened twice', () => {
    expect(
      problemsOf((s) => {
        s.orphans['SLA clocks without their ticket'] = 2;
      }),
    ).toMatch(/2 SLA clocks without their ticket/);
    expect(
      problemsOf((s) => {
        s.tickets = s.tickets.filter((r) => r.id !== ticketId);
      }),
    ).toMatch(/acknowledged ticket .* \(CR-1-agent1-1\) is missing/);
    expect(
      problemsOf((s) => {
        s.callbacks = s.callbacks.filter((c) => !c.content?.includes('CR-1-agent1-2'));
      }),
    ).toMatch(/acknowledged message CR-1-agent1-2 is missing/);
    expect(
      problemsOf((s) => {
        s.tickets.push({ ...ticketRow(s), id: 'ffffffff-ffff-7fff-bfff-ffffffffffff' });
      }),
    ).toMatch(/create CR-1-agent1-1 is there 2 times/);
  });
});
