/**
 * Press output read back: press.pdf of the sample and of a variant it was not built around
 * (a saturated photo, coloured charts), separated into plates by Ghostscript's tiffsep; boxes,
 * marks, output intent, text layer; a refused build; determinism. Expected places are the
 * geometry written in README ("Press output"), worked out by hand here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildEdition, type BuildResult } from '../src/pipeline.js';
import {
  copyEdition,
  edit,
  expectInputErrorAsync,
  MM,
  pdfBoxes,
  pdfFonts,
  pdfImages,
  pdftext,
  rgbPng,
  run,
  SAMPLE,
  separations,
  tempDir,
  type Box,
  type Separations,
} from './helpers.js';

const tmp = () => tempDir('broadsheet-press-');

/** Every character of page 1 with its font, size and quad (pt, top-left origin), from mutool. */
interface Glyph {
  c: string;
  font: string;
  size: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
function glyphs(pdf: string): Glyph[] {
  const xml = run('mutool', ['draw', '-F', 'stext', '-o', '-', pdf, '1']);
  const out: Glyph[] = [];
  let font = '';
  let size = 0;
  for (const m of xml.matchAll(/<font name="([^"]*)" size="([\d.]+)"|<char quad="([^"]*)"[^>]*c="([^"]*)"/g)) {
    if (m[1] !== undefined) {
      font = m[1];
      size = Number(m[2]);
      continue;
    }
    const q = m[3]!.split(' ').map(Number);
    const xs = [q[0]!, q[2]!, q[4]!, q[6]!];
    const ys = [q[1]!, q[3]!, q[5]!, q[7]!];
    out.push({
      c: m[4]!,
      font,
      size,
      x0: Math.min(...xs),
      y0: Math.min(...ys),
      x1: Math.max(...xs),
      y1: Math.max(...ys),
    });
  }
  return out;
}

/** The highest ink of each plate (0–255) over a box in pt (top-left origin), its edges pulled in by `inset` pt. */
function inkIn(s: Separations, b: { x0: number; y0: number; x1: number; y1: number }, inset = 0) {
  const px = (v: number) => Math.round(v * s.scale);
  const max = { c: 0, m: 0, y: 0, k: 0, kSum: 0, n: 0 };
  for (let y = px(b.y0 + inset); y < px(b.y1 - inset); y++)
    for (let x = px(b.x0 + inset); x < px(b.x1 - inset); x++) {
      const i = y * s.width + x;
      max.c = Math.max(max.c, s.c[i]!);
      max.m = Math.max(max.m, s.m[i]!);
      max.y = Math.max(max.y, s.y[i]!);
      max.k = Math.max(max.k, s.k[i]!);
      max.kSum += s.k[i]!;
      max.n++;
    }
  return max;
}

/** The most total ink (%) of any pixel inside a box (pt, PDF coordinates) of a page of `heightPt`. */
function maxTotalInk(s: Separations, box: Box, heightPt: number): { pct: number; x: number; y: number } {
  const x0 = Math.ceil(box.x0 * s.scale);
  const x1 = Math.floor(box.x1 * s.scale);
  const y0 = Math.ceil((heightPt - box.y1) * s.scale);
  const y1 = Math.floor((heightPt - box.y0) * s.scale);
  let best = { pct: 0, x: 0, y: 0 };
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = y * s.width + x;
      const sum = s.c[i]! + s.m[i]! + s.y[i]! + s.k[i]!;
      if (sum > best.pct) best = { pct: sum, x, y };
    }
  return { pct: (best.pct / 255) * 100, x: best.x / s.scale / MM, y: best.y / s.scale / MM };
}

let sample: BuildResult;
let plain: BuildResult;
let sep: Separations;

test.before(async () => {
  sample = await buildEdition(SAMPLE, { outDir: tmp(), press: true });
  plain = await buildEdition(SAMPLE, { outDir: tmp() });
  sep = separations(path.join(path.dirname(sample.pdfPath), 'press.pdf'));
});

const pressOf = (r: BuildResult) => path.join(path.dirname(r.pdfPath), 'press.pdf');

