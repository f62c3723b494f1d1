/**
 * Placeholder photos (pure part of `broadsheet placeholders`): for every photo frame, the size
 * the page prints the photo at (the frame less its caption lines, as compose.ts's photoArea
 * gives it), the pixels that make that 300 ppi, what to do with the file the edition has (none
 * yet, a placeholder of another size, a real photo), and the page that draws a clearly marked
 * placeholder of that size. The command line (cli/placeholders.ts) prints it and writes it.
 */
import type { Bound } from '../bind/figures.js';
import type { Edition } from '../load/edition.js';
import type { PageLayout } from '../layout/frames.js';
import type { Place } from '../messages.js';
import { photoArea } from './compose.js';

export const PLACEHOLDER_PPI = 300;

export interface PlaceholderPlan {
  id: string;
  /** the file named in edition.yaml, relative to the edition's parent (as messages name files) */
  file: string;
  /** the same, relative to the edition folder */
  ref: string;
  /** where edition.yaml names the file */
  place: Place;
  widthMm: number;
  heightMm: number;
  px: [number, number];
  caption: string;
  /** marked `placeholder: true` in edition.yaml */
  marked: boolean;
  /** the pixel size of the file there now, if there is one */
  has?: [number, number];
  /**
   * make: no file yet; remake: a placeholder that is not 300 ppi (rounded to 1 ppi) across and
   * down its planned size, with --force; stale: the same without --force; keep: a placeholder of
   * the right size, or a real photo (never replaced)
   */
  action: 'make' | 'remake' | 'stale' | 'keep';
}

/** Whole pixels for a length at a resolution: the fewest that reach it (never below). */
export function pixelsFor(mm: number, ppi = PLACEHOLDER_PPI): number {
  return Math.ceil((mm / 25.4) * ppi - 1e-6);
}

/** The resolution of `px` pixels over `mm`, rounded to 1 ppi as the build's check compares it. */
export function ppiRounded(px: number, mm: number): number {
  return Math.round(px / (mm / 25.4));
}

/**
 * One plan per photo frame. A flexible photo (minLines/maxLines) is planned at its largest
 * height: copy-fit may choose any height in its range, and the page crops a photo to its frame
 * (object-fit: cover), so the width keeps 300 ppi at every height.
 */
