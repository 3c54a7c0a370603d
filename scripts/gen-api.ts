// Writes the server's OpenAPI document and the console's typed client types derived from it:
//   docs/openapi.json and src/web/api/schema.d.ts. A test fails when either is out of date.
import { writeFileSync } from 'node:fs';
import { renderApiFiles } from './openapi.js';

const files = await renderApiFiles();
for (const [path, text] of Object.entries(files)) writeFileSync(new URL(`../${path}`, import.meta.url), text);
console.log(`written: ${Object.keys(files).join(', ')}`);
