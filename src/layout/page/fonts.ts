/**
 * The page's fonts (in the page): every face loaded at once and checked, and a face cut anew
 * (a correction brought a new character) swapped in place without reloading the page.
 */
import type { FontSwap, FontsLoaded } from './protocol.js';

/** Loads every face the page declares, all at once: text in hidden chain sources has not asked for its file yet. */
export async function loadFonts(): Promise<FontsLoaded> {
  const all = Array.from(document.fonts);
  const ok = await Promise.all(
    all.map((f) =>
      f.status === 'loaded'
        ? Promise.resolve(true)
        : f.load().then(
            () => true,
            () => false,
          ),
    ),
  );
  await document.fonts.ready;
  const loaded: Record<string, number> = {};
  const failed: string[] = [];
  all.forEach((f, i) => {
    const key = `${f.family.replace(/"/g, '')}/${f.weight}`;
    if (ok[i]) loaded[key] = (loaded[key] ?? 0) + 1;
    else failed.push(key);
  });
  return { loaded, failed };
}

/** Replaces the @font-face rules of /styles/fonts.css that changed (the caller loads them after). */
export function swapFonts(s: FontSwap): void {
  const sheet = styleSheet('/styles/fonts.css');
  if (s.all) while (sheet.cssRules.length) sheet.deleteRule(0);
  for (const [i, rule] of s.rules) {
    if (!s.all) sheet.deleteRule(i);
    sheet.insertRule(rule, i);
  }
}

/** One of the page's own style sheets, by its path. */
export function styleSheet(pathname: string): CSSStyleSheet {
  const sheet = Array.from(document.styleSheets).find((x) => x.href?.endsWith(pathname));
  if (!sheet) throw new Error(`the page has no style sheet ${pathname}`);
  return sheet;
}
