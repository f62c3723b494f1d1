/**
 * Print: the composed page in Chromium → PDF bytes. The page is served from a private origin
 * by request interception: it gets exactly the files compose listed, and every other request
 * (other paths, file://, http(s), data exfiltration through images or CSS) is refused and
 * reported. Readiness is explicit: fonts loaded and checked, then the in-page layout run.
 */
import { readFileSync } from 'node:fs';
import type { Browser, HTTPRequest } from 'puppeteer';
import type { ComposedPage } from '../compose/compose.js';
import { FACES, type FaceName } from '../fonts/faces.js';

export const ORIGIN = 'https://broadsheet.invalid';

export interface ChainLayout {
  id: string;
  status: 'fits' | 'overset' | 'underset';
  oversetChars: number;
  oversetLines: number;
  emptyLines: number;
  frames: string[];
  /** what copy-fit changed to make the chain fit */
  copyFit?: { frame: string; fromLines: number; toLines: number };
}

export interface PhotoBox { id: string; widthMm: number; heightMm: number }

export interface Printed {
  pdf: Uint8Array;
  /** the page with grid, frames and overset markers drawn over it (--proof) */
  proofPng?: Uint8Array;
  chains: ChainLayout[];
  /** the photos' boxes as laid out (copy-fit may have changed them) */
  photos: PhotoBox[];
  refused: string[];
  pageErrors: string[];
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

export interface ProofGrid { columns: number; colW: number; gutter: number; left: number; top: number; lines: number; pitch: number }

export async function printPage(browser: Browser, page: ComposedPage, sizeMm: { w: number; h: number }, proof?: ProofGrid): Promise<Printed> {
  const tab = await browser.newPage();
  const refused: string[] = [];
  const pageErrors: string[] = [];
  try {
    await tab.setJavaScriptEnabled(true);
    await tab.setRequestInterception(true);
    tab.on('request', (req: HTTPRequest) => serve(req, page, refused));
    tab.on('pageerror', (e) => pageErrors.push(String((e as Error).message ?? e)));
    tab.on('console', (m) => {
      if (m.type() !== 'error') return;
      const text = m.text();
      if (/violates the following Content Security Policy directive/.test(text)) {
        const what = /'([^']+)' violates/.exec(text)?.[1] ?? /from '([^']+)'/.exec(text)?.[1] ?? /^(\w+ inline \w+)/.exec(text)?.[1]?.toLowerCase() ?? 'content';
        refused.push(`${what} (blocked by the page's security policy)`);
        return;
      }
      const local = /^Not allowed to load local resource: (\S+)/.exec(text);
      if (local) refused.push(`${local[1]} (local file)`);
      else if (!/net::ERR_BLOCKED_BY_CLIENT|Failed to load resource/.test(text)) pageErrors.push(text);
    });

    const t0 = performance.now();
    await tab.goto(`${ORIGIN}/page.html`, { waitUntil: 'load' });
    const t1 = performance.now();

    // Fonts: load every planned face explicitly and check that each one really loaded.
    const faces = [...page.fonts.used.keys()].map((n: FaceName) => ({ family: FACES[n].family, weight: FACES[n].weight, files: page.fonts.used.get(n)!.length }));
    const fontState = await tab.evaluate(async (wanted) => {
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
      return { loaded, failed, wanted };
    }, faces);
    const notLoaded = faces.filter((f) => (fontState.loaded[`${f.family}/${f.weight}`] ?? 0) !== f.files);
    if (fontState.failed.length || notLoaded.length) {
      throw new Error(`fonts did not load: ${[...fontState.failed, ...notLoaded.map((f) => `${f.family} ${f.weight}`)].join(', ')}`);
    }
    const t2 = performance.now();

    await tab.waitForFunction(() => typeof (window as unknown as { broadsheetLayout?: unknown }).broadsheetLayout === 'function');
    const layout = await tab.evaluate(() => (window as unknown as { broadsheetLayout: () => { chains: ChainLayout[]; photos: PhotoBox[]; ms: number } }).broadsheetLayout());
    const t3 = performance.now();
    if (pageErrors.length) throw new Error(`the page reported errors: ${pageErrors.join('; ')}`);

    const pdf = await tab.pdf({
      width: `${sizeMm.w}mm`,
      height: `${sizeMm.h}mm`,
      printBackground: true,
      margin: { top: 0, right: 0, bottom: 0, left: 0 },
      displayHeaderFooter: false,
      tagged: false,
      outline: false,
      timeout: 60_000,
    });
    const t4 = performance.now();
    let proofPng: Uint8Array | undefined;
    if (proof) {
      // screen resolution: 96 px per inch
      await tab.setViewport({ width: Math.ceil((sizeMm.w / 25.4) * 96), height: Math.ceil((sizeMm.h / 25.4) * 96), deviceScaleFactor: 1 });
      await tab.evaluate((g, chains) => (window as unknown as { broadsheetProof: (g: unknown, c: unknown) => void }).broadsheetProof(g, chains), proof, layout.chains);
      proofPng = await tab.screenshot({ type: 'png', fullPage: true });
    }
    return {
      pdf,
      ...(proofPng ? { proofPng } : {}),
      chains: layout.chains,
      photos: layout.photos,
      refused,
      pageErrors,
      ms: { load: t1 - t0, fonts: t2 - t1, layout: t3 - t2, layoutInPage: layout.ms, pdf: t4 - t3 },
    };
  } finally {
    await tab.close().catch(() => undefined);
  }
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
