/**
 * A careless or hostile story must not make the renderer read local files, reach the network or
 * run scripts. Tested twice: through the edition (escaped, refused at load) and, as defence in
 * depth, with hostile markup injected straight into the composed page (refused by the page's
 * request interception and CSP).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEdition, prepare } from '../src/pipeline.js';
import { launchBrowser, type Launched } from '../src/print/browser.js';
import { PrintSession } from '../src/print/session.js';
import { copyEdition, edit, expectInputErrorAsync, pdftext, SAMPLE, squash, tempDir } from './helpers.js';

let browser: Launched;
const secret = readFileSync('/etc/hostname', 'utf8').trim();
const secretFile = path.join(tempDir('secret-'), 'secret.txt');
const SECRET2 = 'TOP-SECRET-4711';
writeFileSync(secretFile, SECRET2);

test.before(async () => {
  browser = await launchBrowser();
});
test.after(async () => {
  await browser.close();
});

const HOSTILE = [
  '<img src="file:///etc/hostname">',
  `<img src="file://${secretFile}">`,
  '<iframe src="file:///etc/hostname"></iframe>',
  '<link rel="stylesheet" href="https://example.com/steal.css">',
  `<div style="background:url(file://${secretFile})">css</div>`,
  '<svg><image href="file:///etc/hostname" width="10" height="10"/></svg>',
  '<img src="/../../etc/hostname">',
  '<img src="https://example.com/pixel.gif?d=1">',
  '<object data="file:///etc/hostname"></object>',
  '<script>document.body.insertAdjacentText("beforeend", "SCRIPT" + "-RAN-" + 6 * 7)</script>',
  '<script src="https://example.com/x.js"></script>',
].join('\n');

test('hostile markup injected into the page: every request refused and reported, no script runs', async () => {
  const p = await prepare(SAMPLE);
  const page = { ...p.page, html: p.page.html.replace('</body>', `${HOSTILE}\n</body>`) };
  const session = new PrintSession(browser.browser);
  const printed = await session.print(page, { w: p.layout.grid.pageW, h: p.layout.grid.pageH });
  await session.close();
  const refused = printed.refused.join('\n');
  for (const u of [
    'https://example.com/steal.css',
    'https://example.com/pixel.gif',
    'https://example.com/x.js',
    'file:///etc/hostname',
    `file://${secretFile}`,
  ]) {
    assert.ok(refused.includes(u), `not refused: ${u}\n${refused}`);
  }
  const out = path.join(tempDir('hostile-'), 'p.pdf');
  writeFileSync(out, printed.pdf);
  const text = pdftext(out);
  assert.not.ok(text.includes(SECRET2), 'a local file reached the PDF');
  assert.not.ok(text.includes('SCRIPT-RAN-42'), 'an injected script ran');
});

test('hostile story text prints as text; nothing is requested; no file content in the PDF', async () => {
  const dir = copyEdition();
  edit(dir, 'story.md', (s) =>
    s.replace('当时针指向', `${HOSTILE.replace(/\n/g, ' ')} [x](file:///etc/hostname) 当时针指向`),
  );
  const out = tempDir('hostile-story-');
  const r = await buildEdition(dir, { outDir: out, browser, allowOverset: true });
  assert.equal(r.report.refusedRequests, []);
  const text = squash(pdftext(r.pdfPath));
  assert.ok(text.includes(squash('<img src="file:///etc/hostname">')), 'the markup is printed as text');
  assert.not.ok(text.includes(SECRET2));
  assert.not.ok(text.includes('SCRIPT-RAN-42'));
  if (secret.length > 6) assert.not.ok(text.includes(secret), 'hostname content in the PDF');
});

test('a Markdown image path and a Vega data URL are refused at load', async () => {
  const a = copyEdition();
  edit(a, 'story.md', (s) => s.replace('当时针指向', '![x](/etc/hostname)当时针指向'));
  await expectInputErrorAsync(() => prepare(a), 'story.md:11', 'a Markdown image in the story');

  const b = copyEdition();
  edit(b, 'charts/gdp.vl.json', (s) =>
    s.replace('"data": { "name": "gdp" }', '"data": { "url": "file:///etc/hostname" }'),
  );
  await expectInputErrorAsync(
    () => prepare(b),
    'charts/gdp.vl.json:4',
    'chart data from "file:///etc/hostname" is refused',
  );

  const c = copyEdition();
  edit(c, 'charts/gdp.vl.json', (s) =>
    s.replace(
      '{ "mark": { "type": "bar", "width": { "band": 0.55 } } }',
      '{ "mark": { "type": "image" }, "encoding": { "url": { "value": "file:///etc/hostname" } } }',
    ),
  );
  await expectInputErrorAsync(() => prepare(c), 'charts/gdp.vl.json', 'is refused');
});

test.run();
