import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, sha256File } from '../../src/server/cli/backup-archive.js';
import { openDatabase } from '../../src/server/platform/db/database.js';
import { migrateDown } from '../../src/server/platform/db/migrate.js';
import { pdfFile } from '../fixtures/attachments/files.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/db.js';
import { type HttpSession, httpLogin, runCli, startServer } from '../helpers/ops-harness.js';
import type { ServerProcess } from '../helpers/server-process.js';

const PASSWORD = 'Backup2026';
/** Server processes, CLIs and a stream of writes on a shared two-core machine: minutes, not seconds. */
const TIMEOUT = 240_000;

/** A write as the client saw it: when it was sent and, if it was, when it was acknowledged. */
interface Sent {
  sentAt: number;
  ackAt: number | null;
}
interface TicketWrite extends Sent {
  id: string;
  number: string;
  content: string;
}
interface NoteWrite extends Sent {
  ticketId: string;
  text: string;
}
interface ResidentWrite extends Sent {
  id: string;
  name: string;
}
interface AttachmentWrite extends Sent {
  id: string;
  ticketId: string;
  data: Buffer;
}

function envFor(db: TestDatabase): Record<string, string> {
  return {
    DATA_DIR: db.dataDir,
    ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
    DATABASE_URL: db.databaseUrl ?? '',
  };
}

/** Row counts and consistency of a database, read directly (not through the app). */
async function inspect(db: TestDatabase) {
  const database = openDatabase({
    databaseUrl: db.databaseUrl,
    sqlitePath: join(db.dataDir, 'estatedesk.sqlite'),
  });
  try {
    const count = async (table: string) =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database.db))
          .rows[0]!.n,
      );
    const counts: Record<string, number> = {};
    for (const table of ['tickets', 'ticket_events', 'residents', 'ticket_attachments']) {
      counts[table] = await count(table);
    }
    // every request starts with its `created` step
    const withoutCreated = (
      await sql<{ n: number }>`select count(*) as n from tickets t where not exists
        (select 1 from ticket_events e where e.ticket_id = t.id and e.type = 'created')`.execute(database.db)
    ).rows[0]!.n;
    const attachments = await database.db
      .selectFrom('ticket_attachments')
      .select(['id', 'storage_key', 'thumbnail_key', 'sha256'])
      .execute();
    let integrity = 'ok';
    let orphans = 0;
    if (database.sqlite) {
      integrity = String(database.sqlite.pragma('integrity_check', { simple: true }));
      orphans = (database.sqlite.pragma('foreign_key_check') as unknown[]).length;
    }
    return { counts, withoutCreated: Number(withoutCreated), attachments, integrity, orphans };
  } finally {
    await database.close();
  }
}

