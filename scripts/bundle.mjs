/**
 * Bundles the command line and the chart worker into one CommonJS file each (dist/bundle/), and
 * makes V8's code cache of each (src/code-cache.ts): a cold build then reads and runs two
 * precompiled files instead of resolving, parsing and compiling some 1,500 modules (the README's
 * speed section has the figures). Tests import the unbundled dist/src.
 *
 * - The page script (src/layout/page, run in Chromium) is one ES module of its own,
 *   dist/bundle/page.js: the page loads one file, not one per module.
 * - The browser process module (src/print/spawn.ts) is a bundle of its own that the CLI bundle
 *   requires, not a copy: bin/broadsheet.js starts Chromium with it before loading the CLI, and
 *   both must see the same processes to kill them.
 * - dist/bundle/worker.js is the worker's entry: it runs worker.cjs from its code cache.
 * - vega-canvas's Node build awaits an optional native 'canvas' package at load (not allowed in
 *   CommonJS); its browser build is the same without that package, which we never install:
 *   charts are drawn as SVG with our own text metrics.
 */
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

await build({
  entryPoints: { cli: 'src/cli/main.ts', worker: 'src/charts/worker.ts', spawn: 'src/print/spawn.ts' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // optional native helpers of ws and the BiDi protocol (we speak CDP) stay out, and so does
  // TypeScript, which Puppeteer's settings loader (cosmiconfig) needs only for a .puppeteerrc.ts
  external: ['bufferutil', 'utf-8-validate', 'chromium-bidi', 'chromium-bidi/*', 'typescript'],
  alias: { 'vega-canvas': path.resolve('node_modules/vega-canvas/build/vega-canvas.browser.js') },
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [
    {
      name: 'shared-spawn',
      setup(b) {
        b.onResolve({ filter: /^\.\/spawn\.js$/ }, (a) =>
          a.importer.endsWith('browser.ts') ? { path: './spawn.cjs', external: true } : undefined,
        );
      },
    },
  ],
});

await build({
  // the broadsheet page's script, and the handout's (its line fitting only)
  entryPoints: { page: 'src/layout/page/main.ts', handout: 'src/layout/page/handout.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  logLevel: 'warning',
});

writeFileSync(
  'dist/bundle/worker.js',
  "// the chart worker's entry (scripts/bundle.mjs): worker.cjs run from V8's code cache\n" +
    "import { requireCached } from '../src/code-cache.js';\n" +
    "requireCached(new URL('./worker.cjs', import.meta.url).pathname);\n",
);

const { makeCodeCache } = await import('../dist/src/code-cache.js');
for (const name of ['cli', 'worker', 'spawn']) makeCodeCache(path.resolve(`dist/bundle/${name}.cjs`));
