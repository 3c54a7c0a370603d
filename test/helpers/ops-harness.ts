import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ServerProcess } from './server-process.js';

const root = join(import.meta.dirname, '..', '..');

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  json: T;
  bytes: Buffer;
}

/**
 * A logged-in staff member talking to a server in another process over real HTTP: JSON calls,
 * multipart uploads and downloads, with the answer's headers (Retry-After) kept.
 */
export interface HttpSession {
  url: string;
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Answer<T>>;
  upload(ticketId: string, kind: string, fileName: string, data: Buffer, type: string): Promise<Answer>;
}

async function answer<T>(res: Response): Promise<Answer<T>> {
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  const json = (
    type.includes('application/json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : null
  ) as T;
  return { status: res.status, headers: res.headers, json, bytes };
}

export async function httpLogin(url: string, login: string, password: string): Promise<HttpSession> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const headers = { cookie, 'x-csrf-token': csrfToken };
  return {
    url,
    async call<T>(method: string, path: string, body?: unknown) {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return answer<T>(r);
    },
    async upload(ticketId, kind, fileName, data, type) {
      const form = new FormData();
      form.append('kind', kind);
      form.append('file', new Blob([data], { type }), fileName);
      const r = await fetch(`${url}/api/v1/tickets/${ticketId}/attachments`, {
        method: 'POST',
        headers,
        body: form,
      });
      return answer(r);
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the npm CLIs (src/server/cli/<name>.ts) from source, as `npm run <name>` would run it built. */
export function runCli(name: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/server/cli', `${name}.ts`), ...args],
      { cwd: root, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/**
 * Starts the real server entry point like `startServerProcess`, but waits up to `timeoutMs` for it
 * to listen (the backup and fault tests run beside other suites on two cores, where a start can
 * take 20 s) and kills the child if it never does, so that no server outlives its test. Resolves
 * with the exit code instead when the process ends before listening (a refused start).
 */
export async function startServer(env: Record<string, string>, timeoutMs = 120_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/server/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WEB_DIR: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"address":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`server exited with ${code} before listening:\n${output}`), {
          exitCode: code,
          output,
        }),
      );
    });
  });
  return {
    url,
    child,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
