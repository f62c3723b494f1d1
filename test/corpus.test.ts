/**
 * The corpus: editions written for the tests (test/fixtures/editions/*, each with a README),
 * each unlike the sample, each built and read back from its PDF for what holds today: page
 * boxes per preset, only planned fonts (but for the kicker, issue 12), every sentence printed
 * in its chain's order, no line starting or ending with a forbidden mark, no glyph printed over
 * another, photos at 300 ppi and their placeholders up to date, each chain's fit as its layout
 * was sized. What the page still gets wrong is listed by test/inspect.ts (see the READMEs).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { buildEdition, type BuildResult } from '../src/pipeline.js';
import { launchBrowser, type Launched } from '../src/print/browser.js';
import { makePlaceholders } from '../src/cli/placeholders.js';
import { bind } from '../src/bind/figures.js';
import { loadEdition } from '../src/load/edition.js';
import { FIXTURES, MM, pdfBoxes, pdfFonts, pdfImages, pdftext, squash, tempDir } from './helpers.js';
import {
  editionGrid,
  frameBoxes,
  overlaps,
  pdfGlyphs,
  PLANNED_FONTS,
  sentences,
  textLines,
  type FrameBox,
  type Glyph,
} from './page-check.js';

const CORPUS = path.join(FIXTURES, 'editions');

/**
 * Each edition's chains as its layout was sized by hand from the report's counts: at most this
 * many empty lines, and the flexible frame that copy-fit may move (within its range).
 */
const SIZED: Record<string, Record<string, { empty: number; copyFit?: [string, number, number] }>> = {
  'short-feature': { main: { empty: 1, copyFit: ['wq', 29, 37] } },
  numbers: { lead: { empty: 2 }, s1: { empty: 2 }, s2: { empty: 2 }, s3: { empty: 2 }, s4: { empty: 2 } },
  'no-photos': { lead: { empty: 2 }, s1: { empty: 2 }, s2: { empty: 3 }, s3: { empty: 3 }, s4: { empty: 3 } },
  a4: { main: { empty: 1, copyFit: ['minutes', 9, 15] } },
  'long-photos': { main: { empty: 1 } },
};

/** Trim and bleed of each preset, mm (README: 390 × 545 broadsheet, A4 210 × 297, 3 mm bleed). */
const PAGE: Record<string, { w: number; h: number; bleed: number }> = {
  broadsheet: { w: 390, h: 545, bleed: 3 },
  a4: { w: 210, h: 297, bleed: 3 },
};

let browser: Launched;
const built = new Map<string, BuildResult>();
const dirOf = (name: string) => path.join(CORPUS, name);
const presetOf = (name: string) =>
  (loadYaml(readFileSync(path.join(dirOf(name), 'edition.yaml'), 'utf8')) as { preset: string }).preset;

test.before(async () => {
  browser = await launchBrowser();
  for (const name of Object.keys(SIZED)) {
    const out = tempDir(`corpus-${name}-`);
    built.set(name, await buildEdition(dirOf(name), { outDir: out, browser, changes: false }));
  }
});
test.after(async () => {
  await browser.close();
});

test('the corpus is every edition folder, each with a README, and each unlike the sample', () => {
  const dirs = readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.equal(dirs, Object.keys(SIZED).sort());
  for (const d of dirs) assert.ok(readFileSync(path.join(dirOf(d), 'README.md'), 'utf8').length > 200, d);
  assert.equal(
    dirs.map(presetOf),
    dirs.map((d) => (d === 'a4' ? 'a4' : 'broadsheet')),
  );
});

test('page boxes per preset: MediaBox = BleedBox = trim + 3 mm each side, TrimBox the trim, to 0.01 mm', () => {
  for (const [name, r] of built) {
    const p = PAGE[presetOf(name)]!;
    const b = pdfBoxes(r.pdfPath);
    const size = (x: { x0: number; y0: number; x1: number; y1: number }) => [(x.x1 - x.x0) / MM, (x.y1 - x.y0) / MM];
    const near = (a: number[], e: number[]) => a.every((v, i) => Math.abs(v - e[i]!) <= 0.01);
    assert.ok(
      near(size(b.MediaBox!), [p.w + 2 * p.bleed, p.h + 2 * p.bleed]),
      `${name} MediaBox ${size(b.MediaBox!).join(' × ')}`,
    );
    assert.equal(b.BleedBox, b.MediaBox, name);
    assert.ok(near(size(b.TrimBox!), [p.w, p.h]), `${name} TrimBox ${size(b.TrimBox!).join(' × ')}`);
    assert.ok(Math.abs((b.TrimBox!.x0 - b.MediaBox!.x0) / MM - p.bleed) <= 0.01, name);
  }
});

