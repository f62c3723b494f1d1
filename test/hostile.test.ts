/**
 * Hostile and faulty input (issue 11), tried as a user would: the real command line as a process
 * on a copy of the sample edition. Every case must end with exit 1 and a message naming the file
 * (or 4 for the machine), within the process timeout below, with nothing written.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../src/paths.js';
import { copyEdition, edit, pdftext, squash, tempDir } from './helpers.js';

/** A hang shows as a killed process: the test fails instead of waiting for ever. */
const HANG_MS = 90_000;

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  outDir: string;
}

export function cli(args: string[], outDir = tempDir('hostile-out-')): Ran {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), ...args, '--out', outDir], {
    encoding: 'utf8',
    cwd: ROOT,
    timeout: HANG_MS,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr, outDir };
}

const STACK = /\n\s+at .+[(:]\d+:\d+\)?/;

/** Exit 1, every needle in the message, no stack trace, nothing written. */
export function inputError(r: Ran, ...needles: (string | RegExp)[]): string {
  assert.is(r.signal, null, `the build hung and was killed\n${r.err}`);
  assert.is(r.code, 1, `exit ${r.code}:\n${r.err}`);
  assert.not.match(r.err, STACK, 'a stack trace reached the user');
  for (const n of needles) {
    if (typeof n === 'string') assert.ok(r.err.includes(n), `message lacks "${n}":\n${r.err}`);
    else assert.match(r.err, n);
  }
  assert.equal(readdirSync(r.outDir), [], 'a failed build wrote something');
  return r.err;
}

const outside = tempDir('hostile-secret-');
const SECRET = 'SECRET-OUTSIDE-4711';
for (const [f, body] of [
  ['story.md', `---\nheadline: ${SECRET}\n---\n::chain lead\n${SECRET}\n`],
  ['figures.yaml', `x: { value: 1 }\n`],
  ['layout.yaml', 'frames: []\n'],
  ['edition.yaml', `publication: ${SECRET}\n`],
  ['t.csv', 'a,b\n1,2\n'],
] as const)
  writeFileSync(path.join(outside, f), body);

const link = (dir: string, f: string, target: string) => {
  rmSync(path.join(dir, f), { recursive: true, force: true });
  symlinkSync(target, path.join(dir, f));
};

for (const f of ['story.md', 'figures.yaml', 'layout.yaml', 'edition.yaml']) {
  test(`${f} linked to a file outside the edition is refused, not printed`, () => {
    const dir = copyEdition();
    link(dir, f, path.join(outside, f));
    const err = inputError(cli(['build', dir]), `yuhu-2025/${f}`, `path "${f}" leaves the edition folder`);
    assert.not.ok(err.includes(SECRET));
  });
}

test('a table, a chart spec, the tables folder and a photo linked outside are refused', () => {
  const a = copyEdition();
  link(a, 'tables/gdp.csv', path.join(outside, 't.csv'));
  inputError(cli(['build', a]), 'tables/gdp.csv', 'leaves the edition folder');
  const b = copyEdition();
  link(b, 'tables', outside);
  inputError(cli(['build', b]), 'yuhu-2025/tables', 'leaves the edition folder');
  const c = copyEdition();
  link(c, 'charts/gdp.vl.json', path.join(outside, 'story.md'));
  inputError(cli(['build', c]), 'edition.yaml', 'leaves the edition folder');
  const d = copyEdition();
  link(d, 'images', outside);
  inputError(cli(['build', d]), 'edition.yaml', 'leaves the edition folder');
});

test('a link inside the edition to a file inside it is followed', () => {
  const dir = copyEdition();
  const real = path.join(dir, 'copy-of-figures.yaml');
  writeFileSync(real, readText(path.join(dir, 'figures.yaml')));
  link(dir, 'figures.yaml', 'copy-of-figures.yaml');
  const r = cli(['build', dir, '--allow-overset']);
  assert.is(r.code, 0, r.err);
});

function mkfifo(p: string): void {
  rmSync(p, { recursive: true, force: true });
  const r = spawnSync('mkfifo', [p]);
  assert.is(r.status, 0, 'mkfifo failed');
}

