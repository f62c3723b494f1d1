/**
 * Press output: the finished RGB page (broadsheet.pdf's bytes) → press.pdf, CMYK PDF/X-3 on a
 * sheet with marks and slug, preflighted. One call for the pipeline, after the PDF is finished:
 *
 *   RGB PDF ─▶ transparency? ─▶ colours and ─▶ Ghostscript ─▶ written into ─▶ sheet, marks, ─▶ preflight
 *              (refused, with   photos found   converts them   the page's own  slug, PDF/X-3    (errors: no
 *              the places)      (colours.ts)   (cmyk.ts)       streams         (marks.ts)       press.pdf)
 *
 * makePress writes nothing: it returns the press PDF (or none, when the preflight found errors)
 * with the findings and what it measured; the pipeline writes and reports.
 */
import { createHash } from 'node:crypto';
import { PDFDocument, ParseSpeeds } from 'pdf-lib';
import { convertThroughGhostscript, replaceImages } from './cmyk.js';
import { colourKey, convertDocument, documentColours, neutralOf, type Rgb } from './colours.js';
import { finishPress, MARKS, type PressPage, type Slug } from './marks.js';
import {
  PROFILES,
  preflightPdf,
  type PreflightContext,
  type PreflightProfile,
  type PreflightResult,
} from './preflight.js';
import { deviceLink } from './profiles.js';
import { readStructure } from './structure.js';
import type { PressSettings } from './options.js';

export interface PressInput {
  page: PressPage;
  /** publication, date, page, section, edition for the slug (the build id is made here) */
  slug: Omit<Slug, 'buildId' | 'condition'>;
  date: Date;
  /** what the build knows: trim, frames, overset chains */
  context?: PreflightContext;
  /** progress (e.g. a colour link being made once) */
  onProgress?: (text: string) => void;
  /** once aborted (the build's deadline passed), the tools are stopped and the conversion ends */
  signal?: AbortSignal;
}

export interface PressReport {
  profile: { name: string; description: string; file: string; condition: string };
  photoIntent: string;
  graphicIntent: string;
  inkLimit: number;
  /** highest total ink inside the bleed box, % */
  maxInk?: number;
  /** near-grey colours made exactly grey so they print on K alone */
  neutralised: number;
  /** colours and photos Ghostscript converted in this build (the rest came from the cache) */
  ghostscript: { colours: number; images: number };
  buildId: string;
  /** the sheet and the page boxes, mm */
  boxes: {
    media: { w: number; h: number };
    bleed: { x: number; y: number; w: number; h: number };
    trim: { x: number; y: number; w: number; h: number };
  };
  ms: { convert: number; preflight: number };
}

export interface PressResult {
  /** press.pdf's bytes; undefined when the preflight (or the transparency check) found errors */
  pdf?: Uint8Array;
  preflight: PreflightResult;
  report: PressReport;
}

/** The preflight profile of these settings. */
export function profileOf(s: PressSettings): PreflightProfile {
  return { ...PROFILES.newsprint!, name: s.profile.name, inkLimit: s.inkLimit, minTextPt: s.minTextPt };
}

export async function makePress(rgb: Uint8Array, s: PressSettings, input: PressInput): Promise<PressResult> {
  const t0 = performance.now();
  const buildId = createHash('sha256').update(rgb).digest('hex').slice(0, 12);
  const profile = profileOf(s);
  const m = MARKS.marginMm;
  const p = input.page;
  const report: PressReport = {
    profile: {
      name: s.profile.name,
      description: s.profile.description,
      file: s.profile.file,
      condition: s.profile.condition.identifier,
    },
    photoIntent: s.photoIntent,
    graphicIntent: s.graphicIntent,
    inkLimit: s.inkLimit,
    neutralised: 0,
    buildId,
    boxes: {
      media: { w: p.trimW + 2 * m, h: p.trimH + 2 * m },
      bleed: { x: m - p.bleed, y: m - p.bleed, w: p.trimW + 2 * p.bleed, h: p.trimH + 2 * p.bleed },
      trim: { x: m, y: m, w: p.trimW, h: p.trimH },
    },
    ghostscript: { colours: 0, images: 0 },
    ms: { convert: 0, preflight: 0 },
  };

  // 1. transparency is refused before conversion (a PDF/X-3 RIP would flatten the page)
  const declared = await readStructure(rgb);
  if (declared.transparency.length) {
    const t1 = performance.now();
    const found = await preflightPdf(rgb, profile, input.context ?? {}, input.signal);
    const findings = found.findings.filter((f) => f.rule === 'transparency');
    report.ms.preflight = Math.round(performance.now() - t1);
    return { preflight: { ...found, findings, errors: findings.length, warnings: 0 }, report };
  }

  // 2. the page's colours (near-greys made grey) and photos, converted by Ghostscript
  const doc = await PDFDocument.load(rgb, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const colours = documentColours(doc);
  const target = (c: Rgb): Rgb => {
    const g = neutralOf(...c);
    return g === undefined ? c : [g, g, g];
  };
  report.neutralised = colours.filter((c) => neutralOf(...c) !== undefined).length;
  const link = await deviceLink(s.profile, s.graphicIntent, s.inkLimit, input.onProgress, input.signal);
  const converted = await convertThroughGhostscript(doc, colours.map(target), {
    profile: s.profile,
    link,
    photoIntent: s.photoIntent,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  report.ghostscript = converted.ran;

  // 3. written into the page: colour operators and image streams; nothing else changes
  convertDocument(doc, (c) => converted.colours.get(colourKey(target(c))));
  replaceImages(doc, converted.images);

  // 4. on the sheet with marks and slug, as PDF/X-3
  const pdf = await finishPress(doc, {
    page: p,
    slug: { ...input.slug, buildId, condition: `${s.profile.condition.identifier} ${s.inkLimit}%` },
    profile: s.profile,
    date: input.date,
    id: createHash('md5')
      .update(rgb)
      .update(s.profile.key)
      .update(s.photoIntent + s.graphicIntent)
      .digest('hex'),
  });
  const t1 = performance.now();
  report.ms.convert = Math.round(t1 - t0);

  // 5. preflight of what goes to the plant
  const preflight = await preflightPdf(
    pdf,
    profile,
    { trim: { w: p.trimW, h: p.trimH }, ...input.context },
    input.signal,
  );
  report.ms.preflight = Math.round(performance.now() - t1);
  if (preflight.maxInk !== undefined) report.maxInk = preflight.maxInk;
  return { ...(preflight.errors ? {} : { pdf }), preflight, report };
}
