// Runs the uvu suites compiled into dist/test and ends with one plain line "N passed, N failed".
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// uvu's exports map hides its CLI; it sits beside its package.json
const uvu = fileURLToPath(new URL('../node_modules/uvu/bin.js', import.meta.url));
const args = [uvu, 'dist/test', '\\.test\\.js$', ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
});
child.on('close', (code) => {
  // eslint-disable-next-line no-control-regex -- uvu's colours
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0);
  const failed = Math.max(0, total - passed - skipped);
  console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code ?? 1);
});
