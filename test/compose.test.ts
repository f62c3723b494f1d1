/** Compose: the HTML string and the exact files the page may load. No browser. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bind } from '../src/bind/figures.js';
import { compose } from '../src/compose/compose.js';
import { layoutPage } from '../src/layout/frames.js';
import { loadEdition } from '../src/load/edition.js';
import { renderChart, type RenderedChart } from '../src/charts/render.js';
import { chartArea } from '../src/charts/render.js';
import { copyEdition, edit, expectInputErrorAsync, SAMPLE } from './helpers.js';

async function composeEdition(dir: string) {
  const ed = loadEdition(dir);
  const b = bind(ed);
  const l = layoutPage(ed);
  const charts = new Map<string, RenderedChart>();
  for (const f of l.frames.filter((x) => x.kind === 'chart')) {
    const src = ed.charts.get(f.ref!)!;
    charts.set(src.id, await renderChart(src, b.tables, chartArea(f, l.grid.pitch, !!src.source)));
  }
  return compose(ed, b, l, charts);
}

test('the sample page: every frame, the folio, a CSP, only its own files', async () => {
  const p = await composeEdition(SAMPLE);
  assert.match(p.html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.not.match(p.html, /unsafe-eval|unsafe-inline/);
  assert.not.match(p.html, / style="/, 'no inline styles: the CSP forbids them');
  for (const id of [
    'banner',
    'headline',
    'yaowan',
    'lead',
    'shushuo',
    'gdp',
    's1-head',
    's1-a.1',
    's1-b',
    's3-b.2',
    's3-c',
    'end-b',
  ]) {
    assert.ok(p.html.includes(`id="f-${id}"`), id);
  }
  assert.ok(p.html.includes('▲窑湾历史文化街区夜景。'));
  assert.ok(p.html.includes('2025年12月18日 星期四'));
  const urls = [...p.assets.keys()];
  assert.ok(
    urls.every((u) => /^\/(fonts|images|styles|scripts)\//.test(u)),
    urls.join(' '),
  );
  // fonts: one subset file per face of the design (Noto Serif SC 400, 700, 900 for
  // body, bold and headline; Noto Sans SC 400, 700, 900), named family-weight-hash
  // (test/fonts.test.ts for what each holds)
  const fontFiles = urls.filter((u) => u.startsWith('/fonts/'));
  assert.equal(
    fontFiles.map((u) => u.replace(/-[0-9a-f]{12}\.ttf$/, '')).sort(),
    ['sans-sc-400', 'sans-sc-700', 'sans-sc-900', 'serif-sc-400', 'serif-sc-700', 'serif-sc-900'].map(
      (f) => `/fonts/noto-${f}`,
    ),
  );
  assert.equal([...p.fonts.used.keys()].sort(), ['body', 'bodyBold', 'headline', 'sans', 'sansBold', 'sansHeavy']);
  for (const photo of p.photos) assert.ok(photo.ppi >= 299.5, `${photo.id} ${photo.ppi} ppi`);
});

test('HTML in a story is printed as text, never run or loaded', async () => {
  const dir = copyEdition();
  const hostile =
    '<img src="file:///etc/hostname"><script>alert(1)</script><iframe src="/etc/hostname"></iframe><link rel="stylesheet" href="http://example.com/x.css"><b style="background:url(/etc/hostname)">x</b>';
  edit(dir, 'story.md', (s) => s.replace('当时针指向', `${hostile}当时针指向`));
  const p = await composeEdition(dir);
  assert.not.match(p.html, /<img src="file|<script>alert|<iframe|<link rel="stylesheet" href="http|<b style/);
  assert.ok(p.html.includes('&lt;img src&#x3D;&quot;file:///etc/hostname&quot;&gt;'), 'the tag is shown as text');
  assert.ok(p.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('an opening mark that starts a headline hangs into the margin', async () => {
  const dir = copyEdition();
  edit(dir, 'story.md', (s) => s.replace('headline: 风起湘江畔 雨湖立潮头', 'headline: “风起”湘江畔 雨湖立潮头'));
  const p = await composeEdition(dir);
  assert.ok(p.html.includes('<span class="half"><span class="hang">“</span>风起”湘江畔</span>'));
});

test('a character no font covers is an error naming it and where it is', async () => {
  const dir = copyEdition();
  edit(dir, 'story.md', (s) => s.replace('回望湘潭市雨湖区', '回望ᚠ湘潭市雨湖区'));
  await expectInputErrorAsync(
    () => composeEdition(dir),
    'story.md:11',
    'character "ᚠ" (U+16A0) is in no font of the bold serif (Noto Serif SC Bold) face',
  );
});

test.run();
