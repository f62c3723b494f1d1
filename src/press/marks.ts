/**
 * After the CMYK conversion (pdf-lib): the page set on a larger sheet with crop and registration
 * marks, CMYK control patches and a slug line outside the trim, exact page boxes, the PDF/X-3
 * output intent, pinned dates and document ID.
 *
 * Geometry, in mm from the trim's top left (y down), MARKS below:
 * - the sheet (MediaBox = CropBox): the trim plus 16 mm on every side;
 * - BleedBox: the trim plus the preset's bleed (3 mm); TrimBox: the trim, both exactly as in
 *   broadsheet.pdf (the content keeps its place relative to them);
 * - crop marks: 0.3 pt lines in registration colour (C+M+Y+K) on the trim's edges, from 4 mm to
 *   11 mm outside it, at every corner;
 * - registration targets: a 2.5 mm circle with a 6 mm cross, centred 7.5 mm outside the middle
 *   of every side, in registration colour;
 * - control patches: 4 mm squares of solid C, M, Y and K, 9.5–13.5 mm above the trim, from
 *   12 mm right of its left edge;
 * - the slug: 7 pt black (K) glyph outlines, baseline 13.5 mm below the trim, from its left
 *   edge: publication, date, page (版次) and section, edition, build id, printing condition.
 *   Outlines, not text, so the press PDF's text is the page's text and nothing else.
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { FACES, fontFile } from '../fonts/faces.js';
import { cacheKey, fileStamp, readCached, writeCached } from '../disk-cache.js';
import type { OutputProfile } from './profiles.js';

export const PT_PER_MM = 72 / 25.4;

export const MARKS = {
  marginMm: 16,
  crop: { fromMm: 4, toMm: 11, widthPt: 0.3 },
  target: { outMm: 7.5, radiusMm: 2.5, crossMm: 6, widthPt: 0.3 },
  patches: { xMm: 12, topMm: -13.5, sizeMm: 4, gapMm: 1 },
  slug: { baselineMm: 13.5, sizePt: 7 },
};

export interface PressPage {
  trimW: number;
  trimH: number;
  bleed: number;
}

export interface Slug {
  publication: string;
  date: string;
  page: number;
  section: string;
  edition: string;
  buildId: string;
  condition: string;
}

export function slugText(s: Slug): string {
  return [
    s.publication,
    s.date,
    `第${s.page}版 ${s.section}`,
    s.edition,
    `build ${s.buildId}`,
    s.condition,
    'Broadsheet',
  ].join('   ');
}

const f = (v: number) => String(Math.round(v * 1000) / 1000);

/** Content stream operators for a circle (four Bézier arcs). */
function circle(cx: number, cy: number, r: number): string {
  const k = 0.5523 * r;
  return [
    `${f(cx + r)} ${f(cy)} m`,
    `${f(cx + r)} ${f(cy + k)} ${f(cx + k)} ${f(cy + r)} ${f(cx)} ${f(cy + r)} c`,
    `${f(cx - k)} ${f(cy + r)} ${f(cx - r)} ${f(cy + k)} ${f(cx - r)} ${f(cy)} c`,
    `${f(cx - r)} ${f(cy - k)} ${f(cx - k)} ${f(cy - r)} ${f(cx)} ${f(cy - r)} c`,
    `${f(cx + k)} ${f(cy - r)} ${f(cx + r)} ${f(cy - k)} ${f(cx + r)} ${f(cy)} c`,
    'h',
  ].join('\n');
}

/** A glyph's outline in font units (y up) and its advance: what the slug needs of the font. */
interface Outline {
  adv: number;
  commands: { command: string; args: number[] }[];
}

const outlines = new Map<string, Outline>();
/**
 * Outlines of the slug's characters (Noto Sans SC Regular): from memory, else from the cache
 * (disk-cache.ts, by the font file), else from the font with fontkit (about a quarter of a
 * second to open and read it, so it is opened only for characters never seen before).
 */
