/**
 * What a command of the command line gets, and what it is: main.ts parses the command line and
 * hands the edition folder and the options to the command's module (build.ts, watch.ts). A new
 * command is a module exporting a Command, listed in main.ts's COMMANDS.
 */
import type { ParseArgsConfig } from 'node:util';
import type { Logger } from '../log.js';

/** The options every command understands (parsed and checked by main.ts). */
export interface CommonOptions {
  /** the output folder (default: out/<edition-folder-name>/) */
  outDir: string;
  debug: boolean;
  /** a build's deadline in ms (--timeout) */
  timeoutMs?: number;
}

export interface CommandContext {
  /** the edition folder, as given */
  edition: string;
  common: CommonOptions;
  /** the command's own options (Command.options), as parsed */
  values: Record<string, string | boolean | undefined>;
  log: Logger;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
}

export interface Command {
  /** options of this command besides the common ones, in node:util parseArgs' form */
  options: NonNullable<ParseArgsConfig['options']>;
  /** runs the command; resolves to the exit code (errors are thrown: main.ts reports them) */
  run(c: CommandContext): Promise<number>;
}
