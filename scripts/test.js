// The test command (npm test runs it after compile and lint): each compiled test file in its own
// Node process (scripts/test-uvu.js, which judges hooks, .only and empty suites), two at a time,
// each file's output printed as one block when it ends, then "tests: N passed, N failed" and the
// list of failures; exit 1 if anything failed.
//   node scripts/test.js [--dir DIR] [FILTER]   FILTER: a regex on file names (corpus, 'pdf|grid')
// Beyond the tests' own verdicts a file fails if it does not end within BROADSHEET_TEST_TIMEOUT
// seconds (default 900), exits non-zero, or leaves a process or a temporary folder behind.
// Hermetic: every file gets its own TMPDIR under one root, and the run its own cache folder
// (BROADSHEET_CACHE); the root is removed at the end.
// Env: BROADSHEET_TEST_JOBS (files at once, default 2), BROADSHEET_TEST_TIMEOUT (seconds).
import { spawn } from 'node:child_process';
import { setTimeout, clearTimeout } from 'node:timers';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const WRAPPER = path.join(ROOT, 'scripts', 'test-uvu.js');
const MARK = 'BROADSHEET_TEST_MARK';

const argv = process.argv.slice(2);
let dir = path.join(ROOT, 'dist', 'test');
const di = argv.indexOf('--dir');
if (di >= 0) {
  dir = path.resolve(argv[di + 1] ?? '');
  argv.splice(di, 2);
}
const filter = new RegExp(argv[0] ?? '');
const jobs = Math.max(1, Number(process.env.BROADSHEET_TEST_JOBS) || 2);
const timeout = (Number(process.env.BROADSHEET_TEST_TIMEOUT) || 900) * 1000;

const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.test.js') && filter.test(f))
      .sort()
  : [];
if (!files.length) {
  console.error(`tests: no test file in ${path.relative(ROOT, dir) || '.'} matches ${filter}`);
  process.exit(1);
}

const root = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-tests-'));
const cache = path.join(root, 'cache');
mkdirSync(path.join(root, 'results'));
let total = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

/** Processes whose environment carries `mark` (children of a test file, whoever their parent is now). */
function marked(mark) {
  const out = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(`${MARK}=${mark}`)) continue;
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'latin1').split('\0')[0];
      out.push({ pid: Number(p), cmd: path.basename(cmd || '?') });
    } catch {
      /* gone, or not ours */
    }
  }
  return out;
}

function runFile(file) {
  const started = Date.now();
  const tmp = path.join(root, 'tmp', file);
  mkdirSync(tmp, { recursive: true });
  const resultFile = path.join(root, 'results', `${file}.json`);
  const mark = `${root}/${file}`;
  const env = { ...process.env, TMPDIR: tmp, BROADSHEET_CACHE: cache, BROADSHEET_TEST_RESULT: resultFile };
  env[MARK] = mark;
  return new Promise((resolve) => {
    // its own process group, so a timeout can end the file and everything it started
    const child = spawn(process.execPath, [WRAPPER, path.join(dir, file)], {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const killGroup = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    let timedOut = false;
    let hard;
    const timer = setTimeout(() => {
      timedOut = true;
      // SIGTERM first: test-uvu.js names the test that was running; SIGKILL if it cannot answer
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      hard = setTimeout(killGroup, 5000);
    }, timeout);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(hard);
      if (timedOut) killGroup(); // what the file started goes with it
      const fails = [];
      let result;
      try {
        result = JSON.parse(readFileSync(resultFile, 'utf8'));
      } catch {
        /* it ended before its verdict */
      }
      if (timedOut) {
        const where = result?.running ? `, stopped in ${result.running}` : '';
        fails.push(`did not end within ${timeout / 1000} s (BROADSHEET_TEST_TIMEOUT)${where}`);
        result = undefined; // only the timeout counts
      } else if (!result)
        fails.push(`ended before its tests finished (${signal ? `signal ${signal}` : `exit code ${code}`})`);
      else if (code !== 0 && !result.fails.length) fails.push(`exited with code ${code}`);
      const left = marked(mark);
      if (left.length) {
        fails.push(`left ${left.length} processes running: ${left.map((p) => `${p.cmd} (${p.pid})`).join(', ')}`);
        for (const p of left) {
          try {
            process.kill(p.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
      const leftovers = readdirSync(tmp);
      if (leftovers.length)
        fails.push(`left ${leftovers.length} temporary entries: ${leftovers.slice(0, 5).join(', ')}`);
      rmSync(tmp, { recursive: true, force: true });
      for (const f of fails) out += `FAIL ${file}: ${f}\n`;
      const all = [
        ...(result?.fails ?? []).map((f) => `FAIL ${file}: ${f}`),
        ...fails.map((f) => `FAIL ${file}: ${f}`),
      ];
      total.passed += result?.passed ?? 0;
      total.skipped += result?.skipped ?? 0;
      // a file-level problem counts once, on top of its failed tests
      total.failed += (result?.failed ?? 0) + (fails.length || (result?.fails.length && !result.failed) ? 1 : 0);
      failures.push(...all);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n── ${file} (${secs} s${all.length ? ', FAILED' : ''})\n${out.trimEnd()}\n`);
      resolve();
    });
  });
}

const queue = [...files];
const t0 = Date.now();
await Promise.all(
  Array.from({ length: Math.min(jobs, files.length) }, async () => {
    while (queue.length) await runFile(queue.shift());
  }),
);
rmSync(root, { recursive: true, force: true });
const skipped = total.skipped ? `, ${total.skipped} skipped` : '';
const secs = ((Date.now() - t0) / 1000).toFixed(0);
console.log(`\ntests: ${total.passed} passed, ${total.failed} failed${skipped} (${files.length} files, ${secs} s)`);
if (failures.length) console.log(failures.join('\n'));
process.exit(failures.length ? 1 : 0);
