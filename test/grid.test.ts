/**
 * Layout on the grid with fixture editions whose answers are known: all-Han paragraphs of
 * 11 + 13·k characters fill k + 1 lines of a 13-character column exactly (2-em indent).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEdition } from '../src/pipeline.js';
import { launchBrowser, type Launched } from '../src/print/browser.js';
import { expectInputErrorAsync, MM, pdfChars, pdfImages, solidPng, tempDir } from './helpers.js';
import { bodyLines, measureTypography } from './typography.js';

const HAN = '雨湖区锚定高质量发展目标以闯的精神创的劲头干的作风书写发展篇章';
const han = (n: number, at = 0) => Array.from({ length: n }, (_, i) => HAN[(i + at) % HAN.length]).join('');
// The broadsheet grid by hand from the preset's figures (not from the code): body 9 pt = 9 × 25.4
// / 72 = 3.175 mm; a column of 13 characters is 41.275 mm; 8 columns and 7 gutters of 4.5 mm make
// 361.7 mm, centred on the 390 mm trim: column 1 starts at (390 − 361.7) / 2 = 14.15 mm, column k
// at 14.15 + (k − 1) × 45.775 mm; line n at 17 + n × 4.7625 mm (pitch 13.5 pt = 4.7625 mm).
const PITCH = 4.7625;
const LINE0 = 17; // mm, the top margin
const COLUMN_LEFT: Record<number, number> = { 1: 14.15, 4: 151.475, 7: 288.8 };

let browser: Launched;
test.before(async () => {
  browser = await launchBrowser();
});
test.after(async () => {
  await browser.close();
});

interface Fixture {
  text: string;
  frames: string;
  photos?: Record<string, [number, number]>;
  chart?: boolean;
}

function fixture(f: Fixture): string {
  const dir = path.join(tempDir('grid-'), 'fixture');
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  const photos = Object.entries(f.photos ?? {});
  writeFileSync(
    path.join(dir, 'edition.yaml'),
    [
      'publication: 测试日报',
      'date: 2025-01-02',
      'page: 1',
      'section: 测试',
      'title: 测试',
      'preset: broadsheet',
      ...(photos.length ? ['photos:', ...photos.map(([id]) => `  ${id}: { file: images/${id}.png }`)] : []),
      ...(f.chart ? ['charts:', '  c: { spec: charts/c.vl.json }'] : []),
    ].join('\n') + '\n',
  );
  if (f.chart) {
    mkdirSync(path.join(dir, 'charts'));
    mkdirSync(path.join(dir, 'tables'));
    writeFileSync(path.join(dir, 'tables', 'c.csv'), '年份,数值\n2020年,12\n2025年,41.6\n');
    writeFileSync(
      path.join(dir, 'charts', 'c.vl.json'),
      JSON.stringify({
        data: { name: 'c' },
        mark: 'bar',
        encoding: { x: { field: '年份', type: 'nominal' }, y: { field: '数值', type: 'quantitative' } },
      }),
    );
  }
  for (const [id, [w, h]] of photos) writeFileSync(path.join(dir, 'images', `${id}.png`), solidPng(w, h));
  writeFileSync(
    path.join(dir, 'story.md'),
    `---\nheadline: 测试\n---\n\n${f.text}\n${photos.map(([id]) => `\n::photo ${id} 测试图片。\n`).join('')}${f.chart ? '\n::chart c 测试图表\n' : ''}`,
  );
  writeFileSync(path.join(dir, 'figures.yaml'), '{}\n');
  writeFileSync(path.join(dir, 'layout.yaml'), `frames:\n${f.frames}`);
  return dir;
}

const out = () => tempDir('grid-out-');

test('a chain that fits exactly: 128 字 in 10 lines of one column', async () => {
  const dir = fixture({
    text: `::chain a\n\n${han(128)}`,
    frames: '  - { id: a, kind: text, chain: a, columns: [1, 1], top: 10, lines: 10 }\n',
  });
  const r = await buildEdition(dir, { outDir: out(), browser });
  const a = r.report.chains[0]!;
  assert.is(a.status, 'fits');
  assert.is(a.emptyLines, 0);
  assert.is(a.oversetChars, 0);
  // column 1, lines 10–19: x 14.15, y 17 + 10 × 4.7625 = 64.625, w 41.275, h 10 × 4.7625 = 47.625
  // (mm; the report rounds to 0.01)
  const f = a.frameBoxes[0]!;
  assert.is(f.id, 'a');
  for (const [k, v] of Object.entries({ x: 14.15, y: 64.625, w: 41.275, h: 47.625 }))
    assert.ok(Math.abs(f[k as 'x'] - v) <= 0.0051, `frame ${k}: ${f[k as 'x']} mm, not ${v}`);
});

test('a chain over by 26 字 is reported as 26 字 and 2 lines, and fails without --allow-overset', async () => {
  const dir = fixture({
    text: `::chain a\n\n${han(128 + 26)}`,
    frames: '  - { id: a, kind: text, chain: a, columns: [1, 1], top: 10, lines: 10 }\n',
  });
  await expectInputErrorAsync(
    () => buildEdition(dir, { outDir: out(), browser }),
    'story "a": 26 字 (2 lines) over in frames a',
    'cut 26 characters',
  );
  const r = await buildEdition(dir, { outDir: out(), browser, allowOverset: true });
  const a = r.report.chains[0]!;
  assert.is(a.status, 'overset');
  assert.is(a.oversetChars, 26);
  assert.is(a.oversetLines, 2);
});

test('a chain threaded through three frames in different columns continues mid-paragraph without indent', async () => {
  const dir = fixture({
    text: `::chain a\n\n${han(11 + 13 * 14)}`,
    frames:
      [
        '  - { id: x, kind: text, chain: a, columns: [1, 1], top: 5, lines: 5 }',
        '  - { id: y, kind: text, chain: a, columns: [4, 4], top: 30, lines: 5 }',
        '  - { id: z, kind: text, chain: a, columns: [7, 7], top: 60, lines: 5 }',
      ].join('\n') + '\n',
  });
  const r = await buildEdition(dir, { outDir: out(), browser });
  const a = r.report.chains[0]!;
  assert.is(a.status, 'fits');
  assert.is(a.emptyLines, 0);
  assert.equal(a.frames, ['x', 'y', 'z']);
  // glyph positions from the PDF: each frame's first line starts where its column starts
  const chars = pdfChars(r.pdfPath).filter((c) => HAN.includes(c.c));
  assert.is(chars.length, 11 + 13 * 14);
  const left = (col: number) => (3 + COLUMN_LEFT[col]!) * MM; // + 3 mm bleed, in pt
  const firstIn = (top: number) => chars.find((c) => Math.abs(c.y - (3 + LINE0 + top * PITCH) * MM) < PITCH * MM)!;
  assert.ok(Math.abs(firstIn(5).x - (left(1) + 2 * 9)) < 0.6, 'first line indented 2 em');
  assert.ok(
    Math.abs(firstIn(30).x - left(4)) < 0.6,
    `continuation in column 4 not indented: ${firstIn(30).x} vs ${left(4)}`,
  );
  assert.ok(Math.abs(firstIn(60).x - left(7)) < 0.6, 'continuation in column 7 not indented');
});

test('a photo spanning 3 of 8 columns is placed across exactly those columns', async () => {
  // columns 2–4: 3 × 41.275 + 2 × 4.5 = 132.825 mm wide; 12 lines = 57.15 mm high, less one line
  // (4.7625 mm) for the caption = 52.3875 mm for the photo
  const [w, h] = [132.825, 52.3875];
  const px: [number, number] = [Math.round((w / 25.4) * 300), Math.round((h / 25.4) * 300)];
  const dir = fixture({
    text: `::chain a\n\n${han(11 + 13 * 4)}`,
    frames:
      '  - { id: p, kind: photo, ref: p, columns: [2, 4], top: 0, lines: 12 }\n  - { id: a, kind: text, chain: a, columns: [2, 2], top: 12, lines: 5 }\n',
    photos: { p: px },
  });
  const r = await buildEdition(dir, { outDir: out(), browser });
  const p = r.report.photos[0]!;
  assert.ok(Math.abs(p.widthMm - w) < 0.05, `${p.widthMm} mm wide`);
  assert.ok(Math.abs(p.heightMm - h) < 0.05, `${p.heightMm} mm high`);
  assert.ok(p.ppi >= 299.5, `${p.ppi} ppi`);
  const [img] = pdfImages(r.pdfPath);
  assert.equal([img!.width, img!.height], px);
  assert.ok(img!.xppi >= 299);
});

test('a frame too small for even one line: nothing fits and all of it is reported; zero lines is refused', async () => {
  const dir = fixture({
    text: `::chain a\n\n${han(40)}`,
    frames: '  - { id: a, kind: text, chain: a, columns: [1, 2], top: 0, lines: 1, style: lead }\n',
  });
  const r = await buildEdition(dir, { outDir: out(), browser, allowOverset: true });
  const a = r.report.chains[0]!;
  assert.is(a.status, 'overset');
  assert.is(a.oversetChars, 40);

  const zero = fixture({
    text: `::chain a\n\n${han(40)}`,
    frames: '  - { id: a, kind: text, chain: a, columns: [1, 1], top: 0, lines: 0 }\n',
  });
  await expectInputErrorAsync(
    () => buildEdition(zero, { outDir: out(), browser }),
    'layout.yaml:2',
    '"frames.0.lines" must be >= 1',
  );
});

test('copy-fit: a flexible photo takes the height that makes the story below it fit', async () => {
  // columns 1–2: 2 × 41.275 + 4.5 = 87.05 mm wide
  const dir = fixture({
    // 2 columns of 20 lines below a 10-line photo; the text needs 2 × 17 lines
    text: `::chain a\n\n${han(11 + 13 * 33)}`,
    frames:
      '  - { id: p, kind: photo, ref: p, columns: [1, 2], top: 0, lines: 10, minLines: 6, maxLines: 16 }\n  - { id: a, kind: text, chain: a, columns: [1, 2], top: 10, lines: 20 }\n',
    photos: { p: [Math.round((87.05 / 25.4) * 300), 1000] },
  });
  const r = await buildEdition(dir, { outDir: out(), browser });
  const a = r.report.chains[0]!;
  assert.is(a.status, 'fits');
  assert.is(a.emptyLines, 0);
  assert.equal(a.copyFit, { frame: 'p', fromLines: 10, toLines: 13 });
});

test('copy-fit with a flexible chart: the chart rendered for the chosen height is the one printed', async () => {
  const dir = fixture({
    text: `::chain a\n\n${han(11 + 13 * 33)}`,
    frames:
      '  - { id: c, kind: chart, ref: c, columns: [1, 2], top: 0, lines: 10, minLines: 6, maxLines: 16 }\n  - { id: a, kind: text, chain: a, columns: [1, 2], top: 10, lines: 20 }\n',
    chart: true,
  });
  const r = await buildEdition(dir, { outDir: out(), browser });
  const a = r.report.chains[0]!;
  assert.is(a.status, 'fits');
  assert.equal(a.copyFit, { frame: 'c', fromLines: 10, toLines: 13 });
  // one chart in the PDF: its labels once, not once per rendering
  const labels = pdfChars(r.pdfPath)
    .map((c) => c.c)
    .join('');
  assert.is(labels.split('2020年').length - 1, 1);
});

test('fixture texts built to trigger each clreq rule, printed and read back from the PDF', async () => {
  const paras = [
    `${han(5)}、${han(5)}，${han(20)}`, // a comma that would start a line
    `${han(6)}。”${han(3)}，${han(30)}`, // adjacent marks, a mark at a line end
    `${han(4)}，${han(6)}${han(13, 3)}${han(1, 5)}。`, // an orphan to avoid
    `“${han(9)}”（${han(4)}）《${han(5)}》、「${han(7)}」；${han(25)}！`, // brackets and quotes
    `${han(9)}——${han(14)}……${han(30)}`, // dashes and ellipses, never split
  ];
  const dir = fixture({
    text: `::chain a\n\n${paras.join('\n\n')}`,
    frames: '  - { id: a, kind: text, chain: a, columns: [1, 3], top: 0, lines: 20 }\n',
  });
  const r = await buildEdition(dir, { outDir: out(), browser });
  assert.is(r.report.chains[0]!.status, 'underset');
  const m = measureTypography(bodyLines(r.pdfPath));
  assert.equal(m.forbiddenStarts, []);
  assert.equal(m.forbiddenEnds, []);
  assert.is(m.splitDashes, 0);
  assert.is(m.looseAllHan, 0);
  assert.ok(m.punctPairs >= 6, `${m.punctPairs} pairs`);
  assert.is(m.pairsCompressed, m.punctPairs);
  assert.ok(m.allHanFull >= 10);
});

test.run();
