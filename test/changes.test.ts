/**
 * Regenerating after a data correction: one datum changes every place it is printed and nothing
 * else; the change report names exactly what changed; an overset caused by a correction is
 * reported; watch mode keeps the last good PDF through a bad edit.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEdition } from '../src/pipeline.js';
import type { Report } from '../src/check/report.js';
import { launchBrowser, type Launched } from '../src/print/browser.js';
import { PrintSession } from '../src/print/session.js';
import { startWatch } from '../src/cli/watch.js';
import { captureLogger } from '../src/log.js';
import { copyEdition, edit, expectInputErrorAsync, pdfFonts, pdftext, squash, tempDir } from './helpers.js';

let browser: Launched;
test.before(async () => {
  browser = await launchBrowser();
});
test.after(async () => {
  await browser.close();
});

const count = (s: string, sub: string) => s.split(sub).length - 1;

test('a corrected figure changes everywhere it is printed and nowhere else; the report lists exactly it', async () => {
  const dir = copyEdition();
  const out = tempDir('changes-');
  const session = new PrintSession(browser.browser);
  const before = await buildEdition(dir, { outDir: out, session });
  assert.is(before.report.changes, undefined, 'no previous build, no change report');
  const t1 = squash(pdftext(before.pdfPath, '-raw'));
  assert.is(count(t1, '31条'), 0);
  const places = before.report.figures.find((f) => f.name === 'rural_roads')!.places.length;
  assert.is(count(t1, '28条'), places);

  edit(dir, 'figures.yaml', (s) => s.replace('rural_roads:     { value: 28,', 'rural_roads:     { value: 31,'));
  const after = await buildEdition(dir, { outDir: out, session });
  const t2 = squash(pdftext(after.pdfPath, '-raw'));
  assert.is(count(t2, '31条'), places, 'printed in every place');
  assert.is(t2.replaceAll('31条', '28条'), t1, 'and nothing else in the text changed');

  const c = after.report.changes!;
  assert.equal(
    c.figures.map((f) => [f.name, f.old, f.new]),
    [['rural_roads', '28条', '31条']],
  );
  assert.is(c.figures[0]!.places.length, places);
  assert.equal(c.charts, []);
  assert.ok(c.regions.length >= 1 && c.regions.length <= places + 1, `${c.regions.length} regions`);
  assert.ok(existsSync(path.join(out, 'changes.png')));

  const again = await buildEdition(dir, { outDir: out, session });
  assert.equal(
    again.report.changes,
    { figures: [], charts: [], chains: [], regions: [] },
    'an unchanged rebuild reports nothing',
  );
  await session.close();
});

test('a correction that makes a story overset stops the build; allowed, the report shows the change', async () => {
  const dir = copyEdition();
  const out = tempDir('changes-over-');
  const session = new PrintSession(browser.browser);
  await buildEdition(dir, { outDir: out, session });
  const good = readFileSync(path.join(out, 'broadsheet.pdf'));
  edit(dir, 'figures.yaml', (s) =>
    s.replace(
      'audits:          { value: 185, unit: 个,',
      'audits:          { value: 185, unit: 个, display: 一百八十五个经济责任、专项资金和重大投资项目的审计项目,',
    ),
  );
  await expectInputErrorAsync(
    () => buildEdition(dir, { outDir: out, session }),
    /story "s1": \d+ 字 \(\d+ lines?\) over/,
  );
  assert.ok(readFileSync(path.join(out, 'broadsheet.pdf')).equals(good), 'the last good PDF stays');
  const r = await buildEdition(dir, { outDir: out, session, allowOverset: true });
  const s1 = r.report.changes!.chains.find((x) => x.id === 's1')!;
  assert.is(s1.status[1], 'overset');
  assert.ok(s1.status[0] !== 'overset');
  assert.ok(s1.oversetChars[1] > 0);
  await session.close();
});

test('a warm rebuild whose text brings a new character swaps the font in place; the PDF is the one a fresh page prints', async () => {
  const dir = copyEdition();
  const out = tempDir('swap-');
  const session = new PrintSession(browser.browser);
  const first = await buildEdition(dir, { outDir: out, session });
  edit(dir, 'story.md', (s) => s.replace('老工业基地', '老工业龘基地'));
  const warm = await buildEdition(dir, { outDir: out, session });
  assert.is.not(warm.report.fonts.body!.url, first.report.fonts.body!.url, 'the body face is cut anew');
  assert.is(warm.report.fonts.headline!.url, first.report.fonts.headline!.url, 'the other faces are not');
  assert.is(warm.report.timingsMs['print.load'], 0, 'the page was not loaded again');
  assert.ok(squash(pdftext(warm.pdfPath, '-raw')).includes('老工业龘基地'));
  assert.is(pdfFonts(warm.pdfPath).length, 6);
  await session.close();
  // the same edition on a fresh page: the same bytes
  const fresh = new PrintSession(browser.browser);
  const cold = await buildEdition(dir, { outDir: tempDir('swap-cold-'), session: fresh });
  assert.ok(
    cold.pdf.length > 0 && Buffer.from(cold.pdf).equals(Buffer.from(warm.pdf)),
    'warm and fresh builds give the same bytes',
  );
  await fresh.close();
});

test('watch: a bad edit prints a clear error and keeps the last good PDF; the fix rebuilds', async () => {
  const dir = copyEdition();
  const out = tempDir('watch-');
  const log = captureLogger();
  const w = await startWatch(dir, { outDir: out, allowOverset: false, log, debounceMs: 50 });
  const waitFor = async (what: string, cond: () => boolean) => {
    const until = Date.now() + 30_000;
    while (!cond()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}:\n${log.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await w.ready;
    const good = readFileSync(path.join(out, 'broadsheet.pdf'));
    const figures = readFileSync(path.join(dir, 'figures.yaml'), 'utf8');
    const n = log.lines.length;
    writeFileSync(
      path.join(dir, 'figures.yaml'),
      figures.replace('sanitation_blocks: { value: 26,', 'sanitation_blocks: { value: 26x,'),
    );
    await waitFor('the error', () => log.lines.slice(n).some((l) => /last good PDF is unchanged/.test(l)));
    assert.ok(
      log.lines.slice(n).some((l) => /figures\.yaml:\d+:\d+ at \/sanitation_blocks\/value/.test(l)),
      log.lines.join('\n'),
    );
    assert.ok(readFileSync(path.join(out, 'broadsheet.pdf')).equals(good), 'the last good PDF stays');

    const m = log.lines.length;
    writeFileSync(
      path.join(dir, 'figures.yaml'),
      figures.replace('sanitation_blocks: { value: 26,', 'sanitation_blocks: { value: 27,'),
    );
    await waitFor('the rebuild', () => log.lines.slice(m).some((l) => /^rebuilt /.test(l)));
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    assert.equal(
      report.changes!.figures.map((f) => f.new),
      ['27个'],
    );
    assert.ok(squash(pdftext(path.join(out, 'broadsheet.pdf'), '-raw')).includes('27个创卫示范区块'));

    // saves by rename (sed -i, many editors), twice over: each is seen, in a subfolder too
    const saveByRename = (file: string, text: string) => {
      writeFileSync(path.join(dir, `${file}.tmp123`), text);
      renameSync(path.join(dir, `${file}.tmp123`), path.join(dir, file));
    };
    for (const v of [28, 29]) {
      const k = log.lines.length;
      saveByRename(
        'figures.yaml',
        figures.replace('sanitation_blocks: { value: 26,', `sanitation_blocks: { value: ${v},`),
      );
      await waitFor(`the rebuild for ${v}`, () =>
        log.lines.slice(k).some((l) => /^rebuilt /.test(l) && l.includes(`→ ${v}个`)),
      );
    }
    const k = log.lines.length;
    const table = readFileSync(path.join(dir, 'tables', 'rd.csv'), 'utf8');
    saveByRename(path.join('tables', 'rd.csv'), table + '\n');
    await waitFor('the rebuild for a table', () => log.lines.slice(k).some((l) => /^rebuilt /.test(l)));
  } finally {
    await w.close();
  }
});

test.run();
