/** The command line as a user runs it: a separate process, exit codes, messages, no stack traces. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../src/paths.js';
import type { Report } from '../src/check/report.js';
import { copyEdition, edit, lineOf, pdftext, squash, tempDir } from './helpers.js';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const noStack = (s: string) => assert.not.match(s, /\n\s+at .+\(.*:\d+:\d+\)/, 'a stack trace reached the user');

test('--help explains every option; a wrong command line exits 2', () => {
  const h = cli('--help');
  assert.is(h.code, 0);
  for (const o of [
    'build <edition-folder>',
    'compose <edition-folder>',
    '--out',
    '--allow-overset',
    '--timeout',
    '--debug',
    '--write',
    '--variants',
    '--fresh',
    'CHROME_PATH',
  ])
    assert.ok(h.out.includes(o), o);
  const none = cli();
  assert.is(none.code, 2);
  assert.match(none.err, /no command given/);
  const bad = cli('build', 'data/yuhu-2025', '--colour');
  assert.is(bad.code, 2);
  assert.match(bad.err, /--colour/);
  noStack(bad.err);
  // each command takes its own options
  const other = cli('build', 'data/yuhu-2025', '--write');
  assert.is(other.code, 2);
  assert.match(other.err, /--write/);
});

test('a folder that does not exist: exit 1, the folder named, no stack trace', () => {
  const r = cli('build', 'data/no-such-edition');
  assert.is(r.code, 1);
  assert.match(r.err, /data\/no-such-edition: edition folder not found/);
  noStack(r.err);
});

test('an overset story fails in characters and keeps the previous PDF; --allow-overset marks it', () => {
  const dir = copyEdition();
  // more than the photo above the conclusion can absorb by copy-fit
  const extra = '这是为检验超排而加的一段文字，它一共有四十个字，用来让结语放不下而超出版面。'.repeat(6);
  edit(dir, 'story.md', (s) => s.replace('贡献雨湖力量。', `贡献雨湖力量。\n\n${extra}`));
  const out = tempDir('broadsheet-cli-');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'broadsheet.pdf'), 'previous good PDF');

  const r = cli('build', dir, '--out', out);
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /story "end": \d+ 字 \(\d+ lines?\) over in frames end-a\.1…end-b/);
  assert.match(r.err, /cut \d+ characters or enlarge a frame/);
  // the place is the last frame's line in layout.yaml (issue 12: overset named no line)
  assert.ok(
    r.err.includes(`layout.yaml:${lineOf('layout.yaml', 'id: end-b', dir)}:`),
    `no layout.yaml line for end-b in: ${r.err}`,
  );
  noStack(r.err);
  assert.is(readFileSync(path.join(out, 'broadsheet.pdf'), 'utf8'), 'previous good PDF');
  assert.equal(
    readdirSync(out).filter((f) => f.endsWith('.tmp')),
    [],
  );

  const ok = cli('build', dir, '--out', out, '--allow-overset', '--proof');
  assert.is(ok.code, 0, ok.err);
  assert.match(ok.err, /wrote .*broadsheet\.pdf \(1 page\) in [\d.]+ s/);
  const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
  const end = report.chains.find((c) => c.id === 'end')!;
  assert.is(end.status, 'overset');
  assert.ok(end.oversetChars >= 100 && end.oversetChars <= 240, String(end.oversetChars));
  assert.ok(squash(pdftext(path.join(out, 'broadsheet.pdf'))).includes('▶'), 'overset marker printed');
  assert.ok(existsSync(path.join(out, 'report.json')));
  // the proof: a PNG of the page at 96 px per inch (396 × 551 mm)
  const png = readFileSync(path.join(out, 'proof.png'));
  assert.is(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal([png.readUInt32BE(16), png.readUInt32BE(20)], [1497, 2083]);
  assert.ok(report.output.proof!.endsWith('proof.png'));
});

// Chromium starts before the command line has loaded (bin/broadsheet.js): Ctrl-C at once, while
// it loads, and later in the build (a cold build with the headless shell ends about 1.3 s after
// the browser starts) must all leave the same clean state
for (const delayMs of [0, 300, 700]) {
  test(`Ctrl-C ${delayMs} ms after the browser started: exit 130, the previous PDF intact, no temporary files, no browser left`, async () => {
    const out = tempDir('broadsheet-sigint-');
    writeFileSync(path.join(out, 'broadsheet.pdf'), 'previous good PDF');
    const profiles = () => new Set(readdirSync(os.tmpdir()).filter((f) => f.startsWith('broadsheet-chrome-')));
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/broadsheet.js'), 'build', 'data/yuhu-2025', '--out', out],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    // wait until the build has started its browser (a child process with its own profile folder)
    let during: string[] = [];
    for (let t = 0; t < 100 && during.length === 0; t++) {
      await new Promise((r) => setTimeout(r, 100));
      during = browserProfilesOf(child.pid!);
    }
    assert.is(during.length, 1, 'the build started its browser');
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.is(code, 130, err);
    assert.match(err, /interrupted \(SIGINT\); the previous output is unchanged/);
    assert.is(readFileSync(path.join(out, 'broadsheet.pdf'), 'utf8'), 'previous good PDF');
    assert.equal(
      readdirSync(out).filter((f) => f !== 'broadsheet.pdf'),
      [],
    );
    await new Promise((r) => setTimeout(r, 500));
    for (const p of during) {
      const ps = spawnSync('pgrep', ['-f', p], { encoding: 'utf8' });
      assert.is(ps.stdout.trim(), '', `browser processes left for ${p}`);
      assert.not.ok(profiles().has(path.basename(p)), `profile ${p} left behind`);
    }
  });
}

/** Profile folders of the browsers that are direct children of a process (Linux /proc). */
function browserProfilesOf(pid: number): string[] {
  const out: string[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      const m = /--user-data-dir=([^\0]+)/.exec(readFileSync(`/proc/${p}/cmdline`, 'latin1'));
      if (m) out.push(m[1]!);
    } catch {
      /* gone */
    }
  }
  return out;
}

test.run();
