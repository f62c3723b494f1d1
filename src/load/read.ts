/**
 * Reading the user's files. Every path is resolved (symbolic links followed) and must stay
 * inside the edition folder; only regular files are read: a folder, FIFO, device or socket is
 * refused by name before it is opened (a FIFO's open() would block the build). Text is UTF-8
 * only (BOM and CRLF accepted); every file is size limited.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { msg, type Place } from '../messages.js';

export const MAX_TEXT_BYTES = 5_000_000;

/** What a file that is not a regular file is, in words ("a folder", "a FIFO (named pipe)", …). */
export function fileKind(s: Stats): string | undefined {
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The real path of `ref` (relative to the edition folder `dir`, whose real path is `root`), if it
 * stays inside the edition. Missing: undefined (the caller words the message).
 */
export function confine(dir: string, root: string, ref: string, place: Place): string | undefined {
  if (path.isAbsolute(ref) || /^[a-z]+:/i.test(ref) || ref.includes('\0')) throw msg.pathEscapes(place, ref);
  const abs = path.resolve(dir, ref);
  if (!abs.startsWith(dir + path.sep)) throw msg.pathEscapes(place, ref);
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // missing: its nearest existing folder must be inside the edition too (a file made there
      // by "broadsheet placeholders" stays inside it)
      nearestInside(abs, root, place, ref);
      return undefined;
    }
    if (code === 'ELOOP') throw msg.hostile.linkLoop(place, ref);
    throw msg.hostile.unreadable(place.file === ref ? { file: ref } : place, code ?? 'error');
  }
  if (real !== root && !real.startsWith(root + path.sep)) throw msg.pathEscapes(place, ref);
  return real;
}

function nearestInside(abs: string, root: string, place: Place, ref: string): void {
  let up = path.dirname(abs);
  for (;;) {
    try {
      up = realpathSync(up);
      break;
    } catch {
      up = path.dirname(up);
    }
  }
  if (up !== root && !up.startsWith(root + path.sep)) throw msg.pathEscapes(place, ref);
}

/**
 * The bytes of a regular file at `abs` (a real path, confined by the caller). `rel` names it in
 * messages. Missing: msg.fileMissing(rel, what).
 */
export function readBytes(abs: string, rel: string, what: string, max: number): Buffer {
  let s: Stats;
  try {
    s = statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw msg.fileMissing(rel, what);
    throw msg.hostile.unreadable({ file: rel }, code ?? 'error');
  }
  const kind = fileKind(s);
  if (kind) throw msg.hostile.notAFile(rel, what, kind);
  if (s.size > max) throw msg.tooLarge(rel, s.size, max);
  let fd: number;
  try {
    // O_NONBLOCK: should the file have been swapped for a FIFO since the check, open() still returns
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    throw msg.hostile.unreadable({ file: rel }, (e as NodeJS.ErrnoException).code ?? 'error');
  }
  try {
    const f = fstatSync(fd);
    const k = fileKind(f);
    if (k) throw msg.hostile.notAFile(rel, what, k);
    if (f.size > max) throw msg.tooLarge(rel, f.size, max);
    try {
      return readFileSync(fd);
    } catch (e) {
      throw msg.hostile.unreadable({ file: rel }, (e as NodeJS.ErrnoException).code ?? 'error');
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads a text file as UTF-8; strips a BOM, turns CRLF into LF. `rel` names it in messages. */
export function readText(abs: string, rel: string, what: string): string {
  const buf = readBytes(abs, rel, what, MAX_TEXT_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw msg.notUtf8(rel, firstBadUtf8(buf));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, '\n');
}

function firstBadUtf8(buf: Buffer): number {
  // the longest prefix that decodes (as a stream, so a cut multi-byte character is fine)
  const decodes = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (decodes(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
