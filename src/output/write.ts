/**
 * Output: every file is written to a temporary name beside its target and renamed into place,
 * so an interrupted or failed build never leaves a half-written PDF and the previous good one
 * stays until the new one is complete. A disk that is full or a folder that cannot be written
 * is the machine's fault, not the edition's: it is reported as such (exit 4).
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';
import { msg } from '../messages.js';

const pending = new Set<string>();

/** File-system error codes that mean the disk is full, or that the place cannot be written. */
const FULL = new Set(['ENOSPC', 'EDQUOT']);
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST']);

/**
 * Writes `file` whole or not at all. `signal`: a build that has been cancelled (its timeout
 * fired) writes nothing more; the write throws the reason instead.
 */
export function writeAtomic(file: string, data: Uint8Array | string, signal?: AbortSignal): void {
  signal?.throwIfAborted();
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  pending.add(tmp);
  let made = false;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(tmp, 'w');
    made = true;
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    throw machineFault(e, file) ?? e;
  } finally {
    if (made) rmSync(tmp, { force: true });
    pending.delete(tmp);
  }
}

/** A write error that is the machine's fault, as the message the user sees; undefined for others. */
function machineFault(e: unknown, file: string): Error | undefined {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (FULL.has(code)) return msg.diskFull(file, code);
  if (UNWRITABLE.has(code)) return msg.outputUnwritable(file, code, (e as Error).message.replace(/^\w+: /, ''));
  return undefined;
}

/** Removes temporary files of writes still under way (on SIGINT/SIGTERM). */
export function removePendingWrites(): void {
  for (const f of pending) rmSync(f, { force: true });
  pending.clear();
}
