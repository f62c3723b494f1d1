/**
 * Print: the composed page in Chromium → PDF bytes, in a print session: one tab that stays
 * loaded between builds. The first print loads the page; later prints replace only the frames
 * and texts that changed and thread again only the chains they touch; a face cut anew (a new
 * character) is swapped in place; changed styles, scripts or images reload the page. The page
 * is confined (serve.ts) and called through its typed protocol (page-api.ts). Readiness is
 * explicit: the page script has run, every face loaded and checked, then the layout run.
 */
import type { Browser, CDPSession, Page } from 'puppeteer';
import type { ComposedPage } from '../compose/compose.js';
import type { ChainLayout, FrameBox, LayoutResult, PageFinding, PhotoBox, ProofGrid } from '../layout/page/protocol.js';
import { msg } from '../messages.js';
import { drawProof, layOut, pageReady, update } from './page-api.js';
import { loadAndCheckFonts, swapChangedFonts } from './page-fonts.js';
import { printToPdf } from './pdf.js';
import { confine, ORIGIN, PageLog } from './serve.js';

export interface Printed {
  pdf: Uint8Array;
  /** the page with grid, frames and overset markers drawn over it (--proof) */
  proofPng?: Uint8Array;
  chains: ChainLayout[];
  /** the photos' boxes as laid out (copy-fit may have changed them) */
  photos: PhotoBox[];
  /** every frame's box as laid out, and what the page check found (layout/page/check.ts) */
  frames: FrameBox[];
  findings: PageFinding[];
  refused: string[];
  /**
   * the change report's snapshot (print(…, { snapshot: true })): taken while the PDF is made (the
   * browser rasterises on other threads while it prints: the same pixels, some 45 ms sooner)
   */
  snapshot?: Promise<Uint8Array>;
  ms: { load: number; fonts: number; layout: number; layoutInPage: number; pdf: number };
}

/** A page's size in mm (with bleed). */
export interface SizeMm {
  w: number;
  h: number;
}

export class PrintSession {
  private tab: Page | undefined;
  private cdp: CDPSession | undefined;
  private current: ComposedPage | undefined;
  private readonly log = new PageLog();
  private preloaded: { load: number; fonts: number } | undefined;
  /** browsers whose first tab a session has taken */
  private static claimed = new WeakSet<Browser>();

  constructor(private readonly browser: Browser) {}

  /** Opens the tab ahead of the first print (its renderer starts while the page is composed). */
  async warmUp(): Promise<void> {
    if (!this.tab) await this.open();
  }

  /** True before the first page is loaded: a page may be loaded ahead with load(). */
  get blank(): boolean {
    return this.current === undefined;
  }

  /**
   * Loads a page ahead of printing, fonts included but not laid out (the charts are drawn
   * meanwhile); print() then brings in what changed and lays the page out.
   */
  async load(page: ComposedPage, size: SizeMm): Promise<void> {
    this.log.clear();
    this.current = page;
    try {
      this.preloaded = await this.loadPage(page, size);
    } catch (e) {
      this.current = undefined; // the next print loads afresh
      throw e;
    }
  }

  async print(
    page: ComposedPage,
    size: SizeMm,
    opts: { proof?: ProofGrid; snapshot?: boolean } = {},
  ): Promise<Printed> {
    const { proof } = opts;
    const preloaded = this.preloaded;
    this.preloaded = undefined;
    if (!preloaded) this.log.clear();
    const t0 = performance.now();
    let laidOut: LayoutResult;
    let loaded = preloaded ?? { load: 0, fonts: 0 };
    const prev = this.current;
    this.current = page;
    const change = prev ? assetChange(prev, page) : 'other';
    if (!this.tab || !prev || change === 'other' || proof) {
      if (prev) await this.closeTab();
      loaded = await this.loadPage(page, size);
      laidOut = await layOut(await this.openTab());
    } else {
      const tab = this.tab;
      // a text with a character the page's fonts lack: the faces are swapped in place
      if (change === 'fonts') await swapChangedFonts(tab, prev, page, this.log.errors);
      const changed = <T>(a: Map<string, T>, b: Map<string, T>) => [...b].filter(([k, v]) => a.get(k) !== v);
      laidOut = await update(tab, {
        frames: changed(prev.parts.frames, page.parts.frames),
        sources: changed(prev.parts.sources, page.parts.sources),
        ...(prev.parts.framesCss !== page.parts.framesCss ? { framesCss: page.parts.framesCss } : {}),
      });
    }
    const t3 = performance.now();
    if (this.log.errors.length) throw msg.pageErrors(this.log.errors);

    const snapshot = opts.snapshot ? this.snapshot(size) : undefined;
    snapshot?.catch(() => undefined); // a failed print is reported first; the snapshot's own failure when awaited
    const pdf = await printToPdf(await this.session(), size);
    const t4 = performance.now();
    const proofPng = proof ? await this.proof(size, proof, laidOut.chains) : undefined;
    return {
      pdf,
      ...(proofPng ? { proofPng } : {}),
      ...(snapshot ? { snapshot } : {}),
      chains: laidOut.chains,
      photos: laidOut.photos,
      frames: laidOut.frames,
      findings: laidOut.findings,
      refused: this.log.refused,
      ms: {
        load: loaded.load,
        fonts: loaded.fonts,
        layout: t3 - t0 - (preloaded ? 0 : loaded.load + loaded.fonts),
        layoutInPage: laidOut.ms,
        pdf: t4 - t3,
      },
    };
  }

