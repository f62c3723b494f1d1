/**
 * The pipeline, stage by stage:
 *
 *   load ──▶ bind ──▶ lay out (grid) ──▶ charts ──▶ compose ──▶ print ──▶ check ──▶ write
 *   files    figures   frames in mm      SVG         HTML +      Chromium   report   PDF +
 *   parsed,  into text,                  (Node,      the files   (layout    warnings report.json
 *   schema-  tables,                     vega)       it may      in page),  errors   (atomic)
 *   checked  captions                                load        pdf-lib
 *
 * Every stage but print and write is pure: it takes values and returns values.
 *
 * In a build (run() below) the stages overlap where two cores allow: Chromium starts before
 * the command line has loaded (bin/broadsheet.js, print/spawn.ts); the page is composed
 * without its charts, its fonts are cut (fonts/subset.ts), and it loads in Chromium while the
 * charts come from the cache or a worker thread draws them (charts/render.ts); then the charts
 * go in, the page is laid out and printed. Fonts cut and charts drawn are kept on disk for the
 * next build (disk-cache.ts).
 */
import path from 'node:path';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadEdition, type Edition } from './load/edition.js';
import { bind, type Bound } from './bind/figures.js';
import { checkConsistency, type Consistency } from './bind/consistency.js';
import { layoutPage, type PageLayout } from './layout/frames.js';
import { chartArea, compose, type ComposedPage } from './compose/compose.js';
import { renderChart, type RenderedChart } from './charts/render.js';
import { launchBrowser, type Launched } from './print/browser.js';
import { PrintSession } from './print/render.js';
import { finishPdf } from './print/postprocess.js';
import { chartReport, checkPage, figureReport, type Report } from './check/report.js';
import { writeAtomic } from './output/write.js';
import { compareSnapshots, decodePng, diffPages, snapshotOf, type Raster, type Snapshot } from './check/changes.js';
import { InputErrors, msg, type InputError } from './messages.js';
import { silentLogger, type Logger } from './log.js';
import { ROOT } from './paths.js';
import { subsetBytes } from './fonts/subset.js';
import { pressSettings } from './press/options.js';
import { runPress, writePress } from './press/stage.js';

export interface BuildOptions {
  outDir?: string;
  allowOverset?: boolean;
  log?: Logger;
  /** compare with the previous build and report what changed (default: true) */
  changes?: boolean;
  /** also write proof.png: the page with grid, frame outlines and overset markers */
  proof?: boolean;
  /** a browser kept warm by the caller (tests); otherwise one is launched and closed */
  browser?: Launched;
  /** a warm print session (watch mode): the page stays loaded and only changes are replaced */
  session?: PrintSession;
  timeoutMs?: number;
  /** also write press.pdf (CMYK PDF/X-3 with marks, preflighted); edition.yaml's `press:` can ask for it too */
  press?: boolean;
}

export interface BuildResult {
  pdfPath: string;
  reportPath: string;
  report: Report;
  pdf: Uint8Array;
  seconds: number;
}

/**
 * What the last build of this edition printed: kept in <out>/.broadsheet/ as the page snapshot
 * (PNG, as Chromium made it: decoded only when a later build compares with it) and a summary.
 */
function readState(outDir: string): { snapshot: Snapshot; png: Buffer } | undefined {
  try {
    return {
      snapshot: JSON.parse(readFileSync(path.join(outDir, STATE_DIR, 'state.json'), 'utf8')) as Snapshot,
      png: readFileSync(path.join(outDir, STATE_DIR, 'page.png')),
    };
  } catch {
    return undefined;
  }
}

function writeState(outDir: string, snap: Snapshot, png: Uint8Array): void {
  writeAtomic(path.join(outDir, STATE_DIR, 'page.png'), png);
  writeAtomic(path.join(outDir, STATE_DIR, 'state.json'), JSON.stringify(snap));
  rmSync(path.join(outDir, STATE_DIR, 'page.rgba'), { force: true }); // an earlier version's state
}

/** The last snapshot decoded, by its bytes: a watch session decodes each page once. */
let lastDecoded: { png: Buffer; raster: Raster } | undefined;
function decodeSnapshot(png: Uint8Array): Raster {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (lastDecoded?.png.equals(b)) return lastDecoded.raster;
  const raster = decodePng(b);
  lastDecoded = { png: Buffer.from(b), raster };
  return raster;
}

const STATE_DIR = '.broadsheet';

export function defaultOutDir(editionDir: string): string {
  return path.join(ROOT, 'out', path.basename(path.resolve(editionDir)));
}

