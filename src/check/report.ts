/**
 * Check (pure): the layout's chain reports, photo resolutions and refused requests → warnings,
 * errors and the build report written as report.json.
 */
import { InputError, msg, type Place } from '../messages.js';
import type { CheckResult } from '../bind/consistency.js';
import type { ChangeReport, PrintedFigure } from './changes.js';
import type { Bound } from '../bind/figures.js';
import { coverPpi, type PlacedPhoto } from '../compose/compose.js';
import type { PageLayout } from '../layout/frames.js';
import type { ChainLayout, FrameBox, PhotoBox } from '../layout/page/protocol.js';
import type { RenderedChart } from '../charts/render.js';
import type { FaceUse } from '../fonts/coverage.js';

export const PPI_WANTED = 300;
export const PPI_MIN = 150;

/**
 * A photo's effective resolution judged as printers state it, in whole ppi: rounded to 1 ppi
 * first (a 299.9 ppi photo is 300 ppi, not below it), then below 300 is low and below 150 too low.
 */
export function ppiVerdict(ppi: number): 'ok' | 'low' | 'too low' {
  const whole = Math.round(ppi);
  return whole < PPI_MIN ? 'too low' : whole < PPI_WANTED ? 'low' : 'ok';
}

export interface ChainReport extends ChainLayout {
  frameBoxes: { id: string; x: number; y: number; w: number; h: number }[];
}

export interface Report {
  edition: string;
  preset: string;
  output: { pdf: string; report: string; proof?: string; bytes: number; pages: number };
  chains: Omit<ChainReport, 'texts'>[];
  /** every frame's box as laid out (after copy-fit), mm, trim coordinates */
  frames: FrameBox[];
  /** the page check after layout: how many findings, and the fonts the PDF holds */
  pageCheck: { findings: number; fonts: string[] };
  figures: PrintedFigure[];
  charts: { id: string; widthPx: number; heightPx: number; texts: string[] }[];
  photos: PlacedPhoto[];
  /** face → the file served to the page, the font it is cut from, the characters it keeps */
  fonts: Record<string, FaceUse>;
  refusedRequests: string[];
  /** derived figures compared with their inputs */
  checks: CheckResult[];
  notes: string[];
  /** what changed since the previous build of this edition into the same folder */
  changes?: ChangeReport;
  warnings: string[];
  timingsMs: Record<string, number>;
}

export interface CheckInput {
  chains: ChainLayout[];
  /** photo boxes measured in the page */
  photoBoxes: PhotoBox[];
  layout: PageLayout;
  photos: PlacedPhoto[];
  refused: string[];
  allowOverset: boolean;
  layoutFile: string;
  /** every frame's box as laid out (after copy-fit), when the page reported them */
  laidOut?: FrameBox[];
  /** a frame's place in layout.yaml */
  locateFrame?: (id: string) => Place;
}

const r2 = (v: number) => Math.round(v * 100) / 100;

/**
 * A frame's final box, mm: as laid out where copy-fit moved it from where layout.yaml put it,
 * else the layout's own (the page's CSS pixels round it by up to 0.01 mm).
 */
export function finalBox(id: string, box: { x: number; y: number; w: number; h: number }, laidOut?: FrameBox[]) {
  const l = laidOut?.find((x) => x.id === id);
  const moved = l && [l.x - box.x, l.y - box.y, l.w - box.w, l.h - box.h].some((d) => Math.abs(d) > 0.05);
  const b = moved ? l : box;
  return { id, x: r2(b.x), y: r2(b.y), w: r2(b.w), h: r2(b.h) };
}

export function checkPage(c: CheckInput): {
  warnings: string[];
  errors: InputError[];
  chains: ChainReport[];
  photos: PlacedPhoto[];
} {
  const warnings: string[] = [];
  const errors: InputError[] = [];
  const chains = c.chains.map((ch) => {
    const frames = c.layout.chains.get(ch.id) ?? [];
    const frameBoxes = frames.map((f) => finalBox(f.id, f.box, c.laidOut));
    if (ch.status === 'overset') {
      const [first, last] = [frames[0], frames[frames.length - 1]];
      const names = first && last && first !== last ? `${first.id}…${last.id}` : (first?.id ?? '');
      const place = last && c.locateFrame ? c.locateFrame(last.id) : { file: c.layoutFile };
      const e = msg.overset(place, ch.id, ch.oversetChars, ch.oversetLines, names);
      if (c.allowOverset) warnings.push(e.message);
      else errors.push(e);
    }
    if (ch.emptyLines > 1) warnings.push(msg.warnUnderset(ch.id, ch.emptyLines));
    if (ch.orphans) warnings.push(msg.warnOrphans(ch.id, ch.orphans));
    return { ...ch, frameBoxes };
  });
  const photos = c.photos.map((p) => {
    const box = c.photoBoxes.find((b) => b.id === p.id);
    return box
      ? {
          ...p,
          widthMm: r2(box.widthMm),
          heightMm: r2(box.heightMm),
          ppi: Math.round(coverPpi(p.px, box.widthMm, box.heightMm) * 10) / 10,
        }
      : p;
  });
  for (const p of photos) {
    const verdict = ppiVerdict(p.ppi);
    if (verdict === 'too low') errors.push(msg.imageLowResolution({ file: p.file }, p.ppi));
    else if (verdict === 'low') warnings.push(msg.warnLowPpi(p.id, p.ppi));
  }
  for (const u of c.refused) warnings.push(msg.requestRefused(u));
  return { warnings, errors, chains, photos };
}

export function figureReport(bound: Bound): Report['figures'] {
  const by = new Map<string, Report['figures'][number]>();
  for (const u of bound.uses) {
    const e = by.get(u.figure) ?? { name: u.figure, printed: u.printed, places: [] };
    e.places.push({
      where: u.where,
      file: u.place.file,
      ...(u.place.line !== undefined ? { line: u.place.line } : {}),
    });
    by.set(u.figure, e);
  }
  return [...by.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function chartReport(charts: Map<string, RenderedChart>): Report['charts'] {
  return [...charts.values()].map((c) => ({ id: c.id, widthPx: c.widthPx, heightPx: c.heightPx, texts: c.texts }));
}
