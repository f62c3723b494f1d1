/**
 * The scheduler: the work a build starts ahead of the stage that needs it, so that on two
 * cores the browser, the chart worker and Node work at the same time. pipeline.ts runs the
 * stages in order and asks this module for what was started ahead:
 *
 *   - the browser: started before the command line loads (bin/broadsheet.js, print/spawn.ts),
 *     connected and its tab opened while the edition is read (a warm session is already open);
 *   - the charts: read from the cache, or drawn on the worker thread (charts/render.ts), from
 *     the moment the figures are bound;
 *   - the page: composed as soon as its text is known, with the charts if they are there at once
 *     (the cache) and without them otherwise; its fonts cut (or read from their cache) at once,
 *     and the page loaded in the browser as soon as the browser is up. Charts that were not there
 *     go in as an update of the loaded page (print/session.ts): then, and only then, the page is
 *     composed a second time;
 *   - the snapshot for the change report: taken while the browser prints (print/session.ts);
 *   - press output (--press): the finished PDF converted to CMYK and preflighted
 *     (press/stage.ts) while the browser finishes that snapshot; nothing is written before it is
 *     done, so a build that fails or times out in the press stage writes nothing.
 *
 * Every task started ahead is awaited by the stage that needs it. A build that fails before
 * then reports its own first error; what the tasks started ahead do after that is not reported.
 * A build has a deadline (--timeout): once it passes, the build ends with a timeout and its
 * signal is aborted, so nothing more is written (output/write.ts checks it) and the press
 * stage's Ghostscript and mutool are stopped.
 */
import { compose, type ComposedPage } from './compose/compose.js';
import { renderCharts, type RenderedChart } from './charts/render.js';
import { subsetBytes } from './fonts/subset.js';
import type { PageLayout } from './layout/frames.js';
import { msg } from './messages.js';
import { launchBrowser, type Launched } from './print/browser.js';
import { PrintSession, type SizeMm } from './print/session.js';
import type { Bound } from './bind/figures.js';
import type { Edition } from './load/edition.js';
import type { PressSettings } from './press/options.js';
import type { PressResult } from './press/press.js';
import { runPress, type PressBuild } from './press/stage.js';

export const DEFAULT_TIMEOUT_MS = 120_000;

export interface BuildContext {
  timeoutMs?: number;
  /** a browser kept by the caller (tests, watch mode); otherwise the build launches and closes one */
  browser?: Launched;
  /** a print session kept warm by the caller (watch mode): the page stays loaded */
  session?: PrintSession;
}

/** One build's deadline, browser and the tasks it started ahead. */
export class Build {
  /** aborted when the deadline passes: nothing is written after that */
  readonly signal: AbortSignal;
  /** the print session: the caller's, or one on the build's own tab */
  readonly session: Promise<PrintSession>;
  /** true when the session already holds a loaded page (a warm rebuild updates it in place) */
  readonly warm: boolean;
  private readonly timer: NodeJS.Timeout;
  private readonly browser: Promise<Launched> | undefined = undefined;
  private readonly ownBrowser: boolean;
  private readonly ownSession: boolean;
  private launched: Launched | undefined;

  constructor(c: BuildContext) {
    const timeoutMs = c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    this.signal = controller.signal;
    this.timer = setTimeout(() => controller.abort(msg.timeout(timeoutMs / 1000)), timeoutMs);
    this.timer.unref();
    this.ownBrowser = !c.browser && !c.session;
    this.ownSession = !c.session;
    this.warm = c.session ? !c.session.blank : false;
    if (c.session) {
      this.session = Promise.resolve(c.session);
      this.launched = c.browser;
    } else {
      const browser = c.browser ? Promise.resolve(c.browser) : this.ahead(launchBrowser(this.signal));
      this.browser = browser;
      browser.then((l) => (this.launched = l), ignore);
      // the tab's renderer starts while the edition is read
      this.session = this.ahead(
        browser.then(async (l) => {
          const s = new PrintSession(l.browser);
          await s.warmUp();
          return s;
        }),
      );
    }
  }

