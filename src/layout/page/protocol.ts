/**
 * The protocol between Node (print/) and the page script (this folder, run in Chromium): what
 * the page exposes on `globalThis.broadsheet`, what Node sends it, and what it returns. Types
 * only, imported by both sides: a change on one side that the other does not follow fails to
 * compile. Everything that crosses is JSON (Puppeteer serialises page.evaluate's arguments and
 * results).
 */

/** What the page script offers (layout/page/main.ts sets it; print/page-api.ts calls it). */
export interface PageApi {
  /** Lays out a freshly loaded page: every chain fitted to the grid, threaded, copy-fitted. */
  layout(): LayoutResult;
  /**
   * A warm rebuild: replaces the frames and chain texts that changed and threads again only the
   * chains they touch (every chain on a page not laid out yet); resolves once no font is loading.
   */
  update(u: PageUpdate): Promise<LayoutResult>;
  /** Loads every face the page declares, all at once, and says which loaded. */
  loadFonts(): Promise<FontsLoaded>;
  /** Replaces @font-face rules of /styles/fonts.css (a face cut anew for a new character). */
  swapFonts(s: FontSwap): void;
  /** Draws the proof overlay (grid, frames, overset chains) over the page. */
  proof(g: ProofGrid, chains: ChainLayout[]): void;
}

declare global {
  /** The page script's entry points: set in the page (main.ts), undefined anywhere else. */
  var broadsheet: PageApi | undefined;
}

/** What changed between two composed pages (print/session.ts), sent for a warm rebuild. */
export interface PageUpdate {
  /** frame id → the frame's new HTML */
  frames: [string, string][];
  /** chain id → the chain's new source HTML */
  sources: [string, string][];
  /** the new /styles/frames.css, when the geometry changed */
  framesCss?: string;
}

export interface FontSwap {
  /** every rule replaced (the number of faces changed), else only those listed */
  all: boolean;
  /** rule index → the new @font-face rule */
  rules: [number, string][];
}

export interface FontsLoaded {
  /** "family/weight" → how many faces of that name loaded */
  loaded: Record<string, number>;
  /** "family/weight" of the faces that failed */
  failed: string[];
}

export interface CopyFit {
  frame: string;
  fromLines: number;
  toLines: number;
}

/** A chain as the page laid it out. */
export interface ChainLayout {
  id: string;
  status: 'fits' | 'overset' | 'underset';
  oversetChars: number;
  oversetLines: number;
  emptyLines: number;
  /** ids of the frames the chain runs through, in order */
  frames: string[];
  /** the text each frame holds after threading, for the change report */
  texts: string[];
  /** what copy-fit changed to make the chain fit */
  copyFit?: CopyFit;
  /** paragraphs whose last line is one character (or one and a mark) after fitting */
  orphans?: number;
}

export interface PhotoBox {
  id: string;
  widthMm: number;
  heightMm: number;
}

/** A frame's box as laid out (after copy-fit), mm, trim coordinates. */
export interface FrameBox {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** What the page check (check.ts) found: content past its frame, or text over text. */
export interface PageFinding {
  kind: 'past' | 'over';
  frame: string;
  /** the other frame, for text over text */
  other?: string;
  /** the text (its start) or "(photo)" */
  text: string;
  side: string;
  /** how far past the edge, or how much overlap, mm */
  mm: number;
}

export interface LayoutResult {
  chains: ChainLayout[];
  photos: PhotoBox[];
  /** every frame's final box */
  frames: FrameBox[];
  /** the page check's findings */
  findings: PageFinding[];
  /** time the page took, in ms */
  ms: number;
}

/** The grid drawn by the proof overlay, in mm (trim coordinates). */
export interface ProofGrid {
  columns: number;
  colW: number;
  gutter: number;
  left: number;
  top: number;
  lines: number;
  pitch: number;
}
