/**
 * Compose (pure): edition + bound text + page layout + charts → one HTML string and the exact
 * set of files the page may load. Nothing else will be served to the page (print/serve.ts).
 */
import Handlebars from 'handlebars';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Bound, Segment } from '../bind/figures.js';
import type { ChartSource, Edition } from '../load/edition.js';
import type { PageLayout, Frame } from '../layout/frames.js';
import { PT, type Grid } from '../layout/presets.js';
import { HEADLINE_TYPE, setHeadline, type HeadlineTexts, type SetHeadline } from './headline.js';
import { headLines } from './heads.js';
import type { RenderedChart } from '../charts/render.js';
import { planFonts, type FaceText, type FontPlan } from '../fonts/coverage.js';
import { faceOf, rolesCss, type Role } from '../fonts/roles.js';
import type { SubsetJob } from '../fonts/subset.js';
import { PAGE_SCRIPT, ROOT, STYLES, TEMPLATES } from '../paths.js';
import { msg } from '../messages.js';

/** A file the page may load: on disk, in memory, or a font subset made on demand (fonts/subset.ts). */
export interface Asset {
  file?: string;
  body?: Buffer | string;
  font?: SubsetJob;
  type: string;
}

export interface PlacedPhoto {
  id: string;
  file: string;
  widthMm: number;
  heightMm: number;
  ppi: number;
  placeholder: boolean;
  px: [number, number];
}

/** Effective resolution of an image shown with object-fit: cover in a box. */
export function coverPpi(px: [number, number], widthMm: number, heightMm: number): number {
  return 1 / Math.max(widthMm / 25.4 / px[0], heightMm / 25.4 / px[1]);
}

export interface ComposedPage {
  html: string;
  /** the page in parts, for warm rebuilds that replace only what changed */
  parts: { frames: Map<string, string>; sources: Map<string, string>; framesCss: string };
  assets: Map<string, Asset>;
  fonts: FontPlan;
  photos: PlacedPhoto[];
}

/** Caption lines under a photo: ▲ + caption in 8 pt sans, wrapped to the frame width. */
export const CAPTION_PT = 8;
export function captionLines(caption: string, widthMm: number): number {
  const chars = [...caption].length + 1;
  return Math.max(1, Math.ceil((chars * CAPTION_PT * PT) / widthMm));
}

/** A photo frame's image area: the frame box less its caption's whole lines. */
export function photoArea(
  box: { w: number; h: number },
  caption: string,
  pitch: number,
): { capLines: number; imgH: number } {
  const capLines = caption ? captionLines(caption, box.w) : 0;
  return { capLines, imgH: box.h - capLines * pitch };
}

const hb = Handlebars.create();
let templates: Map<string, Handlebars.TemplateDelegate> | undefined;
/** templates/ precompiled by `npm run compile` (scripts/build-tables.mjs): page.hbs and partials/*.hbs */
const TEMPLATE_SPECS = path.join(ROOT, 'dist/generated/templates.cjs');

/** The page template and one template per partial (frame kinds, chain sources). */
function template(name: string): Handlebars.TemplateDelegate {
  if (!templates) {
    templates = new Map();
    hb.registerHelper('segs', (segs: Segment[] | undefined) => new hb.SafeString(segsHtml(segs ?? [])));
    const specs = createRequire(import.meta.url)(TEMPLATE_SPECS) as Record<string, TemplateSpecification>;
    for (const [n, spec] of Object.entries(specs)) templates.set(n, hb.template(spec));
  }
  const t = templates.get(name);
  if (!t) throw msg.templateMissing(name, TEMPLATES);
  return t;
}

/** An opening mark that starts a headline hangs its blank half into the margin (optical alignment). */
export function hangOpening(html: string): string {
  return html.replace(/^([“‘（《「『【])/, '<span class="hang">$1</span>');
}