test("each chain's fit is as its layout was sized: none over, empty lines within a line or few, copy-fit in range", () => {
  for (const [name, r] of built) {
    const want = SIZED[name]!;
    assert.equal(r.report.chains.map((c) => c.id).sort(), Object.keys(want).sort(), name);
    for (const c of r.report.chains) {
      const w = want[c.id]!;
      assert.ok(c.status === 'fits' || c.status === 'underset', `${name}/${c.id}: ${c.status}`);
      assert.ok(c.emptyLines <= w.empty, `${name}/${c.id}: ${c.emptyLines} empty lines (sized for ≤ ${w.empty})`);
      if (w.copyFit) {
        const [frame, min, max] = w.copyFit;
        const layout = loadYaml(readFileSync(path.join(dirOf(name), 'layout.yaml'), 'utf8')) as {
          frames: { id: string; lines: number }[];
        };
        // no copy-fit: the frame keeps the lines the layout gives it
        const lines = c.copyFit?.toLines ?? layout.frames.find((f) => f.id === frame)!.lines;
        assert.is(c.copyFit?.frame ?? frame, frame, `${name}/${c.id}`);
        assert.ok(lines >= min && lines <= max, `${name}/${c.id}: ${frame} at ${lines} lines`);
      } else assert.is(c.copyFit, undefined, `${name}/${c.id}`);
    }
    // no other warning: every derived figure agrees with its inputs, no figure typed out
    for (const w of r.report.warnings) assert.match(w, /empty lines at the end of its last frame/, `${name}: ${w}`);
  }
});

/** Kicker characters (the story's front matter): issue 12 item 1 prints some in a system font. */
function kickerChars(name: string): Set<string> {
  const story = readFileSync(path.join(dirOf(name), 'story.md'), 'utf8');
  return new Set([...(/^kicker:\s*(.*)$/m.exec(story)?.[1] ?? '')]);
}

test('fonts: all embedded CID TrueType subsets, never Type 3; only the six planned faces but in the kicker', () => {
  for (const [name, r] of built) {
    const fonts = pdfFonts(r.pdfPath);
    for (const f of fonts) {
      assert.ok(f.emb && f.sub && f.uni, `${name}: ${f.name} not embedded/subset/unicode`);
      assert.is(f.type, 'CID TrueType', `${name}: ${f.name}`);
    }
    const g = editionGrid(dirOf(name));
    const headline = frameBoxes(dirOf(name), r.report).find((f) => f.kind === 'headline');
    const kicker = kickerChars(name);
    for (const glyph of pdfGlyphs(r.pdfPath, g.bleed)) {
      if (PLANNED_FONTS.includes(glyph.font)) continue;
      // issue 12 item 1, still open: a kicker's characters fall back to a system font
      const inKicker = headline && kicker.has(glyph.c) && centreIn(glyph, headline);
      assert.ok(inKicker, `${name}: "${glyph.c}" printed in ${glyph.font}, outside the kicker`);
    }
  }
});

const centreIn = (g: Glyph, f: FrameBox) => {
  const [cx, cy] = [(g.x0 + g.x1) / 2, (g.y0 + g.y1) / 2];
  return cx >= f.x && cx <= f.x + f.w && cy >= f.y && cy <= f.y + f.h;
};

