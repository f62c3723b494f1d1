/**
 * Every message a user sees comes from here, so that wording stays consistent and tests can
 * match on it. Each kind of failure has its own class and exit code (EXIT):
 *
 *   InputError    1  a problem in the user's edition: file, place, what is wrong, the fix
 *   UsageError    2  a wrong command line
 *   InternalError 3  a bug in Broadsheet (so is any other exception that escapes a build)
 *   MachineError  4  a fault of the machine, not of the edition: no browser, a browser that
 *                    crashed or was killed, a timeout, a full disk, an output folder that
 *                    cannot be written; the message says what to install, set or free
 *
 * This module imports nothing from the stages: the stages depend on it, never the reverse.
 */

export const EXIT = { ok: 0, input: 1, usage: 2, internal: 3, machine: 4 } as const;

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
  readonly exitCode: number = EXIT.input;
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

/** How many of several input errors are shown; the rest are counted. */
export const ERRORS_SHOWN = 20;

/** Several input errors found in one pass (the first ERRORS_SHOWN shown, the rest counted). */
export class InputErrors extends InputError {
  readonly errors: InputError[];
  /** problems found beyond `errors`, counted but not made into messages */
  readonly more: number;
  constructor(errors: InputError[], more = 0) {
    super(`${errors.length + more} problems in the edition`);
    this.errors = errors;
    this.more = more;
  }
  override describe(): string {
    const hidden = this.errors.length - Math.min(this.errors.length, ERRORS_SHOWN) + this.more;
    return [
      ...this.errors.slice(0, ERRORS_SHOWN).map((e) => e.describe()),
      ...(hidden ? [`… and ${hidden} more problem${hidden === 1 ? '' : 's'} (correct these first)`] : []),
    ].join('\n');
  }
}

/** One error for one or several: what a stage throws after collecting every problem it found. */
export function inputErrors(errors: InputError[], more = 0): InputError {
  const [first] = errors;
  return errors.length === 1 && first && !more ? first : new InputErrors(errors, more);
}

