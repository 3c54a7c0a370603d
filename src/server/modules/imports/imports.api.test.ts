import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPANY_SHEET,
  COMPANY_SHEET_BAD_ROWS,
  COMPANY_SHEET_EMPTY_ROWS,
  COMPANY_SHEET_GOOD,
  findLibreOffice,
  toCsv,
  xlsxByLibreOffice,
} from '../../../../test/fixtures/imports/company-sheet.js';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { type RequestContext, systemContext } from '../../platform/context.js';
import { RegistryRepository } from '../registry/registry.repository.js';
import { ImportsRepository } from './imports.repository.js';
import { ImportsService } from './imports.service.js';
import { XLSX_CONTENT_TYPE } from './imports.sheet.js';
import { TEMPLATE_HEADERS } from './imports.xlsx.js';

const LIBREOFFICE = findLibreOffice();
const IN_CI = process.env.CI === 'true';
if (!LIBREOFFICE && !IN_CI) {
  console.warn(
    '\n*** LibreOffice is not installed: the test of an .xlsx written by LibreOffice is SKIPPED here.\n' +
      '*** Install it with: apt-get install -y --no-install-recommends libreoffice-calc (CI requires it)\n',
  );
}
/** In CI the LibreOffice test runs, and fails without LibreOffice; locally it may skip. */
const itWithLibreOffice = LIBREOFFICE || IN_CI ? it : it.skip;

interface Job {
  id: string;
  status: string;
  revision: number;
  headerRow: number | null;
  columns: { index: number; header: string; field: string | null }[];
  counts: { rows: number; new: number; existing: number; invalid: number; empty: number };
  places: { buildings: number; units: number; rooms: number };
  issues: { row: number | null; column: number | null; level: string; code: string; message: string }[];
  issuesTotal: number;
  progress: { total: number; processed: number; created: number; skipped: number; percent: number };
  createdPlaces: { buildings: number; units: number; rooms: number };
  error: string | null;
}

let libreOfficeXlsx: Buffer | null = null;
beforeAll(() => {
  if (LIBREOFFICE) libreOfficeXlsx = xlsxByLibreOffice(LIBREOFFICE, COMPANY_SHEET);
}, 180_000);

