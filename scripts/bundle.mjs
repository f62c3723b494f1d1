/**
 * Bundles the command line and the chart worker into one file each (dist/bundle/), so a cold
 * build reads two files instead of resolving and loading some 1,500 modules: on these 2-core
 * machines that is about a second of CPU (npm run bench). Tests import the unbundled dist/src.
 * The browser process module (src/print/spawn.ts) is a bundle of its own that the CLI bundle
 * imports, not a copy: bin/broadsheet.js starts Chromium with it before loading the CLI, and
 * both must see the same processes to kill them.
 */
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli/main.ts', worker: 'src/charts/worker.ts', spawn: 'src/print/spawn.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // optional native helpers of ws and the BiDi protocol (we speak CDP) stay out
  external: ['bufferutil', 'utf-8-validate', 'chromium-bidi', 'chromium-bidi/*'],
  // CommonJS dependencies call require(): give the ESM bundle one
  banner: { js: "import { createRequire as __broadsheetRequire } from 'node:module'; const require = __broadsheetRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [
    {
      name: 'shared-spawn',
      setup(b) {
        b.onResolve({ filter: /^\.\/spawn\.js$/ }, (a) => (a.importer.endsWith('browser.ts') ? { path: './spawn.js', external: true } : undefined));
      },
    },
  ],
});