/** Staff keep writing: requests, notes on them, residents and PDF attachments, each recorded with its times. */
function startWriters(admin: HttpSession, place: { communityId: string; roomId: string }, writers: number) {
  const tickets: TicketWrite[] = [];
  const notes: NoteWrite[] = [];
  const residents: ResidentWrite[] = [];
  const attachments: AttachmentWrite[] = [];
  const failures: string[] = [];
  let stop = false;
  let serial = 0;
  const loop = async (writer: number) => {
    for (let i = 0; !stop; i++) {
      const n = ++serial;
      const content = `备份测试 ${writer}-${i}：楼道灯不亮 #${n}`;
      const ticketSent = performance.now();
      const created = await admin.call<{ id: string; number: string }>('POST', '/api/v1/tickets', {
        communityId: place.communityId,
        roomId: place.roomId,
        callerName: '王先生',
        callerPhone: '13800138000',
        type: 'repair',
        channel: 'phone',
        content,
      });
      if (created.status !== 201) {
        failures.push(`ticket ${created.status}`);
        continue;
      }
      const ticket = { ...created.json, content, sentAt: ticketSent, ackAt: performance.now() };
      tickets.push(ticket);

      const text = `跟进记录 #${n}`;
      const noteSent = performance.now();
      const note = await admin.call('POST', `/api/v1/tickets/${ticket.id}/notes`, {
        text,
        visibility: 'internal',
      });
      if (note.status === 200)
        notes.push({ ticketId: ticket.id, text, sentAt: noteSent, ackAt: performance.now() });
      else failures.push(`note ${note.status}`);

      if (n % 3 === 0) {
        const name = `住户${n}`;
        const residentSent = performance.now();
        const resident = await admin.call<{ id: string }>('POST', '/api/v1/residents', {
          communityId: place.communityId,
          roomId: place.roomId,
          name,
          phone: `139${String(10_000_000 + n).slice(-8)}`,
          kind: 'owner',
        });
        if (resident.status === 201) {
          residents.push({ id: resident.json.id, name, sentAt: residentSent, ackAt: performance.now() });
        } else failures.push(`resident ${resident.status} ${JSON.stringify(resident.json)}`);
      }
      if (n % 4 === 0) {
        const data = Buffer.concat([pdfFile(), Buffer.from(`% ${randomUUID()} #${n}\n`)]);
        const uploadSent = performance.now();
        const upload = await admin.upload(ticket.id, 'file', `报告${n}.pdf`, data, 'application/pdf');
        if (upload.status === 201) {
          attachments.push({
            id: String(upload.json.id),
            ticketId: ticket.id,
            data,
            sentAt: uploadSent,
            ackAt: performance.now(),
          });
        } else failures.push(`upload ${upload.status}`);
      }
    }
  };
  const running = Promise.all(Array.from({ length: writers }, (_, w) => loop(w)));
  return {
    tickets,
    notes,
    residents,
    attachments,
    failures,
    async stop() {
      stop = true;
      await running;
    },
  };
}

