/**
 * CommonJS files run from V8's code cache: a large generated module (vega-lite's schema
 * validator is 8 MB of code) is parsed and compiled once, by `npm run compile`, not on every
 * build. The cache sits beside the file (<file>.v8cache); V8 checks that it belongs to this
 * source and this V8, and compiles from source when it does not (slower, never wrong).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

function compile(file: string, cachedData?: Buffer): { script: vm.Script; exports: unknown } {
  const source = readFileSync(file, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  return { script, exports: module.exports };
}

/** Loads a CommonJS file, from its code cache when there is a valid one. */
export function requireCached(file: string): unknown {
  const cache = `${file}.v8cache`;
  return compile(file, existsSync(cache) ? readFileSync(cache) : undefined).exports;
}

/**
 * Makes the code cache of a CommonJS file (unless a valid one exists): loads it, runs
 * `exercise` so the functions a build calls are compiled too, and keeps what V8 compiled.
 */
export function makeCodeCache(file: string, exercise: (exports: unknown) => void): 'made' | 'valid' {
  const cache = `${file}.v8cache`;
  if (existsSync(cache)) {
    const { script } = compile(file, readFileSync(cache));
    if (!script.cachedDataRejected) return 'valid';
  }
  const { script, exports } = compile(file);
  exercise(exports);
  writeFileSync(cache, script.createCachedData());
  return 'made';
}
