/**
 * Lay out (in the page): fits each paragraph to the character grid (linebreak.ts) and threads
 * each story chain through its text frames, with copy-fit of flexible photos. Runs in Chromium,
 * served to the page as /scripts/layout.js, called by print/render.ts through
 * window.broadsheetLayout() once the fonts are loaded. Text that does not fit is never cut
 * silently: what is left over is counted (characters and lines) and reported.
 */

import type { ChainLayout as ChainResult, LayoutResult, ProofGrid } from './types.js';
import { breakLines, isOrphan, tokenize } from './linebreak.js';

/** The text nodes of an element in order, and a way from a text offset to a DOM position. */
function textIndex(el: HTMLElement): { text: string; at: (offset: number) => [Text, number] } {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) nodes.push(n);
  const starts: number[] = [];
  let text = '';
  for (const n of nodes) {
    starts.push(text.length);
    text += n.data;
  }
  return {
    text,
    at(offset) {
      let k = nodes.length - 1;
      while (k > 0 && starts[k]! > offset) k--;
      return [nodes[k]!, offset - starts[k]!];
    },
  };
}

/** House style of the body text (edition.yaml `house`), as the page receives it. */
interface House {
  indent: number;
  hanLatin: number;
}

/**
 * Fits a paragraph to the character grid (linebreak.ts decides; this applies it): every line
 * becomes a block of exactly the measure, compressed marks and squeezed or loosened lines get
 * their spacing. Inline markup (figures, bold) is kept: lines are cut out of the paragraph with
 * ranges. Returns whether the last line is still an orphan (one character, or one and a mark).
 */
function fitParagraph(
  p: HTMLElement,
  measureEm: number,
  fontPx: number,
  ctx: CanvasRenderingContext2D,
  house: House,
): boolean {
  const first = textIndex(p);
  const units = tokenize(first.text, (s) => ctx.measureText(s).width / fontPx, measureEm - house.indent);
  if (units.length === 0) return false;
  const lines = breakLines(units, measureEm, house.indent, house.hanLatin);
  const lastLine = lines[lines.length - 1]!;
  const orphan = isOrphan(units, lastLine.from, lastLine.to);
  // compressed marks, last first so earlier offsets stay valid
  const marks: {
    offset: number;
    em: number;
    open: boolean;
    spacing: number;
    latin?: { end: number; left: number; right: number };
  }[] = [];
  for (const l of lines)
    for (const [k, em] of l.comp)
      marks.push({ offset: units[k]!.start, em, open: units[k]!.kind === 'open', spacing: l.spacing });
  // Latin runs that take the loosening of their line at their edges
  for (const l of lines) {
    if (!l.latinGap) continue;
    for (let k = l.from; k < l.to; k++) {
      const u = units[k]!;
      if (u.kind !== 'latin') continue;
      const left = k > l.from && units[k - 1]!.kind !== 'latin' ? l.latinGap : 0;
      const right = k + 1 < l.to && units[k + 1]!.kind !== 'latin' ? l.latinGap : 0;
      if (left || right)
        marks.push({ offset: u.start, em: 0, open: false, spacing: l.spacing, latin: { end: u.end, left, right } });
    }
  }
  marks.sort((a, b) => b.offset - a.offset);
  for (const m of marks) {
    if (m.latin) {
      const [sn, so] = first.at(m.offset);
      const [en, eo] = first.at(m.latin.end);
      const r = document.createRange();
      r.setStart(sn, so);
      r.setEnd(en, eo);
      const span = document.createElement('span');
      span.className = 'lat';
      span.style.marginLeft = `${m.latin.left}em`;
      span.style.marginRight = `${m.latin.right}em`;
      span.appendChild(r.extractContents());
      r.insertNode(span);
      continue;
    }
    const [node, off] = first.at(m.offset);
    const r = document.createRange();
    r.setStart(node, off);
    r.setEnd(node, off + 1);
    const span = document.createElement('span');
    span.className = m.open ? 'pc pc-open' : 'pc';
    if (m.open) {
      span.style.marginLeft = `${-m.em}em`;
      if (m.spacing) span.style.letterSpacing = `${m.spacing}em`;
    } else span.style.letterSpacing = `${m.spacing - m.em}em`;
    r.surroundContents(span);
  }
  // lines, last first
  const idx = textIndex(p);
  const blocks: HTMLElement[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    const r = document.createRange();
    const [sn, so] = idx.at(units[l.from]!.start);
    r.setStart(sn, so);
    if (l.last) r.setEndAfter(p.lastChild!);
    else {
      const [en, eo] = idx.at(units[l.to - 1]!.end);
      r.setEnd(en, eo);
    }
    const ln = document.createElement('span');
    ln.className = i === 0 ? 'ln ln-first' : 'ln';
    if (i === 0) ln.style.paddingLeft = `${house.indent}em`;
    if (l.spacing) ln.style.letterSpacing = `${l.spacing}em`;
    ln.appendChild(r.extractContents());
    blocks.unshift(ln);
  }
  p.replaceChildren(...blocks);
  p.classList.add('fitted');
  return orphan;
}

