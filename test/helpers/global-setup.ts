import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/server/platform/db/database.js';
import { migrateToLatest } from '../../src/server/platform/db/migrate.js';
import { adminQuery } from './pg-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection to a PostgreSQL server for the PostgreSQL suite, or null when it is skipped. */
    pgAdminUrl: string | null;
    /** A migrated database the tests' PostgreSQL databases are copied from, or null. */
    pgTemplate: string | null;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Made once per run and dropped at its end: every project runs this setup, one after another, in
 * the main process (not always with the same module instance), so the name is kept in its env.
 */
const TEMPLATE_ENV = 'ESTATEDESK_TEST_PG_TEMPLATE';

/**
 * A fresh database, migrated, to copy (CREATE DATABASE … TEMPLATE): a copy takes ~0.1 s where
 * creating and migrating takes ~1 s, and the suite makes over a hundred PostgreSQL databases.
 */
async function createTemplate(url: string): Promise<string> {
  const name = `estatedesk_template_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(url, `create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  // no connection may stay open to a template while it is copied
  const database = openDatabase({ databaseUrl: target.toString(), dataDir: '/nonexistent', poolSize: 1 });
  try {
    await migrateToLatest(database.db, database.dialect);
  } finally {
    await database.close();
  }
  return name;
}

/**
 * Decides once whether the PostgreSQL suite runs. In CI (CI=true) or with
 * ESTATEDESK_TEST_PG=required it must: an unreachable server fails the run instead of skipping.
 */
export default async function setup(project: TestProject) {
  const url = process.env.ESTATEDESK_TEST_PG_URL || DEFAULT_URL;
  const required = process.env.CI === 'true' || process.env.ESTATEDESK_TEST_PG === 'required';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    if (required)
      throw new Error(`PostgreSQL suite is required here but ${url} is unreachable: ${String(error)}`);
    project.provide('pgAdminUrl', null);
    project.provide('pgTemplate', null);
    console.log(
      `\n*** PostgreSQL suite SKIPPED: no server at ${url} (${String(error)}).\n*** Only the SQLite suite ran. Set ESTATEDESK_TEST_PG_URL to run it.\n`,
    );
    return;
  } finally {
    await client.end().catch(() => {});
  }
  project.provide('pgAdminUrl', url);
  const made = process.env[TEMPLATE_ENV];
  if (made) {
    project.provide('pgTemplate', made);
    return;
  }
  const name = await createTemplate(url);
  process.env[TEMPLATE_ENV] = name;
  project.provide('pgTemplate', name);
  console.log(`PostgreSQL suite: enabled (${url.replace(/:[^:@/]*@/, ':***@')}), template ${name}`);
  return async () => {
    delete process.env[TEMPLATE_ENV];
    await adminQuery(url, `drop database if exists ${name} with (force)`);
  };
}