async function until(condition: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(dialects())('npm run backup / npm run restore under writes (%s)', (dialect) => {
  let source: TestDatabase;
  let restored: TestDatabase;
  let server: ServerProcess | null = null;
  let backupFolder: string;
  let manifest: Manifest;
  let acknowledgedBefore: {
    tickets: TicketWrite[];
    notes: NoteWrite[];
    residents: ResidentWrite[];
    attachments: AttachmentWrite[];
  };
  let sentAfter: typeof acknowledgedBefore;
  const originalEvents = new Map<string, string[]>();

  beforeAll(async () => {
    source = await createTestDatabase(dialect, { migrate: false });
    restored = await createTestDatabase(dialect, { migrate: false });
    // the restore must be the only session on its database
    await restored.database.close();
  }, 120_000);
  afterAll(async () => {
    if (server) await server.terminate();
    await source?.drop();
    await restored?.drop();
  }, 120_000);

  it(
    'a backup taken while staff write holds every write acknowledged before it began',
    async () => {
      server = await startServer(envFor(source));
      const admin = await httpLogin(server.url, 'admin', PASSWORD);
      const community = await admin.call<{ id: string }>('POST', '/api/v1/communities', {
        name: '阳光花园',
        code: 'YGHY',
      });
      const building = await admin.call<{ id: string }>('POST', '/api/v1/buildings', {
        communityId: community.json.id,
        name: '3栋',
      });
      const unit = await admin.call<{ id: string }>('POST', '/api/v1/units', {
        buildingId: building.json.id,
        name: '2单元',
      });
      const room = await admin.call<{ id: string }>('POST', '/api/v1/rooms', {
        unitId: unit.json.id,
        number: '1502',
      });
      expect(room.status).toBe(201);

      const stream = startWriters(admin, { communityId: community.json.id, roomId: room.json.id }, 3);
      await until(() => stream.tickets.length >= 30 && stream.attachments.length >= 5, 60_000);
      const backupStarted = performance.now();
      const backup = await runCli(
        'backup',
        ['--out', join(source.dataDir, 'backup-under-writes')],
        envFor(source),
      );
      const backupEnded = performance.now();
      const ticketsDuringBackup = stream.tickets.filter(
        (t) => t.ackAt! > backupStarted && t.ackAt! < backupEnded,
      );
      // and a little more after it, which must not be in it
      const seen = stream.tickets.length;
      await until(() => stream.tickets.length >= seen + 10, 60_000);
      await stream.stop();
      expect(backup.stderr).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(/backup written: .*backup-under-writes/);
      expect(stream.failures).toEqual([]);
      // the writes really went on while the backup ran
      expect(ticketsDuringBackup.length).toBeGreaterThan(0);

      backupFolder = join(source.dataDir, 'backup-under-writes');
      manifest = JSON.parse(readFileSync(join(backupFolder, 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest).toMatchObject({ format: 'estatedesk-backup', kind: 'backup', dialect });
      expect(readdirSync(source.dataDir).some((name) => name.endsWith('.partial'))).toBe(false);

      const ackedBefore = <T extends Sent>(list: T[]) =>
        list.filter((w) => w.ackAt !== null && w.ackAt < backupStarted);
      const sentLater = <T extends Sent>(list: T[]) => list.filter((w) => w.sentAt > backupEnded);
      acknowledgedBefore = {
        tickets: ackedBefore(stream.tickets),
        notes: ackedBefore(stream.notes),
        residents: ackedBefore(stream.residents),
        attachments: ackedBefore(stream.attachments),
      };
      sentAfter = {
        tickets: sentLater(stream.tickets),
        notes: sentLater(stream.notes),
        residents: sentLater(stream.residents),
        attachments: sentLater(stream.attachments),
      };
      expect(sentAfter.tickets.length).toBeGreaterThanOrEqual(5);
      // counts in the snapshot: at least what was acknowledged before, at most what was sent before it ended
      const sentBeforeEnd = stream.tickets.filter((t) => t.sentAt < backupEnded).length;
      expect(manifest.counts.tickets).toBeGreaterThanOrEqual(acknowledgedBefore.tickets.length);
      expect(manifest.counts.tickets).toBeLessThanOrEqual(sentBeforeEnd);
      expect(manifest.counts.ticket_attachments).toBeGreaterThanOrEqual(
        acknowledgedBefore.attachments.length,
      );
      expect(manifest.attachments.missing).toEqual([]);
      // PDFs have no thumbnail: one file per attachment row, no more (files written after the snapshot are not copied)
      expect(manifest.attachments.files).toBe(manifest.counts.ticket_attachments);

      console.log(
        `[backup-restore ${dialect}] acknowledged before the backup: ${acknowledgedBefore.tickets.length} tickets, ` +
          `${acknowledgedBefore.notes.length} notes, ${acknowledgedBefore.residents.length} residents, ` +
          `${acknowledgedBefore.attachments.length} attachments; tickets acknowledged while it ran: ` +
          `${ticketsDuringBackup.length}; sent after it: ${sentAfter.tickets.length}; in the snapshot: ` +
          `${JSON.stringify(manifest.counts)}; backup took ${Math.round(backupEnded - backupStarted)} ms`,
      );
      for (const ticket of acknowledgedBefore.tickets) {
        const detail = await admin.call<{ events: { id: string }[] }>('GET', `/api/v1/tickets/${ticket.id}`);
        originalEvents.set(
          ticket.id,
          detail.json.events.map((e) => e.id),
        );
      }
      expect(await server.terminate()).toBe(0);
      server = null;
    },
    TIMEOUT,
  );

  it(
    'restores into a fresh DATA_DIR (and database): a server started on it has every acknowledged write',
    async () => {
      const result = await runCli('restore', [backupFolder], envFor(restored));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `attachments: ${manifest.counts.ticket_attachments} verified against their sha256`,
      );
      expect(result.stdout).toContain('migrations applied: none (up to date)');

      const copy = await inspect(restored);
      expect(copy.integrity).toBe('ok');
      expect(copy.orphans).toBe(0);
      expect(copy.withoutCreated).toBe(0);
      for (const table of ['tickets', 'ticket_events', 'residents', 'ticket_attachments'] as const) {
        expect(copy.counts[table], table).toBe(manifest.counts[table]);
      }
      for (const row of copy.attachments) {
        expect(await sha256File(join(restored.dataDir, 'attachments', ...row.storage_key.split('/')))).toBe(
          row.sha256,
        );
      }

      server = await startServer(envFor(restored));
      const admin = await httpLogin(server.url, 'admin', PASSWORD);
      for (const ticket of acknowledgedBefore.tickets) {
        const detail = await admin.call<{
          number: string;
          content: string;
          events: { id: string; type: string; note: string | null }[];
        }>('GET', `/api/v1/tickets/${ticket.id}`);
        expect(detail.status).toBe(200);
        expect(detail.json).toMatchObject({ number: ticket.number, content: ticket.content });
        expect(detail.json.events[0]!.type).toBe('created');
        // the timeline is the original's as it stood at the snapshot: a prefix of where it ended up
        const ids = detail.json.events.map((e) => e.id);
        expect(ids).toEqual(originalEvents.get(ticket.id)!.slice(0, ids.length));
        const noted = new Set(detail.json.events.map((e) => e.note));
        for (const note of acknowledgedBefore.notes.filter((n) => n.ticketId === ticket.id)) {
          expect(noted.has(note.text)).toBe(true);
        }
      }
      for (const resident of acknowledgedBefore.residents) {
        const read = await admin.call<{ name: string }>('GET', `/api/v1/residents/${resident.id}`);
        expect(read.status).toBe(200);
        expect(read.json.name).toBe(resident.name);
      }
      for (const attachment of acknowledgedBefore.attachments) {
        const download = await admin.call('GET', `/api/v1/attachments/${attachment.id}`);
        expect(download.status).toBe(200);
        expect(download.bytes.equals(attachment.data)).toBe(true);
      }
      // what was sent after the backup finished is not in it
      for (const ticket of sentAfter.tickets) {
        expect((await admin.call('GET', `/api/v1/tickets/${ticket.id}`)).status).toBe(404);
      }
      for (const resident of sentAfter.residents) {
        expect((await admin.call('GET', `/api/v1/residents/${resident.id}`)).status).toBe(404);
      }
      for (const attachment of sentAfter.attachments) {
        expect((await admin.call('GET', `/api/v1/attachments/${attachment.id}`)).status).toBe(404);
      }
      console.log(
        `[backup-restore ${dialect}] restored and verified over HTTP: ${acknowledgedBefore.tickets.length} tickets with ` +
          `their timelines, ${acknowledgedBefore.residents.length} residents, ${acknowledgedBefore.attachments.length} ` +
          `attachments byte for byte; absent as they should be: ${sentAfter.tickets.length} tickets, ` +
          `${sentAfter.residents.length} residents, ${sentAfter.attachments.length} attachments sent after it\n${result.stdout}`,
      );
      // and the restored server takes new writes
      const more = await admin.call('POST', `/api/v1/tickets/${acknowledgedBefore.tickets[0]!.id}/notes`, {
        text: '恢复后继续处理',
        visibility: 'internal',
      });
      expect(more.status).toBe(200);
    },
    TIMEOUT,
  );

  it(
    'refuses to restore over a database a running server uses, and changes nothing',
    async () => {
      expect(server).not.toBeNull();
      try {
        const before = await inspectCounts(restored);
        const asideBefore = listing(join(restored.dataDir, 'backups'));
        const result = await runCli('restore', [backupFolder], envFor(restored));
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(
          dialect === 'sqlite' ? /is in use: a server/ : /in use by \d+ other session/,
        );
        expect(await inspectCounts(restored)).toEqual(before);
        expect(listing(join(restored.dataDir, 'backups'))).toEqual(asideBefore);
      } finally {
        expect(await server!.terminate()).toBe(0);
        server = null;
      }
    },
    TIMEOUT,
  );

  it(
    'migrates an older backup forward, keeps what it replaced aside, and that can be restored back',
    async () => {
      const current = await inspectCounts(restored);
      // an older EstateDesk's database: fully migrated, then the two newest migrations taken back
      const older = await createTestDatabase(dialect);
      try {
        const down1 = await migrateDown(older.database.db, older.database.dialect);
        const down2 = await migrateDown(older.database.db, older.database.dialect);
        await older.database.close();
        const olderBackup = join(older.dataDir, 'older-backup');
        const made = await runCli('backup', ['--out', olderBackup], envFor(older));
        expect(made.code).toBe(0);

        const result = await runCli('restore', [olderBackup], envFor(restored));
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(result.stdout).toContain(`migrations applied: ${[...down2, ...down1].join(', ')}`);
        expect(await inspectCounts(restored)).toMatchObject({ tickets: 0, residents: 0 });

        const aside = /what was there before: (\S+)/.exec(result.stdout)![1]!;
        const asideManifest = JSON.parse(readFileSync(join(aside, 'manifest.json'), 'utf8')) as Manifest;
        expect(asideManifest).toMatchObject({ kind: 'replaced', dialect, counts: current });
        expect(existsSync(join(aside, 'attachments'))).toBe(true);

        const back = await runCli('restore', [aside], envFor(restored));
        expect(back.stderr).toBe('');
        expect(back.code).toBe(0);
        expect(await inspectCounts(restored)).toEqual(current);
        const copy = await inspect(restored);
        for (const row of copy.attachments) {
          expect(await sha256File(join(restored.dataDir, 'attachments', ...row.storage_key.split('/')))).toBe(
            row.sha256,
          );
        }
      } finally {
        await older.drop();
      }
    },
    TIMEOUT,
  );

  it(
    'refuses a backup from a newer version, and a damaged one, before changing anything',
    async () => {
      const current = await inspectCounts(restored);
      const newer = join(source.dataDir, 'newer-backup');
      cpSync(backupFolder, newer, { recursive: true });
      if (dialect === 'sqlite') {
        const handle = new SQLite(join(newer, 'estatedesk.sqlite'));
        handle
          .prepare('insert into kysely_migration (name, timestamp) values (?, ?)')
          .run('29991231000000-future', 'x');
        handle.close();
      } else {
        const edited = JSON.parse(readFileSync(join(newer, 'manifest.json'), 'utf8')) as Manifest;
        edited.migrations.push('29991231000000-future');
        writeFileSync(join(newer, 'manifest.json'), JSON.stringify(edited));
      }
      const refused = await runCli('restore', [newer], envFor(restored));
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/newer EstateDesk .*29991231000000-future/);

      const damaged = join(source.dataDir, 'damaged-backup');
      cpSync(backupFolder, damaged, { recursive: true });
      const file = join(damaged, manifest.database);
      const bytes = readFileSync(file);
      // garbage over the second half: pages of SQLite, compressed table data of pg_dump
      bytes.fill(0x5a, Math.floor(bytes.length / 2), bytes.length - 16);
      writeFileSync(file, bytes);
      const broken = await runCli('restore', [damaged], envFor(restored));
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(
        dialect === 'sqlite' ? /restore failed: .*(integrity|malformed|not a database)/ : /restore failed: /,
      );

      // a changed attachment file does not pass either
      const tampered = join(source.dataDir, 'tampered-backup');
      cpSync(backupFolder, tampered, { recursive: true });
      const victim = acknowledgedBefore.attachments[0]!;
      const keyFile = readdirSync(join(tampered, 'attachments'), {
        recursive: true,
        withFileTypes: true,
      }).find((entry) => entry.isFile() && entry.name === victim.id)!;
      writeFileSync(join(keyFile.parentPath, keyFile.name), 'not the file that was uploaded');
      const wrong = await runCli('restore', [tampered], envFor(restored));
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/do not match their rows/);

      expect(await inspectCounts(restored)).toEqual(current);
    },
    TIMEOUT,
  );
});

function listing(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

async function inspectCounts(db: TestDatabase) {
  return (await inspect(db)).counts;
}
