import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * A small HTTP load loop (autocannon-like, plain Node): `connections` workers send requests
 * with keep-alive until `maxRequests` are done or `maxSeconds` have passed. It runs in a worker
 * thread (see load-runner.ts) so that the client does not steal the server's event loop.
 */
export interface LoadJob {
  name: string;
  baseUrl: string;
  method: 'GET' | 'POST';
  /** Paths used in turn, e.g. a different phone tail per request. */
  paths: string[];
  /** JSON bodies used in turn (POST). */
  bodies?: unknown[];
  headers: Record<string, string>;
  /** Send a fresh Idempotency-Key with every request. */
  idempotencyKey?: boolean;
  expectStatus: number;
  connections: number;
  maxRequests: number;
  maxSeconds: number;
  /** Requests sent before measuring (connections opened, statements prepared, caches warm). */
  warmup: number;
}

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  let errors = 0;
  let firstError: string | null = null;

  const phase = async (count: number, seconds: number, record: number[] | null, offset: number) => {
    const deadline = performance.now() + seconds * 1000;
    let issued = 0;
    const worker = async () => {
      while (issued < count && performance.now() < deadline) {
        const i = offset + issued++;
        const headers: Record<string, string> = { ...job.headers };
        if (job.idempotencyKey) headers['idempotency-key'] = randomUUID();
        const body = job.bodies ? JSON.stringify(job.bodies[i % job.bodies.length]) : undefined;
        if (body) headers['content-type'] = 'application/json';
        const started = performance.now();
        try {
          const res = await fetch(job.baseUrl + job.paths[i % job.paths.length], {
            method: job.method,
            headers,
            body,
          });
          const text = await res.text();
          if (res.status !== job.expectStatus) {
            errors++;
            firstError ??= `${res.status} ${text.slice(0, 200)}`;
          }
        } catch (error) {
          errors++;
          firstError ??= String(error);
        }
        record?.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: job.connections }, worker));
  };

  await phase(job.warmup, 30, null, 0);
  errors = 0;
  firstError = null;
  const latencies: number[] = [];
  const started = performance.now();
  await phase(job.maxRequests, job.maxSeconds, latencies, job.warmup);
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    name: job.name,
    requests: latencies.length,
    errors,
    firstError,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

// started as a worker thread by runLoadInWorker (load-runner.ts)
if (parentPort && (workerData as { job?: LoadJob } | null)?.job) {
  const port = parentPort;
  runLoad((workerData as { job: LoadJob }).job).then(
    (result) => port.postMessage({ result }),
    (error: unknown) => port.postMessage({ error: String(error) }),
  );
}
