/**
 * handout.pdf and the handouts batch, read back from the PDFs: paper, pages, folios and running
 * header, outline, tags, metadata, text, line fitting, fonts; a batch of rows with a bad row,
 * a rerun, and shards whose union is every row once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildEdition, type BuildResult } from '../src/pipeline.js';
import { bind } from '../src/bind/figures.js';
import { loadEdition } from '../src/load/edition.js';
import { main } from '../src/cli/main.js';
import { readRows, sanitise, shardRows } from '../src/handout/batch.js';
import { PLANNED_FONTS } from './page-check.js';
import {
  copyEdition,
  decodeXml,
  edit,
  FIXTURES,
  MM,
  pdfBoxes,
  pdfFonts,
  pdfImages,
  pdftext,
  run,
  SAMPLE,
  squash,
  tempDir,
} from './helpers.js';

const TMP = tempDir('handout-');
const EDITIONS = path.join(FIXTURES, 'editions');
const TOWNSHIPS = path.join(FIXTURES, 'handouts', 'townships.csv');
const builds = new Map<string, BuildResult>();
const handoutOf = (name: string) => builds.get(name)!.report.handout!.pdf;

test.before(async () => {
  for (const [name, dir] of [
    ['sample', SAMPLE],
    ['short-feature', path.join(EDITIONS, 'short-feature')],
    ['no-photos', path.join(EDITIONS, 'no-photos')],
  ] as const) {
    builds.set(name, await buildEdition(dir, { outDir: path.join(TMP, name), handout: true, changes: false }));
  }
});

// --- reading a handout back ---------------------------------------------------------------

const info = (pdf: string) => run('pdfinfo', [pdf]);
const pagesOf = (pdf: string) => Number(/Pages:\s+(\d+)/.exec(info(pdf))?.[1]);
const pageText = (pdf: string, p: number) => pdftext(pdf, '-f', String(p), '-l', String(p));

/** The structure tree's element types, counted (mutool lists every object on a line). */
function structTypes(pdf: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of run('mutool', ['show', pdf, 'grep']).matchAll(/\/S\/(\w+)\/Type\/StructElem/g))
    out.set(m[1]!, (out.get(m[1]!) ?? 0) + 1);
  return out;
}

/** The figures' alternative texts (UTF-16BE hex strings in the structure tree). */
function altTexts(pdf: string): string[] {
  return [...run('mutool', ['show', pdf, 'grep']).matchAll(/\/Alt<FEFF([0-9A-F]+)>/g)].map((m) =>
    Buffer.from(m[1]!, 'hex').swap16().toString('utf16le'),
  );
}

/** Outline entries as [depth, title]. */
function outline(pdf: string): [number, string][] {
  return run('mutool', ['show', pdf, 'outline'])
    .split('\n')
    .filter((l) => l.includes('"'))
    .map((l) => [(/^[-+|]?(\t*)/.exec(l)?.[1]?.length ?? 0) - 1, /"(.*)"/.exec(l)![1]!] as [number, string]);
}

interface Glyph {
  c: string;
  x: number;
  y: number;
  size: number;
  font: string;
  page: number;
}

function glyphs(pdf: string): Glyph[] {
  const xml = run('mutool', ['draw', '-q', '-F', 'stext', '-o', '-', pdf]);
  const out: Glyph[] = [];
  let page = 0;
  let size = 0;
  let font = '';
  for (const m of xml.matchAll(
    /<page |<font name="([^"]*)" size="([\d.]+)"|<char [^>]*x="([\d.]+)" y="([\d.]+)"[^>]*c="([^"]*)"/g,
  )) {
    if (m[0].startsWith('<page')) page++;
    else if (m[1] !== undefined) [font, size] = [m[1], Number(m[2])];
    else out.push({ c: decodeXml(m[5]!), x: Number(m[3]), y: Number(m[4]), size, font, page });
  }
  return out;
}

const NO_START = new Set([...'、，。：；！？”’）》」』】·']);
const NO_END = new Set([...'“‘（《「『【']);
const PUNCT = /[、，。：；！？”’）》」』】“‘（《「『【·]/;
const HAN = /[\u3400-\u9fff]/;

/**
 * The body lines (serif regular at the body size) of every page, and the typography counts:
 * forbidden starts and ends, full lines, and full all-Han lines with two Han characters more
 * than 1 em apart (loose). The text block's right edge is the widest line's.
 */
