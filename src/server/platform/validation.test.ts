import { describe, expect, it } from 'vitest';
import { buildSerializer, validatorCompiler } from './validation.js';

const route = { method: 'GET', url: '/x', httpStatus: '200' };

describe('schema compilers, compiled once per process by the schema text', () => {
  it('reuses a validator for the same schema text, and never for another', () => {
    const schema = () => ({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
    const a = validatorCompiler({ schema: schema(), method: 'POST', url: '/a', httpPart: 'body' });
    const b = validatorCompiler({ schema: schema(), method: 'POST', url: '/b', httpPart: 'body' });
    expect(b).toBe(a);
    // the URL's parts coerce text to numbers, the body does not: not the same validator
    const query = validatorCompiler({ schema: schema(), method: 'GET', url: '/a', httpPart: 'querystring' });
    expect(query).not.toBe(a);
    expect(a({ n: '1' })).toBe(false);
    expect(query({ n: '1' })).toBe(true);
    const other = validatorCompiler({
      schema: { type: 'object', properties: { n: { type: 'string' } }, required: ['n'] },
      method: 'POST',
      url: '/a',
      httpPart: 'body',
    });
    expect(other).not.toBe(a);
    expect(other({ n: '1' })).toBe(true);
  });

  it('reuses a serializer for the same schema and shared schemas, and never for others', () => {
    const schema = () => ({ type: 'object', properties: { id: { type: 'string' } } });
    const first = buildSerializer({}, {})({ ...route, schema: schema() });
    const again = buildSerializer({}, {})({ ...route, schema: schema(), url: '/y', httpStatus: '201' });
    expect(again).toBe(first);
    expect(first({ id: 'a', secret: 'b' })).toBe('{"id":"a"}');

    const wider = buildSerializer(
      {},
      {},
    )({
      ...route,
      schema: { type: 'object', properties: { id: { type: 'string' }, secret: { type: 'string' } } },
    });
    expect(wider).not.toBe(first);
    expect(wider({ id: 'a', secret: 'b' })).toBe('{"id":"a","secret":"b"}');

    // a $ref resolves against the app's shared schemas: other shared schemas, another serializer
    const ref = { type: 'object', properties: { item: { $ref: 'Item#' } } };
    const shared = (props: object) => ({ Item: { $id: 'Item', type: 'object', properties: props } });
    const withName = buildSerializer(shared({ name: { type: 'string' } }), {})({ ...route, schema: ref });
    const withCode = buildSerializer(shared({ code: { type: 'string' } }), {})({ ...route, schema: ref });
    expect(withCode).not.toBe(withName);
    expect(withName({ item: { name: 'n', code: 'c' } })).toBe('{"item":{"name":"n"}}');
    expect(withCode({ item: { name: 'n', code: 'c' } })).toBe('{"item":{"code":"c"}}');
  });
});