export class UsageError extends Error {
  readonly exitCode: number = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A fault of Broadsheet found by Broadsheet itself (any other unexpected exception is one too). */
export class InternalError extends Error {
  readonly exitCode: number = EXIT.internal;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}

/** A fault of the machine: the edition is fine, the machine needs something installed, set or freed. */
export class MachineError extends Error {
  readonly exitCode: number = EXIT.machine;
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

/** The exit code for an error that ended a command. */
export function exitCodeOf(e: unknown): number {
  return e instanceof InputError || e instanceof UsageError || e instanceof InternalError || e instanceof MachineError
    ? e.exitCode
    : EXIT.internal;
}

/** What the one-line change summary needs of a change report (check/changes.ts makes the report). */
export interface ChangeSummary {
  figures: { name: string; old: string | null; new: string | null; places: unknown[] }[];
  charts: string[];
  chains: { id: string; status: [string, string]; reflowedFrames: string[] }[];
  regions: unknown[];
  image?: string;
}

/** setTimeout's limit: 2^31 − 1 ms. */
export const MAX_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);

/** broadsheet --help */
export const HELP = `broadsheet: an edition folder → a print-ready newspaper page (PDF)

Usage:
  broadsheet build <edition-folder> [options]
  broadsheet watch <edition-folder> [options]
  broadsheet placeholders <edition-folder> [--force]
  broadsheet compose <edition-folder> [--write] [--variants <n>] [--fresh]
  broadsheet preflight <pdf> [--profile newsprint] [--json]
  broadsheet handouts <edition-folder> --each <table.csv> [--name <column>] [--shard i/n]
  broadsheet --help | --version

build writes broadsheet.pdf and report.json into the output folder; after the first build it
also compares with the previous build there and reports what changed (changes.png boxes the
page regions that differ).
watch builds, then keeps the browser warm and rebuilds on every change to the edition's files;
a bad edit prints its error and the last good PDF stays in place; a browser that stopped is
started again.
placeholders makes a marked 300 ppi placeholder JPEG, at the size the page prints it, for
every photo in edition.yaml that has no file yet; --force also makes again every placeholder
(placeholder: true) whose frame now needs another size. Real photos are never replaced.
compose proposes layout.yaml from the story, photos, charts and fact boxes (README: "Composing
a page"): it prints the layout and its score and builds a proof into <out>/compose/variant-<n>/;
with --write it writes layout.yaml instead (the previous one kept as layout.yaml.bak). Frames
marked pinned: true, and ad frames, stay where they are; an existing arrangement is kept and
resized (--fresh searches anew). --variants <n> proposes n different arrangements (1 to 9).
handouts makes one handout PDF per row of a CSV table, the row's cells replacing the figures
of the same name, each named from a column (--name, default the first); a bad row is reported
and skipped (exit 1 at the end); a rerun skips rows whose inputs did not change; the summary
is <out>/handouts-summary.json. --shard i/n (0 <= i < n) makes only the rows whose index
modulo n is i, so n machines together make every row once.
preflight checks a PDF as a newspaper plant would (fonts, image resolution, page boxes, RGB or
spot colour, text on C/M/Y, hairlines, small text, ink over the limit, missing glyphs, overset)
and exits 1 when it fails.

Options:
  --out <folder>     output folder (default: out/<edition-folder-name>/)
  --allow-overset    build even when a story does not fit its frames; the overset point is
                     marked on the page and recorded in report.json (default: fail)
  --allow-overflow   build even when the page check fails: text or a chart label past its
                     frame, text printed over text, a font the page did not plan, text missing
                     (each printed as a warning and recorded in report.json; default: fail)
  --proof            also write proof.png: the page at screen resolution with the column and
                     baseline grid, frame outlines and names, and overset markers drawn over it
  --press            build: also write press.pdf, CMYK PDF/X-3 for the newsprint press (or the
                     printer's profile), with crop and registration marks and a slug line,
                     preflighted; errors stop it (exit 1). edition.yaml's "press:" does the same
                     (in watch too)
  --handout          build: also write handout.pdf, the story as a flowing, tagged document
                     (A4; running header, folios, outline); edition.yaml's "handout:" does the same
  --paper <name>     build, handouts: the handout's paper: a4 (default), a5, a3, letter
  --each <table.csv> handouts: the table, one handout per row
  --name <column>    handouts: the column that names each PDF (default: the first)
  --shard <i/n>      handouts: only the rows whose index modulo n is i (0 <= i < n)
  --tabs <n>         handouts: tabs printing at once (default: one per CPU core)
  --profile <name>   preflight: the printing condition to check for (default: newsprint)
  --json             preflight: the findings as JSON
  --timeout <s>      give up a build after this many seconds, writing nothing (default: 120)
  --debug            show stack traces of errors
  -h, --help         this text
  -v, --version      the version

The browser is found in this order: $CHROME_PATH or $PUPPETEER_EXECUTABLE_PATH, Puppeteer's own
download, a system Chromium or Chrome. "npm run setup" installs Debian's chromium where none is found.

Exit codes:
  0  success
  1  a problem in the edition (the message names the file, the place and the fix), or a PDF
     that fails preflight
  2  a wrong command line
  3  an internal error (a bug in Broadsheet; --debug shows the stack trace)
  4  a fault of the machine: no browser, a browser that crashed or was killed, a timeout, a full
     disk or an output folder that cannot be written, a missing press tool (Ghostscript, mutool,
     Argyll) or press profile (the message says what to install, set, run or free)`;

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
  /** a value that breaks its file's JSON Schema (load/structured.ts words the detail and fix) */
  schema: (place: Place, detail: string, fix: string) => new InputError(detail, place, fix),
  fileNotFound: (place: Place, ref: string, at: string) =>
    new InputError(`file "${ref}" not found`, place, `put the file at ${at} or correct the path`),
  placeholderMissing: (place: Place, ref: string, edition: string) =>
    new InputError(
      `file "${ref}" not found (a placeholder: true photo)`,
      place,
      `make its placeholder at its planned size with: npx broadsheet placeholders ${edition} (or put the photo there)`,
    ),
  noFrontMatter: (file: string) =>
    new InputError(
      'story.md must start with front matter between two "---" lines',
      { file, line: 1 },
      'add the headline group: ---\\nheadline: …\\n---',
    ),
  unsupportedBlock: (place: Place, kind: string) =>
    new InputError(
      `unsupported Markdown block (${kind})`,
      place,
      'write plain paragraphs, "## " heads and "::" directives',
    ),
  headingLevel: (place: Place, level: number) =>
    new InputError(
      `heading level ${level}: only "## " section heads are used in a story`,
      place,
      'write section heads as "## head"',
    ),
  markdownImage: (place: Place) =>
    new InputError(
      'a Markdown image in the story',
      place,
      'place photos with "::photo <id> <caption>" and a frame in layout.yaml',
    ),
  checkNeedsYears: (place: Place, name: string) =>
    new InputError(
      `figure "${name}": a cagr check needs "years"`,
      place,
      'add years: 5 (the span between the two figures)',
    ),
  frameTwice: (place: Place, id: string, first: Place) =>
    new InputError(
      `frame id "${id}" is used twice (first at ${placeText(first)})`,
      place,
      'give every frame its own id',
    ),
  flexKind: (place: Place, id: string) =>
    new InputError(
      `frame "${id}": only photo and chart frames can flex (minLines/maxLines)`,
      place,
      'remove minLines and maxLines',
    ),
  flexRange: (place: Place, id: string, lines: number) =>
    new InputError(
      `frame "${id}": needs minLines ≤ lines (${lines}) ≤ maxLines`,
      place,
      'give both minLines and maxLines around its lines',
    ),
  flexNothingBelow: (place: Place, kind: string, id: string) =>
    new InputError(
      `flexible ${kind} "${id}" has no text frame directly below it to give and take lines`,
      place,
      'put a text frame right under it, or remove minLines/maxLines',
    ),
  flexTextVanishes: (place: Place, kind: string, id: string) =>
    new InputError(`flexible ${kind} "${id}": at maxLines the text below it would vanish`, place, 'lower maxLines'),
  framesOverlap: (place: Place, a: string, b: string) =>
    new InputError(`frames "${a}" and "${b}" overlap`, place, 'move one of them or make it smaller'),
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
      'keep every file of the edition inside its folder (a symbolic link must point inside it) and use relative paths',
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
      `character "${ch}" (U+${codePoint(ch)}) is in no font of the ${face} face`,
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
    new MachineError(
      'no Chromium or Chrome found on this machine',
      'run "npm run setup" (it installs Debian\'s chromium-headless-shell or chromium), ' +
        'or set CHROME_PATH to a Chrome/Chromium binary',
    ),
  browserPathMissing: (key: string, value: string) =>
    new MachineError(
      `${key} points to ${value}, which does not exist`,
      `unset ${key}, or set it to a Chrome/Chromium binary that exists`,
    ),
  browserFailed: (exe: string, how: string, detail: string) =>
    new MachineError(
      `the browser ${exe} (found via ${how}) did not start: ${detail}`,
      'run "npm run setup", or set CHROME_PATH to a working Chrome/Chromium',
    ),
  browserLost: (exe: string, detail: string) =>
    new MachineError(
      `the browser ${exe} stopped during the build (${detail}): it was killed or it crashed`,
      'build again; if it happens again, free memory (the system may have ended it) ' +
        'or reinstall the browser with "npm run setup"',
    ),
  /** Ctrl-C: the same text before and after the command line has loaded (print/spawn.ts) */
  interrupted: (sig: string) => `\ninterrupted (${sig}); the previous output is unchanged\n`,
  timeout: (seconds: number) =>
    new MachineError(
      `the build did not finish within ${seconds} s; nothing was written`,
      'free the machine (other builds or programs are using its processors or memory) and build again, ' +
        'or raise --timeout',
    ),
  diskFull: (file: string, code: string) =>
    new MachineError(
      `the disk is full: ${file} could not be written (${code})`,
      'free space on that disk, or give a folder on another disk with --out',
    ),
  outputUnwritable: (file: string, code: string, detail: string) =>
    new MachineError(
      `${file} cannot be written (${code}: ${detail})`,
      'give a folder you can write to with --out, or make this one writable',
    ),
  usage: (detail: string) => new UsageError(`${detail}\nRun "broadsheet --help" for the options.`),
  composeVariants: (value: string) => msg.usage(`--variants takes a number from 1 to 9, not "${value}"`),
  argumentMissing: (command: string, what: string, example: string) =>
    msg.usage(`${command} needs ${what}, e.g. broadsheet ${command} ${example}`),
  timeoutTooLong: (value: string) =>
    msg.usage(`--timeout ${value} is longer than a build can wait (at most ${MAX_TIMEOUT_S} s)`),
  fontMissing: (file: string) =>
    new MachineError(
      `the font file ${file} is not installed`,
      'run "npm run setup" (or "npm run fonts", which installs the fonts alone)',
    ),
  pageErrors: (errors: string[]) => new InternalError(`the page reported errors: ${errors.join('; ')}`),
  fontsNotLoaded: (faces: string[], pageErrors: string[]) =>
    new InternalError(
      `fonts did not load: ${faces.join(', ')}${pageErrors.length ? ` (${pageErrors.join('; ')})` : ''}`,
    ),
  pageScriptMissing: () => new InternalError('the page script (/scripts/layout.js) did not run'),
  templateMissing: (name: string, dir: string) =>
    new InternalError(`template "${name}" missing from ${dir} (run "npm run compile" after adding one)`),
  chartWorkerStopped: (code: number, signal?: string) =>
    new InternalError(`the chart process stopped (${signal ? `signal ${signal}` : `exit code ${code}`})`),
  /** the text of an internal error (exit 3) */
  internal: (e: unknown) =>
    `Internal error (a bug in Broadsheet, not in your edition): ${e instanceof Error ? e.message : String(e)}\n` +
    '  Run again with --debug for the stack trace and report it.',
  warnUnderset: (chain: string, lines: number) => `story "${chain}": ${lines} empty lines at the end of its last frame`,
  copyFitted: (chain: string, frame: string, from: number, to: number) =>
    `story "${chain}": copy-fit set "${frame}" to ${to} lines (layout: ${from}) so the text fits`,
  derivedMismatch: (name: string, kind: string, stated: string, computed: number, unit: string, atLeast: boolean) =>
    `figure {${name}} states ${atLeast ? 'at least ' : ''}${stated}, but its inputs give ${computed}${unit} (${kind})`,
  literalFigure: (place: Place, form: string, name: string) =>
    `${placeText(place)}: "${form}" is written out; it equals {${name}}: write {${name}} so a correction reaches it`,
  changes: (c: ChangeSummary): string => {
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
  browserRestarted: () => 'the browser had stopped; a new one is started for this build',
  watching: (dir: string) => `watching ${dir} for changes (Ctrl-C to stop)`,
  warnOrphans: (chain: string, n: number) =>
    `story "${chain}": ${n} paragraph${n > 1 ? 's end' : ' ends'} on a line of a single character; ` +
    'add or cut a few characters',
  warnLowPpi: (photo: string, ppi: number) =>
    `photo "${photo}" is ${ppi.toFixed(0)} ppi at its placed size (300 wanted)`,
  composeNothing: (file: string) =>
    new InputError('the story has no text chain to compose', { file }, 'start the story with a line "::chain lead"'),
  composeNoFit: (file: string, need: number, area: number, charsPerLine: number) =>
    new InputError(
      need > area
        ? `no arrangement fits: the story and its visuals need about ${need} column-lines, the page has ${area} (about ${(need - area) * charsPerLine} 字 too many)`
        : `no arrangement fits the page exactly (the story and its visuals need about ${need} of the page's ${area} column-lines)`,
      { file },
      need > area
        ? `cut about ${(need - area) * charsPerLine} 字, or leave out a visual`
        : 'add or cut a few lines of text, or unpin a frame; "compose --fresh" ignores the earlier arrangement',
    ),
  composePinned: (file: string) =>
    new InputError(
      'the pinned frames cannot be composed around: they overlap the headline band at the top, or no straight cut across or down the page separates them',
      { file },
      'pin frames below the headline band that line up on the grid, or unpin one',
    ),
  composeScore: (n: number, total: number, parts: string) =>
    `variant ${n}: score ${(Math.round(total * 10) / 10).toFixed(1)} (lower is better): ${parts}`,
  composeRelaxed: (level: number) =>
    level === 1
      ? 'nothing fitted at the sizes that read best: charts and fact boxes were allowed a little smaller or larger, the lead picture narrower (the score says what it cost)'
      : 'nothing fitted exactly: some chains end a few lines short (the score names them; add text there, or pin less)',
  composeSpace: (frames: number, area: number, share: number) =>
    `the story is too short to fill its page: ${area} column-lines (${frames > 1 ? `${frames} frames "space…"` : 'frame "space"'}, marked 留版) ` +
    `are kept for other copy, the story and its visuals take about ${share} % of the page; fill them, or pin them where you want them`,
  composeTime: (ms: number) => `composed in ${(ms / 1000).toFixed(2)} s`,
  composeProofFindings: (n: number, count: number, found: string[]) =>
    `variant ${n}: the page check found ${count} problem${count === 1 ? '' : 's'} on its proof; a build of this layout stops on ${count === 1 ? 'it' : 'them'}` +
    found
      .slice(0, 5)
      .map((f) => `\n  ${f.split('\n')[0]}`)
      .join(''),
  composeNoPhotoYet: (id: string, file: string) =>
    `photo "${id}" has no file yet (${file}, placeholder: true): composed as a 3:2 landscape picture`,
  composePlaceholdersNext: (edition: string, n: number) =>
    `next: npx broadsheet placeholders ${edition} makes the ${n === 1 ? 'placeholder' : `${n} placeholders`} at the planned size`,
  composeKept: () => 'kept the arrangement of the existing layout.yaml and resized it (--fresh searches anew)',
  composeNotKept: (why: string) =>
    `the arrangement of the existing layout.yaml could not be kept (${why}); searched anew`,
  composeWrote: (file: string, bak: boolean) =>
    `wrote ${file}${bak ? ' (the previous one kept as layout.yaml.bak)' : ''}`,
  composeProof: (n: number, dir: string, agree: number, chains: number) =>
    `variant ${n}: proof in ${dir}/ (proof.png, broadsheet.pdf); ${agree} of ${chains} chains fit as predicted`,
  composeDisagree: (
    chain: string,
    p: { emptyLines: number; oversetLines: number },
    b: { emptyLines: number; oversetLines: number },
  ) =>
    `story "${chain}": predicted ${p.oversetLines ? `${p.oversetLines} lines over` : `${p.emptyLines} empty lines`}, the build has ${b.oversetLines ? `${b.oversetLines} lines over` : `${b.emptyLines} empty lines`}`,
  placeholderMade: (file: string, px: [number, number], w: number, h: number, again: boolean) =>
    `${file}: ${again ? 'made again' : 'made'}, ${px[0]} × ${px[1]} px for ${w.toFixed(1)} × ${h.toFixed(1)} mm at 300 ppi`,
  placeholderKept: (file: string, placeholder: boolean) =>
    `${file}: kept (${placeholder ? 'a placeholder of the right size' : 'a real photo; the build checks its resolution'})`,
  placeholderStale: (file: string, has: [number, number], px: [number, number]) =>
    `${file} is a placeholder of ${has[0]} × ${has[1]} px, but its frame now needs ${px[0]} × ${px[1]} px: run "broadsheet placeholders" with --force to make it again`,
  placeholderNotMarked: (place: Place, id: string) =>
    `${placeText(place)}: photo "${id}" now has a placeholder: mark it "placeholder: true" until the real photo is in`,
  placeholderNotJpeg: (place: Place, ref: string) =>
    new InputError(
      `placeholders are JPEG files, but "${ref}" is not named .jpg or .jpeg`,
      place,
      'name the file with .jpg (the real photo may be a JPEG or PNG later)',
    ),
  placeholdersDone: (made: number, stale: number) =>
    made
      ? `made ${made} placeholder${made === 1 ? '' : 's'}${stale ? `; ${stale} out of date (--force makes them again)` : ''}`
      : `no placeholder to make${stale ? `; ${stale} out of date (--force makes them again)` : ''}`,
  summary: (pdf: string, pages: number, seconds: number, warnings: number) =>
    `wrote ${pdf} (${plural(pages, 'page')}) in ${seconds.toFixed(2)} s` +
    (warnings ? `, ${plural(warnings, 'warning')}` : ''),

  /** Hostile and faulty input (issue 11): files that are not files, limits, duplicates, locks. */
  hostile: {
    notAFile: (file: string, what: string, kind: string) =>
      new InputError(
        `${what} is ${kind}, not a regular file; it was not opened`,
        { file },
        'put an ordinary file there (special files and folders are never read)',
      ),
    unreadable: (place: Place, code: string) =>
      new InputError(`the file cannot be read (${code})`, place, 'check that the file exists and can be read'),
    duplicateKey: (place: Place, key: string, firstLine: number) =>
      new InputError(
        `"${key}" is defined twice: first at line ${firstLine}, again here; the second would replace the first`,
        place,
        'give each its own name, or remove one',
      ),
    duplicateId: (place: Place, what: string, id: string, first: Place) =>
      new InputError(
        `${what} "${id}" is used twice: first at ${placeText(first)}, again here; one of them would be lost`,
        place,
        'give each its own id, or join the two',
      ),
    duplicateColumn: (place: Place, name: string, first: number, again: number) =>
      new InputError(
        `column "${name}" is in the header twice (columns ${first} and ${again}); a chart would read only one`,
        place,
        'give each column its own name',
      ),
    chartMemory: (place: Place, mb: number) =>
      new InputError(
        `the chart needs more than ${mb} MB to draw (an expression or transform that makes too much data); it was stopped`,
        place,
        'look for a sequence(), a large "calculate" or "flatten" and make it smaller',
      ),
    chartTime: (place: Place, seconds: number) =>
      new InputError(
        `the chart did not finish drawing within ${seconds} s (an expression or transform that runs too long); it was stopped`,
        place,
        'look for a sequence(), a loop-like transform or a very large data set and make it smaller',
      ),
    tooDeep: (place: Place, max: number) =>
      new InputError(
        `values are nested more than ${max} levels deep`,
        place,
        'an edition file this deep is damaged or made by a program: flatten it',
      ),
    aliasBomb: (place: Place, max: number) =>
      new InputError(
        `its anchors and aliases (&a, *a) expand to more than ${max} copies (an alias bomb, or an anchor used too often); the file was not read`,
        place,
        'write the values out, or use fewer aliases of aliases',
      ),
    notFinite: (place: Place, value: string) =>
      new InputError(`${value} is not a number that can be printed`, place, 'write a finite number there'),
    badDate: (place: Place, date: string) =>
      new InputError(`"${date}" is not a day of the calendar`, place, 'write the publication date as YYYY-MM-DD'),
    figureInChart: (place: Place, ref: string) =>
      new InputError(
        `${ref} in a chart spec would print as written: chart titles and labels are not bound to figures.yaml`,
        place,
        "put the figure in the chart's table (tables/*.csv cells are bound) or in its caption in story.md, or write the text out",
      ),
    chartLink: (place: Place) =>
      new InputError('a chart link ("href"): a printed page cannot be clicked', place, 'remove "href" from the spec'),
    imagePixels: (place: Place, w: number, h: number, max: number) =>
      new InputError(
        `image is ${w} × ${h} px (${((w * h) / 1e6).toFixed(0)} million pixels), more than the ${max / 1e6} million a page can use`,
        place,
        'scale the image down to 300 ppi at its printed size',
      ),
    cmykJpeg: (photo: string, file: string) =>
      `photo "${photo}" (${file}) is a CMYK JPEG: broadsheet.pdf shows it converted to RGB by the browser, ` +
      'and press.pdf converts that RGB back to the press profile (its own CMYK values are not kept); ' +
      'for exact press colour supply an RGB photo or check press.pdf',
    outLocked: (dir: string, pid: number, seconds: number) =>
      new MachineError(
        `another build (process ${pid}) is writing into ${dir}; it still was after ${seconds} s, so nothing was written`,
        'wait for that build to finish, or give this one another folder with --out',
      ),
    linkLoop: (place: Place, ref: string) =>
      new InputError(`"${ref}" is a loop of symbolic links`, place, 'replace the link with the file itself'),
  },

  /** Press output (src/press/, cli/preflight.ts): its machine faults, refusals, preflight findings and summaries. */
  press: {
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
        `press.pdf was not written: the preflight found ${plural(errors, 'error')} (listed above)`,
        { file: reportFile, path: '/preflight' },
        'correct what the table lists; broadsheet.pdf and report.json were written',
      ),
    staleRemoved: (file: string) => `removed the previous ${file}: it no longer matches the page`,
    written: (file: string, seconds: number, maxInk: number | undefined, warnings: number) =>
      `wrote ${file} (CMYK, PDF/X-3) in ${seconds.toFixed(2)} s` +
      (maxInk !== undefined ? `, ink at most ${pct(maxInk)}` : '') +
      (warnings ? `, ${plural(warnings, 'preflight warning')}` : ''),
    preflightSummary: (file: string, profile: string, errors: number, warnings: number, maxInk?: number) =>
      `preflight of ${file} for ${profile}: ${errors ? `FAILED, ${plural(errors, 'error')}` : 'passed'}` +
      (warnings ? `, ${plural(warnings, 'warning')}` : '') +
      (maxInk !== undefined ? `; ink at most ${maxInk} %` : ''),
    preflightOfPress: (profile: string) => `preflight of press.pdf (${profile}):`,
    /** the findings table's column heads: severity, rule, page, place, frame, object, message and fix */
    tableHead: ['', 'rule', 'page', 'at (x, y from trim)', 'frame', 'object', 'what, and the fix'],
    tableSeverity: (error: boolean) => (error ? 'ERROR' : 'warning'),
    tableMore: (n: number) => `… and ${n} more in report.json (preflight.findings)`,
    notAPdf: (file: string, detail: string) =>
      new InputError(`not a PDF that can be read: ${detail}`, { file }, 'give the path of a PDF file'),
    unknownProfile: (name: string, known: string[]) =>
      msg.usage(`unknown preflight profile "${name}" (known: ${known.join(', ')})`),
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
      textOnCmy: ([c, m, y, k]: [number, number, number, number]) => ({
        message:
          `black or grey text built with C, M or Y (C ${pct(c * 100)} M ${pct(m * 100)} Y ${pct(y * 100)} ` +
          `K ${pct(k * 100)}): it misregisters on newsprint`,
        fix: 'set neutral text in black only (K)',
      }),
      textSize: (size: number, min: number) => ({
        message: `text of ${size.toFixed(2)} pt, under the house minimum of ${min} pt`,
        fix: `set it at ${min} pt or larger (press.minTextPt in edition.yaml sets the house minimum)`,
      }),
      missingGlyph: (chars: string[]) => ({
        message: `${plural(chars.length, 'character')} without a glyph in the font (${[...new Set(chars)]
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
        message: `image at ${ppi.toFixed(0)} ppi at its placed size (${want} ${error ? 'is the minimum' : 'wanted'})`,
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
  },

  /** Handouts (src/handout/, cli/handouts.ts): handout.pdf and the batch of one handout per row. */
  handout: {
    noBrowser: () => new InternalError('a handout was asked of a build that has no browser of its own or given'),
    paperUnknown: (value: string, known: string[]) =>
      msg.usage(`--paper takes one of ${known.join(', ')}, not "${value}"`),
    written: (pdf: string, pages: number, paper: string, seconds: number) =>
      `wrote ${pdf} (${plural(pages, 'page')}, ${paper.toUpperCase()}) in ${seconds.toFixed(2)} s`,
    eachMissing: () => msg.usage('handouts needs --each <table.csv>: one handout is made per row of that table'),
    tableMissing: (file: string) =>
      new InputError(
        `the table ${file} does not exist`,
        { file },
        'give the path of a CSV file with one row per handout',
      ),
    tableEmpty: (file: string) =>
      new InputError('the table has no rows', { file }, 'add one row per handout under the header line'),
    nameColumn: (file: string, column: string, columns: string[]) =>
      new InputError(
        `the table has no column "${column}" to name the handouts by`,
        { file, line: 1 },
        `use --name with one of: ${columns.join(', ')}`,
      ),
    shard: (value: string) =>
      msg.usage(
        `--shard takes i/n with 0 <= i < n (the shard's index from 0, as JOB_COMPLETION_INDEX), not "${value}"`,
      ),
    badCell: (file: string, line: number, row: number, column: string, value: string) =>
      new InputError(
        `row ${row}: "${value}" in column "${column}" is not a number, and "${column}" is a figure`,
        { file, line },
        `write the figure's value as a number (e.g. 1234.5), or leave the cell empty to keep figures.yaml's`,
      ),
    emptyName: (file: string, line: number, row: number, column: string) =>
      new InputError(
        `row ${row}: the column "${column}" that names the handout is empty`,
        { file, line },
        'give every row a name, or choose another column with --name',
      ),
    rowFailed: (row: number, name: string, detail: string) => `row ${row} (${name}): ${detail}`,
    progress: (done: number, total: number, failed: number, skipped: number, leftS: number | undefined) =>
      `handouts ${done}/${total}` +
      (skipped ? `, ${skipped} unchanged` : '') +
      (failed ? `, ${failed} failed` : '') +
      (leftS !== undefined ? `, about ${Math.ceil(leftS)} s left` : ''),
    summary: (made: number, skipped: number, failed: number, total: number, seconds: number, file: string) =>
      `made ${plural(made, 'handout')}, ${skipped} unchanged, ${failed} failed of ${total} rows in ` +
      `${seconds.toFixed(1)} s (${total && seconds ? ((made / seconds) * 60).toFixed(0) : 0}/min); summary in ${file}`,
  },
};

/** A percentage of ink, "240 %". */
function pct(v: number): string {
  return `${v.toFixed(0)} %`;
}

/** "1 page", "2 pages". */
function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** U+4E2D */
function codePoint(ch: string): string {
  return (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

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

/** What the score of a composed page found, rule by rule (composer/score.ts), and why an arrangement could not be kept (composer/keep.ts). */
export const composeNotes = {
  noText: (chain: string) => `${chain}: no text frame`,
  over: (chain: string, n: number) => `${chain}: ${n} lines over`,
  empty: (chain: string, n: number) => `${chain}: ${n} empty lines`,
  widows: (chain: string, n: number) => `${chain}: ${n} single lines at a column's top or foot`,
  leg: (frame: string, n: number) => `${frame}: legs of ${n} lines`,
  headSize: (frame: string, pt: number, cols: number) => `${frame}: head set at ${pt.toFixed(1)} pt in ${cols} columns`,
  headNotAbove: (chain: string) => `${chain}: the head is not above the start of its text`,
  backwards: (chain: string, frame: string, before: string) =>
    `${chain}: ${frame} is read after ${before} but is not right of or below it`,
  jumps: (chain: string, other: string, from: string, to: string) =>
    `${chain}: jumps over ${other} from ${from} to ${to}`,
  leadNotFirst: (chain: string) => `${chain}: the lead is not read first, right under the headline`,
  leadUnderPicture: (chain: string) => `${chain}: set under a picture`,
  leadNarrow: (chain: string) => `${chain}: the lead is narrower than half the page`,
  foreign: (chain: string, frames: string[]) => `${chain}: its module holds ${frames.join(', ')}`,
  far: (id: string, steps: number, home: string) => `${id}: ${steps} grid steps from its section ${home}`,
  cropped: (id: string, dev: number) => `${id}: cropped ${(dev * 100).toFixed(0)} % off its aspect ratio`,
  share: (id: string, share: number, max: number) =>
    `${id}: ${(share * 100).toFixed(0)} % of the page (at most ${max * 100} %)`,
  ppi: (id: string, ppi: number) => `${id}: ${ppi.toFixed(0)} ppi`,
  chartWidth: (id: string, cols: number, min: number, max: number) =>
    `${id}: ${cols} columns wide (reads well at ${min}–${max})`,
  chartHeight: (id: string, mm: number, min: number, max: number) =>
    `${id}: plot ${mm.toFixed(0)} mm tall (reads well at ${min.toFixed(0)}–${max.toFixed(0)} mm)`,
  factbox: (id: string, lines: number, min: number, max: number) =>
    `${id}: ${lines} lines (holds its items in ${min}–${max})`,
  overLead: (id: string, lead: string) => `${id} is larger than ${lead}, the lead picture`,
  leadNotDominant: (lead: string, other: string) => `${lead}, the lead picture, is not 1.5 times the size of ${other}`,
  ranked: (id: string, above: string) => `${id} is larger than ${above}, which ranks above it`,
  banner: () => 'the series banner is not across the top of the page',
  headline: () => 'the headline group is not across the top of the page',
  twins: (a: string, b: string) => `${a} and ${b} side by side at the same size`,
  bump: (a: string, b: string) => `${a} and ${b} side by side`,
  whitespace: (cells: number) => `${cells} grid cells (column × line) hold nothing`,
  keepNoFrame: (chain: string) => `the story's chain "${chain}" had no frame in the earlier layout`,
  keepNotModular: () =>
    'the earlier layout is not made of rectangular sections cut straight across the page in story order',
  keepNoHeights: (first: number, last: number) =>
    `the sections in columns ${first}–${last} no longer fit in their place at any height`,
};

/** The page check after layout (check/page.ts, issue 12): errors unless --allow-overflow, lints. */
export const pageMsg = {
  pastFrame: (place: Place, frame: string, text: string, side: string, mm: number) =>
    new InputError(
      `frame "${frame}": "${text}" reaches ${mm.toFixed(2)} mm past the frame's ${side} edge`,
      place,
      'shorten that text or enlarge the frame there (or build with --allow-overflow to print it as it is)',
    ),
  textOver: (place: Place, frame: string, other: string, text: string, mm: number) =>
    new InputError(
      `frame "${frame}": text printed over ${other === frame ? 'other text of the frame' : `frame "${other}"`} ("${text}", ${mm.toFixed(2)} mm)`,
      place,
      'move or enlarge one of the frames in layout.yaml, or shorten the text (or build with --allow-overflow)',
    ),
  foreignFont: (file: string, fonts: string[], planned: string[]) =>
    new InputError(
      `the PDF holds ${fonts.length === 1 ? 'a font' : 'fonts'} the page did not plan: ${fonts.join(', ')} (planned: ${planned.join(', ')})`,
      { file },
      'a character is printed by a style whose face was not planned for it: report it with this edition (src/fonts/roles.ts maps styles to faces); --allow-overflow prints it as it is',
    ),
  missingText: (place: Place, chain: string, text: string) =>
    new InputError(
      `story "${chain}": "${text}" is not on the page`,
      place,
      'report it with this edition (the text was lost between threading and the page); --allow-overflow prints it as it is',
    ),
  checked: (findings: number) =>
    `page check: ${findings ? `${findings} findings` : 'every frame holds its content, only planned fonts'}`,
  unitTwice: (where: string, printed: string) =>
    `${where}: a unit printed twice ("${printed}"): the figure prints its unit already; remove the one written after {figure} or use {figure:num}`,
  markTwice: (where: string, text: string) =>
    `${where}: "${text}" printed with two marks: the page adds ▲ before a caption and ■ before a byline; remove the one written in the text`,
};

/** figures.yaml in the wrong form as a whole (load/figures-form.ts, issue 12). */
export const figuresMsg = {
  plainNumbers: (place: Place, n: number, name: string, value: string) =>
    new InputError(
      `${n} figures are written as plain values (${name}: ${value}); each figure is a map with its value and how it prints`,
      place,
      `write each as, for example:  ${name}: { value: ${value}, unit: 亿元 }  (unit, scale 万/亿, decimals, label: see "figures.yaml" in README.md)`,
    ),
};

/** The headline group set to its frame (compose/headline.ts, check/page.ts; issue 12). */
export const headlineMsg = {
  tooWide: (
    place: Place,
    part: string,
    text: string,
    pt: number,
    sharePct: number,
    housePt: number,
    widthMm: number,
    frameMm: number,
    frame: string,
    framePlace: string,
    cut: number,
  ) =>
    new InputError(
      `the ${part} "${text}" does not fit on one line: ${widthMm.toFixed(1)} mm wide at ${fmtPt(pt)} pt, the smallest the house allows (no smaller than ${sharePct} % of ${housePt} pt), in frame "${frame}" (${framePlace}) ${frameMm.toFixed(1)} mm wide with half an em of air each side`,
      place,
      `shorten the ${part} by about ${cut} character${cut === 1 ? '' : 's'}, or widen the frame in layout.yaml (or build with --allow-overflow to print it as it is)`,
    ),
  tooTall: (place: Place, frame: string, needs: number, has: number, file: string) =>
    new InputError(
      `frame "${frame}" is ${has} lines tall; its headline group (kicker, main head, subhead, byline, each on one line) needs ${needs}`,
      place,
      `make it "lines: ${needs}" (and move the frames under it down), or shorten the headline group in ${file}; broadsheet compose --write sizes it (or build with --allow-overflow)`,
    ),
  composeTooWide: (part: string, pt: number) =>
    `the ${part} does not fit on one line across the page even at ${fmtPt(pt)} pt, the smallest the house allows: the build will refuse it until it is shortened`,
  shrunk: (part: string, pt: number, housePt: number) =>
    `the ${part} is set at ${fmtPt(pt)} pt (house size ${housePt} pt) to fit on one line`,
};
const fmtPt = (pt: number) => (Number.isInteger(pt) ? String(pt) : pt.toFixed(1));
