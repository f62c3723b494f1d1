/**
 * `broadsheet placeholders`: marked 300 ppi placeholders at the size the page prints each photo,
 * made without the photo files, and a build that then reports them at 300 ppi without a warning.
 * Expected pixel sizes are computed here from the grid's arithmetic, not from the code under test.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { imageSize } from 'image-size';
import { buildEdition } from '../src/pipeline.js';
import { launchBrowser, type Launched } from '../src/print/browser.js';
import { makePlaceholders } from '../src/cli/placeholders.js';
import { pixelsFor, withDensity } from '../src/compose/placeholder.js';
import { ppiVerdict } from '../src/check/report.js';
import { captureLogger } from '../src/log.js';
import { ROOT } from '../src/paths.js';
import { copyEdition, edit, expectInputErrorAsync, pdfImages, solidPng, tempDir } from './helpers.js';

let browser: Launched;
test.before(async () => {
  browser = await launchBrowser();
});
test.after(async () => {
  await browser.close();
});

// The broadsheet grid by hand: a column is 13 characters of 9 pt, gutters 4.5 mm, a line 13.5 pt.
const PT = 25.4 / 72;
const columnsMm = (n: number) => n * 13 * 9 * PT + (n - 1) * 4.5;
const linesMm = (n: number) => n * 13.5 * PT;
/** the fewest whole pixels at 300 ppi: ceil(inches × 300) */
const px300 = (mm: number) => Math.ceil((mm / 25.4) * 300 - 1e-6);

/**
 * The sample's photo frames (layout.yaml), each less one caption line (every caption there is
 * shorter than its frame is wide at 8 pt a character); a flexible frame at its maxLines.
 */
const EXPECTED: Record<string, [number, number]> = {
  yaowan: [px300(columnsMm(4)), px300(linesMm(24 - 1))], // columns 1–4, 24 lines
  yugao: [px300(columnsMm(2)), px300(linesMm(26 - 1))], // columns 4–5, maxLines 26
  jiangshe: [px300(columnsMm(2)), px300(linesMm(18 - 1))], // columns 6–7, maxLines 18
  linli: [px300(columnsMm(2)), px300(linesMm(23 - 1))], // columns 6–7, maxLines 23
};

test('the expected sizes by hand: 178.6 mm is 2110 px, 23 lines (109.54 mm) 1294 px', () => {
  // 178.6 / 25.4 × 300 = 2109.45 → 2110; 23 × 13.5 pt = 310.5 pt, / 72 × 300 = 1293.75 → 1294
  assert.equal(EXPECTED.yaowan, [2110, 1294]);
  assert.equal(EXPECTED.yugao, [1029, 1407]); // 87.05 mm → 1028.15; 337.5 pt → 1406.25
  assert.is(pixelsFor(25.4), 300);
  assert.is(pixelsFor(25.4 * 1.0001), 301);
});

test('effective resolution is judged after rounding to 1 ppi', () => {
  assert.is(ppiVerdict(299.9), 'ok');
  assert.is(ppiVerdict(299.5), 'ok');
  assert.is(ppiVerdict(299.4), 'low');
  assert.is(ppiVerdict(150.2), 'low');
  assert.is(ppiVerdict(149.6), 'low');
  assert.is(ppiVerdict(149.4), 'too low');
});

test('the JPEG records 300 ppi (JFIF density), set in place or inserted', () => {
  const jfif = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9,
  ]);
  const a = withDensity(jfif, 300);
  assert.is(a.length, jfif.length);
  assert.equal([a[13], a.readUInt16BE(14), a.readUInt16BE(16)], [1, 300, 300]);
  const bare = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
  const b = withDensity(bare, 300);
  assert.is(b.toString('latin1', 6, 11), 'JFIF\0');
  assert.equal([b[13], b.readUInt16BE(14), b.readUInt16BE(16)], [1, 300, 300]);
  assert.equal([...b.subarray(b.length - 2)], [0xff, 0xd9]);
});

test('missing photos: placeholders of exactly the planned pixels; the build then says 300 ppi, no warning', async () => {
  const dir = copyEdition();
  for (const f of ['yaowan', 'yugao', 'jiangshe', 'linli']) rmSync(path.join(dir, 'images', `${f}.jpg`));
  const log = captureLogger();
  await makePlaceholders(dir, { browser, log });
  for (const [id, [w, h]] of Object.entries(EXPECTED)) {
    const file = path.join(dir, 'images', `${id}.jpg`);
    const bytes = readFileSync(file);
    const size = imageSize(bytes);
    assert.equal([size.type, size.width, size.height], ['jpg', w, h], id);
    assert.equal([bytes[13], bytes.readUInt16BE(14)], [1, 300], `${id}: JFIF density`);
  }
  assert.ok(log.lines.some((l) => l.includes('yaowan.jpg: made, 2110 × 1294 px for 178.6 × 109.5 mm at 300 ppi')));
  assert.equal(
    readFileSync(path.join(dir, 'images', 'yaowan.jpg')).length > 10_000,
    true,
    'a drawn image, not an empty one',
  );

  const out = tempDir('placeholders-out-');
  const r = await buildEdition(dir, { outDir: out, browser, changes: false });
  assert.equal(
    r.report.warnings.filter((w) => /ppi/.test(w)),
    [],
  );
  for (const p of r.report.photos) {
    assert.is(Math.round(p.ppi), 300, `${p.id}: ${p.ppi} ppi`);
    assert.equal(p.px, EXPECTED[p.id], p.id);
  }
  // the PDF carries the pixels: at least 300 ppi, rounded, each way (pdfimages rounds to 1 ppi)
  const imgs = pdfImages(r.pdfPath);
  assert.is(imgs.length, 4);
  for (const i of imgs) assert.ok(i.xppi >= 300 && i.yppi >= 300, `${i.width}×${i.height} at ${i.xppi}/${i.yppi} ppi`);
});

