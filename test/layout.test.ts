/** The page grid and frames: pure geometry, no browser. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { boxOf, gridOf, PRESETS, PT } from '../src/layout/presets.js';
import { layoutPage } from '../src/layout/frames.js';
import { loadEdition } from '../src/load/edition.js';
import { copyEdition, edit, expectInputError, SAMPLE } from './helpers.js';

test('the broadsheet grid: 8 columns of 13 characters of 9 pt, inside the trim', () => {
  const g = gridOf(PRESETS.broadsheet!);
  assert.is(g.pageW, 396);
  assert.is(g.pageH, 551);
  assert.ok(Math.abs(g.colW - 13 * 9 * PT) < 1e-9);
  const last = boxOf(g, 8, 8, 0, 1);
  assert.ok(Math.abs(last.x + last.w - (390 - g.left)) < 1e-9, 'grid is centred');
  assert.ok(g.left > 12 && g.left < 20, `side margin ${g.left} mm`);
  assert.ok(g.top + g.lines * g.pitch <= 545 - 15 + 1e-9);
  assert.is(g.lines, 107);
});

test('house style body size: 五号 keeps the column width in whole characters and the pitch in proportion', () => {
  const g = gridOf(PRESETS.broadsheet!, 10.5);
  assert.is(g.preset.charsPerColumn, 11);
  assert.ok(Math.abs(g.colW - 11 * 10.5 * PT) < 1e-9);
  assert.ok(Math.abs(g.pitch - 15.75 * PT) < 1e-9);
  assert.ok(g.left > 12, 'still inside the page');
});

test('the sample layout: every chain has frames, frames threaded per column', () => {
  const l = layoutPage(loadEdition(SAMPLE));
  assert.equal(
    l.chains.get('s1')!.map((f) => f.id),
    ['s1-a.1', 's1-a.2', 's1-b'],
  );
  assert.equal(
    l.chains.get('s3')!.map((f) => f.id),
    ['s3-b.1', 's3-b.2', 's3-c'],
  );
  // a flexible photo knows the text frames below it
  assert.equal(l.frames.find((f) => f.id === 'jiangshe')!.followers, ['s3-b.1', 's3-b.2']);
  const yaowan = l.frames.find((f) => f.id === 'yaowan')!;
  assert.equal(yaowan.columns, [1, 4]);
  // frames start on column edges and body lines
  for (const f of l.frames) {
    const b = boxOf(l.grid, f.columns[0], f.columns[1], f.top, f.lines);
    assert.equal(f.box, b);
  }
});

test('frames off the grid, overlapping frames, unknown chains and refs are errors', () => {
  const a = copyEdition();
  edit(a, 'layout.yaml', (s) =>
    s.replace('ref: gdp,     columns: [3, 3], top: 88', 'ref: gdp,     columns: [3, 9], top: 88'),
  );
  expectInputError(
    () => layoutPage(loadEdition(a)),
    'layout.yaml',
    'frame "gdp" spans columns 3–9, but the grid has columns 1–8',
  );

  const b = copyEdition();
  edit(b, 'layout.yaml', (s) =>
    s.replace('ref: gdp,     columns: [3, 3], top: 88', 'ref: gdp,     columns: [2, 3], top: 88'),
  );
  expectInputError(() => layoutPage(loadEdition(b)), 'frames "growth" and "gdp" overlap');

  const c = copyEdition();
  edit(c, 'layout.yaml', (s) =>
    s.replace('chain: s2,    columns: [4, 5], top: 65', 'chain: s9,    columns: [4, 5], top: 65'),
  );
  expectInputError(
    () => layoutPage(loadEdition(c)),
    'text chain "s9" is not in the story',
    'the story\'s chain "s2" has no text frame',
  );

  const d = copyEdition();
  edit(d, 'layout.yaml', (s) => s.replace('ref: linli', 'ref: linlin'));
  expectInputError(
    () => layoutPage(loadEdition(d)),
    'photo "linlin" is not declared',
    'photo "linli" is not placed on the page',
  );

  const e = copyEdition();
  edit(e, 'layout.yaml', (s) =>
    s.replace('columns: [8, 8], top: 97, lines: 10', 'columns: [8, 8], top: 97, lines: 11'),
  );
  expectInputError(() => layoutPage(loadEdition(e)), 'frame "end-b" ends on line 108, but the grid has 107 lines');
});

test.run();
