/**
 * RGB → CMYK by Ghostscript. Ghostscript converts, Broadsheet puts the results into the page:
 *
 * - every colour the page sets (text, rules, fills, chart marks) is drawn as a swatch on one
 *   page of a small PDF and converted through the device link (profiles.ts: neutrals on K
 *   only, colours through the output profile at the graphics intent); colours.ts then writes
 *   the CMYK values into the page's own content streams;
 * - every RGB photo is put on a page of its own in the same PDF and converted through the
 *   output profile at the photo intent (its sRGB profile overridden with that intent), kept at
 *   full resolution as a high-quality JPEG; the converted image replaces the RGB one.
 *
 * So the page's text, fonts and positions never pass through Ghostscript (its pdfwrite rounds
 * glyph positions, and pdftotext's reading order follows such rounding). Ghostscript reads a
 * PDF of swatches and images that Broadsheet writes, with its legacy PDF interpreter
 * (-dNEWPDF=false: the measured one; the new one garbled Chromium's text, and gave other photo
 * bytes here). Its default CMYK profile is the output profile (gsIccDir: pdfwrite ignores
 * -sOutputICCProfile).
 *
 * Two Ghostscript processes share the work (two cores; the photos divided by pixels). Results
 * are kept in the cache (disk-cache.ts) by what made them: a converted photo by its
 * bytes, the profile, the link, the intent and Ghostscript; a colour by its value and the same.
 * A rebuild with the same photos and colours does not start Ghostscript.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFObjectCopier,
  PDFRawStream,
  PDFRef,
  PDFArray,
  PDFStream,
  ParseSpeeds,
  decodePDFRawStream,
} from 'pdf-lib';
import { cacheKey, fileStamp, readCached, writeCached } from '../disk-cache.js';
import { colourKey, type Cmyk, type Rgb } from './colours.js';
import { editContent } from './content.js';
import { INTENTS, gsIccDir, gsProfileDir, type Intent, type OutputProfile } from './profiles.js';
import { requireTool, runTool } from './tools.js';

export interface CmykOptions {
  profile: OutputProfile;
  /** the device link for text and graphics */
  link: string;
  photoIntent: Intent;
  /** stops Ghostscript when aborted (a build's deadline); without it, Ghostscript has 120 s */
  signal?: AbortSignal;
}

/** An image converted to CMYK: its stream's new bytes and the dictionary entries that describe them. */
export interface ConvertedImage {
  dict: Record<string, string | number | number[]>;
  bytes: Uint8Array;
}

/** Ghostscript's per-object colour file: text and graphics through the link, photos through the profile. */
export function sourceObjects(link: string, photoIntent: Intent): string {
  const srgb = path.join(gsProfileDir(), 'srgb.icc');
  // key, profile, intent, black point compensation, override the object's own profile
  return [
    `Graphic_RGB\t${link}\t0\t1\t0`,
    `Text_RGB\t${link}\t0\t1\t0`,
    `Image_RGB\t${srgb}\t${INTENTS[photoIntent].gs}\t1\t1`,
    '',
  ].join('\n');
}

/** Photos at full resolution, re-encoded as high-quality JPEG (4:4:4). */
export const DISTILLER = [
  '%!PS',
  '<< /DownsampleColorImages false /DownsampleGrayImages false /DownsampleMonoImages false',
  '   /AutoFilterColorImages false /ColorImageFilter /DCTEncode',
  '   /ColorImageDict << /QFactor 0.15 /Blend 1 /HSamples [1 1 1 1] /VSamples [1 1 1 1] >>',
  '>> setdistillerparams',
  '',
].join('\n');

/** Is an image XObject RGB (DeviceRGB, CalRGB, ICCBased with 3 components, or indexed on one of them)? */
export function isRgbImage(doc: PDFDocument, dict: PDFDict): boolean {
  const rgb = (cs: unknown): boolean => {
    cs = cs instanceof PDFRef ? doc.context.lookup(cs) : cs;
    if (cs === PDFName.of('DeviceRGB')) return true;
    if (!(cs instanceof PDFArray)) return false;
    const family = doc.context.lookup(cs.get(0));
    if (family === PDFName.of('CalRGB')) return true;
    if (family === PDFName.of('Indexed')) return rgb(cs.get(1));
    if (family === PDFName.of('ICCBased')) {
      const s = doc.context.lookup(cs.get(1));
      const n = s instanceof PDFStream ? s.dict.lookup(PDFName.of('N')) : undefined;
      return n instanceof PDFNumber && n.asNumber() === 3;
    }
    return false;
  };
  return dict.lookup(PDFName.of('ImageMask')) === undefined && rgb(dict.get(PDFName.of('ColorSpace')));
}