export function planPlaceholders(ed: Edition, bound: Bound, layout: PageLayout, force: boolean): PlaceholderPlan[] {
  const plans: PlaceholderPlan[] = [];
  for (const f of layout.frames) {
    if (f.kind !== 'photo') continue;
    const photo = ed.photos.get(f.ref!)!;
    const caption = bound.captions.photos.get(photo.id) ?? '';
    const box = { w: f.box.w, h: (f.maxLines ?? f.lines) * layout.grid.pitch };
    const { imgH } = photoArea(box, caption, layout.grid.pitch);
    const px: [number, number] = [pixelsFor(box.w), pixelsFor(imgH)];
    const has: [number, number] | undefined = photo.missing ? undefined : [photo.width, photo.height];
    const fits =
      has !== undefined &&
      ppiRounded(has[0], box.w) === PLACEHOLDER_PPI &&
      ppiRounded(has[1], imgH) === PLACEHOLDER_PPI;
    const action = !has ? 'make' : !photo.placeholder || fits ? 'keep' : force ? 'remake' : 'stale';
    plans.push({
      id: photo.id,
      file: photo.file,
      ref: ed.meta.data.photos![photo.id]!.file,
      place: ed.meta.locate(['photos', photo.id, 'file']),
      widthMm: box.w,
      heightMm: imgH,
      px,
      caption,
      marked: photo.placeholder,
      ...(has ? { has } : {}),
      action,
    });
  }
  return plans;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The texts a placeholder prints (for the font it is drawn with). */
export function placeholderTexts(p: PlaceholderPlan): { title: string; latin: string; caption: string; size: string } {
  return {
    title: '照片占位',
    latin: 'PLACEHOLDER',
    caption: p.caption ? `▲${p.caption}` : '',
    size: `${p.id} · ${p.widthMm.toFixed(1)} × ${p.heightMm.toFixed(1)} mm · ${p.px[0]} × ${p.px[1]} px · ${PLACEHOLDER_PPI} ppi`,
  };
}

/**
 * The placeholder as a page of exactly its pixel size: grey stripes, a cross from corner to
 * corner, and in a dark box the words 照片占位 and PLACEHOLDER, the caption and the size. `font` is
 * a URL of the bold sans face (a data: URL: the page loads nothing else).
 */
export function placeholderHtml(p: PlaceholderPlan, font: string): string {
  const [w, h] = p.px;
  const t = placeholderTexts(p);
  const s = Math.min(w, h);
  // 照片占位 (4.4 em with its spacing, 5.2 em in its box) within the box's 86 % of the width
  const big = Math.min(w * 0.15, s / 5);
  const stripe = Math.max(8, Math.round(s / 24));
  const px = (v: number) => `${v.toFixed(1)}px`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@font-face{font-family:P;font-weight:700;src:url(${font}) format('truetype')}
html,body{margin:0;padding:0;overflow:hidden}
body{width:${w}px;height:${h}px;position:relative;font-family:P;font-weight:700;color:#fff;
background:repeating-linear-gradient(45deg,#8d9299 0 ${stripe}px,#80858d ${stripe}px ${2 * stripe}px)}
svg{position:absolute;left:0;top:0}
.box{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);width:max-content;max-width:${Math.round(w * 0.86)}px;
box-sizing:border-box;padding:${px(big * 0.3)} ${px(big * 0.4)};text-align:center;
background:#2c3038;border:${Math.max(2, Math.round(s / 250))}px solid #fff}
.t{font-size:${px(big)};line-height:1.15;letter-spacing:.1em;margin-right:-.1em;white-space:nowrap}
.e{font-size:${px(big * 0.4)};line-height:1.2;letter-spacing:.12em}
.c{font-size:${px(big * 0.3)};line-height:1.35;margin-top:${px(big * 0.25)}}
.s{font-size:${px(big * 0.2)};line-height:1.35;margin-top:${px(big * 0.2)};opacity:.85}
</style></head><body>
<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><path d="M0 0L${w} ${h}M${w} 0L0 ${h}" stroke="#fff" stroke-opacity=".55" stroke-width="${Math.max(2, Math.round(s / 300))}"/></svg>
<div class="box"><div class="t">${escape(t.title)}</div><div class="e">${escape(t.latin)}</div>${t.caption ? `<div class="c">${escape(t.caption)}</div>` : ''}<div class="s">${escape(t.size)}</div></div>
</body></html>`;
}

/**
 * A JPEG with its resolution recorded (JFIF density in dots per inch), so that an image editor
 * shows the placed size: the JFIF header's density set, or one inserted where there is none.
 */
export function withDensity(jpeg: Uint8Array, ppi: number): Buffer {
  const b = Buffer.from(jpeg);
  if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error('not a JPEG: no start-of-image marker');
  if (b[2] === 0xff && b[3] === 0xe0 && b.toString('latin1', 6, 11) === 'JFIF\0') {
    b[13] = 1; // units: dots per inch
    b.writeUInt16BE(ppi, 14);
    b.writeUInt16BE(ppi, 16);
    return b;
  }
  const app0 = Buffer.alloc(18);
  app0.set([0xff, 0xe0, 0, 16], 0);
  app0.write('JFIF\0', 4, 'latin1');
  app0.set([1, 1, 1], 9); // version 1.01, dots per inch
  app0.writeUInt16BE(ppi, 12);
  app0.writeUInt16BE(ppi, 14);
  return Buffer.concat([b.subarray(0, 2), app0, b.subarray(2)]);
}
