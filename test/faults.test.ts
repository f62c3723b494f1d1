/**
 * Faults through the command line as users run it (bin/broadsheet.js): the machine's (exit 4,
 * with what to install, set or free), a flexible chart with a missing table (exit 1, no stack),
 * a --timeout no timer can wait for (exit 2); and a cancelled build writes nothing, even when
 * its browser lives on. compose's proof as well: no browser, a full disk.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/paths.js';
import { buildEdition } from '../src/pipeline.js';
import { launchBrowser } from '../src/print/browser.js';
import { PrintSession } from '../src/print/session.js';
import { MachineError } from '../src/messages.js';
import { copyEdition, edit, FIXTURES, tempDir } from './helpers.js';
import { browserOf } from './processes.js';

const BIN = path.join(ROOT, 'bin/broadsheet.js');
const cli = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  return { code: r.status, err: r.stderr };
};
const noStack = (s: string) => assert.not.match(s, /\n\s+at .+:\d+:\d+\)?\n/, `a stack trace reached the user:\n${s}`);
const tmp = (prefix: string) => tempDir(prefix);

test('no browser where CHROME_PATH points: exit 4, saying what to set', () => {
  const out = tmp('fault-nobrowser-');
  const r = cli(['build', 'data/yuhu-2025', '--out', out], { CHROME_PATH: '/nonexistent/chrome' });
  assert.is(r.code, 4, r.err);
  assert.match(r.err, /error: CHROME_PATH points to \/nonexistent\/chrome, which does not exist/);
  assert.match(r.err, /fix: unset CHROME_PATH, or set it to a Chrome\/Chromium binary that exists/);
  noStack(r.err);
  assert.equal(readdirSync(out), []);
});

test('compose: its proof needs a browser (none: exit 4, the layout untouched); compose --write needs none', () => {
  const dir = copyEdition(path.join(FIXTURES, 'compose', 'ad'));
  const before = readFileSync(path.join(dir, 'layout.yaml'), 'utf8');
  const out = tmp('fault-compose-nobrowser-');
  const r = cli(['compose', dir, '--out', out], { CHROME_PATH: '/nonexistent/chrome' });
  assert.is(r.code, 4, r.err);
  assert.match(r.err, /error: CHROME_PATH points to \/nonexistent\/chrome, which does not exist/);
  noStack(r.err);
  assert.is(readFileSync(path.join(dir, 'layout.yaml'), 'utf8'), before);
  assert.equal(readdirSync(out), []);
  const w = cli(['compose', dir, '--write'], { CHROME_PATH: '/nonexistent/chrome' });
  assert.is(w.code, 0, w.err);
  assert.is(readFileSync(path.join(dir, 'layout.yaml.bak'), 'utf8'), before);
  assert.match(readFileSync(path.join(dir, 'layout.yaml'), 'utf8'), /proposed by "broadsheet compose"/);
});

test('a browser that cannot run: exit 4, naming it', () => {
  const fake = path.join(tmp('fault-badbrowser-'), 'chrome');
  writeFileSync(fake, '#!/bin/sh\necho "this is not a browser" >&2\nexit 3\n', { mode: 0o755 });
  const r = cli(['build', 'data/yuhu-2025', '--out', tmp('fault-bad-out-')], { CHROME_PATH: fake });
  assert.is(r.code, 4, r.err);
  assert.match(
    r.err,
    new RegExp(`the browser ${fake} \\(found via CHROME_PATH\\) did not start: it exited \\(code 3\\)`),
  );
  assert.match(r.err, /this is not a browser/);
  noStack(r.err);
});

test('an output folder that cannot be written: exit 4, the file and the fix named, nothing left behind', () => {
  const file = path.join(tmp('fault-notdir-'), 'a-file');
  writeFileSync(file, 'not a folder');
  const r = cli(['build', 'data/yuhu-2025', '--out', path.join(file, 'out')]);
  assert.is(r.code, 4, r.err);
  // the out folder is made (for its lock) before the PDF is written: the message names the folder
  assert.match(r.err, /a-file\/out cannot be written \(ENOTDIR: not a directory/);
  assert.match(r.err, /fix: give a folder you can write to with --out/);
  noStack(r.err);
  assert.is(readFileSync(file, 'utf8'), 'not a folder');
});

test('a full disk: exit 4, saying to free space, nothing half-written left (a 64 KB tmpfs; root mounts it)', () => {
  const disk = tmp('fault-full-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]);
  try {
    const r = cli(['build', 'data/yuhu-2025', '--out', path.join(disk, 'out')]);
    assert.is(r.code, 4, r.err);
    assert.match(r.err, /error: the disk is full: .*\/out\/broadsheet\.pdf could not be written \(ENOSPC\)/);
    assert.match(r.err, /fix: free space on that disk, or give a folder on another disk with --out/);
    noStack(r.err);
    assert.equal(readdirSync(path.join(disk, 'out')), []);
  } finally {
    execFileSync('umount', [disk]);
  }
});

test('compose on a full disk: the edition copied for its proof does not fit, exit 4, nothing left behind', () => {
  const disk = tmp('fault-compose-full-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]);
  try {
    // the ad edition holds 280 KB of photos
    const r = cli(['compose', path.join(FIXTURES, 'compose', 'ad'), '--out', path.join(disk, 'out')]);
    assert.is(r.code, 4, r.err);
    assert.match(r.err, /error: the disk is full: .*\/out\/compose\/\.edition-\d+\/ad could not be written \(ENOSPC\)/);
    assert.match(r.err, /fix: free space on that disk, or give a folder on another disk with --out/);
    noStack(r.err);
    assert.equal(readdirSync(path.join(disk, 'out', 'compose')), []);
  } finally {
    execFileSync('umount', [disk]);
  }
});

test('a timeout: exit 4, and nothing is written', () => {
  const out = tmp('fault-timeout-');
  writeFileSync(path.join(out, 'broadsheet.pdf'), 'previous good PDF');
  const r = cli(['build', 'data/yuhu-2025', '--out', out, '--timeout', '0.2']);
  assert.is(r.code, 4, r.err);
  assert.match(r.err, /error: the build did not finish within 0\.2 s; nothing was written/);
  assert.match(r.err, /raise --timeout/);
  noStack(r.err);
  assert.equal(readdirSync(out), ['broadsheet.pdf']);
  assert.is(readFileSync(path.join(out, 'broadsheet.pdf'), 'utf8'), 'previous good PDF');
});

test('a --timeout longer than a timer can wait is a usage error (exit 2), at once', () => {
  const r = cli(['build', 'data/yuhu-2025', '--timeout', '2147484']);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /--timeout 2147484 is longer than a build can wait \(at most 2147483 s\)/);
  const ok = cli(['build', 'no-such-edition', '--timeout', '2147483']);
  assert.is(ok.code, 1, 'the longest wait that works is accepted');
});

test('a cancelled build writes nothing afterwards, though its page (the caller’s, as in watch) lives on', async () => {
  const browser = await launchBrowser();
  const session = new PrintSession(browser.browser);
  try {
    const out = tmp('fault-cancel-');
    let err: unknown;
    await buildEdition(copyEdition(), { outDir: out, browser, session, timeoutMs: 150 }).catch(
      (e: unknown) => (err = e),
    );
    assert.instance(err, MachineError);
    // its stages go on in the background with a live page: give them the time of a whole build
    const done = await buildEdition(copyEdition(), { outDir: tmp('fault-cancel-ref-'), browser });
    await new Promise((r) => setTimeout(r, 2 * done.seconds * 1000));
    assert.equal(readdirSync(out), []);
  } finally {
    await session.close();
    await browser.close();
  }
});

test('a flexible chart whose table does not exist: the clean message of a fixed chart, exit 1', () => {
  const dir = copyEdition();
  edit(dir, 'layout.yaml', (s) =>
    s.replace(/- \{ id: rd, +kind: chart, +ref: rd, +columns: \[8, 8\], top: 77, lines: 20 \}/, (m) =>
      m.replace(' }', ', minLines: 18, maxLines: 22 }'),
    ),
  );
  edit(dir, 'charts/rd.vl.json', (s) => s.replace('"data": { "name": "rd" }', '"data": { "name": "nosuch" }'));
  const r = cli(['build', dir, '--out', tmp('fault-flex-')]);
  assert.is(r.code, 1, r.err);
  assert.match(
    r.err,
    /error: yuhu-2025\/charts\/rd\.vl\.json:4:\d+ at \/data\/name: data table "nosuch" does not exist/,
  );
  assert.match(r.err, /fix: add tables\/nosuch\.csv to the edition or correct the name/);
  noStack(r.err);
});

test('the browser killed during a build: exit 4, saying the browser stopped (not a line of its stderr)', async () => {
  const out = tmp('fault-killed-');
  const child = spawn(process.execPath, [BIN, 'build', 'data/yuhu-2025', '--out', out], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // once the build's browser runs, its whole process group is killed
  let pid: number | undefined;
  for (let t = 0; t < 100 && !pid; t++) {
    await new Promise((r) => setTimeout(r, 50));
    pid = browserOf(child.pid ?? 0);
  }
  assert.ok(pid, 'the build started a browser');
  await new Promise((r) => setTimeout(r, 400));
  process.kill(-pid, 'SIGKILL');
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.is(code, 4, err);
  assert.match(
    err,
    /error: the browser \S+ (stopped during the build|\(found via \w+\) did not start: it was ended by SIGKILL)/,
  );
  assert.not.match(err, /dbus|D-Bus|Connection closed/i);
  noStack(err);
  assert.not.ok(existsSync(path.join(out, 'broadsheet.pdf')));
});

test.run();