export async function buildEdition(editionDir: string, opts: BuildOptions = {}): Promise<BuildResult> {
  if (!existsSync(editionDir) || !statSync(editionDir).isDirectory()) throw msg.editionMissing(editionDir);
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(msg.timeout(timeoutMs / 1000)), timeoutMs);
    timer.unref();
  });
  // Start our own browser while the pure stages run; it is closed however the build ends.
  const launching = opts.browser || opts.session ? undefined : launchBrowser();
  launching?.catch(() => undefined);
  try {
    // one session for this build unless the caller keeps one warm
    const own = opts.session
      ? undefined
      : (opts.browser ? Promise.resolve(opts.browser) : launching!).then(async (l) => {
          const session = new PrintSession(l.browser);
          await session.warmUp(); // the tab's renderer starts while the pure stages run
          return session;
        });
    own?.catch(() => undefined);
    try {
      return await Promise.race([run(editionDir, opts, opts.session ? Promise.resolve(opts.session) : own!), timeout]);
    } finally {
      await (await own?.catch(() => undefined))?.close();
    }
  } finally {
    clearTimeout(timer);
    if (launching) await (await launching.catch(() => undefined))?.close();
  }
}

export interface Prepared {
  ed: Edition;
  bound: Bound;
  consistency: Consistency;
  layout: PageLayout;
  charts: Map<string, RenderedChart>;
  page: ComposedPage;
}

type Laps = (name: string) => void;
function laps(ms: Record<string, number>): Laps {
  let t = performance.now();
  return (name) => {
    ms[name] = Math.round(performance.now() - t);
    t = performance.now();
  };
}

/** Stages 1–3: the edition read, its figures bound and checked, its frames placed. */
export function prepareText(
  editionDir: string,
  lap: Laps = () => undefined,
): Pick<Prepared, 'ed' | 'bound' | 'consistency' | 'layout'> {
  // 1. load
  const ed = loadEdition(editionDir);
  lap('load');
  // 2. bind figures into text, captions, fact boxes and tables
  const bound = bind(ed);
  const consistency = checkConsistency(ed, bound);
  lap('bind');
  // 3. lay out the grid: frames in mm
  const layout = layoutPage(ed);
  lap('grid');
  return { ed, bound, consistency, layout };
}

/** Stage 4: the charts, sized to their frames, drawn on the chart worker (charts/render.ts). */
export async function renderCharts(ed: Edition, bound: Bound, layout: PageLayout): Promise<Map<string, RenderedChart>> {
  const charts = new Map<string, RenderedChart>();
  const jobs = layout.frames
    .filter((x) => x.kind === 'chart')
    .map(async (f) => {
      const src = ed.charts.get(f.ref!)!;
      const area = (lines: number) =>
        chartArea({ ...f, box: { ...f.box, h: lines * layout.grid.pitch } }, layout.grid.pitch, !!src.source);
      const chart = renderChart(src, bound.tables, area(f.lines));
      if (f.minLines === undefined || f.maxLines === undefined) return [src.id, await chart] as const;
      // copy-fit chooses the height in the page: render the chart for each height it may choose
      const heights = Array.from({ length: f.maxLines - f.minLines + 1 }, (_, i) => f.minLines! + i);
      const variants = await Promise.all(
        heights.map(async (lines) => [lines, await renderChart(src, bound.tables, area(lines))] as const),
      );
      return [src.id, { ...(await chart), variants: new Map(variants) }] as const;
    });
  for (const [id, c] of await Promise.all(jobs)) charts.set(id, c);
  return charts;
}

/** Stages 1–5, all pure (no browser, nothing written): edition folder → composed page. */
export async function prepare(editionDir: string, ms: Record<string, number> = {}): Promise<Prepared> {
  const lap = laps(ms);
  const { ed, bound, consistency, layout } = prepareText(editionDir, lap);
  const charts = await renderCharts(ed, bound, layout);
  lap('charts');
  const page = compose(ed, bound, layout, charts);
  lap('compose');
  return { ed, bound, consistency, layout, charts, page };
}

