/**
 * What a PDF declares, read with pdf-lib: each page's boxes, every font it uses (embedded or
 * not, Type 3 or not), transparency in its graphics states and images, and the output intent.
 * What it draws, and where, comes from trace.ts.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFStream,
  PDFString,
  PDFHexString,
  type PDFObject,
  ParseSpeeds,
} from 'pdf-lib';

/** A box in PDF units (pt), origin bottom left as in the file. */
export interface PdfBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageBoxes {
  number: number;
  mediaBox: PdfBox;
  cropBox: PdfBox;
  bleedBox?: PdfBox;
  trimBox?: PdfBox;
}

export interface FontUse {
  page: number;
  /** the resource name, e.g. F4 */
  resource: string;
  /** BaseFont with the subset prefix, e.g. AAAAAA+NotoSansSC-Bold (Type 3 fonts may have none) */
  name: string;
  subtype: string;
  embedded: boolean;
}

export interface TransparencyUse {
  page: number;
  /** the resource that carries it, e.g. "graphics state G3" or "image X8" */
  object: string;
  detail: string;
}

export interface OutputIntent {
  subtype: string;
  identifier: string;
  condition: string;
  /** components of the embedded destination profile (4 for CMYK), 0 when none is embedded */
  profileComponents: number;
}

export interface PdfStructure {
  pages: PageBoxes[];
  fonts: FontUse[];
  transparency: TransparencyUse[];
  /** spot colours named in colour space resources (Separation / DeviceN colourants) */
  spots: { page: number; name: string; resource: string }[];
  outputIntents: OutputIntent[];
  /** the Info dictionary's GTS_PDFXVersion */
  pdfx?: string;
}

const N = (s: string) => PDFName.of(s);

function text(o: PDFObject | undefined): string {
  if (o instanceof PDFName) return o.decodeText();
  if (o instanceof PDFString || o instanceof PDFHexString) return o.decodeText();
  if (o instanceof PDFNumber) return String(o.asNumber());
  return '';
}

function box(o: PDFObject | undefined): PdfBox | undefined {
  if (!(o instanceof PDFArray) || o.size() !== 4) return undefined;
  const v = o.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : NaN));
  if (v.some((x) => !Number.isFinite(x))) return undefined;
  return {
    x0: Math.min(v[0]!, v[2]!),
    y0: Math.min(v[1]!, v[3]!),
    x1: Math.max(v[0]!, v[2]!),
    y1: Math.max(v[1]!, v[3]!),
  };
}

/** A page attribute, inherited from the page tree where the page does not set it. */
function inherited(page: PDFDict, key: string): PDFObject | undefined {
  let node: PDFDict | undefined = page;
  for (let depth = 0; node && depth < 64; depth++) {
    const v = node.lookup(N(key));
    if (v !== undefined) return v;
    const parent: PDFObject | undefined = node.lookup(N('Parent'));
    node = parent instanceof PDFDict ? parent : undefined;
  }
  return undefined;
}

const SPOT_IGNORED = new Set(['All', 'None', 'Cyan', 'Magenta', 'Yellow', 'Black']);

