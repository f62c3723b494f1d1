/**
 * The handout page's protocol (types only, pure): what the handout's page script
 * (handout.ts) offers on `globalThis.broadsheetHandout`, and what it returns. Node's side is
 * src/handout/print.ts.
 */
export interface HandoutApi {
  /** Fits every paragraph of the handout's sections to its measure (linebreak.ts, fit.ts). */
  fit(): HandoutFitResult;
}

export interface HandoutFitResult {
  /** paragraphs fitted */
  paragraphs: number;
  /** lines the fitter chose */
  lines: number;
  /** paragraphs whose last line is still an orphan (one character, or one and a mark) */
  orphans: number;
  /** figures moved below a paragraph, so as not to leave a gap at a page's foot */
  moved: number;
  ms: number;
}

declare global {
  /** The handout page script's entry point: set in the handout page, undefined anywhere else. */
  var broadsheetHandout: HandoutApi | undefined;
}