function outlinesFor(text: string): Map<string, Outline> {
  const file = fontFile(FACES.sans);
  const name = `slug-glyphs-${cacheKey(fileStamp(file))}.json`;
  const chars = [...new Set(text)];
  if (chars.some((c) => !outlines.has(c))) {
    try {
      const cached = JSON.parse(readCached('press', name)?.toString('utf8') ?? '{}') as Record<string, Outline>;
      for (const [c, o] of Object.entries(cached)) outlines.set(c, o);
    } catch {
      /* made again below */
    }
  }
  const missing = chars.filter((c) => !outlines.has(c));
  if (missing.length) {
    const font = fontkit.create(readFileSync(file));
    const scale = 1000 / font.unitsPerEm;
    for (const c of missing) {
      const g = font.glyphForCodePoint(c.codePointAt(0)!);
      outlines.set(c, {
        adv: g.advanceWidth * scale,
        commands: g.path.commands.map((x) => ({
          command: x.command,
          args: x.args.map((v) => Math.round(v * scale * 100) / 100),
        })),
      });
    }
    writeCached('press', name, JSON.stringify(Object.fromEntries(outlines)));
  }
  return outlines;
}

/** A line of text as filled glyph outlines (Noto Sans SC), baseline at (x, y) in pt; no kerning. */
export function outlineText(text: string, x: number, y: number, sizePt: number): string {
  const table = outlinesFor(text);
  const s = sizePt / 1000;
  const ops: string[] = [];
  let pen = x;
  for (const ch of text) {
    const g = table.get(ch)!;
    const ox = pen;
    const P = (px: number, py: number) => `${f(ox + px * s)} ${f(y + py * s)}`;
    let cur: [number, number] = [0, 0];
    for (const c of g.commands) {
      const a = c.args;
      if (c.command === 'moveTo') ops.push(`${P(a[0]!, a[1]!)} m`);
      else if (c.command === 'lineTo') ops.push(`${P(a[0]!, a[1]!)} l`);
      else if (c.command === 'bezierCurveTo') ops.push(`${P(a[0]!, a[1]!)} ${P(a[2]!, a[3]!)} ${P(a[4]!, a[5]!)} c`);
      else if (c.command === 'quadraticCurveTo') {
        // a quadratic segment as a cubic: control points 2/3 of the way to the quadratic one
        const [qx, qy, ex, ey] = a as [number, number, number, number];
        const c1 = [cur[0] + (2 / 3) * (qx - cur[0]), cur[1] + (2 / 3) * (qy - cur[1])] as const;
        const c2 = [ex + (2 / 3) * (qx - ex), ey + (2 / 3) * (qy - ey)] as const;
        ops.push(`${P(c1[0], c1[1])} ${P(c2[0], c2[1])} ${P(ex, ey)} c`);
      } else if (c.command === 'closePath') ops.push('h');
      if (a.length >= 2) cur = [a[a.length - 2]!, a[a.length - 1]!];
    }
    pen += g.adv * s;
  }
  return ops.length ? `${ops.join('\n')}\nf` : '';
}

/** The marks, patches and slug of a sheet, as content stream operators (PDF units). */
export function marksContent(page: PressPage, slug: Slug): string {
  const k = PT_PER_MM;
  const m = MARKS.marginMm;
  const X = (xmm: number) => (m + xmm) * k;
  const Y = (ymm: number) => (m + page.trimH - ymm) * k; // ymm down from the trim's top
  const out: string[] = ['q', '1 1 1 1 K', `${MARKS.crop.widthPt} w`, '0 J'];
  const { fromMm: a, toMm: b } = MARKS.crop;
  for (const cx of [0, page.trimW])
    for (const cy of [0, page.trimH]) {
      const sx = cx === 0 ? -1 : 1;
      const sy = cy === 0 ? -1 : 1;
      out.push(`${f(X(cx + sx * a))} ${f(Y(cy))} m ${f(X(cx + sx * b))} ${f(Y(cy))} l S`);
      out.push(`${f(X(cx))} ${f(Y(cy + sy * a))} m ${f(X(cx))} ${f(Y(cy + sy * b))} l S`);
    }
  const t = MARKS.target;
  const targets: [number, number][] = [
    [page.trimW / 2, -t.outMm],
    [page.trimW / 2, page.trimH + t.outMm],
    [-t.outMm, page.trimH / 2],
    [page.trimW + t.outMm, page.trimH / 2],
  ];
  out.push(`${t.widthPt} w`);
  for (const [cx, cy] of targets) {
    out.push(circle(X(cx), Y(cy), t.radiusMm * k), 'S');
    const h = t.crossMm / 2;
    out.push(`${f(X(cx - h))} ${f(Y(cy))} m ${f(X(cx + h))} ${f(Y(cy))} l S`);
    out.push(`${f(X(cx))} ${f(Y(cy - h))} m ${f(X(cx))} ${f(Y(cy + h))} l S`);
  }
  const p = MARKS.patches;
  ['1 0 0 0', '0 1 0 0', '0 0 1 0', '0 0 0 1'].forEach((cmyk, i) => {
    const x0 = p.xMm + i * (p.sizeMm + p.gapMm);
    out.push(`${cmyk} k ${f(X(x0))} ${f(Y(p.topMm + p.sizeMm))} ${f(p.sizeMm * k)} ${f(p.sizeMm * k)} re f`);
  });
  out.push('0 0 0 1 k', outlineText(slugText(slug), X(0), Y(page.trimH + MARKS.slug.baselineMm), MARKS.slug.sizePt));
  out.push('Q');
  return out.join('\n') + '\n';
}

