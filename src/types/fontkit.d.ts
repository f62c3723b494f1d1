declare module 'fontkit' {
  export interface Glyph {
    advanceWidth: number;
    /** the outline in font units, y up */
    path: { commands: { command: string; args: number[] }[] };
  }
  export interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  export interface Font {
    unitsPerEm: number;
    postscriptName: string;
    numGlyphs: number;
    characterSet: number[];
    hasGlyphForCodePoint(cp: number): boolean;
    glyphForCodePoint(cp: number): Glyph;
    layout(text: string, features?: string[]): { advanceWidth: number; glyphs: Glyph[]; positions: GlyphPosition[] };
  }
  export function create(buf: Buffer): Font;
}
