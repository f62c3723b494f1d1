/**
 * Load: an edition folder → an Edition (parsed, validated, nothing resolved yet). Every file
 * read here is inside the edition folder; a path that leaves it is refused.
 */
import { writtenDecimals } from './decimals.js';
import { plainFigures } from './figures-form.js';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { imageSize } from 'image-size';
import { msg, type Place } from '../messages.js';
import { SCHEMAS } from '../paths.js';
import { confine, readBytes, readText } from './read.js';
import { parseJson, parseYaml, schemaValidator, validate, type Located } from './structured.js';
import { parseStory, type Story } from './story.js';

export interface EditionMeta {
  publication: string;
  date: string;
  page: number;
  section: string;
  title: string;
  subject?: string;
  editor?: string;
  preset: string;
  language?: string;
  house?: {
    punctuation?: 'gb';
    hanLatin?: 'none' | 'quarter';
    indent?: 0 | 1 | 2;
    bodySize?: '五号' | '小五' | '六号' | number;
  };
  /** priority, minColumns, aspect, section: hints for broadsheet compose */
  photos?: Record<
    string,
    { file: string; placeholder?: boolean; priority?: number; minColumns?: number; section?: string }
  >;
  charts?: Record<
    string,
    { spec: string; source?: string; aspect?: number; minColumns?: number; maxColumns?: number; section?: string }
  >;
  factboxes?: Record<string, { title: string; section?: string; items: { figure: string; label: string }[] }>;
  notes?: string[];
}

export interface FigureDef {
  value: number;
  unit?: string;
  scale?: '万' | '亿';
  decimals?: number;
  approx?: string;
  display?: string;
  label?: string;
  separators?: boolean;
  check?: FigureCheck;
}

export interface FigureCheck {
  cagr?: [string, string];
  years?: number;
  multiple?: [string, string];
  share?: [string, string];
  tolerance?: number;
  atLeast?: boolean;
  intended?: string;
}

export type FrameKind = 'banner' | 'headline' | 'text' | 'head' | 'photo' | 'chart' | 'factbox' | 'ad';
export interface FrameDef {
  id: string;
  kind: FrameKind;
  columns: [number, number];
  top: number;
  lines: number;
  chain?: string;
  ref?: string;
  style?: 'lead' | 'normal' | 'closing';
  rule?: 'left' | 'top' | 'none';
  minLines?: number;
  maxLines?: number;
  /** broadsheet compose keeps this frame where it is (an ad frame always stays) */
  pinned?: boolean;
  /** ad frames: what the marked box says */
  label?: string;
  /** ad frames: the word set large in the box (广告; 留版 for a space kept for other copy) */
  mark?: string;
}

export interface Table {
  name: string;
  file: string;
  columns: string[];
  rows: { cells: string[]; line: number }[];
}

export interface ChartSource {
  id: string;
  file: string;
  spec: Located<Record<string, unknown>>;
  source?: string;
}
export interface PhotoSource {
  id: string;
  file: string;
  bytes: Buffer;
  type: string;
  width: number;
  height: number;
  placeholder: boolean;
  place: Place;
  /** a CMYK (or YCCK) JPEG: the browser shows it in RGB; the build warns */
  cmyk?: boolean;
  /** no file yet (only when loaded for `broadsheet placeholders`): no bytes, no pixels */
  missing?: boolean;
}

export interface Edition {
  dir: string;
  name: string;
  meta: Located<EditionMeta>;
  story: Story;
  figures: Located<Record<string, FigureDef>>;
  /** decimals a figure's value is written with where the number alone loses them (647.0, 4.90) */
  figureDecimals: Record<string, number>;
  layout: Located<{ frames: FrameDef[] }>;
  tables: Map<string, Table>;
  charts: Map<string, ChartSource>;
  photos: Map<string, PhotoSource>;
}

/**
 * imagePixels: 40 million pixels is a whole broadsheet page (350 × 540 mm) at 350 ppi; a photo
 * larger than that is checked from its header and refused before anything decodes it.
 */
export const LIMITS = { imageBytes: 40_000_000, imageSide: 12_000, imagePixels: 40_000_000, tableRows: 10_000 };

export interface LoadOptions {
  /** a photo whose file does not exist yet is loaded as `missing` instead of refused (placeholders) */
  photosMayBeMissing?: boolean;
  /**
   * an edition without layout.yaml loads with no frames (broadsheet compose proposes them); a
   * build still needs the file
   */
  layoutOptional?: boolean;
}

