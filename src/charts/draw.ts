/**
 * Drawing a chart (runs in the chart worker): a bound Vega-Lite spec and a size → static SVG.
 * - validated against vega-lite's own schema (compiled at build time);
 * - expressions evaluated by vega-interpreter (no eval, no Function);
 * - a loader that refuses every load (the data is already bound: render.ts);
 * - text measured on the page's own font files (metrics.ts), so labels fit as printed.
 * Results are plain values, errors included: the thread that asked turns them into messages.
 */
import path from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import { ROOT } from '../paths.js';
import { requireCached } from '../code-cache.js';
import { measure } from './metrics.js';
import { printTheme } from './theme.js';

export interface ChartSize {
  widthPx: number;
  heightPx: number;
}

export type Drawn =
  | { ok: true; svg: string; texts: string[] }
  /** the spec is not valid Vega-Lite: where (JSON path segments) and what */
  | { ok: false; invalid: true; segs: string[]; detail: string }
  /** vega failed while compiling or rendering a valid spec */
  | { ok: false; invalid: false; detail: string };

(
  vega as unknown as { textMetrics: { width: (item: Record<string, unknown>, text: unknown) => number } }
).textMetrics.width = (item, text) =>
  measure(
    typeof text === 'string' ? text : String((text as number | undefined) ?? ''),
    Number(item.fontSize ?? 11),
    item.fontWeight as number | string | undefined,
  );

type ValidateFn = ((d: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; keyword: string }[] | null;
};
/** vega-lite's schema compiled to code at build time (scripts/build-tables.mjs), run from V8's code cache */
export const VEGA_LITE_VALIDATOR = path.join(ROOT, 'dist/generated/vega-lite-validate.cjs');
const validate = ((m: { default?: ValidateFn } & ValidateFn) => m.default ?? m)(
  requireCached(VEGA_LITE_VALIDATOR) as { default?: ValidateFn } & ValidateFn,
);

const refusingLoader = (() => {
  const l = vega.loader();
  const refuse = (uri: string): Promise<never> => Promise.reject(new Error(`chart data from "${uri}" is refused`));
  l.load = refuse;
  l.sanitize = refuse;
  l.http = refuse;
  l.file = refuse;
  return l;
})();

function merge(a: Record<string, unknown>, b: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!b) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] =
      av && typeof av === 'object' && !Array.isArray(av) && v && typeof v === 'object' && !Array.isArray(v)
        ? merge(av as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/**
 * The print theme under a spec's own config. A spec that sets a tick count anywhere in its config
 * keeps vega's rules for the rest: the theme's print density (per value axis) would outrank a
 * count the spec gives all axes (vega-lite ranks axisXQuantitative above axis).
 */
function themed(config: Record<string, unknown> | undefined): Record<string, unknown> {
  const own = Object.entries(config ?? {}).some(
    ([k, v]) => k.startsWith('axis') && !!v && typeof v === 'object' && 'tickCount' in v,
  );
  const base: Record<string, unknown> = { ...printTheme };
  if (own) {
    delete base.axisXQuantitative;
    delete base.axisYQuantitative;
  }
  return merge(base, config);
}

export async function drawChart(spec: Record<string, unknown>, size: ChartSize): Promise<Drawn> {
  if (!validate(spec)) {
    const e =
      (validate.errors ?? []).find((x) => x.keyword !== 'anyOf' && x.keyword !== 'oneOf') ?? validate.errors?.[0];
    return {
      ok: false,
      invalid: true,
      segs: (e?.instancePath ?? '').split('/').slice(1),
      detail: `${e?.instancePath || 'top level'} ${e?.message ?? ''}`.trim(),
    };
  }
  try {
    // labels past the plot (a value label at the end of the longest bar) are not counted by
    // vega's layout: the chart is drawn again with that much padding, so the plot shrinks and
    // every label lies inside the frame (the sample's "17.5" was cut 0.75 mm by its frame)
    const pad = { left: 0, right: 0, top: 0, bottom: 0 };
    for (let attempt = 0; ; attempt++) {
      const sized = {
        ...spec,
        width: size.widthPx,
        height: size.heightPx,
        padding: { ...pad },
        config: themed(spec.config as Record<string, unknown> | undefined),
      };
      const compiled = vl.compile(sized as unknown as vl.TopLevelSpec).spec;
      const runtime = vega.parse(compiled, undefined, { ast: true });
      const view = new vega.View(runtime, {
        expr: expressionInterpreter,
        renderer: 'none',
        loader: refusingLoader,
      });
      await view.runAsync();
      const over = overhang(view, size);
      if (attempt < 3 && (over.left > 0.25 || over.right > 0.25 || over.top > 0.25 || over.bottom > 0.25)) {
        for (const k of ['left', 'right', 'top', 'bottom'] as const) pad[k] += Math.max(0, Math.ceil(over[k] + 0.5));
        view.finalize();
        continue;
      }
      const svg = await view.toSVG();
      view.finalize();
      const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]!));
      return { ok: true, svg: svg.replace(/^<svg /, `<svg role="img" `), texts };
    }
  } catch (e) {
    return { ok: false, invalid: false, detail: (e as Error).message };
  }
}

/** How far (px) the drawn marks reach past the chart's box on each side. */
function overhang(view: vega.View, size: ChartSize): { left: number; right: number; top: number; bottom: number } {
  const root = (
    view.scenegraph() as unknown as { root: { bounds: { x1: number; x2: number; y1: number; y2: number } } }
  ).root;
  const [ox, oy] = view.origin();
  const b = root.bounds;
  return {
    left: -(b.x1 + ox),
    right: b.x2 + ox - size.widthPx,
    top: -(b.y1 + oy),
    bottom: b.y2 + oy - size.heightPx,
  };
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
