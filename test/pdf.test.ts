/** The built sample PDF, read back: boxes, fonts, text, charts, photos, metadata, same bytes. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { buildEdition, type BuildResult } from '../src/pipeline.js';
import { bind } from '../src/bind/figures.js';
import { loadEdition } from '../src/load/edition.js';
import { bodyLines, measureTypography } from './typography.js';
import { PLANNED_FONTS } from './page-check.js';
import { MM, pdfBoxes, pdfFonts, pdfImages, pdftext, run, SAMPLE, squash, tempDir } from './helpers.js';

let first: BuildResult;
const tmp = () => tempDir('broadsheet-pdf-');

test.before(async () => {
  first = await buildEdition(SAMPLE, { outDir: tmp() });
});

test('page boxes: MediaBox = BleedBox = trim + 3 mm bleed, TrimBox 390 × 545 mm, to 0.01 mm', () => {
  const b = pdfBoxes(first.pdfPath);
  const near = (pt: number, mm: number) => Math.abs(pt / MM - mm) <= 0.01;
  const size = (x: { x0: number; y0: number; x1: number; y1: number }) => [x.x1 - x.x0, x.y1 - x.y0] as const;
  const [mw, mh] = size(b.MediaBox!);
  assert.ok(near(mw, 396) && near(mh, 551), `MediaBox ${mw / MM} × ${mh / MM} mm`);
  assert.equal(b.BleedBox, b.MediaBox);
  const [tw, th] = size(b.TrimBox!);
  assert.ok(near(tw, 390) && near(th, 545), `TrimBox ${tw / MM} × ${th / MM} mm`);
  assert.ok(near(b.TrimBox!.x0 - b.MediaBox!.x0, 3) && near(b.MediaBox!.y1 - b.TrimBox!.y1, 3));
});

test('every font embedded and subset as CID TrueType, none Type 3, one per face of the page', () => {
  const fonts = pdfFonts(first.pdfPath);
  for (const f of fonts) {
    assert.ok(f.emb && f.sub && f.uni, `${f.name} not embedded/subset/unicode`);
    assert.is(f.type, 'CID TrueType', f.name);
  }
  // the six faces, each once: no fallback font, no face split into unicode-range slices
  assert.equal(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort(), [...PLANNED_FONTS].sort());
});

test("every sentence of the story is in the PDF's text, in reading order within its chain", () => {
  const text = squash(pdftext(first.pdfPath, '-raw'));
  const b = bind(loadEdition(SAMPLE));
  let sentences = 0;
  for (const c of b.chains) {
    let from = 0;
    for (const block of c.blocks) {
      const t = squash(block.segs.map((s) => s.s).join(''));
      for (const s of t.match(/[^。！？]+[。！？”’」]*/g) ?? []) {
        const at = text.indexOf(s, from);
        assert.ok(at >= 0, `missing or out of order in chain ${c.id}: ${s}`);
        from = at;
        sentences++;
      }
    }
  }
  assert.ok(sentences > 60, `${sentences} sentences`);
  for (const h of [
    '再踏层峰辟新天',
    '风起湘江畔',
    '雨湖立潮头',
    '湘潭市雨湖区“十四五”发展成就全景扫描',
    '■蒋睿冯玉峰周磊',
    '▲窑湾历史文化街区夜景。',
    '▲雨湖区和平街道利社社区“邻里节”活动一派欢腾。',
  ]) {
    assert.ok(text.includes(squash(h)), h);
  }
});

test('chart labels are text in the PDF (vector charts), and the only images are the photos', () => {
  const text = squash(pdftext(first.pdfPath));
  for (const c of first.report.charts)
    for (const label of c.texts) assert.ok(text.includes(squash(label)), `${c.id}: ${label}`);
  assert.ok(first.report.charts.length >= 3);
  assert.is(pdfImages(first.pdfPath).length, 4);
});

test('photos are embedded at native pixels, 300 ppi or more at their placed size', () => {
  const imgs = pdfImages(first.pdfPath);
  for (const i of imgs) assert.ok(i.xppi >= 300 && i.yppi >= 300, `${i.width}×${i.height} at ${i.xppi} ppi`);
  const sizes = imgs.map((i) => `${i.width}x${i.height}`).sort();
  const ed = loadEdition(SAMPLE);
  assert.equal(sizes, [...ed.photos.values()].map((p) => `${p.width}x${p.height}`).sort());
});

test('metadata: title, author, subject, language zh-CN, dates pinned to the edition', () => {
  const info = run('pdfinfo', [first.pdfPath]);
  assert.match(info, /Title:\s+风起湘江畔 雨湖立潮头/);
  assert.match(info, /Author:\s+示例日报/);
  assert.match(info, /Subject:\s+湖南“十四五”/);
  assert.match(info, /CreationDate:\s+Thu Dec 18 00:00:00 2025 UTC/);
  assert.match(readFileSync(first.pdfPath).toString('latin1'), /\/Lang \(zh-CN\)/);
});

test('the report: every chain fits its frames with at most one empty line', () => {
  const r = first.report;
  assert.equal(
    r.chains.map((c) => c.id),
    ['lead', 's1', 's2', 's3', 'end'],
  );
  for (const c of r.chains) {
    assert.ok(c.status !== 'overset', `${c.id} overset`);
    assert.ok(c.emptyLines <= 1, `${c.id}: ${c.emptyLines} empty lines`);
    assert.ok(c.frameBoxes.length >= 1);
  }
  assert.equal(r.refusedRequests, []);
  assert.ok(r.figures.find((f) => f.name === 'gdp_2025')!.places.length >= 4);
});

test('body lines read back from the PDF: clreq line starts and ends, no loose all-Han line, every pair compressed', () => {
  const lines = bodyLines(first.pdfPath);
  assert.ok(lines.length > 300, `${lines.length} body lines`);
  const m = measureTypography(lines);
  assert.equal(m.forbiddenStarts, [], 'lines starting with a closing mark');
  assert.equal(m.forbiddenEnds, [], 'lines ending with an opening mark');
  assert.is(m.splitDashes, 0);
  assert.ok(m.allHanFull > 200, `${m.allHanFull} full all-Han lines`);
  assert.is(m.looseAllHan, 0, 'loose all-Han lines');
  assert.ok(m.punctPairs > 40, `${m.punctPairs} adjacent punctuation pairs`);
  assert.is(m.pairsCompressed, m.punctPairs, 'adjacent punctuation pairs at 1.5 em');
  // every full line of a column ends at the same right edge (lines ending in Han or a mark:
  // the advance of a final digit is not known here)
  for (const l of lines.filter((x) => x.full && /[\u3400-\u9fff、，。：；！？”’）》」』】]$/.test(x.text))) {
    const last = l.chars[l.chars.length - 1]!;
    const others = lines.filter((x) => x.full && x.column === l.column && /[\u3400-\u9fff]$/.test(x.text));
    const right = (x: typeof l) =>
      x.chars[x.chars.length - 1]!.x + (/[、，。：；！？”’）》」』】]/.test(x.chars[x.chars.length - 1]!.c) ? 4.5 : 9);
    assert.ok(
      Math.abs(right(l) - right(others[0]!)) < 1.5,
      `column ${l.column}: "${l.text}" ends at ${right(l)} (${last.c})`,
    );
  }
});

test('a rebuild of the same edition is byte-identical', async () => {
  const again = await buildEdition(SAMPLE, { outDir: tmp() });
  assert.ok(Buffer.compare(readFileSync(first.pdfPath), readFileSync(again.pdfPath)) === 0, 'PDFs differ');
});

test.run();
