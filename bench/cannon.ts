/**
 * HTTP load with autocannon, run in a worker thread so that the client does not share the event
 * loop of the server it measures (the server runs in the bench's main thread, as in bench/run.ts).
 * The ceiling (bench/ceiling.ts) and the app scenarios (bench/intake.ts) both go through
 * runCannon() with the same settings, so their ratio compares like with like.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

export interface CannonJob {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** JSON bodies sent in turn (already serialized). */
  bodies?: string[];
  /** A fresh Idempotency-Key header with every request. */
  idempotencyKey?: boolean;
  /** Every response must have this status; any other is counted in `unexpected`. */
  expectStatus: number;
  connections: number;
  seconds: number;
  /** Warm-up before measuring (connections opened, statements prepared, JIT warm). */
  warmupSeconds: number;
}

export interface CannonResult {
  name: string;
  connections: number;
  seconds: number;
  /** Responses received in the measured phase, and those with the expected status. */
  responses: number;
  expected: number;
  /** Responses with another status, by status; socket errors and timeouts. */
  unexpected: Record<string, number>;
  firstUnexpected: string | null;
  errors: number;
  timeouts: number;
  /** Expected responses received during the warm-up (they wrote rows too, for a POST). */
  warmupExpected: number;
  rps: number;
  /** Latency percentiles in ms (autocannon's histogram: 1 ms resolution). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

async function cannon(job: CannonJob): Promise<CannonResult> {
  let firstUnexpected: string | null = null;
  let index = 0;
  const request: autocannon.Request = {
    method: job.method,
    onResponse: (status, body) => {
      if (status !== job.expectStatus && !firstUnexpected)
        firstUnexpected = `${status} ${String(body).slice(0, 200)}`;
    },
  };
  if (job.bodies || job.idempotencyKey) {
    const bodies = job.bodies;
    request.setupRequest = (req) => {
      const headers: Record<string, string> = { ...job.headers };
      if (bodies) headers['content-type'] = 'application/json';
      if (job.idempotencyKey) headers['idempotency-key'] = randomUUID();
      return { ...req, headers, ...(bodies ? { body: bodies[index++ % bodies.length] } : {}) };
    };
  }
  const options: autocannon.Options = {
    url: job.url,
    method: job.method,
    headers: job.headers ?? {},
    connections: job.connections,
    pipelining: 1,
    duration: job.seconds,
    timeout: 30,
    requests: [request],
    ...(job.warmupSeconds > 0
      ? { warmup: { connections: job.connections, duration: job.warmupSeconds } }
      : {}),
  };
  // in a worker thread autocannon hands back its raw histograms (it takes the thread for one of
  // its own workers): aggregate them as it does on the main thread
  const aggregate = (raw: unknown) =>
    (
      autocannon as unknown as { aggregateResult(r: unknown[], o: unknown): autocannon.Result }
    ).aggregateResult([raw], options);
  const raw = (await autocannon(options)) as unknown as { warmup?: unknown };
  const result = aggregate(raw);
  const stats = result.statusCodeStats as Record<string, { count: number }>;
  const unexpected: Record<string, number> = {};
  let responses = 0;
  for (const [status, { count }] of Object.entries(stats ?? {})) {
    responses += count;
    if (Number(status) !== job.expectStatus) unexpected[status] = count;
  }
  const warmupStats = (raw.warmup ? aggregate(raw.warmup).statusCodeStats : {}) as Record<
    string,
    { count: number }
  >;
  const expected = stats?.[job.expectStatus]?.count ?? 0;
  return {
    name: job.name,
    connections: job.connections,
    seconds: result.duration,
    responses,
    expected,
    unexpected,
    firstUnexpected,
    errors: result.errors,
    timeouts: result.timeouts,
    warmupExpected: warmupStats[job.expectStatus]?.count ?? 0,
    rps: expected / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

/** Runs one job in a worker thread (this module, started on its workerData). */
export function runCannon(job: CannonJob): Promise<CannonResult> {
  const api = import.meta.resolve('tsx/esm/api');
  const target = import.meta.url;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { cannonJob: job } });
    worker.once('message', (message: { result?: CannonResult; error?: string }) => {
      void worker.terminate();
      if (message.result) resolve(message.result);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
  });
}

if (parentPort && (workerData as { cannonJob?: CannonJob } | null)?.cannonJob) {
  const port = parentPort;
  cannon((workerData as { cannonJob: CannonJob }).cannonJob).then(
    (result) => port.postMessage({ result }),
    (error: unknown) => port.postMessage({ error: String(error) }),
  );
}
