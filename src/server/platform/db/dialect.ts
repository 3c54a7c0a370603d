import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { DialectName } from './database.js';
import type { DB } from './schema.js';

/** The few places where SQLite and PostgreSQL need different SQL live here. */
export function timestampType(dialect: DialectName) {
  return dialect === 'postgres' ? 'timestamptz' : 'text';
}

/** Case-insensitive substring match (ASCII in SQLite's LIKE, full Unicode in PostgreSQL's ILIKE). */
export function containsInsensitive(
  dialect: DialectName,
  column: Expression<string | null>,
  needle: string,
): RawBuilder<SqlBool> {
  const pattern = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return dialect === 'postgres'
    ? sql<SqlBool>`${column} ilike ${pattern} escape '\\'`
    : sql<SqlBool>`${column} like ${pattern} escape '\\'`;
}

/**
 * Serialises transactions that check-then-write an invariant spanning rows (e.g. "one admin
 * remains"). PostgreSQL: a transaction-scoped advisory lock on the name. SQLite: writers are
 * already serialised by the database lock, so nothing is needed.
 */
export async function serialize(trx: Kysely<DB>, dialect: DialectName, name: string): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}

/**
 * Text compared byte by byte, the order prefix search needs: SQLite's default; in PostgreSQL the
 * "C" collation, which the search indexes are built in (migration full-registry).
 */
export function bytewise(dialect: DialectName, column: Expression<string | null>): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`${column} collate "C"` : sql<string>`${column}`;
}

/** `column` starts with `prefix`: a byte range, which both databases answer from an index. */
export function startsWith(
  dialect: DialectName,
  column: Expression<string | null>,
  prefix: string,
): RawBuilder<SqlBool> {
  const text = bytewise(dialect, column);
  return sql<SqlBool>`(${text} >= ${prefix} and ${text} < ${`${prefix}\u{10FFFF}`})`;
}

/** `column` equals `value`, in the same collation as the search indexes. */
export function sameText(
  dialect: DialectName,
  column: Expression<string | null>,
  value: string,
): RawBuilder<SqlBool> {
  return sql<SqlBool>`${bytewise(dialect, column)} = ${value}`;
}

/** Is this error a unique-constraint violation? */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Is this error a foreign-key violation? */
export function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