for (const f of ['tables/pipe.csv', 'tables/gdp.csv', 'story.md', 'edition.yaml', 'charts/gdp.vl.json']) {
  test(`a FIFO at ${f} is refused by name, never opened (no hang)`, () => {
    const dir = copyEdition();
    mkfifo(path.join(dir, f));
    inputError(cli(['build', dir]), `yuhu-2025/${f}`, 'a FIFO (named pipe), not a regular file');
  });
}

test('a photo that is a FIFO, a folder named like a table, a photo that is a folder: named, exit 1', () => {
  const a = copyEdition();
  mkfifo(path.join(a, 'images/linli.jpg'));
  inputError(cli(['build', a]), 'images/linli.jpg', 'a FIFO');
  const b = copyEdition();
  mkdirSync(path.join(b, 'tables/x.csv'));
  inputError(cli(['build', b]), 'tables/x.csv', 'is a folder, not a regular file');
  const c = copyEdition();
  rmSync(path.join(c, 'images/linli.jpg'));
  mkdirSync(path.join(c, 'images/linli.jpg'));
  inputError(cli(['build', c]), 'images/linli.jpg', 'is a folder');
  const d = copyEdition();
  rmSync(path.join(d, 'story.md'));
  mkdirSync(path.join(d, 'story.md'));
  inputError(cli(['build', d]), 'yuhu-2025/story.md', 'is a folder');
});

test('a socket at figures.yaml, a link loop at layout.yaml, a dangling story.md', async () => {
  const a = copyEdition();
  rmSync(path.join(a, 'figures.yaml'));
  const server = net.createServer();
  // A socket's path is limited to 107 bytes, and a deep temporary folder (as on CI) passes that:
  // bind it by a path relative to the edition, which the build still reads by its full name.
  const cwd = process.cwd();
  process.chdir(a);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen('figures.yaml', resolve);
    });
  } finally {
    process.chdir(cwd);
  }
  assert.ok(lstatSync(path.join(a, 'figures.yaml')).isSocket(), 'the socket was not made at figures.yaml');
  try {
    inputError(cli(['build', a]), 'yuhu-2025/figures.yaml', 'is a socket');
  } finally {
    server.close();
  }
  const b = copyEdition();
  link(b, 'layout.yaml', 'layout.yaml');
  inputError(cli(['build', b]), 'yuhu-2025/layout.yaml', 'loop of symbolic links');
  const c = copyEdition();
  link(c, 'story.md', 'nowhere.md');
  inputError(cli(['build', c]), 'yuhu-2025/story.md', 'story.md is missing');
});

test('a press profile that is a FIFO or outside the edition is refused', () => {
  const a = copyEdition();
  mkfifo(path.join(a, 'printer.icc'));
  edit(a, 'edition.yaml', (s) => `${s.trimEnd()}\npress:\n  profile: printer.icc\n`);
  inputError(cli(['build', a, '--press']), 'printer.icc', 'a FIFO');
  const b = copyEdition();
  link(b, 'printer.icc', path.join(outside, 't.csv'));
  edit(b, 'edition.yaml', (s) => `${s.trimEnd()}\npress:\n  profile: printer.icc\n`);
  inputError(cli(['build', b, '--press']), 'edition.yaml', 'leaves the edition folder');
});

