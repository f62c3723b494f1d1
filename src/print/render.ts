/**
 * Print: the composed page in Chromium → PDF bytes. The page is served from a private origin
 * by request interception: it gets exactly the files compose listed, and every other request
 * (other paths, file://, http(s), data exfiltration through images or CSS) is refused and
 * reported. Readiness is explicit: fonts loaded and checked, then the in-page layout run.
 */
import { readFileSync } from 'node:fs';
import type { Browser, CDPSession, Page, Protocol } from 'puppeteer-core';
import type { Asset, ComposedPage } from '../compose/compose.js';
import { subsetBytes } from '../fonts/subset.js';
import { FACES, type FaceName } from '../fonts/faces.js';
import type { ChainLayout, LayoutResult, PhotoBox, ProofGrid } from '../layout/types.js';

export const ORIGIN = 'https://broadsheet.invalid';

export type { ChainLayout, PhotoBox, ProofGrid } from '../layout/types.js';

export interface Printed {
  pdf: Uint8Array;
  /** the page with grid, frames and overset markers drawn over it (--proof) */
  proofPng?: Uint8Array;
  chains: ChainLayout[];
  /** the photos' boxes as laid out (copy-fit may have changed them) */
  photos: PhotoBox[];
  refused: string[];
  ms: { load: number; fonts: number; layout: number; layoutInPage: number; pdf: number };
}

type LayoutOut = LayoutResult;

/**
 * A print session: one tab that stays loaded between builds. The first print loads the page;
 * later prints replace only the frames and texts that changed and thread again only the chains
 * they touch; a face cut anew (a new character) is swapped in place; changed styles, scripts or
 * images reload the page.
 */
export class PrintSession {
  private tab: Page | undefined;
  private cdp: CDPSession | undefined;
  private current: ComposedPage | undefined;
  private refused: string[] = [];
  private pageErrors: string[] = [];
  private preloaded: { load: number; fonts: number } | undefined;
  /** browsers whose first tab a session has taken */
  private static claimed = new WeakSet<Browser>();

  constructor(private readonly browser: Browser) {}

  /** Opens the tab ahead of the first print (its renderer starts while the page is composed). */
  async warmUp(): Promise<void> {
    if (!this.tab) this.tab = await this.open();
  }

  /** True before the first page is loaded: a page may be loaded ahead with load(). */
  get blank(): boolean {
    return this.current === undefined;
  }

  /**
   * Loads a page ahead of printing, fonts included but not laid out (the charts are drawn
   * meanwhile); print() then brings in what changed and lays the page out.
   */
  async load(page: ComposedPage, sizeMm: { w: number; h: number }): Promise<void> {
    this.refused = [];
    this.pageErrors = [];
    this.current = page;
    try {
      this.preloaded = await this.loadPage(page, sizeMm);
    } catch (e) {
      this.current = undefined; // the next print loads afresh
      throw e;
    }
  }

  private async loadPage(
    page: ComposedPage,
    sizeMm: { w: number; h: number },
  ): Promise<{ load: number; fonts: number }> {
    const t0 = performance.now();
    this.tab ??= await this.open(); // else: a tab opened ahead by warmUp(), still blank
    // the window is the page (at 96 px per inch, drawn at half that for snapshots): printing
    // then lays out at the width the page already has, and a snapshot lays out nothing
    await this.tab.setViewport(snapshotViewport(sizeMm));
    await this.tab.goto(`${ORIGIN}/page.html`, { waitUntil: 'load' });
    const t1 = performance.now();
    await this.fonts(page);
    await this.tab.waitForFunction(
      () => typeof (window as unknown as { broadsheetLayout?: unknown }).broadsheetLayout === 'function',
    );
    return { load: t1 - t0, fonts: performance.now() - t1 };
  }