export function loadEdition(dirArg: string, opts: LoadOptions = {}): Edition {
  const dir = path.resolve(dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw msg.editionMissing(dirArg);
  const root = realpathSync(dir);
  const rel = (f: string) => path.join(path.basename(dir), f);
  const inside = (ref: string, place: Place): string => {
    const real = confine(dir, root, ref, place);
    if (real === undefined) throw msg.fileNotFound(place, ref, rel(ref));
    return real;
  };
  /** one of the four files of fixed name: confined like every other, refused when not a regular file */
  const fixed = (name: string): string | undefined => confine(dir, root, name, { file: rel(name) });
  const readFixed = (name: string): string => {
    const real = fixed(name);
    if (real === undefined) throw msg.fileMissing(rel(name), name);
    return readText(real, rel(name), name);
  };

  const metaYaml = parseYaml(readFixed('edition.yaml'), rel('edition.yaml'));
  checkPreset(metaYaml);
  const meta = validate<EditionMeta>(metaYaml, schemaValidator('edition.schema.json'), 'edition.yaml');
  checkDate(meta);

  const story = parseStory(readFixed('story.md'), rel('story.md'));
  const figuresText = readFixed('figures.yaml');
  const figuresYaml = parseYaml(figuresText, rel('figures.yaml'));
  const plain = plainFigures(figuresYaml);
  if (plain) throw plain;
  const figures = validate<Record<string, FigureDef>>(
    figuresYaml,
    schemaValidator('figures.schema.json'),
    'figures.yaml',
  );
  const layout =
    opts.layoutOptional && fixed('layout.yaml') === undefined
      ? { data: { frames: [] }, file: rel('layout.yaml'), locate: () => ({ file: rel('layout.yaml') }) }
      : validate<{ frames: FrameDef[] }>(
          parseYaml(readFixed('layout.yaml'), rel('layout.yaml')),
          schemaValidator('layout.schema.json'),
          'layout.yaml',
        );

  const tables = new Map<string, Table>();
  const tdir = confine(dir, root, 'tables', { file: rel('tables') });
  if (tdir !== undefined && statSync(tdir).isDirectory()) {
    for (const f of readdirSync(tdir)
      .filter((n) => n.endsWith('.csv'))
      .sort()) {
      const name = f.slice(0, -4);
      const file = rel(path.join('tables', f));
      tables.set(name, parseTable(readText(inside(path.join('tables', f), { file }), file, 'table'), file, name));
    }
  }

  const charts = new Map<string, ChartSource>();
  for (const [id, c] of Object.entries(meta.data.charts ?? {})) {
    const abs = inside(c.spec, meta.locate(['charts', id, 'spec']));
    const file = rel(path.relative(dir, abs));
    const spec = parseJson(readText(abs, file, `chart spec "${id}"`), file);
    if (typeof spec.data !== 'object' || spec.data === null || Array.isArray(spec.data)) {
      throw msg.invalidChart({ file }, 'the spec must be a JSON object');
    }
    checkChartText(spec);
    charts.set(id, {
      id,
      file,
      spec: spec as Located<Record<string, unknown>>,
      ...(c.source ? { source: c.source } : {}),
    });
  }

  const photos = new Map<string, PhotoSource>();
  for (const [id, p] of Object.entries(meta.data.photos ?? {})) {
    const place = meta.locate(['photos', id, 'file']);
    if (opts.photosMayBeMissing && absent(dir, root, p.file, place)) {
      const file = rel(path.relative(dir, path.resolve(dir, p.file)));
      photos.set(id, {
        id,
        file,
        bytes: Buffer.alloc(0),
        type: '',
        width: 0,
        height: 0,
        placeholder: p.placeholder ?? false,
        place: { file },
        missing: true,
      });
      continue;
    }
    // a placeholder not made yet: say how to make it
    if (p.placeholder && absent(dir, root, p.file, place)) throw msg.placeholderMissing(place, p.file, dirArg);
    const abs = inside(p.file, place);
    photos.set(id, loadPhoto(id, abs, rel(path.relative(dir, abs)), p.placeholder ?? false));
  }

  const figureDecimals = writtenDecimals(figuresText);
  return { dir, name: path.basename(dir), meta, story, figures, figureDecimals, layout, tables, charts, photos };
}

/** The publication date must be a day of the calendar: it is printed in the folio and the PDF's dates. */
function checkDate(meta: Located<EditionMeta>): void {
  const date = meta.data.date;
  const [y = NaN, m = NaN, d = NaN] = date.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  if (!(y >= 1) || t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d)
    throw msg.hostile.badDate(meta.locate(['date']), date);
}

/** A figure reference, as the story writes it (bind/figures.ts). */
const FIGURE_REF = /\{[a-z][a-z0-9_]*(?::[a-z]+)?\}/;
/** Spec keys whose strings are vega expressions, not printed text (and the data, bound from tables). */
const NOT_TEXT = new Set(['data', 'calculate', 'expr', 'filter', 'test', 'signal', 'labelExpr', 'update', 'field']);

/**
 * A {figure} in a chart's title, axis or text would print as written: chart specs are not bound
 * (the figures reach a chart through its table). Refused with its place.
 */
function checkChartText(spec: Located<unknown>): void {
  const stack: { v: unknown; at: (string | number)[] }[] = [{ v: spec.data, at: [] }];
  while (stack.length) {
    const { v, at } = stack.pop()!;
    if (typeof v === 'string') {
      const m = FIGURE_REF.exec(v);
      if (m) throw msg.hostile.figureInChart(spec.locate(at), m[0]);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v))
        if (!NOT_TEXT.has(k)) stack.push({ v: x, at: [...at, Array.isArray(v) ? Number(k) : k] });
    }
  }
}