/** A chain's text fitted to the measure of its frames (all a chain's frames share a width). */
interface Measure {
  fontPx: number;
  measure: number;
  font: string;
}

/** The type and measure of a chain's frames (all a chain's frames share a width). */
function measureOf(frame: HTMLElement): Measure {
  const cs = getComputedStyle(frame);
  const fontPx = parseFloat(cs.fontSize);
  const measureEm = (frame.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)) / fontPx;
  return {
    fontPx,
    measure: Math.round(measureEm * 1000) / 1000,
    font: `${cs.fontWeight} ${fontPx}px ${cs.fontFamily}`,
  };
}

function fitChain(src: HTMLElement, m: Measure): { el: HTMLElement; orphans: number } {
  const out = src.cloneNode(true) as HTMLElement;
  const { fontPx, measure } = m;
  const ctx = document.createElement('canvas').getContext('2d')!;
  ctx.font = m.font;
  const house: House = {
    indent: Number(src.dataset.indent ?? 2),
    hanLatin: src.dataset.hanLatin === 'quarter' ? 0.25 : 0,
  };
  let orphans = 0;
  for (const p of Array.from(out.querySelectorAll<HTMLElement>('p'))) {
    // a warm rebuild fits again only the paragraphs whose text or measure changed
    const key = `${measure}|${fontPx}|${ctx.font}|${house.indent}|${house.hanLatin}|${p.outerHTML}`;
    const hit = fittedParagraphs.get(key);
    if (hit) {
      p.replaceWith(hit.el.cloneNode(true));
      if (hit.orphan) orphans++;
      continue;
    }
    const orphan = fitParagraph(p, measure, fontPx, ctx, house);
    if (orphan) orphans++;
    if (fittedParagraphs.size > 5000) fittedParagraphs.clear();
    fittedParagraphs.set(key, { el: p.cloneNode(true) as HTMLElement, orphan });
  }
  return { el: out, orphans };
}
const fittedParagraphs = new Map<string, { el: HTMLElement; orphan: boolean }>();

function pitchPx(): number {
  const probe = document.createElement('div');
  probe.style.height = 'var(--pitch)';
  probe.style.position = 'absolute';
  document.body.appendChild(probe);
  const h = probe.getBoundingClientRect().height;
  probe.remove();
  return h;
}

function overflows(frame: HTMLElement): boolean {
  return frame.scrollHeight > frame.clientHeight + 0.5;
}

