/**
 * A PDF content stream read token by token: numbers, names and operators; strings,
 * dictionaries, arrays and inline images are stepped over, not parsed. For each operator the
 * caller sees its operands and may replace a stretch of the stream; everything else is kept
 * byte for byte (text positioning included).
 */

export interface Token {
  start: number;
  end: number;
  kind: 'number' | 'name' | 'other';
}

export interface Edit {
  start: number;
  end: number;
  value: string;
}

/** Called for each operator with its operands and its own place in the stream. */
export type OnOperator = (
  op: string,
  operands: Token[],
  read: (t: Token) => string,
  at: { start: number; end: number },
) => Edit[] | undefined | void;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelim = (c: number) =>
  c === 0x28 ||
  c === 0x29 ||
  c === 0x3c ||
  c === 0x3e ||
  c === 0x5b ||
  c === 0x5d ||
  c === 0x7b ||
  c === 0x7d ||
  c === 0x2f ||
  c === 0x25;
/** A PDF number: an optional sign, digits with at most one point, at least one digit. */
function isNumber(b: Buffer, start: number, end: number): boolean {
  let i = start;
  if (b[i] === 0x2b || b[i] === 0x2d) i++;
  let digits = 0;
  let points = 0;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2e && ++points === 1) continue;
    else return false;
  }
  return digits > 0;
}

/** The end of a literal string starting at i (nesting and escapes). */
function stringEnd(b: Buffer, i: number): number {
  let depth = 0;
  for (; i < b.length; i++) {
    const d = b[i]!;
    if (d === 0x5c) i++;
    else if (d === 0x28) depth++;
    else if (d === 0x29 && --depth === 0) return i + 1;
  }
  return b.length;
}

/** The end of a dictionary starting at i (nested dictionaries and strings inside). */
function dictEnd(b: Buffer, i: number): number {
  let depth = 0;
  while (i < b.length) {
    if (b[i] === 0x3c && b[i + 1] === 0x3c) {
      depth++;
      i += 2;
    } else if (b[i] === 0x3e && b[i + 1] === 0x3e) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else if (b[i] === 0x28) i = stringEnd(b, i);
    else i++;
  }
  return b.length;
}

/** Scans a content stream; returns it with the callers' edits applied (the same bytes when none). */
export function editContent(src: Uint8Array, onOperator: OnOperator): { bytes: Uint8Array; edits: number } {
  const b = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  const read = (t: Token) => b.toString('latin1', t.start, t.end);
  const edits: Edit[] = [];
  let operands: Token[] = [];
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === 0x25) {
      while (i < n && b[i] !== 0x0a && b[i] !== 0x0d) i++;
    } else if (c === 0x28) {
      const end = stringEnd(b, i);
      operands.push({ start: i, end, kind: 'other' });
      i = end;
    } else if (c === 0x3c) {
      const end = b[i + 1] === 0x3c ? dictEnd(b, i) : Math.min(n, b.indexOf(0x3e, i) + 1 || n);
      operands.push({ start: i, end, kind: 'other' });
      i = end;
    } else if (c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) {
      operands.push({ start: i, end: i + 1, kind: 'other' });
      i++;
    } else if (c === 0x3e || c === 0x29) {
      i++;
    } else {
      const start = i;
      if (c === 0x2f) i++;
      while (i < n && !isSpace(b[i]!) && !isDelim(b[i]!)) i++;
      if (c === 0x2f) {
        operands.push({ start, end: i, kind: 'name' });
        continue;
      }
      if (isNumber(b, start, i)) {
        operands.push({ start, end: i, kind: 'number' });
        continue;
      }
      const tok = b.toString('latin1', start, i);
      if (tok === 'BI') {
        // an inline image: its data runs from ID to EI
        const id = b.indexOf('ID', i);
        const ei = id < 0 ? -1 : b.indexOf('EI', id + 2);
        i = ei < 0 ? n : ei + 2;
        onOperator('BI', [], read, { start, end: i });
        operands = [];
        continue;
      }
      const e = onOperator(tok, operands, read, { start, end: i });
      if (e) edits.push(...e);
      operands = [];
    }
  }
  if (!edits.length) return { bytes: src, edits: 0 };
  edits.sort((x, y) => x.start - y.start);
  const parts: Buffer[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(b.subarray(at, e.start), Buffer.from(e.value, 'latin1'));
    at = e.end;
  }
  parts.push(b.subarray(at));
  return { bytes: Buffer.concat(parts), edits: edits.length };
}
