declare module 'fontkit' {
  export interface Glyph { advanceWidth: number }
  export interface Font {
    unitsPerEm: number;
    hasGlyphForCodePoint(cp: number): boolean;
    glyphForCodePoint(cp: number): Glyph;
    layout(text: string, features?: string[]): { advanceWidth: number };
  }
  export function create(buf: Buffer): Font;
}
