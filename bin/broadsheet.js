#!/usr/bin/env node
// The command line entry: the CLI is compiled and bundled into dist/ (npm run compile).
import { existsSync } from 'node:fs';
const main = new URL('../dist/bundle/cli.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('broadsheet is not compiled yet: run "npm run setup" (or "npm run compile") first.\n');
  process.exit(1);
}
const args = process.argv.slice(2);
// a build needs Chromium: start it now, so it boots while Node loads the command line
if ((args[0] === 'build' || args[0] === 'watch') && !args.includes('--help') && !args.includes('-h')) {
  const { spawnAhead } = await import(new URL('../dist/bundle/spawn.js', import.meta.url).href);
  spawnAhead();
}
const { main: run } = await import(main.href);
process.exitCode = await run(args);
