/**
 * The browser: found in a documented order, launched confined to what printing needs.
 * 1. CHROME_PATH or PUPPETEER_EXECUTABLE_PATH;
 * 2. Puppeteer's own downloaded browser, where a download worked;
 * 3. a system Chromium or Chrome (Debian's real binary first: /usr/bin/chromium is a wrapper).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PUPPETEER_REVISIONS } from 'puppeteer-core/internal/revisions.js';
import { spawn } from 'node:child_process';
import type { Browser } from 'puppeteer-core';
import { InputError, msg } from '../messages.js';

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
  const downloaded = downloadedChrome(env);
  if (downloaded) return { path: downloaded, how: "Puppeteer's download" };
  for (const p of SYSTEM) if (existsSync(p)) return { path: p, how: 'system' };
  throw msg.browserMissing();
}

/**
 * Chrome for Testing where \`npx puppeteer browsers install chrome\` puts it: the cache folder
 * (PUPPETEER_CACHE_DIR or ~/.cache/puppeteer), the build this Puppeteer pins, the platform.
 */
function downloadedChrome(env: NodeJS.ProcessEnv): string | undefined {
  const cache = env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');
  const arm = process.arch === 'arm64';
  const where: Partial<Record<NodeJS.Platform, [string, string]>> = {
    linux: ['linux', 'chrome-linux64/chrome'],
    darwin: [arm ? 'mac_arm' : 'mac', `chrome-mac-${arm ? 'arm64' : 'x64'}/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing`],
    win32: ['win64', 'chrome-win64/chrome.exe'],
  };
  const w = where[process.platform];
  const p = w && path.join(cache, 'chrome', `${w[0]}-${PUPPETEER_REVISIONS.chrome}`, w[1]);
  return p && existsSync(p) ? p : undefined;
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

/**
 * What Puppeteer's own launcher adds and printing needs: the new headless mode, DevTools over a
 * pipe (no port, no WebSocket framing of every font the page loads), sRGB output, no scroll
 * bars in snapshots, no throttling of a tab that is not in front, and nothing phoning home.
 */
const LAUNCH_FLAGS = [
  '--headless=new',
  '--remote-debugging-pipe',
  '--hide-scrollbars',
  '--force-color-profile=srgb',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-ipc-flooding-protection',
  '--disable-hang-monitor',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints',
];

/**
 * Starts Chromium at once (it boots while Node loads the rest) and connects Puppeteer to it
 * over the pipe. Puppeteer's browser build is enough for that: its launcher, with the
 * downloader and proxy code behind it, is never loaded.
 */
export async function launchBrowser(): Promise<Launched> {
  const exe = findBrowser();
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-chrome-'));
  profiles.add(userDataDir);
  const proc = spawn(exe.path, [...CHROME_FLAGS, ...LAUNCH_FLAGS, `--user-data-dir=${userDataDir}`, 'about:blank'], {
    detached: true, // its own process group: killed as one
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const failed = (detail: string) => {
    killGroup(proc.pid);
    removeProfile(userDataDir);
    profiles.delete(userDataDir);
    return msg.browserFailed(exe.path, exe.how, detail);
  };
  let browser: Browser;
  try {
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', (e) => reject(failed(e.message)));
      proc.once('exit', (code, sig) => reject(failed(firstError(stderr) ?? `it exited (${sig ?? `code ${code}`})`)));
    });
    exited.catch(() => undefined);
    const [{ connect }, { PipeTransport }] = await Promise.all([
      import('puppeteer-core/internal/puppeteer-core-browser.js'),
      import('puppeteer-core/internal/node/PipeTransport.js'),
    ]);
    const transport = new PipeTransport(proc.stdio[3] as NodeJS.WritableStream, proc.stdio[4] as NodeJS.ReadableStream);
    browser = (await Promise.race([connect({ transport, protocolTimeout: 120_000 }), exited])) as unknown as Browser; // the same class, typed twice
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw failed((e as Error).message.split('\n')[0]!);
  }
  proc.removeAllListeners('exit');
  let closed = false;
  const handle: Launched = {
    browser,
    /** Nothing of a print browser's state is kept: it is killed, not shut down (that takes ~200 ms). */
    async close() {
      if (closed) return;
      closed = true;
      live.delete(handle);
      void browser.disconnect().catch(() => undefined);
      killGroup(proc.pid);
      if (removeProfile(userDataDir)) profiles.delete(userDataDir); // else the exit handler tries again
    },
    killSync() {
      if (closed) return;
      closed = true;
      live.delete(handle);
      killGroup(proc.pid);
    },
  };
  live.add(handle);
  return handle;
}

/** The first line of Chromium's stderr that reads like an error. */
function firstError(stderr: string): string | undefined {
  return stderr.split('\n').find((l) => /error|fail|cannot|not found/i.test(l))?.trim() || stderr.split('\n')[0]?.trim() || undefined;
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
