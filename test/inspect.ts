/**
 * Lists what a built page gets wrong that the build does not report, with measurements:
 *   node dist/test/inspect.js <edition-folder> <out-folder-of-its-build>
 * (the build: node bin/broadsheet.js build <edition-folder> --out <out-folder>). Not a test: the
 * corpus test (test/corpus.test.ts) asserts what holds today; this prints everything found.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { bind } from '../src/bind/figures.js';
import { loadEdition } from '../src/load/edition.js';
import { pdftext, squash } from './helpers.js';
import {
  forbiddenEdges,
  frameBoxes,
  glyphsPastFrames,
  hanLatinGaps,
  editionGrid,
  missingFrom,
  overlaps,
  pdfFontNames,
  pdfGlyphs,
  PLANNED_FONTS,
  sentences,
  textLines,
  unevenLines,
  writtenDecimals,
} from './page-check.js';

export interface Finding {
  kind: string;
  detail: string;
}

export function inspect(editionDir: string, outDir: string): Finding[] {
  const pdf = path.join(outDir, 'broadsheet.pdf');
  const report = JSON.parse(readFileSync(path.join(outDir, 'report.json'), 'utf8')) as {
    chains: { id: string; copyFit?: { frame: string; fromLines: number; toLines: number } }[];
    warnings: string[];
  };
  const g = editionGrid(editionDir);
  const frames = frameBoxes(editionDir, report);
  const glyphs = pdfGlyphs(pdf, g.bleed);
  const out: Finding[] = [];
  const add = (kind: string, detail: string) => out.push({ kind, detail });

  for (const f of pdfFontNames(pdf).filter((n) => !PLANNED_FONTS.includes(n))) {
    const chars = glyphs.filter((x) => x.font === f).map((x) => x.c);
    add('foreign font', `${f}: ${chars.length} glyphs "${chars.join('')}"`);
  }
  for (const p of glyphsPastFrames(glyphs, frames, g.top)) {
    const sides = (['right', 'left', 'top', 'bottom'] as const)
      .filter((s) => p[s] > 0.1)
      .map((s) => `${p[s].toFixed(2)} mm ${s}`)
      .join(', ');
    add('past frame', `${p.frame}: "${p.text}" ${sides} (line "${p.line}")`);
  }
  const ov = overlaps(glyphs);
  if (ov.length) {
    const byPlace = new Map<string, string[]>();
    for (const o of ov) {
      const k = `${o.at.x.toFixed(0)},${o.at.y.toFixed(0)}`;
      byPlace.set(k, [...(byPlace.get(k) ?? []), `${o.a}/${o.b} ${(o.share * 100).toFixed(0)}%`]);
    }
    add(
      'text over text',
      `${ov.length} glyph pairs overlap, e.g. ${[...byPlace]
        .slice(0, 6)
        .map(([k, v]) => `at ${k} mm: ${v.slice(0, 3).join(' ')}`)
        .join('; ')}`,
    );
  }
  const lines = textLines(glyphs, frames);
  for (const e of forbiddenEdges(lines)) add(`line ${e.where}`, `${e.frame}: "${e.text}"`);
  for (const u of unevenLines(lines))
    add(u.strong ? 'uneven line' : 'uneven line (mixed kinds)', `${u.frame}: "${u.text}" ${u.detail}`);
  const house = (
    loadYaml(readFileSync(path.join(editionDir, 'edition.yaml'), 'utf8')) as { house?: { hanLatin?: string } }
  ).house;
  if ((house?.hanLatin ?? 'none') === 'none')
    for (const h of hanLatinGaps(lines)) add('Han–Latin gap', `${h.frame}: "${h.text}" gaps ${h.gaps.join(', ')} em`);

  const text = squash(pdftext(pdf, '-raw'));
  for (const m of text.matchAll(/\d(亿元|万元|元|%|个|公里|亩|名|家|吨|人次)\1/g))
    add('unit twice', `"${text.slice(Math.max(0, m.index - 8), m.index + m[0].length + 4)}"`);
  for (const m of text.matchAll(/▲▲|■■/g)) add('mark twice', `"${text.slice(m.index, m.index + 12)}"`);
  for (const d of writtenDecimals(editionDir))
    if (!text.includes(d.written))
      add('decimals lost', `{${d.name}} written ${d.written} in figures.yaml, not printed so`);

  const ed = loadEdition(editionDir);
  const b = bind(ed);
  const flat = (segs: { s: string }[] | undefined) => (segs ?? []).map((s) => s.s).join('');
  // a chain's text as printed: its frames' lines in threading order (pdftotext's order puts
  // other frames' text inside a sentence that continues in a frame elsewhere)
  const order = frames.filter((f) => f.kind === 'text').map((f) => f.id);
  for (const c of b.chains) {
    const printed = squash(
      lines
        .filter((l) => frames.find((f) => f.id === l.frame)?.chain === c.id)
        .sort((x, y) => order.indexOf(x.frame) - order.indexOf(y.frame) || x.y - y.y)
        .map((l) => l.text)
        .join(''),
    );
    const heads = new Set(frames.filter((f) => f.kind === 'head' && f.chain === c.id).length ? ['head'] : []);
    let from = 0;
    for (const x of c.blocks) {
      if (heads.has(x.kind)) continue;
      for (const s of x.kind === 'head' ? [squash(flat(x.segs))] : sentences(flat(x.segs))) {
        const at = printed.indexOf(s, from);
        if (at < 0) add('missing text', `chain ${c.id}: "${s}"${printed.includes(s) ? ' (out of order)' : ''}`);
        else from = at + s.length;
      }
    }
  }
  const wanted = [
    ...b.chains.flatMap((c) => c.blocks.filter((x) => x.kind === 'head').map((x) => flat(x.segs))),
    ...[...b.captions.photos.values()].flatMap(sentences),
    ...b.captions.charts.values(),
    ...['kicker', 'headline', 'subhead', 'byline', 'banner', 'series'].map((k) =>
      flat(b.headline[k]).replace(/\s+/g, ''),
    ),
  ];
  for (const s of missingFrom(pdf, wanted)) add('missing text', `"${s}"`);
  for (const w of report.warnings) add('reported warning', w);
  return out;
}

const [dir, outDir] = process.argv.slice(2);
if (dir && outDir && import.meta.url === `file://${process.argv[1]}`) {
  const found = inspect(dir, outDir);
  for (const f of found) console.log(`${f.kind}: ${f.detail}`);
  console.log(`${found.length} findings`);
}