/** The first character (over the paragraph's text) that lies below the frame bottom, if some lie above it. */
function firstOverflowingChar(p: HTMLElement, bottom: number): { node: Text; offset: number } | null {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const chars: { node: Text; offset: number }[] = [];
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    for (let i = 0; i < n.data.length; i++) chars.push({ node: n, offset: i });
  }
  const range = document.createRange();
  const below = (k: number): boolean => {
    const c = chars[k]!;
    range.setStart(c.node, c.offset);
    range.setEnd(c.node, c.offset + 1);
    const r = range.getBoundingClientRect();
    return r.bottom > bottom + 0.5;
  };
  let lo = 0;
  let hi = chars.length; // first index that is below
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(mid)) hi = mid;
    else lo = mid + 1;
  }
  // none below, or all of it: nothing to split (a paragraph cut before its first character would
  // leave the empty shells of its first line's spans behind, and a marked opening quote's margin
  // keeps such a line: an empty line at the top of the next column)
  return lo > 0 && lo < chars.length ? chars[lo]! : null;
}

/** Splits `p` at the first line that leaves the frame; returns the rest as a new paragraph. */
function splitParagraph(p: HTMLElement, frame: HTMLElement): HTMLElement | null {
  const bottom = frame.getBoundingClientRect().top + frame.clientHeight;
  const at = firstOverflowingChar(p, bottom);
  if (!at) return null;
  const range = document.createRange();
  range.setStart(at.node, at.offset);
  range.setEndAfter(p.lastChild!);
  const rest = p.cloneNode(false) as HTMLElement;
  rest.appendChild(range.extractContents());
  rest.classList.add('cont');
  rest.classList.remove('split');
  p.classList.add('split');
  return rest;
}

function textLength(el: Element): number {
  return [...(el.textContent ?? '')].filter((c) => !/\s/.test(c)).length;
}

function layoutChain(id: string, src: HTMLElement, frames: HTMLElement[], pitch: number): ChainResult {
  for (const f of frames) f.replaceChildren();
  const queue: HTMLElement[] = Array.from(src.children) as HTMLElement[];
  let fi = 0;
  while (queue.length && fi < frames.length) {
    const frame = frames[fi]!;
    const block = queue.shift()!;
    frame.appendChild(block);
    if (!overflows(frame)) continue;
    if (block.tagName === 'P') {
      const rest = splitParagraph(block, frame);
      if (rest && textLength(block) > 0) {
        queue.unshift(rest);
      } else {
        block.remove();
        if (rest) block.append(...Array.from(rest.childNodes));
        block.classList.remove('split');
        queue.unshift(block);
      }
    } else {
      block.remove();
      queue.unshift(block);
    }
    // a head never ends a frame: keep it with its text
    const last = frame.lastElementChild;
    if (last && last.tagName === 'H2' && frame.children.length > 1) {
      last.remove();
      queue.unshift(last as HTMLElement);
    }
    fi++;
  }
  const result: ChainResult = {
    id,
    status: 'fits',
    oversetChars: 0,
    oversetLines: 0,
    emptyLines: 0,
    frames: frames.map((f) => f.id.slice(2)),
    texts: frames.map((f) => f.textContent ?? ''),
  };
  if (queue.length) {
    // measure what is left in a frame of the last frame's width
    const last = frames[frames.length - 1]!;
    const probe = last.cloneNode(false) as HTMLElement;
    probe.id = '';
    const cs = getComputedStyle(last);
    // the frame's geometry and type come from its id rule; copy them to the probe
    Object.assign(probe.style, {
      width: `${last.clientWidth}px`,
      fontSize: cs.fontSize,
      lineHeight: cs.lineHeight,
      paddingTop: '0',
      borderTop: '0',
    });
    probe.style.height = 'auto';
    probe.style.visibility = 'hidden';
    last.parentElement!.appendChild(probe);
    for (const b of queue) probe.appendChild(b);
    result.oversetChars = queue.reduce((n, b) => n + textLength(b), 0);
    result.oversetLines = Math.round(probe.scrollHeight / (parseFloat(cs.lineHeight) || pitch));
    probe.remove();
    result.status = 'overset';
    const marker = document.createElement('span');
    marker.className = 'overset-marker';
    marker.textContent = '▶';
    last.appendChild(marker);
    return result;
  }
  // empty lines: the unused part of the frame holding the last block, and any frame after it
  let empty = 0;
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k]!;
    if (k < fi) continue;
    const top = f.getBoundingClientRect().top + (parseFloat(getComputedStyle(f).paddingTop) || 0);
    const lastChild = f.lastElementChild;
    const used = lastChild ? lastChild.getBoundingClientRect().bottom - top : 0;
    // whole lines (the frame's own border, a rule, takes a fraction of a point)
    // in the frame's own lines (a lead is set on 1.5 body lines)
    const lh = parseFloat(getComputedStyle(f).lineHeight) || pitch;
    empty += Math.round((f.clientHeight - (parseFloat(getComputedStyle(f).paddingTop) || 0) - used) / lh);
  }
  result.emptyLines = empty;
  result.status = empty > 0 ? 'underset' : 'fits';
  return result;
}

