/**
 * `broadsheet placeholders <edition>`: a clearly marked 300 ppi placeholder JPEG for every photo
 * that has no file yet (and, with --force, for every placeholder whose frame has changed size),
 * at the size the page prints it. It reads the edition without its photo files; the sizes come
 * from the same layout functions a build uses (compose/placeholder.ts); Chromium draws each
 * placeholder and each file is written atomically.
 */
import path from 'node:path';
import { imageSize } from 'image-size';
import type { Page } from 'puppeteer';
import { loadEdition } from '../load/edition.js';
import { bind } from '../bind/figures.js';
import { layoutPage } from '../layout/frames.js';
import {
  PLACEHOLDER_PPI,
  placeholderHtml,
  placeholderTexts,
  planPlaceholders,
  withDensity,
  type PlaceholderPlan,
} from '../compose/placeholder.js';
import { FACES, fontFile } from '../fonts/faces.js';
import { subsetBytes } from '../fonts/subset.js';
import { launchBrowser, type Launched } from '../print/browser.js';
import { writeAtomic } from '../output/write.js';
import { InputErrors, msg } from '../messages.js';
import { silentLogger, type Logger } from '../log.js';
import type { Command } from './command.js';

export interface PlaceholderOptions {
  force?: boolean;
  log?: Logger;
  /** a browser kept by the caller (tests); otherwise one is launched and closed */
  browser?: Launched;
}

export const placeholders: Command = {
  options: { force: { type: 'boolean', default: false } },
  async run({ edition, values, log }) {
    await makePlaceholders(edition, { force: values.force === true, log });
    return 0;
  },
};

/** Plans the edition's placeholders, draws and writes those to make; returns the plans. */
export async function makePlaceholders(editionDir: string, opts: PlaceholderOptions = {}): Promise<PlaceholderPlan[]> {
  const log = opts.log ?? silentLogger;
  const ed = loadEdition(editionDir, { photosMayBeMissing: true });
  const layout = layoutPage(ed);
  const plans = planPlaceholders(ed, bind(ed), layout, opts.force ?? false);
  const todo = plans.filter((p) => p.action === 'make' || p.action === 'remake');
  const notJpeg = todo.filter((p) => !/\.jpe?g$/i.test(p.ref)).map((p) => msg.placeholderNotJpeg(p.place, p.ref));
  if (notJpeg.length) throw notJpeg.length === 1 ? notJpeg[0]! : new InputErrors(notJpeg);

  if (todo.length) {
    const launched = opts.browser ?? (await launchBrowser());
    let tab: Page | undefined;
    try {
      tab = await launched.browser.newPage();
      const chars = [...new Set(todo.flatMap((p) => Object.values(placeholderTexts(p))).join('') + '0123456789')];
      const font = await subsetBytes({ file: fontFile(FACES.sansBold), chars: chars.sort().join('') });
      const fontUrl = `data:font/ttf;base64,${font.toString('base64')}`;
      for (const p of todo) {
        const jpeg = await draw(tab, p, fontUrl);
        writeAtomic(path.join(ed.dir, p.ref), jpeg);
        log.info(msg.placeholderMade(p.file, p.px, p.widthMm, p.heightMm, p.action === 'remake'));
        if (!p.marked) log.info(`note: ${msg.placeholderNotMarked(p.place, p.id)}`);
      }
    } finally {
      await tab?.close().catch(() => undefined);
      if (!opts.browser) await launched.close();
    }
  }
  for (const p of plans) {
    if (p.action === 'stale') log.warn(msg.placeholderStale(p.file, p.has!, p.px));
    if (p.action === 'keep') log.info(msg.placeholderKept(p.file, p.marked));
  }
  log.info(msg.placeholdersDone(todo.length, plans.filter((p) => p.action === 'stale').length));
  return plans;
}

/** In the placeholder's page: its one face loaded (true), or not. */
const FONT_LOADED = `(async () => {
  const faces = Array.from(document.fonts);
  await Promise.all(faces.map((f) => f.load().catch(() => undefined)));
  await document.fonts.ready;
  return faces.length > 0 && faces.every((f) => f.status === 'loaded');
})()`;

/** One placeholder drawn at its pixel size, as a JPEG that records its 300 ppi. */
async function draw(tab: Page, p: PlaceholderPlan, fontUrl: string): Promise<Buffer> {
  await tab.setViewport({ width: p.px[0], height: p.px[1], deviceScaleFactor: 1 });
  await tab.setContent(placeholderHtml(p, fontUrl), { waitUntil: 'load' });
  // this page has no page script of ours (layout/page/): it is asked in the page's own terms
  const loaded = await tab.evaluate(FONT_LOADED);
  if (!loaded) throw new Error(`the placeholder font did not load for ${p.id}`);
  const shot = await tab.screenshot({ type: 'jpeg', quality: 85, captureBeyondViewport: false });
  const jpeg = withDensity(shot, PLACEHOLDER_PPI);
  const size = imageSize(jpeg);
  if (size.width !== p.px[0] || size.height !== p.px[1])
    throw new Error(`placeholder ${p.id} came out ${size.width} × ${size.height} px, not ${p.px[0]} × ${p.px[1]}`);
  return jpeg;
}
