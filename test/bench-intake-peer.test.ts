import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peerIntake, peerSettings } from '../bench/intake.js';

const root = join(import.meta.dirname, '..');
const API_KEY = 'B2C1D7E4F0A9B8C7D6E5F4A3B2C1D0E9';

/**
 * A stand-in for osTicket's ticket API (include/api.tickets.php), answering as it does: the key in
 * `X-API-Key` (401 "API key not authorized" otherwise), a JSON body with at least name, email,
 * subject and message (400 otherwise), 201 with the new ticket's number as plain text.
 */
function fakeOsTicket() {
  const received: Record<string, unknown>[] = [];
  let next = 100_000;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/tickets.json') {
        res.writeHead(404).end('Not found');
        return;
      }
      if (req.headers['x-api-key'] !== API_KEY) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('API key not authorized');
        return;
      }
      let ticket: Record<string, unknown>;
      try {
        ticket = JSON.parse(body) as Record<string, unknown>;
      } catch {
        res.writeHead(400).end('Invalid JSON');
        return;
      }
      for (const field of ['name', 'email', 'subject', 'message']) {
        if (typeof ticket[field] !== 'string' || !(ticket[field] as string).trim()) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end(`Required field missing: ${field}`);
          return;
        }
      }
      received.push(ticket);
      res.writeHead(201, { 'content-type': 'text/plain' }).end(String(next++));
    });
  });
  return { server, received };
}

describe('the optional peer of the intake benchmark (issue 9)', () => {
  let peer: ReturnType<typeof fakeOsTicket>;
  let url: string;
  beforeAll(async () => {
    peer = fakeOsTicket();
    await new Promise<void>((resolve) => peer.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(peer.server.address() as AddressInfo).port}/api/tickets.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => (peer.server as Server).close(resolve));
  });

  it('runs only when both PEER_TICKETS_URL and PEER_API_KEY are set', () => {
    expect(peerSettings({})).toBeNull();
    expect(peerSettings({ PEER_TICKETS_URL: url })).toBeNull();
    expect(peerSettings({ PEER_TICKETS_URL: url, PEER_API_KEY: ' ' })).toBeNull();
    expect(peerSettings({ PEER_TICKETS_URL: ` ${url} `, PEER_API_KEY: API_KEY })).toEqual({
      url,
      apiKey: API_KEY,
    });
  });

  it("creates tickets through osTicket's API with its key and fields, every answer a 201", async () => {
    const before = peer.received.length;
    const result = await peerIntake(
      { url, apiKey: API_KEY },
      { connections: 2, seconds: 1, warmupSeconds: 0 },
    );
    expect(result.problems).toEqual([]);
    expect(result.checked).toBe(true);
    expect(result.load.expected).toBeGreaterThan(0);
    expect(result.load.unexpected).toEqual({});
    expect(peer.received.length - before).toBeGreaterThanOrEqual(result.load.expected);
    expect(peer.received[before]).toMatchObject({
      source: 'API',
      name: expect.any(String),
      email: expect.stringMatching(/@/),
      phone: expect.stringMatching(/^1\d{10}$/),
      subject: expect.any(String),
      message: expect.stringMatching(/[\u4e00-\u9fff]/),
    });
    // the key is a secret: not in what is written to bench/results
    expect(JSON.stringify(result)).not.toContain(API_KEY);
  });

  it('reports a refused key instead of a throughput', async () => {
    const result = await peerIntake(
      { url, apiKey: 'not-the-key' },
      { connections: 1, seconds: 1, warmupSeconds: 0 },
    );
    expect(result.checked).toBe(false);
    expect(result.load.expected).toBe(0);
    expect(result.load.unexpected['401']).toBeGreaterThan(0);
    expect(result.problems.join(' ')).toMatch(/401 API key not authorized/);
  });

  it('npm run bench -- intake loads the peer in the same run and prints the ratio', async () => {
    const results = mkdtempSync(join(tmpdir(), 'estatedesk-bench-peer-'));
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        BENCH_SMOKE: '1',
        BENCH_RESULTS_DIR: results,
        PEER_TICKETS_URL: url,
        PEER_API_KEY: API_KEY,
      };
      delete env.BENCH_DATABASE_URL;
      // async, so that this process keeps answering as the peer meanwhile
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', join(root, 'bench', 'index.ts'), 'intake'],
        { cwd: root, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      );
      expect(stdout).toMatch(/\| peer: POST \/api\/tickets\.json \(osTicket API key\) \|/);
      expect(stdout).toMatch(/EstateDesk \(sqlite\) \/ peer: \d+\.\d\d × the peer's throughput/);
      const intake = JSON.parse(readFileSync(join(results, 'intake.json'), 'utf8'));
      expect(intake.peer.checked).toBe(true);
      expect(intake.peer.load.expected).toBeGreaterThan(0);
      const ratio = intake.summary.find(
        (r: { scenario: string }) => r.scenario === 'intake: EstateDesk / peer',
      );
      expect(ratio).toMatchObject({ dialect: 'sqlite', unit: '×' });
      expect(ratio.value).toBeCloseTo(intake.runs[0].load.rps / intake.peer.load.rps, 6);
      expect(readFileSync(join(results, 'intake.json'), 'utf8')).not.toContain(API_KEY);
    } finally {
      rmSync(results, { recursive: true, force: true });
    }
  }, 150_000);
});
