/** Which browser prints: the order documented in the README ("Which browser is used"). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PUPPETEER_REVISIONS } from 'puppeteer-core/internal/revisions.js';
import { isHeadlessShell, locateBrowser } from '../src/print/spawn.js';

const put = (file: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
  return file;
};

test('a set CHROME_PATH wins; one that does not exist is said so', () => {
  const exe = put(path.join(mkdtempSync(path.join(os.tmpdir(), 'exe-')), 'chrome'));
  assert.equal(locateBrowser({ CHROME_PATH: exe }), { path: exe, how: 'CHROME_PATH' });
  assert.equal(locateBrowser({ CHROME_PATH: '/nope/chrome' }), { envUnset: 'CHROME_PATH', value: '/nope/chrome' });
});

// (the cache layout of Linux; this project runs there)
test("in Puppeteer's cache the headless shell comes before Chrome for Testing", () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'pptr-cache-'));
  const chrome = put(path.join(cache, 'chrome', `linux-${PUPPETEER_REVISIONS.chrome}`, 'chrome-linux64', 'chrome'));
  assert.equal(locateBrowser({ PUPPETEER_CACHE_DIR: cache }), { path: chrome, how: "Puppeteer's download" });
  const shell = put(
    path.join(
      cache,
      'chrome-headless-shell',
      `linux-${PUPPETEER_REVISIONS['chrome-headless-shell']}`,
      'chrome-headless-shell-linux64',
      'chrome-headless-shell',
    ),
  );
  assert.equal(locateBrowser({ PUPPETEER_CACHE_DIR: cache }), { path: shell, how: "Puppeteer's download" });
});

test('the headless shell is known by its name (it gets --headless, not --headless=new)', () => {
  assert.ok(isHeadlessShell('/usr/lib/chromium/chromium-headless-shell'));
  assert.ok(isHeadlessShell('/x/chrome-headless-shell-linux64/chrome-headless-shell'));
  assert.not.ok(isHeadlessShell('/usr/lib/chromium/chromium'));
  assert.not.ok(isHeadlessShell('/opt/google/chrome/chrome'));
});

test.run();
