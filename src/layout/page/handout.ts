/**
 * The handout's page script: the same clreq line fitting as the newspaper page (linebreak.ts
 * chooses the lines, fit.ts cuts them out as spans), on each section's measure. Unlike the
 * page, a fitted line stays inline (styles/handout.css: nowrap spans, exactly the measure, a
 * <wbr> between them): the paragraph is still one block of text, so the browser breaks it where
 * the fitter chose and a paragraph copies, and is tagged, as one paragraph (P), not as a block
 * per line. Then figures that would leave a gap at a page's foot are moved down a little.
 */
import { fitChain, type Measure } from './fit.js';
import type { HandoutFitResult } from './handout-protocol.js';

function fit(): HandoutFitResult {
  const t0 = performance.now();
  const out: HandoutFitResult = { paragraphs: 0, lines: 0, orphans: 0, moved: 0, ms: 0 };
  for (const section of Array.from(document.querySelectorAll<HTMLElement>('section.chain'))) {
    const p = section.querySelector<HTMLElement>(':scope > p');
    if (!p) continue;
    const cs = getComputedStyle(p);
    const fontPx = parseFloat(cs.fontSize);
    const m: Measure = {
      fontPx,
      measure: Math.round((section.clientWidth / fontPx) * 1000) / 1000,
      font: `${cs.fontWeight} ${fontPx}px ${cs.fontFamily}`,
    };
    const fitted = fitChain(section, m);
    for (const q of Array.from(fitted.el.querySelectorAll<HTMLElement>(':scope > p.fitted'))) {
      const lines = Array.from(q.querySelectorAll<HTMLElement>(':scope > .ln'));
      for (const ln of lines.slice(0, -1)) ln.after(document.createElement('wbr'));
      out.paragraphs++;
      out.lines += lines.length;
    }
    out.orphans += fitted.orphans;
    section.replaceWith(fitted.el);
  }
  out.moved = arrangeFigures();
  out.ms = performance.now() - t0;
  return out;
}

/** How far a figure may move from the paragraph that first mentions it, in paragraphs. */
const MAX_MOVE = 3;
/** A gap larger than this share of the page, left at the foot of a page by a figure that went over, is filled. */
const MAX_GAP = 0.12;

/**
 * A figure is never split: one that does not fit at the foot of a page goes to the next and
 * leaves a gap. The handout is laid out here as its pages will be, as columns of the text
 * block's height (the same fragmentation rules: figures unbroken, heads kept with their text,
 * orphans and widows); each figure that leaves a gap larger than MAX_GAP of the page is moved
 * below the next paragraph (which fills the gap), at most MAX_MOVE paragraphs from its place.
 * Returns how many moves were made.
 */
function arrangeFigures(): number {
  const article = document.querySelector<HTMLElement>('article');
  if (!article) return 0;
  article.classList.add('paging');
  const pageH = article.clientHeight;
  const top = article.getBoundingClientRect().top;
  const colW = article.clientWidth;
  const left = article.getBoundingClientRect().left;
  const movedBy = new Map<Element, number>();
  let moves = 0;
  for (let pass = 0; pass < 40; pass++) {
    let moved = false;
    for (const fig of Array.from(article.querySelectorAll<HTMLElement>('section > figure'))) {
      const prev = fig.previousElementSibling;
      const next = fig.nextElementSibling;
      if (!prev || !next || next.tagName !== 'P' || (movedBy.get(fig) ?? 0) >= MAX_MOVE) continue;
      const r = fig.getBoundingClientRect();
      const col = Math.round((r.left - left) / colW);
      const rects = prev.getClientRects();
      const last = rects[rects.length - 1];
      if (!last || Math.round((last.left - left) / colW) !== col - 1) continue;
      const gap = top + pageH - last.bottom;
      if (gap <= pageH * MAX_GAP) continue;
      next.after(fig);
      movedBy.set(fig, (movedBy.get(fig) ?? 0) + 1);
      moves++;
      moved = true;
      break; // measured again
    }
    if (!moved) break;
  }
  article.classList.remove('paging');
  return moves;
}

globalThis.broadsheetHandout = { fit };
