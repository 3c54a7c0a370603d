/**
 * `npx tsx bench/import.ts`: the Excel import (R2) at the size of a large company's registry.
 * Writes a 100,000-row .xlsx (title row, headers in the company's words, ~1% bad rows), then runs
 * the dry run (upload) and the commit through the real ImportsService on a fresh database,
 * onboarding a community without buildings (every building, unit and room is created too).
 *
 * Environment:
 *   BENCH_IMPORT_ROWS   rows in the sheet (default 100000)
 *   BENCH_DATABASE_URL  also run on this PostgreSQL server: a fresh database
 *                       estatedesk_bench_import_<random> is created on it and dropped afterwards
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { buildServices } from '../src/server/app.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { systemContext } from '../src/server/platform/context.js';
import { type DialectName, openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS?.trim() || 100_000);
if (!Number.isInteger(ROWS) || ROWS < 10 || ROWS > 200_000) {
  console.error(
    `BENCH_IMPORT_ROWS must be a whole number from 10 to 200000, got "${process.env.BENCH_IMPORT_ROWS}"`,
  );
  process.exit(2);
}
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL?.trim() || null;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰志红文斌宇浩凯婷雪琳';

/** Towers of 2 units × 17 floors × 2 flats; every third flat also has a family member. */
async function writeSheet(path: string): Promise<{ bad: number }> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = workbook.addWorksheet('业主信息');
  sheet.addRow(['碧水湾小区业主信息登记表']).commit();
  sheet.addRow([]).commit();
  sheet
    .addRow([
      '序号',
      '楼号',
      '单元',
      '房间号',
      '业主姓名',
      '联系电话',
      '身份',
      '性别',
      '建筑面积',
      '房屋状态',
      '入住日期',
      '备注',
    ])
    .commit();
  let flat = 0;
  let bad = 0;
  for (let i = 0; i < ROWS; ) {
    const building = 1 + Math.floor(flat / 68);
    const unit = 1 + (Math.floor(flat / 34) % 2);
    const floor = 2 + Math.floor((flat % 34) / 2);
    const room = `${floor}${String(1 + (flat % 2)).padStart(2, '0')}`;
    const people = flat % 3 === 0 ? 2 : 1;
    for (let p = 0; p < people && i < ROWS; p++, i++) {
      const name =
        SURNAMES[i % SURNAMES.length]! +
        GIVEN[(i * 7) % GIVEN.length]! +
        (i % 5 === 0 ? GIVEN[(i * 3) % GIVEN.length] : '');
      // about one row in a hundred is bad, as in real sheets: a phone with a digit missing
      const broken = i % 97 === 13;
      if (broken) bad++;
      const phone = 13_000_000_000 + i * 7;
      sheet
        .addRow([
          i + 1,
          building,
          unit,
          Number(room),
          name,
          broken ? String(phone).slice(0, 10) : phone,
          p === 0 ? '业主' : '家属',
          i % 2 ? '男' : '女',
          p === 0 ? 60 + (flat % 90) + 0.5 : null,
          '已入住',
          p === 0 ? new Date(Date.UTC(2015 + (flat % 10), flat % 12, 1 + (flat % 28))) : null,
          i % 50 === 0 ? '晚上联系' : null,
        ])
        .commit();
    }
    flat++;
  }
  sheet.commit();
  await workbook.commit();
  return { bad };
}

function seconds(ms: number) {
  return (ms / 1000).toFixed(1);
}

async function run(dialect: DialectName, file: Buffer, expectedBad: number, databaseUrl: string | null) {
  const dir = mkdtempSync(join(tmpdir(), 'estatedesk-bench-import-'));
  const database = openDatabase({ databaseUrl, dataDir: dir });
  try {
    await migrateToLatest(database.db, database.dialect);
    const services = buildServices(
      database,
      loadConfig({ DATA_DIR: dir, WEB_DIR: '/nonexistent' }),
      systemClock,
    );
    const ctx = systemContext();
    const community = await services.registry.createCommunity(ctx, { name: '碧水湾', code: 'BSW' });

    let started = performance.now();
    const job = await services.imports.upload(ctx, {
      communityId: community.id,
      fileName: 'bench.xlsx',
      body: file,
    });
    const dryRun = performance.now() - started;
    if (job.counts.invalid !== expectedBad || job.counts.rows !== ROWS)
      throw new Error(
        `dry run: expected ${ROWS} rows, ${expectedBad} bad; got ${JSON.stringify(job.counts)}`,
      );

    started = performance.now();
    const { done } = await services.imports.commit(ctx, job.id, { revision: job.revision });
    await done;
    const commit = performance.now() - started;
    const after = await services.imports.get(ctx, job.id);
    if (after.status !== 'done' || after.progress.created !== job.counts.new)
      throw new Error(`commit: ${JSON.stringify(after.progress)}`);

    console.log(
      `${dialect.padEnd(8)} dry run (upload, parse, check): ${seconds(dryRun).padStart(5)} s  ${Math.round((ROWS / dryRun) * 1000)} rows/s`,
    );
    console.log(
      `${dialect.padEnd(8)} commit (${after.progress.created} residents, ${after.createdPlaces.buildings} buildings, ` +
        `${after.createdPlaces.units} units, ${after.createdPlaces.rooms} rooms): ${seconds(commit).padStart(5)} s  ` +
        `${Math.round((ROWS / commit) * 1000)} rows/s`,
    );
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const dir = mkdtempSync(join(tmpdir(), 'estatedesk-bench-sheet-'));
try {
  const path = join(dir, 'registry.xlsx');
  let started = performance.now();
  const { bad } = await writeSheet(path);
  const file = readFileSync(path);
  console.log(
    `sheet: ${ROWS} rows (${bad} bad), ${(file.length / 1024 / 1024).toFixed(1)} MB .xlsx, written in ` +
      `${seconds(performance.now() - started)} s; ${cpus().length} cores, Node ${process.version}`,
  );
  started = performance.now();
  await run('sqlite', file, bad, null);
  if (PG_ADMIN_URL) {
    const name = `estatedesk_bench_import_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${name}`;
      await run('postgres', file, bad, url.toString());
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
