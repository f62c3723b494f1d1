/**
 * The page script: served to the page as /scripts/layout.js (the bundle of this folder, made by
 * scripts/bundle.mjs) and called by Node (print/page-api.ts) through the typed protocol in
 * protocol.ts. It lays out the chains (chains.ts), loads and swaps the fonts (fonts.ts) and
 * draws the proof overlay (proof.ts).
 */
import { layout, update } from './chains.js';
import { loadFonts, swapFonts } from './fonts.js';
import { drawProof } from './proof.js';

globalThis.broadsheet = {
  layout,
  async update(u) {
    const out = update(u);
    await document.fonts.ready; // nothing should be loading: fonts are planned, and swapped before
    return out;
  },
  loadFonts,
  swapFonts,
  proof: drawProof,
};
