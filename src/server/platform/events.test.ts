import { afterEach, describe, expect, inject, it } from 'vitest';
import { dialects } from '../../../test/helpers/db.js';
import { type ChangeEvent, PostgresEventBus } from './events.js';

const pgUrl = inject('pgAdminUrl');

function ticketEvent(i: number): ChangeEvent {
  return {
    type: 'ticket.changed',
    communityId: 'c1',
    ticketId: `t${i}`,
    status: 'received',
    version: 1,
    action: 'created',
  };
}

describe.runIf(dialects().includes('postgres'))('PostgreSQL event bus', () => {
  const buses: PostgresEventBus[] = [];
  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close();
  });

  it('a burst published at once reaches another server whole and in order, one query at a time on the connection', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const a = new PostgresEventBus(pgUrl!);
      const b = new PostgresEventBus(pgUrl!);
      buses.push(a, b);
      await a.start();
      await b.start();
      const heard: string[] = [];
      const all = new Promise<void>((resolve) => {
        b.subscribe((event) => {
          if (event.type === 'ticket.changed') heard.push(event.ticketId);
          if (heard.length === 450) resolve();
        });
      });
      // 450 at once: more than one statement's batch, all published before the first is answered
      await Promise.all(Array.from({ length: 450 }, (_, i) => a.publish(ticketEvent(i))));
      await all;
      expect(heard).toEqual(Array.from({ length: 450 }, (_, i) => `t${i}`));
      // pg warns (and pg 9 will fail) when a client is asked a query while one is running
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('the publishing server hears its own events too', async () => {
    const a = new PostgresEventBus(pgUrl!);
    buses.push(a);
    await a.start();
    const heard = new Promise<ChangeEvent>((resolve) => a.subscribe(resolve));
    await a.publish(ticketEvent(7));
    expect(await heard).toMatchObject({ ticketId: 't7' });
  });
});