function bodyTypography(pdf: string, bodyPt: number) {
  const lines = new Map<string, Glyph[]>();
  for (const g of glyphs(pdf)) {
    if (!g.font.endsWith('NotoSerifSC-Regular') || Math.abs(g.size - bodyPt) > 0.05 || !g.c.trim()) continue;
    const key = `${g.page}|${Math.round(g.y * 2)}`;
    lines.set(key, [...(lines.get(key) ?? []), g]);
  }
  const sorted = [...lines.values()].map((l) => l.sort((a, b) => a.x - b.x));
  // the text block's right edge: where most lines end (to 0.5 pt)
  const ends = new Map<number, number>();
  for (const l of sorted) {
    const e = Math.round((l.at(-1)!.x + bodyPt * (PUNCT.test(l.at(-1)!.c) ? 0.5 : 1)) * 2) / 2;
    ends.set(e, (ends.get(e) ?? 0) + 1);
  }
  const right = [...ends].sort((a, b) => b[1] - a[1])[0]![0];
  const r = {
    lines: sorted.length,
    starts: [] as string[],
    ends: [] as string[],
    allHanFull: 0,
    loose: [] as string[],
  };
  for (const l of sorted) {
    const text = l.map((g) => g.c).join('');
    if (NO_START.has(text[0]!)) r.starts.push(text);
    if (NO_END.has(text.at(-1)!)) r.ends.push(text);
    const last = l.at(-1)!;
    const full = last.x + bodyPt * (PUNCT.test(last.c) ? 0.5 : 1) >= right - 0.2 * bodyPt;
    if (!full || ![...text].every((c) => HAN.test(c) || PUNCT.test(c))) continue;
    r.allHanFull++;
    if (l.slice(1).some((g, i) => HAN.test(g.c) && HAN.test(l[i]!.c) && g.x - l[i]!.x > bodyPt * 1.02))
      r.loose.push(text);
  }
  return r;
}

/** Every sentence of story.md's chains, in order, found in the text (whitespace removed). */
function missingSentences(pdf: string, dir: string): { missing: string[]; sentences: number } {
  // the pages' text without the running header and the folio (a sentence may go over a page)
  const ed = loadEdition(dir).meta.data;
  const text = Array.from({ length: pagesOf(pdf) }, (_, i) =>
    squash(pdftext(pdf, '-raw', '-f', String(i + 1), '-l', String(i + 1)))
      .replace(/第\d+页共\d+页/, '')
      .replace(squash(ed.publication), '')
      .replace(squash(ed.title), ''),
  ).join('');
  const b = bind(loadEdition(dir));
  const missing: string[] = [];
  let sentences = 0;
  for (const c of b.chains)
    for (const block of c.blocks)
      for (const s of squash(block.segs.map((x) => x.s).join('')).match(/[^。！？]+[。！？”’」]*/g) ?? []) {
        sentences++;
        if (!text.includes(s)) missing.push(s);
      }
  return { missing, sentences };
}