test('press.pdf is written beside broadsheet.pdf, and broadsheet.pdf is the same bytes as without --press', () => {
  assert.ok(existsSync(pressOf(sample)));
  assert.ok(Buffer.compare(readFileSync(sample.pdfPath), readFileSync(plain.pdfPath)) === 0, 'broadsheet.pdf changed');
  const r = sample.report;
  assert.is(r.press?.status, 'written');
  assert.is(r.preflight?.errors, 0, JSON.stringify(r.preflight?.findings, null, 1));
  assert.ok((r.press?.maxInk ?? 999) <= 240, `max ink ${r.press?.maxInk}`);
});

test('boxes: TrimBox and BleedBox the same size as broadsheet.pdf’s (to 0.01 mm), the sheet 16 mm larger on every side', () => {
  const p = pdfBoxes(pressOf(sample));
  const b = pdfBoxes(sample.pdfPath);
  const w = (x: Box) => (x.x1 - x.x0) / MM;
  const h = (x: Box) => (x.y1 - x.y0) / MM;
  const near = (a: number, e: number) => Math.abs(a - e) <= 0.01;
  assert.ok(near(w(p.TrimBox!), 390) && near(h(p.TrimBox!), 545), `trim ${w(p.TrimBox!)} × ${h(p.TrimBox!)}`);
  assert.ok(near(w(p.TrimBox!), w(b.TrimBox!)) && near(h(p.TrimBox!), h(b.TrimBox!)));
  assert.ok(near(w(p.BleedBox!), w(b.BleedBox!)) && near(h(p.BleedBox!), h(b.BleedBox!)));
  assert.ok(near(w(p.BleedBox!), 396) && near(h(p.BleedBox!), 551));
  assert.ok(
    near(w(p.MediaBox!), 390 + 32) && near(h(p.MediaBox!), 545 + 32),
    `sheet ${w(p.MediaBox!)} × ${h(p.MediaBox!)}`,
  );
  assert.ok(near((p.TrimBox!.x0 - p.MediaBox!.x0) / MM, 16) && near((p.MediaBox!.y1 - p.TrimBox!.y1) / MM, 16));
  assert.ok(near((p.TrimBox!.x0 - p.BleedBox!.x0) / MM, 3) && near((p.BleedBox!.y1 - p.TrimBox!.y1) / MM, 3));
});

test('the text layer: pdftotext of press.pdf equals broadsheet.pdf’s; every glyph at the same place relative to the trim', () => {
  const press = pressOf(sample);
  assert.is(pdftext(press), pdftext(sample.pdfPath));
  assert.is(pdftext(press, '-raw'), pdftext(sample.pdfPath, '-raw'));
  const a = glyphs(sample.pdfPath);
  const b = glyphs(press);
  assert.is(b.length, a.length);
  // trim top left: 3 mm into broadsheet.pdf (its bleed), 16 mm into the press sheet
  let worst = 0;
  a.forEach((g, i) => {
    const h = b[i]!;
    assert.is(h.c, g.c);
    worst = Math.max(worst, Math.abs(h.x0 - 16 * MM - (g.x0 - 3 * MM)), Math.abs(h.y0 - 16 * MM - (g.y0 - 3 * MM)));
  });
  assert.ok(worst / MM < 0.01, `a glyph moved ${worst / MM} mm`);
  const fonts = pdfFonts(press);
  assert.equal(
    fonts.map((f) => f.name).sort(),
    pdfFonts(sample.pdfPath)
      .map((f) => f.name)
      .sort(),
  );
  for (const f of fonts) assert.ok(f.emb && f.type === 'CID TrueType', `${f.name}: ${f.type}`);
});

