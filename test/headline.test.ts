/**
 * The headline group and section heads as a page editor sets them (issues 12 and 15), read back
 * from the PDF: every part of the headline group (kicker, each half of the main head, subhead,
 * byline) printed on one line, a main head too wide at the house size set smaller within the
 * house's bounds, one too wide even at the smallest refused with a message naming story.md's line
 * and the headline frame in layout.yaml; heads set in the text broken at phrase boundaries, never
 * leaving one character on a line; the composer's headline frame holding the group as printed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { buildEdition, type BuildResult } from '../src/pipeline.js';
import { launchBrowser, type Launched } from '../src/print/browser.js';
import { runCompose } from '../src/cli/compose.js';
import { captureLogger } from '../src/log.js';
import { headLines } from '../src/compose/heads.js';
import { headFrameSet } from '../src/compose/compose.js';
import { HEADLINE_TYPE, setHeadline } from '../src/compose/headline.js';
import { gridOf, PRESETS } from '../src/layout/presets.js';
import { copyEdition, edit, expectInputErrorAsync, FIXTURES, pdftext, SAMPLE, squash, tempDir } from './helpers.js';
import { editionGrid, pdfGlyphs, type Glyph } from './page-check.js';

const QINGXI = path.join(FIXTURES, 'editions', 'qingxi-river');
const broadsheet = gridOf(PRESETS.broadsheet!);
const pageW = broadsheet.preset.columns * broadsheet.colW + (broadsheet.preset.columns - 1) * broadsheet.gutter;

let browser: Launched;
/** each build's edition folder */
const dirs = new Map<BuildResult, string>();
test.before(async () => {
  browser = await launchBrowser();
});
test.after(async () => {
  await browser.close();
});

/** The glyphs printed in a frame of the report (trim mm), grouped into lines by baseline. */
function linesIn(r: BuildResult, frame: string, font?: string): { y: number; size: number; text: string }[] {
  const g = editionGrid(dirs.get(r)!);
  const box = r.report.frames.find((f) => f.id === frame)!;
  const inside = (x: Glyph) =>
    x.ox >= box.x - 2 && x.ox <= box.x + box.w + 2 && x.oy >= box.y - 5 && x.oy <= box.y + box.h + 5;
  const glyphs = pdfGlyphs(r.pdfPath, g.bleed).filter((x) => x.c.trim() && inside(x) && (!font || x.font === font));
  const lines = new Map<number, { y: number; size: number; glyphs: Glyph[] }>();
  for (const x of glyphs) {
    const key = Math.round(x.oy * 2);
    const l = lines.get(key) ?? { y: x.oy, size: x.size, glyphs: [] };
    l.glyphs.push(x);
    lines.set(key, l);
  }
  return [...lines.values()]
    .sort((a, b) => a.y - b.y)
    .map((l) => ({ y: l.y, size: l.size, text: l.glyphs.map((x) => x.c).join('') }));
}

async function build(dir: string): Promise<BuildResult> {
  const r = await buildEdition(dir, { outDir: tempDir('headline-out-'), browser, changes: false });
  dirs.set(r, dir);
  return r;
}

test('set in Node: the sample main head at the house 68 pt; a wider one smaller, in whole steps, not under 70 %', () => {
  const sample = setHeadline({ headline: '风起湘江畔 雨湖立潮头' }, pageW, broadsheet);
  assert.is(sample.parts[0]!.pt, 68);
  const q = setHeadline({ headline: '一江清水回来了 渔歌换了新唱法' }, pageW, broadsheet).parts[0]!;
  assert.ok(q.fits && q.pt < 68 && q.pt >= 68 * 0.7, `${q.pt} pt`);
  assert.is((68 - q.pt) % HEADLINE_TYPE.headline.stepPt, 0);
  // its width and a character of air fit the page's width at that size, not one step larger
  assert.ok(q.widthMm + q.pt * (25.4 / 72) <= pageW);
  assert.ok((q.widthMm / q.pt) * (q.pt + 2) + (q.pt + 2) * (25.4 / 72) > pageW);
  const long = setHeadline({ headline: '一江清水终于又回来了啊 渔歌换了新唱法还要唱' }, pageW, broadsheet).parts[0]!;
  assert.is(long.fits, false);
  assert.is(long.pt, 48); // the smallest step of 2 pt at or above 70 % of 68 pt (47.6)
});

