/** Charts: vector SVG with the page's fonts and real text widths; nothing loaded from outside. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderChart } from '../src/charts/render.js';
import { measure } from '../src/charts/metrics.js';
import { bind } from '../src/bind/figures.js';
import { loadEdition } from '../src/load/edition.js';
import { SANS } from '../src/fonts/faces.js';
import { copyEdition, edit, expectInputErrorAsync, SAMPLE } from './helpers.js';

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

test('text is measured on the real font: Han 1 em, digits about half', () => {
  assert.ok(Math.abs(measure('地区生产总值', 10, 400) - 60) < 0.01);
  const digits = measure('2025', 10, 400);
  assert.ok(digits > 18 && digits < 26, `digits ${digits}`);
  assert.ok(measure('规上工业', 10, 700) === 40);
});

test('a data URL or a file path in a spec is refused', async () => {
  const dir = copyEdition();
  edit(dir, 'charts/gdp.vl.json', (s) => s.replace('"data": { "name": "gdp" }', '"data": { "url": "/etc/hostname", "format": {"type": "csv"} }'));
  const ed = loadEdition(dir);
  await expectInputErrorAsync(() => renderChart(ed.charts.get('gdp')!, bind(ed).tables, size), 'charts/gdp.vl.json:4', 'chart data from "/etc/hostname" is refused');
});

test('an invalid Vega-Lite spec is caught by vega-lite\'s own schema', async () => {
  const dir = copyEdition();
  edit(dir, 'charts/rd.vl.json', (s) => s.replace('"type": "bar"', '"type": "barr"'));
  const ed = loadEdition(dir);
  await expectInputErrorAsync(() => renderChart(ed.charts.get('rd')!, bind(ed).tables, size), 'charts/rd.vl.json', 'not a valid Vega-Lite spec');
});

test('a spec naming a table that does not exist', async () => {
  const dir = copyEdition();
  edit(dir, 'charts/rd.vl.json', (s) => s.replace('"name": "rd"', '"name": "rnd"'));
  const ed = loadEdition(dir);
  await expectInputErrorAsync(() => renderChart(ed.charts.get('rd')!, bind(ed).tables, size), 'charts/rd.vl.json:4', 'data table "rnd" does not exist');
});

test.run();
