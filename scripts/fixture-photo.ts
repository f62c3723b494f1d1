/**
 * Makes a placeholder photo of a given pixel size for a test edition (a JPEG marked as a
 * placeholder, with a grid of squares so a crop or a stretch shows), like the sample's.
 * Run: node dist/scripts/fixture-photo.js <out.jpg> <width px> <height px> <label>
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser } from '../src/print/browser.js';
import { FACES, fontFile } from '../src/fonts/faces.js';

const [out, wArg, hArg, label = ''] = process.argv.slice(2);
const w = Number(wArg);
const h = Number(hArg);
if (!out || !(w > 0) || !(h > 0)) {
  console.error('usage: fixture-photo <out.jpg> <width px> <height px> <label>');
  process.exit(2);
}
const sansTtf = pathToFileURL(fontFile(FACES.sansBold)).href;
const cell = Math.round(Math.min(w, h) / 8);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fixture-photo-'));
const b = await launchBrowser();
try {
  const tab = await b.browser.newPage();
  const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>@font-face{font-family:'Noto Sans SC';font-weight:700;src:url(${sansTtf}) format('truetype')}
    html,body{margin:0} body{width:${w}px;height:${h}px;font-family:'Noto Sans SC';color:#fff;background-color:#7d828a;
    background-image:linear-gradient(#9aa0a8 2px,transparent 2px),linear-gradient(90deg,#9aa0a8 2px,transparent 2px);
    background-size:${cell}px ${cell}px;display:flex;align-items:center;justify-content:center;text-align:center}
    .box{border:${cell / 25}px solid #fff;padding:${cell / 4}px ${cell / 2}px;background:rgba(40,44,52,.6)}
    .t{font-size:${cell / 2}px;font-weight:700;letter-spacing:.1em}.s{font-size:${cell / 4}px;margin-top:${cell / 8}px}</style>
    </head><body><div class="box"><div class="t">照片占位 PLACEHOLDER</div><div class="s">${label} · ${w} × ${h} px</div></div></body></html>`;
  const file = path.join(tmp, 'photo.html');
  writeFileSync(file, html);
  await tab.setViewport({ width: w, height: h, deviceScaleFactor: 1 });
  await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  // the page's own terms (this script is compiled without DOM types)
  await tab.evaluate('document.fonts.ready.then(() => true)');
  writeFileSync(out, await tab.screenshot({ type: 'jpeg', quality: 70 }));
  console.log(`${out}: ${w} × ${h} px`);
} finally {
  await b.close();
  rmSync(tmp, { recursive: true, force: true });
}
