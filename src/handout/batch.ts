/**
 * Handouts in a batch: one handout per row of a CSV table, the row's cells overriding the
 * figures of the same name (figures.yaml), one PDF per row named from a column. Rows are
 * printed by a pool of tabs in one browser; a bad row is reported with its row number and
 * skipped, the others made; a rerun skips a row whose inputs (its cells, the edition's files,
 * the paper and Broadsheet's version) are unchanged (a manifest of input hashes in
 * <out>/.handouts/); every row's result goes into a summary. `shard` splits the rows by row
 * index modulo n, so that n runs (machines) together make every row exactly once; names are
 * made unique over the whole table first, so every shard names a row the same way.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { bind } from '../bind/figures.js';
import type { Edition, FigureDef } from '../load/edition.js';
import { InputError, MachineError, msg } from '../messages.js';
import { writeAtomic } from '../output/write.js';
import { ROOT } from '../paths.js';
import type { Launched } from '../print/browser.js';
import { HandoutTab } from './print.js';
import { makeHandout, type HandoutSettings } from './stage.js';

export interface Shard {
  index: number;
  count: number;
}

/** --shard i/n: 0 <= i < n (i as Kubernetes' JOB_COMPLETION_INDEX gives it). */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !(count >= 1) || !(index < count)) throw msg.handout.shard(value);
  return { index, count };
}

export interface Row {
  /** 1-based data row (the header is row 0) */
  row: number;
  /** line in the CSV file */
  line: number;
  cells: Record<string, string>;
  /** the PDF's file name: from the name column, sanitised and unique over the table */
  file: string;
  name: string;
}

export interface RowTable {
  file: string;
  columns: string[];
  rows: Row[];
}

/** The table, its rows named from `nameColumn` (default: the first column). */
export function readRows(file: string, nameColumn?: string): RowTable {
  if (!existsSync(file) || !statSync(file).isFile()) throw msg.handout.tableMissing(file);
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { info: true, skip_empty_lines: true, relax_column_count: false }) as typeof records;
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw msg.csvSyntax(file, err.lines, String(err.message ?? e));
  }
  const [header, ...data] = records;
  if (!header || !data.length) throw msg.handout.tableEmpty(file);
  const columns = header.record.map((c) => c.trim());
  const nameCol = nameColumn ?? columns[0]!;
  if (!columns.includes(nameCol)) throw msg.handout.nameColumn(file, nameCol, columns);
  const used = new Set<string>();
  const rows = data.map((r, i): Row => {
    const cells = Object.fromEntries(columns.map((c, k) => [c, (r.record[k] ?? '').trim()]));
    const name = cells[nameCol] ?? '';
    const file = uniqueName(sanitise(name) || `row-${i + 1}`, used);
    return { row: i + 1, line: r.info.lines, cells, file: `${file}.pdf`, name };
  });
  return { file, columns, rows };
}

