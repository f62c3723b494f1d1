/**
 * YAML and JSON files, parsed so that a schema error can name the line and column of the
 * offending value in the user's file.
 *
 * Two parsers, for speed: js-yaml reads a well-formed file in a fraction of the time the \`yaml\`
 * package takes on a cold start, which is on a cold build's critical path (measured in the
 * README's speed section); \`yaml\` finds positions, and only when one is asked for (an error
 * or a warning naming a place), and reads every file js-yaml refuses or that uses anchors and
 * aliases, so its messages and its limit on alias expansion are the ones users see. Both read
 * YAML 1.2's core schema.
 */
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { isNode, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inputErrors, msg, type InputError, type Place } from '../messages.js';
import { ROOT } from '../paths.js';

export interface Located<T> {
  data: T;
  file: string;
  /** line/column of the value at a path in the file (the nearest existing ancestor) */
  locate(pathSegs: (string | number)[]): Place;
}

function locator(doc: Document, lc: LineCounter, file: string) {
  return (segs: (string | number)[]): Place => {
    for (let n = segs.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(segs.slice(0, n), true);
      if (isNode(node) && node.range) {
        const { line, col } = lc.linePos(node.range[0]);
        return { file, line, column: col, path: pointer(segs) };
      }
    }
    return { file, path: pointer(segs) };
  };
}

export function pointer(segs: (string | number)[]): string {
  return segs.length ? '/' + segs.join('/') : '';
}

/**
 * Parsed files by name and text: a rebuild after a one-figure correction parses only the file
 * that changed. Cached values are frozen, so no stage can change what the next build reads.
 */
const parsed = new Map<string, Located<unknown>>();
function memo(key: string, make: () => Located<unknown>): Located<unknown> {
  let hit = parsed.get(key);
  if (!hit) {
    hit = make();
    deepFreeze(hit.data);
    if (parsed.size > 64) parsed.clear();
    parsed.set(key, hit);
  }
  return hit;
}
function deepFreeze(v: unknown): void {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
}

/** `firstLine`: the file line the text starts on (front matter starts on line 2). */
export function parseYaml(text: string, file: string, firstLine = 1): Located<unknown> {
  return memo(`yaml\0${file}\0${firstLine}\0${text}`, () =>
    checkShape(guarded(() => parseYamlText(text, file, firstLine), file)),
  );
}

/**
 * Limits of a sane edition file: values nested at most this deep, and aliases expanded at most
 * this many times over, as the \`yaml\` package counts (an anchor's uses times the aliases inside
 * it: one anchor used 500 times, or aliases of aliases that grow exponentially, as an alias
 * bomb does; a file with 120 ordinary aliases is well under it).
 */
export const STRUCTURE_LIMITS = { depth: 64, aliasExpansion: 500 };

/** A parser that recursed too deeply (stack overflow), as an error naming the file. */
function guarded(parse: () => Located<unknown>, file: string): Located<unknown> {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError) throw msg.hostile.tooDeep({ file }, STRUCTURE_LIMITS.depth);
    if (e instanceof ReferenceError && /alias/i.test(e.message))
      throw msg.hostile.aliasBomb({ file }, STRUCTURE_LIMITS.aliasExpansion);
    throw e;
  }
}

/**
 * Values nested deeper than the limit, and numbers that are not finite (.nan, .inf in YAML),
 * are refused with their place. Walked without recursion, so depth itself cannot overflow.
 */
function checkShape(loc: Located<unknown>): Located<unknown> {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: loc.data, path: [] }];
  const seen = new Set<object>();
  while (stack.length) {
    const { v, path: at } = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) throw msg.hostile.notFinite(loc.locate(at), String(v));
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v); // an alias's value is checked once
    if (at.length >= STRUCTURE_LIMITS.depth) throw msg.hostile.tooDeep(loc.locate([]), STRUCTURE_LIMITS.depth);
    for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...at, Array.isArray(v) ? Number(k) : k] });
  }
  return loc;
}

/** An anchor (&a) or an alias (*a) where a value starts: such files go to the \`yaml\` package. */
const ANCHORS = /(?:^|[\s:[{,-])[&*][^\s,[\]{}]/m;

function parseYamlText(text: string, file: string, firstLine: number): Located<unknown> {
  const shift = firstLine - 1;
  if (!ANCHORS.test(text)) {
    let data: unknown;
    try {
      data = loadYaml(text, { schema: CORE_SCHEMA }) ?? null;
    } catch {
      data = undefined; // read again below: the \`yaml\` package says what is wrong, and where
    }
    if (data !== undefined) return { data, file, locate: lazyLocator(text, file, shift) };
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: true });
  const err = doc.errors[0];
  if (err?.code === 'DUPLICATE_KEY') {
    const dup = firstDuplicate(doc, lc, err.pos[0]);
    if (dup)
      throw msg.hostile.duplicateKey({ file, line: dup.line + shift, column: dup.col }, dup.key, dup.first + shift);
  }
  if (err && /Maximum call stack/.test(err.message)) throw msg.hostile.tooDeep({ file }, STRUCTURE_LIMITS.depth);
  if (err) {
    const pos = err.linePos?.[0];
    throw msg.yamlSyntax(
      file,
      pos ? pos.line + shift : undefined,
      pos?.col,
      err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    );
  }
  return {
    data: doc.toJS({ maxAliasCount: STRUCTURE_LIMITS.aliasExpansion }),
    file,
    locate: shifted(locator(doc, lc, file), shift),
  };
}

/** The key whose second definition starts at `pos`, with the line of its first. */
function firstDuplicate(
  doc: Document,
  lc: LineCounter,
  pos: number,
): { key: string; line: number; col: number; first: number } | undefined {
  let found: { key: string; line: number; col: number; first: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const at = isNode(pair.key) ? pair.key.range?.[0] : undefined;
        if (at === undefined) continue;
        const first = seen.get(k);
        if (first !== undefined && at === pos) {
          const { line, col } = lc.linePos(at);
          found = { key: k, line, col, first: lc.linePos(first).line };
          return visit.BREAK;
        }
        if (first === undefined) seen.set(k, at);
      }
      return undefined;
    },
  });
  return found;
}

