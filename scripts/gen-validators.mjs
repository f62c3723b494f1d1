// Build-time tables, made once and kept in dist/generated:
// Compiles vega-lite's own JSON schema into a standalone validator module once (ajv takes
// about 3 s to compile it, far too long to pay on every build). Run by `npm run compile`.
import AjvModule from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const Ajv = AjvModule.default ?? AjvModule;
const standalone = standaloneModule.default ?? standaloneModule;
// vega-lite's exports map hides its files: find the package folder from its main entry
let vlDir = path.dirname(require.resolve('vega-lite'));
while (!existsSync(path.join(vlDir, 'package.json'))) vlDir = path.dirname(vlDir);
const schemaPath = path.join(vlDir, 'build/vega-lite-schema.json');
const version = JSON.parse(readFileSync(path.join(vlDir, 'package.json'), 'utf8')).version;
const out = path.resolve('dist/generated/vega-lite-validate.cjs');
const stamp = `// vega-lite ${version}\n`;
if (!(existsSync(out) && readFileSync(out, 'utf8').startsWith(stamp))) {
  const ajv = new Ajv({
    strict: false, allErrors: true, code: { source: true },
    formats: { uri: true, 'uri-reference': true, 'color-hex': true },
  });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, stamp + standalone(ajv, validate));
}

// Advance widths (em) of the chart face for printable ASCII and Latin-1, so chart text can be
// measured without decoding font files at build time (src/charts/metrics.ts).
const metricsOut = path.resolve('dist/generated/chart-metrics.json');
if (!existsSync(metricsOut)) {
  const fontkit = await import('fontkit');
  const sansDir = path.dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
  const table = {};
  for (const weight of [400, 700]) {
    const file = `noto-sans-sc-latin-${weight}-normal.woff2`;
    const font = fontkit.create(readFileSync(path.join(sansDir, 'files', file)));
    const w = {};
    for (let cp = 0x20; cp <= 0xff; cp++) if (font.hasGlyphForCodePoint(cp)) w[cp] = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
    table[weight] = { file, widths: w };
  }
  writeFileSync(metricsOut, JSON.stringify(table));
}
