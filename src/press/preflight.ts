/**
 * Preflight: what a printing plant checks before it takes a page. The rules (checkPdf) are pure:
 * they read what the PDF declares (structure.ts), what it draws (trace.ts) and its inks (a
 * CMYK raster) and return findings, each with its page, the object and where it is in mm from
 * the top left of the trim box. preflightPdf runs the tools (mutool) and then the rules.
 *
 * Rules (severity): fonts embedded, none Type 3 (error); images' effective resolution at their
 * placed size (warning under 300 ppi, error under 150); page boxes (error when missing or
 * inconsistent); RGB or spot colour in a press PDF (error); neutral text built from C, M or Y
 * (error); hairlines under 0.25 pt (error); text under the house minimum size (error); ink
 * over the limit (error, each region with its place); missing glyphs (error); transparency in
 * a PDF/X-3 file (error); no output intent (error); overset text (error, from the build).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { msg } from '../messages.js';
import { PPI_MIN, PPI_WANTED } from '../check/report.js';
import { parseTrace, type Rect, type TextObject, type TracedPage } from './trace.js';
import { readStructure, type PageBoxes, type PdfBox, type PdfStructure } from './structure.js';
import { requireTool, runTool } from './tools.js';

export type FindingRule =
  | 'font-embedded'
  | 'font-type3'
  | 'image-ppi'
  | 'page-boxes'
  | 'rgb'
  | 'spot-colour'
  | 'text-cmy'
  | 'hairline'
  | 'text-size'
  | 'ink-limit'
  | 'missing-glyph'
  | 'transparency'
  | 'output-intent'
  | 'overset';

/** One thing the preflight found: the rule, the page, the object and where it is. */
export interface Finding {
  rule: FindingRule;
  severity: 'error' | 'warning';
  page: number;
  /** what was found, e.g. text “底盘稳…” (NotoSerifSC-Bold, 9.0 pt) or image 300 × 200 px */
  object: string;
  /** where, in mm from the top left of the trim box (x right, y down) */
  at?: { x: number; y: number; w: number; h: number };
  /** the layout frame there (in a build) */
  frame?: string;
  message: string;
  fix: string;
}

export const MM_PER_PT = 25.4 / 72;

/** What a printing condition requires of a PDF. */
export interface PreflightProfile {
  name: string;
  /** the PDF must be CMYK (or grey) with an output intent, and without transparency */
  press: boolean;
  /** total ink limit, % */
  inkLimit: number;
  /** the house minimum text size, pt */
  minTextPt: number;
  /** the thinnest rule that prints, pt */
  hairlinePt: number;
  ppiWarn: number;
  ppiMin: number;
  /** the bleed wanted on every side, mm */
  bleedMm: number;
}

export const PROFILES: Record<string, PreflightProfile> = {
  newsprint: {
    name: 'newsprint',
    press: true,
    inkLimit: 240,
    minTextPt: 6,
    hairlinePt: 0.25,
    ppiWarn: PPI_WANTED,
    ppiMin: PPI_MIN,
    bleedMm: 3,
  },
};

/** What the build knows that the PDF alone does not say. */
export interface PreflightContext {
  /** the trim size the page must have, mm */
  trim?: { w: number; h: number };
  /** the layout's frames (mm from the trim's top left), to name the frame a finding lies in */
  frames?: { id: string; kind: string; box: { x: number; y: number; w: number; h: number } }[];
  /** chains whose text did not fit, with the box of their last frame */
  overset?: { chain: string; chars: number; lines: number; box: { x: number; y: number; w: number; h: number } }[];
}

/** One page's inks: 4 bytes per pixel (C, M, Y, K; 0 = none, 255 = solid), top-left first. */
export interface InkRaster {
  page: number;
  width: number;
  height: number;
  /** pixels per pt */
  scale: number;
  cmyk: Uint8Array;
}

export interface PreflightResult {
  findings: Finding[];
  errors: number;
  warnings: number;
  /** the highest total ink found inside the bleed box, % (undefined for an RGB PDF) */
  maxInk?: number;
  pages: number;
}

/** At most this many findings of one rule on one page; the rest are counted in one more. */
const CAP = 25;

