/**
 * broadsheet handouts <edition> --each <table.csv> [--name <column>] [--out <folder>]
 * [--shard i/n] [--paper a4] [--tabs n]: one handout per row of the table (handout/batch.ts),
 * a progress line on stderr, a summary JSON beside the PDFs; exit 1 when any row failed.
 */
import os from 'node:os';
import path from 'node:path';
import { loadEdition } from '../load/edition.js';
import { msg } from '../messages.js';
import { launchBrowser } from '../print/browser.js';
import { parseShard, readRows, runBatch, summaryPath } from '../handout/batch.js';
import { handoutSettings } from '../handout/stage.js';
import type { Command } from './command.js';
import { onInterrupt } from './interrupt.js';

export const handouts: Command = {
  options: {
    each: { type: 'string' },
    name: { type: 'string' },
    shard: { type: 'string' },
    paper: { type: 'string' },
    tabs: { type: 'string' },
  },
  async run({ edition, common, values, log, err }) {
    if (typeof values.each !== 'string') throw msg.handout.eachMissing();
    const shard = typeof values.shard === 'string' ? parseShard(values.shard) : undefined;
    const tabs = typeof values.tabs === 'string' ? Number(values.tabs) : Math.max(1, os.cpus().length);
    if (!Number.isInteger(tabs) || tabs < 1 || tabs > 16)
      throw msg.usage(`--tabs takes a number of tabs from 1 to 16, not "${String(values.tabs)}"`);
    const ed = loadEdition(edition);
    const settings = handoutSettings(ed, true, typeof values.paper === 'string' ? values.paper : undefined)!;
    const table = readRows(values.each, typeof values.name === 'string' ? values.name : undefined);
    // by default beside the edition's build output, in a folder of their own
    const outDir = typeof values.out === 'string' ? common.outDir : path.join(common.outDir, 'handouts');
    const handled = onInterrupt(err);
    const launched = await launchBrowser();
    const tty = err.isTTY === true;
    let lastLine = 0;
    try {
      const s = await runBatch({
        ed,
        table,
        settings,
        outDir,
        ...(shard ? { shard } : {}),
        tabs,
        launched,
        progress(done, total, failed, skipped, left) {
          const line = msg.handout.progress(done, total, failed, skipped, left);
          if (tty) err.write(`\r\x1b[2K${line}`);
          else if (done === total || performance.now() - lastLine > 5000) {
            err.write(line + '\n');
            lastLine = performance.now();
          }
        },
      });
      if (tty) err.write('\r\x1b[2K');
      for (const r of s.rows.filter((x) => x.status === 'failed'))
        log.warn(msg.handout.rowFailed(r.row, r.name, r.error ?? ''));
      const file = summaryPath(outDir, shard);
      log.info(
        msg.handout.summary(
          s.made,
          s.unchanged,
          s.failed,
          s.rows.length,
          s.seconds,
          path.relative(process.cwd(), file) || file,
        ),
      );
      return s.failed ? 1 : 0;
    } finally {
      await launched.close();
      handled();
    }
  },
};