/** The segments of `segs` between two offsets of their text. */
export function sliceSegs(segs: Segment[], from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const s of segs) {
    const a = Math.max(from, at);
    const b = Math.min(to, at + s.s.length);
    if (a < b) out.push({ ...s, s: s.s.slice(a - at, b - at) });
    at += s.s.length;
  }
  return out;
}

/** The headline group's texts as printed (figures bound). */
export function headlineTexts(bound: Bound): HeadlineTexts {
  const h = bound.headline;
  const t = (segs: Segment[] | undefined) => (segs ? flat(segs) : undefined);
  return { kicker: t(h.kicker), headline: t(h.headline), subhead: t(h.subhead), byline: t(h.byline) };
}

/** The headline group of a frame `frameMm` wide set as the page prints it (compose/headline.ts). */
export function headlineSet(bound: Bound, frameMm: number, g: Grid): SetHeadline {
  return setHeadline(headlineTexts(bound), frameMm, g);
}

/** A head set in the text: 1.25 times the body size (page.css .inline-head) in the bold serif. */
export const INLINE_HEAD_SCALE = 1.25;

/** The lines of a head set in the text of a frame `widthMm` wide (a column; a lead frame's width). */
export function inlineHeadLines(text: string, widthMm: number, g: Grid): [number, number][] {
  const measure = Math.round((widthMm / (g.bodyMm * INLINE_HEAD_SCALE)) * 1000) / 1000;
  return headLines(text, measure, 'bodyBold');
}

/** A head frame's head: at most 15 pt, the frame keeping 6 mm of air across (page.css .head h2). */
const HEAD_FRAME_PT = 15;
/** below this size on one line, a head frame tall enough sets its head on lines broken at phrases */
const HEAD_FRAME_MIN_PT = 10.5;
const HEAD_LINE_HEIGHT = 1.2;

/**
 * A head in a head frame: on one line, as large as the frame's width allows up to 15 pt; when
 * that is under 10.5 pt and the frame is tall enough, on lines broken at phrase boundaries
 * (compose/heads.ts) at the largest size, in half points, whose lines fit the frame.
 */
export function headFrameSet(text: string, wMm: number, hMm: number): { sizeMm: number; lines: [number, number][] } {
  const len = [...text].length || 1;
  const one = Math.min(HEAD_FRAME_PT * PT, (wMm - 6) / len);
  const single = { sizeMm: one, lines: [[0, text.length]] as [number, number][] };
  if (one >= HEAD_FRAME_MIN_PT * PT - 1e-9) return single;
  // the frame's rules: 1.5 pt above, 0.5 pt below
  const room = hMm - 2 * PT;
  for (let pt = HEAD_FRAME_PT; pt * PT > one + 1e-9; pt -= 0.5) {
    const lines = headLines(text, (wMm - 6) / (pt * PT), 'bodyBold');
    if (lines.length > 1 && lines.length * pt * HEAD_LINE_HEIGHT * PT <= room + 1e-6) return { sizeMm: pt * PT, lines };
  }
  return single;
}

export function segsHtml(segs: Segment[]): string {
  return segs
    .map((s) => {
      let h = hb.escapeExpression(s.s);
      if (s.bold) h = `<b>${h}</b>`;
      if (s.fig) h = `<span class="fig" data-fig="${s.fig}">${h}</span>`;
      return h;
    })
    .join('');
}

/** Copy-fit data for the page: a flexible frame's range and the text frames that follow it. */
function flexAttrs(f: Frame): string | undefined {
  if (f.minLines === undefined || f.maxLines === undefined) return undefined;
  return `${f.minLines} ${f.maxLines} ${(f.followers ?? []).join(' ')}`;
}

const flat = (segs: Segment[] | undefined) => (segs ?? []).map((s) => s.s).join('');
const mm = (v: number) => `${v.toFixed(3)}mm`;
const WEEKDAYS = '日一二三四五六';

