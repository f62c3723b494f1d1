/**
 * Handout compose (pure): the edition's story, figures, charts and photos as one flowing HTML
 * document for the handout's paper (presets.ts), and the exact set of files it may load. The
 * structure is semantic, since Chromium's tagged PDF and outline follow it: the headline is the
 * h1, section heads h2, paragraphs p, photos img with alt text, charts svg with role="img" and
 * a label (title, then the data), the fact box a table. Each photo and chart goes after the
 * paragraph that first mentions it (handout/place.ts); the fact box after the lead, on page 1.
 */
import Handlebars from 'handlebars';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Bound, Segment } from '../bind/figures.js';
import type { Edition } from '../load/edition.js';
import type { RenderedChart } from '../charts/render.js';
import { planFonts, type FaceText, type FontPlan } from '../fonts/coverage.js';
import type { FaceName } from '../fonts/faces.js';
import { chartGlyphs, segsHtml, type Asset, type ComposedPage } from '../compose/compose.js';
import { ROOT, STYLES } from '../paths.js';
import { msg } from '../messages.js';
import { PT } from '../layout/presets.js';
import type { HandoutGeometry } from './presets.js';
import { placeFigures, type Placed } from './place.js';

export interface HandoutPage extends Pick<ComposedPage, 'html' | 'assets'> {
  fonts: FontPlan;
  /** the running header's text (publication, title) */
  header: { publication: string; title: string };
  /** the section heads, in order (the outline's entries under the headline) */
  heads: string[];
  /** where each figure went: after which paragraph of which chain */
  placed: Placed[];
}

const hb = Handlebars.create();
let template: Handlebars.TemplateDelegate | undefined;
const TEMPLATE_SPECS = path.join(ROOT, 'dist/generated/templates.cjs');
/** the handout's page script: src/layout/page/handout.ts bundled (scripts/bundle.mjs) */
const HANDOUT_SCRIPT = path.join(ROOT, 'dist', 'bundle', 'handout.js');

function handoutTemplate(): Handlebars.TemplateDelegate {
  if (!template) {
    const specs = createRequire(import.meta.url)(TEMPLATE_SPECS) as Record<string, TemplateSpecification>;
    const spec = specs.handout;
    if (!spec) throw msg.templateMissing('handout', path.join(ROOT, 'templates'));
    template = hb.template(spec);
  }
  return template;
}

const flat = (segs: Segment[] | undefined) => (segs ?? []).map((s) => s.s).join('');
const mm = (v: number) => `${v.toFixed(3)}mm`;
const html = (segs: Segment[] | undefined) => new hb.SafeString(segsHtml(segs ?? []));

/** A chart's SVG as one figure for assistive technology: role img and a label; vega's own ARIA removed. */
export function labelSvg(svg: string, label: string): string {
  return svg.replace(/^<svg\b([^>]*)>/, (_m, attrs: string) => {
    const kept = attrs.replace(/\s(?:role|aria-[a-z-]+)="[^"]*"/g, '');
    return `<svg${kept} role="img" aria-label="${hb.escapeExpression(label)}">`;
  });
}

/** What a chart says, for its alternative text: the title, then each row of its table. */
export function chartDescription(ed: Edition, bound: Bound, id: string): string {
  const title = bound.captions.charts.get(id) ?? id;
  const data = ed.charts.get(id)?.spec.data.data as { name?: unknown } | undefined;
  const table = typeof data?.name === 'string' ? bound.tables.get(data.name) : undefined;
  if (!table) return title;
  const rows = table.rows.map((r) => Object.values(r).join(' ')).join('；');
  return `${title}：${rows}`;
}

