import type { Kysely } from 'kysely';
import type { RequestContext } from './context.js';
import type { DB } from './db/schema.js';
import { newId } from './ids.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  communityId?: string | null;
  /** Field → [before, after]; use changesOf() to build it. */
  changes?: Record<string, [unknown, unknown]> | null;
}

/** Actors that are nobody in particular: the system itself, or someone not logged in. */
const ANONYMOUS_OR_SYSTEM = new Set(['system', 'anonymous']);

const SECRET_FIELDS = new Set([
  'password',
  'password_hash',
  'passwordHash',
  'token',
  'token_hash',
  'csrf_token',
]);

/** The fields that differ between two versions of a record, secrets replaced by a marker. */
export function changesOf(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const a = before?.[key] ?? null;
    const b = after?.[key] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out[key] = SECRET_FIELDS.has(key) ? ['***', '***'] : [a, b];
  }
  return out;
}

/**
 * Appends one audit record. Call it with the same transaction as the change it describes,
 * so there is never a change without its record. The table refuses updates and deletes.
 */
export async function writeAudit(executor: Kysely<DB>, ctx: RequestContext, entry: AuditEntry, at: Date) {
  await executor
    .insertInto('audit_log')
    .values({
      id: newId(at),
      at: at.toISOString(),
      actor_type: ANONYMOUS_OR_SYSTEM.has(ctx.principal.id) ? ctx.principal.id : ctx.principal.kind,
      actor_id: ANONYMOUS_OR_SYSTEM.has(ctx.principal.id) ? null : ctx.principal.id,
      actor_name: ctx.principal.name,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      community_id: entry.communityId ?? null,
      changes: entry.changes ? JSON.stringify(entry.changes) : null,
      request_id: ctx.requestId,
      ip: ctx.ip,
    })
    .execute();
}
