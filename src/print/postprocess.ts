/**
 * Print (after Chromium): exact page boxes and pinned metadata with pdf-lib. Chromium rounds
 * the page size to 1/300 inch and sets all boxes equal; we anchor the boxes at the page's top
 * left (where the content is) and set MediaBox = BleedBox = trim + bleed, TrimBox = trim.
 * Dates come from the edition, so the same input gives the same bytes.
 */
import { ParseSpeeds, PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  language: string;
  date: Date;
}

const PT_PER_MM = 72 / 25.4;

export async function finishPdf(
  bytes: Uint8Array,
  m: PdfMeta,
  trim: { w: number; h: number },
  bleed: number,
): Promise<{ bytes: Uint8Array; pages: number; fonts: string[] }> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const W = (trim.w + 2 * bleed) * PT_PER_MM;
  const H = (trim.h + 2 * bleed) * PT_PER_MM;
  const b = bleed * PT_PER_MM;
  for (const page of doc.getPages()) {
    const mb = page.getMediaBox();
    const top = mb.y + mb.height;
    const x0 = mb.x;
    const y0 = top - H;
    page.setMediaBox(x0, y0, W, H);
    page.setCropBox(x0, y0, W, H);
    page.setBleedBox(x0, y0, W, H);
    page.setTrimBox(x0 + b, y0 + b, W - 2 * b, H - 2 * b);
  }
  doc.setTitle(m.title, { showInWindowTitleBar: true });
  doc.setAuthor(m.author);
  doc.setSubject(m.subject);
  doc.setKeywords(m.keywords);
  doc.setCreator('Broadsheet');
  doc.setProducer('Broadsheet (Chromium, pdf-lib)');
  doc.setLanguage(m.language);
  doc.setCreationDate(m.date);
  doc.setModificationDate(m.date);
  doc.catalog.set(PDFName.of('Lang'), PDFString.of(m.language));
  const out = await doc.save({
    useObjectStreams: false,
    addDefaultPage: false,
    updateFieldAppearances: false,
    objectsPerTick: Infinity,
  });
  return { bytes: out, pages: doc.getPageCount(), fonts: pdfFonts(doc) };
}

/** The fonts the PDF holds, by name (a subset's ABCDEF+ prefix removed), for the page check. */
function pdfFonts(doc: PDFDocument): string[] {
  const names = new Set<string>();
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    if (obj.get(PDFName.of('Subtype')) === PDFName.of('Type3')) names.add('Type 3');
    const base = obj.get(PDFName.of('BaseFont'));
    if (base instanceof PDFName) names.add(base.decodeText().replace(/^[A-Z]{6}\+/, ''));
  }
  return [...names].sort();
}
