/**
 * Node's side of the page protocol (layout/page/protocol.ts): each call into the page script,
 * typed end to end. A page whose script has not run answers nothing: that is a fault of ours.
 */
import type { Page } from 'puppeteer';
import type {
  ChainLayout,
  FontSwap,
  FontsLoaded,
  LayoutResult,
  PageUpdate,
  ProofGrid,
} from '../layout/page/protocol.js';
import { msg } from '../messages.js';

/** Resolves once the page script has run. */
export async function pageReady(tab: Page): Promise<void> {
  await tab.waitForFunction(() => globalThis.broadsheet !== undefined);
}

export async function layOut(tab: Page): Promise<LayoutResult> {
  return answered(await tab.evaluate(() => globalThis.broadsheet?.layout()));
}

export async function update(tab: Page, u: PageUpdate): Promise<LayoutResult> {
  return answered(await tab.evaluate((u) => globalThis.broadsheet?.update(u), u));
}

export async function loadFonts(tab: Page): Promise<FontsLoaded> {
  return answered(await tab.evaluate(() => globalThis.broadsheet?.loadFonts()));
}

export async function swapFonts(tab: Page, s: FontSwap): Promise<void> {
  const done = await tab.evaluate((s) => {
    globalThis.broadsheet?.swapFonts(s);
    return globalThis.broadsheet !== undefined;
  }, s);
  answered(done || undefined);
}

export async function drawProof(tab: Page, g: ProofGrid, chains: ChainLayout[]): Promise<void> {
  const done = await tab.evaluate(
    (g, chains) => {
      globalThis.broadsheet?.proof(g, chains);
      return globalThis.broadsheet !== undefined;
    },
    g,
    chains,
  );
  answered(done || undefined);
}

function answered<T>(v: T | undefined): T {
  if (v === undefined) throw msg.pageScriptMissing();
  return v;
}