  /** A small PNG of the page as printed (half of screen resolution), for the change report. */
  async snapshot(size: SizeMm): Promise<Uint8Array> {
    const tab = await this.openTab();
    const want = snapshotViewport(size);
    const vp = tab.viewport();
    if (!vp || vp.width !== want.width || vp.height !== want.height || vp.deviceScaleFactor !== want.deviceScaleFactor)
      await tab.setViewport(want);
    return tab.screenshot({ type: 'png', fullPage: false, captureBeyondViewport: false, optimizeForSpeed: true });
  }

  /** The page's HTML as laid out (for the benchmark's floor). */
  async content(): Promise<string> {
    return (await this.openTab()).content();
  }

  async close(): Promise<void> {
    await this.closeTab();
    this.current = undefined;
  }

  private async loadPage(page: ComposedPage, size: SizeMm): Promise<{ load: number; fonts: number }> {
    const t0 = performance.now();
    const tab = await this.openTab(); // a tab opened ahead by warmUp(), still blank, or a new one
    // the window is the page (at 96 px per inch, drawn at half that for snapshots): printing
    // then lays out at the width the page already has, and a snapshot lays out nothing
    await tab.setViewport(snapshotViewport(size));
    await tab.goto(`${ORIGIN}/page.html`, { waitUntil: 'load' });
    const t1 = performance.now();
    await pageReady(tab);
    await loadAndCheckFonts(tab, page, this.log.errors);
    return { load: t1 - t0, fonts: performance.now() - t1 };
  }

  /** The proof: the page at screen resolution with the overlay; the overlay stays, so the next print reloads. */
  private async proof(size: SizeMm, g: ProofGrid, chains: ChainLayout[]): Promise<Uint8Array> {
    const tab = await this.openTab();
    await tab.setViewport({ ...snapshotViewport(size), deviceScaleFactor: 1 });
    await drawProof(tab, g, chains);
    const png = await tab.screenshot({ type: 'png', fullPage: true });
    this.current = undefined;
    return png;
  }

  private async openTab(): Promise<Page> {
    return this.tab ?? (await this.open());
  }

  private async session(): Promise<CDPSession> {
    return (this.cdp ??= await (await this.openTab()).createCDPSession());
  }

  private async closeTab(): Promise<void> {
    const tab = this.tab;
    this.tab = undefined;
    this.cdp = undefined;
    if (!tab) return;
    try {
      await tab.close();
    } catch (e) {
      // a tab that has gone (with its browser, or crashed) is closed already
      if (this.browser.connected && !tab.isClosed()) throw e;
    }
  }

  private async open(): Promise<Page> {
    // the browser's first tab (about:blank, its renderer already running) if no one uses it yet:
    // claimed before the first await, so two sessions opening at once never share it
    const claim = !PrintSession.claimed.has(this.browser);
    PrintSession.claimed.add(this.browser);
    const first = claim ? (await this.browser.pages())[0] : undefined;
    const tab = first ?? (await this.browser.newPage());
    const cdp = await tab.createCDPSession();
    await confine(tab, cdp, () => this.current, this.log);
    this.tab = tab;
    this.cdp = cdp;
    return tab;
  }
}

function snapshotViewport(size: SizeMm): { width: number; height: number; deviceScaleFactor: number } {
  return {
    width: Math.ceil((size.w / 25.4) * 96),
    height: Math.ceil((size.h / 25.4) * 96),
    deviceScaleFactor: 0.5,
  };
}

/**
 * What changed between two pages besides their frames: nothing (a warm update), only the fonts
 * (a new character: the faces are swapped in place), or styles, scripts or images (a reload).
 */
function assetChange(a: ComposedPage, b: ComposedPage): 'same' | 'fonts' | 'other' {
  const others = (p: ComposedPage) =>
    [...p.assets].filter(([url, x]) => !x.font && url !== '/styles/frames.css' && url !== '/styles/fonts.css');
  const [xs, ys] = [others(a), others(b)];
  if (xs.length !== ys.length) return 'other';
  for (const [url, x] of ys) {
    const y = a.assets.get(url);
    if (
      !y ||
      y.file !== x.file ||
      (x.body !== y.body && !(Buffer.isBuffer(x.body) && Buffer.isBuffer(y.body) && x.body.equals(y.body)))
    )
      return 'other';
  }
  // a font's url names its subset (fonts/coverage.ts), so the style sheet says it all
  return a.fonts.css === b.fonts.css ? 'same' : 'fonts';
}
