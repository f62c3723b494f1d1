/**
 * The page's colours, in its content streams: collected (every RGB fill and stroke colour
 * set), then rewritten to CMYK from a table (cmyk.ts makes it with Ghostscript). Only colour
 * operators change; text, positions and paths stay byte for byte as Chromium wrote them, so
 * the press PDF's text extracts exactly as broadsheet.pdf's.
 *
 * Near-greys are made grey first: RGB colours that are grey to the eye but not exactly neutral
 * (the chart theme's ink #231f20, the sRGB rendering of process black; its greys #6d6e71 and
 * #bcbec0) would come out of the device link built from four inks (#231f20 gave 12/15/7/100 %
 * C/M/Y/K: small chart text on four plates). Within NEUTRAL_TOLERANCE they become the grey of
 * the same luminance, which the link puts on the black plate alone.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  decodePDFRawStream,
} from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { editContent, type Edit } from './content.js';

export type Rgb = readonly [number, number, number];
export type Cmyk = readonly [number, number, number, number];

/** Channels within 6/255 of each other are grey (#231f20 differs by 4). */
export const NEUTRAL_TOLERANCE = 6 / 255;

const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const enc = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** The grey of a near-grey RGB colour's luminance; undefined when it is exactly grey or not near grey. */
export function neutralOf(r: number, g: number, b: number, tolerance = NEUTRAL_TOLERANCE): number | undefined {
  const spread = Math.max(r, g, b) - Math.min(r, g, b);
  if (spread === 0 || spread > tolerance + 1e-9) return undefined;
  const y = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return Math.round(Math.min(1, Math.max(0, enc(y))) * 10000) / 10000;
}

/** A colour as a key: components to 4 decimals. */
export const colourKey = (c: readonly number[]) => c.map((v) => String(Math.round(v * 10000) / 10000)).join(' ');

const num = (v: number) => String(Math.round(v * 10000) / 10000);

/**
 * One content stream's RGB colours, and (given a table) the stream with them in CMYK. `rgbSpaces`
 * are the stream's colour space resources that are RGB (ICCBased with 3 components, CalRGB).
 */
export function convertContent(
  src: Uint8Array,
  rgbSpaces: ReadonlySet<string>,
  table?: (rgb: Rgb) => Cmyk | undefined,
): { bytes: Uint8Array; colours: Rgb[]; changed: number } {
  const found = new Map<string, Rgb>();
  let fillRgb = false;
  let strokeRgb = false;
  const result = editContent(src, (op, operands, read, at): Edit[] | undefined => {
    const last3 = operands.slice(-3);
    const rgbOf = (): Rgb | undefined =>
      last3.length === 3 && last3.every((t) => t.kind === 'number')
        ? (last3.map((t) => Number(read(t))) as unknown as Rgb)
        : undefined;
    const replace = (rgb: Rgb, op4: string): Edit[] | undefined => {
      found.set(colourKey(rgb), rgb);
      const cmyk = table?.(rgb);
      if (!cmyk) return undefined;
      const edits: Edit[] = [{ start: last3[0]!.start, end: last3[2]!.end, value: cmyk.map(num).join(' ') }];
      // the operator itself when it changes (rg → k)
      if (op4 !== op) edits.push({ start: at.start, end: at.end, value: op4 });
      return edits;
    };
    switch (op) {
      case 'rg':
      case 'RG': {
        if (op === 'rg') fillRgb = true;
        else strokeRgb = true;
        const rgb = rgbOf();
        return rgb ? replace(rgb, op === 'rg' ? 'k' : 'K') : undefined;
      }
      case 'sc':
      case 'scn':
      case 'SC':
      case 'SCN': {
        const rgbSpace = op === 'sc' || op === 'scn' ? fillRgb : strokeRgb;
        if (!rgbSpace || operands.length !== 3) return undefined;
        const rgb = rgbOf();
        return rgb ? replace(rgb, op) : undefined;
      }
      case 'cs':
      case 'CS': {
        const name = operands.length === 1 && operands[0]!.kind === 'name' ? read(operands[0]!).slice(1) : '';
        const isRgb = name === 'DeviceRGB' || rgbSpaces.has(name);
        if (op === 'cs') fillRgb = isRgb;
        else strokeRgb = isRgb;
        // an RGB colour space becomes DeviceCMYK (its initial colour, black, stays black)
        return isRgb && table
          ? [{ start: operands[0]!.start, end: operands[0]!.end, value: '/DeviceCMYK' }]
          : undefined;
      }
      case 'g':
      case 'k':
        fillRgb = false;
        return undefined;
      case 'G':
      case 'K':
        strokeRgb = false;
        return undefined;
      default:
        return undefined;
    }
  });
  return { bytes: result.bytes, colours: [...found.values()], changed: result.edits };
}