describe.each(dialects())('Excel import and export, R2 (%s)', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let manager: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.as('admin');
    manager = await t.as('manager-a');
  });
  afterAll(async () => t?.close());

  const db = () => t.testDb.database.db;

  async function newCommunity(name: string, code: string): Promise<string> {
    const res = await admin.post('/api/v1/communities', { name, code });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  function upload(
    client: Client,
    communityId: string,
    file: Buffer,
    options: { contentType?: string; fileName?: string; query?: string; language?: string } = {},
  ) {
    const fileName = options.fileName ?? 'sheet.xlsx';
    return client.request({
      method: 'POST',
      url: `/api/v1/imports?communityId=${communityId}&fileName=${encodeURIComponent(fileName)}${options.query ?? ''}`,
      payload: file,
      headers: {
        'content-type': options.contentType ?? XLSX_CONTENT_TYPE,
        ...(options.language ? { 'accept-language': options.language } : {}),
      },
    });
  }

  async function uploaded(client: Client, communityId: string, file: Buffer, options = {}): Promise<Job> {
    const res = await upload(client, communityId, file, options);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  /** Commits and polls the job, as the console's progress bar does. */
  async function commit(client: Client, job: Job): Promise<Job> {
    const res = await client.post(`/api/v1/imports/${job.id}/commit`, { revision: job.revision });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().status).toBe('importing');
    return finished(client, job.id);
  }

  async function finished(client: Client, id: string): Promise<Job> {
    for (let i = 0; i < 600; i++) {
      const job: Job = (await client.get(`/api/v1/imports/${id}`)).json();
      if (job.status === 'done' || job.status === 'failed') return job;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`import ${id} did not finish`);
  }

  async function count(table: 'residents' | 'buildings' | 'units' | 'rooms', communityId: string) {
    const row = await db()
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('community_id', '=', communityId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function registryOf(communityId: string) {
    const rows = await db()
      .selectFrom('residents')
      .innerJoin('rooms', 'rooms.id', 'residents.room_id')
      .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
      .innerJoin('units', 'units.id', 'rooms.unit_id')
      .select([
        'residents.id',
        'residents.name',
        'residents.kind',
        'residents.salutation',
        'residents.notes',
        'residents.care',
        'residents.move_in_date',
        'buildings.name as building',
        'units.name as unit',
        'rooms.number as room',
        'rooms.area',
        'rooms.status',
      ])
      .where('residents.community_id', '=', communityId)
      .execute();
    const phones = await db()
      .selectFrom('resident_phones')
      .select(['resident_id', 'phone'])
      .where('community_id', '=', communityId)
      .orderBy('sort')
      .execute();
    return rows
      .map(({ id, ...r }) => ({
        ...r,
        phones: phones.filter((p) => p.resident_id === id).map((p) => p.phone),
      }))
      .sort((a, b) =>
        `${a.building}${a.unit}${a.room}${a.name}`.localeCompare(`${b.building}${b.unit}${b.room}${b.name}`),
      );
  }

  /** The whole story for the company's messy sheet, whatever wrote the file. */
  async function importCompanySheet(file: Buffer, contentType: string, code: string) {
    const communityId = await newCommunity(`碧水湾${code}`, code);
    const job = await uploaded(admin, communityId, file, { contentType, fileName: '碧水湾业主信息.xlsx' });

    // the header below the title and the blank row, mapped by the company's own words
    expect(job).toMatchObject({ status: 'ready', revision: 1, headerRow: 3 });
    expect(job.columns.map((c) => [c.header, c.field])).toEqual([
      ['序号', null],
      ['楼号', 'building'],
      ['单元号', 'unit'],
      ['房间号', 'room'],
      ['业主姓名', 'name'],
      ['联系方式', 'phone'],
      ['身份', 'kind'],
      ['性别', 'salutation'],
      ['建筑面积(㎡)', 'area'],
      ['房屋状态', 'roomStatus'],
      ['入住日期', 'moveInDate'],
      ['备注', 'notes'],
      ['特殊关怀', 'care'],
      ['身份证号', null],
    ]);
    expect(job.issues.filter((i) => i.code === 'columnIgnored').map((i) => i.column)).toEqual([0, 13]);

    // the report flags exactly the bad rows, each with the reason, in Chinese
    const errors = job.issues.filter((i) => i.level === 'error');
    expect(Object.fromEntries(errors.map((i) => [i.row, i.code]))).toEqual(COMPANY_SHEET_BAD_ROWS);
    expect(errors.find((i) => i.row === 7)).toMatchObject({
      column: 5,
      message: '电话「1381234」不是有效的号码',
    });
    expect(errors.find((i) => i.row === 10)?.message).toBe('与第 4 行重复');
    expect(errors.find((i) => i.row === 12)).toMatchObject({ column: 4, message: '缺少姓名' });
    expect(job.issues.filter((i) => i.code === 'emptyRow').map((i) => i.row)).toEqual(
      COMPANY_SHEET_EMPTY_ROWS,
    );
    expect(job.counts).toEqual({ rows: 9, new: 5, existing: 0, invalid: 4, empty: 1 });
    // onboarding: the community had no buildings, so the sheet's are proposed
    expect(job.places).toEqual({ buildings: 2, units: 2, rooms: 4 });
    expect(await count('residents', communityId)).toBe(0);

    // the report workbook: the sheet as it was, 错误 beside each bad row, bad cells highlighted
    const report = await admin.get(`/api/v1/imports/${job.id}/report.xlsx`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toBe(XLSX_CONTENT_TYPE);
    expect(report.headers['content-disposition']).toContain("filename*=UTF-8''");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(report.rawPayload as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.getCell('A1').value).toBe('碧水湾小区业主信息登记表');
    expect(sheet.getRow(3).getCell(15).value).toBe('错误');
    expect(sheet.getRow(3).getCell(16).value).toBe('说明');
    const flagged: number[] = [];
    sheet.eachRow((row, n) => {
      if (n > 3 && row.getCell(15).value) flagged.push(n);
    });
    expect(flagged).toEqual(Object.keys(COMPANY_SHEET_BAD_ROWS).map(Number));
    expect(sheet.getRow(7).getCell(6).value).toBe('1381234');
    expect((sheet.getRow(7).getCell(6).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(sheet.getRow(4).getCell(6).fill).toBeUndefined();
    expect(sheet.getRow(9).getCell(16).value).toBe('空行，已跳过');

    // the commit imports the good rows, creating the places they need
    const done = await commit(admin, job);
    expect(done).toMatchObject({
      status: 'done',
      error: null,
      progress: { total: 9, processed: 9, created: 5, skipped: 4, percent: 100 },
      createdPlaces: { buildings: 2, units: 2, rooms: 4 },
    });
    const registry = await registryOf(communityId);
    expect(registry.map((r) => r.name).sort()).toEqual([...COMPANY_SHEET_GOOD].sort());
    expect(registry.find((r) => r.name === '李娜')).toMatchObject({
      building: '1栋',
      unit: '1单元',
      room: '102',
      phones: ['13922223333', '02162345678'],
      salutation: 'ms',
      notes: '养了一只狗',
      move_in_date: '2019-03-08',
      area: 120,
    });
    expect(registry.find((r) => r.name === '王小明')).toMatchObject({ kind: 'family', room: '102' });
    expect(registry.find((r) => r.name === '周杰')).toMatchObject({
      building: '2栋',
      room: '301',
      kind: 'tenant',
      salutation: 'mr',
      status: 'renovating',
    });
    expect(registry.find((r) => r.name === '吴芳')).toMatchObject({
      care: JSON.stringify(['living_alone', 'elderly']),
      move_in_date: '2021-06-01',
      area: 76.3,
    });
    // search finds them like any resident (R3)
    const found = await admin.get(
      `/api/v1/residents?communityId=${communityId}&q=${encodeURIComponent('1-1-102')}`,
    );
    expect(
      found
        .json()
        .items.map((r: { name: string }) => r.name)
        .sort(),
    ).toEqual(['李娜', '王小明']);

    // audited: one record per created resident, place, and the import itself
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'changes', 'actor_name'])
      .where('community_id', '=', communityId)
      .execute();
    const actions = (action: string) => audit.filter((a) => a.action === action);
    expect(actions('resident.created')).toHaveLength(5);
    expect(actions('building.created')).toHaveLength(2);
    expect(actions('room.created')).toHaveLength(4);
    expect(actions('import.uploaded')).toHaveLength(1);
    expect(actions('import.committed')).toHaveLength(1);
    const zhang = actions('resident.created').find((a) => a.changes?.includes('张伟'))!;
    expect(JSON.parse(zhang.changes!)).toMatchObject({
      importJobId: [null, job.id],
      phones: [null, ['138****2222']],
    });
    expect(zhang.changes).not.toContain('13811112222');

    // committing the same job again is refused
    const again = await admin.post(`/api/v1/imports/${job.id}/commit`, { revision: job.revision });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('该导入已完成，不能重复提交');

    // the same file uploaded again: everyone is already registered, and the commit changes nothing
    const before = {
      residents: await count('residents', communityId),
      buildings: await count('buildings', communityId),
      units: await count('units', communityId),
      rooms: await count('rooms', communityId),
    };
    const second = await uploaded(admin, communityId, file, { contentType });
    expect(second.counts).toEqual({ rows: 9, new: 0, existing: 5, invalid: 4, empty: 1 });
    expect(second.places).toEqual({ buildings: 0, units: 0, rooms: 0 });
    expect(second.issues[0]).toMatchObject({ code: 'sameFile', level: 'note' });
    const secondDone = await commit(admin, second);
    expect(secondDone.progress).toEqual({ total: 9, processed: 9, created: 0, skipped: 9, percent: 100 });
    expect({
      residents: await count('residents', communityId),
      buildings: await count('buildings', communityId),
      units: await count('units', communityId),
      rooms: await count('rooms', communityId),
    }).toEqual(before);
    expect(await registryOf(communityId)).toEqual(registry);
  }

  itWithLibreOffice(
    'an .xlsx written by LibreOffice: title, blank row, own headers, messy rows',
    async () => {
      if (!libreOfficeXlsx)
        throw new Error(
          'LibreOffice is required for this test in CI: apt-get install -y --no-install-recommends libreoffice-calc',
        );
      await importCompanySheet(libreOfficeXlsx, XLSX_CONTENT_TYPE, 'BSW-LO');
    },
  );

  it('a CSV in GBK, as Chinese Excel saves "CSV (逗号分隔)"', async () => {
    await importCompanySheet(iconv.encode(toCsv(COMPANY_SHEET), 'gbk'), 'text/csv', 'BSW-GBK');
  });

  it('a mapping correction re-runs the dry run; unknown buildings only where the community has some', async () => {
    const a = t.world.communityA.id;
    // 客户 is not a name we recognise; community A already has 3栋 (with 2单元1502 and 王建国)
    const csv = toCsv([
      ['房屋', '客户', '手机', '备注'],
      ['3-2-1502', '王建国', '13800138000', ''],
      ['3-2-1502', '王丽', '13700001111', '王建国之妻'],
      ['9-1-101', '钱七', '13700002222', ''],
      ['3-1-301', '孙八', '13700003333', ''],
    ]);
    const job = await uploaded(manager, a, Buffer.from(csv), { contentType: 'text/csv; charset=utf-8' });
    expect(job.status).toBe('dry_run');
    expect(job.issues.filter((i) => i.level === 'error').map((i) => i.message)).toEqual([
      '缺少必需的列「姓名」',
    ]);
    const blocked = await manager.post(`/api/v1/imports/${job.id}/commit`, { revision: 1 });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().message).toBe('该导入还不能提交：请先修正列的对应关系');

    const remapped = await manager.put(`/api/v1/imports/${job.id}/mapping`, {
      revision: 1,
      columns: [{ index: 1, field: 'name' }],
    });
    expect(remapped.statusCode, remapped.body).toBe(200);
    const second: Job = remapped.json();
    expect(second).toMatchObject({ status: 'ready', revision: 2 });
    expect(second.counts).toEqual({ rows: 4, new: 1, existing: 1, invalid: 2, empty: 0 });
    expect(
      second.issues.filter((i) => i.row !== null).map((i) => [i.row, i.level, i.code, i.message]),
    ).toEqual([
      [2, 'note', 'existing', '该住户已登记，跳过'],
      [4, 'error', 'buildingUnknown', '楼栋「9栋」在本小区不存在'],
      [5, 'error', 'roomUnknown', '房屋「3栋1单元301」在本小区不存在'],
    ]);

    // a stale revision is a conflict (someone corrected it meanwhile)
    expect(
      (await manager.put(`/api/v1/imports/${job.id}/mapping`, { revision: 1, columns: [] })).statusCode,
    ).toBe(409);
    // one column per field, except phones and notes
    const twice = await manager.put(`/api/v1/imports/${job.id}/mapping`, {
      revision: 2,
      columns: [{ index: 3, field: 'name' }],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().details[0]).toMatchObject({
      field: 'columns',
      message: '「姓名」只能对应一列（B、D）',
    });

    // asking for missing places to be created makes the other rows importable
    const third: Job = (
      await manager.put(`/api/v1/imports/${job.id}/mapping`, {
        revision: 2,
        columns: [],
        createMissing: true,
      })
    ).json();
    expect(third.counts).toMatchObject({ new: 3, existing: 1, invalid: 0 });
    expect(third.places).toEqual({ buildings: 1, units: 2, rooms: 2 });

    // commit with the revision reviewed; a second commit at once is refused
    expect((await manager.post(`/api/v1/imports/${job.id}/commit`, { revision: 2 })).statusCode).toBe(409);
    const [first, racing] = await Promise.all([
      manager.post(`/api/v1/imports/${job.id}/commit`, { revision: 3 }),
      manager.post(`/api/v1/imports/${job.id}/commit`, { revision: 3 }),
    ]);
    expect([first.statusCode, racing.statusCode].sort()).toEqual([202, 409]);
    const done = await finished(manager, job.id);
    expect(done.progress).toMatchObject({ created: 3, skipped: 1 });
    expect(
      (await manager.put(`/api/v1/imports/${job.id}/mapping`, { revision: 3, columns: [] })).statusCode,
    ).toBe(409);
    const mapped = await db()
      .selectFrom('audit_log')
      .select('changes')
      .where('entity_id', '=', job.id)
      .where('action', '=', 'import.mapping_changed')
      .execute();
    expect(mapped).toHaveLength(2);
  });

  it('scope: another community is a 404 for upload, job, report and export; roles are checked', async () => {
    const b = t.world.communityB.id;
    const csv = Buffer.from(
      toCsv([
        ['房屋', '姓名', '电话'],
        ['3-2-1502', '赵六', '13600136000'],
      ]),
    );
    const outside = await upload(manager, b, csv, { contentType: 'text/csv' });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ code: 'NOT_FOUND', message: '记录不存在' });
    const jobB = await uploaded(admin, b, csv, { contentType: 'text/csv' });
    for (const res of [
      await manager.get(`/api/v1/imports/${jobB.id}`),
      await manager.get(`/api/v1/imports/${jobB.id}/report.xlsx`),
      await manager.post(`/api/v1/imports/${jobB.id}/commit`, { revision: 1 }),
      await manager.put(`/api/v1/imports/${jobB.id}/mapping`, { revision: 1, columns: [] }),
      await manager.get(`/api/v1/residents/export.xlsx?communityId=${b}`),
    ]) {
      expect(res.statusCode).toBe(404);
    }
    expect((await admin.get(`/api/v1/imports/${jobB.id}`)).json().status).toBe('ready');
    const agent = await t.as('agent-a');
    expect(
      (await agent.get(`/api/v1/residents/export.xlsx?communityId=${t.world.communityA.id}`)).statusCode,
    ).toBe(403);
    expect((await upload(agent, t.world.communityA.id, csv, { contentType: 'text/csv' })).statusCode).toBe(
      403,
    );
  });

  it('refuses what is not a sheet, in the caller’s language, and stores nothing', async () => {
    const a = t.world.communityA.id;
    const jobs = async () =>
      Number((await sql<{ n: number }>`select count(*) as n from import_jobs`.execute(db())).rows[0]!.n);
    const before = await jobs();
    const empty = await upload(manager, a, Buffer.alloc(0), { contentType: 'text/csv' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().details).toEqual([{ field: 'body', message: '文件是空的' }]);
    const xls = await upload(manager, a, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), {
      contentType: 'application/octet-stream',
      language: 'zh-TW',
    });
    expect(xls.statusCode).toBe(400);
    expect(xls.json().details[0].message).toBe('不支援舊版 .xls 檔案，請在 Excel 中另存為 .xlsx 後上傳');
    const json = await manager.request({
      method: 'POST',
      url: `/api/v1/imports?communityId=${a}&fileName=x.json`,
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(400);
    const noHeader = await uploaded(manager, a, Buffer.from('3-2-1502,王建国,13800138000\n'), {
      contentType: 'text/csv',
      language: 'en',
    });
    expect(noHeader.status).toBe('dry_run');
    expect(noHeader.issues[0]!.message).toMatch(/^No header row found/);
    expect(await jobs()).toBe(before + 1);
  });

  it('a commit that stops half-way keeps its batches, resumes from there, and another server may run it', async () => {
    const communityId = await newCommunity('翡翠城', 'FCC');
    const lines = Array.from({ length: 7 }, (_, i) => [`5-1-${101 + i}`, `住户${i}`, `1390000000${i}`]);
    const job = await uploaded(admin, communityId, Buffer.from(toCsv([['房屋', '姓名', '电话'], ...lines])), {
      contentType: 'text/csv',
    });
    // "another server": its own service on the same database, batches of 3, dying after the first
    const other = new ImportsService(
      t.testDb.database.db,
      t.testDb.database.dialect,
      new ImportsRepository(t.testDb.database.db, t.testDb.database.dialect),
      new RegistryRepository(t.testDb.database.db, t.testDb.database.dialect),
      t.clock,
      {
        batchSize: 3,
        afterBatch: () => {
          throw new Error('the server died');
        },
      },
    );
    const ctx: RequestContext = {
      principal: {
        kind: 'user',
        id: 'admin-on-server-2',
        userId: 'admin-on-server-2',
        name: '管理员',
        employeeNo: null,
        roles: ['admin'],
        scope: { all: true },
      },
      requestId: 'r2',
      ip: null,
      locale: 'zh-CN',
    };
    const { done } = await other.commit(ctx, job.id, { revision: 1 });
    await expect(done).rejects.toThrow('the server died');
    const failed = await finished(admin, job.id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: '导入中断，已完成的批次已保存；请再次提交以继续',
      progress: { total: 7, processed: 3, created: 3 },
    });
    expect(await count('residents', communityId)).toBe(3);

    // a server killed mid-commit leaves the job importing: refused while its lease holds, resumable after
    await db()
      .updateTable('import_jobs')
      .set({
        status: 'importing',
        lease_owner: 'killed-server',
        lease_until: new Date(t.clock.now().getTime() + 60_000).toISOString(),
      })
      .where('id', '=', job.id)
      .execute();
    const busy = await admin.post(`/api/v1/imports/${job.id}/commit`, { revision: 1 });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().message).toBe('该导入正在进行中');
    expect((await admin.get(`/api/v1/imports/${job.id}`)).json().stalled).toBe(false);
    t.clock.advance(61_000);
    expect((await admin.get(`/api/v1/imports/${job.id}`)).json()).toMatchObject({
      status: 'importing',
      stalled: true,
    });

    // this server resumes it: the remaining rows, nobody twice
    const resumed = await commit(admin, failed);
    expect(resumed.progress).toEqual({ total: 7, processed: 7, created: 7, skipped: 0, percent: 100 });
    expect(await count('residents', communityId)).toBe(7);
    expect(await count('rooms', communityId)).toBe(7);
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', job.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'import.uploaded',
      'import.commit_started',
      'import.commit_resumed',
      'import.committed',
    ]);
  });

  it('a server shutting down pauses its commit between batches, to be resumed', async () => {
    const communityId = await newCommunity('紫荆苑', 'ZJY');
    const lines = Array.from({ length: 5 }, (_, i) => [`6-1-${101 + i}`, `住户${i}`, `1380000000${i}`]);
    const job = await uploaded(admin, communityId, Buffer.from(toCsv([['房屋', '姓名', '电话'], ...lines])), {
      contentType: 'text/csv',
    });
    const { db: kysely, dialect: name } = t.testDb.database;
    const server: ImportsService = new ImportsService(
      kysely,
      name,
      new ImportsRepository(kysely, name),
      new RegistryRepository(kysely, name),
      t.clock,
      // SIGTERM arrives while the first batch is being written
      { batchSize: 2, afterBatch: () => void server.drain() },
    );
    const { done } = await server.commit(systemContext(), job.id, { revision: 1 });
    await expect(done).rejects.toThrow();
    const paused = await finished(admin, job.id);
    expect(paused).toMatchObject({ status: 'failed', progress: { processed: 2, created: 2 } });
    expect(paused.error).toBe('服务器重启，导入已暂停，已完成的批次已保存；请再次提交以继续');
    expect((await commit(admin, paused)).progress).toMatchObject({ processed: 5, created: 5 });
  });

  it('two uploads of one file committed at the same time import each resident once', async () => {
    const communityId = await newCommunity('御景园', 'YJY');
    const lines = Array.from({ length: 30 }, (_, i) => [
      `8-${1 + (i % 2)}-${301 + i}`,
      `业主${i}`,
      `1370000${String(i).padStart(4, '0')}`,
    ]);
    const file = Buffer.from(toCsv([['房屋', '姓名', '电话'], ...lines]));
    const first = await uploaded(admin, communityId, file, { contentType: 'text/csv' });
    const second = await uploaded(admin, communityId, file, {
      contentType: 'text/csv',
      query: '&createMissing=true',
    });
    expect(second.counts.new).toBe(30);
    const started = await Promise.all([
      admin.post(`/api/v1/imports/${first.id}/commit`, { revision: 1 }),
      admin.post(`/api/v1/imports/${second.id}/commit`, { revision: 1 }),
    ]);
    expect(started.map((r) => r.statusCode)).toEqual([202, 202]);
    const results = [await finished(admin, first.id), await finished(admin, second.id)];
    expect(results.map((r) => r.status)).toEqual(['done', 'done']);
    expect(results[0]!.progress.created + results[1]!.progress.created).toBe(30);
    expect(await count('residents', communityId)).toBe(30);
    expect(await count('buildings', communityId)).toBe(1);
    expect(await count('units', communityId)).toBe(2);
  });

  it('the template has our headers and an example that imports; the export re-imports into a new community', async () => {
    const template = await manager.get('/api/v1/imports/template.xlsx');
    expect(template.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.rawPayload as never);
    expect((book.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual([...TEMPLATE_HEADERS]);
    const fresh = await newCommunity('金色家园', 'JSJY');
    const fromTemplate = await uploaded(admin, fresh, template.rawPayload);
    expect(fromTemplate.counts).toEqual({ rows: 1, new: 1, existing: 0, invalid: 0, empty: 0 });

    // community A's registry, exported by its manager with full phones (audited)
    const a = t.world.communityA.id;
    const exported = await manager.get(`/api/v1/residents/export.xlsx?communityId=${a}`);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-type']).toBe(XLSX_CONTENT_TYPE);
    const sheet = new ExcelJS.Workbook();
    await sheet.xlsx.load(exported.rawPayload as never);
    const rows = sheet.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]!.slice(1)).toEqual([...TEMPLATE_HEADERS]);
    expect(JSON.stringify(rows)).toContain('13800138000');
    const residentsOfA = await count('residents', a);
    expect(rows).toHaveLength(residentsOfA + 1);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'residents.exported')
      .where('community_id', '=', a)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_name: '测试manager-a', entity_type: 'community', entity_id: a });
    expect(JSON.parse(audit.changes!)).toMatchObject({ rows: [null, residentsOfA] });
    expect(audit.changes).toContain('full');

    const copy = await newCommunity('阳光花园二期', 'YGHY2');
    const job = await uploaded(admin, copy, exported.rawPayload);
    expect(job.counts).toMatchObject({ rows: residentsOfA, new: residentsOfA, invalid: 0 });
    await commit(admin, job);
    expect(await registryOf(copy)).toEqual(await registryOf(a));
  });
});
