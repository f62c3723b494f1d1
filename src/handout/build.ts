/**
 * handout.pdf in a build (pipeline.ts): made in a tab of the build's own browser after the
 * page is printed, before anything is written (a build that fails or times out in it writes
 * nothing); report.json gets a `handout` section.
 */
import type { Bound } from '../bind/figures.js';
import type { Edition } from '../load/edition.js';
import type { Build } from '../schedule.js';
import { HandoutTab } from './print.js';
import { makeHandout, type HandoutResult, type HandoutSettings } from './stage.js';
import type { Placed } from './place.js';
import type { HandoutFitResult } from '../layout/page/handout-protocol.js';

export interface HandoutSection {
  pdf: string;
  paper: string;
  pages: number;
  bytes: number;
  charsPerLine: number;
  bodyPt: number;
  heads: string[];
  placed: Placed[];
  fitted: HandoutFitResult;
  ms: Record<string, number>;
}

export function handoutAhead(
  build: Build,
  ed: Edition,
  bound: Bound,
  settings: HandoutSettings,
): Promise<HandoutResult> {
  return build.ahead(
    (async () => {
      const launched = await build.browserNow();
      const tab = new HandoutTab(launched.browser);
      try {
        return await makeHandout(ed, bound, settings, tab, build.signal);
      } finally {
        await tab.close();
      }
    })(),
  );
}
