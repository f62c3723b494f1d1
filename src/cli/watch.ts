/**
 * broadsheet watch <edition>: keeps the browser and the page warm and rebuilds on every change
 * to the edition's files. Each rebuild ends on its own: a bad edit prints its error, a fault of
 * the machine or of ours is reported (with the stack under --debug), and watching goes on; the
 * last good PDF stays in place (output is written only by a build that succeeds). A browser that
 * has stopped (killed, crashed) is started again for the next rebuild.
 */
import { readdirSync, realpathSync, watch as watchFs, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { buildEdition, type BuildResult } from '../pipeline.js';
import { endEarlySignals, launchBrowser, type Launched } from '../print/browser.js';
import { PrintSession } from '../print/session.js';
import { InputError, MachineError, msg } from '../messages.js';
import type { Logger } from '../log.js';
import type { Command } from './command.js';

export const watch: Command = {
  options: {
    'allow-overset': { type: 'boolean', default: false },
  },
  async run({ edition, common, values, log }) {
    const w = await startWatch(edition, {
      outDir: common.outDir,
      allowOverset: values['allow-overset'] === true,
      log,
      debug: common.debug,
      ...(common.timeoutMs ? { timeoutMs: common.timeoutMs } : {}),
    });
    await w.ready;
    log.info(msg.watching(edition));
    await new Promise<void>((resolve) => {
      const stop = () => void w.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      endEarlySignals();
    });
    return 0;
  },
};

export interface WatchOptions {
  outDir: string;
  allowOverset: boolean;
  log: Logger;
  /** print the stack of an internal error */
  debug?: boolean;
  /** each rebuild's deadline */
  timeoutMs?: number;
  debounceMs?: number;
}

export interface Watcher {
  /** resolves after the first build (good or bad) */
  ready: Promise<void>;
  /** one rebuild now, as a change would trigger it; undefined when it failed (and said why) */
  rebuild(): Promise<BuildResult | undefined>;
  close(): Promise<void>;
}

/** Starts watching (the browser first: a machine that cannot start one has nothing to watch with). */
export async function startWatch(edition: string, o: WatchOptions): Promise<Watcher> {
  const browser = new WarmBrowser(await launchBrowser());
  let running: Promise<BuildResult | undefined> = Promise.resolve(undefined);
  let again = false;
  let building = false;

  /**
   * One build; whatever goes wrong in it is reported here and ends it, not the watch. A build
   * whose browser stopped under it is run once more, with a new browser.
   */
  const once = async (retry = true): Promise<BuildResult | undefined> => {
    const t0 = performance.now();
    try {
      const { launched, session } = await browser.ready(o.log);
      const r = await buildEdition(edition, {
        outDir: o.outDir,
        allowOverset: o.allowOverset,
        browser: launched,
        session,
        log: o.log,
        ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      });
      const changes = r.report.changes ? `\n  ${msg.changes(r.report.changes)}` : '';
      o.log.info(
        `${msg.rebuilt(Math.round(performance.now() - t0), path.relative(process.cwd(), r.pdfPath))}${changes}`,
      );
      return r;
    } catch (e) {
      if (e instanceof InputError) {
        o.log.info(`error: ${e.describe()}\n${msg.keptLastGood()}`);
        return undefined;
      }
      // the page may be left half-updated: the next build loads it afresh (in a new browser if need be)
      await browser.reset();
      if (retry && !browser.alive()) return once(false);
      if (e instanceof MachineError) o.log.info(`error: ${e.describe()}\n${msg.keptLastGood()}`);
      else {
        o.log.info(`${msg.internal(e)}\n${msg.keptLastGood()}`);
        if (o.debug && e instanceof Error && e.stack) o.log.info(e.stack);
      }
      return undefined;
    }
  };
  const rebuild = (): Promise<BuildResult | undefined> => {
    // one build at a time; changes during a build trigger one more build after it
    running = running.then(async () => {
      let r: BuildResult | undefined;
      building = true;
      try {
        do {
          again = false;
          r = await once();
        } while (again);
      } finally {
        building = false;
      }
      return r;
    });
    return running;
  };

  const ready = rebuild().then(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  // an out folder inside the edition (or the edition folder itself) is not watched: the build's
  // own writes would start the next build, for ever
  // (there, only the files a build writes are left unwatched)
  const out = realOf(o.outDir);
  const root = realOf(edition);
  const isOutput = (full: string) =>
    out === root
      ? path.dirname(full) === root && OUTPUT_FILES.has(path.basename(full))
      : full === out || full.startsWith(out + path.sep);
  const changed = (dir: string, file: string | Buffer | null) => {
    if (file && /(^|\/)\.|~$|\.swp$/.test(String(file))) return; // editors' temporary files
    if (file && isOutput(path.join(dir, String(file)))) return;
    if (building) again = true; // a change during a build: build once more after it
    clearTimeout(timer);
    timer = setTimeout(() => {
      watchFolders(); // a folder made since
      void rebuild();
    }, o.debounceMs ?? 60);
  };
  // every folder of the edition is watched as a folder, not file by file: an editor that saves
  // by writing a new file and renaming it over the old one (sed -i, many editors) replaces the
  // file a per-file watch was following, and later saves would go unseen (Node's recursive
  // watch on Linux works that way)
  const watchers = new Map<string, FSWatcher>();
  const watchFolders = () => {
    for (const d of folders(root, isOutput)) {
      if (watchers.has(d)) continue;
      try {
        const w = watchFs(d, (_event, file) => changed(d, file));
        w.on('error', () => {
          w.close();
          watchers.delete(d); // the folder is gone; made again, it is watched at the next change
        });
        watchers.set(d, w);
      } catch {
        /* gone meanwhile */
      }
    }
  };
  watchFolders();
  return {
    ready,
    rebuild,
    async close() {
      for (const w of watchers.values()) w.close();
      clearTimeout(timer);
      await running; // every rebuild reports its own errors: this never rejects
      await browser.close();
    },
  };
}

/** The watch's browser and its warm page, started again when it has stopped. */
class WarmBrowser {
  private session: PrintSession;
  constructor(private launched: Launched) {
    this.session = new PrintSession(launched.browser);
  }

  alive(): boolean {
    return this.launched.alive();
  }

  /** The browser and session for the next build: a browser that has stopped is replaced. */
  async ready(log: Logger): Promise<{ launched: Launched; session: PrintSession }> {
    if (!this.launched.alive()) {
      log.info(msg.browserRestarted());
      await this.launched.close();
      this.launched = await launchBrowser();
      this.session = new PrintSession(this.launched.browser);
    }
    return { launched: this.launched, session: this.session };
  }

  /**
   * After a failed build: the next one loads its page in a new tab. A tab that cannot be closed
   * leaves the browser in doubt: it goes too, and the next build starts a new one.
   */
  async reset(): Promise<void> {
    const old = this.session;
    this.session = new PrintSession(this.launched.browser);
    if (!this.launched.alive()) return;
    try {
      await old.close();
    } catch {
      await this.launched.close();
    }
  }

  async close(): Promise<void> {
    await this.launched.close(); // the browser is killed with its tabs
  }
}

/** The edition folder and every folder inside it (not hidden ones, not `skip`'s). */
function folders(dir: string, skip: (d: string) => boolean): string[] {
  const out = [dir];
  try {
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory() && !e.name.startsWith('.') && !skip(path.join(dir, e.name)))
        out.push(...folders(path.join(dir, e.name), skip));
  } catch {
    /* gone meanwhile */
  }
  return out;
}

/** What a build writes into its out folder (hidden files, its state and temporary files, aside). */
const OUTPUT_FILES = new Set(['broadsheet.pdf', 'report.json', 'proof.png', 'changes.png', 'press.pdf', 'compose']);

/** A path with its symbolic links resolved, as far as it exists. */
function realOf(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    return path.join(realOf(path.dirname(abs)), path.basename(abs));
  }
}
