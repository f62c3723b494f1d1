/**
 * The command line: parse, dispatch to the command's module (build.ts, watch.ts, placeholders.ts,
 * compose.ts on an edition folder; preflight.ts on a PDF), and turn what ends it into an exit code and a
 * message (messages.ts: one error class per exit code). No stack trace reaches a user unless
 * --debug asks for it.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { defaultOutDir } from '../pipeline.js';
import { exitCodeOf, HELP, InputError, MachineError, MAX_TIMEOUT_S, msg, UsageError } from '../messages.js';
import { ROOT } from '../paths.js';
import { terminalLogger } from '../log.js';
import type { Command, CommonOptions, FileCommand } from './command.js';
import { build } from './build.js';
import { watch } from './watch.js';
import { placeholders } from './placeholders.js';
import { compose } from './compose.js';
import { preflight } from './preflight.js';
import { handouts } from './handouts.js';

/** Every command, by the name typed after `broadsheet`. */
const COMMANDS: Record<string, Command | FileCommand> = { build, watch, placeholders, compose, preflight, handouts };

/** The options every command takes. */
const COMMON = {
  out: { type: 'string' },
  timeout: { type: 'string' },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

export async function main(
  argv: string[],
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    // the command first (its own options are known only then), then the whole line, strictly
    const name = parseArgs({ args: argv, allowPositionals: true, strict: false, options: COMMON }).positionals[0];
    const command = name === undefined ? undefined : COMMANDS[name];
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...COMMON, ...command?.options },
    });
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
    const [, edition, ...extra] = positionals;
    if (name === undefined) throw msg.usage('no command given');
    if (!command) throw msg.usage(`unknown command "${name}"`);
    const needs = 'file' in command ? command.file : { what: 'an edition folder', example: 'data/yuhu-2025' };
    if (!edition) throw msg.argumentMissing(name, needs.what, needs.example);
    if (extra[0] !== undefined) throw msg.usage(`unexpected argument "${extra[0]}"`);
    const io = { values, log: terminalLogger(err), out, err };
    if ('file' in command) return await command.run({ file: edition, ...io });
    if (!existsSync(edition)) throw msg.editionMissing(edition);
    const common: CommonOptions = {
      outDir: values.out ?? defaultOutDir(edition),
      debug: values.debug,
      ...timeoutOf(values.timeout),
    };
    return await command.run({ edition, common, ...io });
  } catch (e) {
    return report(e, err, debug);
  }
}

/** --timeout <s>: a number of seconds a timer can wait for. */
function timeoutOf(value: string | undefined): { timeoutMs?: number } {
  if (value === undefined) return {};
  const s = Number(value);
  if (!Number.isFinite(s) || s <= 0) throw msg.usage(`--timeout takes a number of seconds, not "${value}"`);
  if (s > MAX_TIMEOUT_S) throw msg.timeoutTooLong(value);
  return { timeoutMs: s * 1000 };
}

/** The message for what ended the command, and its exit code. */
function report(e: unknown, err: NodeJS.WriteStream, debug: boolean): number {
  if (e instanceof UsageError) err.write(`broadsheet: ${e.message}\n`);
  else if (isParseArgsError(e)) err.write(`broadsheet: ${e.message}\nRun "broadsheet --help" for the options.\n`);
  else if (e instanceof InputError || e instanceof MachineError) err.write(`\nerror: ${e.describe()}\n`);
  else err.write(`\n${msg.internal(e)}\n`);
  if (debug && e instanceof Error && e.stack && !(e instanceof UsageError)) err.write(e.stack + '\n');
  return isParseArgsError(e) ? 2 : exitCodeOf(e);
}

function isParseArgsError(e: unknown): e is Error {
  return e instanceof Error && ((e as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS');
}
