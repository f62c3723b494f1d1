/**
 * The handout stage: the bound edition → handout.pdf's bytes. Charts drawn again for the
 * handout's measure, the document composed, printed in a tab of the build's browser, then
 * finished as broadsheet.pdf is (print/postprocess.ts: exact paper box, metadata, language,
 * dates from the edition, so the same input gives the same bytes).
 */
import type { Bound } from '../bind/figures.js';
import type { Edition } from '../load/edition.js';
import { msg } from '../messages.js';
import { finishPdf } from '../print/postprocess.js';
import { renderHandoutCharts } from './charts.js';
import { composeHandout, type HandoutPage } from './compose.js';
import { handoutGeometry, HANDOUT_PRESETS, type HandoutGeometry, type HandoutPresetName } from './presets.js';
import type { HandoutTab } from './print.js';
import type { HandoutFitResult } from '../layout/page/handout-protocol.js';

export interface HandoutSettings {
  paper: HandoutPresetName;
}

/** The handout asked for by --handout (and --paper) or edition.yaml's `handout:`; undefined if none. */
export function handoutSettings(ed: Edition, flag: boolean, paper?: string): HandoutSettings | undefined {
  const h = (ed.meta.data as { handout?: boolean | { paper?: string } }).handout; // edition.yaml's `handout:`
  if (!flag && !h && paper === undefined) return undefined;
  const chosen = paper ?? (typeof h === 'object' ? h.paper : undefined) ?? 'a4';
  if (!(chosen in HANDOUT_PRESETS)) {
    if (paper !== undefined) throw msg.handout.paperUnknown(paper, Object.keys(HANDOUT_PRESETS));
    throw msg.unknownPreset(ed.meta.locate(['handout', 'paper']), chosen, Object.keys(HANDOUT_PRESETS));
  }
  return { paper: chosen as HandoutPresetName };
}

export interface HandoutResult {
  bytes: Uint8Array;
  pages: number;
  page: HandoutPage;
  geo: HandoutGeometry;
  refused: string[];
  /** the line fitting in the page: paragraphs, lines, orphans left */
  fitted: HandoutFitResult;
  ms: { charts: number; compose: number; print: number; finish: number };
}

export async function makeHandout(
  ed: Edition,
  bound: Bound,
  settings: HandoutSettings,
  tab: HandoutTab,
  signal?: AbortSignal,
): Promise<HandoutResult> {
  const t0 = performance.now();
  const geo = handoutGeometry(HANDOUT_PRESETS[settings.paper]);
  const charts = await renderHandoutCharts(ed, bound, geo);
  const t1 = performance.now();
  const page = composeHandout(ed, bound, geo, charts);
  const t2 = performance.now();
  signal?.throwIfAborted();
  const printed = await tab.print(page, geo);
  const t3 = performance.now();
  const meta = ed.meta.data;
  const finished = await finishPdf(
    printed.pdf,
    {
      title: meta.title,
      author: meta.publication,
      subject: meta.subject ?? meta.section,
      keywords: [meta.publication, meta.section, meta.date],
      language: meta.language ?? 'zh-CN',
      date: new Date(`${meta.date}T00:00:00Z`),
    },
    { w: geo.preset.w, h: geo.preset.h },
    0,
  );
  const t4 = performance.now();
  return {
    bytes: finished.bytes,
    pages: finished.pages,
    page,
    geo,
    refused: printed.refused,
    fitted: printed.fitted,
    ms: { charts: t1 - t0, compose: t2 - t1, print: t3 - t2, finish: t4 - t3 },
  };
}