test('heads broken at phrase boundaries, lines even; a phrase longer than the line still broken', () => {
  const cut = (t: string, m: number) => headLines(t, m, 'bodyBold').map(([a, b]) => t.slice(a, b));
  assert.equal(cut('治水：截污、清淤、修岸一起上', 10.4), ['治水：截污、', '清淤、修岸一起上']);
  assert.equal(cut('护渔：天上有眼，水上有人', 10.4), ['护渔：天上有眼，', '水上有人']);
  assert.equal(cut('上岸：一条船换来一份新生计', 10.4), ['上岸：', '一条船换来一份新生计']);
  assert.equal(cut('锯齿屋顶下，老车间换了新主人', 10.4), ['锯齿屋顶下，', '老车间换了新主人']);
  assert.equal(cut('短标题', 10.4), ['短标题']);
  // no phrase boundary and longer than the line: broken between characters, no line of one
  const long = cut('一条没有任何标点的非常非常长的小标题', 10.4);
  assert.ok(long.length === 2 && long.every((l) => [...l].length <= 10 && [...l].length >= 2), long.join('/'));
  // one character would be left alone: never
  const tail = cut('十个字的一个短语说完了，了', 10.4);
  assert.ok(
    tail.every((l) => [...l].length >= 2),
    tail.join('/'),
  );
});

test('qingxi-river (corpus): each part of the headline group on one line, the main head smaller; heads at phrase boundaries', async () => {
  const r = await build(QINGXI);
  const main = linesIn(r, 'headline', 'NotoSerifSC-Black');
  assert.is(main.length, 1, main.map((l) => l.text).join(' / '));
  assert.is(squash(main[0]!.text), '一江清水回来了渔歌换了新唱法');
  assert.ok(main[0]!.size < 68 && main[0]!.size >= 68 * 0.7 - 0.01, `${main[0]!.size} pt`);
  const all = linesIn(r, 'headline').map((l) => squash(l.text));
  assert.equal(all, [
    '长江十年禁渔进入第六年·县域样本调查',
    '一江清水回来了渔歌换了新唱法',
    '——清溪县溇水治理与退捕渔民转产就业三周年纪实',
    '■本报记者周岚谭一鸣通讯员覃晓峰',
  ]);
  assert.ok(r.report.notes.some((n) => /main head is set at \d+ pt \(house size 68 pt\)/.test(n)));
  assert.is(r.report.pageCheck.findings, 0);
  // heads set in the text (bold serif at 1.25 × the body size): broken after ：，、 (a phrase
  // boundary), never mid-phrase, none with one character on a line
  const headLinesPrinted = r.report.frames
    .filter((f) => f.id.startsWith('s1'))
    .flatMap((f) => linesIn(r, f.id, 'NotoSerifSC-Bold').filter((l) => Math.abs(l.size - 9 * 1.25) < 0.05))
    .map((l) => squash(l.text));
  assert.equal(
    headLinesPrinted.sort(),
    [
      '上岸：',
      '一条船换来一份新生计',
      '治水：截污、',
      '清淤、修岸一起上',
      '护渔：天上有眼，',
      '水上有人',
      '共富：',
      '好生态变成好“钱景”',
    ].sort(),
  );
});

const SUBHEAD =
  '清溪县溇水治理与退捕渔民转产就业三周年纪实：一条江的十年禁渔与一座县城的生态账本和渔民新生活的真实记录';

test('a longer main head: compose sizes the frame for it, the build sets it smaller on one line, no finding', async () => {
  const dir = copyEdition(QINGXI);
  edit(dir, 'story.md', (s) =>
    s
      .replace('headline: 一江清水回来了 渔歌换了新唱法', 'headline: 一江清水终于回来了 渔歌换了新的唱法')
      .replace(/^subhead: .*$/m, `subhead: ${SUBHEAD}`),
  );
  await runCompose({ edition: dir, write: true, variants: 1, fresh: false, log: captureLogger() }, process.stdout);
  const r = await build(dir);
  const main = linesIn(r, 'headline', 'NotoSerifSC-Black');
  assert.is(main.length, 1, main.map((l) => l.text).join(' / '));
  assert.is(squash(main[0]!.text), '一江清水终于回来了渔歌换了新的唱法');
  assert.ok(main[0]!.size < 60 && main[0]!.size >= 68 * 0.7 - 0.01, `${main[0]!.size} pt`);
  // a subhead too long for one line at 20 pt: set smaller (at least 16 pt), on one line
  const sub = linesIn(r, 'headline', 'NotoSansSC-Bold').filter((l) => squash(l.text).startsWith('——'));
  assert.equal(
    sub.map((l) => squash(l.text)),
    [`——${SUBHEAD}`],
  );
  assert.ok(sub[0]!.size < 20 && sub[0]!.size >= 16, `${sub[0]!.size} pt`);
  assert.is(r.report.pageCheck.findings, 0);
});