/** How Ghostscript is run (besides the files it is given). */
const GS_OPTIONS = [
  '-q',
  '-dBATCH',
  '-dNOPAUSE',
  '-dSAFER',
  '-dNEWPDF=false',
  '-sDEVICE=pdfwrite',
  '-sColorConversionStrategy=CMYK',
  '-sProcessColorModel=DeviceCMYK',
  '-dAutoRotatePages=/None',
];

/** What a conversion depends on besides its input: Ghostscript and its options, the profile, the link, the intent. */
function settingsStamp(gs: string, o: CmykOptions): string {
  return [fileStamp(gs), GS_OPTIONS.join(' '), o.profile.key, fileStamp(o.link), o.photoIntent, DISTILLER].join('|');
}

/** An image's identity: its stream bytes and the entries that say how to read them. */
function imageKey(doc: PDFDocument, s: PDFRawStream, stamp: string): string {
  const h = createHash('sha256').update(s.contents);
  for (const k of ['Width', 'Height', 'BitsPerComponent', 'Filter', 'DecodeParms', 'Decode', 'ColorSpace']) {
    let v = s.dict.get(PDFName.of(k));
    if (v instanceof PDFRef) v = doc.context.lookup(v);
    h.update(k).update(v ? v.toString() : '-');
    // an ICC profile by its bytes
    if (v instanceof PDFArray)
      for (const part of v.asArray()) {
        const o = doc.context.lookup(part);
        if (o instanceof PDFRawStream) h.update(o.contents);
      }
  }
  return cacheKey(h.digest('hex'), stamp);
}

function packImage(img: ConvertedImage): Buffer {
  const head = Buffer.from(JSON.stringify(img.dict));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(head.length);
  return Buffer.concat([len, head, img.bytes]);
}

function unpackImage(b: Buffer): ConvertedImage | undefined {
  try {
    const n = b.readUInt32BE(0);
    return { dict: JSON.parse(b.toString('utf8', 4, 4 + n)) as ConvertedImage['dict'], bytes: b.subarray(4 + n) };
  } catch {
    return undefined;
  }
}

export interface Conversion {
  /** the CMYK value of each colour asked for, by colourKey */
  colours: Map<string, Cmyk>;
  /** converted images, by the reference of the RGB image they replace */
  images: Map<PDFRef, ConvertedImage>;
  /** what Ghostscript was run for (nothing when all came from the cache) */
  ran: { colours: number; images: number };
}

/**
 * Converts colours and the document's RGB images through Ghostscript, taking what it can from
 * the cache. The document is not changed.
 */
export async function convertThroughGhostscript(doc: PDFDocument, colours: Rgb[], o: CmykOptions): Promise<Conversion> {
  const gs = requireTool('gs', 'to convert the page to CMYK for the press');
  const stamp = settingsStamp(gs, o);
  const out: Conversion = { colours: new Map(), images: new Map(), ran: { colours: 0, images: 0 } };

  const colourFile = `colours-${cacheKey(stamp)}.json`;
  const known = new Map<string, Cmyk>(
    Object.entries(
      ((): Record<string, Cmyk> => {
        try {
          return JSON.parse(readCached('press', colourFile)?.toString('utf8') ?? '{}') as Record<string, Cmyk>;
        } catch {
          return {};
        }
      })(),
    ),
  );
  const newColours: Rgb[] = [];
  for (const c of colours) {
    const hit = known.get(colourKey(c));
    if (hit) out.colours.set(colourKey(c), hit);
    else if (!newColours.some((x) => colourKey(x) === colourKey(c))) newColours.push(c);
  }

  const newImages: { ref: PDFRef; stream: PDFRawStream; key: string }[] = [];
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream) || obj.dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    if (!isRgbImage(doc, obj.dict)) continue;
    const key = imageKey(doc, obj, stamp);
    const hit = readCached('press', `image-${key}`);
    const img = hit && unpackImage(hit);
    if (img) out.images.set(ref, img);
    else newImages.push({ ref, stream: obj, key });
  }
  if (!newColours.length && !newImages.length) return out;

  // two Ghostscript processes (two cores), the photos shared out by pixels; the colours go with the first
  const batches: { colours: Rgb[]; images: typeof newImages; pixels: number }[] = [
    { colours: newColours, images: [], pixels: 0 },
    { colours: [], images: [], pixels: 0 },
  ];
  const pixelsOf = (x: PDFRawStream) =>
    ['Width', 'Height'].map((k) => (x.dict.lookup(PDFName.of(k)) as PDFNumber).asNumber()).reduce((a, b) => a * b);
  for (const img of [...newImages].sort((a, b) => pixelsOf(b.stream) - pixelsOf(a.stream))) {
    const to = batches[0]!.pixels <= batches[1]!.pixels ? batches[0]! : batches[1]!;
    to.images.push(img);
    to.pixels += pixelsOf(img.stream);
  }
  const active = batches.filter((b) => b.colours.length || b.images.length);
  const results = await Promise.all(
    active.map((b) =>
      runGhostscript(
        gs,
        doc,
        b.colours,
        b.images.map((x) => x.stream),
        o,
      ),
    ),
  );
  o.signal?.throwIfAborted(); // a build past its deadline keeps nothing, not even in the cache
  for (const [n, b] of active.entries()) {
    const r = results[n]!;
    b.colours.forEach((c, i) => {
      out.colours.set(colourKey(c), r.colours[i]!);
      known.set(colourKey(c), r.colours[i]!);
    });
    b.images.forEach((img, i) => {
      out.images.set(img.ref, r.images[i]!);
      writeCached('press', `image-${img.key}`, packImage(r.images[i]!));
    });
  }
  if (newColours.length) writeCached('press', colourFile, JSON.stringify(Object.fromEntries(known)));
  out.ran = { colours: newColours.length, images: newImages.length };
  return out;
}

