/**
 * npm run fuzz: random mutations of the sample edition's files (seeded, so a run can be
 * replayed), each run checked to end as a user may see it end: a page, or exit 1 with a message
 * naming a file, or 2 or 4; never an internal error (3), a stack trace, a hang, a process left
 * running or a half-written output.
 *
 * Every run loads, binds, lays out, draws the charts and composes the page (stages 1–5) in a
 * runner process of its own, which is killed and replaced when a run takes longer than
 * FUZZ_HANG_S (a hang); every FUZZ_BUILD_EVERY-th run is also built by the real command line,
 * into an out folder that holds an earlier good build, and that folder is checked afterwards.
 *
 *   FUZZ_RUNS (default 1000), FUZZ_SEED (default 20251218), FUZZ_BUILD_EVERY (default 50)
 *   node dist/scripts/fuzz.js --replay <run>   prints what run <run> of the seed changes
 * Exit 0 when every run ended well; 1 with the runs that did not.
 */
import { fork, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../src/paths.js';

const SAMPLE = path.join(ROOT, 'data', 'yuhu-2025');
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20251218);
const BUILD_EVERY = Number(process.env.FUZZ_BUILD_EVERY ?? 50);
const HANG_S = Number(process.env.FUZZ_HANG_S ?? 60);
const SELF = fileURLToPath(import.meta.url);

/** mulberry32: small, seeded, the same on every machine */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXT_FILES = [
  'story.md',
  'figures.yaml',
  'layout.yaml',
  'edition.yaml',
  'tables/gdp.csv',
  'tables/growth.csv',
  'tables/rd.csv',
  'charts/gdp.vl.json',
  'charts/growth.vl.json',
  'charts/rd.vl.json',
];
const ALL_FILES = [...TEXT_FILES, 'images/linli.jpg', 'images/yaowan.jpg'];
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
  '&a ',
  '*a',
  '!!binary ',
  '? ',
  '|',
  '>',
  '::chain lead',
  '::chain s1',
  '::photo yaowan 又一',
  '::chart gdp 又一',
  '## ',
  '# ',
  '> ',
  '1. ',
  '```',
  '{gdp_2025}',
  '{nope}',
  '{gdp_2025:num}',
  '{gdp_2025:x}',
  '0',
  '-1',
  '1e308',
  '-0',
  '.nan',
  '.inf',
  '-.inf',
  '0x1F',
  '99999999999999999999',
  '2025-02-30',
  'null',
  '~',
  '\u0000',
  '\ufeff',
  '\u202e',
  '“',
  '字',
  '𠀀',
  '---',
  '<b>',
  '<script>x</script>',
  '../',
  '/etc/hostname',
  'file:///etc/hostname',
  'url',
  'href',
  ' ',
  '\\',
  '%',
  '\r',
];