async function run(editionDir: string, opts: BuildOptions, printerP: Promise<PrintSession>): Promise<BuildResult> {
  const log = opts.log ?? silentLogger;
  const t0 = performance.now();
  const ms: Record<string, number> = { started: Math.round(t0) }; // ms since the process started
  log.progress('reading the edition');
  const stage = laps(ms);
  const { ed, bound, consistency, layout } = prepareText(editionDir, stage);
  // press output: its settings and profiles are checked before anything is printed
  const press = pressSettings(ed, opts.press === true);
  // A fresh browser tab loads the page while the charts are drawn: fonts, styles, text; the
  // charts come in when they are ready (a warm session updates in place instead).
  const ahead = opts.session && !opts.session.blank ? undefined : compose(ed, bound, layout);
  // the page's fonts are cut (or read from their cache) while Chromium starts
  if (ahead) for (const job of ahead.fonts.files.values()) subsetBytes(job).catch(() => undefined);
  stage('compose.ahead');
  // the charts: from the cache, else drawn on the worker while Chromium starts and the page
  // loads (the headless shell starts fast enough that both fit on two cores)
  const charting = renderCharts(ed, bound, layout);
  charting.catch(() => undefined);
  const printer = await printerP;
  stage('browserWait');
  const loading = ahead ? printer.load(ahead, { w: layout.grid.pageW, h: layout.grid.pageH }) : undefined;
  loading?.catch(() => undefined);
  const charts = await charting;
  stage('charts');
  const page = compose(ed, bound, layout, charts);
  stage('compose');
  await loading;
  stage('print.ahead');

  // 6. print: Chromium lays out the chains and prints
  log.progress('printing');
  const preset = layout.grid.preset;
  const g = layout.grid;
  const proofGrid = opts.proof
    ? {
        columns: preset.columns,
        colW: g.colW,
        gutter: g.gutter,
        left: g.left,
        top: g.top,
        lines: g.lines,
        pitch: g.pitch,
      }
    : undefined;
  const outDir = path.resolve(opts.outDir ?? defaultOutDir(editionDir));
  const printed = await printer.print(page, { w: g.pageW, h: g.pageH }, proofGrid);
  Object.assign(ms, Object.fromEntries(Object.entries(printed.ms).map(([k, v]) => [`print.${k}`, Math.round(v)])));
  stage('print');
  // the page as printed, for the change report: in a one-off build Chromium takes it while
  // Node finishes the PDF; a warm rebuild puts the PDF in place first
  const takeSnapshot = () =>
    opts.changes !== false && !opts.proof ? printer.snapshot({ w: g.pageW, h: g.pageH }) : Promise.resolve(undefined);
  const snapshotting = opts.session ? undefined : takeSnapshot();
  snapshotting?.catch(() => undefined);

  // 7. check
  const checked = checkPage({
    chains: printed.chains,
    photoBoxes: printed.photos,
    layout,
    photos: page.photos,
    refused: printed.refused,
    allowOverset: opts.allowOverset ?? false,
    layoutFile: ed.layout.file,
  });
  if (checked.errors.length) throw checked.errors.length === 1 ? checked.errors[0]! : new InputErrors(checked.errors);
  const warnings = [...consistency.warnings, ...checked.warnings];
  for (const w of warnings) log.warn(w);
  for (const n of consistency.notes) log.info(`note: ${n}`);

  const meta = ed.meta.data;
  const finished = await finishPdf(
    printed.pdf,
    {
      title: meta.title,
      author: meta.publication,
      subject: meta.subject ?? meta.section,
      keywords: [meta.publication, meta.section, `第${meta.page}版`, meta.date],
      language: meta.language ?? 'zh-CN',
      date: new Date(`${meta.date}T00:00:00Z`),
    },
    { w: preset.trimW, h: preset.trimH },
    preset.bleed,
  );
  stage('finish');
  // the press copy (CMYK, marks, preflight) is made while the RGB page is written and compared
  const pressing = press
    ? runPress(finished.bytes, press, { ed, layout, chains: printed.chains, log, timeoutMs: opts.timeoutMs })
    : undefined;
  pressing?.catch(() => undefined);

  // 8. write, atomically: the PDF first, then what changed since the last build, then the report
  const pdfPath = path.join(outDir, 'broadsheet.pdf');
  const reportPath = path.join(outDir, 'report.json');
  ms.total = Math.round(performance.now() - t0);
  const report: Report = {
    edition: ed.name,
    preset: preset.name,
    output: {
      pdf: pdfPath,
      report: reportPath,
      ...(printed.proofPng ? { proof: path.join(outDir, 'proof.png') } : {}),
      bytes: finished.bytes.length,
      pages: finished.pages,
    },
    chains: checked.chains.map(({ texts: _texts, ...c }) => c),
    figures: figureReport(bound),
    charts: chartReport(charts),
    photos: checked.photos,
    fonts: Object.fromEntries(page.fonts.used),
    refusedRequests: printed.refused,
    checks: consistency.checks,
    notes: consistency.notes,
    warnings,
    timingsMs: ms,
  };
  writeAtomic(pdfPath, finished.bytes);
  stage('writePdf');
  ms.pdfWritten = Math.round(performance.now() - t0);
  // after the PDF is in place: what changed since the last build
  const snapshotPng = await (snapshotting ?? takeSnapshot());
  if (snapshotPng) {
    const previous = readState(outDir);
    const snap = snapshotOf(report, checked.chains, new Map([...charts].map(([id, c]) => [id, c.svg])));
    if (previous) {
      const before = decodeSnapshot(previous.png);
      const diff = diffPages(before, decodeSnapshot(snapshotPng), 25.4 / 48);
      report.changes = { ...compareSnapshots(previous.snapshot, snap), regions: diff.regions };
      if (diff.regions.length) {
        writeAtomic(path.join(outDir, 'changes.png'), diff.boxed());
        report.changes.image = path.join(outDir, 'changes.png');
      }
    }
    writeState(outDir, snap, snapshotPng);
    stage('changes');
  }
  let refused: InputError | undefined;
  if (pressing) {
    const written = writePress(outDir, await pressing, log, reportPath);
    Object.assign(report, written.sections);
    refused = written.refused;
    stage('press');
  }
  writeAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
  if (printed.proofPng) writeAtomic(path.join(outDir, 'proof.png'), printed.proofPng);
  stage('write');
  if (refused) throw refused;
  return { pdfPath, reportPath, report, pdf: finished.bytes, seconds: (performance.now() - t0) / 1000 };
}
