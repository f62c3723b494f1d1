/**
 * Print a handout: its composed document in a confined tab (print/serve.ts, the page's rules:
 * only the handout's own files load), every planned face loaded and checked, then Chromium's
 * Page.printToPDF of the page's own @page size and margins, a tagged PDF and an outline. The
 * running header (publication, title) and the folio (第 x 页 共 y 页) are the @page rule's margin
 * boxes (compose.ts), in the page's own faces: Chromium's header and footer templates are drawn
 * apart from the page and fell back to system fonts (DroidSansFallback) whatever face they named.
 */
import type { Browser, CDPSession, Page } from 'puppeteer';
import { FACES, type FaceName } from '../fonts/faces.js';
import { msg } from '../messages.js';
import { confine, ORIGIN, PageLog } from '../print/serve.js';
import type { HandoutPage } from './compose.js';
import type { HandoutFitResult } from '../layout/page/handout-protocol.js';
import type { HandoutGeometry } from './presets.js';

const IN = 25.4;

export class HandoutTab {
  private tab: Page | undefined;
  private cdp: CDPSession | undefined;
  private current: HandoutPage | undefined;
  private readonly log = new PageLog();

  constructor(private readonly browser: Browser) {}

  /** Prints one handout; the tab stays open for the next. */
  async print(
    page: HandoutPage,
    geo: HandoutGeometry,
  ): Promise<{ pdf: Uint8Array; refused: string[]; fitted: HandoutFitResult }> {
    const { tab, cdp } = await this.open();
    this.log.clear();
    const prev = this.current;
    this.current = page;
    if (prev && sameFrame(prev, page)) {
      // the next row of a batch: the same styles, faces and images, other text; the loaded page
      // keeps its faces and its script (and the fitter's paragraphs already fitted), its body is replaced
      await tab.evaluate(async (body: string) => {
        type Img = { decode(): Promise<void> };
        const doc = (globalThis as unknown as { document: { body: { innerHTML: string }; images: ArrayLike<Img> } })
          .document;
        doc.body.innerHTML = body;
        await Promise.all(Array.from(doc.images).map((i) => i.decode().catch(() => undefined)));
      }, bodyOf(page.html));
    } else {
      await tab.goto(`${ORIGIN}/page.html`, { waitUntil: 'load' });
      await this.checkFonts(tab, page);
    }
    // the same line fitting as the page, once every face is in (handout.ts in the page)
    await tab.waitForFunction(() => globalThis.broadsheetHandout !== undefined);
    const fitted = await tab.evaluate(() => globalThis.broadsheetHandout?.fit());
    if (!fitted) throw msg.pageScriptMissing();
    if (this.log.errors.length) throw msg.pageErrors(this.log.errors);
    const p = geo.preset;
    const r = await cdp.send('Page.printToPDF', {
      paperWidth: p.w / IN,
      paperHeight: p.h / IN,
      printBackground: true,
      displayHeaderFooter: false,
      // the page's @page rule: size, margins, and the running header and folio in its margin boxes
      preferCSSPageSize: true,
      generateTaggedPDF: true,
      generateDocumentOutline: true,
      transferMode: 'ReturnAsBase64',
    });
    return { pdf: Buffer.from(r.data, 'base64'), refused: [...this.log.refused], fitted };
  }

  async close(): Promise<void> {
    const tab = this.tab;
    this.tab = undefined;
    this.cdp = undefined;
    if (tab && !tab.isClosed() && this.browser.connected) await tab.close().catch(() => undefined);
  }

  private async open(): Promise<{ tab: Page; cdp: CDPSession }> {
    if (this.tab && this.cdp && !this.tab.isClosed()) return { tab: this.tab, cdp: this.cdp };
    const tab = await this.browser.newPage();
    const cdp = await tab.createCDPSession();
    await confine(tab, cdp, () => this.current, this.log);
    this.tab = tab;
    this.cdp = cdp;
    return { tab, cdp };
  }

  /** Every planned face loaded explicitly, then checked: document.fonts.check() says yes when none matched. */
  private async checkFonts(tab: Page, page: HandoutPage): Promise<void> {
    const faces = [...page.fonts.used.keys()].map((n: FaceName) => ({
      family: FACES[n].family,
      weight: FACES[n].weight,
    }));
    const loaded = await tab.evaluate(async (faces) => {
      type Fonts = { load(spec: string): Promise<{ status: string }[]> };
      const fonts = (globalThis as unknown as { document: { fonts: Fonts } }).document.fonts;
      const out: string[] = [];
      for (const f of faces) {
        const got = await fonts.load(`${f.weight} 16px "${f.family}"`);
        if (got.some((x) => x.status === 'loaded')) out.push(`${f.family}/${f.weight}`);
      }
      return out;
    }, faces);
    const missing = faces
      .filter((f) => !loaded.includes(`${f.family}/${f.weight}`))
      .map((f) => `${f.family} ${f.weight}`);
    if (missing.length) throw msg.fontsNotLoaded(missing, this.log.errors);
  }
}

/** The document's body (what a warm update replaces). */
function bodyOf(html: string): string {
  return html.slice(html.indexOf('>', html.indexOf('<body')) + 1, html.lastIndexOf('</body>'));
}

/** Whether two handouts differ in their body's content only: the same head, styles, fonts and images. */
function sameFrame(a: HandoutPage, b: HandoutPage): boolean {
  const frame = (html: string) => html.slice(0, html.indexOf('>', html.indexOf('<body')) + 1);
  if (frame(a.html) !== frame(b.html) || a.assets.size !== b.assets.size) return false;
  for (const [url, x] of b.assets) {
    const y = a.assets.get(url);
    if (!y || x.file !== y.file || x.type !== y.type) return false;
    if (x.font || y.font) {
      if (!x.font || !y.font || x.font.file !== y.font.file || x.font.chars !== y.font.chars) return false;
    } else if (x.body !== y.body && !(Buffer.isBuffer(x.body) && Buffer.isBuffer(y.body) && x.body.equals(y.body)))
      return false;
  }
  return true;
}
