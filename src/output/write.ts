/**
 * Output: every file is written to a temporary name beside its target and renamed into place,
 * so an interrupted or failed build never leaves a half-written PDF and the previous good one
 * stays until the new one is complete.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';

const pending = new Set<string>();

export function writeAtomic(file: string, data: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  pending.add(tmp);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
    pending.delete(tmp);
  }
}

/** Removes temporary files of writes still under way (on SIGINT/SIGTERM). */
export function removePendingWrites(): void {
  for (const f of pending) rmSync(f, { force: true });
  pending.clear();
}
