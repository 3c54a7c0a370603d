import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type FilePart,
  jpegPhoto,
  multipart,
  pdfFile,
  pngImage,
  signaturePng,
} from '../../../../test/fixtures/attachments/files.js';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';
import type { ChangeEvent } from '../../platform/events.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file under a folder, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  let out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    out = entry.isDirectory() ? out.concat(filesUnder(join(dir, entry.name), rel)) : out.concat(rel);
  }
  return out.sort();
}

describe.each(dialects())('photos and files of a request (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let tech: Client;
  /** dispatched to technician-a */
  let jobId: string;
  /** nobody's job yet */
  let otherId: string;
  let storageDir: string;

  beforeAll(async () => {
    // a 1 MB limit keeps the oversized upload small
    t = await createTestApp(dialect, { ATTACHMENT_MAX_MB: '1' });
    storageDir = join(t.config.dataDir, 'attachments');
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
    const ctx = systemContext();
    const techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    const team = await t.services.teams.create(ctx, {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
    });
    await t.services.teams.setMembers(ctx, team.id, { userIds: [techId] });
    const newTicket = async () => {
      const res = await agent.post('/api/v1/tickets', {
        communityId: t.world.communityA.id,
        roomId: t.world.roomA.id,
        residentId: t.world.residentA.id,
        type: 'repair',
        channel: 'phone',
        content: '卫生间漏水',
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; version: number };
    };
    const job = await newTicket();
    const dispatched = await agent.post(`/api/v1/tickets/${job.id}/dispatch`, {
      version: job.version,
      teamId: team.id,
      assigneeId: techId,
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    jobId = job.id;
    otherId = (await newTicket()).id;
  });
  afterAll(async () => t?.close());

  const upload = (client: Client, ticketId: string, fields: Record<string, string>, ...files: FilePart[]) =>
    client.request({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/attachments`,
      ...multipart(fields, files),
    });

  /** Rows, timeline steps, audit records and stored files: what a refused upload must not change. */
  async function snapshot() {
    const count = async (table: string) =>
      Number(
        (
          await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
            t.testDb.database.db,
          )
        ).rows[0]!.n,
      );
    return {
      attachments: await count('ticket_attachments'),
      events: await count('ticket_events'),
      audit: await count('audit_log'),
      files: filesUnder(storageDir).filter((f) => !f.startsWith('.incoming/')),
      incoming: filesUnder(join(storageDir, '.incoming')),
    };
  }

  it('R10: a JPEG photo uploads (201), is listed, downloads byte for byte, and has a smaller thumbnail', async () => {
    const photo = await jpegPhoto(800, 600);
    // an open console's event stream
    const stream = (
      await agent.request({ method: 'GET', url: '/api/v1/events', payloadAsStream: true })
    ).stream();
    let heard = '';
    stream.on('data', (chunk: Buffer) => {
      heard += chunk.toString();
    });
    const res = await upload(
      agent,
      jobId,
      { kind: 'photo_before' },
      {
        fileName: '现场照片.jpg',
        contentType: 'image/jpeg',
        data: photo,
      },
    );
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      ticketId: jobId,
      kind: 'photo_before',
      fileName: '现场照片.jpg',
      contentType: 'image/jpeg',
      size: photo.length,
      width: 800,
      height: 600,
      hasThumbnail: true,
      sha256: sha256(photo),
      uploadedBy: { name: '测试agent-a', employeeNo: '100' },
      url: `/api/v1/attachments/${created.id}`,
      thumbnailUrl: `/api/v1/attachments/${created.id}/thumbnail`,
    });
    // open consoles hear of it (on PostgreSQL through NOTIFY, a moment later)
    await vi.waitFor(() => {
      const events = [...heard.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as ChangeEvent);
      expect(events).toContainEqual(expect.objectContaining({ ticketId: jobId, action: 'attachment' }));
    });
    stream.destroy();

    const list = await agent.get(`/api/v1/tickets/${jobId}/attachments`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual(created);

    const download = await agent.get(created.url);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toBe(
      `inline; filename="____.jpg"; filename*=UTF-8''${encodeURIComponent('现场照片.jpg')}`,
    );
    expect(sha256(download.rawPayload)).toBe(sha256(photo));

    const thumbnail = await agent.get(created.thumbnailUrl);
    expect(thumbnail.statusCode).toBe(200);
    expect(thumbnail.headers['content-type']).toBe('image/webp');
    expect(thumbnail.headers['x-content-type-options']).toBe('nosniff');
    const meta = await sharp(thumbnail.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 240]);
    expect(thumbnail.rawPayload.length).toBeLessThan(photo.length);

    // on the timeline and in the audit trail
    const ticket = (await agent.get(`/api/v1/tickets/${jobId}`)).json();
    expect(ticket.events.map((e: { type: string }) => e.type)).toContain('attachment');
    const event = await t.testDb.database.db
      .selectFrom('ticket_events')
      .select('data')
      .where('ticket_id', '=', jobId)
      .where('type', '=', 'attachment')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.data!)).toEqual({
      attachmentId: created.id,
      kind: 'photo_before',
      fileName: '现场照片.jpg',
    });
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'ticket.attachment')
      .where('entity_id', '=', jobId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.changes!).attachment[1]).toMatchObject({
      id: created.id,
      sha256: sha256(photo),
    });
  });

  it('R10: a PNG photo after the work, round-trip identical, thumbnail within 320 px', async () => {
    const png = await pngImage(640, 480);
    const res = await upload(tech, jobId, { kind: 'photo_after' }, { fileName: 'after.png', data: png });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      contentType: 'image/png',
      width: 640,
      height: 480,
      hasThumbnail: true,
    });
    const download = await tech.get(res.json().url);
    expect(download.headers['content-type']).toBe('image/png');
    expect(sha256(download.rawPayload)).toBe(sha256(png));
    const thumbnail = await tech.get(res.json().thumbnailUrl);
    const meta = await sharp(thumbnail.rawPayload).metadata();
    expect(Math.max(meta.width, meta.height)).toBe(320);
    expect(thumbnail.rawPayload.length).toBeLessThan(png.length);
  });

  it('records the size of a phone photo as displayed: EXIF orientation applied, thumbnail upright', async () => {
    // taken with the phone turned: stored 800×600, shown 600×800
    const turned = await sharp(await jpegPhoto(800, 600))
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const res = await upload(
      agent,
      jobId,
      { kind: 'photo_before' },
      { fileName: 'turned.jpg', data: turned },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ width: 600, height: 800 });
    // the original keeps its bytes, orientation tag included
    expect(sha256((await agent.get(res.json().url)).rawPayload)).toBe(sha256(turned));
    const thumbnail = await sharp((await agent.get(res.json().thumbnailUrl)).rawPayload).metadata();
    expect([thumbnail.width, thumbnail.height]).toEqual([240, 320]);
  });

  it("R10: the resident's signature is a PNG, and only a PNG", async () => {
    const signature = await signaturePng();
    const res = await upload(agent, jobId, { kind: 'signature' }, { fileName: '签名.png', data: signature });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      kind: 'signature',
      contentType: 'image/png',
      width: 600,
      height: 200,
    });
    // the thumbnail keeps the transparent background
    const thumbnail = await agent.get(res.json().thumbnailUrl);
    expect((await sharp(thumbnail.rawPayload).metadata()).hasAlpha).toBe(true);

    const before = await snapshot();
    const jpeg = await upload(
      agent,
      jobId,
      { kind: 'signature' },
      { fileName: '签名.png', data: await jpegPhoto(60, 20) },
    );
    expect(jpeg.statusCode).toBe(400);
    expect(jpeg.json().details).toEqual([{ field: 'file', message: '签名须为 PNG 图片' }]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a disguised file with a translated 400 and stores nothing: text or a program named .jpg, a broken image', async () => {
    const before = await snapshot();
    const disguised: FilePart[] = [
      { fileName: 'photo.jpg', contentType: 'image/jpeg', data: Buffer.from('这不是照片，只是一段文字\n') },
      {
        fileName: 'photo.png',
        contentType: 'image/png',
        data: Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'),
      },
      {
        fileName: 'a.svg.jpg',
        contentType: 'image/jpeg',
        data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      },
    ];
    for (const file of disguised) {
      const res = await upload(agent, jobId, { kind: 'photo_before' }, file);
      expect(res.statusCode, file.fileName).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: '提交的内容有误，请检查后重试',
        details: [
          {
            field: 'file',
            message: '「文件」只能是 JPEG、PNG、WebP、GIF 图片或 PDF 文件（按文件内容识别，改扩展名无效）',
          },
        ],
      });
    }
    // a JPEG signature followed by garbage is no image either
    const broken = await upload(
      agent,
      jobId,
      { kind: 'photo_before' },
      {
        fileName: 'broken.jpg',
        data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x41)]),
      },
    );
    expect(broken.statusCode).toBe(400);
    expect(broken.json().details).toEqual([
      { field: 'file', message: '「文件」看起来是图片，但已损坏或无法读取' },
    ]);
    // and in English for an English caller
    const english = await agent.request({
      method: 'POST',
      url: `/api/v1/tickets/${jobId}/attachments`,
      ...(() => {
        const form = multipart({ kind: 'file' }, [{ fileName: 'x.pdf', data: Buffer.from('hello') }]);
        return { payload: form.payload, headers: { ...form.headers, 'accept-language': 'en' } };
      })(),
    });
    expect(english.json().details[0].message).toMatch(/must be a JPEG, PNG, WebP or GIF image or a PDF/);
    expect(await snapshot()).toEqual(before);
  });

  it('answers 413 with the limit for a file over ATTACHMENT_MAX_MB, and stores nothing', async () => {
    const before = await snapshot();
    const big = Buffer.concat([await jpegPhoto(64, 64), Buffer.alloc(1024 * 1024 + 10, 0)]);
    const res = await upload(agent, jobId, { kind: 'photo_before' }, { fileName: 'big.jpg', data: big });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: '文件过大：单个文件不能超过 1 MB',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a bad form with a translated error: unknown or missing kind, no file, two files, other fields, JSON', async () => {
    const before = await snapshot();
    const photo = await jpegPhoto(40, 30);
    const file = { fileName: 'a.jpg', data: photo };
    const cases: [string, () => ReturnType<typeof upload>, number, object][] = [
      [
        'unknown kind',
        () => upload(agent, jobId, { kind: 'selfie' }, file),
        400,
        { field: 'kind', message: '「类别」的取值无效' },
      ],
      ['no kind', () => upload(agent, jobId, {}, file), 400, { field: 'kind', message: '请填写「类别」' }],
      [
        'no file',
        () => upload(agent, jobId, { kind: 'photo_before' }),
        400,
        { field: 'file', message: '请填写「文件」' },
      ],
      [
        'two files',
        () => upload(agent, jobId, { kind: 'photo_before' }, file, file),
        400,
        { field: 'file', message: '一次只能上传一个文件' },
      ],
      [
        'another field',
        () => upload(agent, jobId, { kind: 'photo_before', extra: 'x' }, file),
        400,
        { field: 'extra', message: '不认识的字段「extra」' },
      ],
      [
        'file under another name',
        () => upload(agent, jobId, { kind: 'photo_before' }, { ...file, field: 'photo' }),
        400,
        { field: 'photo' },
      ],
      [
        'empty file',
        () => upload(agent, jobId, { kind: 'photo_before' }, { fileName: 'a.jpg', data: Buffer.alloc(0) }),
        400,
        { field: 'file', message: '「文件」是空文件' },
      ],
    ];
    for (const [name, send, status, detail] of cases) {
      const res = await send();
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().details, name).toEqual([expect.objectContaining(detail)]);
    }
    const json = await agent.post(`/api/v1/tickets/${jobId}/attachments`, { kind: 'photo_before' });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringContaining('multipart/form-data'),
    });
    const text = await agent.request({
      method: 'POST',
      url: `/api/v1/tickets/${jobId}/attachments`,
      payload: 'kind=photo_before',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    expect(await snapshot()).toEqual(before);
  });

  it('stores the file name ../../etc/passwd safely: a plain name, and a key of our own', async () => {
    const photo = await jpegPhoto(50, 50);
    const res = await upload(agent, jobId, { kind: 'file' }, { fileName: '../../etc/passwd', data: photo });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().fileName).toBe('passwd.jpg');
    const row = await t.testDb.database.db
      .selectFrom('ticket_attachments')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row.file_name).toBe('passwd.jpg');
    expect(row.storage_key).toBe(`2026/11/${row.id}`);
    expect(readFileSync(join(storageDir, '2026', '11', row.id))).toEqual(photo);
    expect(filesUnder(t.config.dataDir).filter((f) => f.includes('passwd'))).toEqual([]);
  });

  it('serves a PDF as a download, with its name in RFC 5987 form, and no thumbnail', async () => {
    const pdf = pdfFile();
    const res = await upload(
      agent,
      jobId,
      { kind: 'file' },
      { fileName: '维修报价单.pdf', contentType: 'image/png', data: pdf },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      contentType: 'application/pdf',
      width: null,
      height: null,
      hasThumbnail: false,
      thumbnailUrl: null,
    });
    const download = await agent.get(res.json().url);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="_____.pdf"; filename*=UTF-8''${encodeURIComponent('维修报价单.pdf')}`,
    );
    expect(download.rawPayload).toEqual(pdf);
    expect((await agent.get(`${res.json().url}/thumbnail`)).statusCode).toBe(404);
    // a PDF is a file, never a photo
    const asPhoto = await upload(agent, jobId, { kind: 'photo_after' }, { fileName: 'x.pdf', data: pdf });
    expect(asPhoto.statusCode).toBe(400);
    expect(asPhoto.json().details).toEqual([
      { field: 'file', message: '照片须为图片（JPEG、PNG、WebP 或 GIF）；PDF 请按「文件」上传' },
    ]);
  });

  it("R61: a community-A agent gets 404 on community B's ticket: upload, list, download, thumbnail", async () => {
    const ticketB = t.world.ticketB.id;
    const photoB = await t.services.attachments.upload(systemContext(), ticketB, {
      kind: 'photo_before',
      fileName: 'b.jpg',
      data: await jpegPhoto(64, 48),
    });
    const before = await snapshot();
    const uploaded = await upload(
      agent,
      ticketB,
      { kind: 'photo_before' },
      { fileName: 'x.jpg', data: await jpegPhoto(40, 30) },
    );
    for (const res of [
      uploaded,
      await agent.get(`/api/v1/tickets/${ticketB}/attachments`),
      await agent.get(photoB.url),
      await agent.get(photoB.thumbnailUrl!),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', message: '记录不存在' });
    }
    expect(await snapshot()).toEqual(before);
    // quality sees every community
    const quality = await t.as('quality');
    expect((await quality.get(photoB.url)).statusCode).toBe(200);
  });

  it('R61: a technician gets 404 on a job that is not theirs, and 201 on their own', async () => {
    const onOther = await t.services.attachments.upload(systemContext(), otherId, {
      kind: 'photo_before',
      fileName: 'other.jpg',
      data: await jpegPhoto(64, 48),
    });
    const photo = await jpegPhoto(64, 48);
    for (const res of [
      await upload(tech, otherId, { kind: 'photo_after' }, { fileName: 'x.jpg', data: photo }),
      await tech.get(`/api/v1/tickets/${otherId}/attachments`),
      await tech.get(onOther.url),
      await tech.get(onOther.thumbnailUrl!),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
    }
    const own = await upload(tech, jobId, { kind: 'photo_after' }, { fileName: 'done.jpg', data: photo });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().uploadedBy).toMatchObject({ name: '测试technician-a', employeeNo: '104' });
    expect((await tech.get(`/api/v1/tickets/${jobId}/attachments`)).statusCode).toBe(200);
  });

  it('attachmentsOf(ticketId) gives another module the photos of a request, oldest first', async () => {
    const items = await t.services.attachments.attachmentsOf(jobId);
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(items.map((a) => a.id)).toEqual([...items.map((a) => a.id)].sort());
    expect(items.map((a) => a.kind)).toEqual(
      expect.arrayContaining(['photo_before', 'photo_after', 'signature']),
    );
    expect(await t.services.attachments.attachmentsOf(otherId)).toHaveLength(1);
  });

  it('removes the bytes it wrote when the transaction fails', async () => {
    const db = t.testDb.database.db;
    const before = await snapshot();
    // the insert fails for real: the table is briefly not there
    await sql`alter table ticket_attachments rename to ticket_attachments_away`.execute(db);
    try {
      const res = await upload(
        agent,
        jobId,
        { kind: 'photo_before' },
        { fileName: 'x.jpg', data: await jpegPhoto(64, 48) },
      );
      expect(res.statusCode).toBe(500);
    } finally {
      await sql`alter table ticket_attachments_away rename to ticket_attachments`.execute(db);
    }
    expect(await snapshot()).toEqual(before);
  });
});