/** Moves a flexible photo's or chart's bottom edge to `lines`; the text frames below it follow. */
function setFlex(photo: HTMLElement, followers: HTMLElement[], lines: number, pitch: number): void {
  const base = Number(photo.dataset.baseLines);
  const delta = (lines - base) * pitch;
  photo.style.height = `${lines * pitch}px`;
  // a flexible chart shows the rendering made for this height
  for (const v of Array.from(photo.querySelectorAll<HTMLElement>('.variant')))
    v.hidden = Number(v.dataset.lines) !== lines;
  for (const f of followers) {
    f.style.top = `${Number(f.dataset.baseTop) + delta}px`;
    f.style.height = `${Number(f.dataset.baseHeight) - delta}px`;
  }
}

/**
 * Copy-fit: a flexible photo above a chain's frames takes the height that lets the chain fit:
 * the largest photo (within its range) with no text overset.
 */
function copyFit(
  id: string,
  pristine: HTMLElement,
  frames: HTMLElement[],
  pitch: number,
  first: ChainResult,
): ChainResult {
  const ids = new Set(frames.map((f) => f.id.slice(2)));
  for (const photo of Array.from(document.querySelectorAll<HTMLElement>('[data-flex]'))) {
    const [min, max, ...followerIds] = photo.dataset.flex!.split(' ');
    if (!followerIds.some((f) => ids.has(f))) continue;
    const followers = followerIds.map((f) => document.getElementById(`f-${f}`)!);
    const parentTop = photo.offsetParent!.getBoundingClientRect().top;
    if (photo.dataset.baseLines === undefined) {
      photo.dataset.baseLines = String(Math.round(photo.getBoundingClientRect().height / pitch));
      for (const f of followers) {
        const r = f.getBoundingClientRect();
        f.dataset.baseTop = String(r.top - parentTop);
        f.dataset.baseHeight = String(r.height);
      }
    }
    const base = Number(photo.dataset.baseLines);
    let best: ChainResult | undefined;
    let bestLines = Number(min);
    for (let lines = Number(max); lines >= Number(min); lines--) {
      setFlex(photo, followers, lines, pitch);
      const r = layoutChain(id, pristine.cloneNode(true) as HTMLElement, frames, pitch);
      if (r.status !== 'overset') {
        best = r;
        bestLines = lines;
        break;
      }
    }
    if (!best) {
      setFlex(photo, followers, Number(min), pitch);
      best = layoutChain(id, pristine.cloneNode(true) as HTMLElement, frames, pitch);
    }
    if (bestLines !== base) best.copyFit = { frame: photo.id.slice(2), fromLines: base, toLines: bestLines };
    return best;
  }
  return first;
}

/** Each chain's text as composed, kept so a chain can be threaded again after a change. */
const pristine = new Map<string, HTMLElement>();
const results = new Map<string, ChainResult>();

function chainFrames(id: string): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(`.frame.text[data-chain="${CSS.escape(id)}"]`)).sort(
    (a, b) => Number(a.dataset.seq) - Number(b.dataset.seq),
  );
}