test('a placeholder of an old size is left and named without --force, made again with it; a real photo never', async () => {
  const dir = copyEdition();
  // yaowan: a placeholder of another frame's size; yugao: a real photo (not marked) far too small
  const tiny = solidPng(400, 300);
  writeFileSync(path.join(dir, 'images', 'yugao.png'), tiny);
  edit(dir, 'edition.yaml', (s) =>
    s.replace('{ file: images/yugao.jpg,    placeholder: true }', '{ file: images/yugao.png }'),
  );
  const realBefore = statSync(path.join(dir, 'images', 'yugao.png')).mtimeMs;
  writeFileSync(
    path.join(dir, 'images', 'yaowan.jpg'),
    readFileSync(path.join(ROOT, 'data/yuhu-2025/images/linli.jpg')),
  );

  const log = captureLogger();
  const plans = await makePlaceholders(dir, { browser, log });
  assert.equal(
    plans.map((p) => [p.id, p.action]),
    [
      ['yaowan', 'stale'],
      ['yugao', 'keep'],
      // the sample's own placeholders were made for lines, not maxLines: short when copy-fit grows them
      ['jiangshe', 'stale'],
      ['linli', 'stale'],
    ],
  );
  assert.ok(
    log.lines.some((l) => /warning: .*yaowan\.jpg is a placeholder of 1028 × 1069 px.*--force/.test(l)),
    log.lines.join('\n'),
  );
  assert.is(imageSize(readFileSync(path.join(dir, 'images', 'yaowan.jpg'))).width, 1028);

  const forced = await makePlaceholders(dir, { browser, force: true, log: captureLogger() });
  assert.equal(forced.find((p) => p.id === 'yaowan')?.action, 'remake');
  assert.equal(forced.find((p) => p.id === 'yugao')?.action, 'keep');
  const size = imageSize(readFileSync(path.join(dir, 'images', 'yaowan.jpg')));
  assert.equal([size.width, size.height], EXPECTED.yaowan);
  assert.is(statSync(path.join(dir, 'images', 'yugao.png')).mtimeMs, realBefore, 'the real photo is untouched');
  assert.equal(readFileSync(path.join(dir, 'images', 'yugao.png')), tiny);
});

test('a missing photo named .png, or outside the edition: exit 1 with the place in edition.yaml', async () => {
  const dir = copyEdition();
  rmSync(path.join(dir, 'images', 'linli.jpg'));
  edit(dir, 'edition.yaml', (s) => s.replace('images/linli.jpg', 'images/linli.png'));
  await expectInputErrorAsync(
    () => makePlaceholders(dir, { browser }),
    /edition\.yaml:\d+:\d+/,
    'placeholders are JPEG files',
    'name the file with .jpg',
  );
  assert.not.ok(existsSync(path.join(dir, 'images', 'linli.png')));
  edit(dir, 'edition.yaml', (s) => s.replace('images/linli.png', '../linli.jpg'));
  await expectInputErrorAsync(() => makePlaceholders(dir, { browser }), 'leaves the edition folder');
  assert.not.ok(existsSync(path.join(dir, '..', 'linli.jpg')));
});

test('the command line: placeholders makes the missing one and exits 0; --force elsewhere is a usage error', () => {
  const dir = copyEdition();
  rmSync(path.join(dir, 'images', 'jiangshe.jpg'));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), ...args], { encoding: 'utf8', cwd: ROOT });
  const r = cli('placeholders', dir);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /jiangshe\.jpg: made, 1029 × 957 px for 87\.0 × 81\.0 mm at 300 ppi/);
  assert.match(r.stderr, /made 1 placeholder\b/);
  assert.equal([imageSize(readFileSync(path.join(dir, 'images', 'jiangshe.jpg'))).height], [EXPECTED.jiangshe![1]]);
  const again = cli('placeholders', dir);
  assert.is(again.status, 0);
  assert.match(again.stderr, /no placeholder to make/);
  const bad = cli('build', dir, '--force');
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /Unknown option '--force'/);
  assert.match(cli('--help').stdout, /placeholders <edition-folder> \[--force\]/);
});

test.run();