interface PageGeometry {
  page: PageBoxes;
  /** trim (or media) box top left in MuPDF's device space, pt */
  originX: number;
  originY: number;
  /** the bleed box in device space: objects wholly outside it (marks, slug) are not the page's */
  bleed: Rect;
}

function geometry(p: PageBoxes, bounds: Rect): PageGeometry {
  const ref = p.trimBox ?? p.mediaBox;
  // MuPDF's device space: origin at the top left of the page bounds (crop box), y down
  const dev = (b: PdfBox): Rect => ({
    x0: b.x0 - bounds.x0,
    y0: bounds.y1 - b.y1,
    x1: b.x1 - bounds.x0,
    y1: bounds.y1 - b.y0,
  });
  const bleed = dev(p.bleedBox ?? p.trimBox ?? p.mediaBox);
  const r = dev(ref);
  return { page: p, originX: r.x0, originY: r.y0, bleed };
}

const r1 = (v: number) => Math.round(v * 10) / 10;

function place(g: PageGeometry, b: Rect): NonNullable<Finding['at']> {
  return {
    x: r1((b.x0 - g.originX) * MM_PER_PT),
    y: r1((b.y0 - g.originY) * MM_PER_PT),
    w: r1((b.x1 - b.x0) * MM_PER_PT),
    h: r1((b.y1 - b.y0) * MM_PER_PT),
  };
}

const overlaps = (a: Rect, b: Rect) => a.x0 < b.x1 && a.x1 > b.x0 && a.y0 < b.y1 && a.y1 > b.y0;

function frameAt(ctx: PreflightContext, at: Finding['at']): string | undefined {
  if (!at || !ctx.frames) return undefined;
  const cx = at.x + at.w / 2;
  const cy = at.y + at.h / 2;
  const f = ctx.frames.find(
    (f) => cx >= f.box.x && cx <= f.box.x + f.box.w && cy >= f.box.y && cy <= f.box.y + f.box.h,
  );
  return f?.id;
}

/** A short name for a text object: its first characters, font and size. */
export function textLabel(t: TextObject): string {
  const s = t.glyphs.map((g) => g.unicode).join('');
  const shown = [...s].length > 12 ? [...s].slice(0, 12).join('') + '…' : s;
  return `text “${shown}” (${t.font.replace(/^[A-Z]{6}\+/, '')}, ${t.size.toFixed(1)} pt)`;
}

/** Colour spaces that are RGB (or device-independent colour that is not CMYK). */
export function isRgbSpace(cs: string): boolean {
  return /RGB|^Lab|CalRGB|^ICCBased\(RGB/i.test(cs) && !/^Separation|^DeviceN/.test(cs);
}

/** Spot colourants named in a Separation/DeviceN colour space (All and None are not spots). */
export function spotNames(cs: string): string[] {
  const m = /^(Separation|DeviceN)\((.*)\)$/.exec(cs);
  if (!m) return [];
  // MuPDF prints Separation(alternate,NAME) and DeviceN(alternate,NAME,NAME…)
  return m[2]!
    .split(',')
    .slice(1)
    .map((s) => s.trim())
    .filter((n) => n && !['All', 'None', 'Cyan', 'Magenta', 'Yellow', 'Black'].includes(n));
}

/**
 * Whether a CMYK colour is a grey or black built with C, M or Y: visibly neutral (under 8 %
 * chroma in a plain CMYK → RGB estimate) and more than 2 % of C + M + Y.
 */
export function neutralOnCmy(c: number, m: number, y: number, k: number): boolean {
  if (c + m + y <= 0.02) return false;
  const rgb = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)];
  return Math.max(...rgb) - Math.min(...rgb) < 0.08;
}

