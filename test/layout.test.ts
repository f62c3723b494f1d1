/** The page grid and frames: pure geometry, no browser. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gridOf, PRESETS, PT } from '../src/layout/presets.js';
import { layoutPage } from '../src/layout/frames.js';
import { loadEdition } from '../src/load/edition.js';
import { copyEdition, edit, expectInputError, SAMPLE } from './helpers.js';

// The broadsheet grid computed by hand from the preset's figures (390 × 545 mm trim, 8 columns of
// 13 characters of 9 pt, 4.5 mm gutters, 17 mm top margin, 13.5 pt pitch): 9 pt = 9 × 25.4 / 72
// = 3.175 mm, so a column is 13 × 3.175 = 41.275 mm; 8 columns and 7 gutters make 330.2 + 31.5
// = 361.7 mm, centred: left margin (390 − 361.7) / 2 = 14.15 mm; column k starts at 14.15 +
// (k − 1) × (41.275 + 4.5) and ends 41.275 mm later; the pitch is 13.5 × 25.4 / 72 = 4.7625 mm.
const COLUMN_LEFT = [14.15, 59.925, 105.7, 151.475, 197.25, 243.025, 288.8, 334.575];
const COLUMN_RIGHT = [55.425, 101.2, 146.975, 192.75, 238.525, 284.3, 330.075, 375.85];
const TOP = 17;
const PITCH = 4.7625;
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} ≠ ${b}`);

test('the broadsheet grid: 8 columns of 13 characters of 9 pt, inside the trim', () => {
  const g = gridOf(PRESETS.broadsheet!);
  assert.is(g.pageW, 396);
  assert.is(g.pageH, 551);
  assert.ok(Math.abs(g.colW - 13 * 9 * PT) < 1e-9);
  near(g.left, COLUMN_LEFT[0]!, 'left margin');
  near(g.pitch, PITCH, 'pitch');
  // 8th column ends 14.15 mm before the right trim edge: the grid is centred
  near(390 - COLUMN_RIGHT[7]!, 14.15, 'right margin');
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
  // layout.yaml: yaowan columns [1, 4], top 16, lines 24 → x 14.15, y 17 + 16 × 4.7625 = 93.2,
  // w 4 × 41.275 + 3 × 4.5 = 178.6, h 24 × 4.7625 = 114.3 (mm)
  for (const [k, v] of Object.entries({ x: 14.15, y: 93.2, w: 178.6, h: 114.3 }))
    near(yaowan.box[k as 'x'], v, `yaowan ${k}`);
  // every frame starts on a column edge and a body line, and ends on a column edge
  for (const f of l.frames) {
    near(f.box.x, COLUMN_LEFT[f.columns[0] - 1]!, `${f.id} left`);
    near(f.box.x + f.box.w, COLUMN_RIGHT[f.columns[1] - 1]!, `${f.id} right`);
    near(f.box.y, TOP + f.top * PITCH, `${f.id} top`);
    near(f.box.h, f.lines * PITCH, `${f.id} height`);
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
