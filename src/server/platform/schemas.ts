import { type TSchema, Type } from '@sinclair/typebox';
import { errors } from './errors.js';

/** Shared building blocks of route schemas. */

/** A required text field: trimmed of nothing, but never empty or only spaces. */
export const Text = (maxLength: number, extra: object = {}) =>
  Type.String({ minLength: 1, maxLength, notBlank: true, ...extra });

export const OptionalText = (maxLength: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));

/** A closed set of string codes, typed as their union and shown as an enum in OpenAPI. */
export const StringEnum = <const T extends readonly string[]>(values: T, options: object = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code, e.g. VALIDATION_FAILED' }),
    message: Type.String({ description: "Human message in the caller's language" }),
    details: Nullable(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody' },
);

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

/** The error answers every authenticated route may give. */
export const errorResponses = {
  400: Type.Ref('ErrorBody'),
  401: Type.Ref('ErrorBody'),
  403: Type.Ref('ErrorBody'),
  404: Type.Ref('ErrorBody'),
  409: Type.Ref('ErrorBody'),
};

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  // only what encodeCursor made: garbage would decode to bytes (NUL…) PostgreSQL refuses with a 500
  if (encodeCursor(id) !== cursor || id.includes('\u0000'))
    throw errors.field('cursor', 'validation.pattern');
  return id;
}

/** Takes one row more than the page to know whether another page follows. */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
