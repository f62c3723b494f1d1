/**
 * The handout's charts: each chart of the edition drawn again by the chart stage
 * (charts/render.ts, the same worker and cache) at the handout's measure, not the page's
 * drawing scaled: four fifths of the measure wide, its height from edition.yaml's `aspect`
 * (plot width over height; 2.4 if not given), at most 35 % of the text block.
 */
import type { Bound } from '../bind/figures.js';
import type { Edition } from '../load/edition.js';
import { renderChart, type RenderedChart } from '../charts/render.js';
import type { HandoutGeometry } from './presets.js';

const PX_PER_MM = 96 / 25.4;
export const DEFAULT_ASPECT = 2.4;

export function handoutChartSize(
  geo: HandoutGeometry,
  aspect: number | undefined,
): { widthPx: number; heightPx: number } {
  const w = geo.measure * 0.8;
  const h = Math.min(w / (aspect ?? DEFAULT_ASPECT), geo.blockH * 0.35);
  return { widthPx: Math.floor(w * PX_PER_MM), heightPx: Math.floor(h * PX_PER_MM) };
}

export async function renderHandoutCharts(
  ed: Edition,
  bound: Bound,
  geo: HandoutGeometry,
): Promise<Map<string, RenderedChart>> {
  const jobs = [...ed.charts.values()].map(
    async (src) =>
      [
        src.id,
        await renderChart(src, bound.tables, handoutChartSize(geo, ed.meta.data.charts?.[src.id]?.aspect)),
      ] as const,
  );
  return new Map(await Promise.all(jobs));
}
