/**
 * broadsheet build <edition>: one build, its chains' fit as a short table, one summary line (and
 * one for press.pdf, with --press or edition.yaml's `press:`).
 */
import path from 'node:path';
import { buildEdition } from '../pipeline.js';
import type { ChainReport } from '../check/report.js';
import { msg } from '../messages.js';
import type { Command } from './command.js';
import { onInterrupt } from './interrupt.js';

export const build: Command = {
  options: {
    'allow-overset': { type: 'boolean', default: false },
    'allow-overflow': { type: 'boolean', default: false },
    proof: { type: 'boolean', default: false },
    press: { type: 'boolean', default: false },
    handout: { type: 'boolean', default: false },
    paper: { type: 'string' },
  },
  async run({ edition, common, values, log, err }) {
    // Ctrl-C: the browser and its profile go, no temporary file stays, the previous output is kept
    const handled = onInterrupt(err);
    try {
      const r = await buildEdition(edition, {
        outDir: common.outDir,
        allowOverset: values['allow-overset'] === true,
        allowOverflow: values['allow-overflow'] === true,
        proof: values.proof === true,
        press: values.press === true,
        handout: values.handout === true,
        ...(typeof values.paper === 'string' ? { paper: values.paper } : {}),
        log,
        ...(common.timeoutMs ? { timeoutMs: common.timeoutMs } : {}),
      });
      printChains(r.report.chains, err);
      if (r.report.changes) log.info(msg.changes(r.report.changes));
      const press = r.report.press;
      if (press?.pdf)
        log.info(
          msg.press.written(
            path.relative(process.cwd(), press.pdf) || press.pdf,
            press.ms.convert / 1000,
            press.maxInk,
            r.report.preflight?.warnings ?? 0,
          ),
        );
      const handout = r.report.handout;
      if (handout)
        log.info(
          msg.handout.written(
            path.relative(process.cwd(), handout.pdf) || handout.pdf,
            handout.pages,
            handout.paper,
            (handout.ms.charts! + handout.ms.compose! + handout.ms.print! + handout.ms.finish!) / 1000,
          ),
        );
      const rel = path.relative(process.cwd(), r.pdfPath) || r.pdfPath;
      log.info(
        msg.summary(rel, r.report.output.pages, r.seconds, r.report.warnings.length) +
          ` (and ${path.basename(r.reportPath)})`,
      );
      return 0;
    } finally {
      handled();
    }
  },
};

/** Each chain's fit, one row each: id, status, what is over or empty, frames, copy-fit. */
function printChains(chains: Omit<ChainReport, 'texts'>[], err: NodeJS.WriteStream): void {
  const rows = chains.map((c) => [
    c.id,
    c.status,
    c.status === 'overset' ? `${c.oversetChars} 字 / ${c.oversetLines} lines over` : `${c.emptyLines} empty lines`,
    `${c.frames.length} frames`,
    c.copyFit
      ? msg.copyFitted(c.id, c.copyFit.frame, c.copyFit.fromLines, c.copyFit.toLines).replace(/^story "[^"]+": /, '')
      : '',
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  for (const r of rows) {
    const cells = widths.map((w, i) => (r[i] ?? '').padEnd(w)).join('  ');
    err.write(`  ${cells}  ${r[4] ?? ''}`.trimEnd() + '\n');
  }
}
