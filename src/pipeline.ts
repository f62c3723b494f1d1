/**
 * The pipeline, stage by stage:
 *
 *   load ──▶ bind ──▶ lay out (grid) ──▶ charts ──▶ compose ──▶ print ──▶ check ──▶ press ──▶ write
 *   files    figures   frames in mm      SVG         HTML +      Chromium   report,  (--press)  PDF +
 *   parsed,  into text,                  (Node,      the files   (layout    warnings, CMYK     report.json,
 *   schema-  tables,                     vega)       it may      in page),  changes  PDF/X-3,  press.pdf
 *   checked  captions                                load        pdf-lib             preflight (atomic)
 *
 * Every stage but print, press and write is pure: it takes values and returns values (press runs
 * Ghostscript and mutool on files of its own, and writes nothing of the build's output). run()
 * below is the build: the stages in this order. What overlaps (the browser starting, the charts
 * drawn on a worker thread, the fonts cut, the page loaded in the browser while the charts are
 * drawn, the snapshot for the change report, taken while the browser prints) is started and
 * handed over by the scheduler (schedule.ts) and the print session (print/session.ts). Fonts cut, charts drawn and photos
 * converted to CMYK are kept on disk for the next build (disk-cache.ts).
 */
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { loadEdition, type Edition } from './load/edition.js';
import { bind, type Bound } from './bind/figures.js';
import { checkConsistency, type Consistency } from './bind/consistency.js';
import { layoutPage, type PageLayout } from './layout/frames.js';
import type { ProofGrid } from './layout/page/protocol.js';
import { compose, type ComposedPage } from './compose/compose.js';
import { renderCharts, type RenderedChart } from './charts/render.js';
import type { Launched } from './print/browser.js';
import type { PrintSession } from './print/session.js';
import { finishPdf } from './print/postprocess.js';
import { chartReport, checkPage, figureReport, finalBox, type Report } from './check/report.js';
import { snapshotOf } from './check/changes.js';
import { checkHeadline, checkPrinted } from './check/page.js';
import { FACES } from './fonts/faces.js';
import { recordChanges } from './check/history.js';
import { lockOut, writeAtomic, writeTogether } from './output/write.js';
import { inputErrors, msg, type InputError } from './messages.js';
import { silentLogger, type Logger } from './log.js';
import { ROOT } from './paths.js';
import { Build, pageSize, pressAhead, startAhead } from './schedule.js';
import { pressSettings } from './press/options.js';
import { writePress, type PressSections } from './press/stage.js';
import { handoutAhead, type HandoutSection } from './handout/build.js';
import { handoutSettings } from './handout/stage.js';

export interface BuildOptions {
  outDir?: string;
  allowOverset?: boolean;
  log?: Logger;
  /** compare with the previous build and report what changed (default: true) */
  changes?: boolean;
  /** also write proof.png: the page with grid, frame outlines and overset markers */
  proof?: boolean;
  /** a browser kept warm by the caller (tests, watch mode); otherwise one is launched and closed */
  browser?: Launched;
  /** a warm print session (watch mode): the page stays loaded and only changes are replaced */
  session?: PrintSession;
  /** the build's deadline (default 120 s): after it, the build ends with exit 4 and writes nothing */
  timeoutMs?: number;
  /**
   * print the page even when the page check finds content past its frame, text over text, a font
   * not planned or text missing (each becomes a warning, recorded in report.json)
   */
  allowOverflow?: boolean;
  /** also write press.pdf (CMYK PDF/X-3 with marks, preflighted); edition.yaml's `press:` can ask for it too */
  press?: boolean;
  /** also write handout.pdf (the story as a flowing A4 document); edition.yaml's `handout:` can ask for it too */
  handout?: boolean;
  /** the handout's paper: a4 (default), a5, a3, letter */
  paper?: string;
}

/** report.json: the check stage's report, and the press stage's sections when it ran. */
export type BuildReport = Report & Partial<PressSections> & { handout?: HandoutSection };

export interface BuildResult {
  pdfPath: string;
  reportPath: string;
  report: BuildReport;
  pdf: Uint8Array;
  seconds: number;
}

export function defaultOutDir(editionDir: string): string {
  return path.join(ROOT, 'out', path.basename(path.resolve(editionDir)));
}

