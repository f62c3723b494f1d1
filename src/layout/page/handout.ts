/**
 * The handout's page script: the same clreq line fitting as the newspaper page (linebreak.ts
 * chooses the lines, fit.ts cuts them out as spans), on each section's measure. Unlike the
 * page, a fitted line stays inline (styles/handout.css: nowrap spans, exactly the measure, a
 * <wbr> between them): the paragraph is still one block of text, so the browser breaks it where
 * the fitter chose and a paragraph copies, and is tagged, as one paragraph (P), not as a block
 * per line.
 */
import { fitChain, type Measure } from './fit.js';
import type { HandoutFitResult } from './handout-protocol.js';

function fit(): HandoutFitResult {
  const t0 = performance.now();
  const out: HandoutFitResult = { paragraphs: 0, lines: 0, orphans: 0, ms: 0 };
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
  out.ms = performance.now() - t0;
  return out;
}

globalThis.broadsheetHandout = { fit };
