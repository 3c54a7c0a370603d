import type { FastifyInstance } from 'fastify';
import { errors } from './errors.js';

/**
 * PostgreSQL cannot store a NUL character in text (SQLite can), so a NUL anywhere in a body, a
 * query or a path would otherwise fail deep in the database as a 500 on one dialect only. No
 * field of ours has a use for it: it is refused up front on both, with a translated error naming
 * the (top-level) field, before validation and before anything is written. Walked without
 * recursion, so deeply nested JSON cannot exhaust the stack.
 */
export function findNul(value: unknown): { found: boolean; field: string | null } {
  const stack: { value: unknown; field: string | null }[] = [{ value, field: null }];
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (item.value.includes('\u0000')) return { found: true, field: item.field };
    } else if (item.value && typeof item.value === 'object') {
      for (const [key, child] of Object.entries(item.value)) {
        const field = item.field ?? key;
        if (key.includes('\u0000')) return { found: true, field };
        stack.push({ value: child, field });
      }
    }
  }
  return { found: false, field: null };
}

export function registerTextGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    for (const [part, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const hit = findNul(value);
      if (hit.found) throw errors.field(hit.field ?? part, 'validation.nulCharacter');
    }
  });
}
