/**
 * What a command of the command line gets, and what it is: main.ts parses the command line and
 * hands the edition folder and the options to the command's module (build.ts, watch.ts). A
 * command whose argument is not an edition folder says what it is (preflight: a PDF) and gets
 * it as a file. A new command is a module exporting a Command, listed in main.ts's COMMANDS.
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

/** What a command on a file gets: the file, as given, and the options (no output folder). */
export interface FileContext extends Omit<CommandContext, 'edition' | 'common'> {
  file: string;
}

/** A command on an edition folder (build, watch, placeholders): main.ts checks that the folder exists. */
export interface Command {
  /** options of this command besides the common ones, in node:util parseArgs' form */
  options: NonNullable<ParseArgsConfig['options']>;
  /** runs the command; resolves to the exit code (errors are thrown: main.ts reports them) */
  run(c: CommandContext): Promise<number>;
}

/** A command whose argument is a file, not an edition folder (preflight: a PDF); it reads the file itself. */
export interface FileCommand {
  /** what the argument is and an example, for the message when it is missing */
  file: { what: string; example: string };
  options: NonNullable<ParseArgsConfig['options']>;
  run(c: FileContext): Promise<number>;
}
