/**
 * The page's fonts, from Node: every planned face loaded and checked before anything is measured
 * (Chromium's document.fonts.check() says yes even when no face matched), and a face cut anew
 * for a new character swapped into the loaded page without reloading it.
 */
import type { Page } from 'puppeteer';
import type { ComposedPage } from '../compose/compose.js';
import { FACES } from '../fonts/faces.js';
import { msg } from '../messages.js';
import { loadFonts, swapFonts } from './page-api.js';

/** Loads every planned face explicitly and checks that each one really loaded. */
export async function loadAndCheckFonts(tab: Page, page: ComposedPage, pageErrors: string[]): Promise<void> {
  const state = await loadFonts(tab);
  const notLoaded = [...page.fonts.used.keys()]
    .map((n) => FACES[n])
    .filter((f) => state.loaded[`${f.family}/${f.weight}`] !== 1)
    .map((f) => `${f.family} ${f.weight}`);
  if (state.failed.length || notLoaded.length) throw msg.fontsNotLoaded([...state.failed, ...notLoaded], pageErrors);
}

/**
 * Replaces the page's @font-face rules that changed (a face cut to a new character set, with
 * the same metrics) and loads the new faces; the other faces stay loaded.
 */
export async function swapChangedFonts(
  tab: Page,
  prev: ComposedPage,
  page: ComposedPage,
  pageErrors: string[],
): Promise<void> {
  const rulesOf = (css: string) => css.split('\n').filter(Boolean);
  const was = rulesOf(prev.fonts.css);
  const now = rulesOf(page.fonts.css);
  const all = was.length !== now.length;
  const rules = now.map((rule, i) => [i, rule] as [number, string]).filter(([i, rule]) => all || was[i] !== rule);
  await swapFonts(tab, { all, rules });
  await loadAndCheckFonts(tab, page, pageErrors);
}
