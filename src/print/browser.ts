/**
 * The browser for printing: Chromium started by spawn.ts (or taken from the one the command
 * line started ahead) and Puppeteer connected to it over the DevTools pipe. Puppeteer's
 * browser build is enough for that: its launcher, with the downloader and proxy code behind
 * it, is never loaded.
 */
import type { Browser } from 'puppeteer-core';
import { InputError, msg } from '../messages.js';
import { locateBrowser, retire, retireSoon, spawnBrowser, takeAhead, type Spawned } from './spawn.js';

export { CHROME_FLAGS, endEarlySignals, killAllBrowsers } from './spawn.js';

export function findBrowser(env: NodeJS.ProcessEnv = process.env): { path: string; how: string } {
  const where = locateBrowser(env);
  if ('path' in where) return where;
  if ('envUnset' in where) {
    const key = where.envUnset;
    throw msg.schema(
      { file: `$${key}` },
      `${key} points to ${where.value}, which does not exist`,
      `unset ${key} or point it to a Chrome/Chromium binary`,
    );
  }
  throw msg.browserMissing();
}

export interface Launched {
  browser: Browser;
  close(): Promise<void>;
  killSync(): void;
}

export async function launchBrowser(): Promise<Launched> {
  const exe = findBrowser();
  const s: Spawned = takeAhead(exe) ?? spawnBrowser(exe);
  const { proc } = s;
  const failed = (detail: string) => {
    retire(s);
    return msg.browserFailed(exe.path, exe.how, detail);
  };
  let browser: Browser;
  try {
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', (e) => reject(failed(e.message)));
      proc.once('exit', (code, sig) =>
        reject(failed(firstError(s.stderr()) ?? `it exited (${sig ?? `code ${code}`})`)),
      );
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
  return {
    browser,
    /** Nothing of a print browser's state is kept: it is killed, not shut down (that takes ~200 ms). */
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      void browser.disconnect().catch(() => undefined);
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

/** The first line of Chromium's stderr that reads like an error. */
function firstError(stderr: string): string | undefined {
  return (
    stderr
      .split('\n')
      .find((l) => /error|fail|cannot|not found/i.test(l))
      ?.trim() ||
    stderr.split('\n')[0]?.trim() ||
    undefined
  );
}
