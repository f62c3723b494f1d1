/**
 * The corpus: editions written for the tests (test/fixtures/editions/*, each with a README),
 * each unlike the sample, each built and read back from its PDF, and the sample with them
 * (issue 12: every edition as clean as the sample): page boxes per preset, only the six planned
 * fonts, no glyph past its frame, no glyph printed over another, every sentence printed in its
 * chain's order, no line starting or ending with a forbidden mark (nor at a unit's slash), even
 * spacing within each line, decimals as written, no unit or mark printed twice, the build's own
 * page check clean, photos at 300 ppi and their placeholders up to date, each chain's fit as its
 * layout was sized. test/inspect.ts lists every finding of one built edition.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { buildEdition, type BuildResult } from '../src/pipeline.js';
import { launchBrowser, type Launched } from '../src/print/browser.js';
import { makePlaceholders } from '../src/cli/placeholders.js';
import { bind } from '../src/bind/figures.js';
import { loadEdition } from '../src/load/edition.js';
import {
  copyEdition,
  FIXTURES,
  lineOf,
  MM,
  pdfBoxes,
  pdfFonts,
  pdfImages,
  pdftext,
  SAMPLE,
  squash,
  tempDir,
} from './helpers.js';
import { InputError, InputErrors } from '../src/messages.js';
import {
  editionGrid,
  forbiddenEdges,
  frameBoxes,
  glyphsPastFrames,
  hanLatinGaps,
  overlaps,
  unevenLines,
  writtenDecimals,
  pdfGlyphs,
  PLANNED_FONTS,
  sentences,
  textLines,
} from './page-check.js';

const CORPUS = path.join(FIXTURES, 'editions');

/**
 * Each edition's chains as its layout was sized by hand from the report's counts: at most this
 * many empty lines, and the flexible frame that copy-fit may move (within its range).
 */
const SIZED: Record<string, Record<string, { empty: number; copyFit?: [string, number, number] }>> = {
  'short-feature': { main: { empty: 1, copyFit: ['wq', 29, 37] } },
  numbers: { lead: { empty: 2 }, s1: { empty: 3 }, s2: { empty: 2 }, s3: { empty: 2 }, s4: { empty: 2 } },
  'no-photos': { lead: { empty: 2 }, s1: { empty: 2 }, s2: { empty: 3 }, s3: { empty: 3 }, s4: { empty: 3 } },
  a4: { main: { empty: 1, copyFit: ['minutes', 9, 15] } },
  'long-photos': { main: { empty: 1 } },
  // made by following README "Make a new page" (issue 12)
  'mill-quarter': { lead: { empty: 1 }, main: { empty: 1 } },
  // an unseen article composed by `broadsheet compose --write` (issue 15)
  'qingxi-river': { lead: { empty: 1 }, s1: { empty: 1 } },
};

/** Trim and bleed of each preset, mm (README: 390 × 545 broadsheet, A4 210 × 297, 3 mm bleed). */
const PAGE: Record<string, { w: number; h: number; bleed: number }> = {
  broadsheet: { w: 390, h: 545, bleed: 3 },
  a4: { w: 210, h: 297, bleed: 3 },
};

let browser: Launched;
const built = new Map<string, BuildResult>();
const dirOf = (name: string) => (name === 'yuhu-2025' ? SAMPLE : path.join(CORPUS, name));
const presetOf = (name: string) =>
  (loadYaml(readFileSync(path.join(dirOf(name), 'edition.yaml'), 'utf8')) as { preset: string }).preset;

