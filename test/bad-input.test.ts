/**
 * The table of bad inputs: each row breaks one file of a copy of the sample edition and names
 * what the error must say (file, place, problem). Every row must stop with an InputError, never
 * another exception. The README's "Bad input" section lists the same rows.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { prepare } from '../src/pipeline.js';
import { ROOT } from '../src/paths.js';
import { copyEdition, edit, expectInputErrorAsync, lineOf, tempDir } from './helpers.js';

interface Row {
  name: string;
  change: (dir: string) => void;
  expect: (string | RegExp)[];
}

const write = (dir: string, f: string, data: string | Buffer) => writeFileSync(path.join(dir, f), data);
const read = (dir: string, f: string) => readFileSync(path.join(dir, f));

export const BAD_INPUTS: Row[] = [
  {
    name: 'malformed YAML',
    change: (d) => edit(d, 'layout.yaml', (s) => s.replace('- { id: banner,', '- { id: banner,,')),
    expect: [new RegExp(`layout\\.yaml:${lineOf('layout.yaml', '- { id: banner,')}:18: YAML syntax error`)],
  },
  {
    name: 'malformed front matter',
    change: (d) => edit(d, 'story.md', (s) => s.replace('headline: 风起', 'headline: [风起')),
    expect: [/story\.md:\d+:\d+: YAML syntax error/],
  },
  {
    name: 'front matter missing',
    change: (d) => edit(d, 'story.md', (s) => s.replace(/^---\n[\s\S]*?\n---\n/, '')),
    expect: ['story.md:1', 'must start with front matter'],
  },
  {
    name: 'unknown front matter field',
    change: (d) => edit(d, 'story.md', (s) => s.replace('subhead:', 'subtitle:')),
    expect: [/story\.md:5:\d+ at \/subtitle/, 'unknown field "subtitle"'],
  },
  {
    name: 'malformed JSON chart spec',
    change: (d) => edit(d, 'charts/rd.vl.json', (s) => s.replace('"encoding": {', '"encoding": {{')),
    expect: [/charts\/rd\.vl\.json:\d+:\d+: JSON syntax error/],
  },
  {
    name: 'malformed CSV',
    change: (d) => edit(d, 'tables/gdp.csv', (s) => s + '2030年,1000,extra\n'),
    expect: ['tables/gdp.csv', 'CSV error'],
  },
  {
    name: 'text not UTF-8',
    change: (d) => write(d, 'figures.yaml', Buffer.from([0x67, 0x3a, 0x20, 0xb9, 0xfa])),
    expect: ['figures.yaml', 'not valid UTF-8 (first bad byte at offset 3)'],
  },
  {
    name: 'missing figure',
    change: (d) => edit(d, 'story.md', (s) => s.replace('{audits}', '{audit}')),
    expect: [/story\.md:\d+: figure \{audit\} is not defined/, 'did you mean {audits}'],
  },
  {
    name: 'missing table',
    change: (d) => rmSync(path.join(d, 'tables/rd.csv')),
    expect: [/charts\/rd\.vl\.json:4:\d+/, 'data table "rd" does not exist'],
  },
  {
    name: 'missing chart spec file',
    change: (d) => rmSync(path.join(d, 'charts/rd.vl.json')),
    expect: [/edition\.yaml:\d+:\d+/, 'file "charts/rd.vl.json" not found'],
  },
  {
    name: 'chart caption for an undeclared chart',
    change: (d) => edit(d, 'story.md', (s) => s.replace('::chart rd ', '::chart rnd ')),
    expect: ['chart "rnd" is not declared'],
  },
  {
    name: 'missing image',
    change: (d) => rmSync(path.join(d, 'images/linli.jpg')),
    expect: ['file "images/linli.jpg" not found'],
  },
  {
    name: 'unknown frame kind (the page partial it would use)',
    change: (d) => edit(d, 'layout.yaml', (s) => s.replace('kind: factbox', 'kind: sidebar')),
    expect: [/layout\.yaml:\d+:\d+/, 'must be one of'],
  },
  {
    name: 'invalid Vega-Lite spec',
    change: (d) => edit(d, 'charts/gdp.vl.json', (s) => s.replace('"type": "nominal"', '"type": "nominel"')),
    expect: ['charts/gdp.vl.json', 'not a valid Vega-Lite spec'],
  },
  {
    name: 'chart field not in the table',
    change: (d) => edit(d, 'tables/gdp.csv', (s) => s.replace('年份,', '年度,')),
    expect: [/charts\/gdp\.vl\.json:\d+:\d+/, 'field "年份" is not a column of table "gdp" (年度, 地区生产总值)'],
  },
  {
    name: 'corrupt image',
    change: (d) => write(d, 'images/yugao.jpg', Buffer.from('GIF89a not really')),
    expect: ['images/yugao.jpg', 'image cannot be read'],
  },
  {
    name: 'truncated image',
    change: (d) => write(d, 'images/yugao.jpg', read(d, 'images/yugao.jpg').subarray(0, 5000)),
    expect: ['images/yugao.jpg', 'truncated'],
  },
  {
    name: 'unsupported image (GIF)',
    change: (d) =>
      write(
        d,
        'images/yugao.jpg',
        Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64'),
      ),
    expect: ['images/yugao.jpg', 'not a JPEG or PNG image (gif)'],
  },
  {
    name: 'empty story',
    change: (d) => edit(d, 'story.md', (s) => s.slice(0, s.indexOf('::chain'))),
    expect: ['story.md', 'the story has no text'],
  },
  {
    name: 'unknown page preset',
    change: (d) => edit(d, 'edition.yaml', (s) => s.replace('preset: broadsheet', 'preset: berliner')),
    expect: [/edition\.yaml:10:\d+/, 'unknown page preset "berliner"'],
  },
  {
    name: 'unknown figure scale (house style value)',
    change: (d) => edit(d, 'figures.yaml', (s) => s.replace('scale: 万, approx: 余', 'scale: 千, approx: 余')),
    expect: [/figures\.yaml:\d+:\d+ at \/residents\/scale/, 'must be one of "万", "亿"'],
  },
  {
    name: 'image path out of the edition',
    change: (d) => edit(d, 'edition.yaml', (s) => s.replace('images/linli.jpg', '../../linli.jpg')),
    expect: ['path "../../linli.jpg" leaves the edition folder'],
  },
  {
    name: 'chart data from a URL',
    change: (d) =>
      edit(d, 'charts/rd.vl.json', (s) =>
        s.replace('"data": { "name": "rd" }', '"data": { "url": "https://example.com/rd.csv" }'),
      ),
    expect: ['charts/rd.vl.json:4', 'is refused'],
  },
  {
    name: 'a table of a million points',
    change: (d) =>
      write(
        d,
        'tables/rd.csv',
        '阶段,研发投入\n' + Array.from({ length: 1_000_000 }, (_, i) => `${i},${i}`).join('\n') + '\n',
      ),
    expect: ['tables/rd.csv', 'file is 13.8 MB, over the limit of 5 MB'],
  },
  {
    name: 'a chart of 20000 points',
    change: (d) =>
      write(
        d,
        'tables/rd.csv',
        '阶段,研发投入\n' + Array.from({ length: 20_000 }, (_, i) => `${i},${i}`).join('\n') + '\n',
      ),
    expect: ['tables/rd.csv:10002', '20000 rows: more than the 10000'],
  },
  {
    name: 'a chart spec with 20000 inline values',
    change: (d) =>
      edit(d, 'charts/rd.vl.json', (s) =>
        s.replace(
          '"data": { "name": "rd" }',
          `"data": { "values": [${Array.from({ length: 20_000 }, (_, i) => `{"阶段": "${i}", "研发投入": ${i}}`).join(',')}] }`,
        ),
      ),
    expect: ['charts/rd.vl.json:4', '20000 rows'],
  },
  {
    name: 'a 50 MB story',
    change: (d) => write(d, 'story.md', '---\nheadline: x\n---\n' + '字'.repeat(17_000_000)),
    expect: ['story.md', 'over the limit of 5 MB'],
  },
  {
    name: 'a 20000 × 20000 image',
    change: (d) => write(d, 'images/yugao.jpg', pngHeader(20000, 20000)),
    expect: ['images/yugao.jpg', 'image is 20000 × 20000 px'],
  },
  {
    name: 'a frame off the grid',
    change: (d) => edit(d, 'layout.yaml', (s) => s.replace('columns: [1, 8], top: 0,', 'columns: [0, 8], top: 0,')),
    expect: [/layout\.yaml:\d+:\d+ at \/frames\/0\/columns\/0/, 'must be >= 1'],
  },
];

/** A PNG signature and IHDR chunk claiming the given size (enough for the size check). */
function pngHeader(w: number, h: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b[24] = 8;
  b[25] = 2;
  return b;
}