const DUPLICATES: [string, (dir: string) => void, ...(string | RegExp)[]][] = [
  [
    'two text chains of one id',
    (d) => edit(d, 'story.md', (s) => s.replace('::chain s2', '::chain s1')),
    'story.md:47',
    'text chain "s1" is used twice: first at yuhu-2025/story.md:17',
  ],
  [
    'two captions of one photo',
    (d) => edit(d, 'story.md', (s) => s.replace('::photo yugao ', '::photo yaowan ')),
    'story.md:91',
    'photo caption "yaowan" is used twice: first at yuhu-2025/story.md:89',
  ],
  [
    'two captions of one chart',
    (d) => edit(d, 'story.md', (s) => `${s.trimEnd()}\n\n::chart gdp 又一个标题\n`),
    'chart caption "gdp" is used twice: first at yuhu-2025/story.md:97',
  ],
  [
    'two frames of one id',
    (d) => edit(d, 'layout.yaml', (s) => s.replace('{ id: headline,', '{ id: banner,')),
    'layout.yaml:8:5',
    'frame id "banner" is used twice (first at yuhu-2025/layout.yaml:7',
  ],
  [
    'a figure defined twice',
    (d) => edit(d, 'figures.yaml', (s) => `${s.trimEnd()}\ngdp_2025: { value: 1 }\n`),
    /figures\.yaml:\d+:1: "gdp_2025" is defined twice: first at line 9/,
  ],
  [
    'a chart declared twice',
    (d) => edit(d, 'edition.yaml', (s) => s.replace('  rd:      {', '  gdp:      {')),
    /edition\.yaml:22:3: "gdp" is defined twice: first at line 20/,
  ],
  [
    'a photo declared twice',
    (d) => edit(d, 'edition.yaml', (s) => s.replace('  yugao:    {', '  yaowan:   {')),
    /edition\.yaml:15:3: "yaowan" is defined twice: first at line 14/,
  ],
  [
    'a fact box declared twice',
    (d) =>
      edit(d, 'edition.yaml', (s) => s.replace('factboxes:\n', 'factboxes:\n  shushuo: { title: x, items: [] }\n')),
    /edition\.yaml:\d+:3: "shushuo" is defined twice: first at line 25/,
  ],
  [
    'a front matter field twice',
    (d) => edit(d, 'story.md', (s) => s.replace('byline:', 'headline: 又一个\nbyline:')),
    /story\.md:6:1: "headline" is defined twice: first at line 4/,
  ],
  [
    'a key twice in a chart spec (JSON keeps the last)',
    (d) =>
      edit(d, 'charts/gdp.vl.json', (s) =>
        s.replace('"data": { "name": "gdp" },', '"data": { "name": "gdp" },\n  "data": { "name": "rd" },'),
      ),
    /charts\/gdp\.vl\.json:5:3: "data" is defined twice: first at line 4/,
  ],
  [
    'a column twice in a table header',
    (d) =>
      edit(d, 'tables/gdp.csv', (s) => s.replace('年份,地区生产总值', '年份,年份').replace(/\n(\d+年),/g, '\n$1,$1')),
    'tables/gdp.csv:1',
    'column "年份" is in the header twice (columns 1 and 2)',
  ],
];

for (const [name, change, ...needles] of DUPLICATES) {
  test(`nothing lost: ${name} is an error naming both places`, () => {
    const dir = copyEdition();
    change(dir);
    inputError(cli(['build', dir]), ...needles);
  });
}

