/**
 * broadsheet watch as users run it (bin/broadsheet.js): its browser killed between two saves,
 * the next save is rebuilt all the same (a new browser is started) and the PDF replaced.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/paths.js';
import { copyEdition, pdftext, squash, tempDir } from './helpers.js';
import { browserOf } from './processes.js';

test('watch: its browser killed, the next save is rebuilt with a new one and the PDF replaced', async () => {
  const dir = copyEdition();
  const out = tempDir('watch-kill-');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), 'watch', dir, '--out', out], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const waitFor = async (what: string, cond: () => boolean) => {
    for (const until = Date.now() + 60_000; !cond(); await new Promise((r) => setTimeout(r, 50)))
      if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${what}:\n${err}`);
  };
  try {
    await waitFor('first build', () => /watching .* for changes/.test(err));
    const pdf = path.join(out, 'broadsheet.pdf');
    const first = statSync(pdf).mtimeMs;
    const pid = browserOf(child.pid ?? 0);
    assert.ok(pid, 'watch runs a browser');
    process.kill(-pid, 'SIGKILL'); // the browser and every process it started
    await waitFor('the browser gone', () => browserOf(child.pid ?? 0) === undefined);

    const n = err.length;
    const file = path.join(dir, 'figures.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('sanitation_blocks: { value: 26,', 'sanitation_blocks: { value: 27,'),
    );
    await waitFor('the rebuild', () => /^rebuilt /m.test(err.slice(n)) || /^error: /m.test(err.slice(n)));
    assert.match(err.slice(n), /the browser had stopped; a new one is started for this build/, err);
    assert.match(err.slice(n), /^rebuilt .*broadsheet\.pdf in \d+ ms/m);
    assert.ok(statSync(pdf).mtimeMs > first, 'the PDF was replaced');
    assert.ok(squash(pdftext(pdf, '-raw')).includes('27个创卫示范区块'), 'with the saved figure');
    assert.ok(browserOf(child.pid ?? 0), 'a new browser runs');
  } finally {
    child.kill('SIGINT');
  }
  const code = await new Promise<number | null>((r) =>
    child.exitCode !== null ? r(child.exitCode) : child.on('close', r),
  );
  assert.is(code, 0, err);
});

test.run();