/** The rules, over what was read from one PDF. */
export function checkPdf(
  structure: PdfStructure,
  traced: TracedPage[],
  rasters: InkRaster[],
  profile: PreflightProfile,
  ctx: PreflightContext = {},
): PreflightResult {
  const findings: Finding[] = [];
  let maxInk: number | undefined;
  const add = (f: Finding) =>
    findings.push(f.frame === undefined && frameAt(ctx, f.at) ? { ...f, frame: frameAt(ctx, f.at)! } : f);

  // fonts: one finding per font (the first page it is used on)
  const fontsSeen = new Set<string>();
  for (const f of structure.fonts) {
    if (fontsSeen.has(f.name + f.subtype)) continue;
    fontsSeen.add(f.name + f.subtype);
    const object = `font ${f.name} (${f.subtype || 'no subtype'}, resource ${f.resource})`;
    if (f.subtype === 'Type3')
      add({ ...msg.press.rule.type3(), severity: 'error', rule: 'font-type3', page: f.page, object });
    else if (!f.embedded)
      add({ ...msg.press.rule.notEmbedded(), severity: 'error', rule: 'font-embedded', page: f.page, object });
  }

  for (const p of structure.pages) {
    const t = traced.find((x) => x.number === p.number);
    const g = geometry(p, t?.bounds ?? { x0: p.cropBox.x0, y0: p.cropBox.y0, x1: p.cropBox.x1, y1: p.cropBox.y1 });
    const page = p.number;
    const object = 'page boxes';
    // page boxes
    if (!p.trimBox) add({ ...msg.press.rule.noTrim(), severity: 'error', rule: 'page-boxes', page, object });
    else {
      const trimMm = { w: (p.trimBox.x1 - p.trimBox.x0) * MM_PER_PT, h: (p.trimBox.y1 - p.trimBox.y0) * MM_PER_PT };
      if (ctx.trim && (Math.abs(trimMm.w - ctx.trim.w) > 0.01 || Math.abs(trimMm.h - ctx.trim.h) > 0.01))
        add({ ...msg.press.rule.trimSize(trimMm, ctx.trim), severity: 'error', rule: 'page-boxes', page, object });
      const bleed = p.bleedBox;
      if (!bleed) add({ ...msg.press.rule.noBleed(), severity: 'warning', rule: 'page-boxes', page, object });
      else {
        const sides = [
          p.trimBox.x0 - bleed.x0,
          p.trimBox.y0 - bleed.y0,
          bleed.x1 - p.trimBox.x1,
          bleed.y1 - p.trimBox.y1,
        ].map((v) => v * MM_PER_PT);
        if (Math.min(...sides) < -0.005)
          add({ ...msg.press.rule.bleedInsideTrim(), severity: 'error', rule: 'page-boxes', page, object });
        else if (Math.min(...sides) < profile.bleedMm - 0.005)
          add({
            ...msg.press.rule.smallBleed(Math.min(...sides), profile.bleedMm),
            severity: 'warning',
            rule: 'page-boxes',
            page,
            object,
          });
        const m = p.mediaBox;
        if (bleed.x0 < m.x0 - 0.01 || bleed.y0 < m.y0 - 0.01 || bleed.x1 > m.x1 + 0.01 || bleed.y1 > m.y1 + 0.01)
          add({ ...msg.press.rule.bleedOutsideMedia(), severity: 'error', rule: 'page-boxes', page, object });
      }
    }
    if (!t) continue;

    const counts = new Map<FindingRule, number>();
    const capped = (rule: FindingRule, f: () => Finding) => {
      const n = (counts.get(rule) ?? 0) + 1;
      counts.set(rule, n);
      if (n <= CAP) add(f());
    };
    const rgbByKind = new Map<string, { n: number; box: Rect; first: string }>();
    const inside = (b: Rect) => overlaps(b, g.bleed);

    for (const o of t.objects) {
      if (o.kind === 'group') {
        if (profile.press && (o.softMask || o.blendmode !== 'Normal' || o.alpha < 1) && inside(o.bbox)) {
          const detail = o.softMask
            ? 'a soft mask'
            : o.blendmode !== 'Normal'
              ? `blend mode ${o.blendmode}`
              : `opacity ${o.alpha}`;
          capped('transparency', () => ({
            ...msg.press.rule.transparency(detail),
            severity: 'error',
            rule: 'transparency',
            page,
            object: 'transparency group',
            at: place(g, o.bbox),
          }));
        }
        continue;
      }
      if (!inside(o.bbox)) continue; // marks and slug outside the bleed are not the page's
      const label =
        o.kind === 'text'
          ? textLabel(o)
          : o.kind === 'image'
            ? `image ${o.widthPx} × ${o.heightPx} px`
            : o.kind === 'shade'
              ? 'shading'
              : o.kind === 'stroke'
                ? `line ${(o.lineWidth ?? 0).toFixed(2)} pt`
                : 'filled shape';
      if (o.kind === 'text' && o.invisible) continue;

      if (profile.press && o.alpha < 1)
        capped('transparency', () => ({
          ...msg.press.rule.transparency(`opacity ${o.alpha}`),
          severity: 'error',
          rule: 'transparency',
          page,
          object: label,
          at: place(g, o.bbox),
        }));

      // colour
      if (profile.press && isRgbSpace(o.colorspace)) {
        const kind = o.kind === 'fill' || o.kind === 'stroke' ? 'vector' : o.kind;
        const key = `${kind} in ${o.colorspace.replace(/\(.*$/, '')}`;
        const e = rgbByKind.get(key);
        if (e) {
          e.n++;
          e.box = {
            x0: Math.min(e.box.x0, o.bbox.x0),
            y0: Math.min(e.box.y0, o.bbox.y0),
            x1: Math.max(e.box.x1, o.bbox.x1),
            y1: Math.max(e.box.y1, o.bbox.y1),
          };
        } else rgbByKind.set(key, { n: 1, box: { ...o.bbox }, first: label });
      }
      if (profile.press)
        for (const name of spotNames(o.colorspace))
          capped('spot-colour', () => ({
            ...msg.press.rule.spot(name),
            severity: 'error',
            rule: 'spot-colour',
            page,
            object: label,
            at: place(g, o.bbox),
          }));

      if (o.kind === 'text') {
        if (o.colorspace === 'DeviceCMYK' && o.color.length === 4) {
          const [c, m, y, k] = o.color as [number, number, number, number];
          if (neutralOnCmy(c, m, y, k))
            capped('text-cmy', () => ({
              ...msg.press.rule.textOnCmy([c, m, y, k]),
              severity: 'error',
              rule: 'text-cmy',
              page,
              object: label,
              at: place(g, o.bbox),
            }));
        }
        if (o.size < profile.minTextPt - 0.01)
          capped('text-size', () => ({
            ...msg.press.rule.textSize(o.size, profile.minTextPt),
            severity: 'error',
            rule: 'text-size',
            page,
            object: label,
            at: place(g, o.bbox),
          }));
        const missing = o.glyphs.filter((x) => x.glyph === '0' || x.glyph === '.notdef');
        if (missing.length && !/T3$|Type3/.test(o.font))
          capped('missing-glyph', () => ({
            ...msg.press.rule.missingGlyph(missing.map((x) => x.unicode)),
            severity: 'error',
            rule: 'missing-glyph',
            page,
            object: label,
            at: place(g, o.bbox),
          }));
      } else if (o.kind === 'stroke') {
        const w = o.lineWidth ?? 0;
        if (w < profile.hairlinePt - 1e-6)
          capped('hairline', () => ({
            ...msg.press.rule.hairline(w, profile.hairlinePt),
            severity: 'error',
            rule: 'hairline',
            page,
            object: label,
            at: place(g, o.bbox),
          }));
      } else if (o.kind === 'fill') {
        // a rule drawn as a thin filled rectangle (how Chromium draws CSS borders)
        const w = o.bbox.x1 - o.bbox.x0;
        const h = o.bbox.y1 - o.bbox.y0;
        const thin = Math.min(w, h);
        if (thin < profile.hairlinePt - 1e-6 && Math.max(w, h) >= 2)
          capped('hairline', () => ({
            ...msg.press.rule.hairline(thin, profile.hairlinePt),
            severity: 'error',
            rule: 'hairline',
            page,
            object: `rule ${thin.toFixed(2)} pt (a filled shape)`,
            at: place(g, o.bbox),
          }));
      } else if (o.kind === 'image' && !o.mask && o.placedW > 0 && o.placedH > 0) {
        const ppi = Math.min(o.widthPx / (o.placedW / 72), o.heightPx / (o.placedH / 72));
        if (ppi < profile.ppiMin)
          capped('image-ppi', () => ({
            ...msg.press.rule.lowPpi(ppi, profile.ppiMin, true),
            severity: 'error',
            rule: 'image-ppi',
            page,
            object: label,
            at: place(g, o.bbox),
          }));
        else if (ppi < profile.ppiWarn - 0.5)
          capped('image-ppi', () => ({
            ...msg.press.rule.lowPpi(ppi, profile.ppiWarn, false),
            severity: 'warning',
            rule: 'image-ppi',
            page,
            object: label,
            at: place(g, o.bbox),
          }));
      }
    }
    for (const [rule, n] of counts)
      if (n > CAP)
        add({
          ...msg.press.rule.more(n - CAP),
          severity: findings.find((f) => f.rule === rule)?.severity ?? 'error',
          rule,
          page,
          object: `${n - CAP} more`,
        });
    for (const [key, e] of rgbByKind)
      add({
        ...msg.press.rule.rgb(e.n, e.first),
        severity: 'error',
        rule: 'rgb',
        page,
        object: `${e.n} × ${key}`,
        at: place(g, e.box),
      });

    // ink: regions over the limit, inside the bleed box (only meaningful for a CMYK page)
    const raster = rasters.find((r) => r.page === page);
    if (raster && profile.press && rgbByKind.size === 0) {
      const ink = inkRegions(raster, g, profile.inkLimit);
      maxInk = Math.max(maxInk ?? 0, ink.max);
      const regions = ink.regions.sort((a, b) => b.pixels - a.pixels);
      const mm2 = (pixels: number) => pixels / (raster.scale * raster.scale) / (72 / 25.4) ** 2;
      for (const r of regions.slice(0, CAP))
        add({
          ...msg.press.rule.ink(r.max, profile.inkLimit),
          severity: 'error',
          rule: 'ink-limit',
          page,
          object: `${r.max.toFixed(0)} % ink over ${mm2(r.pixels).toFixed(1)} mm²`,
          at: place(g, r.box),
        });
      if (regions.length > CAP)
        add({
          ...msg.press.rule.more(regions.length - CAP),
          severity: 'error',
          rule: 'ink-limit',
          page,
          object: `${regions.length - CAP} more`,
        });
    }
  }

  // the PDF as a whole
  if (profile.press) {
    if (structure.spots.length)
      for (const s of dedupe(structure.spots, (s) => s.name))
        if (!findings.some((f) => f.rule === 'spot-colour' && f.message.includes(s.name)))
          add({
            ...msg.press.rule.spot(s.name),
            severity: 'error',
            rule: 'spot-colour',
            page: s.page,
            object: `colour space ${s.resource}`,
          });
    for (const tr of structure.transparency)
      if (!findings.some((f) => f.rule === 'transparency' && f.page === tr.page))
        add({
          ...msg.press.rule.transparency(tr.detail),
          severity: 'error',
          rule: 'transparency',
          page: tr.page,
          object: tr.object,
        });
    const oi = structure.outputIntents.find((o) => o.subtype === 'GTS_PDFX');
    if (!oi || oi.profileComponents !== 4)
      add({
        ...msg.press.rule.outputIntent(
          oi ? 'its output intent embeds no CMYK profile' : 'it has no PDF/X output intent',
        ),
        severity: 'error',
        rule: 'output-intent',
        page: 1,
        object: 'document',
      });
  }
  for (const o of ctx.overset ?? []) {
    const at = { x: r1(o.box.x), y: r1(o.box.y), w: r1(o.box.w), h: r1(o.box.h) };
    add({
      ...msg.press.rule.overset(o.chain, o.chars, o.lines),
      severity: 'error',
      rule: 'overset',
      page: 1,
      object: `story “${o.chain}”`,
      at,
    });
  }

  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    findings,
    errors,
    warnings: findings.length - errors,
    ...(maxInk !== undefined ? { maxInk: Math.round(maxInk * 10) / 10 } : {}),
    pages: structure.pages.length,
  };
}

