/** Charts: vector SVG with the page's fonts and real text widths; nothing loaded from outside. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderChart } from '../src/charts/render.js';
import { measure } from '../src/charts/metrics.js';
import { bind } from '../src/bind/figures.js';
import { loadEdition } from '../src/load/edition.js';
import { SANS } from '../src/fonts/faces.js';
import { copyEdition, edit, expectInputErrorAsync, SAMPLE, tempDir } from './helpers.js';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../src/disk-cache.js';

const size = { widthPx: 330, heightPx: 180 };

test('the GDP chart is vector SVG whose labels are text, bound to the figures', async () => {
  const ed = loadEdition(SAMPLE);
  const c = await renderChart(ed.charts.get('gdp')!, bind(ed).tables, size);
  assert.ok(c.svg.startsWith('<svg'));
  assert.not.match(c.svg, /<image|<foreignObject|<script/);
  assert.ok(c.texts.includes('2020年') && c.texts.includes('2025年'), c.texts.join('|'));
  assert.ok(c.texts.includes('646.8') && c.texts.includes('900'));
  assert.match(c.svg, new RegExp(`font-family="${SANS}"`));
});

test('a drawn chart is kept on disk by its bound data and size; a damaged entry is drawn again', async () => {
  const saved = process.env.BROADSHEET_CACHE; // the test run's own cache (scripts/test.js)
  process.env.BROADSHEET_CACHE = tempDir('chart-cache-');
  const entries = () => readdirSync(path.join(cacheDir(), 'charts')).sort();
  try {
    const ed = loadEdition(SAMPLE);
    const src = ed.charts.get('gdp')!;
    const tables = bind(ed).tables;
    const small = { widthPx: 301, heightPx: 171 }; // a size no other test draws, so nothing is in memory
    const first = await renderChart(src, tables, small);
    const [entry] = entries();
    assert.ok(entry, 'one entry');
    // the next build (another chart id, so not this process's memory) takes the entry as it is:
    // marked here to see that it was used
    const file = path.join(cacheDir(), 'charts', entry);
    writeFileSync(file, readFileSync(file, 'utf8').replace('>646.8<', '>646.8 (kept)<'));
    const kept = await renderChart({ ...src, id: 'gdp-again' }, tables, small);
    assert.ok(kept.svg.includes('646.8 (kept)'));
    // damaged: drawn again, the same as the first time
    writeFileSync(file, '{"svg": 12');
    const redrawn = await renderChart({ ...src, id: 'gdp-third' }, tables, small);
    assert.is(redrawn.svg, first.svg);
    // a corrected figure is another chart
    const dir = copyEdition();
    edit(dir, 'figures.yaml', (t) => t.replace('gdp_2020:        { value: 646.8,', 'gdp_2020:        { value: 646.9,'));
    const ed2 = loadEdition(dir);
    const corrected = await renderChart(ed2.charts.get('gdp')!, bind(ed2).tables, small);
    assert.ok(corrected.texts.includes('646.9'), corrected.texts.join('|'));
    assert.is(entries().length, 2);
  } finally {
    if (saved === undefined) delete process.env.BROADSHEET_CACHE;
    else process.env.BROADSHEET_CACHE = saved;
  }
});

test('text is measured on the real font: Han 1 em, digits about half', () => {
  assert.ok(Math.abs(measure('地区生产总值', 10, 400) - 60) < 0.01);
  const digits = measure('2025', 10, 400);
  assert.ok(digits > 18 && digits < 26, `digits ${digits}`);
  assert.ok(measure('规上工业', 10, 700) === 40);
});

test('a data URL or a file path in a spec is refused', async () => {
  const dir = copyEdition();
  edit(dir, 'charts/gdp.vl.json', (s) =>
    s.replace('"data": { "name": "gdp" }', '"data": { "url": "/etc/hostname", "format": {"type": "csv"} }'),
  );
  const ed = loadEdition(dir);
  await expectInputErrorAsync(
    () => renderChart(ed.charts.get('gdp')!, bind(ed).tables, size),
    'charts/gdp.vl.json:4',
    'chart data from "/etc/hostname" is refused',
  );
});

test("an invalid Vega-Lite spec is caught by vega-lite's own schema", async () => {
  const dir = copyEdition();
  edit(dir, 'charts/rd.vl.json', (s) => s.replace('"type": "bar"', '"type": "barr"'));
  const ed = loadEdition(dir);
  await expectInputErrorAsync(
    () => renderChart(ed.charts.get('rd')!, bind(ed).tables, size),
    'charts/rd.vl.json',
    'not a valid Vega-Lite spec',
  );
});

test('a spec naming a table that does not exist', async () => {
  const dir = copyEdition();
  edit(dir, 'charts/rd.vl.json', (s) => s.replace('"name": "rd"', '"name": "rnd"'));
  const ed = loadEdition(dir);
  await expectInputErrorAsync(
    () => renderChart(ed.charts.get('rd')!, bind(ed).tables, size),
    'charts/rd.vl.json:4',
    'data table "rnd" does not exist',
  );
});

test.run();
