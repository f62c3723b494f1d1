// Build-time tables, kept in dist/generated and made by `npm run compile` (after tsc), so no
// build pays for them: vega-lite's own JSON schema compiled to a standalone validator (ajv takes
// seconds) and its V8 code cache; the edition's schemas compiled the same way; the font files
// of each face and the code points they serve; the page templates precompiled; chart text widths.
// Compiles vega-lite's schema only when vega-lite's version changes.
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
    strict: false,
    allErrors: true,
    code: { source: true },
    formats: { uri: true, 'uri-reference': true, 'color-hex': true },
  });
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, stamp + standalone(ajv, validate));
}

// V8's code cache of that validator, made by running it on the sample's charts: a build loads
// and first uses it in a fraction of the time (src/code-cache.ts).
{
  const { makeCodeCache } = await import('../dist/src/code-cache.js');
  const { readdirSync } = await import('node:fs');
  const dir = 'data/yuhu-2025/charts';
  const specs = readdirSync(dir)
    .filter((f) => f.endsWith('.vl.json'))
    .map((f) => ({ ...JSON.parse(readFileSync(path.join(dir, f), 'utf8')), data: { values: [{ a: 1, b: 'x' }] } }));
  makeCodeCache(out, (m) => {
    const validate = m.default ?? m;
    for (const spec of specs) validate(spec);
  });
}

// The edition's own schemas (schemas/*.schema.json), compiled the same way: a build loads
// validators instead of compiling four schemas (src/load/structured.ts). Remade when a schema changes.
{
  const { createHash } = await import('node:crypto');
  const { readdirSync } = await import('node:fs');
  for (const name of readdirSync('schemas').filter((f) => f.endsWith('.schema.json'))) {
    const text = readFileSync(path.join('schemas', name), 'utf8');
    const target = path.resolve('dist/generated', name.replace(/\.json$/, '.cjs'));
    const hash = `// ${createHash('sha256').update(text).digest('hex')}\n`;
    if (existsSync(target) && readFileSync(target, 'utf8').startsWith(hash)) continue;
    const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, code: { source: true } });
    writeFileSync(target, hash + standalone(ajv, ajv.compile(JSON.parse(text))));
  }
}

// Where Puppeteer's installer puts the browsers it downloads, relative to its cache folder (the
// build this Puppeteer pins, this platform), asked of Puppeteer's public executablePath(): the
// browser is started before Puppeteer loads (src/print/spawn.ts). Puppeteer reads its settings
// from the environment when it loads: a placeholder cache folder, and no browser set.
{
  const token = path.join(path.sep, 'broadsheet-cache-dir');
  const keys = ['PUPPETEER_CACHE_DIR', 'PUPPETEER_EXECUTABLE_PATH'];
  const saved = keys.map((k) => process.env[k]);
  process.env.PUPPETEER_CACHE_DIR = token;
  delete process.env.PUPPETEER_EXECUTABLE_PATH;
  const { default: puppeteer } = await import('puppeteer');
  keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
  const where = (headless) => path.relative(token, puppeteer.executablePath({ headless }));
  writeFileSync(
    'dist/generated/downloaded-browsers.json',
    JSON.stringify({ shell: where('shell'), chrome: where(true) }),
  );
}

// The code points each face has a glyph for (src/fonts/faces.ts reads this instead of opening
// 15 MB font files on every build); made again when a font package changes.
const { FACES, FONT_TABLES, faceKey, fontFile, toRanges } = await import('../dist/src/fonts/faces.js');
const { fileStamp } = await import('../dist/src/disk-cache.js');
const fontkit = await import('fontkit');
const fontStamp = Object.values(FACES)
  .map((f) => fileStamp(fontFile(f)))
  .join('|');
{
  if (!existsSync(FONT_TABLES) || JSON.parse(readFileSync(FONT_TABLES, 'utf8')).stamp !== fontStamp) {
    const table = { stamp: fontStamp };
    for (const face of Object.values(FACES))
      table[faceKey(face)] = toRanges(fontkit.create(readFileSync(fontFile(face))).characterSet);
    writeFileSync(FONT_TABLES, JSON.stringify(table));
  }
}

// The page templates, precompiled (src/compose/compose.ts runs them with Handlebars' runtime).
{
  const { default: Handlebars } = await import('handlebars');
  const { readdirSync } = await import('node:fs');
  const sources = [
    // page.hbs, handout.hbs: the documents; partials/: the broadsheet's frames
    ...readdirSync('templates')
      .filter((f) => f.endsWith('.hbs'))
      .map((f) => [f.replace(/\.hbs$/, ''), `templates/${f}`]),
    ...readdirSync('templates/partials')
      .filter((f) => f.endsWith('.hbs'))
      .map((f) => [f.replace(/\.hbs$/, ''), `templates/partials/${f}`]),
  ];
  const body = sources
    .map(([name, file]) => `  ${JSON.stringify(name)}: ${Handlebars.precompile(readFileSync(file, 'utf8'))}`)
    .join(',\n');
  writeFileSync(
    'dist/generated/templates.cjs',
    `// made from templates/ by scripts/build-tables.mjs\nmodule.exports = {\n${body}\n};\n`,
  );
}

// Advance widths (em) of the chart face for the characters charts print besides ideographs
// (ASCII, Latin-1, general punctuation such as “” and …, arrows, maths signs such as −,
// enclosed numbers, geometric shapes), measured on the page's own font files, so a build
// measures chart text without opening a font file (src/charts/metrics.ts).
const metricsOut = path.resolve('dist/generated/chart-metrics.json');
const RANGES = [
  [0x20, 0xff],
  [0x2000, 0x206f],
  [0x2190, 0x21ff],
  [0x2200, 0x22ff],
  [0x2460, 0x24ff],
  [0x25a0, 0x25ff],
];
const metricsStamp = JSON.stringify(RANGES) + fontStamp;
if (!existsSync(metricsOut) || JSON.parse(readFileSync(metricsOut, 'utf8')).ranges !== metricsStamp) {
  const table = { ranges: metricsStamp };
  for (const face of [FACES.sans, FACES.sansBold]) {
    const font = fontkit.create(readFileSync(fontFile(face)));
    const w = {};
    for (const [from, to] of RANGES) {
      for (let cp = from; cp <= to; cp++)
        if (font.hasGlyphForCodePoint(cp)) w[cp] = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
    }
    table[face.weight] = { widths: w };
  }
  writeFileSync(metricsOut, JSON.stringify(table));
}

// The same advance widths for every face of the page (src/fonts/widths.ts: the headline group
// and heads are measured in Node, and a build opens no font file for a byline's space or a
// kicker's middle dot).
const widthsOut = path.resolve('dist/generated/face-widths.json');
if (!existsSync(widthsOut) || JSON.parse(readFileSync(widthsOut, 'utf8')).ranges !== metricsStamp) {
  const table = { ranges: metricsStamp };
  for (const [name, face] of Object.entries(FACES)) {
    const font = fontkit.create(readFileSync(fontFile(face)));
    const w = {};
    for (const [from, to] of RANGES)
      for (let cp = from; cp <= to; cp++)
        if (font.hasGlyphForCodePoint(cp)) w[cp] = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
    table[name] = w;
  }
  writeFileSync(widthsOut, JSON.stringify(table));
}
