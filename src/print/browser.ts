/**
 * The browser: found in a documented order, launched confined to what printing needs.
 * 1. CHROME_PATH or PUPPETEER_EXECUTABLE_PATH;
 * 2. Puppeteer's own downloaded browser, where a download worked;
 * 3. a system Chromium or Chrome (Debian's real binary first: /usr/bin/chromium is a wrapper).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

export interface Launched { browser: Browser; close(): Promise<void>; killSync(): void }

export async function launchBrowser(): Promise<Launched> {
  const exe = findBrowser();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-chrome-'));
  profiles.add(userDataDir);
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: exe.path,
      headless: true,
      args: [...CHROME_FLAGS, `--user-data-dir=${userDataDir}`],
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    profiles.delete(userDataDir);
    throw msg.browserFailed(exe.path, exe.how, (e as Error).message.split('\n')[0]!);
  }
  let closed = false;
  const handle: Launched = {
    browser,
    async close() {
      if (closed) return;
      closed = true;
      live.delete(handle);
      try {
        await browser.close();
      } catch {
        killGroup(browser.process()?.pid);
      }
      if (removeProfile(userDataDir)) profiles.delete(userDataDir); // else the exit handler tries again
    },
    killSync() {
      if (closed) return;
      closed = true;
      live.delete(handle);
      killGroup(browser.process()?.pid);
    },
  };
  live.add(handle);
  return handle;
}

const live = new Set<Launched>();
/** profile folders of browsers started (or starting) in this process */
const profiles = new Set<string>();

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL'); // the browser runs in its own process group
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/**
 * On a signal or exit: kill every browser this process started and remove its profile.
 * Synchronous (it runs in exit handlers) and never throws: a profile a dying process is still
 * writing into is killed again and removed again, for up to two seconds.
 */
export function killAllBrowsers(): void {
  for (const h of [...live]) h.killSync();
  for (const dir of profiles) removeProfile(dir);
  profiles.clear();
}

/** Kills what still uses the profile folder and removes it; false if it could not be removed. */
function removeProfile(dir: string): boolean {
  for (let attempt = 0; attempt < 20; attempt++) {
    waitGone(killUsing(dir)); // a browser still starting has no handle yet
    try {
      rmSync(dir, { recursive: true, force: true });
      return true;
    } catch {
      sleepSync(100); // ENOTEMPTY: a dying process wrote a file while the folder was emptied
    }
  }
  return false;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits (up to a second) until the processes have exited: gone from /proc or a zombie. */
function waitGone(pids: number[]): void {
  for (let t = 0; t < 50; t++) {
    const alive = pids.filter((pid) => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
      } catch {
        return false;
      }
    });
    if (alive.length === 0) return;
    sleepSync(20);
  }
}

/** Kills the processes started with this profile folder (Linux: read from /proc); returns their ids. */
function killUsing(dir: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(`--user-data-dir=${dir}`)) {
        process.kill(Number(pid), 'SIGKILL');
        killed.push(Number(pid));
      }
    } catch {
      /* gone, or not ours */
    }
  }
  return killed;
}
process.once('exit', killAllBrowsers);
