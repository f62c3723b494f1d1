/**
 * The press stage of a build (the pipeline's thin shell around makePress): what the build
 * knows goes into the preflight, press.pdf is written (atomically) or refused, and the report
 * gets its `press` and `preflight` sections.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Edition } from '../load/edition.js';
import type { PageLayout } from '../layout/frames.js';
import type { ChainLayout } from '../layout/page/protocol.js';
import { writeAtomic } from '../output/write.js';
import { msg, type InputError } from '../messages.js';
import type { Logger } from '../log.js';
import { makePress, type PressReport, type PressResult } from './press.js';
import type { PressSettings } from './options.js';
import type { Finding } from './preflight.js';
import { findingsTable } from './table.js';

/** The press stage's sections of report.json. */
export interface PressSections {
  /** press.pdf: profile, intents, ink, boxes, times */
  press: PressReport & { pdf?: string; status: 'written' | 'refused' };
  /** the preflight of press.pdf: every finding with its page, object and place */
  preflight: { profile: string; errors: number; warnings: number; findings: Finding[] };
}

/** What the build knows that the press stage uses. */
export interface PressBuild {
  ed: Edition;
  layout: PageLayout;
  chains: ChainLayout[];
  log: Logger;
  /** the build's: once aborted (its deadline passed), the tools are stopped and nothing is written */
  signal?: AbortSignal;
}

/** Runs the press conversion and preflight for a finished page. */
export function runPress(pdf: Uint8Array, s: PressSettings, b: PressBuild): Promise<PressResult> {
  const meta = b.ed.meta.data;
  const preset = b.layout.grid.preset;
  const frameOf = new Map(b.layout.frames.map((f) => [f.id, f]));
  return makePress(pdf, s, {
    page: { trimW: preset.trimW, trimH: preset.trimH, bleed: preset.bleed },
    slug: {
      publication: meta.publication,
      date: meta.date,
      page: meta.page,
      section: meta.section,
      edition: b.ed.name,
    },
    date: new Date(`${meta.date}T00:00:00Z`),
    context: {
      frames: b.layout.frames.map((f) => ({ id: f.id, kind: f.kind, box: f.box })),
      overset: b.chains
        .filter((c) => c.status === 'overset')
        .map((c) => ({
          chain: c.id,
          chars: c.oversetChars,
          lines: c.oversetLines,
          box: frameOf.get(c.frames[c.frames.length - 1] ?? '')?.box ?? { x: 0, y: 0, w: 0, h: 0 },
        })),
    },
    onProgress: (t) => b.log.info(t),
    ...(b.signal ? { signal: b.signal } : {}),
  });
}

/**
 * Writes press.pdf when the preflight passed, or removes an earlier one that no longer matches
 * the page; prints the findings. Returns the report sections and, when refused, the error the
 * build ends with (after report.json is written).
 */
export function writePress(
  outDir: string,
  r: PressResult,
  log: Logger,
  reportPath: string,
  signal?: AbortSignal,
): { sections: PressSections; refused?: InputError } {
  const file = path.join(outDir, 'press.pdf');
  const table = findingsTable(r.preflight.findings);
  if (table) log.info(`${msg.press.preflightOfPress(r.report.profile.name)}\n${table}`);
  const sections: PressSections = {
    press: { ...r.report, status: r.pdf ? 'written' : 'refused', ...(r.pdf ? { pdf: file } : {}) },
    preflight: {
      profile: r.report.profile.name,
      errors: r.preflight.errors,
      warnings: r.preflight.warnings,
      findings: r.preflight.findings,
    },
  };
  if (r.pdf) {
    writeAtomic(file, r.pdf, signal);
    return { sections };
  }
  signal?.throwIfAborted();
  if (existsSync(file)) {
    rmSync(file, { force: true });
    log.info(msg.press.staleRemoved(path.basename(file)));
  }
  return { sections, refused: msg.press.refused(reportPath, r.preflight.errors) };
}
