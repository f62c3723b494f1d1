/**
 * The browser for printing: Chromium started by spawn.ts (or taken from the one the command
 * line started ahead) and Puppeteer connected to it over the DevTools pipe, through Puppeteer's
 * public connect() with a transport of ours (pipe.ts). Every way the browser fails is the
 * machine's fault, not the edition's (exit 4): not found, not starting, or gone mid-build.
 */
import type { Browser } from 'puppeteer';
import { InputError, MachineError, msg, UsageError } from '../messages.js';
import { PipeTransport } from './pipe.js';
import { locateBrowser, retire, retireSoon, spawnBrowser, takeAhead, type Spawned } from './spawn.js';

export { CHROME_FLAGS, endEarlySignals, killAllBrowsers } from './spawn.js';

/** How long one DevTools call may take before Puppeteer gives up on it. */
const PROTOCOL_TIMEOUT_MS = 120_000;

export function findBrowser(env: NodeJS.ProcessEnv = process.env): { path: string; how: string } {
  const where = locateBrowser(env);
  if ('path' in where) return where;
  if ('envUnset' in where) throw msg.browserPathMissing(where.envUnset, where.value);
  throw msg.browserMissing();
}

export interface Launched {
  browser: Browser;
  /** the browser's executable, for messages */
  exe: string;
  /** False once the browser has gone (killed, crashed, or closed). */
  alive(): boolean;
  /**
   * An error met while the browser was in use, as the user should see it: when the browser has
   * gone, that is the cause (a machine fault), whatever Puppeteer said about it.
   */
  explain(e: unknown): unknown;
  close(): Promise<void>;
  killSync(): void;
}

/** `signal`: a build's deadline; a browser still starting when it passes is killed, not waited for. */
export async function launchBrowser(signal?: AbortSignal): Promise<Launched> {
  const exe = findBrowser();
  const s: Spawned = takeAhead(exe) ?? spawnBrowser(exe);
  const browser = await connectTo(s, signal);
  let closed = false;
  // the process's exit is known first (Node reaps it at once); its pipe may close later
  const exited = () => s.proc.exitCode !== null || s.proc.signalCode !== null;
  const lost = () => {
    const { exitCode, signalCode } = s.proc;
    return signalCode
      ? `ended by ${signalCode}`
      : exitCode !== null
        ? `exit code ${exitCode}`
        : 'its connection closed';
  };
  return {
    browser,
    exe: exe.path,
    alive: () => !closed && browser.connected && !exited(),
    explain(e) {
      if (closed || (browser.connected && !exited()) || isOurs(e)) return e;
      return msg.browserLost(exe.path, lost());
    },
    /** Nothing of a print browser's state is kept: it is killed, not shut down (which is slower). */
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      browser.disconnect().then(ignore, ignore); // the process is killed next; what it answers does not matter
      retireSoon(s);
      return Promise.resolve();
    },
    killSync() {
      if (closed) return;
      closed = true;
      retire(s);
    },
  };
}

/** Connects Puppeteer to a browser just started; a browser that exits or fails first is reported as such. */
function connectTo(s: Spawned, signal?: AbortSignal): Promise<Browser> {
  const { proc, exe } = s;
  const failed = (detail: string): MachineError => {
    retire(s);
    return msg.browserFailed(exe.path, exe.how, detail);
  };
  return new Promise<Browser>((resolve, reject) => {
    if (s.spawnError) return reject(failed(s.spawnError));
    const onError = (e: Error) => reject(failed(e.message));
    const onExit = (code: number | null, sig: NodeJS.Signals | null) =>
      reject(failed(sig ? `it was ended by ${sig}` : `it exited (code ${code})${said(firstError(s.stderr()))}`));
    // a browser that never answers is given up at the build's deadline (it is killed)
    const onAbort = () => {
      settle();
      retire(s);
      reject(signal?.reason instanceof Error ? signal.reason : failed('it did not answer in time'));
    };
    const settle = () => {
      proc.removeListener('error', onError);
      proc.removeListener('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
    };
    proc.once('error', onError);
    proc.once('exit', onExit);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const transport = new PipeTransport(proc.stdio[3] as NodeJS.WritableStream, proc.stdio[4] as NodeJS.ReadableStream);
    import('puppeteer')
      .then(({ connect }) => connect({ transport, protocolTimeout: PROTOCOL_TIMEOUT_MS }))
      .then(
        (browser) => {
          settle();
          resolve(browser);
        },
        (e: unknown) => {
          settle();
          reject(failed(String((e as Error).message ?? e).split('\n')[0] ?? ''));
        },
      );
  });
}

/** Errors that say what is wrong themselves (the edition's, the command line's, the machine's). */
function isOurs(e: unknown): boolean {
  return e instanceof InputError || e instanceof UsageError || e instanceof MachineError;
}

function ignore(): void {}

/**
 * The first line of Chromium's stderr that reads like an error, leaving out what it says on
 * every start of a machine without a desktop session (it cannot reach D-Bus: harmless).
 */
function firstError(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/dbus|D-Bus|bus\.cc/i.test(l));
  return lines.find((l) => /error|fail|cannot|not found/i.test(l)) ?? lines[0];
}

function said(line: string | undefined): string {
  return line ? `: ${line}` : '';
}