  /**
   * A task started ahead of the stage that awaits it. If the build fails before that stage, the
   * task's own failure is not reported (the build's first error is): marked here as seen.
   */
  ahead<T>(task: Promise<T>): Promise<T> {
    task.then(ignore, ignore);
    return task;
  }

  /** The build's browser, for a document printed in a tab of its own beside the page (handout.pdf). */
  async browserNow(): Promise<Launched> {
    const l = this.launched ?? (await this.browser);
    if (!l) throw msg.handout.noBrowser();
    return l;
  }

  /** The build's stages, until they finish or the deadline passes; errors as the user should see them. */
  async run<T>(stages: Promise<T>): Promise<T> {
    const cancelled = new Promise<never>((_, reject) => {
      const cancel = () => reject(reasonOf(this.signal));
      if (this.signal.aborted) cancel();
      else this.signal.addEventListener('abort', cancel, { once: true });
    });
    try {
      return await Promise.race([stages, cancelled]);
    } catch (e) {
      // a browser that has gone is the cause of whatever failed with it
      throw this.launched ? this.launched.explain(e) : e;
    }
  }

  /** Ends the build: the deadline cleared, its own tab closed, its own browser killed. */
  async end(): Promise<void> {
    clearTimeout(this.timer);
    if (this.ownBrowser) {
      // killing the browser closes its tabs; a browser that never started has nothing to close
      const l = await this.browser?.then(
        (x) => x,
        () => undefined,
      );
      await l?.close();
    } else if (this.ownSession) {
      const s = await this.session.then(
        (x) => x,
        () => undefined,
      );
      await s?.close();
    }
  }
}

/** The page's size in mm, with bleed. */
export function pageSize(layout: PageLayout): SizeMm {
  return { w: layout.grid.pageW, h: layout.grid.pageH };
}

export interface Ahead {
  /** stage 4: the charts, from the cache or drawn on the worker */
  charts: Promise<Map<string, RenderedChart>>;
  /** stage 5: the page with these charts (the page composed ahead, when it had them already) */
  compose(charts: Map<string, RenderedChart>): ComposedPage;
  /** the print session, once its page is loaded ahead (a fresh session) and its fonts are cut */
  printer: Promise<PrintSession>;
}

/** Starts stages 4 and 5 and the browser's part of them, ahead; see the top of this module. */
export async function startAhead(
  build: Build,
  text: { ed: Edition; bound: Bound; layout: PageLayout },
  lap: (name: string) => void,
): Promise<Ahead> {
  const { ed, bound, layout } = text;
  const charts = build.ahead(renderCharts(ed, bound, layout));
  const recompose = (c: Map<string, RenderedChart>) => compose(ed, bound, layout, c);
  if (build.warm) return { charts, compose: recompose, printer: build.session };
  // a fresh tab: the page goes to the browser as soon as both are ready
  const withCharts = (await settlesAtOnce(charts)) ? await charts : undefined;
  const early = compose(ed, bound, layout, withCharts);
  lap('compose.ahead');
  const fonts = build.ahead(Promise.all([...early.fonts.files.values()].map((job) => subsetBytes(job))));
  const printer = build.ahead(
    build.session.then(async (session) => {
      await session.load(early, pageSize(layout));
      await fonts;
      return session;
    }),
  );
  return { charts, compose: (c) => (c === withCharts ? early : recompose(c)), printer };
}

/**
 * The press stage's work on the finished PDF: its Ghostscript and mutool run while the browser
 * finishes the change report's snapshot, and are stopped when the build's
 * deadline passes.
 */
export function pressAhead(
  build: Build,
  pdf: Uint8Array,
  settings: PressSettings,
  b: Omit<PressBuild, 'signal'>,
): Promise<PressResult> {
  return build.ahead(runPress(pdf, settings, { ...b, signal: build.signal }));
}

/** True if the promise settles before anything else is done (a value already at hand, e.g. cached). */
function settlesAtOnce(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
  ]);
}

function ignore(): void {}

/** Why a build was cancelled (the timeout's message). */
function reasonOf(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error(String(r));
}
