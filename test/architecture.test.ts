/**
 * The design, checked on the source: imports follow the pipeline, with no cycle; messages.ts
 * depends on no stage; the page code (run in Chromium) imports nothing of Node's; dependencies
 * are reached through their public entry points.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/paths.js';
import { PRESETS } from '../src/layout/presets.js';

const SRC = path.join(ROOT, 'src');
const files: string[] = [];
const walk = (d: string): void => {
  for (const f of readdirSync(d)) {
    const p = path.join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) files.push(path.relative(SRC, p));
  }
};
walk(SRC);

/** Each file's imports: relative ones as paths under src/, others as written. */
const imports = new Map(
  files.map((f) => {
    const text = readFileSync(path.join(SRC, f), 'utf8');
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+'([^']+)'/gm)].map((m) => m[1] ?? '');
    const resolved = specs.map((s) =>
      s.startsWith('.')
        ? path.relative(SRC, path.resolve(path.dirname(path.join(SRC, f)), s)).replace(/\.js$/, '.ts')
        : s,
    );
    return [f, resolved] as const;
  }),
);
const local = (f: string) => (imports.get(f) ?? []).filter((i) => files.includes(i));

test('no import cycle in src/', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, trail: string[]): void => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(f)), f].join(' → '));
      return;
    }
    state.set(f, 'open');
    for (const g of local(f)) visit(g, [...trail, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
  assert.equal(cycles, []);
});

test('messages.ts imports nothing of the project; the stages import it', () => {
  assert.equal(local('messages.ts'), []);
  assert.ok(files.filter((f) => local(f).includes('messages.ts')).length > 10);
});

test('stages depend on earlier stages only', () => {
  // the pipeline's order; a stage may import its own folder and those before it (or none)
  // (fonts: the faces and their files, which the charts measure with and compose plans)
  const order = ['load', 'bind', 'layout', 'fonts', 'charts', 'compose', 'print', 'check', 'press', 'output'];
  const stage = (f: string) => order.indexOf(f.split('/')[0] ?? '');
  const wrong = files.flatMap((f) =>
    stage(f) < 0 || f.startsWith('output/')
      ? []
      : local(f)
          .filter((g) => stage(g) > stage(f) && !g.startsWith('output/'))
          .map((g) => `${f} → ${g}`),
  );
  assert.equal(wrong, []);
});

test('the page code imports only itself: no Node module, nothing outside its folder', () => {
  const page = files.filter((f) => f.startsWith('layout/page/'));
  assert.ok(page.includes('layout/page/protocol.ts') && page.includes('layout/page/linebreak.ts'));
  const outside = page.flatMap((f) =>
    (imports.get(f) ?? []).filter((i) => !i.startsWith('layout/page/')).map((i) => `${f} → ${i}`),
  );
  assert.equal(outside, []);
});

test("dependencies are imported through their public entry points (no '/internal/', no deep paths)", () => {
  const deep = files.flatMap((f) =>
    (imports.get(f) ?? [])
      .filter((i) => !files.includes(i) && !i.startsWith('node:'))
      .filter((i) => /\/internal\/|\/lib\/|\/dist\//.test(i) || i.startsWith('puppeteer-core'))
      .map((i) => `${f} → ${i}`),
  );
  assert.equal(deep, []);
});

test('the presets an edition may name (its schema) are the presets the layout stage defines', () => {
  const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/edition.schema.json'), 'utf8')) as {
    properties: { preset: { enum: string[] } };
  };
  assert.equal([...schema.properties.preset.enum].sort(), Object.keys(PRESETS).sort());
});

test.run();