test("every sentence is printed, a chain's in its order through its frames; heads, captions, titles, headline group", () => {
  for (const [name, r] of built) {
    const dir = dirOf(name);
    const b = bind(loadEdition(dir));
    const g = editionGrid(dir);
    const frames = frameBoxes(dir, r.report);
    const glyphs = pdfGlyphs(r.pdfPath, g.bleed);
    // a glyph set a little past its frame is still printed text: take it into the nearest frame
    const wide = frames.map((f) => ({ ...f, x: f.x - 4, w: f.w + 8 }));
    const lines = textLines(glyphs, frames);
    const loose = textLines(
      glyphs.filter((x) => !lines.some((l) => l.glyphs.includes(x))),
      wide,
    );
    const order = frames.filter((f) => f.kind === 'text').map((f) => f.id);
    const flat = (segs: { s: string }[] | undefined) => (segs ?? []).map((s) => s.s).join('');
    for (const c of b.chains) {
      const inChain = (id: string) => frames.find((f) => f.id === id)?.chain === c.id;
      const all = [...lines, ...loose]
        .filter((l) => inChain(l.frame))
        .sort(
          (x, y) => order.indexOf(x.frame) - order.indexOf(y.frame) || x.y - y.y || x.glyphs[0]!.x0 - y.glyphs[0]!.x0,
        );
      // a line split into two pieces (part past the frame) joins up again in x order on its baseline
      const printed = squash(all.map((l) => l.text).join(''));
      const headFrame = frames.some((f) => f.kind === 'head' && f.chain === c.id);
      let from = 0;
      let count = 0;
      for (const block of c.blocks) {
        if (block.kind === 'head' && headFrame) continue;
        for (const s of block.kind === 'head' ? [squash(flat(block.segs))] : sentences(flat(block.segs))) {
          const at = printed.indexOf(s, from);
          assert.ok(at >= 0, `${name}/${c.id}: missing or out of order: ${s}`);
          from = at + s.length;
          count++;
        }
      }
      assert.ok(count > 0, `${name}/${c.id}: no sentence checked`);
    }
    const text = squash(pdftext(r.pdfPath, '-raw'));
    const others = [
      ...b.chains.flatMap((c) => c.blocks.filter((x) => x.kind === 'head').map((x) => flat(x.segs))),
      ...[...b.captions.photos.values()].map((s) => `▲${s}`),
      ...b.captions.charts.values(),
      ...['kicker', 'headline', 'subhead', 'byline', 'banner', 'series'].map((k) => flat(b.headline[k])),
    ];
    for (const s of others) assert.ok(text.includes(squash(s)), `${name}: "${s}" not in the PDF's text`);
  }
});

test('no line of a text frame starts with a closing mark or ends with an opening one (clreq)', () => {
  const NO_START = new Set([...'、，。：；！？”’）》」』】·']);
  const NO_END = new Set([...'“‘（《「『【']);
  for (const [name, r] of built) {
    const dir = dirOf(name);
    const lines = textLines(pdfGlyphs(r.pdfPath, editionGrid(dir).bleed), frameBoxes(dir, r.report));
    assert.ok(lines.length > 30, `${name}: ${lines.length} lines read`);
    for (const l of lines) {
      assert.not.ok(NO_START.has(l.text[0]!), `${name}/${l.frame}: "${l.text}" starts with a closing mark`);
      assert.not.ok(
        NO_END.has(l.text[l.text.length - 1]!),
        `${name}/${l.frame}: "${l.text}" ends with an opening mark`,
      );
    }
  }
});

test('no glyph is printed over a glyph of another line', () => {
  for (const [name, r] of built) {
    const ov = overlaps(pdfGlyphs(r.pdfPath, editionGrid(dirOf(name)).bleed));
    assert.equal(
      ov.map((o) => `${o.a}/${o.b} at ${o.at.x.toFixed(1)},${o.at.y.toFixed(1)} mm`),
      [],
      name,
    );
  }
});

test('photos: every one embedded at 300 ppi or more, and its placeholder up to date with the layout', async () => {
  for (const [name, r] of built) {
    const declared = Object.keys(
      (loadYaml(readFileSync(path.join(dirOf(name), 'edition.yaml'), 'utf8')) as { photos?: object }).photos ?? {},
    );
    const imgs = pdfImages(r.pdfPath);
    assert.is(imgs.length, declared.length, name);
    for (const p of r.report.photos) assert.ok(Math.round(p.ppi) >= 300, `${name}: ${p.id} at ${p.ppi} ppi`);
    // as drawn in the PDF: Chromium snaps a photo cropped by object-fit to whole CSS pixels, which
    // can make it up to a pixel larger than its frame (the panorama here: 299.0 ppi down)
    for (const i of imgs)
      assert.ok(i.xppi >= 299 && i.yppi >= 299, `${name}: ${i.width}×${i.height} at ${i.xppi}/${i.yppi} ppi`);
    const plans = await makePlaceholders(dirOf(name), { browser });
    assert.equal(
      plans.filter((p) => p.action !== 'keep').map((p) => `${p.id}: ${p.action}`),
      [],
      `${name}: run "broadsheet placeholders --force ${path.relative(process.cwd(), dirOf(name))}"`,
    );
  }
});

test.run();