test.before(async () => {
  browser = await launchBrowser();
  for (const name of [...Object.keys(SIZED), 'yuhu-2025']) {
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
    const want = SIZED[name];
    if (!want) continue; // the sample: its own tests
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

test('fonts: all embedded CID TrueType subsets, never Type 3; every glyph in one of the six planned faces', () => {
  for (const [name, r] of built) {
    const fonts = pdfFonts(r.pdfPath);
    for (const f of fonts) {
      assert.ok(f.emb && f.sub && f.uni, `${name}: ${f.name} not embedded/subset/unicode`);
      assert.is(f.type, 'CID TrueType', `${name}: ${f.name}`);
    }
    const g = editionGrid(dirOf(name));
    const foreign = pdfGlyphs(r.pdfPath, g.bleed).filter((x) => !PLANNED_FONTS.includes(x.font));
    assert.equal(
      foreign.map((x) => `${x.c} in ${x.font}`),
      [],
      `${name}: glyphs in a font the page did not plan`,
    );
    // the build read the same fonts back from its PDF
    assert.ok(
      r.report.pageCheck.fonts.every((f) => PLANNED_FONTS.includes(f)),
      `${name}: ${r.report.pageCheck.fonts.join(', ')}`,
    );
  }
});

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
    if (!SIZED[name]) continue; // the sample's photos are placeholders of its own (test/placeholders.test.ts)
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

test('nothing past its frame: every glyph (ink box) inside the box of the frame it belongs to, to 0.1 mm', () => {
  for (const [name, r] of built) {
    const dir = dirOf(name);
    const g = editionGrid(dir);
    const past = glyphsPastFrames(pdfGlyphs(r.pdfPath, g.bleed), frameBoxes(dir, r.report), g.top);
    assert.equal(
      past.map((p) => `${p.frame}: "${p.text}" r ${p.right.toFixed(2)} l ${p.left.toFixed(2)} in "${p.line}"`),
      [],
      name,
    );
  }
});

test("report.json: every frame's final box, and copy-fit's frames where the page put them", () => {
  for (const [name, r] of built) {
    const dir = dirOf(name);
    const hand = frameBoxes(dir, r.report);
    for (const c of r.report.chains)
      for (const b of c.frameBoxes) {
        // the hand-computed boxes of a text frame are per column: the report's spans them
        const cols = hand.filter((h) => h.id === b.id || h.id.startsWith(`${b.id}.`));
        assert.ok(cols.length, `${name}: ${b.id}`);
        const x0 = Math.min(...cols.map((h) => h.x));
        const y0 = Math.min(...cols.map((h) => h.y));
        const h1 = Math.max(...cols.map((h) => h.y + h.h));
        assert.ok(
          Math.abs(b.x - x0) < 0.05 && Math.abs(b.y - y0) < 0.05,
          `${name}: ${b.id} at ${b.x},${b.y} not ${x0},${y0}`,
        );
        assert.ok(Math.abs(b.y + b.h - h1) < 0.05, `${name}: ${b.id} bottom ${b.y + b.h} not ${h1}`);
      }
    assert.ok(r.report.frames.length >= r.report.chains.length, name);
  }
});

test('even spacing: within a line, marks of one kind compressed alike and Han–Latin gaps alike; none where the house has none', () => {
  for (const [name, r] of built) {
    const dir = dirOf(name);
    const lines = textLines(pdfGlyphs(r.pdfPath, editionGrid(dir).bleed), frameBoxes(dir, r.report));
    assert.equal(
      unevenLines(lines).map((u) => `${u.frame}: "${u.text}" ${u.detail}`),
      [],
      name,
    );
    const house = (loadYaml(readFileSync(path.join(dir, 'edition.yaml'), 'utf8')) as { house?: { hanLatin?: string } })
      .house;
    if ((house?.hanLatin ?? 'none') === 'none')
      assert.equal(
        hanLatinGaps(lines).map((h) => `${h.frame}: "${h.text}" ${h.gaps.join(', ')}`),
        [],
        name,
      );
  }
});

test('no line starts with a unit slash or a percent sign, or ends at a slash (微克/立方米 unbroken)', () => {
  for (const [name, r] of built) {
    const dir = dirOf(name);
    const lines = textLines(pdfGlyphs(r.pdfPath, editionGrid(dir).bleed), frameBoxes(dir, r.report));
    assert.equal(
      forbiddenEdges(lines).map((e) => `${e.frame} ${e.where}: "${e.text}"`),
      [],
      name,
    );
  }
});

test('decimals as written (647.0, 4.90), no unit printed twice, no ▲ or ■ twice', () => {
  let checked = 0;
  for (const [name, r] of built) {
    const text = squash(pdftext(r.pdfPath, '-raw'));
    for (const d of writtenDecimals(dirOf(name))) {
      assert.ok(text.includes(d.written), `${name}: {${d.name}} written ${d.written}, not printed so`);
      checked++;
    }
    assert.not.ok(/\d(亿元|万元|元|%|个|公里|亩|名|家|吨|人次)\1/.test(text), `${name}: a unit twice`);
    assert.not.ok(/▲▲|■■/.test(text), `${name}: a mark twice`);
  }
  assert.ok(checked >= 2, `${checked} written decimals checked`);
});

test('a table drawn as a grid (fold) prints each cell as written in its CSV (95.0, 5.5, 2140)', () => {
  const r = built.get('no-photos')!;
  const text = pdftext(r.pdfPath, '-raw');
  const csv = readFileSync(path.join(dirOf('no-photos'), 'tables/canteens.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.ok(
    csv.some((l) => l.includes('95.0')),
    'the fixture has a value written with a trailing zero',
  );
  for (const line of csv.slice(1)) {
    const cells = line.split(',').slice(1);
    // the row's cells on one printed line, in order, as written
    assert.ok(text.includes(cells.join(' ')), `row ${line}: "${cells.join(' ')}" not printed as written`);
  }
});

test("the build's own page check found nothing on any of them", () => {
  for (const [name, r] of built) assert.is(r.report.pageCheck.findings, 0, name);
});

test('a headline that cannot fit its frame stops the build, naming story.md, the frame, its layout.yaml line; allowed, the page check measures it', async () => {
  const dir = copyEdition(dirOf('short-feature'));
  const story = path.join(dir, 'story.md');
  const text = readFileSync(story, 'utf8').replace(
    /^headline: .*$/m,
    'headline: 柳溪清了人回来了柳溪清了人回来了 柳溪清了人回来了柳溪清了',
  );
  writeFileSync(story, text);
  const out = tempDir('corpus-overflow-');
  let err: unknown;
  try {
    await buildEdition(dir, { outDir: out, browser, changes: false });
  } catch (e) {
    err = e;
  }
  assert.instance(err, InputError);
  const errors = err instanceof InputErrors ? err.errors : [err as InputError];
  const line = lineOf('layout.yaml', 'id: headline', dir);
  const m = errors.map((e) => e.message).join('\n');
  // refused before printing (compose/headline.ts): too wide for one line even at 70 % of 68 pt
  assert.match(
    m,
    new RegExp(`the main head ".*" does not fit on one line: .* in frame "headline" \\([^)]*layout\\.yaml:${line}:`),
  );
  assert.ok(
    errors.some((e) => e.place?.file.endsWith('story.md') && e.place.line === lineOf('story.md', 'headline:', dir)),
    `no error names story.md's headline line: ${m}`,
  );
  assert.not.ok(existsSync(path.join(out, 'broadsheet.pdf')), 'a refused page is not written');
  // allowed: printed, and recorded as warnings, the page check's own among them (the main head,
  // kept on one line at 48 pt, runs past the frame's edges)
  const r = await buildEdition(dir, { outDir: out, browser, changes: false, allowOverflow: true });
  assert.ok(r.report.pageCheck.findings > 1);
  assert.ok(
    r.report.warnings.some((w) =>
      /frame "headline": ".*" reaches \d+\.\d\d mm past the frame's (right|left) edge/.test(w),
    ),
  );
});

test.run();