  async print(page: ComposedPage, sizeMm: { w: number; h: number }, proof?: ProofGrid): Promise<Printed> {
    const preloaded = this.preloaded;
    this.preloaded = undefined;
    if (!preloaded) {
      this.refused = [];
      this.pageErrors = [];
    }
    const t0 = performance.now();
    let layout: LayoutOut;
    let loaded = preloaded ?? { load: 0, fonts: 0 };
    const prev = this.current;
    this.current = page;
    const change = prev ? assetChange(prev, page) : 'other';
    if (!this.tab || !prev || change === 'other' || proof) {
      if (prev) {
        await this.tab?.close().catch(() => undefined);
        this.cdp = undefined;
        this.tab = undefined;
      }
      loaded = await this.loadPage(page, sizeMm);
      layout = await this.tab!.evaluate(() =>
        (window as unknown as { broadsheetLayout: () => LayoutOut }).broadsheetLayout(),
      );
    } else {
      // a text with a character the page's fonts lack: the faces are swapped in place
      if (change === 'fonts') await this.swapFonts(prev, page);
      const changed = <T>(a: Map<string, T>, b: Map<string, T>) => [...b].filter(([k, v]) => a.get(k) !== v);
      const update = {
        frames: changed(prev.parts.frames, page.parts.frames),
        sources: changed(prev.parts.sources, page.parts.sources),
        ...(prev.parts.framesCss !== page.parts.framesCss ? { framesCss: page.parts.framesCss } : {}),
      };
      layout = await this.tab.evaluate(async (u) => {
        const out = (window as unknown as { broadsheetUpdate: (u: unknown) => LayoutOut }).broadsheetUpdate(u);
        await document.fonts.ready; // nothing should be loading: fonts are planned, and swapped above
        return out;
      }, update);
    }
    const t3 = performance.now();
    if (this.pageErrors.length) throw new Error(`the page reported errors: ${this.pageErrors.join('; ')}`);

    const pdf = await this.printToPdf(sizeMm);
    const t4 = performance.now();
    let proofPng: Uint8Array | undefined;
    if (proof) {
      // screen resolution: 96 px per inch; the overlay stays, so the next print reloads
      const tab = this.tab!;
      await tab.setViewport({ ...snapshotViewport(sizeMm), deviceScaleFactor: 1 });
      await tab.evaluate(
        (g, chains) =>
          (window as unknown as { broadsheetProof: (g: unknown, c: unknown) => void }).broadsheetProof(g, chains),
        proof,
        layout.chains,
      );
      proofPng = await tab.screenshot({ type: 'png', fullPage: true });
      this.current = undefined;
    }
    return {
      pdf,
      ...(proofPng ? { proofPng } : {}),
      chains: layout.chains,
      photos: layout.photos,
      refused: this.refused,
      ms: {
        load: loaded.load,
        fonts: loaded.fonts,
        layout: t3 - t0 - (preloaded ? 0 : loaded.load + loaded.fonts),
        layoutInPage: layout.ms,
        pdf: t4 - t3,
      },
    };
  }

  /**
   * Chromium's print, asked for directly: the PDF comes back in one piece (Puppeteer's page.pdf
   * reads it as a stream in chunks, about 50 ms slower for a broadsheet).
   */
  private async printToPdf(sizeMm: { w: number; h: number }): Promise<Uint8Array> {
    this.cdp ??= await this.tab!.createCDPSession();
    const r = (await this.cdp.send('Page.printToPDF', {
      paperWidth: sizeMm.w / 25.4,
      paperHeight: sizeMm.h / 25.4,
      marginTop: 0,
      marginBottom: 0,
      marginLeft: 0,
      marginRight: 0,
      printBackground: true,
      displayHeaderFooter: false,
      preferCSSPageSize: false,
      generateTaggedPDF: false,
      generateDocumentOutline: false,
      transferMode: 'ReturnAsBase64',
    })) as { data: string };
    return Buffer.from(r.data, 'base64');
  }

  /** A small PNG of the page as printed (half of screen resolution), for the change report. */
  async snapshot(sizeMm: { w: number; h: number }): Promise<Uint8Array> {
    const tab = this.tab!;
    const want = snapshotViewport(sizeMm);
    const vp = tab.viewport();
    if (!vp || vp.width !== want.width || vp.height !== want.height || vp.deviceScaleFactor !== want.deviceScaleFactor)
      await tab.setViewport(want);
    return tab.screenshot({ type: 'png', fullPage: false, captureBeyondViewport: false, optimizeForSpeed: true });
  }

  /** The page's HTML as laid out (for the benchmark's floor). */
  async content(): Promise<string> {
    return this.tab!.content();
  }

  async close(): Promise<void> {
    await this.tab?.close().catch(() => undefined);
    this.tab = undefined;
    this.cdp = undefined;
    this.current = undefined;
  }