test('a main head too wide even at 70 %: refused, naming story.md and the headline frame in layout.yaml', async () => {
  const dir = copyEdition(QINGXI);
  edit(dir, 'story.md', (s) =>
    s.replace('headline: 一江清水回来了 渔歌换了新唱法', 'headline: 一江清水终于又回来了啊 渔歌换了新唱法还要再唱'),
  );
  const text = await expectInputErrorAsync(
    () => build(dir),
    /story\.md:3:\d+ at \/headline: the main head "一江清水终于又回来了啊 渔歌换了新唱法还要再唱" does not fit on one line/,
    /at 48 pt, the smallest the house allows \(no smaller than 70 % of 68 pt\)/,
    /frame "headline" \([^)]*layout\.yaml:\d+/,
    'shorten the main head by about',
  );
  assert.not.match(text, /at \w+ \(/); // no stack trace
  // a kicker that cannot fit on one line either: refused the same way
  const k = copyEdition(QINGXI);
  edit(k, 'story.md', (s) => s.replace(/^kicker: .*$/m, `kicker: ${'长江十年禁渔进入第六年县域样本调查'.repeat(5)}`));
  await expectInputErrorAsync(() => build(k), /story\.md:2:\d+ at \/kicker: the kicker ".*" does not fit on one line/);
});

test('a hand-made headline frame too short for its group: refused before printing with the lines it needs', async () => {
  const dir = copyEdition(QINGXI);
  edit(dir, 'layout.yaml', (s) =>
    s.replace(/(id: headline, kind: headline, columns: \[1, 8\], top: 0, lines: )12/, '$110'),
  );
  await expectInputErrorAsync(
    () => build(dir),
    /layout\.yaml:\d+:\d+ at \/frames\/0: frame "headline" is 10 lines tall; its headline group .* needs 11/,
    'lines: 11',
  );
});

test('a head frame too narrow for its head on one line at 10.5 pt: set on lines broken at a phrase boundary, larger', async () => {
  // unit: one column (41.3 mm) and 3 lines for 17 characters: 5.9 pt on one line, or 11 pt on two
  const text = '集群驱动创新引领，构筑现代产业高地';
  const set = headFrameSet(text, broadsheet.colW, 3 * broadsheet.pitch);
  assert.equal(
    set.lines.map(([a, b]) => text.slice(a, b)),
    ['集群驱动创新引领，', '构筑现代产业高地'],
  );
  assert.ok(Math.abs(set.sizeMm / (25.4 / 72) - 11) < 1e-6, `${set.sizeMm / (25.4 / 72)} pt`);
  // wide enough at 10.5 pt or more: one line, as before (the sample's heads)
  assert.is(headFrameSet(text, 2 * broadsheet.colW + broadsheet.gutter, 3 * broadsheet.pitch).lines.length, 1);
  // in the PDF: the sample with that head's frame one column wide
  const dir = copyEdition(SAMPLE);
  edit(dir, 'layout.yaml', (s) => s.replace(/(id: s2-head, +kind: head, +chain: s2, +columns: )\[4, 5\]/, '$1[4, 4]'));
  const r = await build(dir);
  const lines = linesIn(r, 's2-head', 'NotoSerifSC-Bold');
  assert.equal(
    lines.map((l) => squash(l.text)),
    ['集群驱动创新引领，', '构筑现代产业高地'],
  );
  assert.ok(
    lines.every((l) => Math.abs(l.size - 11) < 0.05),
    lines.map((l) => l.size).join(', '),
  );
  assert.is(r.report.pageCheck.findings, 0);
});

test('the sample: its main head at 68 pt on one line, as before', async () => {
  const r = await build(SAMPLE);
  const main = linesIn(r, 'headline', 'NotoSerifSC-Black');
  assert.is(main.length, 1);
  assert.ok(Math.abs(main[0]!.size - 68) < 0.05, `${main[0]!.size}`);
  assert.ok(squash(pdftext(r.pdfPath, '-raw')).includes('风起湘江畔雨湖立潮头'));
});

test.run();
