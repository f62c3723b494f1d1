/**
 * The chart worker: vega and vega-lite load and draw on their own thread, so the main thread
 * meanwhile loads the edition, composes the page and serves it to Chromium.
 */
import { parentPort } from 'node:worker_threads';
import { drawChart, type ChartSize } from './draw.js';

interface Job {
  n: number;
  spec: Record<string, unknown>;
  size: ChartSize;
}

// (loaded outside a worker only to make its code cache: scripts/bundle.mjs)
const port = parentPort;
port?.on('message', (job: Job) => {
  drawChart(job.spec, job.size).then(
    (drawn) => port.postMessage({ n: job.n, drawn }),
    (e: unknown) =>
      port.postMessage({
        n: job.n,
        drawn: { ok: false, invalid: false, detail: String((e as Error)?.message ?? e) },
      }),
  );
});