  private async open(): Promise<Page> {
    // the browser's first tab (about:blank, its renderer already running) if no one uses it yet
    const first = PrintSession.claimed.has(this.browser) ? undefined : (await this.browser.pages())[0];
    PrintSession.claimed.add(this.browser);
    const tab = first ?? (await this.browser.newPage());
    // every request the page makes stops here (CDP's Fetch domain): served from the composed
    // page's assets or refused; base64 is made natively and kept for files between builds
    const cdp = await tab.createCDPSession();
    this.cdp = cdp;
    cdp.on('Fetch.requestPaused', (e: Protocol.Fetch.RequestPausedEvent) =>
      serve(cdp, e, this.current!, this.refused, this.pageErrors),
    );
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
    tab.on('pageerror', (e) => this.pageErrors.push(String((e as Error).message ?? e)));
    tab.on('console', (m) => {
      if (m.type() !== 'error') return;
      const text = m.text();
      if (/violates the following Content Security Policy directive/.test(text)) {
        const what =
          /'([^']+)' violates/.exec(text)?.[1] ??
          /from '([^']+)'/.exec(text)?.[1] ??
          /^(\w+ inline \w+)/.exec(text)?.[1]?.toLowerCase() ??
          'content';
        this.refused.push(`${what} (blocked by the page's security policy)`);
        return;
      }
      const local = /^Not allowed to load local resource: (\S+)/.exec(text);
      if (local) this.refused.push(`${local[1]} (local file)`);
      else if (!/net::ERR_BLOCKED_BY_CLIENT|Failed to load resource/.test(text)) this.pageErrors.push(text);
    });
    return tab;
  }

  /**
   * Replaces the page's @font-face rules that changed (a face cut to a new character set, with
   * the same metrics) and loads the new faces before anything is measured again; the other
   * faces stay loaded.
   */
  private async swapFonts(prev: ComposedPage, page: ComposedPage): Promise<void> {
    const [was, now] = [prev.fonts.css, page.fonts.css].map((c) => c.split('\n').filter(Boolean));
    const same = was!.length === now!.length;
    const swaps = now!.map((rule, i) => [i, rule] as const).filter(([i, rule]) => !same || was![i] !== rule);
    await this.tab!.evaluate(
      (all: boolean, swaps: (readonly [number, string])[]) => {
        const sheet = Array.from(document.styleSheets).find((x) => x.href?.endsWith('/styles/fonts.css'))!;
        if (all) while (sheet.cssRules.length) sheet.deleteRule(0);
        for (const [i, rule] of swaps) {
          if (!all) sheet.deleteRule(i);
          sheet.insertRule(rule, i);
        }
      },
      !same,
      swaps,
    );
    await this.fonts(page);
  }

  /** Loads every planned face explicitly and checks that each one really loaded. */
  private async fonts(page: ComposedPage): Promise<void> {
    const faces = [...page.fonts.used.keys()].map((n: FaceName) => ({
      family: FACES[n].family,
      weight: FACES[n].weight,
    }));
    const state = await this.tab!.evaluate(async () => {
      // every face at once: text in hidden chain sources has not asked for its file yet
      const all = Array.from(document.fonts);
      const ok = await Promise.all(
        all.map((f) =>
          f.status === 'loaded'
            ? Promise.resolve(true)
            : f.load().then(
                () => true,
                () => false,
              ),
        ),
      );
      await document.fonts.ready;
      const loaded: Record<string, number> = {};
      const failed: string[] = [];
      all.forEach((f, i) => {
        const key = `${f.family.replace(/"/g, '')}/${f.weight}`;
        if (ok[i]) loaded[key] = (loaded[key] ?? 0) + 1;
        else failed.push(key);
      });
      return { loaded, failed };
    });
    const notLoaded = faces.filter((f) => state.loaded[`${f.family}/${f.weight}`] !== 1);
    if (state.failed.length || notLoaded.length) {
      const why = this.pageErrors.length ? ` (${this.pageErrors.join('; ')})` : '';
      throw new Error(
        `fonts did not load: ${[...state.failed, ...notLoaded.map((f) => `${f.family} ${f.weight}`)].join(', ')}${why}`,
      );
    }
  }
}

function snapshotViewport(sizeMm: { w: number; h: number }): {
  width: number;
  height: number;
  deviceScaleFactor: number;
} {
  return {
    width: Math.ceil((sizeMm.w / 25.4) * 96),
    height: Math.ceil((sizeMm.h / 25.4) * 96),
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

const base64Files = new Map<string, string>();
const base64Bodies = new WeakMap<Buffer, string>();
function base64Of(a: { file?: string; body?: Buffer | string }): string {
  if (a.body === undefined) {
    let b = base64Files.get(a.file!);
    if (b === undefined) {
      b = readFileSync(a.file!).toString('base64');
      base64Files.set(a.file!, b);
    }
    return b;
  }
  if (typeof a.body === 'string') return Buffer.from(a.body).toString('base64');
  let b = base64Bodies.get(a.body);
  if (b === undefined) {
    b = a.body.toString('base64');
    base64Bodies.set(a.body, b);
  }
  return b;
}

/** An asset's bytes as base64: a font subset is made (or read from its cache) when first asked for. */
async function assetBase64(a: Asset): Promise<string> {
  return a.font ? base64Of({ body: await subsetBytes(a.font) }) : base64Of(a);
}

function serve(
  cdp: CDPSession,
  e: Protocol.Fetch.RequestPausedEvent,
  page: ComposedPage,
  refused: string[],
  errors: string[],
): void {
  const url = e.request.url;
  const respond = (status: number, type: string, body: string) =>
    cdp
      .send('Fetch.fulfillRequest', {
        requestId: e.requestId,
        responseCode: status,
        responseHeaders: [
          { name: 'Content-Type', value: type },
          { name: 'Cache-Control', value: 'no-store' },
        ],
        body,
      })
      .catch(() => undefined); // the tab may be gone
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    /* refused below */
  }
  if (u && u.origin === ORIGIN) {
    if (u.pathname === '/page.html')
      return void respond(200, 'text/html; charset=utf-8', Buffer.from(page.html).toString('base64'));
    // the browser's own request, not the page's
    if (u.pathname === '/favicon.ico') return void respond(404, 'text/plain', '');
    const a = page.assets.get(u.pathname);
    if (a && !u.search) {
      return void assetBase64(a).then(
        (body) => respond(200, a.type, body),
        (err: unknown) => {
          errors.push(`${u.pathname} could not be made: ${(err as Error).message ?? err}`);
          void cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'Failed' }).catch(() => undefined);
        },
      );
    }
  }
  refused.push(url.length > 200 ? url.slice(0, 200) + '…' : url);
  void cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'BlockedByClient' }).catch(() => undefined);
}
