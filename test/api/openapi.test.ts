import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderApiFiles } from '../../scripts/openapi.js';

const root = join(import.meta.dirname, '..', '..');

describe('OpenAPI', () => {
  it('docs/openapi.json and the console client types match the server (run `npm run gen:api` if not)', async () => {
    const files = await renderApiFiles();
    for (const [path, text] of Object.entries(files)) {
      expect(readFileSync(join(root, path), 'utf8'), path).toBe(text);
    }
  });

  it('describes every API route with a request and response schema', async () => {
    const files = await renderApiFiles();
    const doc = JSON.parse(files['docs/openapi.json']!) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(25);
    for (const { path, method, op } of operations) {
      expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
      // actions that take no input: logging out, revealing a phone (audited), retrying a message,
      // marking alerts read
      const noInput = ['/logout', '/reveal-phone', '/retry', '/read'].some((end) => path.endsWith(end));
      if (['post', 'put', 'patch'].includes(method) && !noInput) {
        expect(op.requestBody, `${method} ${path}`).toBeTruthy();
      }
    }
  });
});
