/**
 * Output: every file is written to a temporary name beside its target and renamed into place,
 * so an interrupted or failed build never leaves a half-written PDF and the previous good one
 * stays until the new one is complete. A disk that is full or a folder that cannot be written
 * is the machine's fault, not the edition's: it is reported as such (exit 4).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { msg } from '../messages.js';

/** The files a build has written to their temporary names, renamed into place together by commit(). */
interface Staged {
  tmp: string;
  file: string;
}
const staging = new AsyncLocalStorage<Staged[]>();

/**
 * Runs `write` with every writeAtomic in it staged: each file is written whole to its temporary
 * name, and only when all are written are they renamed into place, one after another. A write
 * that fails (a full disk, a state folder that is a file) leaves the previous output as it was.
 */
export function writeTogether(write: () => void, signal?: AbortSignal): void {
  const staged: Staged[] = [];
  try {
    staging.run(staged, write);
    signal?.throwIfAborted();
    for (const s of staged) {
      try {
        renameSync(s.tmp, s.file);
      } catch (e) {
        throw machineFault(e, s.file) ?? e;
      }
    }
  } finally {
    for (const s of staged) {
      rmSync(s.tmp, { force: true });
      pending.delete(s.tmp);
    }
  }
}

/**
 * An out folder's lock: one build writes into it at a time. Held while a build writes its output
 * (writeTogether), so two builds into one folder give the whole output of one and then the whole
 * output of the other, never a mix. A lock whose process has gone (killed) is taken over.
 * Returns the release, or the process id of the build that holds it.
 */
export function lockOut(outDir: string): { release: () => void } | { heldBy: number } {
  const lock = path.join(outDir, '.broadsheet.lock');
  if (locked.has(lock)) return { heldBy: process.pid }; // another build of this process
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw machineFault(e, outDir) ?? e;
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      locked.add(lock);
      return {
        release: () => {
          locked.delete(lock);
          rmSync(lock, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw machineFault(e, lock) ?? e;
    }
    const holder = lockHolder(lock);
    if (holder !== undefined && holder !== process.pid && alive(holder)) return { heldBy: holder };
    // a lock of a process that has gone, or this process's own left by a build that was ended
    rmSync(lock, { force: true, recursive: !lstatSync(lock, { throwIfNoEntry: false })?.isFile() }); // stale
  }
  return { heldBy: lockHolder(lock) ?? 0 };
}

/** the locks this process holds */
const locked = new Set<string>();

function lockHolder(lock: string): number | undefined {
  try {
    const n = Number(readFileSync(lock, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
    // a new file, never one already there (a link planted at the temporary name is removed, not followed)
    rmSync(tmp, { force: true });
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    made = true;
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const staged = staging.getStore();
    if (staged) {
      staged.push({ tmp, file }); // renamed by writeTogether, with the others
      made = false;
      return;
    }
    renameSync(tmp, file);
  } catch (e) {
    throw machineFault(e, file) ?? e;
  } finally {
    if (made) rmSync(tmp, { force: true });
    if (made || !staging.getStore()) pending.delete(tmp);
  }
}

/** A write error that is the machine's fault, as the message the user sees; undefined for others. */
export function machineFault(e: unknown, file: string): Error | undefined {
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