/** A file name from a cell: no path separators, control or reserved characters, no leading dot. */
export function sanitise(name: string): string {
  return name
    .normalize('NFC')
    .replace(/\p{Cc}+/gu, '_')
    .replace(/[/\\:*?"<>|]+/g, '_')
    .replace(/\s+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, 100);
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}-${k}`;
  used.add(name.toLowerCase());
  return name;
}

/** The rows of one shard: row index (0-based) modulo n. */
export function shardRows<T>(rows: T[], shard: Shard | undefined): T[] {
  return shard ? rows.filter((_, i) => i % shard.count === shard.index) : rows;
}

/** The edition with the row's cells as the values of the figures of the same name; a bad cell is an error. */
export function withRow(ed: Edition, table: string, r: Row): Edition {
  const figures = ed.figures.data;
  const changed: Record<string, FigureDef> = {};
  for (const [column, value] of Object.entries(r.cells)) {
    const f = figures[column];
    if (!f || value === '') continue;
    const v = Number(value.replace(/,/g, ''));
    if (!Number.isFinite(v)) throw msg.handout.badCell(table, r.line, r.row, column, value);
    // a figure printed in words (display) prints the row's number instead
    const { display: _display, ...rest } = f;
    changed[column] = { ...rest, value: v };
  }
  if (!Object.keys(changed).length) return ed;
  return { ...ed, figures: { ...ed.figures, data: { ...figures, ...changed } } };
}

/** A hash of every file of the edition folder (names and bytes), and of what makes the handout. */
export function editionHash(ed: Edition, settings: HandoutSettings): string {
  const h = createHash('sha256');
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs, `${rel}${e.name}/`);
      else if (e.isFile()) h.update(`${rel}${e.name}\0`).update(readFileSync(abs)).update('\0');
    }
  };
  walk(ed.dir, '');
  const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  h.update(JSON.stringify({ settings, version }));
  return h.digest('hex');
}

export function rowHash(edition: string, r: Row): string {
  return createHash('sha256')
    .update(JSON.stringify([edition, r.file, r.cells]))
    .digest('hex');
}

export interface RowResult {
  row: number;
  line: number;
  name: string;
  file: string;
  status: 'made' | 'unchanged' | 'failed';
  pages?: number;
  bytes?: number;
  ms?: number;
  /** where its time went: charts, compose, print (fit included), finish, ms */
  parts?: Record<string, number>;
  error?: string;
  /** the figures the row's cells set */
  figures?: Record<string, number>;
}

export interface BatchSummary {
  edition: string;
  table: string;
  paper: string;
  shard: string | null;
  rows: RowResult[];
  made: number;
  unchanged: number;
  failed: number;
  seconds: number;
  /** handouts made per minute (made rows over the run's time) */
  perMinute: number;
  /** the process's resident memory, MB: after the first row made, and the highest */
  rssMb: { first: number; max: number; last: number };
}

export interface BatchOptions {
  ed: Edition;
  table: RowTable;
  settings: HandoutSettings;
  outDir: string;
  shard?: Shard;
  tabs: number;
  launched: Launched;
  progress(done: number, total: number, failed: number, skipped: number, leftS: number | undefined): void;
}

/** Where the manifests live; one per shard, so shards on shared storage never write the same file. */
const MANIFESTS = '.handouts';

function readManifests(outDir: string): Map<string, string> {
  const dir = path.join(outDir, MANIFESTS);
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)
    .filter((n) => n.startsWith('manifest') && n.endsWith('.json'))
    .sort()) {
    try {
      const m = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { rows?: Record<string, string> };
      for (const [file, hash] of Object.entries(m.rows ?? {})) out.set(file, hash);
    } catch {
      /* a damaged manifest: its rows are made again */
    }
  }
  return out;
}

export function shardLabel(shard: Shard | undefined): string {
  return shard ? `-${shard.index}-of-${shard.count}` : '';
}

export async function runBatch(o: BatchOptions): Promise<BatchSummary> {
  const t0 = performance.now();
  const rows = shardRows(o.table.rows, o.shard);
  const edHash = editionHash(o.ed, o.settings);
  const known = readManifests(o.outDir);
  const manifestFile = path.join(o.outDir, MANIFESTS, `manifest${shardLabel(o.shard)}.json`);
  const manifest: Record<string, string> = {};
  mkdirSync(path.dirname(manifestFile), { recursive: true });
  const results: RowResult[] = new Array<RowResult>(rows.length);
  const rss = { first: 0, max: 0, last: 0 };
  let done = 0;
  let failed = 0;
  let skipped = 0;
  let made = 0;
  let next = 0;
  let fatal: Error | undefined;
  const saveManifest = () => writeAtomic(manifestFile, JSON.stringify({ edition: edHash, rows: manifest }, null, 1));

  const worker = async (tab: HandoutTab) => {
    while (fatal === undefined) {
      const k = next++;
      const r = rows[k];
      if (!r) return;
      const base = { row: r.row, line: r.line, name: r.name, file: r.file };
      const hash = rowHash(edHash, r);
      const target = path.join(o.outDir, r.file);
      if (known.get(r.file) === hash && existsSync(target)) {
        manifest[r.file] = hash;
        results[k] = { ...base, status: 'unchanged' };
        skipped++;
      } else {
        const t = performance.now();
        try {
          const ed = withRow(o.ed, o.table.file, r);
          const figures = Object.fromEntries(
            Object.entries(ed.figures.data)
              .filter(([n]) => r.cells[n] !== undefined && r.cells[n] !== '')
              .map(([n, f]) => [n, f.value]),
          );
          const h = await makeHandout(ed, bind(ed), o.settings, tab);
          writeAtomic(target, h.bytes);
          manifest[r.file] = hash;
          const ms = Math.round(performance.now() - t);
          const parts: Record<string, number> = {};
          for (const [n, v] of [...Object.entries(h.ms), ['fit', h.fitted.ms] as const]) parts[n] = Math.round(v);
          results[k] = { ...base, status: 'made', pages: h.pages, bytes: h.bytes.length, ms, parts, figures };
          made++;
          const m = process.memoryUsage().rss / 2 ** 20;
          if (!rss.first) rss.first = Math.round(m);
          rss.max = Math.max(rss.max, Math.round(m));
          rss.last = Math.round(m);
        } catch (e) {
          if (!(e instanceof InputError)) {
            // the machine's fault (browser, disk) or ours: the run stops, what is made stays
            const why = o.launched.explain(e);
            fatal ??= why instanceof Error ? why : new Error(String(why));
            results[k] = { ...base, status: 'failed', error: describe(fatal) };
            failed++;
            return;
          }
          results[k] = { ...base, status: 'failed', error: e.describe() };
          failed++;
        }
      }
      done++;
      const elapsed = (performance.now() - t0) / 1000;
      const workDone = done - skipped;
      const left = rows.length - done;
      o.progress(done, rows.length, failed, skipped, workDone ? (elapsed / workDone) * left : undefined);
      if (done % 20 === 0) saveManifest();
    }
  };
  const tabs = Array.from(
    { length: Math.max(1, Math.min(o.tabs, rows.length)) },
    () => new HandoutTab(o.launched.browser),
  );
  try {
    await Promise.all(tabs.map(worker));
  } finally {
    saveManifest();
    await Promise.all(tabs.map((t) => t.close()));
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary: BatchSummary = {
    edition: o.ed.name,
    table: o.table.file,
    paper: o.settings.paper,
    shard: o.shard ? `${o.shard.index}/${o.shard.count}` : null,
    rows: results.filter(Boolean),
    made,
    unchanged: skipped,
    failed,
    seconds: Math.round(seconds * 100) / 100,
    perMinute: seconds ? Math.round((made / seconds) * 60 * 10) / 10 : 0,
    rssMb: rss,
  };
  writeAtomic(summaryPath(o.outDir, o.shard), JSON.stringify(summary, null, 2) + '\n');
  if (fatal !== undefined) throw fatal;
  return summary;
}

export function summaryPath(outDir: string, shard: Shard | undefined): string {
  return path.join(outDir, `handouts-summary${shardLabel(shard)}.json`);
}

function describe(e: unknown): string {
  if (e instanceof InputError || e instanceof MachineError) return e.describe();
  return String((e as Error).message ?? e);
}