const fitted = new Map<string, { el: HTMLElement; orphans: number }>();
/** each chain's type and measure, read once while the page is untouched */
const measures = new Map<string, Measure>();

function threadChain(id: string, pitch: number): void {
  const frames = chainFrames(id);
  let fit = fitted.get(id);
  if (!fit) {
    // measured before the chains change the page (each change would force a layout to read it)
    let m = measures.get(id);
    if (!m) measures.set(id, (m = measureOf(frames[0]!)));
    fit = fitChain(pristine.get(id)!, m);
    fitted.set(id, fit);
  }
  const src = fit.el;
  let r = layoutChain(id, src.cloneNode(true) as HTMLElement, frames, pitch);
  if (r.status === 'overset' || r.emptyLines > 1) r = copyFit(id, src, frames, pitch, r);
  results.set(id, { ...r, orphans: fit.orphans });
}

function collect(t0: number): LayoutResult {
  const mm = (px: number) => (px * 25.4) / 96;
  const photos = Array.from(document.querySelectorAll<HTMLElement>('[data-photo]')).map((f) => {
    const r = f.querySelector('img')!.getBoundingClientRect();
    return { id: f.dataset.photo!, widthMm: mm(r.width), heightMm: mm(r.height) };
  });
  const order = Array.from(document.querySelectorAll<HTMLElement>('.chain-source')).map((s) => s.dataset.chain!);
  return { chains: order.map((id) => results.get(id)!), photos, ms: performance.now() - t0 };
}

let laidOut = false;

function broadsheetLayout(): LayoutResult {
  laidOut = true;
  const t0 = performance.now();
  const pitch = pitchPx();
  for (const src of Array.from(document.querySelectorAll<HTMLElement>('.chain-source'))) {
    pristine.set(src.dataset.chain!, src.cloneNode(true) as HTMLElement);
    src.replaceChildren();
  }
  for (const id of pristine.keys()) {
    const first = chainFrames(id)[0];
    if (first) measures.set(id, measureOf(first));
  }
  for (const id of pristine.keys()) threadChain(id, pitch);
  return collect(t0);
}

interface PageUpdate {
  frames: [string, string][];
  sources: [string, string][];
  framesCss?: string;
}

/**
 * A warm rebuild: replace the frames and chain texts that changed, thread again only the chains
 * they touch (all of them when the geometry changed), and report as broadsheetLayout does. On a
 * page not yet laid out, replace what changed and lay it all out.
 */
function broadsheetUpdate(u: PageUpdate): LayoutResult {
  const t0 = performance.now();
  const pitch = pitchPx();
  const dirty = new Set<string>();
  const parse = (html: string) => {
    const t = document.createElement('template');
    t.innerHTML = html;
    return t.content.firstElementChild as HTMLElement;
  };
  for (const [id, html] of u.frames) {
    const old = document.getElementById(`f-${id}`);
    const next = parse(html);
    if (old) old.replaceWith(next);
    if (next.dataset.chain) dirty.add(next.dataset.chain);
    // a flexible photo gives and takes lines with the chains below it
    for (const f of (next.dataset.flex ?? '').split(' ').slice(2)) {
      const chain = document.getElementById(`f-${f}`)?.dataset.chain;
      if (chain) dirty.add(chain);
    }
  }
  for (const [id, html] of u.sources) {
    const el = parse(html);
    if (!laidOut) {
      document.querySelector(`.chain-source[data-chain="${CSS.escape(id)}"]`)?.replaceWith(el);
      continue;
    }
    pristine.set(id, el.cloneNode(true) as HTMLElement);
    fitted.delete(id);
    dirty.add(id);
  }
  if (u.framesCss !== undefined) {
    const sheet = Array.from(document.styleSheets).find((x) => x.href?.endsWith('/styles/frames.css'))!;
    while (sheet.cssRules.length) sheet.deleteRule(0);
    for (const rule of u.framesCss
      .split(/\n(?=\S)/)
      .map((r) => r.trim())
      .filter(Boolean))
      sheet.insertRule(rule, sheet.cssRules.length);
    for (const id of pristine.keys()) dirty.add(id);
    fitted.clear();
    measures.clear();
  }
  // a page loaded ahead (while the charts were drawn) is laid out for the first time now
  if (!laidOut) return broadsheetLayout();
  for (const id of dirty) if (pristine.has(id)) threadChain(id, pitch);
  return collect(t0);
}

