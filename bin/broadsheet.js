#!/usr/bin/env node
// The command line entry: the compiled CLI lives in dist/ (npm run compile).
import { existsSync } from 'node:fs';
const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('broadsheet is not compiled yet: run "npm run setup" (or "npm run compile") first.\n');
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
