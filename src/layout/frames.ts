/**
 * Lay out (pure part): layout.yaml's frames → boxes in mm on the page grid, checked against
 * the grid and against what the edition holds. Text frames spanning several columns become one
 * box per column, threaded in reading order (down the first column, then the next).
 */
import { ERRORS_SHOWN, inputErrors, msg, type InputError, type Place } from '../messages.js';
import type { Edition, FrameDef, FrameKind } from '../load/edition.js';
import { boxOf, gridOf, HAO, PRESETS, type Box, type Grid } from './presets.js';

export interface Frame {
  id: string;
  kind: FrameKind;
  box: Box;
  /** grid position, for the report and the proof */
  columns: [number, number];
  top: number;
  lines: number;
  chain?: string;
  /** order within its chain */
  seq?: number;
  ref?: string;
  style: 'lead' | 'normal' | 'closing';
  rule: 'left' | 'top' | 'none';
  /** copy-fit range of a flexible photo, in lines */
  minLines?: number;
  maxLines?: number;
  /** ids of the text frames right below a flexible photo, which give and take its lines */
  followers?: string[];
  /** ad frames: what the marked box says */
  label?: string;
  mark?: string;
}

export interface PageLayout {
  grid: Grid;
  frames: Frame[];
  /** text frames of each chain, in threading order */
  chains: Map<string, Frame[]>;
}

/** The grid of an edition: its preset at its house body size. */
export function editionGrid(ed: Edition): Grid {
  const size = ed.meta.data.house?.bodySize;
  const preset = PRESETS[ed.meta.data.preset];
  if (!preset) throw msg.unknownPreset(ed.meta.locate(['preset']), ed.meta.data.preset, Object.keys(PRESETS));
  return gridOf(preset, size === undefined ? undefined : typeof size === 'number' ? size : HAO[size]);
}

