/**
 * The change report: what this build prints differently from the previous build of the same
 * edition. Figures old → new with every place they are printed, charts that changed, stories
 * that reflowed or became over/underset, and the page regions whose pixels differ.
 */
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import type { ChainLayout } from '../layout/page/protocol.js';

export interface Snapshot {
  figures: Record<string, { printed: string; places: string[] }>;
  charts: Record<string, string>;
  chains: Record<
    string,
    { status: string; oversetChars: number; emptyLines: number; frames: string[]; texts: string[] }
  >;
}

export interface ChangeReport {
  figures: { name: string; old: string | null; new: string | null; places: string[] }[];
  charts: string[];
  chains: {
    id: string;
    status: [string, string];
    oversetChars: [number, number];
    emptyLines: [number, number];
    reflowedFrames: string[];
  }[];
  /** page regions whose pixels differ, in mm from the top left of the page (with bleed) */
  regions: { x: number; y: number; w: number; h: number }[];
  image?: string;
}

const place = (p: { where: string; file: string; line?: number }) =>
  `${p.where} (${p.file}${p.line !== undefined ? `:${p.line}` : ''})`;

/** A figure as the report lists it: its printed form and every place it is printed. */
export interface PrintedFigure {
  name: string;
  printed: string;
  places: { where: string; file: string; line?: number }[];
}

export function snapshotOf(
  report: { figures: PrintedFigure[] },
  chains: ChainLayout[],
  chartSvgs: Map<string, string>,
): Snapshot {
  return {
    figures: Object.fromEntries(
      report.figures.map((f) => [f.name, { printed: f.printed, places: f.places.map(place) }]),
    ),
    charts: Object.fromEntries(
      [...chartSvgs].map(([id, svg]) => [id, createHash('sha256').update(svg).digest('hex').slice(0, 16)]),
    ),
    chains: Object.fromEntries(
      chains.map((c) => [
        c.id,
        { status: c.status, oversetChars: c.oversetChars, emptyLines: c.emptyLines, frames: c.frames, texts: c.texts },
      ]),
    ),
  };
}

export function compareSnapshots(prev: Snapshot, next: Snapshot): Omit<ChangeReport, 'regions'> {
  const figures: ChangeReport['figures'] = [];
  for (const name of new Set([...Object.keys(prev.figures), ...Object.keys(next.figures)])) {
    const a = prev.figures[name];
    const b = next.figures[name];
    if (a?.printed !== b?.printed)
      figures.push({ name, old: a?.printed ?? null, new: b?.printed ?? null, places: (b ?? a)?.places ?? [] });
  }
  const charts = [...new Set([...Object.keys(prev.charts), ...Object.keys(next.charts)])].filter(
    (id) => prev.charts[id] !== next.charts[id],
  );
  const chains: ChangeReport['chains'] = [];
  for (const [id, b] of Object.entries(next.chains)) {
    const a = prev.chains[id];
    const reflowed = b.frames.filter((f, i) => a?.frames[i] !== f || a?.texts[i] !== b.texts[i]);
    if (
      !a ||
      a.status !== b.status ||
      a.oversetChars !== b.oversetChars ||
      a.emptyLines !== b.emptyLines ||
      reflowed.length
    ) {
      chains.push({
        id,
        status: [a?.status ?? 'new', b.status],
        oversetChars: [a?.oversetChars ?? 0, b.oversetChars],
        emptyLines: [a?.emptyLines ?? 0, b.emptyLines],
        reflowedFrames: reflowed,
      });
    }
  }
  return { figures: figures.sort((x, y) => x.name.localeCompare(y.name)), charts, chains };
}

/**
 * Pixel regions that differ between two snapshots of the page, and the new snapshot with those
 * regions boxed in red. `mmPerPx` converts to page millimetres.
 */
export interface Raster {
  width: number;
  height: number;
  data: Uint8Array;
}

export function decodePng(png: Uint8Array): Raster {
  const p = PNG.sync.read(Buffer.from(png));
  return { width: p.width, height: p.height, data: p.data };
}

export function diffPages(
  a: Raster,
  next: Raster,
  mmPerPx: number,
): { regions: ChangeReport['regions']; boxed: () => Buffer } {
  const b = { ...next, data: Buffer.from(next.data) }; // boxes are drawn on a copy
  const B = 6; // block size in px
  const cols = Math.ceil(b.width / B);
  const rows = Math.ceil(b.height / B);
  // a block changed when enough of its pixels changed strongly: text and rules, not the
  // resampling noise of a scaled photo
  const counts = new Uint16Array(cols * rows);
  const sameSize = a.width === b.width && a.height === b.height;
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      const i = (y * b.width + x) * 4;
      const d = sameSize
        ? Math.max(
            Math.abs(a.data[i]! - b.data[i]!),
            Math.abs(a.data[i + 1]! - b.data[i + 1]!),
            Math.abs(a.data[i + 2]! - b.data[i + 2]!),
          )
        : 255;
      if (d > 96) counts[Math.floor(y / B) * cols + Math.floor(x / B)]!++;
    }
  }
  const changed = counts.map((n) => (n >= 3 ? 1 : 0));
  // connected groups of changed blocks (touching or one block apart) → boxes
  const seen = new Uint8Array(cols * rows);
  const boxes: { x0: number; y0: number; x1: number; y1: number }[] = [];
  for (let k = 0; k < changed.length; k++) {
    if (!changed[k] || seen[k]) continue;
    const stack = [k];
    seen[k] = 1;
    const box = { x0: cols, y0: rows, x1: 0, y1: 0 };
    for (let c = stack.pop(); c !== undefined; c = stack.pop()) {
      const cx = c % cols;
      const cy = Math.floor(c / cols);
      box.x0 = Math.min(box.x0, cx);
      box.y0 = Math.min(box.y0, cy);
      box.x1 = Math.max(box.x1, cx);
      box.y1 = Math.max(box.y1, cy);
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
          const n = ny * cols + nx;
          if (changed[n] && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
      }
    }
    boxes.push(box);
  }
  const red = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= b.width || y >= b.height) return;
    const i = (y * b.width + x) * 4;
    b.data[i] = 230;
    b.data[i + 1] = 0;
    b.data[i + 2] = 40;
    b.data[i + 3] = 255;
  };
  const regions = boxes.map((bx) => {
    const x0 = bx.x0 * B - 2;
    const y0 = bx.y0 * B - 2;
    const x1 = Math.min(b.width, (bx.x1 + 1) * B) + 1;
    const y1 = Math.min(b.height, (bx.y1 + 1) * B) + 1;
    for (let t = 0; t < 2; t++) {
      for (let x = x0; x <= x1; x++) {
        red(x, y0 - t);
        red(x, y1 + t);
      }
      for (let y = y0; y <= y1; y++) {
        red(x0 - t, y);
        red(x1 + t, y);
      }
    }
    const r = (v: number) => Math.round(v * mmPerPx * 10) / 10;
    return { x: r(Math.max(0, x0)), y: r(Math.max(0, y0)), w: r(x1 - x0), h: r(y1 - y0) };
  });
  return {
    regions,
    boxed: () => {
      const png = new PNG({ width: b.width, height: b.height });
      b.data.copy(png.data);
      // one filter for every row: pngjs otherwise tries all five on each (three times slower)
      return PNG.sync.write(png, { filterType: 4 });
    },
  };
}
