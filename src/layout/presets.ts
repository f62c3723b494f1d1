/** Page presets: trim, bleed and the column grid every frame snaps to. */

export interface Preset {
  name: string;
  trimW: number; // mm
  trimH: number; // mm
  bleed: number; // mm
  columns: number;
  /** characters of body text per column: the column measure */
  charsPerColumn: number;
  bodyPt: number;
  /** baseline-to-baseline distance of body text */
  pitchPt: number;
  gutter: number; // mm
  marginTop: number; // mm
  marginBottomMin: number; // mm
  /** the main head's size (pt): the house size it is set at when it fits (compose/headline.ts) */
  headlinePt: number;
}

export const PRESETS: Record<string, Preset> = {
  broadsheet: {
    name: 'broadsheet',
    trimW: 390,
    trimH: 545,
    bleed: 3,
    columns: 8,
    charsPerColumn: 13,
    bodyPt: 9,
    pitchPt: 13.5,
    gutter: 4.5,
    marginTop: 17,
    marginBottomMin: 15,
    headlinePt: 68,
  },
  a4: {
    name: 'a4',
    trimW: 210,
    trimH: 297,
    bleed: 3,
    columns: 3,
    charsPerColumn: 17,
    bodyPt: 10,
    pitchPt: 16,
    gutter: 5,
    marginTop: 18,
    marginBottomMin: 15,
    headlinePt: 68,
  },
};

export const PT = 25.4 / 72; // mm per pt

/** The grid in mm, derived from a preset. */
export interface Grid {
  preset: Preset;
  colW: number;
  gutter: number;
  left: number; // left margin (trim coordinates)
  top: number;
  pitch: number; // mm
  lines: number; // body lines per column
  bodyMm: number;
  pageW: number; // with bleed
  pageH: number;
}

/** Body sizes by their Chinese names (号), in pt. */
export const HAO: Record<string, number> = { 五号: 10.5, 小五: 9, 六号: 7.5 };

/**
 * The grid of a preset; `bodyPt` (house style) sets another body size: the column keeps its
 * width as nearly as a whole number of characters allows, the line pitch keeps its proportion.
 */
export function gridOf(preset: Preset, bodyPt?: number): Grid {
  const p: Preset =
    bodyPt === undefined || bodyPt === preset.bodyPt
      ? preset
      : {
          ...preset,
          bodyPt,
          pitchPt: (preset.pitchPt / preset.bodyPt) * bodyPt,
          charsPerColumn: Math.floor((preset.charsPerColumn * preset.bodyPt) / bodyPt + 1e-9),
        };
  const bodyMm = p.bodyPt * PT;
  const colW = p.charsPerColumn * bodyMm;
  const width = p.columns * colW + (p.columns - 1) * p.gutter;
  const pitch = p.pitchPt * PT;
  const lines = Math.floor((p.trimH - p.marginTop - p.marginBottomMin) / pitch);
  return {
    preset: p,
    colW,
    gutter: p.gutter,
    left: (p.trimW - width) / 2,
    top: p.marginTop,
    pitch,
    lines,
    bodyMm,
    pageW: p.trimW + 2 * p.bleed,
    pageH: p.trimH + 2 * p.bleed,
  };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
} // mm, trim coordinates

/** The box of columns [c1, c2] (1-based) and `lines` body lines from line `top`. */
export function boxOf(g: Grid, c1: number, c2: number, top: number, lines: number): Box {
  return {
    x: g.left + (c1 - 1) * (g.colW + g.gutter),
    y: g.top + top * g.pitch,
    w: (c2 - c1 + 1) * g.colW + (c2 - c1) * g.gutter,
    h: lines * g.pitch,
  };
}
