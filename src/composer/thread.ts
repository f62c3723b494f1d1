/**
 * A chain threaded through its frames in Node, block by block as the page does it
 * (layout/page/thread.ts): paragraphs are split at a line; an inline head (3 lines) is
 * never split, and never ends a frame; what is left over is overset. Used to predict what the
 * build will report, and to find single lines of a paragraph left at a column's top or foot.
 */

export type Block = { kind: 'para'; lines: number } | { kind: 'head'; lines: number };

export interface Threaded {
  /** lines of text left over (0 when it fits) */
  oversetLines: number;
  /** unused lines of the frame holding the last block and of every frame after it */
  emptyLines: number;
  /** a paragraph's single line left alone at a column's foot or top */
  widows: number;
  /** lines each frame holds */
  used: number[];
  /** the frame holding the last block (empty lines are counted from it on) */
  lastFrame: number;
}

/** `capacities`: lines each frame holds, in threading order. */
export function thread(blocks: Block[], capacities: number[]): Threaded {
  const queue = blocks.map((b) => ({ ...b }));
  const used = capacities.map(() => 0);
  const last = capacities.map((): Block | undefined => undefined);
  const count = capacities.map(() => 0);
  let widows = 0;
  let fi = 0;
  while (queue.length && fi < capacities.length) {
    const b = queue.shift()!;
    const room = capacities[fi]! - used[fi]!;
    if (b.lines <= room) {
      used[fi]! += b.lines;
      last[fi] = b;
      count[fi]!++;
      continue;
    }
    if (b.kind === 'para' && room > 0) {
      // split at the first line below the frame
      used[fi] = capacities[fi]!;
      last[fi] = { kind: 'para', lines: room };
      count[fi]!++;
      if (room === 1) widows++;
      if (b.lines - room === 1) widows++;
      queue.unshift({ kind: 'para', lines: b.lines - room });
    } else queue.unshift(b);
    // a head never ends a frame: it goes on with its text
    const l = last[fi];
    if (l?.kind === 'head' && count[fi]! > 1) {
      used[fi]! -= l.lines;
      queue.unshift(l);
    }
    fi++;
  }
  const lastFrame = Math.min(fi, capacities.length - 1);
  if (queue.length)
    return { oversetLines: queue.reduce((n, b) => n + b.lines, 0), emptyLines: 0, widows, used, lastFrame };
  let empty = 0;
  for (let k = lastFrame; k < capacities.length; k++) empty += capacities[k]! - used[k]!;
  return { oversetLines: 0, emptyLines: empty, widows, used, lastFrame };
}
