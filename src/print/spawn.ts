/**
 * The browser process: found in a documented order and started with the flags printing needs,
 * killed with everything it started. It is small (of the project it imports only the message
 * texts), so the command line can start Chromium before it loads the rest (bin/broadsheet.js):
 * Chromium boots while Node loads. It throws nothing for the user: browser.ts turns what it
 * returns into messages.
 *
 * Where the browser is found:
 * 1. CHROME_PATH or PUPPETEER_EXECUTABLE_PATH;
 * 2. Puppeteer's own downloaded browser, where a download worked (the headless shell first);
 * 3. a system Chromium or Chrome: Debian's chromium-headless-shell first, then its real
 *    Chromium binary (/usr/bin/chromium is a wrapper).
 *
 * The headless shell (Chromium's old headless mode, a binary of its own) prints the same PDF,
 * byte for byte, in about half the time: it has no print compositor process to start and feed
 * for every print, and it starts faster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { msg } from '../messages.js';
import { ROOT } from '../paths.js';

const SYSTEM = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export type Located = { path: string; how: string } | { envUnset: string; value: string } | { missing: true };

export function locateBrowser(env: NodeJS.ProcessEnv = process.env): Located {
  for (const key of ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH']) {
    const v = env[key];
    if (v) return existsSync(v) ? { path: v, how: key } : { envUnset: key, value: v };
  }
  const downloaded = downloadedChrome(env);
  if (downloaded) return { path: downloaded, how: "Puppeteer's download" };
  for (const p of SYSTEM) if (existsSync(p)) return { path: p, how: 'system' };
  return { missing: true };
}

/**
 * Where \`npx puppeteer browsers install chrome-headless-shell\` (or \`chrome\`) puts the browser,
 * inside Puppeteer's cache folder: the build this Puppeteer pins, for this platform. Asked of
 * Puppeteer's public executablePath() by \`npm run compile\` (scripts/build-tables.mjs), so this
 * module, which starts the browser before the rest loads, does not load Puppeteer.
 */
export const DOWNLOADED_BROWSERS = path.join(ROOT, 'dist/generated/downloaded-browsers.json');

/** Chrome for Testing in Puppeteer's cache (PUPPETEER_CACHE_DIR or ~/.cache/puppeteer): the headless shell first. */
function downloadedChrome(env: NodeJS.ProcessEnv): string | undefined {
  const cache = env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');
  let where: { shell: string; chrome: string };
  try {
    where = JSON.parse(readFileSync(DOWNLOADED_BROWSERS, 'utf8')) as { shell: string; chrome: string };
  } catch {
    return undefined; // not compiled yet
  }
  return [where.shell, where.chrome].map((p) => path.join(cache, p)).find((p) => existsSync(p));
}

/** Chromium's old headless mode, a binary of its own (chrome-headless-shell). */
export function isHeadlessShell(exe: string): boolean {
  return /headless[-_]shell/.test(path.basename(exe));
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

/**
 * What Puppeteer's own launcher adds and printing needs: headless (added per binary), DevTools over a
 * pipe (no port, no WebSocket framing of every font the page loads), sRGB output, no scroll
 * bars in snapshots, no throttling of a tab that is not in front, and nothing phoning home.
 */
const LAUNCH_FLAGS = [
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

export interface Spawned {
  proc: ChildProcess;
  exe: { path: string; how: string };
  userDataDir: string;
  /** why the process could not be started (spawn's 'error' event), once it is known */
  spawnError?: string;
  /** what Chromium wrote to stderr (the first 4,000 characters) */
  stderr(): string;
}

/** Starts Chromium with a fresh profile, DevTools on fds 3 and 4. */
export function spawnBrowser(exe: { path: string; how: string }): Spawned {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-chrome-'));
  profiles.add(userDataDir);
  const headless = isHeadlessShell(exe.path) ? '--headless' : '--headless=new';
  const proc = spawn(
    exe.path,
    [headless, ...CHROME_FLAGS, ...LAUNCH_FLAGS, `--user-data-dir=${userDataDir}`, 'about:blank'],
    {
      detached: true, // its own process group: killed as one
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const s: Spawned = { proc, exe, userDataDir, stderr: () => stderr };
  proc.once('error', (e) => (s.spawnError = e.message)); // reported when the build connects
  spawned.add(s);
  return s;
}

let ahead: Spawned | undefined;

/** Ctrl-C while the command line loads: nothing is written yet; the browser started ahead goes. */
function early(sig: NodeJS.Signals): void {
  killAllBrowsers();
  process.stderr.write(msg.interrupted(sig));
  process.exit(130);
}

/** The command line handles signals from here on. */
export function endEarlySignals(): void {
  process.removeListener('SIGINT', early);
  process.removeListener('SIGTERM', early);
}

/** Starts a browser now for the build that follows (bin/broadsheet.js); quietly nothing if none is found. */
export function spawnAhead(): void {
  const where = locateBrowser();
  if (!('path' in where) || ahead) return;
  process.once('SIGINT', early); // before the profile exists: Ctrl-C from here on removes it
  process.once('SIGTERM', early);
  try {
    ahead = spawnBrowser(where);
    holdOpen(ahead, false); // a run that ends before it takes the browser must not wait for it
  } catch {
    ahead = undefined;
  }
}

/** The browser started ahead, if it is the one this build would start and still running. */
export function takeAhead(exe: { path: string }): Spawned | undefined {
  const s = ahead;
  ahead = undefined;
  if (!s) return undefined;
  if (s.exe.path === exe.path && s.proc.exitCode === null && s.proc.signalCode === null) {
    holdOpen(s, true);
    return s;
  }
  retire(s);
  return undefined;
}

/** Whether the browser process and its pipes keep Node running. */
function holdOpen(s: Spawned, hold: boolean): void {
  for (const h of [s.proc, ...s.proc.stdio] as ({ ref?: () => void; unref?: () => void } | null)[]) {
    if (hold) h?.ref?.();
    else h?.unref?.();
  }
}

/** Kills a browser process and removes its profile (now, or at exit if it cannot be removed yet). */
export function retire(s: Spawned): void {
  spawned.delete(s);
  killGroup(s.proc.pid);
  if (removeProfile(s.userDataDir)) profiles.delete(s.userDataDir);
}

/**
 * Kills a browser process at once and removes its profile once the process has gone, without
 * holding up the caller; what is not removed by the time Node exits is removed then.
 */
export function retireSoon(s: Spawned): void {
  spawned.delete(s);
  killGroup(s.proc.pid);
  const gone =
    s.proc.exitCode !== null || s.proc.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => s.proc.once('exit', () => r()));
  void gone
    .then(() => rm(s.userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }))
    .then(() => profiles.delete(s.userDataDir))
    .catch(() => undefined); // left to the exit handler
}

/** browsers started by this process and not yet retired */
const spawned = new Set<Spawned>();
/** profile folders of browsers started in this process, until removed */
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
  for (const s of spawned) killGroup(s.proc.pid);
  spawned.clear();
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