const N = (s: string) => PDFName.of(s);
const PDF_VERSION_HEADER = '%PDF-1.4';
/** A PDF text string: plain ASCII as it is, anything else as UTF-16. */
const pdfText = (s: string) =>
  /^[\x20-\x27\x2a-\x5b\x5d-\x7e]*$/.test(s) ? PDFString.of(s) : PDFHexString.fromText(s);

export interface FinishOptions {
  page: PressPage;
  slug: Slug;
  /** the output intent */
  profile: OutputProfile;
  date: Date;
  /** the document ID, hex (the same input gives the same file) */
  id: string;
}

/**
 * The CMYK page made a PDF/X-3 sheet for the press: the page on a larger sheet with marks and
 * slug, exact boxes, the output intent with the profile embedded, the PDF/X keys, pinned dates
 * and document ID.
 */
export async function finishPress(doc: PDFDocument, o: FinishOptions): Promise<Uint8Array> {
  const ctx = doc.context;
  const k = PT_PER_MM;
  const W = (o.page.trimW + 2 * MARKS.marginMm) * k;
  const H = (o.page.trimH + 2 * MARKS.marginMm) * k;
  const bleedOut = (MARKS.marginMm - o.page.bleed) * k;
  const trimOut = MARKS.marginMm * k;
  const content = marksContent(o.page, o.slug);
  for (const page of doc.getPages()) {
    // the page's top left (where Chromium anchored the content) goes to the bleed's top left
    const mb = page.getMediaBox();
    const top = mb.y + mb.height;
    page.translateContent(bleedOut - mb.x, H - bleedOut - top);
    page.setMediaBox(0, 0, W, H);
    page.setCropBox(0, 0, W, H);
    page.setBleedBox(bleedOut, bleedOut, W - 2 * bleedOut, H - 2 * bleedOut);
    page.setTrimBox(trimOut, trimOut, W - 2 * trimOut, H - 2 * trimOut);
    page.node.delete(N('ArtBox'));
    // a page group for blending RGB has nothing to do in a CMYK page without transparency
    page.node.delete(N('Group'));
    page.node.addContentStream(ctx.register(ctx.flateStream(content)));
  }
  // PDF/X-3: the output intent with the output profile, the Info keys, an ID
  const icc = ctx.flateStream(readFileSync(o.profile.file), { N: 4 });
  const c = o.profile.condition;
  const intent = ctx.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFX',
    OutputConditionIdentifier: PDFString.of(c.identifier),
    OutputCondition: pdfText(c.condition),
    Info: pdfText(o.profile.description),
    ...(c.registry ? { RegistryName: PDFString.of(c.registry) } : {}),
    DestOutputProfile: ctx.register(icc),
  });
  doc.catalog.set(N('OutputIntents'), ctx.obj([ctx.register(intent)]));
  doc.setCreationDate(o.date);
  doc.setModificationDate(o.date);
  doc.setProducer('Broadsheet (Chromium, Ghostscript, pdf-lib)');
  const info = ctx.lookup(ctx.trailerInfo.Info);
  if (info instanceof PDFDict) {
    info.set(N('GTS_PDFXVersion'), PDFString.of('PDF/X-3:2003'));
    info.set(N('Trapped'), N('False'));
  }
  ctx.trailerInfo.ID = ctx.obj([PDFHexString.of(o.id), PDFHexString.of(o.id)]);
  const bytes = await doc.save({
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
    objectsPerTick: Infinity,
  });
  // PDF/X-3:2003 is PDF 1.4 (pdf-lib always writes a 1.7 header; the same length, so no offset moves)
  bytes.set(Buffer.from(PDF_VERSION_HEADER, 'latin1'), 0);
  return bytes;
}
