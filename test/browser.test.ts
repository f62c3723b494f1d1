/** Which browser prints: the order documented in the README ("Which browser is used"). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { isHeadlessShell, locateBrowser } from '../src/print/spawn.js';
import { ROOT } from '../src/paths.js';
import { tempDir } from './helpers.js';

const put = (file: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '');
  return file;
};

test('a set CHROME_PATH wins; one that does not exist is said so', () => {
  const exe = put(path.join(tempDir('exe-'), 'chrome'));
  assert.equal(locateBrowser({ CHROME_PATH: exe }), { path: exe, how: 'CHROME_PATH' });
  assert.equal(locateBrowser({ CHROME_PATH: '/nope/chrome' }), { envUnset: 'CHROME_PATH', value: '/nope/chrome' });
});

/** Where Puppeteer itself (its public executablePath, in a process of its own) puts a browser in this cache. */
function puppeteerPath(cache: string, headless: 'shell' | true): string {
  const script =
    "import('puppeteer').then((p) => " +
    `process.stdout.write(p.executablePath({ headless: ${JSON.stringify(headless)} })))`;
  const env: NodeJS.ProcessEnv = { ...process.env, PUPPETEER_CACHE_DIR: cache };
  delete env.PUPPETEER_EXECUTABLE_PATH;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env, cwd: ROOT });
}

test("in Puppeteer's cache, where Puppeteer installs them, the headless shell comes before Chrome for Testing", () => {
  const cache = tempDir('pptr-cache-');
  const chrome = put(puppeteerPath(cache, true));
  assert.ok(chrome.startsWith(cache + path.sep) && chrome.includes('chrome'), chrome);
  assert.equal(locateBrowser({ PUPPETEER_CACHE_DIR: cache }), { path: chrome, how: "Puppeteer's download" });
  const shell = put(puppeteerPath(cache, 'shell'));
  assert.ok(shell.startsWith(cache + path.sep) && shell.includes('headless-shell'), shell);
  assert.equal(locateBrowser({ PUPPETEER_CACHE_DIR: cache }), { path: shell, how: "Puppeteer's download" });
});

test('the headless shell is known by its name (it gets --headless, not --headless=new)', () => {
  assert.ok(isHeadlessShell('/usr/lib/chromium/chromium-headless-shell'));
  assert.ok(isHeadlessShell('/x/chrome-headless-shell-linux64/chrome-headless-shell'));
  assert.not.ok(isHeadlessShell('/usr/lib/chromium/chromium'));
  assert.not.ok(isHeadlessShell('/opt/google/chrome/chrome'));
});

test.run();