export async function buildEdition(editionDir: string, opts: BuildOptions = {}): Promise<BuildResult> {
  if (!existsSync(editionDir) || !statSync(editionDir).isDirectory()) throw msg.editionMissing(editionDir);
  const build = new Build(opts);
  try {
    return await build.run(run(editionDir, opts, build));
  } finally {
    await build.end();
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

/** Stages 1–3: the edition read, its figures bound and checked, its frames placed. */
export function prepareText(
  editionDir: string,
  lap: (name: string) => void = () => undefined,
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

/** Stages 1–5, all pure (no browser, nothing written): edition folder → composed page. */
export async function prepare(editionDir: string): Promise<Prepared> {
  const { ed, bound, consistency, layout } = prepareText(editionDir);
  const charts = await renderCharts(ed, bound, layout);
  const page = compose(ed, bound, layout, charts);
  return { ed, bound, consistency, layout, charts, page };
}

/** The build: the stages in order, with what the scheduler started ahead of them. */
async function run(editionDir: string, opts: BuildOptions, build: Build): Promise<BuildResult> {
  const log = opts.log ?? silentLogger;
  const t0 = performance.now();
  const ms: Record<string, number> = { started: Math.round(t0) }; // ms since the process started
  const lap = laps(ms);
  log.progress('reading the edition');
  // 1–3. load, bind, lay out the grid
  const { ed, bound, consistency, layout } = prepareText(editionDir, lap);
  // press output: its settings and profiles are checked before anything is printed
  const press = pressSettings(ed, opts.press === true);
  const handout = handoutSettings(ed, opts.handout === true, opts.paper);
  // 3b. the headline group against its frame: a part that cannot be set on one line within the
  // house's bounds, or a group taller than its frame, is refused before anything is printed
  const locateFrame = (id: string) => {
    const defs = ed.layout.data.frames;
    const i = defs.findIndex((d) => d.id === id || id.startsWith(`${d.id}.`));
    return ed.layout.locate(i < 0 ? ['frames'] : ['frames', i]);
  };
  const headline = checkHeadline(bound, layout, locateFrame, (k) => ed.story.front.locate([k]));
  if (headline.errors.length && !opts.allowOverflow) throw inputErrors(headline.errors);
  for (const n of headline.notes) log.info(`note: ${n}`);
  const ahead = await startAhead(build, { ed, bound, layout }, lap);
  // 4. charts, from the cache or the worker
  const charts = await ahead.charts;
  lap('charts');
  // 5. compose
  const page = ahead.compose(charts);
  lap('compose');
  // 6. print: Chromium lays out the chains and prints
  log.progress('printing');
  const printer = await ahead.printer;
  lap('print.ahead');
  build.signal.throwIfAborted(); // a build past its deadline goes no further
  const size = pageSize(layout);
  const printed = await printer.print(page, size, {
    ...(opts.proof ? { proof: proofGrid(layout) } : {}),
    snapshot: opts.changes !== false && !opts.proof,
  });
  for (const [k, v] of Object.entries(printed.ms)) ms[`print.${k}`] = Math.round(v);
  lap('print');
  const snapshot = printed.snapshot && build.ahead(printed.snapshot);

  // 7. check
  const checked = checkPage({
    laidOut: printed.frames,
    locateFrame,
    chains: printed.chains,
    photoBoxes: printed.photos,
    layout,
    photos: page.photos,
    refused: printed.refused,
    allowOverset: opts.allowOverset ?? false,
    layoutFile: ed.layout.file,
  });
  if (checked.errors.length) throw inputErrors(checked.errors);
  const cmyk = [...ed.photos.values()].filter((p) => p.cmyk).map((p) => msg.hostile.cmykJpeg(p.id, p.file));
  const warnings = [...consistency.warnings, ...checked.warnings, ...cmyk];
  for (const w of warnings) log.warn(w);
  for (const n of consistency.notes) log.info(`note: ${n}`);
  const meta = ed.meta.data;
  const preset = layout.grid.preset;
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
  lap('finish');
  // the page as a whole, read after layout and from the PDF: content inside its frames, no text
  // over text, only the planned fonts, every chain's text there; lints
  const pageCheck = checkPrinted({
    findings: printed.findings,
    fonts: finished.fonts,
    planned: [...page.fonts.used.keys()].map((n) => FACES[n].postscript),
    chains: printed.chains,
    bound,
    figures: ed.figures.data,
    layout,
    locateFrame,
    pdfFile: 'broadsheet.pdf',
    allowOverflow: opts.allowOverflow ?? false,
    headline: headline.errors,
  });
  if (pageCheck.errors.length) throw inputErrors(pageCheck.errors);
  for (const w of pageCheck.warnings) log.warn(w);
  warnings.push(...pageCheck.warnings);
  lap('pageCheck');
  // 8. press (--press or edition.yaml): the CMYK copy and its preflight, done before anything is
  // written, so that a build that fails or times out in it writes nothing
  const pressed =
    press && (await pressAhead(build, finished.bytes, press, { ed, layout, chains: printed.chains, log }));
  if (pressed) lap('press');
  // 8b. handout (--handout or edition.yaml): the same edition as a flowing document, in a tab of its own
  const handedOut = handout && (await handoutAhead(build, ed, bound, handout));
  if (handedOut) lap('handout');

  // 9. write, atomically: the PDF first, then what changed since the last build, then press.pdf
  // (or, refused by its preflight, none) and the report with the press sections
  const outDir = path.resolve(opts.outDir ?? defaultOutDir(editionDir));
  const pdfPath = path.join(outDir, 'broadsheet.pdf');
  const reportPath = path.join(outDir, 'report.json');
  const proofPath = path.join(outDir, 'proof.png');
  ms.total = Math.round(performance.now() - t0);
  const report: BuildReport = {
    edition: ed.name,
    preset: preset.name,
    output: {
      pdf: pdfPath,
      report: reportPath,
      ...(printed.proofPng ? { proof: proofPath } : {}),
      bytes: finished.bytes.length,
      pages: finished.pages,
    },
    chains: checked.chains.map(({ texts: _texts, ...c }) => c),
    frames: layout.frames.map((f) => finalBox(f.id, f.box, printed.frames)),
    pageCheck: { findings: pageCheck.findings, fonts: finished.fonts },
    figures: figureReport(bound),
    charts: chartReport(charts),
    photos: checked.photos,
    fonts: Object.fromEntries(page.fonts.used),
    refusedRequests: printed.refused,
    checks: consistency.checks,
    notes: [...consistency.notes, ...headline.notes],
    warnings,
    timingsMs: ms,
  };
  // the previous build's state is compared with and replaced while the out folder is locked,
  // and everything is written together: PDF, change report and its state, press.pdf, report
  const shot = snapshot ? await snapshot : undefined;
  const release = await lockOutFolder(outDir, build.signal);
  let refused: InputError | undefined;
  try {
    writeTogether(() => {
      writeAtomic(pdfPath, finished.bytes, build.signal);
      lap('writePdf');
      ms.pdfWritten = Math.round(performance.now() - t0);
      if (shot) {
        const svgs = new Map([...charts].map(([id, c]) => [id, c.svg]));
        const changes = recordChanges(outDir, snapshotOf(report, checked.chains, svgs), shot, build.signal);
        if (changes) report.changes = changes;
        lap('changes');
      }
      if (pressed) {
        const written = writePress(outDir, pressed, log, reportPath, build.signal);
        Object.assign(report, written.sections);
        refused = written.refused;
        lap('writePress');
      }
      if (handedOut) {
        const handoutPath = path.join(outDir, 'handout.pdf');
        writeAtomic(handoutPath, handedOut.bytes, build.signal);
        report.handout = {
          pdf: handoutPath,
          paper: handedOut.geo.preset.name,
          pages: handedOut.pages,
          bytes: handedOut.bytes.length,
          charsPerLine: handedOut.geo.chars,
          bodyPt: handedOut.geo.preset.bodyPt,
          heads: handedOut.page.heads,
          placed: handedOut.page.placed,
          fitted: { ...handedOut.fitted, ms: Math.round(handedOut.fitted.ms) },
          ms: Object.fromEntries(Object.entries(handedOut.ms).map(([k, v]) => [k, Math.round(v)])),
        };
        lap('writeHandout');
      }
      writeAtomic(reportPath, JSON.stringify(report, null, 2) + '\n', build.signal);
      if (printed.proofPng) writeAtomic(proofPath, printed.proofPng, build.signal);
    }, build.signal);
  } finally {
    release();
  }
  lap('write');
  if (refused) throw refused;
  return { pdfPath, reportPath, report, pdf: finished.bytes, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The out folder's lock, waited for while another build writes there (a few seconds at most);
 * a build that holds it longer is named in the message.
 */
async function lockOutFolder(outDir: string, signal: AbortSignal): Promise<() => void> {
  for (let waited = 0; ; waited += LOCK_POLL_MS) {
    const got = lockOut(outDir);
    if ('release' in got) return got.release;
    if (waited >= LOCK_WAIT_MS) throw msg.hostile.outLocked(outDir, got.heldBy, LOCK_WAIT_MS / 1000);
    await new Promise((r) => setTimeout(r, LOCK_POLL_MS));
    signal.throwIfAborted();
  }
}
const LOCK_POLL_MS = 100;
const LOCK_WAIT_MS = 15_000;

/** The grid the proof overlay draws. */
function proofGrid(layout: PageLayout): ProofGrid {
  const g = layout.grid;
  return {
    columns: g.preset.columns,
    colW: g.colW,
    gutter: g.gutter,
    left: g.left,
    top: g.top,
    lines: g.lines,
    pitch: g.pitch,
  };
}

/** A stopwatch: each call records the ms since the previous one under its name. */
function laps(ms: Record<string, number>): (name: string) => void {
  let t = performance.now();
  return (name) => {
    ms[name] = Math.round(performance.now() - t);
    t = performance.now();
  };
}
