/**
 * Print: the composed page in Chromium → PDF bytes. The page is served from a private origin
 * by request interception: it gets exactly the files compose listed, and every other request
 * (other paths, file://, http(s), data exfiltration through images or CSS) is refused and
 * reported. Readiness is explicit: fonts loaded and checked, then the in-page layout run.
 */
import { readFileSync } from 'node:fs';
import type { Browser, CDPSession, HTTPRequest, Page } from 'puppeteer';
import type { ComposedPage } from '../compose/compose.js';
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

const fileCache = new Map<string, Buffer>();
function readCached(file: string): Buffer {
  let b = fileCache.get(file);
  if (!b) {
    b = readFileSync(file);
    fileCache.set(file, b);
  }
  return b;
}

type LayoutOut = LayoutResult;

/**
 * A print session: one tab that stays loaded between builds. The first print loads the page;
 * later prints replace only the frames and texts that changed and thread again only the chains
 * they touch, unless the fonts or styles changed, which reloads the page.
 */
export class PrintSession {
  private tab: Page | undefined;
  private cdp: CDPSession | undefined;
  private current: ComposedPage | undefined;
  private refused: string[] = [];
  private pageErrors: string[] = [];

  constructor(private readonly browser: Browser) {}

  /** Opens the tab ahead of the first print (its renderer starts while the page is composed). */
  async warmUp(): Promise<void> {
    if (!this.tab) this.tab = await this.open();
  }