/** The names of a resource dictionary's colour spaces that are RGB. */
function rgbSpacesOf(doc: PDFDocument, resources: PDFObject | undefined): Set<string> {
  const out = new Set<string>();
  if (!(resources instanceof PDFDict)) return out;
  const spaces = resources.lookup(PDFName.of('ColorSpace'));
  if (!(spaces instanceof PDFDict)) return out;
  for (const [name, ref] of spaces.entries()) {
    const cs = doc.context.lookup(ref);
    if (cs === PDFName.of('DeviceRGB')) out.add(name.decodeText());
    if (!(cs instanceof PDFArray)) continue;
    const family = doc.context.lookup(cs.get(0));
    if (family === PDFName.of('CalRGB')) out.add(name.decodeText());
    if (family === PDFName.of('ICCBased')) {
      const s = doc.context.lookup(cs.get(1));
      const n = s instanceof PDFStream ? s.dict.lookup(PDFName.of('N')) : undefined;
      if (n instanceof PDFNumber && n.asNumber() === 3) out.add(name.decodeText());
    }
  }
  return out;
}

/** Every content stream of the document with the resources it draws with: pages, forms, tiling patterns. */
function contentStreams(doc: PDFDocument): { ref: PDFRef; resources: PDFObject | undefined }[] {
  const ctx = doc.context;
  const out: { ref: PDFRef; resources: PDFObject | undefined }[] = [];
  const seen = new Set<string>();
  const add = (ref: PDFRef, resources: PDFObject | undefined) => {
    if (seen.has(ref.toString())) return;
    seen.add(ref.toString());
    out.push({ ref, resources });
    walk(resources);
  };
  const walk = (res: PDFObject | undefined) => {
    if (!(res instanceof PDFDict)) return;
    for (const kind of ['XObject', 'Pattern']) {
      const d = res.lookup(PDFName.of(kind));
      if (!(d instanceof PDFDict)) continue;
      for (const [, v] of d.entries()) {
        if (!(v instanceof PDFRef)) continue;
        const o = ctx.lookup(v);
        if (!(o instanceof PDFStream)) continue;
        if (kind === 'Pattern' || o.dict.lookup(PDFName.of('Subtype')) === PDFName.of('Form'))
          add(v, o.dict.lookup(PDFName.of('Resources')));
      }
    }
  };
  for (const page of doc.getPages()) {
    const res = page.node.Resources();
    const contents = page.node.get(PDFName.of('Contents'));
    const refs = contents instanceof PDFRef ? [contents] : contents instanceof PDFArray ? contents.asArray() : [];
    for (const r of refs) if (r instanceof PDFRef) add(r, res);
    walk(res);
  }
  return out;
}

/** Decoded content streams, so that finding the colours and rewriting them decode each once. */
const decodedStreams = new WeakMap<PDFRawStream, Uint8Array>();
function decoded(s: PDFObject | undefined): Uint8Array | undefined {
  if (!(s instanceof PDFRawStream)) return undefined;
  let d = decodedStreams.get(s);
  if (!d) decodedStreams.set(s, (d = decodePDFRawStream(s).decode()));
  return d;
}

/** Every RGB colour the document's content streams set. */
export function documentColours(doc: PDFDocument): Rgb[] {
  const all = new Map<string, Rgb>();
  for (const { ref, resources } of contentStreams(doc)) {
    const bytes = decoded(doc.context.lookup(ref));
    if (!bytes) continue;
    for (const c of convertContent(bytes, rgbSpacesOf(doc, resources)).colours) all.set(colourKey(c), c);
  }
  return [...all.values()];
}

/** Rewrites the document's colours to CMYK from the table; returns how many operators changed. */
export function convertDocument(doc: PDFDocument, table: (rgb: Rgb) => Cmyk | undefined): number {
  const ctx = doc.context;
  let changed = 0;
  for (const { ref, resources } of contentStreams(doc)) {
    const s = ctx.lookup(ref);
    const bytes = decoded(s);
    if (!bytes || !(s instanceof PDFRawStream)) continue;
    const r = convertContent(bytes, rgbSpacesOf(doc, resources), table);
    if (!r.changed) continue;
    changed += r.changed;
    const next = ctx.flateStream(r.bytes);
    for (const [k, v] of s.dict.entries())
      if (!['Filter', 'DecodeParms', 'Length'].includes(k.decodeText())) next.dict.set(k, v);
    ctx.assign(ref, next);
  }
  return changed;
}
