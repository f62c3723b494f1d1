/**
 * CommonJS files run from V8's code cache: big files (vega-lite's schema validator, the bundled
 * command line and chart worker, megabytes of code each) are parsed and compiled once, by
 * `npm run compile`, not on every build. The cache sits beside the file (<file>.v8cache) with
 * the size and time of the file it was made from (<file>.v8cache.json): V8 itself checks only
 * the length of the source, so a changed file must never meet an old cache. Without a valid
 * cache the file is compiled from source: slower, never wrong.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
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
  (script.runInThisContext() as (...a: unknown[]) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
  );
  return { script, exports: module.exports };
}

function stampOf(file: string): string {
  const s = statSync(file);
  return JSON.stringify({ size: s.size, mtimeMs: s.mtimeMs, node: process.version });
}

/** Loads a CommonJS file, from its code cache when that was made from this very file. */
export function requireCached(file: string): unknown {
  const cache = `${file}.v8cache`;
  let data: Buffer | undefined;
  try {
    if (readFileSync(`${cache}.json`, 'utf8') === stampOf(file)) data = readFileSync(cache);
  } catch {
    /* no cache: compiled from source */
  }
  return compile(file, data).exports;
}

/**
 * Makes the code cache of a CommonJS file: loads it, runs `exercise` so the functions a build
 * calls are compiled too, and keeps what V8 compiled.
 */
export function makeCodeCache(file: string, exercise: (exports: unknown) => void = () => undefined): void {
  const { script, exports } = compile(file);
  exercise(exports);
  writeFileSync(`${file}.v8cache`, script.createCachedData());
  writeFileSync(`${file}.v8cache.json`, stampOf(file));
}