function dedupe<T>(xs: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));
}

/**
 * Total ink per pixel inside the bleed box; pixels over the limit grouped into regions (8-way
 * connected), each with its bounding box in device pt and its highest ink.
 */
export function inkRegions(
  r: InkRaster,
  g: PageGeometry,
  limit: number,
): { max: number; regions: { box: Rect; max: number; pixels: number }[] } {
  const { width: w, height: h, cmyk, scale } = r;
  const x0 = Math.max(0, Math.floor(g.bleed.x0 * scale));
  const y0 = Math.max(0, Math.floor(g.bleed.y0 * scale));
  const x1 = Math.min(w, Math.ceil(g.bleed.x1 * scale));
  const y1 = Math.min(h, Math.ceil(g.bleed.y1 * scale));
  const threshold = (limit / 100) * 255;
  let maxSum = 0;
  const over = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = (y * w + x) * 4;
      const s = cmyk[i]! + cmyk[i + 1]! + cmyk[i + 2]! + cmyk[i + 3]!;
      if (s > maxSum) maxSum = s;
      if (s > threshold + 0.5) over[y * w + x] = 1;
    }
  const regions: { box: Rect; max: number; pixels: number }[] = [];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (over[start] !== 1) continue;
    over[start] = 2;
    stack.push(start);
    let bx0 = w,
      by0 = h,
      bx1 = 0,
      by1 = 0,
      mx = 0,
      n = 0;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p - x) / w;
      n++;
      bx0 = Math.min(bx0, x);
      by0 = Math.min(by0, y);
      bx1 = Math.max(bx1, x + 1);
      by1 = Math.max(by1, y + 1);
      const i = p * 4;
      mx = Math.max(mx, cmyk[i]! + cmyk[i + 1]! + cmyk[i + 2]! + cmyk[i + 3]!);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const q = ny * w + nx;
          if (over[q] === 1) {
            over[q] = 2;
            stack.push(q);
          }
        }
    }
    regions.push({
      box: { x0: bx0 / scale, y0: by0 / scale, x1: bx1 / scale, y1: by1 / scale },
      max: (mx / 255) * 100,
      pixels: n,
    });
  }
  return { max: (maxSum / 255) * 100, regions };
}

