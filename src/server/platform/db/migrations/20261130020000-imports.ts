import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * Excel import jobs (R2). The uploaded file and its parsed rows live in the database, not on a
 * server's disk, so any server can run the dry run, the commit, or resume a commit another one
 * started.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);
  // Binary columns differ by dialect: PostgreSQL has bytea, SQLite has blob. Both read back as a
  // Node Buffer (pg and better-sqlite3), so the queries are the same.
  const binary = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text')
    .addColumn('file_size', 'integer', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('header_row', 'integer')
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('create_missing', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_buildings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_units', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_rooms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    // the server running the commit, and until when its claim holds without a sign of life
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ts)
    .addColumn('created_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('started_at', ts)
    .addColumn('finished_at', ts)
    .execute();
  // The large parts of a job live beside it: the commit updates the job's progress after every
  // batch, and rewriting megabytes of file with each of those small updates would cost more than
  // the batch itself.
  await db.schema
    .createTable('import_files')
    .addColumn('job_id', 'text', (c) => c.primaryKey().references('import_jobs.id'))
    // the file as uploaded, kept for the record
    .addColumn('file_data', binary, (c) => c.notNull())
    // its rows as parsed once (gzip'd JSON): what every dry run, the report and the commit read
    .addColumn('sheet_data', binary, (c) => c.notNull())
    // every issue of the latest dry run (JSON), for the report workbook
    .addColumn('issues', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('import_jobs_community_idx')
    .on('import_jobs')
    .columns(['community_id', 'id'])
    .execute();
  await db.schema
    .createIndex('import_jobs_file_idx')
    .on('import_jobs')
    .columns(['community_id', 'file_sha256'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_files').execute();
  await db.schema.dropTable('import_jobs').execute();
}
