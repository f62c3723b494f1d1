/**
 * Fuzz: random mutations of the sample edition (seeded, so a failure can be replayed) must end
 * in a PDF or a clear InputError: never another exception, never a hang.
 * FUZZ_RUNS and FUZZ_SEED set the number of runs and the seed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEdition, prepare } from '../src/pipeline.js';
import { InputError } from '../src/messages.js';
import { launchBrowser, type Launched } from '../src/print/browser.js';
import { copyEdition, run, tempDir } from './helpers.js';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../src/paths.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = Number(process.env.FUZZ_SEED ?? 20251218);
const FULL_BUILDS = 4;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILES = [
  'story.md',
  'figures.yaml',
  'layout.yaml',
  'edition.yaml',
  'tables/gdp.csv',
  'tables/growth.csv',
  'charts/gdp.vl.json',
  'charts/growth.vl.json',
];
const SNIPPETS = [
  '{',
  '}',
  ':',
  '- ',
  '"',
  ',',
  '[',
  ']',
  '\t',
  '::chain x',
  '## ',
  '{gdp_2025}',
  '{nope}',
  '0',
  '-1',
  '999999',
  'null',
  '\u0000',
  '“',
  '字',
  '---',
  '#',
  '&',
  '<b>',
  '../',
  'url',
  ' ',
];

function mutate(dir: string, r: () => number): string[] {
  const done: string[] = [];
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const file = FILES[Math.floor(r() * FILES.length)]!;
    const p = path.join(dir, file);
    const lines = readFileSync(p, 'utf8').split('\n');
    const at = Math.floor(r() * lines.length);
    const op = Math.floor(r() * 6);
    const line = lines[at] ?? '';
    switch (op) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, line);
        break;
      case 2: {
        const col = Math.floor(r() * (line.length + 1));
        lines[at] = line.slice(0, col) + SNIPPETS[Math.floor(r() * SNIPPETS.length)]! + line.slice(col);
        break;
      }
      case 3:
        lines[at] = line.replace(/\d/, String(Math.floor(r() * 10)));
        break;
      case 4:
        lines.length = at;
        break;
      case 5: {
        const other = Math.floor(r() * lines.length);
        [lines[at], lines[other]] = [lines[other] ?? '', line];
        break;
      }
    }
    writeFileSync(p, lines.join('\n'));
    done.push(`${file}:${at + 1} op${op}`);
  }
  return done;
}

const within = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`hang: ${what}`)), ms).unref())]);

let browser: Launched;
test.before(async () => {
  browser = await launchBrowser();
});
test.after(async () => {
  await browser.close();
});

test(`${RUNS} mutated editions end in a page or a clear error (seed ${SEED})`, async () => {
  const r = rng(SEED);
  let errors = 0;
  let pages = 0;
  let builds = 0;
  for (let i = 0; i < RUNS; i++) {
    const dir = copyEdition();
    const what = mutate(dir, r);
    const label = `run ${i} (${what.join(', ')})`;
    try {
      await within(prepare(dir), 20_000, label);
      pages++;
      if (builds < FULL_BUILDS) {
        builds++;
        const out = tempDir('fuzz-');
        try {
          const b = await within(buildEdition(dir, { outDir: out, browser, allowOverset: true }), 60_000, label);
          assert.match(run('pdfinfo', [b.pdfPath]), /Pages:\s+1/);
        } catch (e) {
          if (!(e instanceof InputError)) throw new Error(`${label}: ${(e as Error).stack}`, { cause: e });
          assert.equal(readdirSync(out), [], 'a failed build wrote something');
        }
      }
    } catch (e) {
      if (!(e instanceof InputError))
        throw new Error(`${label}: not a clear error: ${(e as Error).stack}`, { cause: e });
      assert.ok(e.describe().length > 10);
      errors++;
    }
  }
  // each run above ended in a page or a clear error, or threw; here: the mutations reached both
  // ends (a seed whose every mutation is refused, or none, would not test what this test says)
  assert.ok(errors > 0, 'no mutated edition was refused');
  assert.ok(pages > 0, 'no mutated edition composed');
  console.log(`  fuzz: ${errors} clear errors, ${pages} pages composed, ${builds} printed`);
});

test('npm run fuzz, 30 runs: symbolic links, FIFOs, duplicate ids, number edge cases, bytes and cuts end well', () => {
  // the script itself: every run a page or a clear error, none an internal error, hang, leftover or half-written output
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/scripts/fuzz.js')], {
    encoding: 'utf8',
    env: { ...process.env, FUZZ_RUNS: '30', FUZZ_BUILD_EVERY: '15' },
    timeout: 600_000,
    killSignal: 'SIGKILL',
  });
  assert.is(r.signal, null, 'the fuzz script hung');
  assert.is(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^fuzz: 30 runs \(seed \d+\) in \d+ s, 2 also built by the command line: /m);
});

test.run();