function shifted(locate: (segs: (string | number)[]) => Place, shift: number): (segs: (string | number)[]) => Place {
  return shift
    ? (segs) => {
        const p = locate(segs);
        return p.line === undefined ? p : { ...p, line: p.line + shift };
      }
    : locate;
}

/**
 * Places whose line and column are found with the \`yaml\` package when first read: the stages
 * name a place for every value a message might be about, and almost none is ever printed.
 */
function lazyLocator(text: string, file: string, shift = 0): (segs: (string | number)[]) => Place {
  let locate: ((segs: (string | number)[]) => Place) | undefined;
  const find = (segs: (string | number)[]): Place => {
    if (!locate) {
      const lc = new LineCounter();
      locate = shifted(locator(parseDocument(text, { lineCounter: lc }), lc, file), shift);
    }
    return locate(segs);
  };
  return (segs) => {
    let found: Place | undefined;
    const at = () => (found ??= find(segs));
    return {
      file,
      path: pointer(segs),
      get line() {
        return at().line;
      },
      get column() {
        return at().column;
      },
    };
  };
}

export function parseJson(text: string, file: string): Located<unknown> {
  return memo(`json\0${file}\0${text}`, () => checkShape(guarded(() => parseJsonText(text, file), file)));
}

function parseJsonText(text: string, file: string): Located<unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    let line: number | undefined;
    let column: number | undefined;
    if (m) {
      const before = text.slice(0, Number(m[1]));
      line = before.split('\n').length;
      column = before.length - before.lastIndexOf('\n');
    }
    throw msg.jsonSyntax(file, line, column, (e as Error).message.replace(/ in JSON at position \d+.*$/, ''));
  }
  checkJsonKeys(text, file);
  // JSON is YAML: the YAML parser finds positions, when one is asked for
  return { data, file, locate: lazyLocator(text, file) };
}

/**
 * JSON.parse keeps the last of two equal keys in an object and drops the first without a word:
 * js-yaml (fast) refuses them, and the \`yaml\` package then names both places.
 */
function checkJsonKeys(text: string, file: string): void {
  try {
    loadYaml(text, { schema: CORE_SCHEMA });
    return;
  } catch (e) {
    if (!/duplicated mapping key/.test((e as Error).message)) return; // not a duplicate: JSON.parse read it
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  const err = doc.errors.find((x) => x.code === 'DUPLICATE_KEY');
  const dup = err && firstDuplicate(doc, lc, err.pos[0]);
  if (dup) throw msg.hostile.duplicateKey({ file, line: dup.line, column: dup.col }, dup.key, dup.first);
}

const compiled = new Map<string, ValidateFunction>();

/**
 * The validator of one of schemas/*.schema.json: compiled to code by `npm run compile`
 * (scripts/build-tables.mjs, with ajv), so a build does not compile schemas.
 */
export function schemaValidator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const mod = createRequire(import.meta.url)(path.join(ROOT, 'dist/generated', name.replace(/\.json$/, '.cjs'))) as {
      default?: ValidateFunction;
    } & ValidateFunction;
    v = mod.default ?? mod;
    compiled.set(name, v);
  }
  return v;
}

/** Validates a located value against a schema; throws every problem found, each with its place. */
export function validate<T>(loc: Located<unknown>, validator: ValidateFunction, what: string): Located<T> {
  if (validator(loc.data)) return loc as Located<T>;
  const errors = dedupe(validator.errors ?? []).map((e) => schemaError(loc, e, what));
  throw inputErrors(errors);
}

function dedupe(errs: ErrorObject[]): ErrorObject[] {
  // Keep the most specific error per path; drop the noise "must match a schema in anyOf".
  const seen = new Set<string>();
  return errs.filter((e) => {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') return false;
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function schemaError(loc: Located<unknown>, e: ErrorObject, what: string): InputError {
  // `what` names the part of a file ("story front matter") where the file name alone is not enough
  const prefix = what.includes(' ') ? `${what}: ` : '';
  const segs = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const place = loc.locate(segs);
  const at = segs.length ? `"${segs.join('.')}"` : 'the top level';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return msg.schema(
        place,
        `${prefix}${at} lacks the required field "${String(p.missingProperty)}"`,
        `add "${String(p.missingProperty)}:"`,
      );
    case 'additionalProperties':
      return msg.schema(
        loc.locate([...segs, String(p.additionalProperty)]),
        `${prefix}unknown field "${String(p.additionalProperty)}" in ${at}`,
        'remove it or correct its spelling (the README lists the fields)',
      );
    case 'enum':
      return msg.schema(
        place,
        `${prefix}${at} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        'use one of those values',
      );
    case 'type': {
      // a list of types (e.g. press: true or its settings) reads "a boolean or an object"
      const t = String(p.type)
        .split(',')
        .map((x) => `${/^[aeiou]/.test(x) ? 'an' : 'a'} ${x}`)
        .join(' or ');
      return msg.schema(place, `${prefix}${at} must be ${t.replace(/^an? /, '')}`, `write ${t} there`);
    }
    case 'pattern':
      return msg.schema(
        place,
        `${prefix}${at} ${e.message ?? 'has the wrong form'}`,
        'see the README for the expected form',
      );
    default:
      return msg.schema(place, `${prefix}${at} ${e.message ?? 'is invalid'}`, 'see the README for the expected form');
  }
}
