/**
 * `npm run bench -- web-size`: how much JS and CSS the browser downloads, gzip-compressed (zlib's
 * default level 6, as a server or CDN typically serves them), from the production build in
 * dist/web (rebuilt first if its sources are newer, by scripts/build-if-needed.mjs).
 *
 * - login page: what index.html loads (its module script, modulepreloads and stylesheets) and
 *   everything those import statically;
 * - agent console, first screen: the login page plus the lazily loaded chunks of the route a desk
 *   agent lands on after signing in (src/web/app/router.tsx: the console's shell and the queue, one
 *   chunk built from src/web/app/console.ts) with everything they import statically;
 * - each other lazily loaded chunk (dynamic import()), with what it imports that is not loaded yet:
 *   the intake form and a ticket's drawer (fetched when idle or on first use), the other pages.
 *
 * Issue 9's target: console first load ≤ 350 KB gzip of JavaScript, for the login page and for the
 * agent console's first screen. Prefetching in idle time (router.tsx) is not counted: it happens
 * after the screen is up.
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
  /** KB of gzip JS allowed (issue 9), for the groups that have a target. */
  targetKB?: number;
  met?: boolean;
}

/** Issue 9: console first load ≤ 350 KB gzip of JavaScript. */
export const FIRST_LOAD_TARGET_KB = 350;

export const LOGIN_PAGE = 'login page';
export const AGENT_CONSOLE = 'agent console, first screen';

/** The lazy chunks of the desk agent's landing route, by the name Vite gave them (the source module's). */
const LANDING_CHUNKS = ['console'];

/** The pages outside the console's frame (router.tsx): the residents' links and the technicians' phone page. */
const OUTSIDE_CONSOLE = ['RatingPage', 'SurveyPage', 'JobsPage'];

/** What each lazily loaded chunk is, by the name Vite gave it (the source module's name). */
const LAZY: Record<string, string> = {
  names: 'pinyin search of categories and names, loaded on first use in 受理',
  TicketCreateDrawer: 'intake form (受理), fetched when idle or on first use',
  TicketDetailDrawer: 'a ticket’s drawer, fetched when idle or on first use',
  ReportsPage: 'reports page (with its charts)',
  'zh-TW': '繁體中文 strings, loaded when chosen',
  zh_TW: 'antd’s 繁體中文 strings, loaded when chosen',
  en: 'English strings, loaded when chosen',
};

const KB = 1024;

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
  const closure = (roots: string[], known: ReadonlySet<string>): string[] => {
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
  const group = (name: string, what: string, files: string[], targetKB?: number): WebGroup => {
    const measured = files.sort().map(size);
    const sum = (ext: string) =>
      measured.filter((f) => f.file.endsWith(ext)).reduce((total, f) => total + f.gzipBytes, 0);
    const jsGzipBytes = sum('.js');
    return {
      name,
      what,
      files: measured,
      jsGzipBytes,
      cssGzipBytes: sum('.css'),
      ...(targetKB === undefined ? {} : { targetKB, met: jsGzipBytes <= targetKB * KB }),
    };
  };
  const chunkName = (file: string) => file.replace(/-[\w-]{8}\.js$/, '');

  const entries = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/assets\/([^"]+)"[^>]*>/g)]
    .filter((m) => /type="module"|rel="modulepreload"|rel="stylesheet"/.test(m[0]))
    .map((m) => m[1]!);
  const initial = closure(entries, new Set());
  const dynamicOf = (files: Iterable<string>) => [
    ...new Set([...files].flatMap((f) => imports(f, 'dynamic'))),
  ];

  const landing = dynamicOf(initial).filter((f) => LANDING_CHUNKS.includes(chunkName(f)));
  if (landing.length !== LANDING_CHUNKS.length)
    throw new Error(
      `the landing route's chunks (${LANDING_CHUNKS.join(', ')}) are not among the login page's lazy chunks: ` +
        'see src/web/app/router.tsx',
    );
  const agent = [...initial, ...closure(landing, new Set(initial))];
  const groups = [
    group(LOGIN_PAGE, 'index.html', initial, FIRST_LOAD_TARGET_KB),
    group(AGENT_CONSOLE, 'login page + the shell and queue chunk', agent, FIRST_LOAD_TARGET_KB),
  ];

  // Every other lazy chunk, with what it adds to what is loaded where it is opened: the pages
  // outside the console's frame after the login page, the others after the console's first screen,
  // and what the pages import lazily in turn after their page.
  const listed = new Set(landing);
  const pending: { loaded: ReadonlySet<string>; only?: (chunk: string) => boolean }[] = [
    { loaded: new Set(initial), only: (chunk) => OUTSIDE_CONSOLE.includes(chunkName(chunk)) },
    { loaded: new Set(agent) },
  ];
  while (pending.length) {
    const { loaded, only } = pending.shift()!;
    for (const chunk of dynamicOf(loaded)) {
      if (listed.has(chunk) || (only && !only(chunk))) continue;
      listed.add(chunk);
      const added = closure([chunk], loaded);
      if (added.length === 0) continue; // e.g. antd's English strings: antd's own default, loaded already
      const base = chunkName(chunk);
      groups.push(group(`+ ${base}`, LAZY[base] ?? 'page, fetched when idle or on first visit', added));
      pending.push({ loaded: new Set([...loaded, ...added]) });
    }
  }
  return groups;
}

export function webRows(groups: WebGroup[]): (string | number)[][] {
  const kb = (n: number) => (n / KB).toFixed(1);
  return [
    ['loaded by', 'files', 'JS KB (gzip)', 'CSS KB (gzip)', 'raw KB', 'target (JS KB)'],
    ...groups.map((g) => [
      `${g.name} — ${g.what}`,
      g.files.length,
      kb(g.jsGzipBytes),
      kb(g.cssGzipBytes),
      kb(g.files.reduce((total, f) => total + f.bytes, 0)),
      g.targetKB === undefined ? '' : `≤ ${g.targetKB} ${g.met ? 'met' : 'missed'}`,
    ]),
  ];
}

/** The figures for docs/benchmarks.md (bench/summary.ts): the two first loads against the target. */
export function webSummary(groups: WebGroup[]) {
  return groups
    .filter((g) => g.targetKB !== undefined)
    .map((g) => ({
      scenario: `web: ${g.name}`,
      dialect: '–',
      metric: 'JS gzip',
      value: Math.round((10 * g.jsGzipBytes) / KB) / 10,
      unit: 'KB',
      target: g.targetKB,
      met: g.met,
    }));
}

/** The production build, rebuilt only when stale. */
export function ensureWebBuild(root: string): string {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs'), '--web-only'], {
    cwd: root,
    stdio: 'inherit',
  });
  return join(root, 'dist', 'web');
}
