#!/usr/bin/env node
// Builds the server (tsc) and the console (vite) when their sources are newer than the build,
// so that `npm start` works straight after `npm install` and stays fast afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const force = args.has('--force');
const root = new URL('..', import.meta.url).pathname;

function newest(paths) {
  let latest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules') walk(join(p, entry));
    } else if (!/\.test\.tsx?$/.test(p)) latest = Math.max(latest, s.mtimeMs);
  };
  for (const p of paths) walk(join(root, p));
  return latest;
}

function stale(output, sources) {
  const out = join(root, output);
  return force || !existsSync(out) || statSync(out).mtimeMs < newest(sources);
}

function run(cmd, cmdArgs, what) {
  console.log(`building ${what}…`);
  execFileSync(join(root, 'node_modules', '.bin', cmd), cmdArgs, { cwd: root, stdio: 'inherit' });
}

if (
  !args.has('--web-only') &&
  stale('dist/server/main.js', ['src/server', 'src/domain', 'tsconfig.server.json', 'tsconfig.base.json'])
) {
  run('tsc', ['-p', 'tsconfig.server.json'], 'the server');
}
if (!args.has('--server-only') && stale('dist/web/index.html', ['src/web', 'src/domain', 'vite.config.ts'])) {
  run('vite', ['build', '--config', 'vite.config.ts', '--logLevel', 'warn'], 'the console');
}
