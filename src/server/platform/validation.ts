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

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : urlAjv;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
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