/** Parses a PAM (P7) CMYK image as MuPDF writes it. */
export function parsePam(buf: Buffer): { width: number; height: number; depth: number; data: Uint8Array } {
  const end = buf.indexOf('ENDHDR\n');
  if (buf.subarray(0, 3).toString() !== 'P7\n' || end < 0) throw new Error('not a PAM image');
  const head = buf.subarray(0, end).toString();
  const field = (k: string) => Number(new RegExp(`^${k}\\s+(\\d+)`, 'm').exec(head)?.[1] ?? NaN);
  const width = field('WIDTH');
  const height = field('HEIGHT');
  const depth = field('DEPTH');
  const data = buf.subarray(end + 7, end + 7 + width * height * depth);
  if (data.length !== width * height * depth) throw new Error('truncated PAM image');
  return { width, height, depth, data };
}

/** Ink raster resolution: 72 ppi (one pixel about 0.35 mm). */
export const INK_PPI = 72;

/** Runs the preflight on a PDF's bytes: mutool for what it draws and its inks, then the rules. */
export async function preflightPdf(
  bytes: Uint8Array,
  profile: PreflightProfile,
  ctx: PreflightContext = {},
  signal?: AbortSignal,
): Promise<PreflightResult> {
  const mutool = requireTool('mutool', 'to preflight a PDF');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-preflight-'));
  try {
    const file = path.join(dir, 'in.pdf');
    writeFileSync(file, bytes);
    const structure = await readStructure(bytes);
    const draw = (page: number) =>
      runTool(
        mutool,
        ['draw', '-q', '-r', String(INK_PPI), '-A', '0', '-c', 'cmyk', '-F', 'pam', '-o', '-', file, String(page)],
        { timeoutMs: 60_000, ...(signal ? { signal } : {}) },
      );
    // what the PDF draws, and the first page's inks, read at the same time (two cores)
    const traceP = runTool(mutool, ['trace', file], { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
    const firstInks = profile.press && structure.pages.length ? draw(1) : undefined;
    firstInks?.catch(() => undefined);
    const traced = parseTrace((await traceP).toString('utf8'));
    const rasters: InkRaster[] = [];
    for (const t of traced) {
      // an RGB page is refused before its inks matter
      if (!profile.press || t.objects.some((o) => o.kind !== 'group' && isRgbSpace(o.colorspace))) continue;
      const pam = parsePam(await (t.number === 1 && firstInks ? firstInks : draw(t.number)));
      if (pam.depth !== 4) throw new Error(`mutool drew ${pam.depth} components, not CMYK`);
      rasters.push({ page: t.number, width: pam.width, height: pam.height, scale: INK_PPI / 72, cmyk: pam.data });
    }
    return checkPdf(structure, traced, rasters, profile, ctx);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
