/** V8 code caches: used only for the very file they were made from. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { utimesSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { makeCodeCache, requireCached } from '../src/code-cache.js';
import { tempDir } from './helpers.js';

test('a changed file of the same length is run from its source, not from the old cache', () => {
  const dir = tempDir('broadsheet-cache-');
  const file = path.join(dir, 'm.cjs');
  writeFileSync(file, 'module.exports = () => "old";');
  makeCodeCache(file, (m) => (m as () => string)());
  assert.ok(existsSync(`${file}.v8cache`));
  assert.is((requireCached(file) as () => string)(), 'old');
  // same length, different code: V8's own check (the source length) would accept the old cache
  writeFileSync(file, 'module.exports = () => "new";');
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.is((requireCached(file) as () => string)(), 'new');
});

test('without a cache the file still runs', () => {
  const dir = tempDir('broadsheet-cache-');
  const file = path.join(dir, 'm.cjs');
  writeFileSync(file, 'exports.answer = 42;');
  assert.is((requireCached(file) as { answer: number }).answer, 42);
});

test.run();
