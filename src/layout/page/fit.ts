/**
 * Fitting (in the page): each paragraph of a chain set to the character grid. linebreak.ts
 * chooses the lines; this applies them to the DOM: every line becomes a block of exactly the
 * measure, compressed marks and squeezed or loosened lines get their spacing.
 */
import { breakLines, isOrphan, tokenize } from './linebreak.js';

/** The type and measure of a chain's frames (all a chain's frames share a width). */
export interface Measure {
  fontPx: number;
  measure: number;
  /** the CSS font of the chain's paragraphs as they print (a lead's are bold) */
  font: string;
  /** the font of a **bold** run in them (default: `font`) */
  boldFont?: string;
}

/** House style of the body text (edition.yaml `house`), as the page receives it. */
interface House {
  indent: number;
  hanLatin: number;
}

/** A chain's text fitted to the measure, and how many of its paragraphs end on an orphan. */
export interface Fitted {
  el: HTMLElement;
  orphans: number;
}

/** Latin runs measured by font and text. */
const latinWidths = new Map<string, number>();
let probe: HTMLElement | undefined;

/**
 * The width of a Latin run in px as the page sets it: a span in the page, not the canvas (its
 * measureText gave digits about 0.015 em narrower each than printed: lines of figures ran up
 * to 0.2 mm past their frame).
 */
function latinWidth(font: string, s: string): number {
  const key = `${font}|${s}`;
  let w = latinWidths.get(key);
  if (w === undefined) {
    if (!probe) {
      probe = document.createElement('span');
      Object.assign(probe.style, {
        position: 'absolute',
        visibility: 'hidden',
        whiteSpace: 'pre',
        left: '0',
        top: '0',
      });
      document.body.appendChild(probe);
    }
    probe.style.font = font;
    probe.textContent = s;
    w = probe.getBoundingClientRect().width;
    if (latinWidths.size > 20000) latinWidths.clear();
    latinWidths.set(key, w);
  }
  return w;
}

/**
 * The measure of a frame, read from its computed style, and the type its text prints in, read
 * from a paragraph and a bold run set in the frame for the purpose: text is measured at the
 * weight it prints (a lead measured at the frame's normal weight and printed bold ran past
 * its frame by up to 2.8 mm; issue 12).
 */
