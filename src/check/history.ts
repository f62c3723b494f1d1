/**
 * The change report's memory: what the last build into an output folder printed, kept in
 * <out>/.broadsheet/ as the page snapshot (PNG, as Chromium made it: decoded only when a later
 * build compares with it) and a summary (changes.ts's Snapshot). Each build compares itself with
 * it, boxes the page regions that differ in changes.png, and leaves its own state for the next.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../output/write.js';
import { compareSnapshots, decodePng, diffPages, type ChangeReport, type Raster, type Snapshot } from './changes.js';

export const STATE_DIR = '.broadsheet';

/** Page snapshots are taken at 48 px per inch. */
const MM_PER_PX = 25.4 / 48;

/**
 * Compares this build (its summary and page snapshot) with the previous build into `outDir`,
 * writes changes.png when regions differ, and keeps this build as the state the next compares
 * with. Undefined for the first build into a folder. Writes nothing once `signal` is aborted.
 */
export function recordChanges(
  outDir: string,
  snap: Snapshot,
  png: Uint8Array,
  signal?: AbortSignal,
): ChangeReport | undefined {
  const previous = readState(outDir);
  let changes: ChangeReport | undefined;
  if (previous) {
    const diff = diffPages(decodeSnapshot(previous.png), decodeSnapshot(png), MM_PER_PX);
    changes = { ...compareSnapshots(previous.snapshot, snap), regions: diff.regions };
    if (diff.regions.length) {
      const image = path.join(outDir, 'changes.png');
      writeAtomic(image, diff.boxed(), signal);
      changes.image = image;
    }
  }
  writeAtomic(path.join(outDir, STATE_DIR, 'page.png'), png, signal);
  writeAtomic(path.join(outDir, STATE_DIR, 'state.json'), JSON.stringify(snap), signal);
  rmSync(path.join(outDir, STATE_DIR, 'page.rgba'), { force: true }); // an earlier version's state
  return changes;
}

function readState(outDir: string): { snapshot: Snapshot; png: Buffer } | undefined {
  try {
    return {
      snapshot: JSON.parse(readFileSync(path.join(outDir, STATE_DIR, 'state.json'), 'utf8')) as Snapshot,
      png: readFileSync(path.join(outDir, STATE_DIR, 'page.png')),
    };
  } catch {
    return undefined; // no previous build here (or its state is damaged): nothing to compare with
  }
}

/** The last snapshot decoded, by its bytes: a watch session decodes each page once. */
let lastDecoded: { png: Buffer; raster: Raster } | undefined;
function decodeSnapshot(png: Uint8Array): Raster {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (lastDecoded?.png.equals(b)) return lastDecoded.raster;
  const raster = decodePng(b);
  lastDecoded = { png: Buffer.from(b), raster };
  return raster;
}
