/** Bind stage: figures formatted and bound everywhere; unknown references stop with file:line. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bind, formatFigure } from '../src/bind/figures.js';
import { loadEdition } from '../src/load/edition.js';
import { copyEdition, edit, expectInputError, lineOf, SAMPLE } from './helpers.js';
import { lints } from '../src/check/page.js';

const text = (segs: { s: string }[]) => segs.map((s) => s.s).join('');

test('figures print as Chinese newspapers write them', () => {
  assert.is(formatFigure({ value: 646.8, unit: '亿元' }, undefined), '646.8亿元');
  assert.is(formatFigure({ value: 900, unit: '亿元' }, undefined), '900亿元');
  assert.is(formatFigure({ value: 13000, scale: '万', unit: '个' }, undefined), '1.3万个');
  assert.is(formatFigure({ value: 40000, scale: '万', approx: '余', unit: '名' }, undefined), '4万余名');
  assert.is(formatFigure({ value: 40, approx: '余', unit: '项' }, undefined), '40余项');
  assert.is(formatFigure({ value: 6.2, unit: '%' }, undefined), '6.2%');
  assert.is(formatFigure({ value: 12, unit: '亿元', decimals: 1 }, undefined), '12.0亿元');
  assert.is(formatFigure({ value: 100, display: '百余项' }, undefined), '百余项');
  assert.is(formatFigure({ value: 15.83, unit: '亿元' }, 'num'), '15.83');
});

test('the sample binds every reference: text, fact box and chart tables', () => {
  const b = bind(loadEdition(SAMPLE));
  const s1 = b.chains.find((c) => c.id === 's1')!;
  const para = s1.blocks.map((x) => text(x.segs)).find((t) => t.startsWith('翻开'))!;
  assert.ok(para.includes('地区生产总值从2020年646.8亿元稳步增长至900亿元，年均增速保持6.2%'));
  assert.not.ok(
    b.chains.some((c) => c.blocks.some((x) => /[{}]/.test(text(x.segs)))),
    'an unresolved {reference} is left',
  );
  // one datum, every place: gdp_2025 is printed in the lead, s1, the fact box and a chart table
  const wheres = new Set(b.uses.filter((u) => u.figure === 'gdp_2025').map((u) => u.where));
  assert.equal([...wheres].sort(), ['fact box "shushuo"', 'story "lead"', 'story "s1"', 'table "gdp"']);
  assert.equal(b.tables.get('gdp')!.rows, [
    { 年份: '2020年', 地区生产总值: 646.8 },
    { 年份: '2025年', 地区生产总值: 900 },
  ]);
  assert.is(text(b.factboxes.get('shushuo')!.items[5]!.value), '1.3万个');
});

test('a corrected figure changes every place it is printed', () => {
  const dir = copyEdition();
  edit(dir, 'figures.yaml', (s) => s.replace('gdp_2025:        { value: 900,', 'gdp_2025:        { value: 901.5,'));
  const b = bind(loadEdition(dir));
  const uses = b.uses.filter((u) => u.figure === 'gdp_2025');
  assert.ok(uses.length >= 4);
  for (const u of uses) assert.ok(u.printed.startsWith('901.5'), u.where);
  assert.is(b.tables.get('gdp')!.rows[1]!['地区生产总值'], 901.5);
  const all = b.chains.flatMap((c) => c.blocks.map((x) => text(x.segs))).join('');
  assert.not.ok(all.includes('900亿元'));
});

test('an unknown figure is an error naming the file, the line and a near name', () => {
  const dir = copyEdition();
  edit(dir, 'story.md', (s) => s.replace('稳步增长至{gdp_2025}', '稳步增长至{gdp_2052}'));
  const ed = loadEdition(dir);
  const line = ed.story.chains[1]!.blocks[2]!.place.line!;
  expectInputError(
    () => bind(ed),
    `story.md:${line}`,
    'figure {gdp_2052} is not defined',
    'did you mean',
    '{gdp_2025}',
  );
});

test('every bad reference is reported at once, in tables too', () => {
  const dir = copyEdition();
  edit(dir, 'story.md', (s) => s.replace('{honours}', '{honors}').replace('{audits}', '{audits:pct}'));
  edit(dir, 'tables/growth.csv', (s) => s.replace('{fai_growth}', '{fai_grwth}'));
  expectInputError(
    () => bind(loadEdition(dir)),
    '{honors}',
    'unknown format "pct"',
    'tables/growth.csv:4:2',
    '{fai_grwth}',
  );
});

test('lints: a unit written after a figure that prints it, and a ▲ or ■ written where the page adds one', () => {
  assert.equal(lints(bind(loadEdition(SAMPLE)), loadEdition(SAMPLE).figures.data), []);
  const dir = copyEdition();
  edit(dir, 'story.md', (s) =>
    s
      .replace('突破{gdp_2025}大关', '突破{gdp_2025}亿元大关')
      .replace('::photo yaowan 窑湾', '::photo yaowan ▲窑湾')
      .replace('byline: 蒋睿', 'byline: ■蒋睿'),
  );
  const ed = loadEdition(dir);
  const found = lints(bind(ed), ed.figures.data);
  assert.is(found.length, 3, found.join('\n'));
  // named by its line in story.md, as the other messages about the story are
  const line = lineOf('story.md', '突破{gdp_2025}亿元大关', dir);
  assert.ok(
    found[0]!.startsWith(`yuhu-2025/story.md:${line} (story "lead"): a unit printed twice ("900亿元亿元")`),
    found[0],
  );
  assert.match(found[1]!, /photo "yaowan": "▲▲窑湾/);
  assert.match(found[2]!, /byline: "■■蒋睿/);
});

test.run();
