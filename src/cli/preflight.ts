/**
 * broadsheet preflight <pdf> [--profile newsprint] [--json]: the press checks on any PDF. The
 * findings go to stdout as a table (or JSON); exit 0 when the PDF passes (warnings allowed),
 * 1 when it fails. A report.json of the same build beside the PDF adds what only the build
 * knows: the page preset's trim and stories that did not fit.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MachineError, msg } from '../messages.js';
import { PRESETS } from '../layout/presets.js';
import { PROFILES, preflightPdf, type PreflightContext } from '../press/preflight.js';
import { findingsTable } from '../press/table.js';
import type { BuildReport } from '../pipeline.js';
import type { FileCommand } from './command.js';

/** What the build's report.json beside the PDF says about it, when it is the report of that PDF. */
export function contextFromReport(pdf: string): PreflightContext {
  const file = path.join(path.dirname(pdf), 'report.json');
  if (!existsSync(file)) return {};
  let r: Partial<BuildReport>;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Partial<BuildReport>;
  } catch {
    return {};
  }
  const mine = [r.output?.pdf, r.press?.pdf].some((p) => p && path.resolve(p) === path.resolve(pdf));
  if (!mine) return {};
  const preset = r.preset ? PRESETS[r.preset] : undefined;
  return {
    ...(preset ? { trim: { w: preset.trimW, h: preset.trimH } } : {}),
    overset: (r.chains ?? [])
      .filter((c) => c.status === 'overset')
      .map((c) => {
        const last = c.frameBoxes[c.frameBoxes.length - 1];
        return {
          chain: c.id,
          chars: c.oversetChars,
          lines: c.oversetLines,
          box: last ? { x: last.x, y: last.y, w: last.w, h: last.h } : { x: 0, y: 0, w: 0, h: 0 },
        };
      }),
  };
}

export const preflight: FileCommand = {
  file: { what: 'a PDF', example: 'out/yuhu-2025/press.pdf' },
  options: {
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  run: ({ file, values, out }) =>
    preflightFile(file, typeof values.profile === 'string' ? values.profile : 'newsprint', values.json === true, out),
};

/** Preflights the PDF `file` for a profile, writes the findings to `out`; resolves to the exit code. */
async function preflightFile(file: string, name: string, json: boolean, out: NodeJS.WritableStream): Promise<number> {
  const profile = PROFILES[name];
  if (!profile) throw msg.press.unknownProfile(name, Object.keys(PROFILES));
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw msg.press.notAPdf(
      file,
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (e as Error).message,
    );
  }
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw msg.press.notAPdf(file, 'it does not start with %PDF-');
  let r;
  try {
    r = await preflightPdf(bytes, profile, contextFromReport(file));
  } catch (e) {
    if (e instanceof MachineError) throw e;
    throw msg.press.notAPdf(file, e instanceof Error ? e.message : String(e));
  }
  if (json) out.write(JSON.stringify({ file, profile: name, ...r }, null, 2) + '\n');
  else {
    const table = findingsTable(r.findings);
    if (table) out.write(table + '\n');
    out.write(msg.press.preflightSummary(file, name, r.errors, r.warnings, r.maxInk) + '\n');
  }
  return r.errors ? 1 : 0;
}
