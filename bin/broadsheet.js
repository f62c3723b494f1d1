#!/usr/bin/env node
// The command line entry: the CLI is compiled and bundled into dist/ (npm run compile).
import { existsSync } from 'node:fs';
const main = new URL('../dist/bundle/cli.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('broadsheet is not compiled yet: run "npm run setup" (or "npm run compile") first.\n');
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
