/** Load stage: the sample loads; bad input stops with file, place and fix. No browser. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadEdition } from '../src/load/edition.js';
import { parseYaml } from '../src/load/structured.js';
import { parseStory } from '../src/load/story.js';
import { parse as parseWithYamlPackage } from 'yaml';
import { readFileSync } from 'node:fs';
import { copyEdition, edit, expectInputError, lineOf, SAMPLE, tempDir } from './helpers.js';

test('the sample edition loads with its chains, photos, charts and tables', () => {
  const ed = loadEdition(SAMPLE);
  assert.equal(
    ed.story.chains.map((c) => c.id),
    ['lead', 's1', 's2', 's3', 'end'],
  );
  assert.equal([...ed.photos.keys()], ['yaowan', 'yugao', 'jiangshe', 'linli']);
  assert.equal([...ed.charts.keys()], ['gdp', 'growth', 'rd']);
  assert.ok(ed.tables.has('growth'));
  assert.is(ed.story.front.data.headline, '风起湘江畔 雨湖立潮头');
  assert.is(ed.meta.data.preset, 'broadsheet');
  // heads and reading order: s1 starts with its head, then the paragraph "“十四五”开局之初"
  const s1 = ed.story.chains[1]!;
  assert.is(s1.blocks[0]!.kind, 'head');
  assert.ok(
    s1.blocks[1]!.runs.map((r) => r.s)
      .join('')
      .startsWith('“十四五”开局之初'),
  );
});

test('the sample keeps out the orphaned fragment and fixes the known typo', () => {
  const ed = loadEdition(SAMPLE);
  const all = ed.story.chains.flatMap((c) => c.blocks.flatMap((b) => b.runs.map((r) => r.s))).join('');
  assert.not.ok(all.includes('等”跨越。'));
  assert.not.ok(all.includes('名列前矛'));
  assert.ok(all.includes('名列前茅'));
});

test('an edition folder that does not exist', () => {
  expectInputError(
    () => loadEdition('/nonexistent/edition'),
    '/nonexistent/edition',
    'edition folder not found',
    'fix:',
  );
});

test('malformed YAML names file, line and column', () => {
  const dir = copyEdition();
  edit(dir, 'figures.yaml', (s) => s.replace('gdp_2025:        { value: 900,', 'gdp_2025:        { value: 900,,'));
  expectInputError(() => loadEdition(dir), `figures.yaml:${lineOf('figures.yaml', 'gdp_2025:')}:`, 'YAML syntax error');
});

test('an unknown field and a missing required field are named with their line', () => {
  const dir = copyEdition();
  edit(dir, 'edition.yaml', (s) => s.replace('section: 专题', 'sektion: 专题'));
  const text = expectInputError(
    () => loadEdition(dir),
    'edition.yaml',
    'unknown field "sektion"',
    'lacks the required field "section"',
  );
  assert.match(text, /edition\.yaml:6:10 at \/sektion/);
});

test('a figure value that is not a number', () => {
  const dir = copyEdition();
  edit(dir, 'figures.yaml', (s) => s.replace('value: 646.8', 'value: 646.8亿'));
  expectInputError(
    () => loadEdition(dir),
    `figures.yaml:${lineOf('figures.yaml', 'gdp_2020:')}`,
    '"gdp_2020.value" must be number',
  );
});

test('an unknown page preset lists the known ones', () => {
  const dir = copyEdition();
  edit(dir, 'edition.yaml', (s) => s.replace('preset: broadsheet', 'preset: tabloid'));
  expectInputError(() => loadEdition(dir), 'edition.yaml:10', 'unknown page preset "tabloid"', 'broadsheet, a4');
});

test('text that is not UTF-8 is refused; a BOM and CRLF are accepted', () => {
  const dir = copyEdition();
  writeFileSync(
    path.join(dir, 'story.md'),
    Buffer.concat([Buffer.from('---\nheadline: '), Buffer.from([0xd5, 0xe2, 0xca, 0xc7]), Buffer.from('\n---\n')]),
  );
  expectInputError(() => loadEdition(dir), 'story.md', 'not valid UTF-8', 'save the file as UTF-8');

  const ok = copyEdition();
  edit(ok, 'story.md', (s) => '\ufeff' + s.replace(/\n/g, '\r\n'));
  const ed = loadEdition(ok);
  assert.is(ed.story.chains.length, 5);
  assert.is(ed.story.chains[0]!.place.line, 9);
});

test('an empty story, text before the first chain, an unknown directive', () => {
  const a = copyEdition();
  edit(a, 'story.md', (s) => s.slice(0, s.indexOf('::chain lead')));
  expectInputError(() => loadEdition(a), 'story.md', 'the story has no text');

  const b = copyEdition();
  edit(b, 'story.md', (s) => s.replace('::chain lead\n', 'Stray text.\n\n::chain lead\n'));
  expectInputError(() => loadEdition(b), 'story.md:9', 'before the first "::chain"');

  const c = copyEdition();
  edit(c, 'story.md', (s) => s.replace('::chain end', '::sidebar end'));
  expectInputError(() => loadEdition(c), 'story.md:', 'unknown directive "::sidebar end"');
});

test('a missing image, a corrupt image and a truncated JPEG', () => {
  const a = copyEdition();
  edit(a, 'edition.yaml', (s) => s.replace('images/yugao.jpg', 'images/nope.jpg'));
  expectInputError(() => loadEdition(a), 'edition.yaml:', 'file "images/nope.jpg" not found');

  const b = copyEdition();
  writeFileSync(path.join(b, 'images/yugao.jpg'), 'this is not an image');
  expectInputError(() => loadEdition(b), 'images/yugao.jpg', 'image cannot be read');

  const c = copyEdition();
  const full = Buffer.from(readFileSync(path.join(c, 'images/yugao.jpg')));
  writeFileSync(path.join(c, 'images/yugao.jpg'), full.subarray(0, full.length >> 1));
  expectInputError(() => loadEdition(c), 'images/yugao.jpg', 'truncated');
});

test('paths that leave the edition folder are refused: ../, absolute, symlink', () => {
  const a = copyEdition();
  edit(a, 'edition.yaml', (s) => s.replace('images/yugao.jpg', '../../../etc/hostname'));
  expectInputError(() => loadEdition(a), 'leaves the edition folder');

  const b = copyEdition();
  edit(b, 'edition.yaml', (s) => s.replace('images/yugao.jpg', '/etc/hostname'));
  expectInputError(() => loadEdition(b), 'leaves the edition folder');

  const c = copyEdition();
  const outside = tempDir('outside-');
  writeFileSync(path.join(outside, 'x.jpg'), 'secret');
  rmSync(path.join(c, 'images/yugao.jpg'));
  symlinkSync(path.join(outside, 'x.jpg'), path.join(c, 'images/yugao.jpg'));
  expectInputError(() => loadEdition(c), 'leaves the edition folder');
});

test('a malformed chart spec and a malformed CSV table', () => {
  const a = copyEdition();
  edit(a, 'charts/gdp.vl.json', (s) => s.replace('"mark": { "type": "bar"', '"mark": { "type": "bar",,'));
  expectInputError(() => loadEdition(a), 'charts/gdp.vl.json:', 'JSON syntax error');

  const b = copyEdition();
  edit(b, 'tables/growth.csv', (s) => s.replace('地区生产总值,{gdp_growth}', '地区生产总值,{gdp_growth},extra'));
  expectInputError(() => loadEdition(b), 'tables/growth.csv', 'CSV error');
});

test('the fast YAML reader gives what the yaml package gives; positions come from the yaml package', () => {
  for (const f of ['edition.yaml', 'figures.yaml', 'layout.yaml']) {
    const text = readFileSync(path.join(SAMPLE, f), 'utf8');
    const fast = parseYaml(text, f);
    assert.equal(fast.data, parseWithYamlPackage(text), f);
  }
  const text = 'a: 1\nb:\n  c: [x, "2025-12-18", 2025-12-18, 0o17, 1e3, ~, true]\n';
  const y = parseYaml(text, 't.yaml');
  assert.equal(
    y.data,
    { a: 1, b: { c: ['x', '2025-12-18', '2025-12-18', 15, 1000, null, true] } },
    'core schema: a date stays a string',
  );
  assert.equal(y.locate(['b', 'c', 2]), { file: 't.yaml', line: 3, column: 24, path: '/b/c/2' });
  // anchors and aliases go to the yaml package, with its limit on alias expansion
  const bomb =
    'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
  assert.throws(() => parseYaml(bomb, 'bomb.yaml'), /alias|Excessive/i);
});

test('figures.yaml written as plain numbers: one message with the expected form, not one per figure', () => {
  const dir = copyEdition();
  edit(dir, 'figures.yaml', (s) =>
    s.replace(
      /^([a-z0-9_]+):\s*\{\s*value:\s*([-\d.]+)[^}\n]*\}/gm,
      (_all, name: string, v: string) => `${name}: ${v}`,
    ),
  );
  const plainCount = (readFileSync(path.join(dir, 'figures.yaml'), 'utf8').match(/^[a-z0-9_]+: [-\d.]+$/gm) ?? [])
    .length;
  assert.ok(plainCount > 20, `${plainCount} figures made plain`);
  const text = expectInputError(
    () => loadEdition(dir),
    `figures.yaml:${lineOf('figures.yaml', 'gdp_2020:', dir)}`,
    `${plainCount} figures are written as plain values (gdp_2020: 646.8)`,
    'gdp_2020: { value: 646.8, unit: 亿元 }',
  );
  assert.is(text.match(/must be object/g), null);
});

test('a value written 647.0 or 4.90 keeps its decimals (the source text of the number), others none', () => {
  const dir = copyEdition();
  edit(dir, 'figures.yaml', (s) => s.replace('value: 646.8', 'value: 647.0'));
  const ed = loadEdition(dir);
  assert.is(ed.figureDecimals.gdp_2020, 1);
  assert.is(ed.figureDecimals.gdp_2025, undefined);
});

test('directives on consecutive lines are each their own; a line without "::" continues a caption', () => {
  const story = parseStory(
    [
      '---',
      'headline: 标题',
      '---',
      '',
      '::chain main',
      '',
      '正文。',
      '',
      '::photo a 第一张照片的图片说明，',
      '写在两行里。',
      '::photo b 第二张。',
      '::chart c 图表标题（%）',
      '',
    ].join('\n'),
    'story.md',
  );
  assert.equal(
    story.photos.map((p) => [p.id, p.text, p.place.line]),
    [
      ['a', '第一张照片的图片说明，写在两行里。', 9],
      ['b', '第二张。', 11],
    ],
  );
  assert.equal(
    story.charts.map((c) => [c.id, c.text, c.place.line]),
    [['c', '图表标题（%）', 12]],
  );
});

test.run();