export function layoutPage(ed: Edition): PageLayout {
  const grid = editionGrid(ed);
  const defs = ed.layout.data.frames;
  const errors: InputError[] = [];
  const frames: Frame[] = [];
  const chains = new Map<string, Frame[]>();
  const storyChains = new Set(ed.story.chains.map((c) => c.id));
  const seen = new Map<string, Place>();

  defs.forEach((d: FrameDef, i) => {
    const place = ed.layout.locate(['frames', i]);
    const first = seen.get(d.id);
    if (first) errors.push(msg.frameTwice(place, d.id, first));
    else seen.set(d.id, place);
    const [c1, c2] = d.columns;
    if (c1 > c2 || c2 > grid.preset.columns) {
      errors.push(
        msg.frameOffGrid(place, d.id, `spans columns ${c1}–${c2}, but the grid has columns 1–${grid.preset.columns}`),
      );
      return;
    }
    if (d.top + d.lines > grid.lines) {
      errors.push(
        msg.frameOffGrid(place, d.id, `ends on line ${d.top + d.lines}, but the grid has ${grid.lines} lines`),
      );
      return;
    }
    const needsChain = d.kind === 'text' || d.kind === 'head';
    if (needsChain && (!d.chain || !storyChains.has(d.chain))) {
      errors.push(msg.unknownChain(ed.layout.locate(['frames', i, 'chain']), d.chain ?? '(none)'));
      return;
    }
    const refs = {
      photo: ed.photos,
      chart: ed.charts,
      factbox: new Map(Object.entries(ed.meta.data.factboxes ?? {})),
    } as const;
    if (d.kind === 'photo' || d.kind === 'chart' || d.kind === 'factbox') {
      if (!d.ref || !refs[d.kind].has(d.ref)) {
        const p = ed.layout.locate(['frames', i, 'ref']);
        const id = d.ref ?? '(none)';
        errors.push(
          d.kind === 'photo'
            ? msg.unknownPhoto(p, id)
            : d.kind === 'chart'
              ? msg.unknownChart(p, id)
              : msg.unknownFactbox(p, id),
        );
        return;
      }
    }
    const base = {
      kind: d.kind,
      style: d.style ?? 'normal',
      rule: d.rule ?? 'none',
      ...(d.chain ? { chain: d.chain } : {}),
      ...(d.ref ? { ref: d.ref } : {}),
      ...(d.minLines !== undefined ? { minLines: d.minLines } : {}),
      ...(d.maxLines !== undefined ? { maxLines: d.maxLines } : {}),
      ...(d.label !== undefined ? { label: d.label } : {}),
      ...(d.mark !== undefined ? { mark: d.mark } : {}),
    };
    if (d.minLines !== undefined || d.maxLines !== undefined) {
      const p = ed.layout.locate(['frames', i, d.minLines !== undefined ? 'minLines' : 'maxLines']);
      if (d.kind !== 'photo' && d.kind !== 'chart') errors.push(msg.flexKind(p, d.id));
      else if (d.minLines === undefined || d.maxLines === undefined || d.minLines > d.lines || d.maxLines < d.lines) {
        errors.push(msg.flexRange(p, d.id, d.lines));
      }
    }
    /** a text frame's place in its chain (checked above: a text frame has a chain of the story) */
    const chainOf = (chain = '') => {
      const list = chains.get(chain) ?? [];
      chains.set(chain, list);
      return list;
    };
    if (d.kind === 'text' && d.style !== 'lead') {
      // one box per column, threaded top to bottom, left to right
      for (let c = c1; c <= c2; c++) {
        const list = chainOf(d.chain);
        const f: Frame = {
          ...base,
          id: c1 === c2 ? d.id : `${d.id}.${c - c1 + 1}`,
          box: boxOf(grid, c, c, d.top, d.lines),
          columns: [c, c],
          top: d.top,
          lines: d.lines,
          seq: list.length,
        };
        list.push(f);
        frames.push(f);
      }
    } else {
      const f: Frame = {
        ...base,
        id: d.id,
        box: boxOf(grid, c1, c2, d.top, d.lines),
        columns: [c1, c2],
        top: d.top,
        lines: d.lines,
      };
      if (d.kind === 'text') {
        const list = chainOf(d.chain);
        f.seq = list.length;
        list.push(f);
      }
      frames.push(f);
    }
  });

  // copy-fit: the text frames directly below a flexible photo or chart give and take its lines
  for (const f of frames) {
    if (f.minLines === undefined || f.maxLines === undefined) continue;
    const grows = f.maxLines - f.lines;
    const below = frames.filter(
      (t) =>
        t.kind === 'text' && t.top === f.top + f.lines && t.columns[0] >= f.columns[0] && t.columns[1] <= f.columns[1],
    );
    const place = { file: ed.layout.file };
    if (below.length === 0) errors.push(msg.flexNothingBelow(place, f.kind, f.id));
    else if (below.some((t) => t.lines - grows < 1)) errors.push(msg.flexTextVanishes(place, f.kind, f.id));
    f.followers = below.map((t) => t.id);
  }

  // overlaps: two frames sharing a grid cell, found cell by cell (thousands of frames are
  // millions of pairs); past the messages shown, each frame that overlaps is counted once
  let more = 0;
  let shown = 0;
  const cells = new Map<number, number[]>();
  frames.forEach((F, i) => {
    const met = new Set<number>();
    let overlaps = false;
    for (let c = F.columns[0]; c <= F.columns[1]; c++)
      for (let l = F.top; l < F.top + F.lines; l++) {
        const key = c * 1_000_000 + l;
        const owners = cells.get(key);
        if (!owners) {
          cells.set(key, [i]);
          continue;
        }
        overlaps = true;
        for (const o of owners)
          if (shown < ERRORS_SHOWN && !met.has(o)) {
            met.add(o);
            shown++;
            errors.push(msg.framesOverlap({ file: ed.layout.file }, frames[o]!.id, F.id));
          }
        owners.push(i);
      }
    if (overlaps && met.size === 0) more++;
  });
  for (const c of ed.story.chains) {
    if (!chains.has(c.id)) errors.push(msg.chainWithoutFrames(c.place, c.id));
  }
  const placed = (kind: FrameKind, id: string) => frames.some((f) => f.kind === kind && f.ref === id);
  for (const id of ed.photos.keys())
    if (!placed('photo', id)) errors.push(msg.elementNotPlaced(ed.meta.locate(['photos', id]), 'photo', id));
  for (const id of ed.charts.keys())
    if (!placed('chart', id)) errors.push(msg.elementNotPlaced(ed.meta.locate(['charts', id]), 'chart', id));
  for (const cap of [...ed.story.photos]) if (!ed.photos.has(cap.id)) errors.push(msg.unknownPhoto(cap.place, cap.id));
  for (const cap of [...ed.story.charts]) if (!ed.charts.has(cap.id)) errors.push(msg.unknownChart(cap.place, cap.id));

  if (errors.length) throw inputErrors(errors, more);
  return { grid, frames, chains };
}
