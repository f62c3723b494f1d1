/**
 * The test command itself (scripts/test.js): run on the fixture files in test/fixtures/runner,
 * each of which breaks one rule, it must exit 1 with a FAIL line that names the file and the
 * reason; on the one that keeps every rule it must exit 0 (so this test can fail both ways).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../src/paths.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'runner');

function runner(fixture: string, env: Record<string, string> = {}, dir = FIXTURES) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'test.js'), '--dir', dir, `^${fixture}\\.test`], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('a file that keeps every rule passes: exit 0, its tests counted', () => {
  const r = runner('pass');
  assert.is(r.status, 0, r.out);
  assert.not.match(r.out, /^FAIL/m);
  // pass.test.js: two tests in suite "arithmetic" + one default test
  assert.match(r.out, /^tests: 3 passed, 0 failed/m);
});

const broken: [fixture: string, line: RegExp, env?: Record<string, string>][] = [
  ['hook-throws', /^FAIL hook-throws\.test\.js: test\(\): before hook threw: Error: the browser could not start$/m],
  [
    'after-throws',
    /^FAIL after-throws\.test\.js: suite "cleanup": after hook threw: Error: could not close the browser$/m,
  ],
  ['only', /^FAIL only\.test\.js: test\(\): \.only left in \("the one being debugged"\)$/m],
  ['empty', /^FAIL empty\.test\.js: suite "nothing yet": runs no tests$/m],
  ['not-run', /^FAIL not-run\.test\.js: suite "forgotten": 1 tests registered but \.run\(\) never called$/m],
  ['import-fails', /^FAIL import-fails\.test\.js: failed to import: Error: a module failed to load$/m],
  ['fails', /^FAIL fails\.test\.js: test\(\): test "one plus one" failed$/m],
  [
    'hang',
    /^FAIL hang\.test\.js: did not end within 2 s \(BROADSHEET_TEST_TIMEOUT\), stopped in test "never ends"$/m,
    { BROADSHEET_TEST_TIMEOUT: '2' },
  ],
  ['leaves-process', /^FAIL leaves-process\.test\.js: left 1 processes running: sleep \(\d+\)$/m],
  ['leaves-temp', /^FAIL leaves-temp\.test\.js: left 1 temporary entries: forgotten-/m],
];
for (const [fixture, line, env] of broken) {
  test(`${fixture}.test.js makes the run fail with its reason`, () => {
    const r = runner(fixture, env);
    assert.is(r.status, 1, r.out);
    assert.match(r.out, line);
    // the summary counts it and lists the failure again at the end
    assert.match(r.out, /^tests: \d+ passed, [1-9]\d* failed/m);
  });
}

test('the hook error of a real suite: the PDF tests without a browser fail the run', () => {
  const r = runner('pdf', { CHROME_PATH: '/nonexistent' }, path.join(ROOT, 'dist', 'test'));
  assert.is(r.status, 1, r.out);
  assert.match(r.out, /^FAIL pdf\.test\.js: test\(\): before hook threw: .*\/nonexistent/m);
});

test.run();
