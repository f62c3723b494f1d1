/**
 * Every message a user sees comes from here, so that wording stays consistent and tests can
 * match on it. An InputError is the user's to fix (exit 1); a UsageError is a wrong command
 * line (exit 2); anything else escaping the pipeline is an internal error.
 */

import type { ChangeReport } from './check/changes.js';

/** Where in the user's files a problem is. */
export interface Place {
  file: string;
  line?: number;
  column?: number;
  /** A JSON-pointer-like path inside a structured file, e.g. `/gdp_2025/value`. */
  path?: string;
}

export function placeText(p: Place): string {
  let s = p.file;
  if (p.line !== undefined) s += `:${p.line}`;
  if (p.line !== undefined && p.column !== undefined) s += `:${p.column}`;
  if (p.path !== undefined && p.path !== '') s += ` at ${p.path}`;
  return s;
}

export class InputError extends Error {
  readonly place: Place | undefined;
  readonly fix: string | undefined;
  constructor(message: string, place?: Place, fix?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
    this.place = place;
    this.fix = fix;
  }
  /** The full text shown to the user: place, problem, fix. */
  describe(): string {
    const where = this.place ? `${placeText(this.place)}: ` : '';
    return `${where}${this.message}${this.fix ? `\n  fix: ${this.fix}` : ''}`;
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A fault of the machine, not of the edition (exit 4): a tool that is missing or failed, a
 * file Broadsheet needs that was never made. The fix says what to install, run or free.
 */
export class MachineError extends Error {
  readonly fix: string;
  constructor(message: string, fix: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MachineError';
    this.fix = fix;
  }
  describe(): string {
    return `${this.message}\n  fix: ${this.fix}`;
  }
}

/** Several input errors found in one pass (all of them are reported, not just the first). */
export class InputErrors extends InputError {
  readonly errors: InputError[];
  constructor(errors: InputError[]) {
    super(`${errors.length} problems in the edition`);
    this.errors = errors;
  }
  override describe(): string {
    return this.errors.map((e) => e.describe()).join('\n');
  }
}

export const msg = {
  editionMissing: (dir: string) =>
    new InputError(`edition folder not found`, { file: dir }, 'give the path of a folder that holds edition.yaml'),
  fileMissing: (file: string, what: string) =>
    new InputError(`${what} is missing`, { file }, `create ${file} (see "The edition format" in README.md)`),
  notUtf8: (file: string, offset: number) =>
    new InputError(`text is not valid UTF-8 (first bad byte at offset ${offset})`, { file }, 'save the file as UTF-8'),
  yamlSyntax: (file: string, line: number | undefined, column: number | undefined, detail: string) =>
    new InputError(`YAML syntax error: ${detail}`, { file, line, column }, 'correct the YAML at that place'),
  jsonSyntax: (file: string, line: number | undefined, column: number | undefined, detail: string) =>
    new InputError(`JSON syntax error: ${detail}`, { file, line, column }, 'correct the JSON at that place'),
  csvSyntax: (file: string, line: number | undefined, detail: string) =>
    new InputError(`CSV error: ${detail}`, { file, line }, 'every row needs as many cells as the header'),
  schema: (place: Place, detail: string, fix: string) => new InputError(detail, place, fix),
  unknownFigure: (place: Place, name: string, near: string[]) =>
    new InputError(
      `figure {${name}} is not defined in figures.yaml`,
      place,
      near.length
        ? `did you mean ${near.map((n) => `{${n}}`).join(' or ')}? Otherwise add "${name}" to figures.yaml`
        : `add "${name}" to figures.yaml`,
    ),
  badFigureFormat: (place: Place, name: string, format: string) =>
    new InputError(
      `figure {${name}:${format}}: unknown format "${format}"`,
      place,
      'use {name} for value and unit, or {name:num} for the number alone',
    ),
  unknownTable: (place: Place, name: string) =>
    new InputError(
      `data table "${name}" does not exist`,
      place,
      `add tables/${name}.csv to the edition or correct the name`,
    ),
  unknownChart: (place: Place, id: string) =>
    new InputError(`chart "${id}" is not declared in edition.yaml`, place, `add it under "charts:" in edition.yaml`),
  unknownPhoto: (place: Place, id: string) =>
    new InputError(`photo "${id}" is not declared in edition.yaml`, place, `add it under "photos:" in edition.yaml`),
  unknownFactbox: (place: Place, id: string) =>
    new InputError(
      `fact box "${id}" is not declared in edition.yaml`,
      place,
      `add it under "factboxes:" in edition.yaml`,
    ),
  unknownChain: (place: Place, id: string) =>
    new InputError(
      `text chain "${id}" is not in the story`,
      place,
      `start a chain in story.md with a line "::chain ${id}"`,
    ),
  chainWithoutFrames: (place: Place, id: string) =>
    new InputError(
      `the story's chain "${id}" has no text frame in the layout`,
      place,
      `add a frame with "chain: ${id}" to layout.yaml`,
    ),
  elementNotPlaced: (place: Place, kind: string, id: string) =>
    new InputError(`${kind} "${id}" is not placed on the page`, place, `give it a frame in layout.yaml, or remove it`),
  unknownDirective: (place: Place, line: string) =>
    new InputError(
      `unknown directive "${line}"`,
      place,
      'directives are ::chain <id>, ::photo <id> <caption>, ::chart <id> <caption>',
    ),
  emptyStory: (file: string) =>
    new InputError('the story has no text', { file }, 'write the story body below the front matter'),
  textOutsideChain: (place: Place) =>
    new InputError('text before the first "::chain" line', place, 'start the body with a line such as "::chain lead"'),
  unknownPreset: (place: Place, name: string, known: string[]) =>
    new InputError(`unknown page preset "${name}"`, place, `use one of: ${known.join(', ')}`),
  pathEscapes: (place: Place, ref: string) =>
    new InputError(
      `path "${ref}" leaves the edition folder`,
      place,
      'keep images, tables and charts inside the edition folder and use relative paths',
    ),
  dataUrlRefused: (place: Place, url: string) =>
    new InputError(
      `chart data from "${url}" is refused: charts read only the edition's tables`,
      place,
      'use "data": {"name": "<table>"} with a CSV file in tables/',
    ),
  invalidChart: (place: Place, detail: string) =>
    new InputError(
      `not a valid Vega-Lite spec: ${detail}`,
      place,
      'check the spec against https://vega.github.io/vega-lite/docs/',
    ),
  chartField: (place: Place, field: string, table: string, columns: string[]) =>
    new InputError(
      `field "${field}" is not a column of table "${table}" (${columns.join(', ')})`,
      place,
      'correct the field name in the spec or the column header in the table',
    ),
  chartFailed: (place: Place, detail: string) =>
    new InputError(
      `the chart could not be rendered: ${detail}`,
      place,
      'check the fields used in the encoding against the table',
    ),
  imageUnreadable: (place: Place, detail: string) =>
    new InputError(`image cannot be read: ${detail}`, place, 'use a JPEG or PNG file that opens in an image viewer'),
  imageTooLarge: (place: Place, w: number, h: number, max: number) =>
    new InputError(
      `image is ${w} × ${h} px, more than ${max} px on a side`,
      place,
      'scale the image down to 300 ppi at its printed size',
    ),
  imageLowResolution: (place: Place, ppi: number) =>
    new InputError(
      `image is only ${ppi.toFixed(0)} ppi at its placed size (150 is the minimum for print)`,
      place,
      'supply a larger image or make its frame smaller',
    ),
  glyphMissing: (place: Place, ch: string, face: string) =>
    new InputError(
      `character "${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) is in no font of the ${face} face`,
      place,
      'replace the character, or add a font that covers it in src/fonts/faces.ts',
    ),
  overset: (place: Place, chain: string, chars: number, lines: number, frames: string) =>
    new InputError(
      `story "${chain}": ${chars} 字 (${lines} lines) over in frames ${frames}`,
      place,
      `cut ${chars} characters or enlarge a frame`,
    ),
  frameOffGrid: (place: Place, id: string, detail: string) =>
    new InputError(`frame "${id}" ${detail}`, place, 'frames must lie inside the page grid'),
  tooManyRows: (place: Place, rows: number, max: number) =>
    new InputError(
      `${rows} rows: more than the ${max} a chart on paper can show`,
      place,
      'aggregate the data before charting it',
    ),
  tooLarge: (file: string, bytes: number, max: number) =>
    new InputError(
      `file is ${(bytes / 1e6).toFixed(1)} MB, over the limit of ${(max / 1e6).toFixed(0)} MB`,
      { file },
      'split or shorten the file',
    ),
  requestRefused: (url: string) => `refused a request the page made for ${url} (only the build's own files may load)`,
  browserMissing: () =>
    new InputError(
      'no Chromium or Chrome found',
      undefined,
      'run "npm run setup" (installs Debian\'s chromium), or set CHROME_PATH to a Chrome/Chromium binary',
    ),
  browserFailed: (exe: string, how: string, detail: string) =>
    new InputError(
      `the browser ${exe} (found via ${how}) did not start: ${detail}`,
      undefined,
      'run "npm run setup", or set CHROME_PATH to a working Chrome/Chromium',
    ),
  /** Ctrl-C: the same text before and after the command line has loaded (print/spawn.ts) */
  interrupted: (sig: string) => `\ninterrupted (${sig}); the previous output is unchanged\n`,
  timeout: (seconds: number) =>
    new InputError(
      `the build did not finish within ${seconds} s`,
      undefined,
      'check the page for a runaway chart, or raise --timeout',
    ),
  usage: (detail: string) => new UsageError(`${detail}\nRun "broadsheet --help" for the options.`),
  internal: (e: unknown) =>
    `Internal error (a bug in Broadsheet, not in your edition): ${e instanceof Error ? e.message : String(e)}\n  Run again with --debug for the stack trace and report it.`,
  warnUnderset: (chain: string, lines: number) => `story "${chain}": ${lines} empty lines at the end of its last frame`,
  copyFitted: (chain: string, frame: string, from: number, to: number) =>
    `story "${chain}": copy-fit set "${frame}" to ${to} lines (layout: ${from}) so the text fits`,
  derivedMismatch: (name: string, kind: string, stated: string, computed: number, unit: string, atLeast: boolean) =>
    `figure {${name}} states ${atLeast ? 'at least ' : ''}${stated}, but its inputs give ${computed}${unit} (${kind})`,
  literalFigure: (place: Place, form: string, name: string) =>
    `${placeText(place)}: "${form}" is written out; it equals {${name}}: write {${name}} so a correction reaches it`,
  changes: (c: ChangeReport): string => {
    const reflowed = c.chains.filter((x) => x.reflowedFrames.length).map((x) => x.id);
    const status = c.chains
      .filter((x) => x.status[0] !== x.status[1])
      .map((x) => `story "${x.id}" ${x.status[0]} → ${x.status[1]}`);
    if (!c.figures.length && !c.charts.length && !reflowed.length && !c.regions.length)
      return 'since the last build: nothing printed differs';
    const parts = [
      ...c.figures.map((f) => `{${f.name}} ${f.old ?? '—'} → ${f.new ?? '—'} (${f.places.length} places)`),
      ...(c.charts.length ? [`chart${c.charts.length > 1 ? 's' : ''} ${c.charts.join(', ')}`] : []),
      ...(reflowed.length ? [`reflowed ${reflowed.join(', ')}`] : []),
      ...status,
      ...(c.regions.length
        ? [`${c.regions.length} page region${c.regions.length > 1 ? 's' : ''}${c.image ? ' boxed in changes.png' : ''}`]
        : []),
    ];
    return `since the last build: ${parts.join('; ')}`;
  },
  rebuilt: (ms: number, pdf: string) => `rebuilt ${pdf} in ${ms} ms`,
  keptLastGood: () => 'the last good PDF is unchanged; watching for the next change',
  watching: (dir: string) => `watching ${dir} for changes (Ctrl-C to stop)`,
  warnOrphans: (chain: string, n: number) =>
    `story "${chain}": ${n} paragraph${n > 1 ? 's end' : ' ends'} on a line of a single character; add or cut a few characters`,
  warnLowPpi: (photo: string, ppi: number) =>
    `photo "${photo}" is ${ppi.toFixed(0)} ppi at its placed size (300 wanted)`,
  summary: (pdf: string, pages: number, seconds: number, warnings: number) =>
    `wrote ${pdf} (${pages} page${pages === 1 ? '' : 's'}) in ${seconds.toFixed(2)} s${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`,
};

/** Levenshtein-close names, for "did you mean". */
export function nearNames(name: string, known: Iterable<string>, max = 2): string[] {
  const out: { n: string; d: number }[] = [];
  for (const k of known) {
    const d = editDistance(name, k);
    if (d <= Math.max(2, Math.floor(name.length / 3))) out.push({ n: k, d });
  }
  return out
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((x) => x.n);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** Press output (src/press/): its machine faults, refusals, preflight findings and summaries. */
const pct = (v: number) => `${v.toFixed(0)} %`;
export const pressMsg = {
  toolMissing: (tool: string, pkg: string, purpose: string) =>
    new MachineError(
      `${tool} is not installed (it is needed ${purpose})`,
      `install Debian's ${pkg} (apt-get install ${pkg}), or run "npm run setup"`,
    ),
  toolTimeout: (tool: string, seconds: number) =>
    new MachineError(
      `${tool} did not finish within ${seconds} s`,
      'the machine may be overloaded: free CPU and memory and build again',
    ),
  toolFailed: (tool: string, detail: string) =>
    new MachineError(
      `${tool} failed: ${detail}`,
      'check that it is installed completely ("npm run setup") and that the disk is not full',
    ),
  gsProfilesMissing: () =>
    new MachineError(
      "Ghostscript's own ICC profiles (default_gray.icc, …) were not found",
      "reinstall Debian's ghostscript (apt-get install --reinstall ghostscript)",
    ),
  characterizationMissing: (file: string) =>
    new MachineError(
      `the newsprint characterization data (TR002) is missing: ${file}`,
      'install Debian\'s icc-profiles-free (apt-get install icc-profiles-free), or run "npm run setup"',
    ),
  profileMissing: (file: string) =>
    new MachineError(
      `the newsprint press profile has not been made (${file} is missing)`,
      'run "npm run press-profiles" once (it takes about a minute; "npm run setup" does it too)',
    ),
  linkMissing: (file: string, command: string) =>
    new MachineError(
      `the colour link for press output has not been made (${file} is missing)`,
      `run "${command}" once (it takes about half a minute; "npm run setup" makes the default one)`,
    ),
  makingLink: (profile: string, intent: string) =>
    `press: making the sRGB → ${profile} colour link (${intent} intent), once; about half a minute`,
  badProfile: (place: Place, detail: string) =>
    new InputError(
      `not a CMYK printer profile: ${detail}`,
      place,
      "give the printing plant's ICC profile for its press (a CMYK output profile, .icc or .icm)",
    ),
  refused: (reportFile: string, errors: number) =>
    new InputError(
      `press.pdf was not written: the preflight found ${errors} error${errors === 1 ? '' : 's'} (listed above)`,
      { file: reportFile, path: '/preflight' },
      'correct what the table lists; broadsheet.pdf and report.json were written',
    ),
  staleRemoved: (file: string) => `removed the previous ${file}: it no longer matches the page`,
  written: (file: string, seconds: number, maxInk: number | undefined, warnings: number) =>
    `wrote ${file} (CMYK, PDF/X-3) in ${seconds.toFixed(2)} s${maxInk !== undefined ? `, ink at most ${pct(maxInk)}` : ''}${warnings ? `, ${warnings} preflight warning${warnings === 1 ? '' : 's'}` : ''}`,
  preflightSummary: (file: string, profile: string, errors: number, warnings: number, maxInk?: number) =>
    `preflight of ${file} for ${profile}: ${errors ? `FAILED, ${errors} error${errors === 1 ? '' : 's'}` : 'passed'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}${maxInk !== undefined ? `; ink at most ${maxInk} %` : ''}`,
  preflightOfPress: (profile: string) => `preflight of press.pdf (${profile}):`,
  /** the findings table's column heads: severity, rule, page, place, frame, object, message and fix */
  tableHead: ['', 'rule', 'page', 'at (x, y from trim)', 'frame', 'object', 'what, and the fix'],
  tableSeverity: (error: boolean) => (error ? 'ERROR' : 'warning'),
  tableMore: (n: number) => `… and ${n} more in report.json (preflight.findings)`,
  notAPdf: (file: string, detail: string) =>
    new InputError(`not a PDF that can be read: ${detail}`, { file }, 'give the path of a PDF file'),
  unknownProfile: (name: string, known: string[]) =>
    new UsageError(
      `unknown preflight profile "${name}" (known: ${known.join(', ')})\nRun "broadsheet --help" for the options.`,
    ),
  /** the preflight's findings: what is wrong, and the fix */
  rule: {
    type3: () => ({
      message: 'a Type 3 font (printing plants reject them)',
      fix: 'use a TrueType or OpenType font with TrueType outlines',
    }),
    notEmbedded: () => ({ message: 'font not embedded', fix: 'embed the font (and subset it)' }),
    noTrim: () => ({ message: 'no TrimBox', fix: 'the page needs a TrimBox giving the trimmed page size' }),
    noBleed: () => ({ message: 'no BleedBox', fix: 'give the page a BleedBox: the trim plus the bleed' }),
    trimSize: (got: { w: number; h: number }, want: { w: number; h: number }) => ({
      message: `trim is ${got.w.toFixed(2)} × ${got.h.toFixed(2)} mm, not ${want.w} × ${want.h} mm`,
      fix: 'set the TrimBox to the page preset',
    }),
    bleedInsideTrim: () => ({
      message: 'the BleedBox lies inside the TrimBox',
      fix: 'the BleedBox must contain the TrimBox',
    }),
    bleedOutsideMedia: () => ({ message: 'the BleedBox reaches outside the MediaBox', fix: 'enlarge the MediaBox' }),
    smallBleed: (mm: number, want: number) => ({
      message: `bleed of ${mm.toFixed(2)} mm (${want} mm wanted on every side)`,
      fix: `extend the BleedBox by ${want} mm around the trim`,
    }),
    rgb: (n: number, first: string) => ({
      message: `RGB colour left in a press PDF (${n === 1 ? '' : 'the first: '}${first})`,
      fix: 'convert the PDF to CMYK for the press: "broadsheet build <edition> --press" writes press.pdf',
    }),
    spot: (name: string) => ({
      message: `spot colour "${name}" (a separate plate)`,
      fix: 'convert the spot colour to CMYK, or ask the plant for the extra plate',
    }),
    textOnCmy: (c: number[]) => ({
      message: `black or grey text built with C, M or Y (C ${pct(c[0]! * 100)} M ${pct(c[1]! * 100)} Y ${pct(c[2]! * 100)} K ${pct(c[3]! * 100)}): it misregisters on newsprint`,
      fix: 'set neutral text in black only (K)',
    }),
    textSize: (size: number, min: number) => ({
      message: `text of ${size.toFixed(2)} pt, under the house minimum of ${min} pt`,
      fix: `set it at ${min} pt or larger (press.minTextPt in edition.yaml sets the house minimum)`,
    }),
    missingGlyph: (chars: string[]) => ({
      message: `${chars.length} character${chars.length === 1 ? '' : 's'} without a glyph in the font (${[
        ...new Set(chars),
      ]
        .slice(0, 5)
        .map((c) => (c ? `“${c}”` : '?'))
        .join(' ')})`,
      fix: 'use a font that has the character, or replace it',
    }),
    hairline: (pt: number, min: number) => ({
      message: `line ${pt.toFixed(2)} pt wide, under ${min} pt: it may not print`,
      fix: `make it at least ${min} pt`,
    }),
    lowPpi: (ppi: number, want: number, error: boolean) => ({
      message: `image at ${ppi.toFixed(0)} ppi at its placed size (${error ? `${want} is the minimum` : `${want} wanted`})`,
      fix: 'supply a larger image or place it smaller',
    }),
    ink: (max: number, limit: number) => ({
      message: `total ink ${pct(max)}, over the paper's limit of ${pct(limit)}`,
      fix: 'lighten the colour (or let press output convert it through the profile)',
    }),
    transparency: (detail: string) => ({
      message: `transparency (${detail}): PDF/X-3 has none, and a RIP would flatten the page`,
      fix: 'use opaque colours (a lighter colour instead of opacity), and photos without an alpha channel',
    }),
    outputIntent: (detail: string) => ({
      message: `not a PDF/X file for the press: ${detail}`,
      fix: 'write it with "broadsheet build <edition> --press" (press.pdf)',
    }),
    overset: (chain: string, chars: number, lines: number) => ({
      message: `story "${chain}" is overset: ${chars} 字 (${lines} lines) do not fit`,
      fix: `cut ${chars} characters or enlarge a frame`,
    }),
    more: (n: number) => ({ message: `${n} more of the same on this page (not listed)`, fix: 'see the ones above' }),
  },
};
