/**
 * Copy-fit (in the page): a flexible photo or chart (minLines/maxLines in layout.yaml) gives and
 * takes lines with the text frames directly below it, so the chain there fits: the largest
 * height in its range at which nothing is overset.
 */
import { clone } from './fit.js';
import type { ChainLayout } from './protocol.js';
import { thread } from './thread.js';

/**
 * The chain `id` laid out again with the flexible frame above its frames at the height that
 * lets it fit (`first`, as laid out at the layout's height, if no flexible frame is above it).
 */
export function copyFit(
  id: string,
  pristine: HTMLElement,
  frames: HTMLElement[],
  pitch: number,
  first: ChainLayout,
): ChainLayout {
  const ids = new Set(frames.map((f) => f.id.slice(2)));
  for (const flex of Array.from(document.querySelectorAll<HTMLElement>('[data-flex]'))) {
    const [min, max, ...followerIds] = (flex.dataset.flex ?? '').split(' ');
    if (!followerIds.some((f) => ids.has(f))) continue;
    const followers = followerIds.map((f) => document.getElementById(`f-${f}`)).filter((f) => f !== null);
    if (flex.dataset.baseLines === undefined) {
      const parentTop = flex.offsetParent?.getBoundingClientRect().top ?? 0;
      flex.dataset.baseLines = String(Math.round(flex.getBoundingClientRect().height / pitch));
      for (const f of followers) {
        const r = f.getBoundingClientRect();
        f.dataset.baseTop = String(r.top - parentTop);
        f.dataset.baseHeight = String(r.height);
      }
    }
    const base = Number(flex.dataset.baseLines);
    let best: ChainLayout | undefined;
    let bestLines = Number(min);
    for (let lines = Number(max); lines >= Number(min); lines--) {
      setFlex(flex, followers, lines, pitch);
      const r = thread(id, clone(pristine), frames, pitch);
      if (r.status !== 'overset') {
        best = r;
        bestLines = lines;
        break;
      }
    }
    if (!best) {
      setFlex(flex, followers, Number(min), pitch);
      best = thread(id, clone(pristine), frames, pitch);
    }
    if (bestLines !== base) best.copyFit = { frame: flex.id.slice(2), fromLines: base, toLines: bestLines };
    return best;
  }
  return first;
}

/** Moves a flexible photo's or chart's bottom edge to `lines`; the text frames below it follow. */
function setFlex(flex: HTMLElement, followers: HTMLElement[], lines: number, pitch: number): void {
  const base = Number(flex.dataset.baseLines);
  const delta = (lines - base) * pitch;
  flex.style.height = `${lines * pitch}px`;
  // a flexible chart shows the rendering made for this height
  for (const v of Array.from(flex.querySelectorAll<HTMLElement>('.variant')))
    v.hidden = Number(v.dataset.lines) !== lines;
  for (const f of followers) {
    f.style.top = `${Number(f.dataset.baseTop) + delta}px`;
    f.style.height = `${Number(f.dataset.baseHeight) - delta}px`;
  }
}
