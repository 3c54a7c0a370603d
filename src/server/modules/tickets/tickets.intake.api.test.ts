import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

/**
 * A burst of requests received at once (issue 9, intake): on SQLite they share commits (group
 * commit, docs/decisions/0006-group-commit.md). Sharing a commit must change nothing any caller
 * can see — one bad request fails alone and cleanly, every 201 is a whole request, numbers stay
 * one sequence, a retried submission still returns the first ticket (R12).
 */
describe.each(dialects())('receiving a burst of requests at once (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
  });
  afterAll(async () => t?.close());

  const body = (i: number) => ({
    communityId: t.world.communityA.id,
    roomId: t.world.roomA.id,
    residentId: t.world.residentA.id,
    type: 'repair',
    channel: 'phone',
    content: `卫生间漏水（第${i}户）`,
  });
  const count = async (table: 'tickets' | 'ticket_events' | 'audit_log' | 'notifications') =>
    Number(
      (
        await t.testDb.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('R12 50 at once, one invalid in the middle: 49 whole requests and one clean 400', async () => {
    const before = { tickets: await count('tickets'), notifications: await count('notifications') };
    const stats = { ...t.services.tickets.commits.stats };
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        agent.post(
          '/api/v1/tickets',
          // a room of another community: refused, and nothing of it may stay
          i === 25 ? { ...body(i), roomId: t.world.roomB.id } : body(i),
          { 'idempotency-key': `burst-of-fifty-${i}` },
        ),
      ),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(49);
    expect(statuses[25]).toBe(400);
    expect(responses[25]!.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'roomId' })],
    });

    const created = responses.filter((r) => r.statusCode === 201).map((r) => r.json());
    expect(await count('tickets')).toBe(before.tickets + 49);
    // one sequence, no number twice, no gap left by the refused request
    const numbers = created.map((c) => Number(c.number.split('-')[1])).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(49);
    expect(numbers[48]! - numbers[0]!).toBe(48);
    for (const ticket of created) {
      expect(ticket.events).toEqual([expect.objectContaining({ type: 'created' })]);
      expect(ticket.content).toMatch(/^卫生间漏水（第\d+户）$/);
    }
    // each with its audit record and its message to the resident, written with it
    const ids = created.map((c) => c.id as string);
    const audits = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('entity_id', 'in', ids)
      .where('action', '=', 'ticket.created')
      .execute();
    expect(audits).toHaveLength(49);
    expect(await count('notifications')).toBe(before.notifications + 49);
    if (dialect === 'sqlite') {
      // the burst really shared commits (else this test would not be testing group commit)
      const after = t.services.tickets.commits.stats;
      expect(after.writes - stats.writes).toBe(49);
      expect(after.commits - stats.commits).toBeLessThan(49);
    }
  });

  it('R12 the same submission twice in one burst: one ticket, both answered with it', async () => {
    const before = await count('tickets');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        // submissions 3 and 15 are one and the same, retried: same key, same body
        agent.post('/api/v1/tickets', body(i === 15 ? 3 : i), {
          'idempotency-key': `sent-twice-${i === 15 ? 3 : i}`,
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
    expect(responses[15]!.json().id).toBe(responses[3]!.json().id);
    expect(await count('tickets')).toBe(before + 19);
  });
});