/**
 * What a chart may print, known before it is drawn: every string of its spec (titles, and field
 * names, which become axis titles), every value of the edition's tables, digits and the signs
 * number formats add.
 */
export function chartGlyphs(src: ChartSource, bound: Bound): string {
  const strings: string[] = ['0123456789.,%+-−…'];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (strings.push(k), walk(x)));
  };
  walk(src.spec.data);
  for (const t of bound.tables.values())
    for (const r of t.rows) for (const x of Object.values(r)) strings.push(String(x));
  return [...new Set(strings.join(''))].join('');
}

/** Composes the page; without `charts` the chart frames are left empty (their fonts are planned). */
export function compose(
  ed: Edition,
  bound: Bound,
  layout: PageLayout,
  charts?: Map<string, RenderedChart>,
): ComposedPage {
  const g = layout.grid;
  const meta = ed.meta.data;
  const texts: FaceText[] = [];
  // every text planned in the face of the role that prints it (fonts/roles.ts, which writes the CSS too)
  const use = (role: Role, text: string, place = { file: ed.story.file }) =>
    texts.push({ face: faceOf(role), text, place });
  const assets = new Map<string, Asset>();
  const photos: PlacedPhoto[] = [];

  const [y, m, d] = meta.date.split('-').map(Number) as [number, number, number];
  const weekday = WEEKDAYS.charAt(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  const folio = {
    page: String(meta.page),
    section: meta.section,
    date: `${y}年${m}月${d}日 星期${weekday}`,
    publication: meta.publication,
    editor: meta.editor ? `责任编辑 ${meta.editor}` : '',
  };
  // ▶ marks the overset point when a build is allowed to overset (layout/page/thread.ts)
  use('folioBold', folio.page + folio.section + folio.publication, ed.meta.locate([]));
  use('oversetMarker', '▶', ed.meta.locate([]));
  use('folio', folio.date + folio.editor, ed.meta.locate([]));

  const h = bound.headline;
  use('banner', flat(h.banner), ed.story.front.locate(['banner']));
  use('series', flat(h.series), ed.story.front.locate(['series']));
  use('subhead', flat(h.subhead) + '——', ed.story.front.locate(['subhead']));
  use('headline', flat(h.headline), ed.story.front.locate(['headline']));
  use('kicker', flat(h.kicker), ed.story.front.locate(['kicker']));
  use('byline', '■' + flat(h.byline), ed.story.front.locate(['byline']));

  // All geometry goes into a style sheet: the page's CSP allows no inline styles.
  let css = '';
  const frames = layout.frames.map((f) => {
    const sel = `#f-${f.id.replace(/\./g, '\\.')}`;
    css += `${sel}{left:${mm(f.box.x)};top:${mm(f.box.y)};width:${mm(f.box.w)};height:${mm(f.box.h)}}\n`;
    const base = { id: f.id, kind: f.kind, rule: f.rule, partial: `frame-${f.kind}` };
    switch (f.kind) {
      case 'banner':
        return { ...base, banner: h.banner, series: h.series };
      case 'headline': {
        const halves = flat(h.headline)
          .split(/\s+/)
          .map((x) => new hb.SafeString(hangOpening(hb.escapeExpression(x))));
        const hang = (segs: Segment[] | undefined) =>
          segs ? new hb.SafeString(hangOpening(segsHtml(segs))) : undefined;
        // each part on one line, at the size that fits the frame (compose/headline.ts)
        for (const part of headlineSet(bound, f.box.w, g).parts) {
          const t = HEADLINE_TYPE[part.part];
          const el = { kicker: '.kicker', headline: 'h1', subhead: '.subhead', byline: '.byline' }[part.part];
          css +=
            `${sel} ${el}{font-size:${part.pt}pt;line-height:${t.lineHeight};margin-top:${mm(t.marginTopMm)};` +
            `letter-spacing:${t.letterSpacing}em${t.gapEm ? `;gap:${t.gapEm}em` : ''}}\n`;
        }
        return { ...base, halves, kicker: hang(h.kicker), subhead: h.subhead, byline: h.byline };
      }
      case 'text': {
        if (f.style === 'lead') {
          // lead set larger, on a whole number of characters across the frame
          const chars = Math.round(f.box.w / (g.bodyMm * 1.33));
          const size = f.box.w / chars;
          css += `${sel}{font-size:${mm(size)};line-height:${mm(g.pitch * 1.5)}}\n`;
          return { ...base, chain: f.chain, seq: f.seq, lead: true };
        }
        return { ...base, chain: f.chain, seq: f.seq };
      }
      case 'head': {
        const head = bound.chains.find((c) => c.id === f.chain)?.blocks.find((b) => b.kind === 'head');
        const text = flat(head?.segs);
        const set = headFrameSet(text, f.box.w, f.box.h);
        css += `${sel} h2{font-size:${mm(set.sizeMm)}}\n`;
        const segs = head?.segs ?? [];
        const lines = set.lines.map(([a, b]) => new hb.SafeString(segsHtml(sliceSegs(segs, a, b))));
        return { ...base, head: segs, lines: set.lines.length > 1 ? lines : undefined };
      }
      case 'photo': {
        const p = ed.photos.get(f.ref!)!;
        const caption = bound.captions.photos.get(f.ref!) ?? '';
        const { capLines, imgH } = photoArea(f.box, caption, g.pitch);
        const url = `/images/${p.id}${p.type === 'image/png' ? '.png' : '.jpg'}`;
        assets.set(url, { body: p.bytes, type: p.type });
        const px: [number, number] = [p.width, p.height];
        photos.push({
          id: p.id,
          file: p.file,
          widthMm: f.box.w,
          heightMm: imgH,
          ppi: coverPpi(px, f.box.w, imgH),
          placeholder: p.placeholder,
          px,
        });
        use('caption', '▲' + caption);
        css += `${sel} figcaption{height:${mm(capLines * g.pitch)}}\n`;
        return { ...base, photo: p.id, src: url, caption, placeholder: p.placeholder, flex: flexAttrs(f) };
      }
      case 'chart': {
        // without charts (a page loaded while they are drawn) the frame is empty; the fonts are
        // planned from what a chart may print, so the drawn charts usually need no other file
        const c = charts?.get(f.ref!);
        const src = ed.charts.get(f.ref!)!;
        const texts =
          chartGlyphs(src, bound) + (c ? [c, ...(c.variants?.values() ?? [])].flatMap((v) => v.texts).join('') : '');
        // a chart's own labels are set by the chart theme in these two faces
        use('chartTitle', (bound.captions.charts.get(f.ref!) ?? '') + texts);
        use('chartSource', (src.source ?? '') + texts);
        // a flexible chart carries one rendering per height; copy-fit shows the one it chooses
        const svg = !c
          ? ''
          : c.variants
            ? [...c.variants]
                .map(
                  ([lines, v]) =>
                    `<div class="variant" data-lines="${lines}"${lines === f.lines ? '' : ' hidden'}>${v.svg}</div>`,
                )
                .join('')
            : c.svg;
        return {
          ...base,
          svg: new hb.SafeString(svg),
          title: bound.captions.charts.get(f.ref!) ?? '',
          source: src.source,
          flex: flexAttrs(f),
        };
      }
      case 'ad': {
        // an ad space: a marked box, with its size, that the advertiser's material replaces
        const size = `${f.box.w.toFixed(1)} × ${f.box.h.toFixed(1)} mm`;
        const mark = f.mark ?? '广告';
        use('ad', mark + (f.label ?? '') + size, { file: ed.layout.file });
        return { ...base, mark, label: f.label, size };
      }
      case 'factbox': {
        const fb = bound.factboxes.get(f.ref!)!;
        use('factboxValue', fb.items.map((i) => flat(i.value)).join(''));
        use('factboxLabel', fb.items.map((i) => i.label).join(''));
        use('factboxTitle', fb.title);
        return { ...base, title: fb.title, items: fb.items, wide: f.columns[1] - f.columns[0] >= 3 };
      }
    }
  });

  const sources = bound.chains.map((c) => {
    const lead = layout.chains.get(c.id)?.some((f) => f.style === 'lead') ?? false;
    // a head set in the text: broken at phrase boundaries into even lines (compose/heads.ts), each
    // printed as a block of its own, as the composer counts them
    const frames = layout.chains.get(c.id) ?? [];
    const headW = frames.find((f) => f.style === 'lead')?.box.w ?? g.colW;
    const blocks = c.blocks
      .filter((b) => b.kind === 'para' || !layout.frames.some((f) => f.kind === 'head' && f.chain === c.id))
      .map((b) =>
        b.kind === 'head'
          ? {
              head: true,
              lines: inlineHeadLines(flat(b.segs), headW, g).map(
                ([from, to]) => new hb.SafeString(segsHtml(sliceSegs(b.segs, from, to))),
              ),
            }
          : { head: false, segs: b.segs },
      );
    // heads (in a head frame or in the text) and the lead are bold, **runs** too
    const headFrame = layout.frames.some((f) => f.kind === 'head' && f.chain === c.id);
    for (const b of c.blocks) {
      const role: Role = b.kind === 'head' ? (headFrame ? 'head' : 'inlineHead') : lead ? 'lead' : 'body';
      const bold = role !== 'body';
      use(role, flat(b.segs.filter((s) => bold || !s.bold)), b.place);
      if (!bold && b.segs.some((s) => s.bold)) use('bodyBold', flat(b.segs.filter((s) => s.bold)), b.place);
    }
    return {
      id: c.id,
      lead,
      blocks,
      house: { indent: meta.house?.indent ?? 2, hanLatin: meta.house?.hanLatin ?? 'none' },
    };
  });

  const p = g.preset;
  const vars = [
    `--page-w:${mm(g.pageW)}`,
    `--page-h:${mm(g.pageH)}`,
    `--bleed:${mm(p.bleed)}`,
    `--trim-w:${mm(p.trimW)}`,
    `--trim-h:${mm(p.trimH)}`,
    `--body:${mm(g.bodyMm)}`,
    `--pitch:${mm(g.pitch)}`,
    `--grid-left:${mm(g.left)}`,
    `--grid-top:${mm(g.top)}`,
    `--grid-w:${mm(p.trimW - 2 * g.left)}`,
    `--grid-h:${mm(g.lines * g.pitch)}`,
  ].join(';');

  const fonts = planFonts(texts);
  for (const [url, font] of fonts.files) assets.set(url, { font, type: 'font/ttf' });
  assets.set('/styles/fonts.css', { body: fonts.css, type: 'text/css' });
  const framesCss = `:root{${vars}}\n${rolesCss()}\n${css}`;
  assets.set('/styles/frames.css', { body: framesCss, type: 'text/css' });
  assets.set('/styles/page.css', { file: path.join(STYLES, 'page.css'), type: 'text/css' });
  assets.set('/scripts/layout.js', { file: PAGE_SCRIPT, type: 'text/javascript' });

  const frameHtml = new Map(frames.map((f) => [f.id, template(f.partial)(f)]));
  const sourceHtml = new Map(sources.map((c) => [c.id, template('chain-source')(c)]));
  const html = template('page')({
    lang: meta.language ?? 'zh-CN',
    title: meta.title,
    folio,
    frames: [...frameHtml.values()],
    sources: [...sourceHtml.values()],
  });
  return {
    html,
    parts: { frames: frameHtml, sources: sourceHtml, framesCss },
    assets,
    fonts,
    photos,
  };
}
