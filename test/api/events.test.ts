import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/db.js';
import { loginOver, type ServerProcess, startServerProcess } from '../helpers/server-process.js';

const PASSWORD = 'Events2026x';

/** Reads server-sent events from a live server until `predicate` matches one, or times out. */
async function nextEvent(
  url: string,
  cookie: string,
  predicate: (data: Record<string, unknown>) => boolean,
  ms = 5000,
) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    const res = await fetch(`${url}/api/v1/events`, { headers: { cookie }, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const opened = Date.now();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += decoder.decode(value, { stream: true });
      for (const block of buffer.split('\n\n').slice(0, -1)) {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data) {
          const parsed = JSON.parse(data) as Record<string, unknown>;
          if (predicate(parsed)) return { event: parsed, afterMs: Date.now() - opened };
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Changes reach open consoles within a second, across server processes on PostgreSQL. */
describe.each(dialects())('live changes over server-sent events (%s)', (dialect) => {
  let testDb: TestDatabase;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect, { migrate: false });
  });
  afterAll(async () => {
    for (const s of servers) await s.terminate();
    await testDb?.drop();
  });

  it(
    dialect === 'postgres'
      ? 'an event from a change through server A reaches a client of server B'
      : 'a change reaches a connected client',
    async () => {
      const env = {
        DATA_DIR: testDb.dataDir,
        ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
        ...(testDb.databaseUrl ? { DATABASE_URL: testDb.databaseUrl } : {}),
      };
      const a = await startServerProcess(env);
      servers.push(a);
      // SQLite is one server by design; PostgreSQL runs several on one database
      const b = dialect === 'postgres' ? await startServerProcess(env) : a;
      if (b !== a) servers.push(b);
      const adminA = await loginOver(a.url, 'admin', PASSWORD);
      const community = await adminA.post('/api/v1/communities', { name: '阳光花园', code: 'YGHY' });
      const loginB = await fetch(`${b.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: PASSWORD }),
      });
      const cookieB = (loginB.headers.get('set-cookie') ?? '').split(';')[0]!;
      const listening = nextEvent(
        b.url,
        cookieB,
        (e) => e.type === 'ticket.changed' && e.action === 'created',
      );
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the stream open
      const created = await adminA.post('/api/v1/tickets', {
        communityId: community.json.id,
        callerName: '王先生',
        callerPhone: '13800138000',
        type: 'inquiry',
        channel: 'web',
        content: '物业费怎么交？',
      });
      expect(created.status).toBe(201);
      const { event, afterMs } = await listening;
      expect(event).toMatchObject({
        ticketId: created.json.id,
        communityId: community.json.id,
        status: 'received',
        action: 'created',
      });
      expect(afterMs).toBeLessThan(1000 + 300);
    },
  );
});