export function measureOf(frame: HTMLElement): Measure {
  const cs = getComputedStyle(frame);
  const fontPx = parseFloat(cs.fontSize);
  // the frame's fractional width (clientWidth is rounded to whole px: 0.33 px too wide at A4)
  const inner =
    frame.getBoundingClientRect().width -
    ['borderLeftWidth', 'borderRightWidth', 'paddingLeft', 'paddingRight'].reduce(
      (n, k) => n + (parseFloat(cs.getPropertyValue(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))) || 0),
      0,
    );
  const measureEm = inner / fontPx;
  const p = document.createElement('p');
  const b = document.createElement('b');
  p.appendChild(b);
  frame.appendChild(p);
  const font = (el: HTMLElement) => {
    const s = getComputedStyle(el);
    return `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  };
  const m = { fontPx, measure: Math.round(measureEm * 1000) / 1000, font: font(p), boldFont: font(b) };
  p.remove();
  return m;
}

/** Fitted paragraphs by their HTML, measure and house style: a warm rebuild fits only what changed. */
const fittedParagraphs = new Map<string, { el: HTMLElement; orphan: boolean }>();

/** A chain's text (its source element, left untouched) fitted to the measure of its frames. */
export function fitChain(src: HTMLElement, m: Measure): Fitted {
  const out = clone(src);
  const { fontPx, measure } = m;
  const house: House = {
    indent: Number(src.dataset.indent ?? 2),
    hanLatin: src.dataset.hanLatin === 'quarter' ? 0.25 : 0,
  };
  let orphans = 0;
  for (const p of Array.from(out.querySelectorAll<HTMLElement>('p'))) {
    const key = `${measure}|${fontPx}|${m.font}|${m.boldFont}|${house.indent}|${house.hanLatin}|${p.outerHTML}`;
    const hit = fittedParagraphs.get(key);
    if (hit) {
      p.replaceWith(hit.el.cloneNode(true));
      if (hit.orphan) orphans++;
      continue;
    }
    const orphan = fitParagraph(p, m, house);
    if (orphan) orphans++;
    if (fittedParagraphs.size > 5000) fittedParagraphs.clear();
    fittedParagraphs.set(key, { el: clone(p), orphan });
  }
  return { el: out, orphans };
}

/** A deep copy of an element, typed as one. */
export function clone<T extends Element>(el: T): T {
  return el.cloneNode(true) as T;
}

/** The text nodes of an element in order, and a way from a text offset to a DOM position. */
function textIndex(el: HTMLElement): { text: string; at: (offset: number) => [Text, number] } {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n instanceof Text) nodes.push(n);
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
      while (k > 0 && (starts[k] ?? 0) > offset) k--;
      const node = nodes[k];
      if (!node) throw new Error('offset in a paragraph without text');
      return [node, offset - (starts[k] ?? 0)];
    },
  };
}

/** A mark compressed, or a Latin run given the loosening of its line at its edges. */
interface Mark {
  offset: number;
  em: number;
  open: boolean;
  spacing: number;
  latin?: { end: number; left: number; right: number };
}

/**
 * White space the line fitting does not count (source line breaks, a space between Han and a
 * Latin run) is taken out of the paragraph, so the page prints what was measured: a space
 * kept there made a line up to 1 mm longer than its frame. Spaces between the words of a Latin
 * run stay (tokenize counts them).
 */
function dropSpaces(p: HTMLElement): void {
  const idx = textIndex(p);
  const keep = new Uint8Array(idx.text.length);
  for (const u of tokenize(idx.text, () => 1)) keep.fill(1, u.start, u.end);
  for (let o = idx.text.length - 1; o >= 0; o--) {
    if (keep[o] || !/\s/.test(idx.text[o]!)) continue;
    const [node, off] = idx.at(o);
    node.deleteData(off, 1);
  }
}

/**
 * Fits a paragraph to the character grid. Inline markup (figures, bold) is kept: lines are cut
 * out of the paragraph with ranges. Returns whether the last line is still an orphan (one
 * character, or one and a mark).
 */
function fitParagraph(p: HTMLElement, m: Measure, house: House): boolean {
  const measureEm = m.measure;
  dropSpaces(p);
  const first = textIndex(p);
  // a Latin run is measured in the weight it prints: bold inside a <b>
  const measureLatin = (s: string, start: number) => {
    const [node] = first.at(start);
    return latinWidth(node.parentElement?.closest('b') ? (m.boldFont ?? m.font) : m.font, s) / m.fontPx;
  };
  const units = tokenize(first.text, measureLatin, measureEm - house.indent);
  const lines = breakLines(units, measureEm, house.indent, house.hanLatin, first.text);
  const lastLine = lines[lines.length - 1];
  if (!lastLine) return false;
  const orphan = isOrphan(units, lastLine.from, lastLine.to);
  // compressed marks, last first so earlier offsets stay valid
  const marks: Mark[] = [];
  for (const l of lines)
    for (const [k, em] of l.comp) {
      const u = units[k];
      if (u) marks.push({ offset: u.start, em, open: u.kind === 'open', spacing: l.spacing });
    }
  // Latin runs that take the loosening of their line at their edges, and that a squeezed or
  // loosened line spaces as one character (its spacing after the run, none inside it)
  for (const l of lines) {
    if (!l.latinGap && !l.spacing) continue;
    for (let k = l.from; k < l.to; k++) {
      const u = units[k];
      if (u?.kind !== 'latin') continue;
      // where it meets a Han character (linebreak.ts latinBoundaries), not a mark
      const left = k > l.from && units[k - 1]?.kind === 'han' ? l.latinGap : 0;
      const right = k + 1 < l.to && units[k + 1]?.kind === 'han' ? l.latinGap : 0;
      if (left || right || l.spacing)
        marks.push({ offset: u.start, em: 0, open: false, spacing: l.spacing, latin: { end: u.end, left, right } });
    }
  }
  marks.sort((a, b) => b.offset - a.offset);
  for (const mk of marks) {
    if (mk.latin) {
      const [sn, so] = first.at(mk.offset);
      const [en, eo] = first.at(mk.latin.end);
      const r = document.createRange();
      r.setStart(sn, so);
      r.setEnd(en, eo);
      const span = document.createElement('span');
      span.className = 'lat';
      span.style.marginLeft = `${mk.latin.left}em`;
      span.style.marginRight = `${mk.latin.right + mk.spacing}em`;
      if (mk.spacing) span.style.letterSpacing = '0';
      span.appendChild(r.extractContents());
      r.insertNode(span);
      continue;
    }
    const [node, off] = first.at(mk.offset);
    const r = document.createRange();
    r.setStart(node, off);
    r.setEnd(node, off + 1);
    const span = document.createElement('span');
    span.className = mk.open ? 'pc pc-open' : 'pc';
    if (mk.open) {
      span.style.marginLeft = `${-mk.em}em`;
      if (mk.spacing) span.style.letterSpacing = `${mk.spacing}em`;
    } else span.style.letterSpacing = `${mk.spacing - mk.em}em`;
    r.surroundContents(span);
  }
  // lines, last first
  const idx = textIndex(p);
  const blocks: HTMLElement[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    const from = l && units[l.from];
    const to = l && units[l.to - 1];
    if (!l || !from || !to) continue;
    const r = document.createRange();
    const [sn, so] = idx.at(from.start);
    r.setStart(sn, so);
    if (l.last && p.lastChild) r.setEndAfter(p.lastChild);
    else {
      const [en, eo] = idx.at(to.end);
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
