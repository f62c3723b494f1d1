/**
 * Lay out (in the page): threads each story chain through its text frames. Runs in Chromium,
 * served to the page as /scripts/layout.js, called by print/render.ts through
 * window.broadsheetLayout() once the fonts are loaded. Text that does not fit is never cut
 * silently: what is left over is counted (characters and lines) and reported.
 */

interface ChainResult {
  id: string;
  status: 'fits' | 'overset' | 'underset';
  oversetChars: number;
  oversetLines: number;
  emptyLines: number;
  frames: string[];
}

interface LayoutResult { chains: ChainResult[]; ms: number }

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

/** The first character offset (over the paragraph's text) that lies below the frame bottom. */
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
  return lo < chars.length ? chars[lo]! : null;
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
  const result: ChainResult = { id, status: 'fits', oversetChars: 0, oversetLines: 0, emptyLines: 0, frames: frames.map((f) => f.id.slice(2)) };
  if (queue.length) {
    // measure what is left in a frame of the last frame's width
    const last = frames[frames.length - 1]!;
    const probe = last.cloneNode(false) as HTMLElement;
    probe.id = '';
    probe.style.height = 'auto';
    probe.style.visibility = 'hidden';
    last.parentElement!.appendChild(probe);
    for (const b of queue) probe.appendChild(b);
    result.oversetChars = queue.reduce((n, b) => n + textLength(b), 0);
    result.oversetLines = Math.round(probe.scrollHeight / pitch);
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
    empty += Math.floor((f.clientHeight - (parseFloat(getComputedStyle(f).paddingTop) || 0) - used) / pitch + 0.01);
  }
  result.emptyLines = empty;
  result.status = empty > 0 ? 'underset' : 'fits';
  return result;
}

function broadsheetLayout(): LayoutResult {
  const t0 = performance.now();
  const pitch = pitchPx();
  const chains: ChainResult[] = [];
  for (const src of Array.from(document.querySelectorAll<HTMLElement>('.chain-source'))) {
    const id = src.dataset.chain!;
    const frames = Array.from(document.querySelectorAll<HTMLElement>(`.frame.text[data-chain="${CSS.escape(id)}"]`))
      .sort((a, b) => Number(a.dataset.seq) - Number(b.dataset.seq));
    chains.push(layoutChain(id, src, frames, pitch));
  }
  return { chains, ms: performance.now() - t0 };
}

(window as unknown as { broadsheetLayout: typeof broadsheetLayout }).broadsheetLayout = broadsheetLayout;
