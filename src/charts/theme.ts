/** The print theme for charts: sizes in pt (vega works in CSS px, 1 px = 0.75 pt), thin rules. */
import { SANS } from '../fonts/faces.js';

const pt = (v: number) => v / 0.75; // pt → px

export const INK = '#231f20';
export const ACCENT = '#b5121b'; // the page's red
export const ACCENT_2 = '#6d6e71';

export const printTheme = {
  background: null,
  padding: 0,
  font: SANS,
  autosize: { type: 'fit', contains: 'padding' },
  view: { stroke: null },
  mark: { color: ACCENT },
  bar: { color: ACCENT },
  line: { color: ACCENT, strokeWidth: pt(1.2) },
  point: { color: ACCENT, filled: true, size: 30 },
  text: { font: SANS, fontSize: pt(7.5), color: INK },
  range: { category: [ACCENT, ACCENT_2, '#c9a227', '#3d5a80', '#9d9d9c'] },
  axis: {
    labelFont: SANS,
    labelFontSize: pt(7),
    labelColor: INK,
    titleFont: SANS,
    titleFontSize: pt(7),
    titleFontWeight: 400,
    titleColor: INK,
    domainColor: INK,
    domainWidth: pt(0.5),
    tickColor: INK,
    tickWidth: pt(0.5),
    tickSize: pt(2.5),
    gridColor: '#bcbec0',
    gridWidth: pt(0.3),
    labelPadding: pt(2),
  },
  axisX: { grid: false },
  axisY: { grid: true, domain: false, ticks: false },
  // a value axis's ticks at print density: vega's default (one per 40 px, about 10 mm) crowds
  // a printed axis of 7 pt labels (0–440 every 20 across a four-column chart); about one per
  // 26 mm across and one per 13 mm up. A spec's own tickCount (the axis's or its config's) wins.
  axisXQuantitative: { tickCount: { expr: 'ceil(width / 100)' } },
  axisYQuantitative: { tickCount: { expr: 'ceil(height / 50)' } },
  legend: { labelFont: SANS, labelFontSize: pt(7), titleFont: SANS, titleFontSize: pt(7), symbolSize: 40 },
  title: { font: SANS, fontSize: pt(8), fontWeight: 700, color: INK, anchor: 'start' },
} as const;
