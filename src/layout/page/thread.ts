/**
 * Threading (in the page): a chain's fitted text poured into its frames in order, a paragraph
 * split where a frame ends, a head never left at the bottom of a frame. Text that does not fit
 * is never cut silently: what is left over is counted (characters and lines) and marked (▶).
 */
import type { ChainLayout } from './protocol.js';

/** Pours a chain's blocks (`src`, consumed) into its frames; says whether it fits and by how much. */
export function thread(id: string, src: HTMLElement, frames: HTMLElement[], pitch: number): ChainLayout {
  for (const f of frames) f.replaceChildren();
  const queue = Array.from(src.children).filter((c) => c instanceof HTMLElement);
  let fi = 0;
  while (queue.length && fi < frames.length) {
    const frame = frames[fi];
    const block = queue.shift();
    if (!frame || !block) break;
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
    if (last instanceof HTMLElement && last.tagName === 'H2' && frame.children.length > 1) {
      last.remove();
      queue.unshift(last);
    }
    fi++;
  }
  const result: ChainLayout = {
    id,
    status: 'fits',
    oversetChars: 0,
    oversetLines: 0,
    emptyLines: 0,
    frames: frames.map((f) => f.id.slice(2)),
    texts: frames.map((f) => f.textContent ?? ''),
  };
  const last = frames[frames.length - 1];
  if (queue.length && last) {
    Object.assign(result, overset(queue, last, pitch));
    return result;
  }
  // empty lines: the unused part of the frame holding the last block, and any frame after it
  let empty = 0;
  for (const f of frames.slice(fi)) {
    const padding = parseFloat(getComputedStyle(f).paddingTop) || 0;
    const top = f.getBoundingClientRect().top + padding;
    const lastChild = f.lastElementChild;
    const used = lastChild ? lastChild.getBoundingClientRect().bottom - top : 0;
    // whole lines (the frame's own border, a rule, takes a fraction of a point), in the frame's
    // own lines (a lead is set on 1.5 body lines)
    const lh = parseFloat(getComputedStyle(f).lineHeight) || pitch;
    empty += Math.round((f.clientHeight - padding - used) / lh);
  }
  result.emptyLines = empty;
  result.status = empty > 0 ? 'underset' : 'fits';
  return result;
}

/** What is left over, measured in a frame of the last frame's width; the ▶ marker set in that frame. */
function overset(
  queue: HTMLElement[],
  last: HTMLElement,
  pitch: number,
): Pick<ChainLayout, 'status' | 'oversetChars' | 'oversetLines'> {
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
  last.parentElement?.appendChild(probe);
  for (const b of queue) probe.appendChild(b);
  const oversetChars = queue.reduce((n, b) => n + textLength(b), 0);
  const oversetLines = Math.round(probe.scrollHeight / (parseFloat(cs.lineHeight) || pitch));
  probe.remove();
  const marker = document.createElement('span');
  marker.className = 'overset-marker';
  marker.textContent = '▶';
  last.appendChild(marker);
  return { status: 'overset', oversetChars, oversetLines };
}

function overflows(frame: HTMLElement): boolean {
  return frame.scrollHeight > frame.clientHeight + 0.5;
}

/** The first character (over the paragraph's text) that lies below the frame bottom. */
function firstOverflowingChar(p: HTMLElement, bottom: number): { node: Text; offset: number } | undefined {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const chars: { node: Text; offset: number }[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n instanceof Text) for (let i = 0; i < n.data.length; i++) chars.push({ node: n, offset: i });
  }
  const range = document.createRange();
  const below = (c: { node: Text; offset: number }): boolean => {
    range.setStart(c.node, c.offset);
    range.setEnd(c.node, c.offset + 1);
    return range.getBoundingClientRect().bottom > bottom + 0.5;
  };
  let lo = 0;
  let hi = chars.length; // first index that is below
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = chars[mid];
    if (c && below(c)) hi = mid;
    else lo = mid + 1;
  }
  return chars[lo];
}

/** Splits `p` at the first line that leaves the frame; returns the rest as a new paragraph. */
function splitParagraph(p: HTMLElement, frame: HTMLElement): HTMLElement | undefined {
  const bottom = frame.getBoundingClientRect().top + frame.clientHeight;
  const at = firstOverflowingChar(p, bottom);
  if (!at || !p.lastChild) return undefined;
  const range = document.createRange();
  range.setStart(at.node, at.offset);
  range.setEndAfter(p.lastChild);
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
