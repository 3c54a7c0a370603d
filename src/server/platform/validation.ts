import { createHash } from 'node:crypto';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { Ajv, type ErrorObject } from 'ajv';
import * as formatsModule from 'ajv-formats';

type FormatsPlugin = (ajv: Ajv) => Ajv;
// ajv-formats is CommonJS: under ESM its function arrives as the default export, once or twice wrapped
const formats = formatsModule as unknown as { default: FormatsPlugin | { default: FormatsPlugin } };
const addFormats: FormatsPlugin =
  typeof formats.default === 'function' ? formats.default : formats.default.default;

import type { FastifySchemaCompiler } from 'fastify';
import type { FieldError } from './errors.js';

function makeAjv(coerceTypes: boolean) {
  const ajv = new Ajv({
    // Unknown fields are refused, never silently dropped, and a string is never taken for a number.
    removeAdditional: false,
    coerceTypes,
    useDefaults: true,
    allErrors: true,
    strict: false,
  });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: 'notBlank',
    type: 'string',
    schemaType: 'boolean',
    validate: (enabled: boolean, data: string) => !enabled || data.trim().length > 0,
  });
  return ajv;
}

const bodyAjv = makeAjv(false);
// query strings and path parameters arrive as text: "limit=20" must read as 20
const urlAjv = makeAjv(true);

/**
 * Compiled schemas, once per process, by the schema's text: the ~170 routes share most of their
 * schemas (every route answers errors with the same bodies), and each app built in one process
 * (the tests build hundreds) would otherwise compile them all again. Ajv's own cache goes by
 * object identity, which a route built anew never has.
 */
function compiledOnce<T>(cache: Map<string, T>, parts: string[], compile: () => T): T {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  const key = hash.digest('base64');
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compile();
    cache.set(key, compiled);
  }
  return compiled;
}

type Validator = ReturnType<FastifySchemaCompiler<object>>;
const validators = new Map<string, Validator>();

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const part = httpPart === 'body' ? 'body' : 'url';
  const ajv = part === 'body' ? bodyAjv : urlAjv;
  return compiledOnce(validators, [part, JSON.stringify(schema)], () => ajv.compile(schema) as Validator);
};

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;
const serializers = new Map<string, Serializer>();
const fastJsonStringify = SerializerSelector();

/**
 * Fastify's own response serializers (fast-json-stringify), compiled once per process by the
 * schema's text and the shared schemas it may refer to ($ref), like the validators above.
 */
export const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = fastJsonStringify(externalSchemas, options);
  const context = createHash('sha256')
    .update(JSON.stringify([externalSchemas ?? null, options ?? null]))
    .digest('base64');
  return (route) =>
    compiledOnce(serializers, [context, JSON.stringify(route.schema ?? null)], () => compile(route));
};

/** Turns Ajv's errors into one error per field, in terms the error handler can translate. */
export function fieldErrorsFromAjv(errors: ErrorObject[], part: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const path = e.instancePath.split('/').filter(Boolean);
    let field = path[0] ?? part;
    let fe: FieldError;
    switch (e.keyword) {
      case 'required':
        field = path[0] ?? String(e.params.missingProperty);
        fe = { field, key: 'validation.required' };
        break;
      case 'additionalProperties':
        field = path[0] ?? String(e.params.additionalProperty);
        fe = { field, key: 'validation.unknownField' };
        break;
      case 'maxLength':
        fe = { field, key: 'validation.maxLength', params: { limit: Number(e.params.limit) } };
        break;
      case 'minLength':
        fe = {
          field,
          key: Number(e.params.limit) === 1 ? 'validation.blank' : 'validation.minLength',
          params: { limit: Number(e.params.limit) },
        };
        break;
      case 'notBlank':
        fe = { field, key: 'validation.blank' };
        break;
      case 'type':
        fe = { field, key: 'validation.type' };
        break;
      case 'enum':
      case 'const':
        fe = { field, key: 'validation.enum' };
        break;
      case 'pattern':
      case 'format':
        fe = { field, key: 'validation.pattern' };
        break;
      case 'minimum':
        fe = { field, key: 'validation.minimum', params: { limit: Number(e.params.limit) } };
        break;
      case 'maximum':
        fe = { field, key: 'validation.maximum', params: { limit: Number(e.params.limit) } };
        break;
      case 'maxItems':
        fe = { field, key: 'validation.maxItems', params: { limit: Number(e.params.limit) } };
        break;
      default:
        fe = { field, key: 'validation.invalid' };
    }
    // anyOf/union branches repeat themselves; one message per field is what a person needs
    if (seen.has(fe.field) || e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      if (!seen.has(fe.field) && (e.keyword === 'anyOf' || e.keyword === 'oneOf')) {
        seen.add(fe.field);
        out.push({ field: fe.field, key: 'validation.invalid' });
      }
      continue;
    }
    seen.add(fe.field);
    out.push(fe);
  }
  return out;
}