const gdpSpec = (d: string, from: string, to: string) => edit(d, 'charts/gdp.vl.json', (s) => s.replace(from, to));
const LIMIT_CASES: [string, (dir: string) => void, ...(string | RegExp)[]][] = [
  [
    'a chart expression that allocates without bound',
    (d) =>
      gdpSpec(
        d,
        '"data": { "name": "gdp" },',
        '"data": { "name": "gdp" },\n  "transform": [{ "calculate": "length(sequence(0, 300000000))", "as": "n" }],',
      ),
    'charts/gdp.vl.json',
    'the chart needs more than 256 MB to draw',
  ],
  [
    'a chart spec nested 5,000 deep',
    (d) => gdpSpec(d, '"description"', `"usermeta": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},\n  "description"`),
    'charts/gdp.vl.json',
    'nested more than 64 levels deep',
  ],
  [
    'YAML nested 3,000 deep',
    (d) => edit(d, 'figures.yaml', (s) => `${s}\ndeep: ${'['.repeat(3000)}${']'.repeat(3000)}\n`),
    'figures.yaml',
    'nested more than 64 levels deep',
  ],
  [
    'an alias bomb',
    (d) =>
      edit(
        d,
        'layout.yaml',
        (s) =>
          `${s}\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n` +
          Array.from({ length: 8 }, (_, i) => `x${i + 1}: &x${i + 1} [${Array(10).fill(`*x${i}`).join(', ')}]`).join(
            '\n',
          ),
      ),
    'yuhu-2025/layout.yaml',
    'expand to more than 500 copies',
  ],
  [
    '.nan as a figure',
    (d) =>
      edit(d, 'figures.yaml', (s) => s.replace('gdp_2025:        { value: 900,', 'gdp_2025:        { value: .nan,')),
    'figures.yaml:9:27 at /gdp_2025/value: NaN is not a number that can be printed',
  ],
  [
    '-.inf as a body size',
    (d) => edit(d, 'edition.yaml', (s) => s.replace('language: zh-CN', 'language: zh-CN\nhouse: { bodySize: -.inf }')),
    'edition.yaml',
    '-Infinity is not a number that can be printed',
  ],
  [
    'a date of month 13',
    (d) => edit(d, 'edition.yaml', (s) => s.replace('date: 2025-12-18', 'date: 2025-13-45')),
    'edition.yaml:4:7 at /date: "2025-13-45" is not a day of the calendar',
  ],
  [
    'February 30',
    (d) => edit(d, 'edition.yaml', (s) => s.replace('date: 2025-12-18', 'date: 2025-02-30')),
    '"2025-02-30" is not a day of the calendar',
  ],
  [
    'a {figure} in a chart axis title',
    (d) =>
      gdpSpec(d, '"axis": { "title": null, "labelAngle": 0 }', '"axis": { "title": "共{gdp_2025}", "labelAngle": 0 }'),
    'charts/gdp.vl.json:6',
    '{gdp_2025} in a chart spec would print as written',
  ],
  [
    'a {figure:num} in a chart title',
    (d) => gdpSpec(d, '"description": "GDP 2020 → 2025, 亿元",', '"title": "总量{gdp_2025:num}",'),
    'charts/gdp.vl.json:3',
    '{gdp_2025:num} in a chart spec',
  ],
  [
    'an href encoding',
    (d) =>
      gdpSpec(
        d,
        '"axis": { "title": null, "tickCount": 4 } }',
        '"axis": { "title": null, "tickCount": 4 } }, "href": { "field": "年份" }',
      ),
    'charts/gdp.vl.json:7',
    'a chart link ("href")',
  ],
  [
    'an image mark pointing at a local file',
    (d) =>
      gdpSpec(
        d,
        '{ "mark": { "type": "bar", "width": { "band": 0.55 } } }',
        '{ "mark": { "type": "image", "width": 9, "height": 9 }, "encoding": { "url": { "value": "file:///etc/hostname" } } }',
      ),
    'chart data from "{"value":"file:///etc/hostname"}" is refused',
  ],
  [
    'a zero-byte photo',
    (d) => writeFileSync(path.join(d, 'images/linli.jpg'), ''),
    'images/linli.jpg',
    'the file is empty (0 bytes)',
  ],
  [
    'a photo of 12000 × 12000 px (small file)',
    (d) => {
      writePng(path.join(d, 'images/linli.png'), 12000, 12000);
      edit(d, 'edition.yaml', (s) => s.replace('images/linli.jpg', 'images/linli.png'));
    },
    'images/linli.png',
    'image is 12000 × 12000 px (144 million pixels), more than the 40 million',
  ],
  [
    'a truncated PNG',
    (d) => {
      const p = path.join(d, 'images/linli.png');
      writePng(p, 600, 600, true);
      const b = readFileSync(p);
      writeFileSync(p, b.subarray(0, Math.floor((b.length * 2) / 3)));
      edit(d, 'edition.yaml', (s) => s.replace('images/linli.jpg', 'images/linli.png'));
    },
    'images/linli.png',
    'the PNG file is truncated',
  ],
  [
    '3,000 overlapping frames',
    (d) =>
      edit(
        d,
        'layout.yaml',
        (s) =>
          s +
          Array.from(
            { length: 3000 },
            (_, i) => `  - { id: x${i}, kind: ad, columns: [1, 8], top: 20, lines: 5 }\n`,
          ).join(''),
      ),
    'layout.yaml',
    /overlap[\s\S]*… and \d+ more problems/,
  ],
];

for (const [name, change, ...needles] of LIMIT_CASES) {
  test(`limits: ${name} is an input error naming the file`, () => {
    const dir = copyEdition();
    change(dir);
    const err = inputError(cli(['build', dir]), ...needles);
    assert.ok(err.split('\n').length < 60, `${err.split('\n').length} lines of messages`);
  });
}

test('120 ordinary YAML aliases load and build', () => {
  const dir = copyEdition();
  edit(dir, 'figures.yaml', (s) => {
    const t = s.replace(
      'gdp_2020:        { value: 646.8, unit: 亿元,',
      'gdp_2020:        { value: 646.8, unit: &yuan 亿元,',
    );
    return `${t}\n${Array.from({ length: 120 }, (_, i) => `extra_${i}: { value: ${i}, unit: *yuan }`).join('\n')}\n`;
  });
  const r = cli(['build', dir, '--allow-overset']);
  assert.is(r.code, 0, r.err);
});

