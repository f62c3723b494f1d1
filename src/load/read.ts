/** Reading the user's text files: UTF-8 only, BOM and CRLF accepted, size limited. */
import { readFileSync, statSync } from 'node:fs';
import { msg } from '../messages.js';

export const MAX_TEXT_BYTES = 5_000_000;

/** Reads a text file as UTF-8; strips a BOM, turns CRLF into LF. `rel` names it in messages. */
export function readText(abs: string, rel: string, what: string): string {
  let size: number;
  try {
    size = statSync(abs).size;
  } catch {
    throw msg.fileMissing(rel, what);
  }
  if (size > MAX_TEXT_BYTES) throw msg.tooLarge(rel, size, MAX_TEXT_BYTES);
  const buf = readFileSync(abs);
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
