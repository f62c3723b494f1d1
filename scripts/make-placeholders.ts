/**
 * Makes the sample edition's placeholder photos: for each photo frame in layout.yaml, a JPEG of
 * exactly the placed size at 300 ppi, clearly marked as a placeholder, with its caption.
 * Run: node dist/scripts/make-placeholders.js data/yuhu-2025
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { parseStory } from '../src/load/story.js';
import { boxOf, gridOf, PRESETS } from '../src/layout/presets.js';
import { captionLines } from '../src/compose/compose.js';
import { launchBrowser } from '../src/print/browser.js';
import { FACES, fontFile } from '../src/fonts/faces.js';

const dir = process.argv[2] ?? 'data/yuhu-2025';
const edition = parse(readFileSync(path.join(dir, 'edition.yaml'), 'utf8')) as {
  preset: string;
  photos: Record<string, { file: string }>;
};
const layout = parse(readFileSync(path.join(dir, 'layout.yaml'), 'utf8')) as {
  frames: { kind: string; ref: string; columns: [number, number]; top: number; lines: number }[];
};
const story = parseStory(readFileSync(path.join(dir, 'story.md'), 'utf8'), 'story.md');
const grid = gridOf(PRESETS[edition.preset]!);
const sansTtf = pathToFileURL(fontFile(FACES.sansBold)).href;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'placeholders-'));
const b = await launchBrowser();
try {
  const tab = await b.browser.newPage();
  for (const f of layout.frames.filter((x) => x.kind === 'photo')) {
    const box = boxOf(grid, f.columns[0], f.columns[1], f.top, f.lines);
    const caption = story.photos.find((p) => p.id === f.ref)?.text ?? '';
    const hMm = box.h - captionLines(caption, box.w) * grid.pitch;
    const px = (mm: number) => Math.round((mm / 25.4) * 300);
    const [w, h] = [px(box.w), px(hMm)];
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
      @font-face{font-family:'Noto Sans SC';font-weight:700;src:url(${sansTtf}) format('truetype')}
      html,body{margin:0} body{width:${w}px;height:${h}px;font-family:'Noto Sans SC';color:#fff;
      background:repeating-linear-gradient(45deg,#8a8f96 0 ${w / 40}px,#7d828a ${w / 40}px ${w / 20}px);
      display:flex;flex-direction:column;align-items:center;justify-content:center;text-align:center}
      .box{border:${w / 200}px solid #fff;padding:${w / 40}px ${w / 20}px;background:rgba(40,44,52,.55)}
      .t{font-size:${w / 14}px;font-weight:700;letter-spacing:.1em}.c{font-size:${w / 34}px;margin-top:${w / 60}px}
      .s{font-size:${w / 45}px;margin-top:${w / 80}px;opacity:.9}</style></head><body><div class="box">
      <div class="t">照片占位 PLACEHOLDER</div><div class="c">${caption}</div>
      <div class="s">${box.w.toFixed(1)} × ${hMm.toFixed(1)} mm · ${w} × ${h} px · 300 ppi · ${f.ref}</div>
      </div></body></html>`;
    const file = path.join(tmp, `${f.ref}.html`);
    writeFileSync(file, html);
    await tab.setViewport({ width: w, height: h, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await tab.evaluate('document.fonts.ready.then(() => true)'); // (page code: Node's types have no DOM)
    const out = path.join(dir, edition.photos[f.ref]!.file);
    await tab.screenshot({ path: out, type: 'jpeg', quality: 82 });
    console.log(`${out}: ${w} × ${h} px for ${box.w.toFixed(1)} × ${hMm.toFixed(1)} mm`);
  }
} finally {
  await b.close();
  rmSync(tmp, { recursive: true, force: true });
}