type Mutation = (dir: string, r: () => number) => string;
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const MUTATIONS: Mutation[] = [
  // bytes: flip, insert, delete a few
  (dir, r) => {
    const f = pick(r, ALL_FILES);
    const b = readFileSync(path.join(dir, f));
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n && b.length; i++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    writeFileSync(path.join(dir, f), b);
    return `${f}: ${n} bytes changed`;
  },
  // truncation
  (dir, r) => {
    const f = pick(r, ALL_FILES);
    const b = readFileSync(path.join(dir, f));
    const at = Math.floor(r() * b.length);
    writeFileSync(path.join(dir, f), b.subarray(0, at));
    return `${f}: cut at byte ${at}`;
  },
  // lines: delete, duplicate, swap, snippet inserted
  (dir, r) => {
    const f = pick(r, TEXT_FILES);
    const lines = readFileSync(path.join(dir, f), 'utf8').split('\n');
    const at = Math.floor(r() * lines.length);
    const op = Math.floor(r() * 4);
    const line = lines[at] ?? '';
    if (op === 0) lines.splice(at, 1);
    else if (op === 1) lines.splice(at, 0, line);
    else if (op === 2) {
      const other = Math.floor(r() * lines.length);
      [lines[at], lines[other]] = [lines[other] ?? '', line];
    } else {
      const col = Math.floor(r() * (line.length + 1));
      lines[at] = line.slice(0, col) + pick(r, SNIPPETS) + line.slice(col);
    }
    writeFileSync(path.join(dir, f), lines.join('\n'));
    return `${f}:${at + 1}: line op ${op}`;
  },
  // numbers: replaced by an edge case
  (dir, r) => {
    const f = pick(r, TEXT_FILES);
    const s = readFileSync(path.join(dir, f), 'utf8');
    const nums = [...s.matchAll(/-?\d+(\.\d+)?/g)];
    if (!nums.length) return `${f}: no number`;
    const m = pick(r, nums);
    const to = pick(r, ['0', '-1', '-0', '1e308', '1e-308', '.nan', '.inf', '9007199254740993', '0.5', '100000', '13']);
    writeFileSync(path.join(dir, f), s.slice(0, m.index) + to + s.slice(m.index + m[0].length));
    return `${f}: number ${m[0]} → ${to}`;
  },
  // ids: one id made equal to another (chains, frames, captions, figures, charts)
  (dir, r) => {
    const f = pick(r, ['story.md', 'layout.yaml', 'figures.yaml', 'edition.yaml']);
    const s = readFileSync(path.join(dir, f), 'utf8');
    const ids =
      f === 'story.md'
        ? [...s.matchAll(/^::(?:chain|photo|chart) ([\w-]+)/gm)]
        : f === 'layout.yaml'
          ? [...s.matchAll(/id: ([\w-]+)/g)]
          : [...s.matchAll(/^ {0,2}([a-z][\w]*):/gm)];
    if (ids.length < 2) return `${f}: no ids`;
    const a = pick(r, ids);
    const b = pick(r, ids);
    const at = a.index + a[0].lastIndexOf(a[1]!);
    writeFileSync(path.join(dir, f), s.slice(0, at) + b[1]! + s.slice(at + a[1]!.length));
    return `${f}: id ${a[1]} → ${b[1]}`;
  },
  // structure: a YAML/JSON value replaced by another shape
  (dir, r) => {
    const f = pick(
      r,
      TEXT_FILES.filter((x) => /\.(ya?ml|json)$/.test(x)),
    );
    const s = readFileSync(path.join(dir, f), 'utf8');
    const vals = [...s.matchAll(/: ("[^"\n]*"|[^,{}[\]\n]+)/g)];
    if (!vals.length) return `${f}: no value`;
    const m = pick(r, vals);
    const to = pick(r, ['[]', '{}', 'null', '[1, [2, [3]]]', '{ "a": { "b": {} } }', '""', 'true', '"x"']);
    writeFileSync(path.join(dir, f), s.slice(0, m.index + 2) + to + s.slice(m.index + m[0].length));
    return `${f}: value ${m[1]!.slice(0, 20)} → ${to}`;
  },
  // special files: a symbolic link out of the edition, a FIFO, a folder
  (dir, r) => {
    const f = pick(r, ALL_FILES);
    const p = path.join(dir, f);
    rmSync(p, { force: true });
    const kind = pick(r, ['link out', 'link in', 'fifo', 'folder', 'missing'] as const);
    if (kind === 'link out') symlinkSync('/etc/hostname', p);
    else if (kind === 'link in') symlinkSync(path.relative(path.dirname(p), path.join(dir, pick(r, ALL_FILES))), p);
    else if (kind === 'fifo') spawnSync('mkfifo', [p]);
    else if (kind === 'folder') mkdirSync(p);
    return `${f}: ${kind}`;
  },
];

export interface Outcome {
  run: number;
  what: string[];
  /** ok: a page; input/usage/machine: the exit code's class; crash: exit 3 or a stack; hang */
  result: 'page' | 'input' | 'machine' | 'crash' | 'hang' | 'bad-message' | 'bad-output' | 'leftover';
  detail?: string;
  build?: number | null;
}

/** The runner: prepares each edition it is sent and answers how it ended. */
async function runner(): Promise<void> {
  const { prepare } = await import('../src/pipeline.js');
  const { InputError, MachineError, exitCodeOf } = await import('../src/messages.js');
  process.on('message', (job: { dir: string }) => {
    prepare(job.dir).then(
      () => process.send?.({ result: 'page' }),
      (e: unknown) => {
        const code = exitCodeOf(e);
        if (code === 1 && e instanceof InputError) {
          const text = e.describe();
          // the message names a file of the edition (or the edition folder itself)
          const named = text.includes(path.basename(job.dir));
          process.send?.({ result: named ? 'input' : 'bad-message', detail: text.slice(0, 300) });
        } else if (e instanceof MachineError) process.send?.({ result: 'machine', detail: e.message });
        else process.send?.({ result: 'crash', detail: (e as Error)?.stack ?? String(e) });
      },
    );
  });
  process.on('disconnect', () => process.exit(0));
}

/** The whole build by the command line into an out folder with an earlier good build in it. */
function build(dir: string, good: string): { code: number | null; problem?: string } {
  const out = mkdtempSync(path.join(os.tmpdir(), 'fuzz-out-'));
  cpSync(good, out, { recursive: true });
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin/broadsheet.js'), 'build', dir, '--out', out, '--timeout', '90'],
    {
      encoding: 'utf8',
      timeout: 150_000,
      killSignal: 'SIGKILL',
    },
  );
  let problem: string | undefined;
  if (r.signal) problem = `killed after 150 s (hang)`;
  else if (r.status === 3) problem = `exit 3: ${r.stderr.slice(0, 300)}`;
  else if (/\n\s+at .+[(:]\d+:\d+\)?/.test(r.stderr)) problem = `a stack trace: ${r.stderr.slice(0, 300)}`;
  else if (r.status === 1 && !r.stderr.includes(path.basename(dir)))
    problem = `exit 1 naming no file: ${r.stderr.slice(0, 200)}`;
  const files = readdirSync(out);
  if (files.some((f) => f.endsWith('.tmp') || f === '.broadsheet.lock')) problem ??= `left ${files.join(', ')}`;
  if (r.status !== 0) {
    // nothing of a failed build: the earlier output as it was
    for (const f of ['broadsheet.pdf', 'report.json'])
      if (!readFileSync(path.join(out, f)).equals(readFileSync(path.join(good, f))))
        problem ??= `${f} changed by a failed build`;
  } else {
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { output: { bytes: number } };
    if (readFileSync(path.join(out, 'broadsheet.pdf')).length !== report.output.bytes)
      problem ??= 'PDF and report disagree';
  }
  if (spawnSync('pgrep', ['-f', `--user-data-dir=${os.tmpdir()}`]).status === 0 && leftover())
    problem ??= 'a browser left running';
  rmSync(out, { recursive: true, force: true });
  return { code: r.status, ...(problem ? { problem } : {}) };
}

/** A browser whose parent has gone (a build's, left behind). */
function leftover(): boolean {
  const r = spawnSync('pgrep', ['-f', '-P', '1', 'user-data-dir'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

async function main(): Promise<number> {
  const replay = process.argv.indexOf('--replay');
  const t0 = performance.now();
  const r = rng(SEED);
  const good = mkdtempSync(path.join(os.tmpdir(), 'fuzz-good-'));
  if (replay < 0) {
    const g = spawnSync(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), 'build', SAMPLE, '--out', good], {
      encoding: 'utf8',
    });
    if (g.status !== 0) throw new Error(`the sample does not build: ${g.stderr}`);
  }
  let child = fork(SELF, ['--runner'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  const outcomes: Outcome[] = [];
  const counts: Record<string, number> = {};
  let builds = 0;
  for (let run = 0; run < RUNS; run++) {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'fuzz-')), 'yuhu-2025');
    cpSync(SAMPLE, dir, { recursive: true });
    const what: string[] = [];
    // mostly one change, so that most runs reach the later stages; the special files less often
    for (let n = r() < 0.7 ? 1 : 2; n > 0; n--)
      what.push(pick(r, r() < 0.1 ? MUTATIONS : MUTATIONS.slice(0, -1))(dir, r));
    if (replay >= 0) {
      if (run === Number(process.argv[replay + 1])) {
        console.log(`run ${run} (seed ${SEED}): ${what.join('; ')}\nedition: ${dir}`);
        child.kill();
        return 0;
      }
      rmSync(path.dirname(dir), { recursive: true, force: true });
      continue;
    }
    const c = child;
    const o = await new Promise<Omit<Outcome, 'run' | 'what'>>((resolve) => {
      const timer = setTimeout(() => resolve({ result: 'hang', detail: `over ${HANG_S} s` }), HANG_S * 1000);
      c.once('message', (m: Omit<Outcome, 'run' | 'what'>) => {
        clearTimeout(timer);
        resolve(m);
      });
      c.once('exit', (code, sig) => {
        clearTimeout(timer);
        resolve({ result: 'crash', detail: `the runner ended (${sig ?? code})` });
      });
      c.send({ dir });
    });
    c.removeAllListeners('message');
    c.removeAllListeners('exit');
    if (o.result === 'hang' || o.result === 'crash') {
      c.kill('SIGKILL');
      child = fork(SELF, ['--runner'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    }
    const outcome: Outcome = { run, what, ...o };
    if (BUILD_EVERY > 0 && run % BUILD_EVERY === 0) {
      builds++;
      const b = build(dir, good);
      outcome.build = b.code;
      if (b.problem) Object.assign(outcome, { result: 'bad-output', detail: b.problem });
    }
    counts[outcome.result] = (counts[outcome.result] ?? 0) + 1;
    if (!['page', 'input', 'machine'].includes(outcome.result) || process.env.FUZZ_VERBOSE) {
      outcomes.push(outcome);
      process.stderr.write(`fuzz: run ${run} ${outcome.result}: ${what.join('; ')}\n  ${outcome.detail ?? ''}\n`);
    }
    rmSync(path.dirname(dir), { recursive: true, force: true });
    if ((run + 1) % 50 === 0) process.stderr.write(`fuzz: ${run + 1} of ${RUNS} runs\n`);
  }
  child.kill();
  rmSync(good, { recursive: true, force: true });
  const s = (performance.now() - t0) / 1000;
  console.log(
    `fuzz: ${RUNS} runs (seed ${SEED}) in ${s.toFixed(0)} s, ${builds} also built by the command line: ` +
      Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', '),
  );
  for (const o of outcomes) console.log(`  run ${o.run} ${o.result}: ${o.what.join('; ')}\n    ${o.detail ?? ''}`);
  return outcomes.length ? 1 : 0;
}

if (process.argv.includes('--runner')) void runner();
else if (existsSync(SAMPLE)) void main().then((code) => process.exit(code));
