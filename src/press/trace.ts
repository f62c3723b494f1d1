/**
 * What a PDF draws, object by object, read from `mutool trace` (MuPDF's device calls as XML):
 * every fill, stroke, text run, image and transparency group with its colour space, colour,
 * alpha and transform. Parsing is pure (text in, objects out); preflight.ts runs the tool.
 *
 * Coordinates are MuPDF's device space in pt: origin at the top left of the page's box, y down.
 */

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Painted {
  /**
   * MuPDF's colour space name: DeviceGray, DeviceRGB, DeviceCMYK, Separation(DeviceCMYK,NAME),
   * DeviceN(…), Indexed(…), Lab …
   */
  colorspace: string;
  color: number[];
  alpha: number;
  bbox: Rect;
}

export interface PathObject extends Painted {
  kind: 'fill' | 'stroke';
  /** stroke width in pt on the page (0 = the thinnest line the device can draw) */
  lineWidth?: number;
}

export interface Glyph {
  unicode: string;
  /** the glyph id (CID fonts) or glyph name (simple fonts) MuPDF drew */
  glyph: string;
  x: number;
  y: number;
}

export interface TextObject extends Painted {
  kind: 'text';
  font: string;
  /** size in pt on the page */
  size: number;
  glyphs: Glyph[];
  /** drawn by other means (a Type 3 font's own paths) or invisible (render mode 3) */
  invisible: boolean;
}

export interface ImageObject extends Painted {
  kind: 'image';
  widthPx: number;
  heightPx: number;
  /** placed size in pt */
  placedW: number;
  placedH: number;
  /** a stencil mask painted in one colour */
  mask: boolean;
}

export interface ShadeObject extends Painted {
  kind: 'shade';
}

/** A transparency group or soft mask: its blend mode and alpha. */
export interface GroupObject {
  kind: 'group';
  blendmode: string;
  alpha: number;
  softMask: boolean;
  bbox: Rect;
}

export type TraceObject = PathObject | TextObject | ImageObject | ShadeObject | GroupObject;

export interface TracedPage {
  number: number;
  /** the page's bounds in PDF units, as MuPDF reports them */
  bounds: Rect;
  objects: TraceObject[];
}

type Matrix = [number, number, number, number, number, number];

const apply = (m: Matrix, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
];
/** How much a matrix scales lengths (the square root of its area scale). */
const scaleOf = (m: readonly number[]) => Math.sqrt(Math.abs(m[0]! * m[3]! - m[1]! * m[2]!));

function nums(s: string | undefined): number[] {
  if (!s) return [];
  return s
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
}

function matrix(s: string | undefined): Matrix {
  const v = nums(s);
  return v.length === 6 ? (v as Matrix) : [1, 0, 0, 1, 0, 0];
}

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|quot|apos|amp);/gi, (_, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[e.toLowerCase()] ?? '';
  });
}

const ATTR = /([\w:-]+)="([^"]*)"/g;
function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(tag); m; m = ATTR.exec(tag)) out[m[1]!] = m[2]!.includes('&') ? decodeXml(m[2]!) : m[2]!;
  return out;
}
/** A glyph element's attributes, in the order MuPDF writes them (the bulk of a trace). */
const GLYPH = /^ unicode="([^"]*)" glyph="([^"]*)" x="([^"]*)" y="([^"]*)" adv="([^"]*)"/;

const emptyBox = (): Rect => ({ x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity });
function grow(r: Rect, x: number, y: number): void {
  r.x0 = Math.min(r.x0, x);
  r.y0 = Math.min(r.y0, y);
  r.x1 = Math.max(r.x1, x);
  r.y1 = Math.max(r.y1, y);
}

/**
 * A glyph added to its text object; the object's box grows by the glyph's em box (origin to
 * advance, descent to ascent).
 */
function addGlyph(
  obj: TextObject,
  m: Matrix,
  t: number[],
  unicode: string,
  glyph: string,
  x: number,
  y: number,
  adv: number,
): void {
  obj.glyphs.push({ unicode, glyph, x, y });
  const t0 = t[0] ?? 1;
  const t1 = t[1] ?? 0;
  const t2 = t[2] ?? 0;
  const t3 = t[3] ?? 1;
  for (const u of [0, adv])
    for (const v of [-0.12, 0.88]) {
      const [dx, dy] = apply(m, x + t0 * u + t2 * v, y + t1 * u + t3 * v);
      grow(obj.bbox, dx, dy);
    }
}