test('a CMYK JPEG is printed and warned about', () => {
  const dir = copyEdition();
  const jpg = path.join(dir, 'images/linli.jpg');
  // Ghostscript writes a CMYK JPEG of the photo's size (the press output needs it installed anyway)
  const r0 = spawnSync('gs', [
    '-q',
    '-sDEVICE=jpegcmyk',
    '-g1028x1069',
    '-r300',
    '-o',
    jpg,
    '-c',
    '0.2 0.5 0 0 setcmykcolor clippath fill showpage',
  ]);
  assert.is(r0.status, 0, String(r0.stderr));
  const r = cli(['build', dir]);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /photo "linli" \(yuhu-2025\/images\/linli\.jpg\) is a CMYK JPEG/);
  assert.ok(
    (JSON.parse(readFileSync(path.join(r.outDir, 'report.json'), 'utf8')) as { warnings: string[] }).warnings.some(
      (w) => w.includes('CMYK JPEG'),
    ),
  );
});

test('--timeout holds while the browser never answers; SIGTERM ends a build at once', async () => {
  const dir = copyEdition();
  const fake = path.join(tempDir('hostile-chrome-'), 'chrome');
  writeFileSync(fake, '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
  const env = { ...process.env, CHROME_PATH: fake };
  const out = tempDir('hostile-out-');
  // the process timeout is far longer than --timeout: a build that ignores it is killed and fails
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin/broadsheet.js'), 'build', dir, '--out', out, '--timeout', '3'],
    {
      encoding: 'utf8',
      env,
      timeout: 60_000,
      killSignal: 'SIGKILL',
    },
  );
  assert.is(r.signal, null, 'the build ignored --timeout');
  assert.is(r.status, 4, r.stderr);
  assert.match(r.stderr, /did not finish within 3 s; nothing was written/);
  assert.equal(readdirSync(out), []);
  assert.is(spawnSync('pgrep', ['-f', `sleep 600`]).status, 1, 'the browser that never answered is left running');

  const child = spawn(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), 'build', dir, '--out', out], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // the build is under way once the browser it started is there
  for (let i = 0; i < 600 && spawnSync('pgrep', ['-f', 'sleep 600']).status !== 0; i++)
    await new Promise((res) => setTimeout(res, 50));
  child.kill('SIGTERM');
  const code = await new Promise((res) => child.on('close', res));
  assert.ok(code !== 0 && code !== null, `exit ${String(code)}`);
  assert.match(err, /interrupted \(SIGTERM\)/);
  assert.equal(readdirSync(out), []);
  assert.is(spawnSync('pgrep', ['-f', `sleep 600`]).status, 1, 'the browser is left running');
});

/** A grey PNG of w × h px (small on disk: it compresses to almost nothing). */
function writePng(file: string, w: number, h: number, noise = false): void {
  const png = new PNG({ width: w, height: h });
  png.data.fill(200);
  if (noise) for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 7919) % 251;
  writeFileSync(file, PNG.sync.write(png));
}

test('two builds into one out folder: the output is all of one build (PDF, report, change state)', async () => {
  const a = copyEdition();
  const b = copyEdition();
  edit(b, 'figures.yaml', (s) => s.replace('sanitation_blocks: { value: 26,', 'sanitation_blocks: { value: 27,'));
  const out = tempDir('hostile-out-');
  assert.is(cli(['build', a], out).code, 0);
  const run = (dir: string) =>
    new Promise<number | null>((res) =>
      spawn(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), 'build', dir, '--out', out], {
        stdio: 'ignore',
      }).on('close', res),
    );
  for (let round = 0; round < 3; round++) {
    assert.equal(await Promise.all([run(a), run(b)]), [0, 0]);
    const pdf = squash(pdftext(path.join(out, 'broadsheet.pdf'), '-raw'));
    const inPdf = /(2[67])个创卫示范区块/.exec(pdf)?.[1];
    const report = readFileSync(path.join(out, 'report.json'), 'utf8');
    const state = readFileSync(path.join(out, '.broadsheet/state.json'), 'utf8');
    assert.ok(inPdf, 'the figure is on the page');
    for (const [name, text] of Object.entries({ 'report.json': report, 'state.json': state }))
      assert.ok(
        text.includes(`"printed":"${inPdf}个"`) || text.includes(`"printed": "${inPdf}个"`),
        `${name} is of the other build`,
      );
    assert.not.ok(
      readdirSync(out).some((f) => f.endsWith('.tmp') || f === '.broadsheet.lock'),
      'left behind',
    );
  }
});