export async function readStructure(bytes: Uint8Array): Promise<PdfStructure> {
  const doc = await PDFDocument.load(bytes, {
    updateMetadata: false,
    parseSpeed: ParseSpeeds.Fastest,
    ignoreEncryption: true,
    throwOnInvalidObject: false,
  });
  const ctx = doc.context;
  const out: PdfStructure = { pages: [], fonts: [], transparency: [], spots: [], outputIntents: [] };

  doc.getPages().forEach((p, i) => {
    const number = i + 1;
    const node = p.node;
    const mediaBox = box(inherited(node, 'MediaBox')) ?? { x0: 0, y0: 0, x1: 612, y1: 792 };
    const cropBox = box(inherited(node, 'CropBox')) ?? mediaBox;
    const bleedBox = box(node.lookup(N('BleedBox')));
    const trimBox = box(node.lookup(N('TrimBox')));
    out.pages.push({
      number,
      mediaBox,
      cropBox,
      ...(bleedBox ? { bleedBox } : {}),
      ...(trimBox ? { trimBox } : {}),
    });

    const seen = new Set<PDFObject>();
    const walk = (res: PDFObject | undefined, depth: number) => {
      if (!(res instanceof PDFDict) || seen.has(res) || depth > 32) return;
      seen.add(res);
      const fonts = res.lookup(N('Font'));
      if (fonts instanceof PDFDict) {
        for (const [key, ref] of fonts.entries()) {
          const f = ctx.lookup(ref);
          if (!(f instanceof PDFDict)) continue;
          const subtype = text(f.lookup(N('Subtype')));
          let descriptorOwner: PDFDict = f;
          if (subtype === 'Type0') {
            const d = f.lookup(N('DescendantFonts'));
            const first = d instanceof PDFArray ? ctx.lookup(d.get(0)) : undefined;
            if (first instanceof PDFDict) descriptorOwner = first;
          }
          const fd = descriptorOwner.lookup(N('FontDescriptor'));
          const embedded =
            subtype === 'Type3' ||
            (fd instanceof PDFDict &&
              ['FontFile', 'FontFile2', 'FontFile3'].some((k) => fd.lookup(N(k)) instanceof PDFStream));
          out.fonts.push({
            page: number,
            resource: key.decodeText(),
            name: text(f.lookup(N('BaseFont'))) || text(f.lookup(N('Name'))) || key.decodeText(),
            subtype,
            embedded,
          });
          if (subtype === 'Type3') walk(f.lookup(N('Resources')), depth + 1);
        }
      }
      const gstates = res.lookup(N('ExtGState'));
      if (gstates instanceof PDFDict) {
        for (const [key, ref] of gstates.entries()) {
          const g = ctx.lookup(ref);
          if (!(g instanceof PDFDict)) continue;
          const what = `graphics state ${key.decodeText()}`;
          for (const k of ['CA', 'ca']) {
            const v = g.lookup(N(k));
            if (v instanceof PDFNumber && v.asNumber() < 1)
              out.transparency.push({ page: number, object: what, detail: `opacity ${k} ${v.asNumber()}` });
          }
          const bm = text(g.lookup(N('BM')));
          if (bm && bm !== 'Normal' && bm !== 'Compatible')
            out.transparency.push({ page: number, object: what, detail: `blend mode ${bm}` });
          const sm = g.lookup(N('SMask'));
          if (sm instanceof PDFDict) out.transparency.push({ page: number, object: what, detail: 'a soft mask' });
        }
      }
      const spaces = res.lookup(N('ColorSpace'));
      if (spaces instanceof PDFDict) {
        for (const [key, ref] of spaces.entries()) {
          const cs = ctx.lookup(ref);
          if (!(cs instanceof PDFArray)) continue;
          const family = text(ctx.lookup(cs.get(0)));
          const names =
            family === 'Separation'
              ? [text(ctx.lookup(cs.get(1)))]
              : family === 'DeviceN'
                ? (() => {
                    const a = ctx.lookup(cs.get(1));
                    return a instanceof PDFArray ? a.asArray().map((x) => text(ctx.lookup(x))) : [];
                  })()
                : [];
          for (const name of names)
            if (!SPOT_IGNORED.has(name)) out.spots.push({ page: number, name, resource: key.decodeText() });
        }
      }
      const xobjects = res.lookup(N('XObject'));
      if (xobjects instanceof PDFDict) {
        for (const [key, ref] of xobjects.entries()) {
          const x = ctx.lookup(ref);
          if (!(x instanceof PDFStream)) continue;
          const sub = text(x.dict.lookup(N('Subtype')));
          if (sub === 'Image') {
            if (x.dict.lookup(N('SMask')) instanceof PDFStream)
              out.transparency.push({
                page: number,
                object: `image ${key.decodeText()}`,
                detail: 'a soft mask (an alpha channel)',
              });
          } else if (sub === 'Form') {
            const g = x.dict.lookup(N('Group'));
            if (g instanceof PDFDict && text(g.lookup(N('S'))) === 'Transparency')
              out.transparency.push({
                page: number,
                object: `form ${key.decodeText()}`,
                detail: 'a transparency group',
              });
            walk(x.dict.lookup(N('Resources')), depth + 1);
          }
        }
      }
      const patterns = res.lookup(N('Pattern'));
      if (patterns instanceof PDFDict) {
        for (const [, ref] of patterns.entries()) {
          const pat = ctx.lookup(ref);
          const d = pat instanceof PDFStream ? pat.dict : pat instanceof PDFDict ? pat : undefined;
          if (d) walk(d.lookup(N('Resources')), depth + 1);
        }
      }
    };
    walk(inherited(node, 'Resources'), 0);
  });

  const intents = doc.catalog.lookup(N('OutputIntents'));
  if (intents instanceof PDFArray) {
    for (const ref of intents.asArray()) {
      const oi = ctx.lookup(ref);
      if (!(oi instanceof PDFDict)) continue;
      const profile = oi.lookup(N('DestOutputProfile'));
      const n = profile instanceof PDFStream ? profile.dict.lookup(N('N')) : undefined;
      out.outputIntents.push({
        subtype: text(oi.lookup(N('S'))),
        identifier: text(oi.lookup(N('OutputConditionIdentifier'))),
        condition: text(oi.lookup(N('OutputCondition'))) || text(oi.lookup(N('Info'))),
        profileComponents: profile instanceof PDFStream ? (n instanceof PDFNumber ? n.asNumber() : 0) : 0,
      });
    }
  }
  const infoRef = ctx.trailerInfo.Info;
  const info = infoRef instanceof PDFRef ? ctx.lookup(infoRef) : infoRef;
  if (info instanceof PDFDict) {
    const v = text(info.lookup(N('GTS_PDFXVersion')));
    if (v) out.pdfx = v;
  }
  return out;
}