test('CMYK PDF/X-3 with the newsprint output intent (TR 002 named in the embedded profile); photos CMYK at full resolution', () => {
  const press = pressOf(sample);
  assert.match(run('pdfinfo', [press]), /PDF subtype:\s+PDF\/X-3:2003/);
  const oi = run('mutool', ['show', press, 'trailer/Root/OutputIntents/1']);
  assert.match(oi, /\/S \/GTS_PDFX/);
  assert.match(oi, /\/OutputConditionIdentifier \(CGATS TR 002\)/);
  const icc = execFileSync('mutool', ['show', '-b', press, 'trailer/Root/OutputIntents/1/DestOutputProfile']);
  assert.is(icc.toString('latin1', 36, 40), 'acsp');
  assert.is(icc.toString('latin1', 16, 20), 'CMYK');
  assert.ok(icc.includes('CGATS TR 002'), 'the profile names TR 002 as its source');
  const imgs = pdfImages(press);
  assert.is(imgs.length, 4);
  for (const i of imgs) assert.ok(i.xppi >= 299 && i.yppi >= 299, `${i.width} × ${i.height} at ${i.xppi} ppi`);
  // nothing but CMYK (and K-only grey) is drawn
  const trace = run('mutool', ['trace', press]);
  const spaces = new Set([...trace.matchAll(/colorspace="([^"]*)"/g)].map((m) => m[1]));
  assert.equal(
    [...spaces].filter((s) => s !== 'DeviceCMYK' && s !== 'DeviceGray'),
    [],
  );
});

test('plates: no C, M or Y ink under the body text and the headline; the text is on K', () => {
  const g = glyphs(pressOf(sample));
  const body = g.filter((x) => x.font === 'NotoSerifSC-Regular' && Math.abs(x.size - 9) < 0.05 && x.c.trim());
  const head = g.filter((x) => x.size > 60 && x.c.trim());
  assert.ok(body.length > 4000, `${body.length} body glyphs`);
  assert.ok(head.length >= 10, `${head.length} headline glyphs`);
  for (const [what, set] of [
    ['body', body],
    ['headline', head],
  ] as const) {
    let k = 0;
    let n = 0;
    for (const x of set) {
      const ink = inkIn(sep, x);
      assert.ok(
        ink.c === 0 && ink.m === 0 && ink.y === 0,
        `${what} “${x.c}” at ${x.x0 / MM} mm: C ${ink.c} M ${ink.m} Y ${ink.y}`,
      );
      k += ink.kSum;
      n += ink.n;
    }
    assert.ok(k / n > 20, `${what}: hardly any K under the text (${k / n})`);
  }
});

test('total ink within 240 % everywhere inside the bleed box', () => {
  const p = pdfBoxes(pressOf(sample));
  const ink = maxTotalInk(sep, p.BleedBox!, p.MediaBox!.y1);
  console.log(`  sample: max total ink ${ink.pct.toFixed(1)} % at ${ink.x.toFixed(1)}, ${ink.y.toFixed(1)} mm (sheet)`);
  // four plates of 8 bits each: a pixel's sum is exact to 2 levels (0.8 %)
  assert.ok(ink.pct <= 240.8, `${ink.pct} %`);
});

test('marks: crop marks and registration targets on all four plates, patches one ink each, slug on K, nothing else outside the bleed', () => {
  // sheet coordinates in mm (the trim's top left is at 16, 16); the page is 390 × 545 mm
  const at = (xmm: number, ymm: number, r = 0.4) =>
    inkIn(sep, { x0: (xmm - r) * MM, y0: (ymm - r) * MM, x1: (xmm + r) * MM, y1: (ymm + r) * MM });
  const all4 = (i: ReturnType<typeof at>) => i.c > 200 && i.m > 200 && i.y > 200 && i.k > 200;
  const none = (i: ReturnType<typeof at>) => i.c === 0 && i.m === 0 && i.y === 0 && i.k === 0;
  // crop marks: on the trim edges, 4–11 mm outside
  for (const [x, y] of [
    [16 - 7.5, 16],
    [16, 16 - 7.5],
    [16 + 390 + 7.5, 16],
    [16 + 390, 16 - 7.5],
    [16 - 7.5, 16 + 545],
    [16, 16 + 545 + 7.5],
    [16 + 390 + 7.5, 16 + 545],
    [16 + 390, 16 + 545 + 7.5],
  ])
    assert.ok(all4(at(x!, y!)), `crop mark at ${x}, ${y} mm`);
  // registration targets 7.5 mm outside the middle of each side
  for (const [x, y] of [
    [16 + 195, 16 - 7.5],
    [16 + 195, 16 + 545 + 7.5],
    [16 - 7.5, 16 + 272.5],
    [16 + 390 + 7.5, 16 + 272.5],
  ])
    assert.ok(all4(at(x!, y!)), `registration target at ${x}, ${y} mm`);
  // between the bleed and the marks: nothing (the crop marks start 1 mm past the 3 mm bleed)
  assert.ok(none(at(16 - 3.5, 16 + 100, 0.2)) && none(at(16 + 100, 16 - 3.5, 0.2)), 'ink just outside the bleed');
  // control patches: 4 mm squares from 12 mm right of the trim's left edge, 9.5–13.5 mm above it
  const patch = (i: number) => at(16 + 12 + i * 5 + 2, 16 - 11.5, 1);
  const p = [0, 1, 2, 3].map(patch);
  assert.ok(p[0]!.c === 255 && p[0]!.m + p[0]!.y + p[0]!.k === 0, 'cyan patch');
  assert.ok(p[1]!.m === 255 && p[1]!.c + p[1]!.y + p[1]!.k === 0, 'magenta patch');
  assert.ok(p[2]!.y === 255 && p[2]!.c + p[2]!.m + p[2]!.k === 0, 'yellow patch');
  assert.ok(p[3]!.k === 255 && p[3]!.c + p[3]!.m + p[3]!.y === 0, 'black patch');
  // the slug: baseline 13.5 mm below the trim, from its left edge, K only
  const slug = inkIn(sep, { x0: 16 * MM, y0: (16 + 545 + 11) * MM, x1: (16 + 120) * MM, y1: (16 + 545 + 14.5) * MM });
  assert.ok(slug.k > 200 && slug.kSum / slug.n > 5, 'no slug');
  assert.ok(slug.c === 0 && slug.m === 0 && slug.y === 0, 'slug on C, M or Y');
  // the sheet's outer 2 mm stays blank
  const edge = inkIn(sep, { x0: 0, y0: 0, x1: (390 + 32) * MM, y1: 2 * MM });
  assert.ok(edge.c + edge.m + edge.y + edge.k === 0, 'ink at the sheet edge');
  // the slug is outlines: it adds no text
  assert.not.match(pdftext(pressOf(sample)), /build [0-9a-f]{12}/);
});

test('a rebuild gives the same press.pdf, byte for byte, with the press cache or without it', async () => {
  const again = await buildEdition(SAMPLE, { outDir: tmp(), press: true });
  assert.ok(Buffer.compare(readFileSync(pressOf(sample)), readFileSync(pressOf(again))) === 0, 'press.pdf differs');
  // nothing cached: Ghostscript converts the photos and colours again
  const saved = process.env.BROADSHEET_CACHE;
  process.env.BROADSHEET_CACHE = tmp();
  try {
    const cold = await buildEdition(SAMPLE, { outDir: tmp(), press: true });
    assert.equal(cold.report.press?.ghostscript, { colours: cold.report.press!.ghostscript.colours, images: 4 });
    assert.ok(cold.report.press!.ghostscript.colours > 0);
    assert.ok(Buffer.compare(readFileSync(pressOf(sample)), readFileSync(pressOf(cold))) === 0, 'press.pdf differs');
  } finally {
    if (saved === undefined) delete process.env.BROADSHEET_CACHE;
    else process.env.BROADSHEET_CACHE = saved;
  }
});

/** A photo of saturated colours, light to dark: hue across, value down. */
function saturatedPng(w: number, h: number): Buffer {
  const row = (y: number) => {
    const r = Buffer.alloc(1 + w * 3);
    const v = 1 - (0.9 * y) / h;
    for (let x = 0; x < w; x++) {
      const hue = (x / w) * 6;
      const f = hue - Math.floor(hue);
      const rgb = [
        [1, f, 0],
        [1 - f, 1, 0],
        [0, 1, f],
        [0, 1 - f, 1],
        [f, 0, 1],
        [1, 0, 1 - f],
      ][Math.floor(hue) % 6]!;
      r.set(
        rgb.map((c) => Math.round(c * v * 255)),
        1 + x * 3,
      );
    }
    return r;
  };
  return rgbPng(w, h, row);
}

test('another edition: a saturated photo and coloured charts stay within 240 %; neutral text still on K alone', async () => {
  const dir = copyEdition();
  writeFileSync(path.join(dir, 'images', 'vivid.png'), saturatedPng(2109, 1294));
  edit(dir, 'edition.yaml', (s) =>
    s
      .replace('yaowan:   { file: images/yaowan.jpg,   placeholder: true }', 'yaowan:   { file: images/vivid.png }')
      .replace('preset: broadsheet', 'preset: broadsheet\npress: { photoIntent: relative, minTextPt: 6 }'),
  );
  edit(dir, 'charts/gdp.vl.json', (s) =>
    s.replace('"type": "bar", "width"', '"type": "bar", "color": "#0b3d91", "width"'),
  );
  edit(dir, 'charts/rd.vl.json', (s) => s.replace('"color": "#6d6e71"', '"color": "#1e7b34"'));
  // a very dark purple: the most ink a colour can ask for
  edit(dir, 'charts/growth.vl.json', (s) =>
    s.replace('"type": "bar", "height"', '"type": "bar", "color": "#2b0a3d", "height"'),
  );
  const r = await buildEdition(dir, { outDir: tmp() }); // press: from edition.yaml
  assert.is(r.report.press?.status, 'written', JSON.stringify(r.report.preflight?.findings, null, 1));
  assert.is(r.report.press?.photoIntent, 'relative');
  const press = pressOf(r);
  const s = separations(press);
  const p = pdfBoxes(press);
  const ink = maxTotalInk(s, p.BleedBox!, p.MediaBox!.y1);
  console.log(
    `  variant: max total ink ${ink.pct.toFixed(1)} % at ${ink.x.toFixed(1)}, ${ink.y.toFixed(1)} mm (sheet)`,
  );
  assert.ok(ink.pct <= 240.8, `${ink.pct} %`);
  // the saturated photo carries all four inks, and strong ones
  const photo = r.report.photos.find((x) => x.id === 'yaowan')!;
  assert.ok(photo.ppi >= 299);
  const body = glyphs(press).filter(
    (x) => x.font === 'NotoSerifSC-Regular' && Math.abs(x.size - 9) < 0.05 && x.c.trim(),
  );
  for (const x of body) {
    const i = inkIn(s, x);
    assert.ok(i.c + i.m + i.y === 0, `body “${x.c}”: C ${i.c} M ${i.m} Y ${i.y}`);
  }
  assert.is(pdftext(press), pdftext(r.pdfPath));
});

test('transparency is refused: no press.pdf (an earlier one removed), the chart frame named, exit 1; broadsheet.pdf and report.json written', async () => {
  const dir = copyEdition();
  edit(dir, 'charts/gdp.vl.json', (s) => s.replace('"type": "bar", "width"', '"type": "bar", "opacity": 0.5, "width"'));
  const out = tmp();
  writeFileSync(path.join(out, 'press.pdf'), 'an earlier press.pdf');
  await expectInputErrorAsync(
    () => buildEdition(dir, { outDir: out, press: true }),
    'press.pdf was not written',
    'report.json',
  );
  assert.not.ok(existsSync(path.join(out, 'press.pdf')));
  assert.ok(existsSync(path.join(out, 'broadsheet.pdf')));
  const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as BuildResult['report'];
  assert.is(report.press?.status, 'refused');
  const t = report.preflight!.findings.filter((f) => f.rule === 'transparency');
  assert.ok(t.length >= 1);
  assert.ok(
    t.some((f) => f.frame === 'gdp' && f.at),
    JSON.stringify(t, null, 1),
  );
});

test.run();
