/**
 * The browser: found in a documented order, launched confined to what printing needs.
 * 1. CHROME_PATH or PUPPETEER_EXECUTABLE_PATH;
 * 2. Puppeteer's own downloaded browser, where a download worked;
 * 3. a system Chromium or Chrome (Debian's real binary first: /usr/bin/chromium is a wrapper).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { msg } from '../messages.js';

const SYSTEM = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export function findBrowser(env: NodeJS.ProcessEnv = process.env): { path: string; how: string } {
  for (const key of ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH']) {
    const v = env[key];
    if (v) {
      if (!existsSync(v)) throw msg.schema({ file: `$${key}` }, `${key} points to ${v}, which does not exist`, `unset ${key} or point it to a Chrome/Chromium binary`);
      return { path: v, how: key };
    }
  }
  try {
    const p = puppeteer.executablePath();
    if (p && existsSync(p)) return { path: p, how: "Puppeteer's download" };
  } catch {
    /* no downloaded browser */
  }
  for (const p of SYSTEM) if (existsSync(p)) return { path: p, how: 'system' };
  throw msg.browserMissing();
}

export const CHROME_FLAGS = [
  '--no-sandbox', // we run as root in CI; the page itself is confined by request interception and CSP
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  '--disable-extensions',
  '--disable-default-apps',
  '--mute-audio',
];

export interface Launched { browser: Browser; close(): Promise<void> }

export async function launchBrowser(): Promise<Launched> {
  const exe = findBrowser();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-chrome-'));
  const browser = await puppeteer.launch({
    executablePath: exe.path,
    headless: true,
    args: [...CHROME_FLAGS, `--user-data-dir=${userDataDir}`],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let closed = false;
  return {
    browser,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await browser.close();
      } catch {
        browser.process()?.kill('SIGKILL');
      }
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