/** Parses the XML of `mutool trace` into pages of drawn objects. */
export function parseTrace(xml: string): TracedPage[] {
  const pages: TracedPage[] = [];
  let page: TracedPage | undefined;
  // the object being read: its path points or glyphs arrive as child elements
  let open: { obj: PathObject | TextObject; m: Matrix; halfWidth: number } | undefined;
  let span: { font: string; trm: number[] } | undefined;
  const TAG = /<(\/?)([a-z_]+)([^>]*)>/g;
  for (let t = TAG.exec(xml); t; t = TAG.exec(xml)) {
    const closing = t[1] === '/';
    const name = t[2]!;
    if (name === 'g' && open?.obj.kind === 'text' && span) {
      const g = GLYPH.exec(t[3]!);
      if (g) {
        addGlyph(
          open.obj,
          open.m,
          span.trm,
          g[1]!.includes('&') ? decodeXml(g[1]!) : g[1]!,
          g[2]!,
          Number(g[3]),
          Number(g[4]),
          Number(g[5]),
        );
        continue;
      }
    }
    const a = closing ? {} : attrs(t[3]!);
    if (name === 'page' && !closing) {
      const b = nums(a.mediabox);
      page = { number: Number(a.number), bounds: { x0: b[0]!, y0: b[1]!, x1: b[2]!, y1: b[3]! }, objects: [] };
      pages.push(page);
      continue;
    }
    if (!page) continue;
    if (closing) {
      if ((name === 'fill_path' || name === 'stroke_path' || name.endsWith('_text')) && open) {
        if (Number.isFinite(open.obj.bbox.x0)) page.objects.push(open.obj);
        open = undefined;
      }
      if (name === 'span') span = undefined;
      continue;
    }
    const painted = () => ({
      colorspace: a.colorspace ?? '',
      color: nums(a.color),
      alpha: a.alpha === undefined ? 1 : Number(a.alpha),
      bbox: emptyBox(),
    });
    switch (name) {
      case 'fill_path':
      case 'stroke_path': {
        const m = matrix(a.transform);
        const obj: PathObject = { kind: name === 'fill_path' ? 'fill' : 'stroke', ...painted() };
        let half = 0;
        if (name === 'stroke_path') {
          obj.lineWidth = Number(a.linewidth ?? 1) * scaleOf(m);
          half = obj.lineWidth / 2;
        }
        open = { obj, m, halfWidth: half };
        break;
      }
      case 'moveto':
      case 'lineto':
      case 'curveto':
      case 'closepath': {
        if (!open || open.obj.kind === 'text') break;
        for (const [xk, yk] of [
          ['x', 'y'],
          ['x1', 'y1'],
          ['x2', 'y2'],
          ['x3', 'y3'],
        ] as const) {
          if (a[xk] === undefined || a[yk] === undefined) continue;
          const [x, y] = apply(open.m, Number(a[xk]), Number(a[yk]));
          grow(open.obj.bbox, x - open.halfWidth, y - open.halfWidth);
          grow(open.obj.bbox, x + open.halfWidth, y + open.halfWidth);
        }
        break;
      }
      case 'fill_text':
      case 'stroke_text':
      case 'clip_text':
      case 'clip_stroke_text':
      case 'ignore_text': {
        if (name.startsWith('clip')) {
          open = undefined;
          break;
        }
        const obj: TextObject = {
          kind: 'text',
          ...painted(),
          font: '',
          size: 0,
          glyphs: [],
          invisible: name === 'ignore_text',
        };
        open = { obj, m: matrix(a.transform), halfWidth: 0 };
        break;
      }
      case 'span':
        span = { font: a.font ?? '', trm: nums(a.trm) };
        if (open?.obj.kind === 'text') {
          const size = scaleOf([...span.trm, 0, 0]) * scaleOf(open.m);
          let obj: TextObject = open.obj;
          // one text object per font and size: a new span of another font starts a new object
          if (obj.glyphs.length && (obj.font !== span.font || Math.abs(obj.size - size) > 1e-6)) {
            page.objects.push(obj);
            obj = { ...obj, glyphs: [], bbox: emptyBox() };
            open = { ...open, obj };
          }
          obj.font = span.font;
          obj.size = size;
        }
        break;
      case 'g':
        if (open?.obj.kind === 'text' && span)
          addGlyph(
            open.obj,
            open.m,
            span.trm,
            a.unicode ?? '',
            a.glyph ?? '',
            Number(a.x),
            Number(a.y),
            Number(a.adv ?? 1),
          );
        break;
      case 'fill_image':
      case 'fill_image_mask': {
        const m = matrix(a.transform);
        const bbox = emptyBox();
        for (const [u, v] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const)
          grow(bbox, ...apply(m, u, v));
        page.objects.push({
          kind: 'image',
          ...painted(),
          bbox,
          widthPx: Number(a.width ?? 0),
          heightPx: Number(a.height ?? 0),
          placedW: Math.hypot(m[0], m[1]),
          placedH: Math.hypot(m[2], m[3]),
          mask: name === 'fill_image_mask',
        });
        break;
      }
      case 'fill_shade': {
        page.objects.push({ kind: 'shade', ...painted(), bbox: { ...page.bounds } });
        break;
      }
      case 'group':
      case 'begin_group':
      case 'mask':
      case 'begin_mask': {
        const b = nums(a.bbox);
        const bbox = b.length === 4 ? { x0: b[0]!, y0: b[1]!, x1: b[2]!, y1: b[3]! } : { ...page.bounds };
        page.objects.push({
          kind: 'group',
          blendmode: a.blendmode ?? 'Normal',
          alpha: a.alpha === undefined ? 1 : Number(a.alpha),
          softMask: name.endsWith('mask'),
          bbox,
        });
        break;
      }
      default:
        break;
    }
  }
  return pages;
}
