/** What the in-page layout reports back (types only: shared by in-page.ts and print/render.ts). */

export interface CopyFit {
  frame: string;
  fromLines: number;
  toLines: number;
}

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

export interface LayoutResult {
  chains: ChainLayout[];
  photos: PhotoBox[];
  ms: number;
}

export interface ProofGrid {
  columns: number;
  colW: number;
  gutter: number;
  left: number;
  top: number;
  lines: number;
  pitch: number;
}