for (const row of BAD_INPUTS) {
  test(`bad input: ${row.name}`, async () => {
    const dir = copyEdition();
    row.change(dir);
    const text = await expectInputErrorAsync(() => prepare(dir), ...row.expect);
    assert.match(text, /fix: /, 'every message says how to fix it');
  });
}

// The same rows as users meet them: `broadsheet build` (bin/broadsheet.js, the bundled command
// line) exits 1 with the message on stderr, no stack trace and nothing written. One row per input
// file (each command line run starts a browser ahead, so not all of them).
const CLI_ROWS = [
  'malformed YAML',
  'malformed front matter',
  'malformed JSON chart spec',
  'malformed CSV',
  'text not UTF-8',
  'missing figure',
  'missing image',
  'invalid Vega-Lite spec',
  'corrupt image',
  'unknown page preset',
  'a frame off the grid',
];
test('bad input through the command line: exit 1, the message, no stack trace, nothing written', () => {
  for (const name of CLI_ROWS) {
    const row = BAD_INPUTS.find((r) => r.name === name);
    assert.ok(row, `no row "${name}" in BAD_INPUTS`);
    const dir = copyEdition();
    row.change(dir);
    const out = path.join(tempDir('bad-cli-'), 'out');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'broadsheet.js'), 'build', dir, '--out', out], {
      encoding: 'utf8',
    });
    assert.is(r.status, 1, `${name}: exit ${r.status}\n${r.stderr}`);
    for (const n of row.expect) {
      if (typeof n === 'string') assert.ok(r.stderr.includes(n), `${name}: stderr lacks "${n}":\n${r.stderr}`);
      else assert.match(r.stderr, n, name);
    }
    assert.match(r.stderr, /fix: /, name);
    assert.not.match(r.stderr, /\n\s+at .+:\d+:\d+\)?\n/, `${name}: a stack trace reached the user`);
    assert.ok(
      !existsSync(out) || readdirSync(out).length === 0,
      `${name}: wrote ${existsSync(out) && readdirSync(out).join(', ')}`,
    );
  }
});

test.run();
