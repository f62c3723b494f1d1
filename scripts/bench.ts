/**
 * npm run bench: in one run, on this machine,
 *   (a) a cold build of the sample edition, end to end, as a user runs it (a new process), and
 *       the same with an empty font cache (the first build of an edition);
 *   (b) the floor: a bare Puppeteer script (a new process) that launches Chromium, opens the
 *       already composed final HTML of the same page and prints it;
 *   (c) a warm rebuild after a one-figure correction (watch mode's path), until its output is in
 *       place (PDF, report and change report are committed together), and until the PDF was made
 *       and checked, before the change report's snapshot and comparison;
 *   (d) peak memory of (a): the node process and all its Chromium processes together;
 *   (e) press output: the CMYK conversion of the sample's finished page (its colours and photos
 *       through Ghostscript, written into the page, the sheet with marks), with nothing in the
 *       press cache and with the photos and colours cached; and its preflight.
 *   (f) handouts: `broadsheet handouts` on the sample with a table of BENCH_HANDOUT_ROWS rows
 *       (default 60), each with its own figures (so every row's charts are drawn again), as a
 *       new process: handouts per minute, the peak memory of node and Chromium together, node's
 *       memory after the first row and the last; then the rerun, which skips every row.
 * Prints medians over BENCH_RUNS runs (default 5) and the ratios a/b and c/b. Runs of (a) and (b)
 * alternate; memory is sampled in separate runs of (a). BENCH_ONLY=press runs (e) alone,
 * BENCH_ONLY=handouts (f) alone.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEdition } from '../src/pipeline.js';
import { CHROME_FLAGS, findBrowser, launchBrowser } from '../src/print/browser.js';
import { isHeadlessShell } from '../src/print/spawn.js';
import { PrintSession } from '../src/print/session.js';
import { prepare, prepareText } from '../src/pipeline.js';
import { ROOT } from '../src/paths.js';
import { subsetBytes } from '../src/fonts/subset.js';
import { pressSettings } from '../src/press/options.js';
import { runPress } from '../src/press/stage.js';
import { silentLogger } from '../src/log.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SAMPLE = path.join(ROOT, 'data', 'yuhu-2025');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Runs a command; returns wall time and, when asked, the peak RSS of it and all its descendants.
 * Sampling /proc every 25 ms costs CPU on a 2-core machine, so timed runs do not sample.
 */
