declare module 'fontkit' {
  export interface Glyph {
    advanceWidth: number;
  }
  export interface Font {
    unitsPerEm: number;
    postscriptName: string;
    numGlyphs: number;
    characterSet: number[];
    hasGlyphForCodePoint(cp: number): boolean;
    glyphForCodePoint(cp: number): Glyph;
    layout(text: string, features?: string[]): { advanceWidth: number };
  }
  export function create(buf: Buffer): Font;
}
