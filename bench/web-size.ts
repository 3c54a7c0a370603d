/**
 * `npm run bench -- web-size`: how much JS and CSS the browser downloads, gzip-compressed (zlib's
 * default level 6, as a server or CDN typically serves them), from the production build in
 * dist/web (rebuilt first if its sources are newer, by scripts/build-if-needed.mjs).
 *
 * - login page: what index.html loads (its module script, modulepreloads and stylesheets) and
 *   everything those import statically: the login page and the agent console are both in it;
 * - each lazily loaded chunk (dynamic import()) with what it imports that is not loaded yet:
 *   what the agent console adds on first use, and the other pages loaded on demand.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface WebFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface WebGroup {
  name: string;
  what: string;
  files: WebFile[];
  jsGzipBytes: number;
  cssGzipBytes: number;
}

/** What each lazily loaded chunk is, by the name Vite gave it (the source module's name). */
const LAZY: Record<string, string> = {
  names: 'agent console: pinyin search of categories and names, loaded on first use in 受理',
  ReportsPage: 'reports page (with its charts)',
};

export function measureWeb(webDir: string): WebGroup[] {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const assets = new Set(readdirSync(join(webDir, 'assets')));
  const sizes = new Map<string, WebFile>();
  const size = (file: string): WebFile => {
    let found = sizes.get(file);
    if (!found) {
      const content = readFileSync(join(webDir, 'assets', file));
      found = { file, bytes: content.length, gzipBytes: gzipSync(content).length };
      sizes.set(file, found);
    }
    return found;
  };
  const imports = (file: string, kind: 'static' | 'dynamic'): string[] => {
    if (!file.endsWith('.js')) return [];
    const code = readFileSync(join(webDir, 'assets', file), 'utf8');
    const pattern =
      kind === 'static'
        ? /(?:from|import)\s*["'`]\.\/([^"'`]+)["'`]/g
        : /import\(\s*["'`]\.\/([^"'`]+)["'`]\s*\)/g;
    return [...code.matchAll(pattern)].map((m) => m[1]!).filter((f) => assets.has(f));
  };
  const closure = (roots: string[], known: Set<string>): string[] => {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length) {
      const file = stack.pop()!;
      if (seen.has(file) || known.has(file)) continue;
      seen.add(file);
      stack.push(...imports(file, 'static'));
    }
    return [...seen];
  };
  const group = (name: string, what: string, files: string[]): WebGroup => {
    const measured = files.sort().map(size);
    const sum = (ext: string) =>
      measured.filter((f) => f.file.endsWith(ext)).reduce((total, f) => total + f.gzipBytes, 0);
    return { name, what, files: measured, jsGzipBytes: sum('.js'), cssGzipBytes: sum('.css') };
  };

  const entries = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/assets\/([^"]+)"[^>]*>/g)]
    .filter((m) => /type="module"|rel="modulepreload"|rel="stylesheet"/.test(m[0]))
    .map((m) => m[1]!);
  const initial = closure(entries, new Set());
  const loaded = new Set(initial);
  const groups = [group('login page', 'index.html: login page and agent console', initial)];
  const lazy = [...new Set(initial.flatMap((f) => imports(f, 'dynamic')))];
  for (const chunk of lazy) {
    const added = closure([chunk], loaded);
    const base = chunk.replace(/-[\w-]{8}\.js$/, '');
    groups.push(group(`+ ${base}`, LAZY[base] ?? 'loaded on demand', added));
  }
  return groups;
}

export function webRows(groups: WebGroup[]): (string | number)[][] {
  const kb = (n: number) => (n / 1024).toFixed(1);
  return [
    ['loaded by', 'files', 'JS KB (gzip)', 'CSS KB (gzip)', 'raw KB'],
    ...groups.map((g) => [
      `${g.name} — ${g.what}`,
      g.files.length,
      kb(g.jsGzipBytes),
      kb(g.cssGzipBytes),
      kb(g.files.reduce((total, f) => total + f.bytes, 0)),
    ]),
  ];
}

/** The production build, rebuilt only when stale. */
export function ensureWebBuild(root: string): string {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs'), '--web-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  return join(root, 'dist', 'web');
}