(
  window as unknown as { broadsheetLayout: typeof broadsheetLayout; broadsheetUpdate: typeof broadsheetUpdate }
).broadsheetLayout = broadsheetLayout;
(window as unknown as { broadsheetUpdate: typeof broadsheetUpdate }).broadsheetUpdate = broadsheetUpdate;

/**
 * The proof overlay: column grid, baseline grid, frame outlines with their names, and overset
 * chains boxed in red. Drawn after the PDF is printed, for the proof PNG only.
 */
function broadsheetProof(g: ProofGrid, chains: ChainResult[]): void {
  const trim = document.querySelector<HTMLElement>('.trim')!;
  const layer = document.createElement('div');
  layer.className = 'proof-layer';
  const mm = (v: number) => `${v}mm`;
  const add = (css: Partial<CSSStyleDeclaration>, text?: string) => {
    const d = document.createElement('div');
    Object.assign(d.style, { position: 'absolute', pointerEvents: 'none', boxSizing: 'border-box' }, css);
    if (text) d.textContent = text;
    layer.appendChild(d);
    return d;
  };
  for (let c = 0; c < g.columns; c++) {
    add({
      left: mm(g.left + c * (g.colW + g.gutter)),
      top: mm(g.top),
      width: mm(g.colW),
      height: mm(g.lines * g.pitch),
      background: 'rgba(0,160,255,0.07)',
    });
  }
  for (let l = 0; l <= g.lines; l++) {
    add({
      left: mm(g.left),
      top: mm(g.top + l * g.pitch),
      width: mm(g.columns * g.colW + (g.columns - 1) * g.gutter),
      height: '0',
      borderTop: '0.5px solid rgba(0,160,255,0.35)',
    });
  }
  const over = new Set(chains.filter((c) => c.status === 'overset').map((c) => c.frames[c.frames.length - 1]));
  for (const f of Array.from(document.querySelectorAll<HTMLElement>('.frame'))) {
    const id = f.id.slice(2);
    const r = f.getBoundingClientRect();
    const t = trim.getBoundingClientRect();
    const bad = over.has(id);
    const box = add({
      left: `${r.left - t.left}px`,
      top: `${r.top - t.top}px`,
      width: `${r.width}px`,
      height: `${r.height}px`,
      border: bad ? '3px solid #e00' : '1px solid #e4007f',
    });
    const label = add(
      {
        left: '0',
        top: '0',
        background: bad ? '#e00' : '#e4007f',
        color: '#fff',
        font: '600 9px sans-serif',
        padding: '0 3px',
      },
      id + (bad ? ' OVERSET' : ''),
    );
    box.appendChild(label);
  }
  for (const c of chains.filter((x) => x.status === 'overset')) {
    const last = document.getElementById(`f-${c.frames[c.frames.length - 1]}`)!;
    const r = last.getBoundingClientRect();
    const t = trim.getBoundingClientRect();
    add(
      {
        left: `${r.left - t.left}px`,
        top: `${r.bottom - t.top}px`,
        background: '#e00',
        color: '#fff',
        font: '700 11px sans-serif',
        padding: '1px 4px',
      },
      `${c.id}: ${c.oversetChars}字 / ${c.oversetLines} lines over`,
    );
  }
  trim.appendChild(layer);
}

(window as unknown as { broadsheetProof: typeof broadsheetProof }).broadsheetProof = broadsheetProof;