/**
 * One Ghostscript run: page 1 holds a swatch per colour, each following page one image at its
 * pixel size. Returns the CMYK of each swatch (the fill colour in effect at each fill, in
 * drawing order) and each converted image, in the order given.
 */
async function runGhostscript(
  gs: string,
  doc: PDFDocument,
  colours: Rgb[],
  images: PDFRawStream[],
  o: CmykOptions,
): Promise<{ colours: Cmyk[]; images: ConvertedImage[] }> {
  const input = await PDFDocument.create({ updateMetadata: false });
  const ops = colours.map((c, i) => `${c.join(' ')} rg ${(i % 64) * 2} ${Math.floor(i / 64) * 2} 1 1 re f`);
  const swatches = input.addPage([200, 200]);
  swatches.node.set(PDFName.of('Contents'), input.context.register(input.context.stream(ops.join('\n') || '%')));
  const copier = PDFObjectCopier.for(doc.context, input.context);
  for (const img of images) {
    const w = (img.dict.lookup(PDFName.of('Width')) as PDFNumber).asNumber();
    const h = (img.dict.lookup(PDFName.of('Height')) as PDFNumber).asNumber();
    const page = input.addPage([w, h]);
    const copy = input.context.register(copier.copy(img));
    page.node.set(PDFName.of('Resources'), input.context.obj({ XObject: { Im: copy } }));
    page.node.set(
      PDFName.of('Contents'),
      input.context.register(input.context.stream(`q ${w} 0 0 ${h} 0 0 cm /Im Do Q`)),
    );
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-cmyk-'));
  try {
    const inFile = path.join(dir, 'rgb.pdf');
    const outFile = path.join(dir, 'cmyk.pdf');
    const objects = path.join(dir, 'objects.txt');
    const prefix = path.join(dir, 'settings.ps');
    writeFileSync(inFile, await input.save({ useObjectStreams: false }));
    writeFileSync(objects, sourceObjects(o.link, o.photoIntent));
    writeFileSync(prefix, DISTILLER);
    const icc = gsIccDir(o.profile);
    const readable = [dir, icc, path.dirname(o.link), gsProfileDir()];
    await runTool(
      gs,
      [
        ...GS_OPTIONS,
        `-sICCProfilesDir=${icc}/`,
        `-sSourceObjectICC=${objects}`,
        ...readable.map((d) => `--permit-file-read=${d}/`),
        `-sOutputFile=${outFile}`,
        prefix,
        inFile,
      ],
      { ...(o.signal ? { signal: o.signal } : { timeoutMs: 120_000 }), keepStdout: false },
    );
    const result = await PDFDocument.load(readFileSync(outFile), {
      updateMetadata: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
    const pages = result.getPages();

    const fills: Cmyk[] = [];
    let current: Cmyk = [0, 0, 0, 1];
    const contents = pages[0]!.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((r) => result.context.lookup(r)) : [contents];
    for (const s of streams) {
      if (!(s instanceof PDFRawStream)) continue;
      editContent(decodePDFRawStream(s).decode(), (op, operands, read) => {
        const v = operands.map((t) => Number(read(t)));
        if (op === 'k' && v.length === 4) current = v as unknown as Cmyk;
        else if (op === 'g' && v.length === 1) current = [0, 0, 0, 1 - v[0]!];
        else if (op === 'rg' && v.length === 3)
          throw new Error(`Ghostscript left an RGB colour (${v.join(' ')}) unconverted`);
        else if (op === 'f' || op === 'f*') fills.push(current);
      });
    }
    if (fills.length !== colours.length)
      throw new Error(`Ghostscript returned ${fills.length} colours for ${colours.length} swatches`);
    return {
      colours: fills.map((c) => c.map((v) => Math.round(v * 10000) / 10000) as unknown as Cmyk),
      images: images.map((_, i) => {
        const xobjects = pages[i + 1]?.node.Resources()?.lookup(PDFName.of('XObject'));
        const first = xobjects instanceof PDFDict ? xobjects.values()[0] : undefined;
        const s = first ? result.context.lookup(first) : undefined;
        if (!(s instanceof PDFRawStream)) throw new Error(`Ghostscript returned no image for image ${i + 1}`);
        return toConverted(result, s);
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A converted image stream as plain data: bytes and the entries that describe them. */
function toConverted(doc: PDFDocument, s: PDFRawStream): ConvertedImage {
  const dict: ConvertedImage['dict'] = {};
  for (const k of ['Width', 'Height', 'BitsPerComponent', 'ColorSpace', 'Filter', 'Decode']) {
    const v = doc.context.lookup(s.dict.get(PDFName.of(k)));
    if (v instanceof PDFNumber) dict[k] = v.asNumber();
    else if (v instanceof PDFName) dict[k] = v.decodeText();
    else if (v instanceof PDFArray && v.asArray().every((x) => x instanceof PDFNumber))
      dict[k] = v.asArray().map((x) => (x as PDFNumber).asNumber());
    else if (v !== undefined) throw new Error(`Ghostscript wrote an image with ${k} ${v.toString()}`);
  }
  if (dict.ColorSpace !== 'DeviceCMYK' && dict.ColorSpace !== 'DeviceGray')
    throw new Error(`Ghostscript wrote an image in ${String(dict.ColorSpace)}, not CMYK`);
  return { dict, bytes: s.contents };
}

/** Puts converted images in place of the RGB ones (same width and height, same references). */
export function replaceImages(doc: PDFDocument, images: Map<PDFRef, ConvertedImage>): void {
  const ctx = doc.context;
  const formerSpaces: PDFRef[] = [];
  for (const [ref, img] of images) {
    const old = ctx.lookup(ref);
    if (!(old instanceof PDFRawStream)) continue;
    formerSpaces.push(...refsIn(old.dict.get(PDFName.of('ColorSpace'))));
    const dict = ctx.obj({});
    for (const [k, v] of old.dict.entries())
      if (
        !['ColorSpace', 'Filter', 'DecodeParms', 'Decode', 'BitsPerComponent', 'Length', 'ColorTransform'].includes(
          k.decodeText(),
        )
      )
        dict.set(k, v);
    for (const [k, v] of Object.entries(img.dict))
      dict.set(
        PDFName.of(k),
        typeof v === 'string' ? PDFName.of(v) : typeof v === 'number' ? PDFNumber.of(v) : ctx.obj(v),
      );
    ctx.assign(ref, PDFRawStream.of(dict, img.bytes));
  }
  // the RGB images' colour spaces (their sRGB profile) are left over unless something else uses them
  const used = new Set<string>();
  for (const [, obj] of ctx.enumerateIndirectObjects()) for (const r of refsIn(obj)) used.add(r.toString());
  for (const r of formerSpaces) if (!used.has(r.toString())) ctx.delete(r);
}

/** The references an object holds (in dictionaries, arrays and stream dictionaries, not through them). */
function refsIn(o: unknown): PDFRef[] {
  if (o instanceof PDFRef) return [o];
  if (o instanceof PDFArray) return o.asArray().flatMap(refsIn);
  if (o instanceof PDFDict) return o.values().flatMap(refsIn);
  if (o instanceof PDFStream) return refsIn(o.dict);
  return [];
}