function timed(
  cmd: string,
  args: string[],
  sampleMemory = false,
  env: Record<string, string> = {},
): Promise<{ ms: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    let peak = 0;
    const sample = sampleMemory ? setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 25) : undefined;
    child.on('close', (code) => {
      clearInterval(sample);
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`));
      else resolve({ ms: performance.now() - t0, peakMb: peak / 1024 });
    });
  });
}

/** RSS in kB of a process and its descendants (Linux /proc). */
function treeRss(root: number): number {
  const kids = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      rss.set(Number(p), m ? Number(m[1]) : 0);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(p)]);
    } catch {
      /* gone */
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(kids.get(p) ?? []));
  }
  return total;
}

/** The final page (layout done) as a static folder: page.html plus its fonts, images, styles. */
async function finalPage(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
  const p = await prepare(SAMPLE);
  const l = await launchBrowser();
  const session = new PrintSession(l.browser);
  await session.print(p.page, { w: p.layout.grid.pageW, h: p.layout.grid.pageH });
  const html = await session.content();
  await session.close();
  await l.close();
  for (const [url, a] of p.page.assets) {
    const file = path.join(dir, url);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, a.font ? await subsetBytes(a.font) : (a.body ?? readFileSync(a.file!)));
  }
  // the threaded page, without our script and with relative URLs
  writeFileSync(
    path.join(dir, 'page.html'),
    html
      .replace(/<script[^>]*><\/script>/g, '')
      .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
      .replace(/(href|src)="\//g, '$1="./')
      .replace(/url\(\//g, 'url(./'),
  );
  writeFileSync(
    path.join(dir, 'styles', 'fonts.css'),
    readFileSync(path.join(dir, 'styles', 'fonts.css'), 'utf8').replace(/url\(\/fonts\//g, 'url(../fonts/'),
  );
  const exe = findBrowser().path;
  const launch = {
    executablePath: exe,
    headless: isHeadlessShell(exe) ? 'shell' : true,
    args: [...CHROME_FLAGS, `--user-data-dir=${path.join(dir, 'profile')}`],
  };
  const pdf = {
    path: path.join(dir, 'floor.pdf'),
    width: `${p.layout.grid.pageW}mm`,
    height: `${p.layout.grid.pageH}mm`,
    printBackground: true,
  };
  // (the puppeteer package's public entry, by its file: the script runs outside the project)
  const entry = path.join(ROOT, 'node_modules/puppeteer/lib/esm/puppeteer/puppeteer.js');
  writeFileSync(
    path.join(dir, 'floor.mjs'),
    `import puppeteer from ${JSON.stringify(entry)};
const browser = await puppeteer.launch(${JSON.stringify(launch)});
const page = await browser.newPage();
await page.goto(${JSON.stringify('file://' + path.join(dir, 'page.html'))}, { waitUntil: 'load' });
await page.evaluate(() => document.fonts.ready);
await page.pdf(${JSON.stringify(pdf)});
await browser.close();
`,
  );
  return dir;
}

async function warm(): Promise<{ madeMs: number[]; totalMs: number[] }> {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-warm-')), 'yuhu-2025');
  cpSync(SAMPLE, dir, { recursive: true });
  const out = mkdtempSync(path.join(os.tmpdir(), 'bench-warm-out-'));
  const l = await launchBrowser();
  const session = new PrintSession(l.browser);
  await buildEdition(dir, { outDir: out, session });
  const madeMs: number[] = [];
  const totalMs: number[] = [];
  const file = path.join(dir, 'figures.yaml');
  const base = readFileSync(file, 'utf8');
  for (let i = 0; i < RUNS + 1; i++) {
    writeFileSync(file, base.replace('sanitation_blocks: { value: 26,', `sanitation_blocks: { value: ${27 + i},`));
    const t0 = performance.now();
    const r = await buildEdition(dir, { outDir: out, session });
    if (i === 0) continue; // the first warm build also warms the caches of this process
    totalMs.push(performance.now() - t0);
    madeMs.push(r.report.timingsMs.total!);
  }
  await session.close();
  await l.close();
  return { madeMs, totalMs };
}

/** (e): the press conversion of the finished sample page, in this process, cold and with its cache. */
async function press(): Promise<{ cold: number[]; warm: number[]; preflight: number[] }> {
  const built = await buildEdition(SAMPLE, { outDir: mkdtempSync(path.join(os.tmpdir(), 'bench-press-')) });
  const pdf = readFileSync(built.pdfPath);
  const { ed, layout } = prepareText(SAMPLE);
  const settings = pressSettings(ed, true)!;
  const once = async () => (await runPress(pdf, settings, { ed, layout, chains: [], log: silentLogger })).report.ms;
  const saved = process.env.BROADSHEET_CACHE;
  const r = { cold: [] as number[], warm: [] as number[], preflight: [] as number[] };
  await once(); // the first run in this process also loads and compiles the code
  for (let i = 0; i < RUNS; i++) {
    process.env.BROADSHEET_CACHE = mkdtempSync(path.join(os.tmpdir(), 'bench-press-cache-'));
    r.cold.push((await once()).convert);
    const ms = await once();
    r.warm.push(ms.convert);
    r.preflight.push(ms.preflight);
  }
  if (saved === undefined) delete process.env.BROADSHEET_CACHE;
  else process.env.BROADSHEET_CACHE = saved;
  return r;
}

/** (f): one batch of handouts, one per row, then its rerun. */
async function handouts(): Promise<{
  rows: number;
  ms: number;
  perMinute: number;
  peakMb: number;
  nodeMb: { first: number; max: number; last: number };
  rerunMs: number;
}> {
  const rows = Number(process.env.BENCH_HANDOUT_ROWS ?? 60);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-handouts-'));
  const table = path.join(dir, 'rows.csv');
  const lines = ['township,gdp_2025,compounds,rural_roads'];
  for (let i = 0; i < rows; i++)
    lines.push(`镇${i + 1},${(500 + i * 7.3).toFixed(1)},${10 + (i % 90)},${1 + (i % 40)}`);
  writeFileSync(table, lines.join('\n') + '\n');
  const out = path.join(dir, 'out');
  const args = [path.join(ROOT, 'bin/broadsheet.js'), 'handouts', SAMPLE, '--each', table, '--out', out];
  const run = await timed(process.execPath, args, true);
  const summary = JSON.parse(readFileSync(path.join(out, 'handouts-summary.json'), 'utf8')) as {
    made: number;
    perMinute: number;
    rssMb: { first: number; max: number; last: number };
  };
  if (summary.made !== rows) throw new Error(`handouts: ${summary.made} of ${rows} rows made`);
  const rerun = await timed(process.execPath, args);
  rmSync(dir, { recursive: true, force: true }); // 1,000 rows are 0.7 GB of PDFs
  return {
    rows,
    ms: run.ms,
    perMinute: (rows / run.ms) * 60_000,
    peakMb: run.peakMb,
    nodeMb: summary.rssMb,
    rerunMs: rerun.ms,
  };
}

const handoutLine = (f: Awaited<ReturnType<typeof handouts>>) =>
  `handouts: ${f.rows} rows in ${(f.ms / 1000).toFixed(1)} s as a new process = ${f.perMinute.toFixed(0)}/min; ` +
  `peak memory node + Chromium ${f.peakMb.toFixed(0)} MB; node ${f.nodeMb.first} MB after the first row, ` +
  `${f.nodeMb.max} MB at most, ${f.nodeMb.last} MB after the last; the rerun (every row unchanged) ${(f.rerunMs / 1000).toFixed(1)} s`;

if (process.env.BENCH_ONLY === 'handouts') {
  console.log(handoutLine(await handouts()));
  process.exit(0);
}

if (process.env.BENCH_ONLY === 'press') {
  const e = await press();
  console.log(
    `press conversion, medians of ${RUNS}: nothing cached ${median(e.cold).toFixed(0)} ms ` +
      `(${e.cold.map((x) => x.toFixed(0)).join(', ')}); ` +
      `photos and colours cached ${median(e.warm).toFixed(0)} ms; preflight ${median(e.preflight).toFixed(0)} ms`,
  );
  process.exit(0);
}

const cold: number[] = [];
const coldNew: number[] = [];
const peaks: number[] = [];
const floor: number[] = [];
const floorDir = await finalPage();
const build = (out: string) => [path.join(ROOT, 'bin/broadsheet.js'), 'build', SAMPLE, '--out', out];
for (let i = 0; i < RUNS; i++) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
  cold.push((await timed(process.execPath, build(out))).ms);
  floor.push((await timed(process.execPath, [path.join(floorDir, 'floor.mjs')])).ms);
  // a first build of a new edition: its fonts not cut, its charts not drawn yet (disk-cache.ts)
  const cache = mkdtempSync(path.join(os.tmpdir(), 'bench-font-cache-'));
  coldNew.push((await timed(process.execPath, build(out), false, { BROADSHEET_CACHE: cache })).ms);
}
// memory in separate runs of (a), sampled
for (let i = 0; i < Math.min(RUNS, 3); i++) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
  peaks.push(
    (await timed(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), 'build', SAMPLE, '--out', out], true)).peakMb,
  );
}
const w = await warm();
const e = await press();
const f = await handouts();
const [a, b, c, cMade] = [median(cold), median(floor), median(w.totalMs), median(w.madeMs)];
const rows = [
  ['(a) cold build, end to end', `${a.toFixed(0)} ms`],
  ['    … nothing cached yet (first build of an edition: fonts cut, charts drawn)', `${median(coldNew).toFixed(0)} ms`],
  ['(b) floor: bare Puppeteer print of the final page', `${b.toFixed(0)} ms`],
  ['(c) warm rebuild after a one-figure correction, PDF, report, change report in place', `${c.toFixed(0)} ms`],
  ['    … the PDF made and checked (before the change report)', `${cMade.toFixed(0)} ms`],
  [
    '(d) peak memory of (a), node + Chromium',
    `${median(peaks).toFixed(0)} MB (max ${Math.max(...peaks).toFixed(0)} MB)`,
  ],
  ['(e) press conversion of the page (CMYK, marks), nothing cached', `${median(e.cold).toFixed(0)} ms`],
  ['    … its photos and colours cached', `${median(e.warm).toFixed(0)} ms`],
  ['    … and the preflight of press.pdf', `${median(e.preflight).toFixed(0)} ms`],
  [`(f) handouts of ${f.rows} rows, one process`, `${f.perMinute.toFixed(0)}/min, peak ${f.peakMb.toFixed(0)} MB`],
  ['a/b', (a / b).toFixed(2)],
  ['c/b', (c / b).toFixed(2)],
];
const cpu = os.cpus();
console.log(
  `Broadsheet bench: medians of ${RUNS} runs; ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}, ${findBrowser().path}`,
);
const width = Math.max(...rows.map((r) => r[0]!.length));
for (const [k, v] of rows) console.log(`  ${k!.padEnd(width)}  ${v}`);
mkdirSync(path.join(ROOT, 'out'), { recursive: true });
writeFileSync(
  path.join(ROOT, 'out', 'bench.json'),
  JSON.stringify(
    {
      runs: RUNS,
      cold,
      coldNewFonts: coldNew,
      floor,
      warmMade: w.madeMs,
      warmTotal: w.totalMs,
      peakMb: peaks,
      pressCold: e.cold,
      pressWarm: e.warm,
      pressPreflight: e.preflight,
      handouts: f,
    },
    null,
    2,
  ),
);
