#!/usr/bin/env node
// The command line entry: the CLI is compiled and bundled into dist/ (npm run compile).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
const bundle = (name) => new URL(`../dist/bundle/${name}.cjs`, import.meta.url).pathname;
if (!existsSync(bundle('cli'))) {
  process.stderr.write('broadsheet is not compiled yet: run "npm run setup" (or "npm run compile") first.\n');
  process.exit(1);
}
const args = process.argv.slice(2);
// the commands that print (src/cli/main.ts lists them all) need Chromium: it is started now, so
// it boots while Node loads the command line
const PRINTING = ['build', 'watch', 'placeholders'];
if (PRINTING.includes(args[0]) && !args.includes('--help') && !args.includes('-h')) {
  createRequire(import.meta.url)(bundle('spawn')).spawnAhead();
}
// the command line, run from V8's code cache (src/code-cache.ts)
const { requireCached } = await import(new URL('../dist/src/code-cache.js', import.meta.url).href);
const { main } = requireCached(bundle('cli'));
process.exitCode = await main(args);