test('a change state that cannot be written: exit 4, and the previous PDF and report stay together', () => {
  const dir = copyEdition();
  const out = tempDir('hostile-out-');
  assert.is(cli(['build', dir], out).code, 0);
  const before = [readFileSync(path.join(out, 'broadsheet.pdf')), readFileSync(path.join(out, 'report.json'))];
  rmSync(path.join(out, '.broadsheet'), { recursive: true });
  writeFileSync(path.join(out, '.broadsheet'), 'a file where the state folder goes');
  edit(dir, 'figures.yaml', (s) => s.replace('sanitation_blocks: { value: 26,', 'sanitation_blocks: { value: 27,'));
  const r = cli(['build', dir], out);
  assert.is(r.code, 4, r.err);
  assert.match(r.err, /\.broadsheet.* cannot be written/);
  assert.ok(readFileSync(path.join(out, 'broadsheet.pdf')).equals(before[0]!), 'the PDF was replaced');
  assert.ok(readFileSync(path.join(out, 'report.json')).equals(before[1]!), 'the report was replaced');
});

test('the out folder lock: a stale one (its build killed) is taken over; a live one is waited for, then named', () => {
  const dir = copyEdition();
  const out = tempDir('hostile-out-');
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(path.join(out, '.broadsheet.lock'), gone.stdout);
  const r = cli(['build', dir], out);
  assert.is(r.code, 0, r.err);
  assert.not.ok(readdirSync(out).includes('.broadsheet.lock'));
  // held by a process that lives (this test's): the build waits, then stops naming it
  writeFileSync(path.join(out, '.broadsheet.lock'), String(process.pid));
  const pdf = readFileSync(path.join(out, 'broadsheet.pdf'));
  const held = cli(['build', dir], out);
  assert.is(held.code, 4, held.err);
  assert.ok(held.err.includes(`another build (process ${process.pid}) is writing into`), held.err);
  assert.ok(readFileSync(path.join(out, 'broadsheet.pdf')).equals(pdf));
});

test('a link planted at an output file or its temporary name is replaced, not written through', () => {
  const dir = copyEdition();
  const out = tempDir('hostile-out-');
  const victim = path.join(outside, 'victim.txt');
  writeFileSync(victim, 'untouched');
  symlinkSync(victim, path.join(out, 'report.json'));
  symlinkSync(victim, path.join(out, 'broadsheet.pdf'));
  const r = cli(['build', dir], out);
  assert.is(r.code, 0, r.err);
  assert.is(readFileSync(victim, 'utf8'), 'untouched');
});

for (const where of ['a folder inside the edition', 'the edition folder itself']) {
  test(`watch --out ${where}: its own writes start no rebuild, edits do`, async () => {
    const dir = copyEdition();
    const out = where === 'the edition folder itself' ? dir : path.join(dir, 'out');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), 'watch', dir, '--out', out], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const builds = () => (err.match(/^(rebuilt |error: )/gm) ?? []).length;
    const waitFor = async (what: string, cond: () => boolean) => {
      for (const until = Date.now() + 60_000; !cond(); await new Promise((r) => setTimeout(r, 50)))
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${what}:\n${err}`);
    };
    try {
      await waitFor('first build', () => /watching .* for changes/.test(err));
      const figures = path.join(dir, 'figures.yaml');
      for (const v of [27, 28]) {
        const n = builds();
        writeFileSync(
          figures,
          readText(figures).replace(/sanitation_blocks: \{ value: \d+,/, `sanitation_blocks: { value: ${v},`),
        );
        await waitFor(`the rebuild for ${v}`, () => builds() > n);
      }
    } finally {
      child.kill('SIGINT');
    }
    await new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('close', r)));
    // the first build and one for each edit: a build started by its own output would add more
    assert.is(builds(), 3, err);
    assert.match(err, /^rebuilt /m);
  });
}

function readText(p: string): string {
  return spawnSync('cat', [p], { encoding: 'utf8' }).stdout;
}

test.run();
