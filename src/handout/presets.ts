/**
 * Handout page presets: paper sizes, margins and the body size. The text block is a whole
 * number of body characters wide (the measure), centred between the side margins, so that a
 * full line of Han text holds exactly its characters.
 */
import { PT } from '../layout/presets.js';

export type HandoutPresetName = 'a4' | 'a5' | 'a3' | 'letter';

export interface HandoutPreset {
  name: HandoutPresetName;
  /** paper in mm */
  w: number;
  h: number;
  /** margins in mm: top and bottom hold the running header and the folio */
  top: number;
  bottom: number;
  /** the least side margin in mm */
  side: number;
  /** body size in pt and line height as a multiple of it */
  bodyPt: number;
  leading: number;
  /** headline size at most, in pt */
  headlinePt: number;
}

export const HANDOUT_PRESETS: Record<HandoutPresetName, HandoutPreset> = {
  a4: { name: 'a4', w: 210, h: 297, top: 22, bottom: 20, side: 20, bodyPt: 10.5, leading: 1.75, headlinePt: 26 },
  a5: { name: 'a5', w: 148, h: 210, top: 17, bottom: 16, side: 14, bodyPt: 9.5, leading: 1.7, headlinePt: 18 },
  a3: { name: 'a3', w: 297, h: 420, top: 28, bottom: 26, side: 30, bodyPt: 12, leading: 1.75, headlinePt: 36 },
  letter: {
    name: 'letter',
    w: 215.9,
    h: 279.4,
    top: 22,
    bottom: 20,
    side: 20,
    bodyPt: 10.5,
    leading: 1.75,
    headlinePt: 26,
  },
};

export interface HandoutGeometry {
  preset: HandoutPreset;
  /** body size in mm */
  bodyMm: number;
  /** characters per full line */
  chars: number;
  /** the text block's width in mm (chars × body) */
  measure: number;
  /** the side margin in mm that centres the measure */
  margin: number;
  /** the text block's height on one page, in mm */
  blockH: number;
}

export function handoutGeometry(preset: HandoutPreset): HandoutGeometry {
  const bodyMm = preset.bodyPt * PT;
  const chars = Math.floor((preset.w - 2 * preset.side) / bodyMm);
  const measure = chars * bodyMm;
  return {
    preset,
    bodyMm,
    chars,
    measure,
    margin: (preset.w - measure) / 2,
    blockH: preset.h - preset.top - preset.bottom,
  };
}
