/**
 * The command line: parse → run → one-line summary. Exit 0 on success, 1 on an input error
 * (the user's edition), 2 on a usage error; a bug in Broadsheet says "Internal error" (exit 3);
 * a fault of the machine (a missing tool or profile) exits 4.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { buildEdition, defaultOutDir } from '../pipeline.js';
import { InputError, MachineError, msg, pressMsg, UsageError } from '../messages.js';
import { existsSync, readFileSync } from 'node:fs';
import { ROOT } from '../paths.js';
import { terminalLogger } from '../log.js';
import { startWatch } from './watch.js';
import type { ChainReport } from '../check/report.js';
import { removePendingWrites } from '../output/write.js';
import { endEarlySignals, killAllBrowsers } from '../print/browser.js';
import { preflightCommand } from './preflight.js';

export const HELP = `broadsheet: an edition folder → a print-ready newspaper page (PDF)

Usage:
  broadsheet build <edition-folder> [options]
  broadsheet watch <edition-folder> [options]
  broadsheet preflight <pdf> [--profile newsprint] [--json]
  broadsheet --help | --version

build writes broadsheet.pdf and report.json into the output folder; after the first build it
also compares with the previous build there and reports what changed (changes.png boxes the
page regions that differ).
watch builds, then keeps the browser warm and rebuilds on every change to the edition's files;
a bad edit prints its error and the last good PDF stays in place.
preflight checks a PDF as a newspaper plant would (fonts, image resolution, page boxes, RGB or
spot colour, text on C/M/Y, hairlines, small text, ink over the limit, missing glyphs, overset)
and exits 1 when it fails.

Options:
  --out <folder>     output folder (default: out/<edition-folder-name>/)
  --allow-overset    build even when a story does not fit its frames; the overset point is
                     marked on the page and recorded in report.json (default: fail)
  --proof            also write proof.png: the page at screen resolution with the column and
                     baseline grid, frame outlines and names, and overset markers drawn over it
  --press            also write press.pdf: CMYK PDF/X-3 for the newsprint press (or the
                     printer's profile), with crop and registration marks and a slug line,
                     preflighted; errors stop it (exit 1). edition.yaml's "press:" does the same
  --profile <name>   preflight: the printing condition to check for (default: newsprint)
  --json             preflight: the findings as JSON
  --timeout <s>      give up after this many seconds (default: 120)
  --debug            show stack traces of errors
  -h, --help         this text
  -v, --version      the version

The browser is found in this order: $CHROME_PATH or $PUPPETEER_EXECUTABLE_PATH, Puppeteer's own
download, a system Chromium or Chrome. "npm run setup" installs Debian's chromium where none is found.

Exit codes: 0 success, 1 a problem in the edition (the message names file, place and fix) or
a PDF that fails preflight, 2 a wrong command line, 3 an internal error, 4 a fault of the
machine (a missing tool or press profile: the message says what to install or run).`;

export async function main(
  argv: string[],
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        'allow-overset': { type: 'boolean', default: false },
        proof: { type: 'boolean', default: false },
        press: { type: 'boolean', default: false },
        profile: { type: 'string' },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    }).valueOf() as { values: Record<string, string | boolean | undefined>; positionals: string[] };
    debug = values.debug === true;
    if (values.help) {
      out.write(HELP + '\n');
      return 0;
    }
    if (values.version) {
      out.write(
        `${(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`,
      );
      return 0;
    }
    const [command, edition, ...extra] = positionals;
    if (!command) throw msg.usage('no command given');
    if (command !== 'build' && command !== 'watch' && command !== 'preflight')
      throw msg.usage(`unknown command "${command}"`);
    if (command === 'preflight') {
      if (!edition) throw msg.usage('preflight needs a PDF, e.g. broadsheet preflight out/yuhu-2025/press.pdf');
      if (extra.length) throw msg.usage(`unexpected argument "${extra[0]}"`);
      return await preflightCommand(
        edition,
        { ...(typeof values.profile === 'string' ? { profile: values.profile } : {}), json: values.json === true },
        out,
      );
    }
    if (values.profile !== undefined || values.json) throw msg.usage('--profile and --json are options of preflight');
    if (!edition) throw msg.usage(`${command} needs an edition folder, e.g. broadsheet ${command} data/yuhu-2025`);
    if (extra.length) throw msg.usage(`unexpected argument "${extra[0]}"`);
    let timeoutMs: number | undefined;
    if (values.timeout !== undefined) {
      const s = Number(values.timeout);
      if (!Number.isFinite(s) || s <= 0)
        throw msg.usage(`--timeout takes a number of seconds, not "${String(values.timeout)}"`);
      timeoutMs = s * 1000;
    }
    const log = terminalLogger(err);
    const outDir = typeof values.out === 'string' ? values.out : defaultOutDir(edition);
    if (command === 'watch') {
      if (values.press) throw msg.usage('--press is an option of build (press: true in edition.yaml works in watch)');
      if (!existsSync(edition)) throw msg.editionMissing(edition);
      const w = await startWatch(edition, { outDir, allowOverset: values['allow-overset'] === true, log });
      await w.ready;
      log.info(msg.watching(edition));
      await new Promise<void>((resolve) => {
        const stop = () => void w.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        endEarlySignals();
      });
      return 0;
    }
    const onSignal = (sig: NodeJS.Signals) => {
      killAllBrowsers();
      removePendingWrites();
      err.write(msg.interrupted(sig));
      process.exit(130);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    endEarlySignals(); // after ours are in place: a signal already on its way is not lost
    const r = await buildEdition(edition, {
      outDir,
      allowOverset: values['allow-overset'] === true,
      proof: values.proof === true,
      press: values.press === true,
      log,
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    printChains(r.report.chains, err);
    if (r.report.changes) log.info(msg.changes(r.report.changes));
    if (r.report.press?.pdf)
      log.info(
        pressMsg.written(
          path.relative(process.cwd(), r.report.press.pdf) || r.report.press.pdf,
          r.report.press.ms.convert / 1000,
          r.report.press.maxInk,
          r.report.preflight?.warnings ?? 0,
        ),
      );
    const rel = path.relative(process.cwd(), r.pdfPath) || r.pdfPath;
    log.info(
      msg.summary(rel, r.report.output.pages, r.seconds, r.report.warnings.length) +
        ` (and ${path.basename(r.reportPath)})`,
    );
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`broadsheet: ${e.message}\n`);
      return 2;
    }
    if (isParseArgsError(e)) {
      err.write(`broadsheet: ${(e as Error).message}\nRun "broadsheet --help" for the options.\n`);
      return 2;
    }
    if (e instanceof InputError) {
      err.write(`\nerror: ${e.describe()}\n`);
      if (debug && e.stack) err.write(e.stack + '\n');
      return 1;
    }
    if (e instanceof MachineError) {
      err.write(`\nerror: ${e.describe()}\n`);
      if (debug && e.stack) err.write(e.stack + '\n');
      return 4;
    }
    err.write(`\n${msg.internal(e)}\n`);
    if (debug && e instanceof Error && e.stack) err.write(e.stack + '\n');
    return 3;
  }
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}

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
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    err.write(
      `  ${r
        .slice(0, 4)
        .map((c, i) => c.padEnd(w[i]!))
        .join('  ')}  ${r[4]}`.trimEnd() + '\n',
    );
}