/** The section heads as written in story.md (## lines). */
const headsOf = (dir: string) =>
  [...readFileSync(path.join(dir, 'story.md'), 'utf8').matchAll(/^## (.+)$/gm)].map((m) => m[1]!.trim());

// --- the sample ----------------------------------------------------------------------------

test('sample: A4 portrait (210 × 297 mm to 0.1 mm), several pages, beside broadsheet.pdf', () => {
  const pdf = handoutOf('sample');
  assert.is(path.dirname(pdf), path.dirname(builds.get('sample')!.pdfPath));
  const b = pdfBoxes(pdf).MediaBox!;
  assert.ok(Math.abs((b.x1 - b.x0) / MM - 210) < 0.1 && Math.abs((b.y1 - b.y0) / MM - 297) < 0.1, JSON.stringify(b));
  assert.ok(pagesOf(pdf) > 1, `${pagesOf(pdf)} pages`);
  assert.is(builds.get('sample')!.report.handout!.pages, pagesOf(pdf));
});

test('sample: every page has the folio 第 x 页 共 y 页 and the running header (publication, title)', () => {
  const pdf = handoutOf('sample');
  const n = pagesOf(pdf);
  const ed = loadEdition(SAMPLE).meta.data;
  for (let p = 1; p <= n; p++) {
    const t = squash(pageText(pdf, p));
    assert.ok(t.includes(`第${p}页共${n}页`), `page ${p}: no folio`);
    assert.ok(t.includes(squash(ed.publication)) && t.includes(squash(ed.title)), `page ${p}: no running header`);
  }
});

test('sample: the outline is the headline with the section heads of story.md under it', () => {
  const o = outline(handoutOf('sample'));
  assert.equal(o[0], [0, '风起湘江畔雨湖立潮头']);
  assert.equal(
    o.slice(1).map(([d, t]) => [d, t]),
    headsOf(SAMPLE).map((h) => [1, h]),
  );
});

test('sample: tagged, with H1, H2 per head, one P per paragraph (not per line), Figures with alt text, a Table', () => {
  const pdf = handoutOf('sample');
  assert.match(info(pdf), /Tagged:\s+yes/);
  const s = structTypes(pdf);
  const b = bind(loadEdition(SAMPLE));
  const paragraphs = b.chains.flatMap((c) => c.blocks).filter((x) => x.kind === 'para').length;
  assert.is(s.get('H1'), 1);
  assert.is(s.get('H2'), headsOf(SAMPLE).length);
  // the paragraphs, and the headline group's few (series, subhead, byline, dateline)
  const p = s.get('P') ?? 0;
  assert.ok(p >= paragraphs && p <= paragraphs + 6, `${p} P for ${paragraphs} paragraphs`);
  assert.is(s.get('Table'), 1);
  assert.ok((s.get('TH') ?? 0) >= 6 && (s.get('TD') ?? 0) >= 6);
  const alts = altTexts(pdf);
  for (const caption of ['窑湾历史文化街区夜景。', '地区生产总值（亿元）', '“十四五”年均增速（%）', '研发投入（亿元）'])
    assert.ok(
      alts.some((a) => a.startsWith(caption)),
      `no figure with alt text ${caption}: ${alts.join(' | ')}`,
    );
  // a chart's alt text carries its data: 2020年 646.8, 2025年 900
  assert.ok(alts.some((a) => a.includes('646.8') && a.includes('900')));
});

test('sample: metadata title, author, subject, language; RGB only (no CMYK)', () => {
  const pdf = handoutOf('sample');
  const i = info(pdf);
  const ed = loadEdition(SAMPLE).meta.data;
  assert.match(i, new RegExp(`Title:\\s+${ed.title.replace(/[“”]/g, '.')}`));
  assert.match(i, new RegExp(`Author:\\s+${ed.publication}`));
  assert.match(i, new RegExp(`Subject:\\s+${ed.subject!.replace(/[“”·]/g, '.')}`));
  assert.match(run('mutool', ['show', pdf, 'trailer/Root/Lang']), /zh-CN/);
  assert.not.match(run('mutool', ['show', pdf, 'grep']), /DeviceCMYK/);
});

test('sample: every sentence of story.md is in the text; the fact box is on page 1', () => {
  const pdf = handoutOf('sample');
  const { missing, sentences } = missingSentences(pdf, SAMPLE);
  assert.ok(sentences > 60, `${sentences}`);
  assert.equal(missing, []);
  assert.ok(squash(pageText(pdf, 1)).includes('数说雨湖'));
});

test('the fact box comes right after the lead, before a picture that goes with the lead: on page 1', async () => {
  // two of the sample's photos given to the lead (edition.yaml `section: lead`): they follow
  // the lead's paragraph in the flow, and used to push the fact box after them, to page 2
  const dir = copyEdition(SAMPLE);
  edit(dir, 'edition.yaml', (t) =>
    t
      .replace(
        'yaowan:   { file: images/yaowan.jpg,   placeholder: true }',
        'yaowan: { file: images/yaowan.jpg, placeholder: true, section: lead }',
      )
      .replace(
        'yugao:    { file: images/yugao.jpg,    placeholder: true }',
        'yugao: { file: images/yugao.jpg, placeholder: true, section: lead }',
      ),
  );
  const r = await buildEdition(dir, { outDir: tempDir('handout-lead-'), handout: true, changes: false });
  const pdf = r.report.handout!.pdf;
  assert.ok(squash(pageText(pdf, 1)).includes('数说雨湖'), 'the fact box on page 1');
  const all = squash(pdftext(pdf));
  assert.ok(all.includes('窑湾历史文化街区夜景'), "the lead's picture printed");
  assert.ok(all.indexOf('数说雨湖') < all.indexOf('窑湾历史文化街区夜景'), 'the fact box before the picture');
});

test('sample: line fitting: no forbidden line start or end, 0 loose all-Han lines', () => {
  const r = bodyTypography(handoutOf('sample'), 10.5);
  assert.ok(r.lines > 80 && r.allHanFull > 40, JSON.stringify({ lines: r.lines, full: r.allHanFull }));
  assert.equal(r.starts, []);
  assert.equal(r.ends, []);
  assert.equal(r.loose, []);
  assert.is(builds.get('sample')!.report.handout!.fitted.orphans, 0);
});

test('sample: only the planned faces, embedded CID TrueType; photos the only images (charts vector)', () => {
  const pdf = handoutOf('sample');
  for (const f of pdfFonts(pdf)) {
    assert.ok(PLANNED_FONTS.includes(f.name.replace(/^[A-Z]{6}\+/, '')), `unplanned font ${f.name}`);
    assert.is(f.type, 'CID TrueType');
  }
  assert.is(pdfImages(pdf).length, 4);
});

test('sample: charts drawn for the measure (axis labels at the theme size, 7 pt), not scaled copies', () => {
  // a chart of the page (1–3 columns, 40–130 mm) scaled to the handout's 133 mm would scale its text
  // the years on the axes of the GDP and R&D charts (2020年, 2025年): text under 9 pt in the sans
  const g = glyphs(handoutOf('sample')).filter(
    (x) => x.font.endsWith('NotoSansSC-Regular') && x.c === '年' && x.size < 9,
  );
  assert.ok(g.length >= 3, `${g.length}`);
  for (const x of g) assert.ok(Math.abs(x.size - 7) < 0.1, `年 at ${x.size} pt on page ${x.page}`);
  // and no chart text at a scaled size: every sans glyph is 7–12 pt
  const sizes = new Set(
    glyphs(handoutOf('sample'))
      .filter((x) => x.font.includes('Sans'))
      .map((x) => x.size.toFixed(1)),
  );
  assert.ok(
    [...sizes].every((s) => Number(s) >= 6.9 && Number(s) <= 12),
    [...sizes].join(','),
  );
});

test('sample: a section head is never the last line of a page', () => {
  const pdf = handoutOf('sample');
  const heads = headsOf(SAMPLE).map(squash);
  for (let p = 1; p <= pagesOf(pdf); p++) {
    const body = squash(pageText(pdf, p).replace(/第\s*\d+\s*页\s*共\s*\d+\s*页/, ''));
    for (const h of heads) assert.not.ok(body.endsWith(h), `page ${p} ends with the head ${h}`);
  }
});

/**
 * Page breaks read back from the glyphs: a head followed on its page by fewer than two lines of
 * text, a paragraph's first line alone at a page's foot (an orphan), its last line alone at a
 * page's top (a widow). A line is a paragraph's first when it starts indented (2 em), its last
 * when it is short of the measure.
 */
function breakFaults(pdf: string, dir: string, bodyPt: number, headPt: number): string[] {
  let headsSeen = 0;
  const all = glyphs(pdf).filter((g) => g.c.trim());
  const body = all.filter((g) => g.font.endsWith('NotoSerifSC-Regular') && Math.abs(g.size - bodyPt) < 0.05);
  const heads = all.filter((g) => g.font.endsWith('NotoSerifSC-Bold') && Math.abs(g.size - headPt) < 0.1);
  const left = Math.min(...body.map((g) => g.x));
  const faults: string[] = [];
  const pages = Math.max(...all.map((g) => g.page));
  for (let p = 1; p <= pages; p++) {
    const lines = new Map<number, Glyph[]>();
    for (const g of body.filter((x) => x.page === p)) {
      const y = Math.round(g.y * 2) / 2;
      lines.set(y, [...(lines.get(y) ?? []), g]);
    }
    const ls = [...lines].sort((a, b) => a[0] - b[0]).map(([y, gs]) => ({ y, gs: gs.sort((a, b) => a.x - b.x) }));
    const right = Math.max(...ls.map((l) => l.gs.at(-1)!.x));
    const indented = (l: (typeof ls)[0]) => l.gs[0]!.x > left + bodyPt * 1.5;
    const short = (l: (typeof ls)[0]) => l.gs.at(-1)!.x < right - bodyPt * 1.5;
    for (const hy of new Set(heads.filter((g) => g.page === p).map((g) => Math.round(g.y)))) {
      headsSeen++;
      const after = ls.filter((l) => l.y > hy).length;
      if (after < 2) faults.push(`page ${p}: a head with ${after} lines after it`);
    }
    const first = ls[0];
    const last = ls.at(-1);
    if (p > 1 && first && !indented(first) && short(first)) faults.push(`page ${p}: a widow at the top`);
    if (p < pages && last && indented(last) && !short(last)) faults.push(`page ${p}: an orphan at the foot`);
  }
  // the heads were found (a head of two lines counts twice)
  faults.push(`${headsSeen >= headsOf(dir).length ? 'heads found' : `heads not found (${headsSeen})`}`);
  return faults;
}

test('sample: heads keep two lines of text on their page; no orphan or widow line', () => {
  assert.equal(breakFaults(handoutOf('sample'), SAMPLE, 10.5, 13.65), ['heads found']);
});

test('A5 preset: short-feature on 148 × 210 mm, 0 loose lines, every sentence', async () => {
  const dir = path.join(EDITIONS, 'short-feature');
  const r = await buildEdition(dir, { outDir: path.join(TMP, 'a5'), handout: true, paper: 'a5', changes: false });
  const pdf = r.report.handout!.pdf;
  const b = pdfBoxes(pdf).MediaBox!;
  assert.ok(Math.abs((b.x1 - b.x0) / MM - 148) < 0.1 && Math.abs((b.y1 - b.y0) / MM - 210) < 0.1, JSON.stringify(b));
  assert.equal(missingSentences(pdf, dir).missing, []);
  const t = bodyTypography(pdf, 9.5);
  assert.ok(t.allHanFull > 10, `${t.allHanFull} full all-Han lines of ${t.lines}`);
  assert.equal([t.starts, t.ends, t.loose], [[], [], []]);
  assert.equal(breakFaults(pdf, dir, 9.5, 12.35), ['heads found']);
});

// --- editions the handout was not built around ----------------------------------------------

for (const name of ['short-feature', 'no-photos']) {
  test(`${name}: handout with every sentence, folios, heads in the outline, 0 loose lines`, () => {
    const pdf = handoutOf(name);
    const dir = path.join(EDITIONS, name);
    assert.equal(missingSentences(pdf, dir).missing, []);
    const n = pagesOf(pdf);
    for (let p = 1; p <= n; p++) assert.ok(squash(pageText(pdf, p)).includes(`第${p}页共${n}页`));
    assert.equal(
      outline(pdf)
        .filter(([d]) => d === 1)
        .map(([, t]) => t),
      headsOf(dir),
    );
    const r = bodyTypography(pdf, 10.5);
    assert.ok(r.lines > 10);
    assert.equal([r.starts, r.ends, r.loose], [[], [], []]);
    assert.match(info(pdf), /Tagged:\s+yes/);
    assert.equal(breakFaults(pdf, dir, 10.5, 13.65), ['heads found']);
  });
}

// --- the batch -----------------------------------------------------------------------------

/** Runs the command line, its stderr captured. */
async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const sink = { write: (s: string) => ((err += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
  const code = await main(args, sink, sink);
  return { code, err };
}

interface Summary {
  rows: { row: number; line: number; name: string; file: string; status: string; error?: string }[];
  made: number;
  unchanged: number;
  failed: number;
}
const summaryOf = (dir: string, suffix = '') =>
  JSON.parse(readFileSync(path.join(dir, `handouts-summary${suffix}.json`), 'utf8')) as Summary;
const pdfsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.pdf'));

test('batch: one PDF per good row, named from the first column, its figures printed; the bad row reported', async () => {
  const out = path.join(TMP, 'batch');
  const r = await cli(['handouts', SAMPLE, '--each', TOWNSHIPS, '--out', out]);
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /row 4 \(楠竹山镇\)/);
  assert.match(r.err, /townships\.csv:5/);
  assert.match(r.err, /handouts 6\/6, 1 failed/);
  assert.equal(pdfsIn(out).sort(), ['姜畲镇.pdf', '昭潭街道.pdf', '窑湾_街道.pdf', '长城乡.pdf', '鹤岭镇.pdf'].sort());
  const s = summaryOf(out);
  assert.equal([s.made, s.unchanged, s.failed], [5, 0, 1]);
  assert.equal(
    s.rows.map((x) => [x.row, x.status]),
    [
      [1, 'made'],
      [2, 'made'],
      [3, 'made'],
      [4, 'failed'],
      [5, 'made'],
      [6, 'made'],
    ],
  );
  // each row's GDP in the lead sentence, in the fact box and in the chart's alt text
  const rows = readRows(TOWNSHIPS).rows;
  for (const row of rows.filter((x) => x.row !== 4)) {
    const pdf = path.join(out, row.file);
    const t = squash(pdftext(pdf));
    const gdp = `${Number(row.cells.gdp_2025)}亿元`;
    assert.ok(t.includes(`突破${gdp}大关`), `${row.file}: ${gdp}`);
    assert.not.ok(t.includes('突破900亿元'), row.file);
    assert.ok(t.includes(`${row.cells.compounds}个老旧小区`), row.file);
    assert.ok(
      altTexts(pdf).some((a) => a.includes(String(Number(row.cells.gdp_2025)))),
      `${row.file}: chart not drawn with the row's figure`,
    );
    assert.ok(pagesOf(pdf) > 1);
  }
});

test('batch: a rerun skips unchanged rows; a changed cell makes that row again', async () => {
  const out = path.join(TMP, 'batch');
  const again = await cli(['handouts', SAMPLE, '--each', TOWNSHIPS, '--out', out]);
  assert.is(again.code, 1);
  assert.equal([summaryOf(out).made, summaryOf(out).unchanged, summaryOf(out).failed], [0, 5, 1]);
  const table = path.join(TMP, 'changed.csv');
  writeFileSync(
    table,
    readFileSync(TOWNSHIPS, 'utf8').replace('鹤岭镇,98.7', '鹤岭镇,99.1').replace('not-a-number', '55'),
  );
  const third = await cli(['handouts', SAMPLE, '--each', table, '--out', out]);
  assert.is(third.code, 0, third.err);
  const s = summaryOf(out);
  assert.equal(
    s.rows.filter((x) => x.status === 'made').map((x) => x.name),
    ['鹤岭镇', '楠竹山镇'],
  );
  assert.ok(squash(pdftext(path.join(out, '鹤岭镇.pdf'))).includes('突破99.1亿元'));
});

test('shards: the union of 3 shards is every row once, as the rows of one run', async () => {
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    const out = path.join(TMP, `shard-${i}`);
    const r = await cli(['handouts', SAMPLE, '--each', TOWNSHIPS, '--out', out, '--shard', `${i}/3`, '--tabs', '1']);
    const s = summaryOf(out, `-${i}-of-3`);
    seen.push(...s.rows.map((x) => x.file));
    assert.equal(
      pdfsIn(out).sort(),
      s.rows
        .filter((x) => x.status === 'made')
        .map((x) => x.file)
        .sort(),
    );
    assert.is(r.code, s.failed ? 1 : 0);
  }
  const all = readRows(TOWNSHIPS).rows.map((x) => x.file);
  assert.equal(seen.sort(), [...all].sort());
  assert.is(new Set(seen).size, all.length);
});

test('shards: for 1,000 rows and 1 to 9 shards, every row in exactly one shard', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => i);
  for (let n = 1; n <= 9; n++) {
    const union = Array.from({ length: n }, (_, i) => shardRows(rows, { index: i, count: n })).flat();
    assert.is(union.length, 1000);
    assert.is(new Set(union).size, 1000);
  }
});

test('names: sanitised (no path separators, control characters, leading dots) and unique', () => {
  assert.is(sanitise('../a/b\\c:d*e?\u0001 f'), 'a_b_c_d_e_f');
  const file = path.join(TMP, 'dups.csv');
  writeFileSync(file, 'name,gdp_2025\n甲,1\n甲,2\n,3\n');
  assert.equal(
    readRows(file).rows.map((r) => r.file),
    ['甲.pdf', '甲-2.pdf', 'row-3.pdf'],
  );
});

test('the command line: --shard out of range and a missing --each are usage errors (exit 2)', async () => {
  assert.is((await cli(['handouts', SAMPLE, '--each', TOWNSHIPS, '--shard', '3/3'])).code, 2);
  assert.is((await cli(['handouts', SAMPLE])).code, 2);
  const missing = await cli(['handouts', SAMPLE, '--each', path.join(TMP, 'nope.csv')]);
  assert.is(missing.code, 1);
  assert.match(missing.err, /nope\.csv/);
  assert.not.ok(existsSync(path.join(TMP, 'nope')));
});

test.run();
