/**
 * The chart process: vega and vega-lite load and draw in a child process of their own (render.ts
 * says why: limits), so the main thread meanwhile loads the edition, composes the page and
 * serves it to Chromium. It ends when its parent does (the IPC channel closes).
 */
import { drawChart, type ChartSize } from './draw.js';

interface Job {
  n: number;
  spec: Record<string, unknown>;
  size: ChartSize;
}

// (loaded outside the chart process only to make its code cache: scripts/bundle.mjs)
const send = process.send?.bind(process);
let current = 0;
if (send) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (job: Job) => onJob(job, send));
  // a promise vega let go of (a load it started and no one awaited): the chart being drawn failed
  process.on('unhandledRejection', (e: unknown) =>
    send({ n: current, drawn: { ok: false, invalid: false, detail: String((e as Error)?.message ?? e) } }),
  );
}

function onJob(job: Job, send: (m: unknown) => boolean): void {
  current = job.n;
  drawChart(job.spec, job.size).then(
    (drawn) => send({ n: job.n, drawn }),
    (e: unknown) =>
      send({
        n: job.n,
        drawn: { ok: false, invalid: false, detail: String((e as Error)?.message ?? e) },
      }),
  );
}
