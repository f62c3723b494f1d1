// Runs ONE uvu test file and judges it by more than uvu's exit code (scripts/test.js starts one
// of these per file): uvu 0.5 swallows an error thrown in a before/after hook, runs a stray
// .only silently and calls a file with no tests a pass. Usage: node scripts/test-uvu.js <file>.
//
// Test files import 'uvu' as usual; a module resolve hook hands them this module instead, whose
// suite() wraps uvu's to record every test registered and started, every hook error and every
// .only. At the end it prints one "FAIL <file>: <reason>" line per problem, writes a summary
// (JSON) to $BROADSHEET_TEST_RESULT if set, and exits 1 if anything failed.
import { register } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SELF = import.meta.url;
/** @type {typeof import('uvu')} */
let real;
/** @type {{name: string, tests: {name: string, started: boolean, threw: boolean}[], only: string[],
 *  skips: number, hookErrors: {hook: string, error: unknown}[], runs: number}[]} */
const suites = [];

/** the test (or hook) running now, named if the runner stops this file for taking too long */
let running = '';

const firstLine = (e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0];

/** uvu's suite(), recorded. Same signature and behaviour. */
export function suite(name = '', state) {
  const t0 = real.suite(name, state);
  const rec = { name, tests: [], only: [], skips: 0, hookErrors: [], runs: 0 };
  suites.push(rec);
  const wrapTest = (tname, fn) => {
    const entry = { name: tname, started: false, threw: false };
    rec.tests.push(entry);
    return async (ctx) => {
      entry.started = true;
      running = `${name ? `suite "${name}" ` : ''}test "${tname}"`;
      try {
        await fn(ctx);
      } catch (e) {
        entry.threw = true;
        throw e;
      } finally {
        running = '';
      }
    };
  };
  const wrapHook = (hook, fn) => async (ctx) => {
    running = `${name ? `suite "${name}" ` : ''}${hook} hook`;
    try {
      await fn(ctx);
    } catch (e) {
      rec.hookErrors.push({ hook, error: e });
      throw e;
    } finally {
      running = '';
    }
  };
  const t = (tname, fn) => t0(tname, wrapTest(tname, fn));
  t.only = (tname, fn) => {
    rec.only.push(tname);
    t0.only(tname, wrapTest(tname, fn));
  };
  t.skip = (...args) => {
    rec.skips++;
    t0.skip(...args);
  };
  t.before = (fn) => t0.before(wrapHook('before', fn));
  t.before.each = (fn) => t0.before.each(wrapHook('before.each', fn));
  t.after = (fn) => t0.after(wrapHook('after', fn));
  t.after.each = (fn) => t0.after.each(wrapHook('after.each', fn));
  t.run = () => {
    rec.runs++;
    t0.run();
    // uvu queued this suite's runner last; an error in an after hook rejects it (and would end
    // the whole file): keep it as the suite's failure and let the next suites run
    const group = globalThis.UVU_QUEUE[0];
    const runner = group[group.length - 1];
    group[group.length - 1] = async () => {
      try {
        return await runner();
      } catch {
        const ran = rec.tests.filter((x) => x.started && !x.threw).length;
        return [`   after hook of "${name}" threw (see FAIL below)`, ran, 0, rec.tests.length];
      }
    };
  };
  return t;
}

/** uvu's default suite (test(...) without suite()): set before the test file is imported */
export let test;
export const exec = (...args) => real.exec(...args);

function judge(file, importError) {
  const fails = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let started = 0;
  if (importError) fails.push(`failed to import: ${firstLine(importError)}`);
  for (const s of suites) {
    const label = s.name ? `suite "${s.name}"` : 'test()';
    skipped += s.skips;
    for (const h of s.hookErrors) fails.push(`${label}: ${h.hook} hook threw: ${firstLine(h.error)}`);
    if (s.only.length) fails.push(`${label}: .only left in (${s.only.map((n) => `"${n}"`).join(', ')})`);
    if (s.tests.length && !s.runs) fails.push(`${label}: ${s.tests.length} tests registered but .run() never called`);
    if (s.runs && !s.tests.length && !s.skips) fails.push(`${label}: runs no tests`);
    const never = s.tests.filter((x) => !x.started);
    // under .only uvu skips the others on purpose: the .only line above says it
    if (never.length && !s.only.length && s.runs)
      fails.push(
        `${label}: ${never.length} of ${s.tests.length} tests never ran (${never[0].name}${never.length > 1 ? ', …' : ''})`,
      );
    for (const x of s.tests) {
      if (x.started) started++;
      if (x.threw) {
        failed++;
        fails.push(`${label}: test "${x.name}" failed`);
      } else if (x.started) passed++;
      else if (!s.only.length) failed++;
    }
  }
  if (!importError && started === 0) fails.push('ran no tests');
  return { file, passed, failed, skipped, fails };
}

async function main() {
  const file = path.resolve(process.argv[2] ?? '');
  const name = path.basename(file);
  // the runner's timeout: say what was running, then go
  process.on('SIGTERM', () => {
    const result = { file: name, passed: 0, failed: 0, skipped: 0, fails: [], running: running || 'between tests' };
    if (process.env.BROADSHEET_TEST_RESULT) writeFileSync(process.env.BROADSHEET_TEST_RESULT, JSON.stringify(result));
    process.exit(1);
  });
  globalThis.UVU_DEFER = 1; // uvu queues suites instead of running them at once
  globalThis.UVU_QUEUE = [[name]];
  globalThis.UVU_INDEX = 0;
  real = await import(import.meta.resolve('uvu'));
  test = suite();
  const hooks = `export async function resolve(s, c, next) {
    return s === 'uvu' && c.parentURL !== ${JSON.stringify(SELF)} ? { url: ${JSON.stringify(SELF)}, shortCircuit: true } : next(s, c);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  let importError;
  try {
    await import(pathToFileURL(file).href);
  } catch (e) {
    importError = e;
    console.error(e instanceof Error ? e.stack : e);
  }
  if (!importError) await real.exec();
  const result = judge(name, importError);
  for (const f of result.fails) console.log(`FAIL ${name}: ${f}`);
  if (process.env.BROADSHEET_TEST_RESULT) writeFileSync(process.env.BROADSHEET_TEST_RESULT, JSON.stringify(result));
  if (result.fails.length) process.exitCode = 1;
}

// not awaited at the top level: test files import this module, which must have finished loading
if (process.argv[1] && pathToFileURL(process.argv[1]).href === SELF) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
