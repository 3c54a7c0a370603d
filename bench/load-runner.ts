import { Worker } from 'node:worker_threads';
import type { LoadJob, LoadResult } from './load.js';

/**
 * Runs one load scenario (see load.ts) in a worker thread, so the load client does not share the
 * server's event loop. load.ts is the worker itself: it starts on its workerData at import, which
 * is why this launcher lives in its own module.
 */
export function runLoadInWorker(job: LoadJob): Promise<LoadResult> {
  const api = import.meta.resolve('tsx/esm/api');
  const target = new URL('./load.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { job } });
    worker.once('message', (message: { result?: LoadResult; error?: string }) => {
      void worker.terminate();
      if (message.result) resolve(message.result);
      else reject(new Error(message.error));
    });
    worker.once('error', reject);
  });
}
