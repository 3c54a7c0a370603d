import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection to a PostgreSQL server for the PostgreSQL suite, or null when it is skipped. */
    pgAdminUrl: string | null;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

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
    project.provide('pgAdminUrl', url);
    console.log(`PostgreSQL suite: enabled (${url.replace(/:[^:@/]*@/, ':***@')})`);
  } catch (error) {
    if (required)
      throw new Error(`PostgreSQL suite is required here but ${url} is unreachable: ${String(error)}`);
    project.provide('pgAdminUrl', null);
    console.log(
      `\n*** PostgreSQL suite SKIPPED: no server at ${url} (${String(error)}).\n*** Only the SQLite suite ran. Set ESTATEDESK_TEST_PG_URL to run it.\n`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