export function composeHandout(
  ed: Edition,
  bound: Bound,
  geo: HandoutGeometry,
  charts: Map<string, RenderedChart>,
): HandoutPage {
  const meta = ed.meta.data;
  const texts: FaceText[] = [];
  const use = (face: FaceName, text: string, place = { file: ed.story.file }) => texts.push({ face, text, place });
  const assets = new Map<string, Asset>();
  const h = bound.headline;
  const front = ed.story.front;

  // the headline group: each half of the headline on a line of its own when it fits the measure
  const halves = flat(h.headline).split(/\s+/).filter(Boolean);
  const longest = Math.max(...halves.map((x) => [...x].length), 1);
  const headlineMm = Math.min(geo.preset.headlinePt * PT, geo.measure / longest);
  use('headline', halves.join(''), front.locate(['headline']));
  use('sansBold', flat(h.banner) + flat(h.series) + flat(h.kicker) + '·', front.locate(['series']));
  use('bodyBold', flat(h.subhead) + '——', front.locate(['subhead']));
  use('sans', '■' + flat(h.byline) + meta.publication + meta.date + '年月日', front.locate(['byline']));
  // the running header and the folio are drawn in the page's sans (the @page margin boxes)
  use('sans', headerText(meta.publication, meta.title), ed.meta.locate(['title']));

  const leadIds = new Set(ed.layout.data.frames.filter((f) => f.style === 'lead').map((f) => f.chain));
  const placed = placeFigures(ed, bound);
  const heads: string[] = [];

  let css = '';
  const photoHtml = (id: string) => {
    const p = ed.photos.get(id)!;
    const caption = bound.captions.photos.get(id) ?? '';
    const url = `/images/${p.id}${p.type === 'image/png' ? '.png' : '.jpg'}`;
    assets.set(url, { body: p.bytes, type: p.type });
    // the measure's width, no taller than 45 % of the text block (narrower then, centred)
    const aspect = p.width / p.height;
    const hMax = geo.blockH * 0.45;
    const w = Math.min(geo.measure, hMax * aspect);
    use('sans', '▲' + caption);
    css += `#fig-${id} img{width:${mm(w)};height:${mm(w / aspect)}}\n`;
    return { photo: true, id, src: url, alt: caption || id, caption };
  };
  const chartHtml = (id: string) => {
    const c = charts.get(id);
    const src = ed.charts.get(id)!;
    const title = bound.captions.charts.get(id) ?? '';
    const label = chartDescription(ed, bound, id);
    const chartTexts = chartGlyphs(src, bound) + (c?.texts.join('') ?? '');
    use('sansBold', title + chartTexts);
    use('sans', (src.source ?? '') + chartTexts);
    return { chart: true, id, title, source: src.source, svg: new hb.SafeString(c ? labelSvg(c.svg, label) : '') };
  };

  const factboxes = [...bound.factboxes.values()].map((fb) => {
    use('sansHeavy', fb.items.map((i) => flat(i.value)).join(''));
    use('sans', fb.items.map((i) => i.label).join(''));
    use('sansBold', fb.title);
    // a real table (tagged as one), of as many label–value pairs a row as the measure holds
    const perRow = geo.chars >= 40 ? 3 : 2;
    const cells = fb.items.map((i) => ({ label: i.label, value: html(i.value) }));
    const rows = Array.from({ length: Math.ceil(cells.length / perRow) }, (_, r) =>
      cells.slice(r * perRow, r * perRow + perRow),
    );
    return { title: fb.title, rows };
  });

  const chains = bound.chains.map((c, ci) => {
    const lead = leadIds.has(c.id);
    const blocks: unknown[] = [];
    let para = 0;
    const figuresAfter = (n: number) =>
      placed
        .filter((p) => p.chain === c.id && p.after === n)
        .map((p) => (p.kind === 'photo' ? photoHtml(p.id) : chartHtml(p.id)));
    // the fact box right after the lead's text (or the first chain's), before any picture placed
    // with the lead: on page 1
    const withFactboxes = lead || (ci === 0 && leadIds.size === 0) ? factboxes : [];
    const last = c.blocks.filter((b) => b.kind !== 'head').length - 1;
    const held: unknown[] = [];
    if (last < 0) blocks.push(...withFactboxes.map((f) => ({ factbox: true, ...f })));
    blocks.push(...figuresAfter(-1));
    for (const b of c.blocks) {
      const bold = b.kind === 'head' || lead; // the lead is set bold (styles/handout.css)
      use(bold ? 'bodyBold' : 'body', flat(b.segs.filter((s) => bold || !s.bold)), b.place);
      if (!bold && b.segs.some((s) => s.bold)) use('bodyBold', flat(b.segs.filter((s) => s.bold)), b.place);
      if (b.kind === 'head') {
        heads.push(flat(b.segs));
        blocks.push({ head: true, segs: html(b.segs) });
        continue;
      }
      blocks.push({ para: true, segs: html(b.segs) });
      // in the lead, its pictures wait until its text and the fact box are set
      if (lead) held.push(...figuresAfter(para++));
      else blocks.push(...figuresAfter(para++));
      if (para - 1 === last) blocks.push(...withFactboxes.map((f) => ({ factbox: true, ...f })), ...held);
    }
    return { id: c.id, lead, blocks };
  });

  // the lead: larger, on a whole number of characters
  const leadChars = Math.floor(geo.measure / (geo.bodyMm * 1.15));
  const vars = [
    `--paper-w:${mm(geo.preset.w)}`,
    `--paper-h:${mm(geo.preset.h)}`,
    `--measure:${mm(geo.measure)}`,
    `--block-h:${mm(geo.blockH)}`,
    `--body:${mm(geo.bodyMm)}`,
    `--leading:${geo.preset.leading}`,
    `--lead:${mm(geo.measure / leadChars)}`,
    `--headline:${mm(headlineMm)}`,
    `--indent:${meta.house?.indent ?? 2}em`,
  ].join(';');

  // the paper, its margins, and in them the running header and the folio (CSS margin boxes)
  const str = (t: string) => JSON.stringify(t).replace(/</g, '\\3c ');
  const pp = geo.preset;
  css +=
    // the side margins 1 mm short of the measure's: the fitted lines' 1 px of slack stays on the
    // page (Chromium shrinks a page whose content is wider than its paper)
    `@page{size:${mm(pp.w)} ${mm(pp.h)};margin:${mm(pp.top)} ${mm(geo.margin - 1)} ${mm(pp.bottom)};` +
    `@top-left{content:${str(meta.publication)}}@top-right{content:${str(meta.title)}}` +
    `@bottom-center{content:"第 " counter(page) " 页 共 " counter(pages) " 页"}}\n`;
  const fonts = planFonts(texts);
  for (const [url, font] of fonts.files) assets.set(url, { font, type: 'font/ttf' });
  assets.set('/styles/fonts.css', { body: fonts.css, type: 'text/css' });
  assets.set('/styles/vars.css', { body: `:root{${vars}}\n${css}`, type: 'text/css' });
  assets.set('/styles/handout.css', { file: path.join(STYLES, 'handout.css'), type: 'text/css' });
  assets.set('/scripts/handout.js', { file: HANDOUT_SCRIPT, type: 'text/javascript' });

  const page = handoutTemplate()({
    lang: meta.language ?? 'zh-CN',
    title: meta.title,
    autospace: meta.house?.hanLatin === 'quarter',
    indent: meta.house?.indent ?? 2,
    hanLatin: meta.house?.hanLatin ?? 'none',
    banner: flat(h.banner),
    series: flat(h.series),
    kicker: html(h.kicker),
    halves,
    subhead: h.subhead ? html(h.subhead) : undefined,
    byline: h.byline ? html(h.byline) : undefined,
    dateline: `${meta.publication} ${dateText(meta.date)}`,
    chains,
  });
  return {
    html: page,
    assets,
    fonts,
    header: { publication: meta.publication, title: meta.title },
    heads,
    placed,
  };
}

/** What the running header and the folio print (the @page margin boxes below), for the sans face's cut. */
export function headerText(publication: string, title: string): string {
  return `${publication}${title}第页共0123456789`;
}

export function dateText(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y}年${m}月${d}日`;
}