/** The page presets an edition may name: the edition schema's list (the layout stage defines each). */
let presets: string[] | undefined;
function checkPreset(meta: Located<unknown>): void {
  presets ??= (
    JSON.parse(readFileSync(path.join(SCHEMAS, 'edition.schema.json'), 'utf8')) as {
      properties: { preset: { enum: string[] } };
    }
  ).properties.preset.enum;
  const data = meta.data;
  const name = data && typeof data === 'object' && 'preset' in data ? data.preset : undefined;
  if (typeof name === 'string' && !presets.includes(name))
    throw msg.unknownPreset(meta.locate(['preset']), name, presets);
}

/**
 * True if a path inside the edition names no file yet (not even a dangling link): its nearest
 * existing folder must be inside the edition, so a file made there stays inside it.
 */
function absent(dir: string, root: string, ref: string, place: Place): boolean {
  return confine(dir, root, ref, place) === undefined;
}

function parseTable(text: string, file: string, name: string): Table {
  let records: string[][];
  try {
    records = parseCsv(text, { skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw msg.csvSyntax(file, err.lines, err.message.replace(/^Invalid Record Length: /, ''));
  }
  const [header, ...rest] = records;
  if (!header || header.length === 0) throw msg.csvSyntax(file, 1, 'the table has no header row');
  const twice = header.findIndex((h, i) => header.indexOf(h) !== i);
  if (twice >= 0)
    throw msg.hostile.duplicateColumn({ file, line: 1 }, header[twice]!, header.indexOf(header[twice]!) + 1, twice + 1);
  if (rest.length > LIMITS.tableRows)
    throw msg.tooManyRows({ file, line: LIMITS.tableRows + 2 }, rest.length, LIMITS.tableRows);
  // csv-parse does not report per-record lines in sync mode without `info`; rows are one per
  // line in our tables, so the line is the index plus the header.
  return { name, file, columns: header, rows: rest.map((cells, i) => ({ cells, line: i + 2 })) };
}

function loadPhoto(id: string, abs: string, file: string, placeholder: boolean): PhotoSource {
  const place = { file };
  const bytes = readBytes(abs, file, `photo "${id}"`, LIMITS.imageBytes);
  if (bytes.length === 0) throw msg.imageUnreadable(place, 'the file is empty (0 bytes)');
  let dim: { width?: number; height?: number; type?: string };
  try {
    dim = imageSize(bytes);
  } catch (e) {
    throw msg.imageUnreadable(place, `not a JPEG or PNG image that can be read (${(e as Error).message})`);
  }
  if (!dim.width || !dim.height || (dim.type !== 'jpg' && dim.type !== 'png')) {
    throw msg.imageUnreadable(place, `not a JPEG or PNG image (${dim.type ?? 'unknown type'})`);
  }
  if (dim.width > LIMITS.imageSide || dim.height > LIMITS.imageSide) {
    throw msg.imageTooLarge(place, dim.width, dim.height, LIMITS.imageSide);
  }
  if (dim.width * dim.height > LIMITS.imagePixels) {
    throw msg.hostile.imagePixels(place, dim.width, dim.height, LIMITS.imagePixels);
  }
  if (dim.type === 'jpg' && !(bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9)) {
    throw msg.imageUnreadable(place, 'the JPEG file is truncated (no end marker)');
  }
  if (dim.type === 'png' && !pngComplete(bytes)) {
    throw msg.imageUnreadable(place, 'the PNG file is truncated (it does not end with its IEND chunk)');
  }
  const cmyk = dim.type === 'jpg' && jpegComponents(bytes) === 4;
  return {
    id,
    file,
    bytes,
    type: dim.type === 'jpg' ? 'image/jpeg' : 'image/png',
    width: dim.width,
    height: dim.height,
    placeholder,
    place,
    ...(cmyk ? { cmyk } : {}),
  };
}

/** A PNG ends with its IEND chunk (length 0, "IEND", its CRC): a file cut short does not. */
function pngComplete(b: Buffer): boolean {
  return b.length >= 12 && b.subarray(b.length - 12).equals(PNG_IEND);
}
const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** The number of colour components in a JPEG's frame header (SOFn): 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK. */
function jpegComponents(b: Buffer): number | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    // SOF0–SOF15, not DHT (C4), JPG (C8) or DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return b[i + 9];
    if (marker === 0xda) return undefined; // the scan starts: no frame header before it
    i += 2 + len;
  }
  return undefined;
}
