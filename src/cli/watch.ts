/**
 * broadsheet watch <edition>: keeps the browser and the page warm and rebuilds on every change
 * to the edition's files. A bad edit prints its error and keeps watching; the last good PDF
 * stays in place (output is written only by a build that succeeds).
 */
import { readdirSync, watch as watchFs, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { buildEdition, type BuildResult } from '../pipeline.js';
import { launchBrowser } from '../print/browser.js';
import { PrintSession } from '../print/render.js';
import { InputError, MachineError, msg } from '../messages.js';
import type { Logger } from '../log.js';

export interface WatchOptions {
  outDir: string;
  allowOverset: boolean;
  log: Logger;
  debounceMs?: number;
}

export interface Watcher {
  /** resolves after the first build (good or bad) */
  ready: Promise<void>;
  /** one rebuild now, as a change would trigger it */
  rebuild(): Promise<BuildResult | undefined>;
  close(): Promise<void>;
}

export async function startWatch(edition: string, o: WatchOptions): Promise<Watcher> {
  const launched = await launchBrowser();
  const session = new PrintSession(launched.browser);
  let running: Promise<BuildResult | undefined> = Promise.resolve(undefined);
  let again = false;
  let building = false;

  const once = async (): Promise<BuildResult | undefined> => {
    const t0 = performance.now();
    try {
      const r = await buildEdition(edition, { outDir: o.outDir, allowOverset: o.allowOverset, session, log: o.log });
      o.log.info(
        `${msg.rebuilt(Math.round(performance.now() - t0), path.relative(process.cwd(), r.pdfPath))}${r.report.changes ? `\n  ${msg.changes(r.report.changes)}` : ''}`,
      );
      return r;
    } catch (e) {
      // a fault of the edition, or of the machine (a press tool missing): said, and watching goes on
      if (!(e instanceof InputError) && !(e instanceof MachineError)) throw e;
      o.log.info(`error: ${e.describe()}\n${msg.keptLastGood()}`);
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
  const changed = (file: string | Buffer | null) => {
    if (file && /(^|\/)\.|~$|\.swp$/.test(String(file))) return; // editors' temporary files
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
    for (const d of folders(edition)) {
      if (watchers.has(d)) continue;
      try {
        const w = watchFs(d, (_event, file) => changed(file));
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
      await running.catch(() => undefined);
      await session.close();
      await launched.close();
    },
  };
}

/** The edition folder and every folder inside it (not hidden ones). */
function folders(dir: string): string[] {
  const out = [dir];
  try {
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory() && !e.name.startsWith('.')) out.push(...folders(path.join(dir, e.name)));
  } catch {
    /* gone meanwhile */
  }
  return out;
}