  async print(page: ComposedPage, sizeMm: { w: number; h: number }, proof?: ProofGrid): Promise<Printed> {
    this.refused = [];
    this.pageErrors = [];
    const t0 = performance.now();
    let layout: LayoutOut;
    let loadMs = 0;
    let fontMs = 0;
    const prev = this.current;
    this.current = page;
    if (!this.tab || !prev || !sameAssets(prev, page) || proof) {
      if (!this.tab || prev) {
        await this.tab?.close().catch(() => undefined);
        this.cdp = undefined;
        this.tab = await this.open();
      }
      // else: a tab opened ahead by warmUp(), still blank
      await this.tab.goto(`${ORIGIN}/page.html`, { waitUntil: 'load' });
      loadMs = performance.now() - t0;
      await this.fonts(page);
      fontMs = performance.now() - t0 - loadMs;
      await this.tab.waitForFunction(() => typeof (window as unknown as { broadsheetLayout?: unknown }).broadsheetLayout === 'function');
      layout = await this.tab.evaluate(() => (window as unknown as { broadsheetLayout: () => LayoutOut }).broadsheetLayout());
    } else {
      const changed = <T>(a: Map<string, T>, b: Map<string, T>) => [...b].filter(([k, v]) => a.get(k) !== v);
      const update = {
        frames: changed(prev.parts.frames, page.parts.frames),
        sources: changed(prev.parts.sources, page.parts.sources),
        ...(prev.parts.framesCss !== page.parts.framesCss ? { framesCss: page.parts.framesCss } : {}),
      };
      layout = await this.tab.evaluate((u) => (window as unknown as { broadsheetUpdate: (u: unknown) => LayoutOut }).broadsheetUpdate(u), update);
      await this.tab.evaluate(() => document.fonts.ready.then(() => undefined));
    }
    const t3 = performance.now();
    if (this.pageErrors.length) throw new Error(`the page reported errors: ${this.pageErrors.join('; ')}`);

    const pdf = await this.printToPdf(sizeMm);
    const t4 = performance.now();
    let proofPng: Uint8Array | undefined;
    if (proof) {
      // screen resolution: 96 px per inch; the overlay stays, so the next print reloads
      await this.tab.setViewport({ width: Math.ceil((sizeMm.w / 25.4) * 96), height: Math.ceil((sizeMm.h / 25.4) * 96), deviceScaleFactor: 1 });
      await this.tab.evaluate((g, chains) => (window as unknown as { broadsheetProof: (g: unknown, c: unknown) => void }).broadsheetProof(g, chains), proof, layout.chains);
      proofPng = await this.tab.screenshot({ type: 'png', fullPage: true });
      this.current = undefined;
    }
    return {
      pdf,
      ...(proofPng ? { proofPng } : {}),
      chains: layout.chains,
      photos: layout.photos,
      refused: this.refused,
      ms: { load: loadMs, fonts: fontMs, layout: t3 - t0 - loadMs - fontMs, layoutInPage: layout.ms, pdf: t4 - t3 },
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
    const want = { width: Math.ceil((sizeMm.w / 25.4) * 96), height: Math.ceil((sizeMm.h / 25.4) * 96), deviceScaleFactor: 0.5 };
    const vp = tab.viewport();
    if (!vp || vp.width !== want.width || vp.height !== want.height || vp.deviceScaleFactor !== want.deviceScaleFactor) await tab.setViewport(want);
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
    const tab = await this.browser.newPage();
    await tab.setRequestInterception(true);
    tab.on('request', (req: HTTPRequest) => serve(req, this.current!, this.refused));
    tab.on('pageerror', (e) => this.pageErrors.push(String((e as Error).message ?? e)));
    tab.on('console', (m) => {
      if (m.type() !== 'error') return;
      const text = m.text();
      if (/violates the following Content Security Policy directive/.test(text)) {
        const what = /'([^']+)' violates/.exec(text)?.[1] ?? /from '([^']+)'/.exec(text)?.[1] ?? /^(\w+ inline \w+)/.exec(text)?.[1]?.toLowerCase() ?? 'content';
        this.refused.push(`${what} (blocked by the page's security policy)`);
        return;
      }
      const local = /^Not allowed to load local resource: (\S+)/.exec(text);
      if (local) this.refused.push(`${local[1]} (local file)`);
      else if (!/net::ERR_BLOCKED_BY_CLIENT|Failed to load resource/.test(text)) this.pageErrors.push(text);
    });
    return tab;
  }

  /** Loads every planned face explicitly and checks that each one really loaded. */
  private async fonts(page: ComposedPage): Promise<void> {
    const faces = [...page.fonts.used.keys()].map((n: FaceName) => ({ family: FACES[n].family, weight: FACES[n].weight, files: page.fonts.used.get(n)!.length }));
    const state = await this.tab!.evaluate(async () => {
      await document.fonts.ready;
      const loaded: Record<string, number> = {};
      const failed: string[] = [];
      for (const f of Array.from(document.fonts)) {
        const key = `${f.family.replace(/"/g, '')}/${f.weight}`;
        if (f.status !== 'loaded') {
          try {
            await f.load();
          } catch {
            failed.push(key);
            continue;
          }
        }
        loaded[key] = (loaded[key] ?? 0) + 1;
      }
      return { loaded, failed };
    });
    const notLoaded = faces.filter((f) => (state.loaded[`${f.family}/${f.weight}`] ?? 0) !== f.files);
    if (state.failed.length || notLoaded.length) {
      throw new Error(`fonts did not load: ${[...state.failed, ...notLoaded.map((f) => `${f.family} ${f.weight}`)].join(', ')}`);
    }
  }
}

/** Same fonts, styles, scripts and images: a warm update is enough. */
function sameAssets(a: ComposedPage, b: ComposedPage): boolean {
  if (a.assets.size !== b.assets.size) return false;
  for (const [url, x] of b.assets) {
    if (url === '/styles/frames.css') continue;
    const y = a.assets.get(url);
    if (!y || y.file !== x.file || (x.body !== y.body && !(Buffer.isBuffer(x.body) && Buffer.isBuffer(y.body) && x.body.equals(y.body)))) return false;
  }
  return true;
}

function serve(req: HTTPRequest, page: ComposedPage, refused: string[]): void {
  const url = req.url();
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    /* refused below */
  }
  if (u && u.origin === ORIGIN) {
    if (u.pathname === '/page.html') {
      void req.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: page.html });
      return;
    }
    if (u.pathname === '/favicon.ico') {
      // the browser's own request, not the page's
      void req.respond({ status: 404, body: '' });
      return;
    }
    const a = page.assets.get(u.pathname);
    if (a && !u.search) {
      const body = a.body ?? readCached(a.file!);
      void req.respond({ status: 200, contentType: a.type, body, headers: { 'Cache-Control': 'no-store' } });
      return;
    }
  }
  refused.push(url.length > 200 ? url.slice(0, 200) + '…' : url);
  void req.abort('blockedbyclient');
}
