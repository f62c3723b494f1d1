/**
 * Charts: Vega-Lite → Vega → static SVG, in Node, before the page is composed.
 * - data only from the edition's tables ({"name": "<table>"}); any "url" is refused, and the
 *   vega loader refuses every load, so nothing outside the edition can reach a chart;
 * - expressions evaluated by vega-interpreter (no eval, no Function);
 * - text measured on the page's own font files (metrics.ts), so labels fit as printed;
 * - sized to the frame the layout gives it, in CSS px.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import { InputError, msg } from '../messages.js';
import type { BoundTable } from '../bind/figures.js';
import { LIMITS, type ChartSource } from '../load/edition.js';
import { ROOT } from '../paths.js';
import { measure } from './metrics.js';
import { printTheme } from './theme.js';

export interface ChartSize { widthPx: number; heightPx: number }
export interface RenderedChart {
  id: string;
  svg: string;
  widthPx: number;
  heightPx: number;
  texts: string[];
  /** a flexible chart: the chart rendered for every height (in lines) copy-fit may give it */
  variants?: Map<number, RenderedChart>;
}

let installed = false;
function installMetrics(): void {
  if (installed) return;
  (vega as unknown as { textMetrics: { width: (item: Record<string, unknown>, text: unknown) => number } }).textMetrics.width = (item, text) =>
    measure(String(text ?? ''), Number(item.fontSize ?? 11), item.fontWeight as number | string | undefined);
  installed = true;
}

type ValidateFn = ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string }[] | null };
let vlValidate: ValidateFn | undefined;
function vegaLiteValidator(): ValidateFn {
  if (!vlValidate) {
    const mod = createRequire(import.meta.url)(path.join(ROOT, 'dist/generated/vega-lite-validate.cjs')) as { default?: ValidateFn } & ValidateFn;
    vlValidate = mod.default ?? mod;
  }
  return vlValidate;
}

const refusingLoader = (() => {
  const l = vega.loader();
  const refuse = async (uri: string): Promise<never> => {
    throw new Error(`chart data from "${uri}" is refused`);
  };
  l.load = refuse as typeof l.load;
  l.sanitize = refuse as typeof l.sanitize;
  l.http = refuse as typeof l.http;
  l.file = refuse as typeof l.file;
  return l;
})();

/** Replaces {"name": table} data with the table's rows; refuses any url. Returns a new spec. */
function bindData(node: unknown, src: ChartSource, tables: Map<string, BoundTable>, at: (string | number)[]): unknown {
  if (Array.isArray(node)) return node.map((v, i) => bindData(v, src, tables, [...at, i]));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    const here = [...at, k];
    if (k === 'url') throw msg.dataUrlRefused(src.spec.locate(here), String(v));
    if (k === 'values' && Array.isArray(v) && v.length > LIMITS.tableRows) throw msg.tooManyRows(src.spec.locate(here), v.length, LIMITS.tableRows);
    if (k === 'data' && v && typeof v === 'object' && !Array.isArray(v) && 'name' in v) {
      const name = String((v as { name: unknown }).name);
      const t = tables.get(name);
      if (!t) throw msg.unknownTable(src.spec.locate([...here, 'name']), name);
      out[k] = { values: t.rows.map((r) => ({ ...r })) };
      checkFields(node as Record<string, unknown>, t, src, at);
      continue;
    }
    out[k] = bindData(v, src, tables, here);
  }
  return out;
}

/**
 * Every field a spec encodes must be a column of its table (or made by a transform): vega-lite
 * would otherwise draw an empty chart without a word.
 */
function checkFields(spec: Record<string, unknown>, t: BoundTable, src: ChartSource, at: (string | number)[]): void {
  const columns = Object.keys(t.rows[0] ?? {});
  const made = new Set<string>();
  const walk = (node: unknown, here: (string | number)[]): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...here, i]));
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const tr of Array.isArray(o.transform) ? o.transform : []) {
      const as = (tr as { as?: unknown }).as;
      for (const a of Array.isArray(as) ? as : [as]) if (typeof a === 'string') made.add(a);
    }
    if (o.encoding && typeof o.encoding === 'object') {
      for (const [ch, def] of Object.entries(o.encoding as Record<string, unknown>)) {
        const field = (def as { field?: unknown } | null)?.field;
        if (typeof field === 'string' && !columns.includes(field) && !made.has(field)) {
          throw msg.chartField(src.spec.locate([...here, 'encoding', ch, 'field']), field, t.name, columns);
        }
      }
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'encoding') walk(v, [...here, k]);
  };
  walk(spec, at);
}

function merge(a: Record<string, unknown>, b: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!b) return a;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const av = out[k];
    out[k] = av && typeof av === 'object' && !Array.isArray(av) && v && typeof v === 'object' && !Array.isArray(v)
      ? merge(av as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

/** Rendered charts by spec, data and size: a rebuild re-renders only charts that changed. */
const cache = new Map<string, RenderedChart>();

export async function renderChart(src: ChartSource, tables: Map<string, BoundTable>, size: ChartSize): Promise<RenderedChart> {
  installMetrics();
  const raw = src.spec.data;
  const spec = bindData(raw, src, tables, []) as Record<string, unknown>;
  const key = JSON.stringify([src.id, spec, size]);
  const hit = cache.get(key);
  if (hit) return hit;
  const r = await render(src, spec, size);
  if (cache.size > 64) cache.clear();
  cache.set(key, r);
  return r;
}

async function render(src: ChartSource, spec: Record<string, unknown>, size: ChartSize): Promise<RenderedChart> {
  if (!('data' in spec) && !('layer' in spec) && !('vconcat' in spec) && !('hconcat' in spec) && !('concat' in spec)) {
    throw msg.invalidChart({ file: src.file }, 'the spec has no "data"; use "data": {"name": "<table>"}');
  }
  const validate = vegaLiteValidator();
  if (!validate(spec)) {
    const e = (validate.errors ?? []).find((x) => x.keyword !== 'anyOf' && x.keyword !== 'oneOf') ?? validate.errors?.[0];
    const segs = (e?.instancePath ?? '').split('/').slice(1);
    throw msg.invalidChart(src.spec.locate(segs), `${e?.instancePath || 'top level'} ${e?.message ?? ''}`.trim());
  }
  const sized = {
    ...spec,
    width: size.widthPx,
    height: size.heightPx,
    config: merge(printTheme as unknown as Record<string, unknown>, spec.config as Record<string, unknown> | undefined),
  };
  let view: vega.View;
  try {
    const compiled = vl.compile(sized as unknown as vl.TopLevelSpec).spec;
    const runtime = vega.parse(compiled, undefined, { ast: true });
    view = new vega.View(runtime, { expr: expressionInterpreter, renderer: 'none', loader: refusingLoader } as vega.ViewOptions);
    await view.runAsync();
    const svg = await view.toSVG();
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescapeXml(m[1]!));
    view.finalize();
    return { id: src.id, svg: svg.replace(/^<svg /, `<svg role="img" `), widthPx: size.widthPx, heightPx: size.heightPx, texts };
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw msg.chartFailed({ file: src.file }, (e as Error).message);
  }
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
