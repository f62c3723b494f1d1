/**
 * The preflight's rules, each on a PDF written by hand to break it (places worked out by hand
 * from the fixture's coordinates), the pure pieces of press output, and the command line:
 * `preflight` exit codes, a build whose profile or Ghostscript is missing (exit 4, nothing
 * written), a build past its deadline in the press stage (its tools stopped, nothing written).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/paths.js';
import { PROFILES, inkRegions, neutralOnCmy, preflightPdf, type Finding } from '../src/press/preflight.js';
import { convertContent, neutralOf } from '../src/press/colours.js';
import { parseTrace } from '../src/press/trace.js';
import { iccInfo, gsProfileDir, iccDir, NEWSPRINT_FILE } from '../src/press/profiles.js';
import { findingsTable } from '../src/press/table.js';
import { runTool } from '../src/press/tools.js';
import { rawPdf, tempDir } from './helpers.js';

const tmp = () => tempDir('broadsheet-preflight-');
const newsprint = PROFILES.newsprint!;

/**
 * A one-page fixture: a 400 × 400 pt sheet, TrimBox 20–380 pt (127 mm square), BleedBox 3 mm
 * (8.5 pt) outside it. Place in mm from the trim's top left: x = (X − 20) / 2.8346,
 * y = (380 − Y_top) / 2.8346.
 */
function fixture(
  content: string,
  resources = '<< >>',
  extra: string[] = [],
  boxes = '/TrimBox [20 20 380 380] /BleedBox [11.5 11.5 388.5 388.5]',
) {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 400] ${boxes} /Resources ${resources} /Contents 4 0 R >>`,
    `<< >>stream\n${content}\nendstream`,
    ...extra,
  ]);
}
const HELVETICA = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';

const find = (fs: Finding[], rule: Finding['rule']) => {
  const f = fs.find((x) => x.rule === rule);
  assert.ok(f, `no ${rule} finding in ${JSON.stringify(fs.map((x) => x.rule))}`);
  return f;
};
const near = (a: number | undefined, e: number, tol = 0.6) =>
  assert.ok(a !== undefined && Math.abs(a - e) <= tol, `${a} ≠ ${e}`);

test('320 % ink: an error at its place (20, 20 mm, 20 mm square), with the ink measured', async () => {
  // 20 mm = 56.693 pt; the square's top edge 20 mm below the trim's top (380 − 56.693)
  const r = await preflightPdf(fixture('0.8 0.8 0.8 0.8 k 76.693 266.614 56.693 56.693 re f'), newsprint);
  const f = find(r.findings, 'ink-limit');
  assert.is(f.severity, 'error');
  near(f.at?.x, 20);
  near(f.at?.y, 20);
  near(f.at?.w, 20);
  near(f.at?.h, 20);
  assert.match(f.message, /320 %/);
  assert.ok(Math.abs((r.maxInk ?? 0) - 320) < 1, `max ink ${r.maxInk}`);
  // 240 % exactly is within the limit
  const ok = await preflightPdf(fixture('0.6 0.6 0.6 0.6 k 76.693 266.614 56.693 56.693 re f'), newsprint);
  assert.not.ok(ok.findings.some((x) => x.rule === 'ink-limit'));
});

test('a 0.1 pt rule (stroked, or a filled sliver) is a hairline error at its place', async () => {
  const r = await preflightPdf(fixture('0 0 0 1 K 0.1 w 76.693 200 m 303.465 200 l S'), newsprint);
  const f = find(r.findings, 'hairline');
  assert.is(f.severity, 'error');
  assert.match(f.object, /0\.10 pt/);
  near(f.at?.x, 20);
  near(f.at?.y, 63.5); // (380 − 200) / 2.8346
  near(f.at?.w, 80);
  const filled = await preflightPdf(fixture('0 0 0 1 k 76.693 200 226.772 0.1 re f'), newsprint);
  near(find(filled.findings, 'hairline').at?.y, 63.5);
  const thick = await preflightPdf(fixture('0 0 0 1 K 0.3 w 76.693 200 m 303.465 200 l S'), newsprint);
  assert.not.ok(thick.findings.some((x) => x.rule === 'hairline'));
});

test('a 72 ppi photo is an error, a 200 ppi one a warning, with the measured resolution', async () => {
  const img = (px: number) =>
    `<< /Type /XObject /Subtype /Image /Width ${px} /Height ${px} /ColorSpace /DeviceGray /BitsPerComponent 8 >>stream\n${'\x80'.repeat(px * px)}\nendstream`;
  // one inch square: its pixels are its ppi; the top edge at Y 172 → (380 − 172) / 2.8346 = 73.4 mm
  const r = await preflightPdf(
    fixture('q 72 0 0 72 76.693 100 cm /Im1 Do Q', '<< /XObject << /Im1 5 0 R >> >>', [img(72)]),
    newsprint,
  );
  const f = find(r.findings, 'image-ppi');
  assert.is(f.severity, 'error');
  assert.match(f.message, /72 ppi/);
  near(f.at?.x, 20);
  near(f.at?.y, 73.4);
  near(f.at?.w, 25.4);
  const w = await preflightPdf(
    fixture('q 72 0 0 72 76.693 100 cm /Im1 Do Q', '<< /XObject << /Im1 5 0 R >> >>', [img(200)]),
    newsprint,
  );
  assert.is(find(w.findings, 'image-ppi').severity, 'warning');
  assert.match(find(w.findings, 'image-ppi').message, /200 ppi/);
});

test('a Type 3 font is an error; a font not embedded is an error', async () => {
  const t3 =
    '<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /a 6 0 R >> /Encoding << /Type /Encoding /Differences [65 /a] >> /FirstChar 65 /LastChar 65 /Widths [1000] /Resources << >> >>';
  const proc = '<< >>stream\n1000 0 d0 0 0 0 1 k 0 0 1000 1000 re f\nendstream';
  const r = await preflightPdf(
    fixture('BT /F1 12 Tf 100 300 Td (A) Tj ET', '<< /Font << /F1 5 0 R >> >>', [t3, proc]),
    newsprint,
  );
  assert.is(find(r.findings, 'font-type3').severity, 'error');
  const h = await preflightPdf(
    fixture('0 0 0 1 k BT /F1 12 Tf 100 300 Td (Ab) Tj ET', '<< /Font << /F1 5 0 R >> >>', [HELVETICA]),
    newsprint,
  );
  assert.match(find(h.findings, 'font-embedded').object, /Helvetica/);
});

test('black text built from C, M and Y is an error; K-only and coloured text are not', async () => {
  const text = (colour: string) =>
    preflightPdf(
      fixture(`${colour} k BT /F1 10 Tf 76.693 300 Td (Rich) Tj ET`, '<< /Font << /F1 5 0 R >> >>', [HELVETICA]),
      newsprint,
    );
  const rich = await text('0.6 0.5 0.5 1');
  const f = find(rich.findings, 'text-cmy');
  assert.match(f.object, /Rich/);
  near(f.at?.x, 20);
  assert.not.ok((await text('0 0 0 1')).findings.some((x) => x.rule === 'text-cmy'));
  assert.not.ok(
    (await text('0 0.85 0.86 0.1')).findings.some((x) => x.rule === 'text-cmy'),
    'red text is colour, not rich black',
  );
  // by hand: C 60 M 50 Y 50 K 100 is black on four plates; 0/85/86/10 is a red
  assert.ok(neutralOnCmy(0.6, 0.5, 0.5, 1) && !neutralOnCmy(0, 0.85, 0.86, 0.1) && !neutralOnCmy(0, 0, 0, 1));
});

test('text under the house minimum, a missing glyph, a spot colour, transparency and RGB each fire', async () => {
  const res = '<< /Font << /F1 5 0 R >> >>';
  const small = await preflightPdf(
    fixture('0 0 0 1 k BT /F1 4 Tf 100 300 Td (tiny) Tj ET', res, [HELVETICA]),
    newsprint,
  );
  assert.match(find(small.findings, 'text-size').message, /4\.00 pt, under the house minimum of 6 pt/);
  const larger = await preflightPdf(fixture('0 0 0 1 k BT /F1 4 Tf 100 300 Td (tiny) Tj ET', res, [HELVETICA]), {
    ...newsprint,
    minTextPt: 3,
  });
  assert.not.ok(larger.findings.some((x) => x.rule === 'text-size'));
  const notdef = await preflightPdf(
    fixture('0 0 0 1 k BT /F1 12 Tf 100 300 Td (A\\001B) Tj ET', res, [HELVETICA]),
    newsprint,
  );
  assert.match(find(notdef.findings, 'missing-glyph').message, /1 character without a glyph/);
  const spot = await preflightPdf(
    fixture(
      '/Sp cs 1 scn 100 100 50 50 re f',
      '<< /ColorSpace << /Sp [/Separation /PANTONE#20185#20C /DeviceCMYK 5 0 R] >> >>',
      ['<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 1 0.8 0] /N 1 >>'],
    ),
    newsprint,
  );
  assert.match(find(spot.findings, 'spot-colour').message, /PANTONE 185 C/);
  const alpha = await preflightPdf(
    fixture('/G1 gs 0 0 0 1 k 100 100 50 50 re f', '<< /ExtGState << /G1 << /ca 0.5 >> >> >>'),
    newsprint,
  );
  const t = find(alpha.findings, 'transparency');
  near(t.at?.x, 28.2); // (100 − 20) / 2.8346
  near(t.at?.y, 81.1); // (380 − 150) / 2.8346
  const rgb = await preflightPdf(fixture('1 0 0 rg 100 100 50 50 re f'), newsprint);
  assert.is(find(rgb.findings, 'rgb').severity, 'error');
  // none of these fixtures is PDF/X
  assert.is(find(rgb.findings, 'output-intent').severity, 'error');
});

test('page boxes: a missing TrimBox, a trim of the wrong size, a bleed under 3 mm', async () => {
  const none = await preflightPdf(fixture('0 0 0 1 k 100 100 50 50 re f', '<< >>', [], ''), newsprint);
  assert.match(find(none.findings, 'page-boxes').message, /no TrimBox/);
  const size = await preflightPdf(fixture('0 0 0 1 k 100 100 50 50 re f'), newsprint, { trim: { w: 390, h: 545 } });
  assert.match(find(size.findings, 'page-boxes').message, /trim is 127\.00 × 127\.00 mm, not 390 × 545 mm/);
  const thin = await preflightPdf(
    fixture('0 0 0 1 k 100 100 50 50 re f', '<< >>', [], '/TrimBox [20 20 380 380] /BleedBox [17 17 383 383]'),
    newsprint,
  );
  const b = find(thin.findings, 'page-boxes');
  assert.is(b.severity, 'warning');
  assert.match(b.message, /bleed of 1\.06 mm/);
});

test('overset (known to the build, or from report.json beside the PDF) is an error with the frame’s place', async () => {
  const r = await preflightPdf(fixture('0 0 0 1 k 100 100 50 50 re f'), newsprint, {
    overset: [{ chain: 'end', chars: 42, lines: 4, box: { x: 10, y: 20, w: 30, h: 40 } }],
  });
  const f = find(r.findings, 'overset');
  assert.match(f.message, /story "end" is overset: 42 字 \(4 lines\)/);
  assert.equal(f.at, { x: 10, y: 20, w: 30, h: 40 });
});

test('pure parts: near-greys, colour operators rewritten and nothing else, the trace, ink regions, the table, ICC headers', () => {
  // #231f20: a grey of its luminance, between its channels; a red and an exact grey are left alone
  const g = neutralOf(35 / 255, 31 / 255, 32 / 255)!;
  assert.ok(g > 31 / 255 && g < 35 / 255, String(g));
  assert.is(neutralOf(181 / 255, 18 / 255, 27 / 255), undefined);
  assert.is(neutralOf(0.5, 0.5, 0.5), undefined);
  const src = Buffer.from(
    'q 0.1 0.2 0.3 rg (a 1 0 0 rg b) Tj 1 0 0 RG /CS0 cs 0.5 0.5 0.5 sc BI /W 1 ID 1 0 0 rg EI /DeviceGray cs 0.5 sc Q',
  );
  const r = convertContent(src, new Set(['CS0']), (c) => [c[0], c[1], c[2], 0.5]);
  assert.is(
    Buffer.from(r.bytes).toString(),
    'q 0.1 0.2 0.3 0.5 k (a 1 0 0 rg b) Tj 1 0 0 0.5 K /DeviceCMYK cs 0.5 0.5 0.5 0.5 sc BI /W 1 ID 1 0 0 rg EI /DeviceGray cs 0.5 sc Q',
  );
  assert.equal(r.colours.length, 3);
  // trace: a span's size is its matrix times the object's
  const [page] = parseTrace(
    '<page number="1" mediabox="0 0 100 100"><fill_text colorspace="DeviceCMYK" color="0 0 0 1" transform="2 0 0 -2 0 100"><span font="X" trm="9 0 0 9"><g unicode="&#x4e2d;" glyph="5" x="10" y="20" adv="1"/></span></fill_text></page>',
  );
  const t = page!.objects[0]!;
  assert.ok(t.kind === 'text' && t.size === 18 && t.glyphs[0]!.unicode === '中');
  // ink regions: a 3 × 2 pixel block of 320 % in a 10 × 10 raster at 1 px per pt
  const cmyk = new Uint8Array(400);
  for (const [x, y] of [
    [4, 5],
    [5, 5],
    [6, 5],
    [4, 6],
    [5, 6],
    [6, 6],
  ])
    cmyk.fill(204, (y! * 10 + x!) * 4, (y! * 10 + x!) * 4 + 4);
  const ink = inkRegions(
    { page: 1, width: 10, height: 10, scale: 1, cmyk },
    {
      page: { number: 1, mediaBox: { x0: 0, y0: 0, x1: 10, y1: 10 }, cropBox: { x0: 0, y0: 0, x1: 10, y1: 10 } },
      originX: 0,
      originY: 0,
      bleed: { x0: 0, y0: 0, x1: 10, y1: 10 },
    },
    240,
  );
  assert.is(ink.regions.length, 1);
  assert.equal(ink.regions[0]!.box, { x0: 4, y0: 5, x1: 7, y1: 7 });
  assert.is(Math.round(ink.max), 320);
  const table = findingsTable([
    {
      rule: 'hairline',
      severity: 'error',
      page: 1,
      object: 'line 0.10 pt',
      at: { x: 20, y: 63.5, w: 80, h: 0 },
      message: 'thin',
      fix: 'thicker',
    },
  ]);
  assert.match(table, /ERROR\s+hairline\s+p1\s+20\.0, 63\.5 mm\s+line 0\.10 pt\s+thin; thicker/);
  // ICC headers: Ghostscript's sRGB is refused as a printer profile; the newsprint profile is CMYK and names TR 002
  assert.match(JSON.stringify(iccInfo(readFileSync(path.join(gsProfileDir(), 'srgb.icc')))), /not CMYK/);
  const news = iccInfo(readFileSync(path.join(iccDir(), NEWSPRINT_FILE)));
  assert.ok('description' in news && news.description.includes('TR 002'), JSON.stringify(news));
});

const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    env,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('broadsheet preflight: a failing PDF exits 1 with the table; an unknown profile exits 2; a missing file exits 1', () => {
  const dir = tmp();
  const file = path.join(dir, 'ink.pdf');
  writeFileSync(file, fixture('0.8 0.8 0.8 0.8 k 76.693 266.614 56.693 56.693 re f'));
  const r = cli(['preflight', file, '--profile', 'newsprint']);
  assert.is(r.code, 1, r.err);
  // the place to the ink raster's pixel (72 ppi, 0.35 mm)
  assert.match(r.out, /ERROR\s+ink-limit\s+p1\s+(19\.[7-9]|20\.[0-3]), (19\.[7-9]|20\.[0-3]) mm/);
  assert.match(r.out, /FAILED, \d+ errors/);
  const json = cli(['preflight', file, '--json']);
  assert.is(json.code, 1);
  assert.ok((JSON.parse(json.out) as { findings: Finding[] }).findings.some((f) => f.rule === 'ink-limit'));
  assert.is(cli(['preflight', file, '--profile', 'glossy']).code, 2);
  const missing = cli(['preflight', path.join(dir, 'none.pdf')]);
  assert.is(missing.code, 1);
  assert.match(missing.err, /none\.pdf: not a PDF that can be read: the file does not exist/);
});

test('a press build without the newsprint profile, or without Ghostscript, exits 4 and says what to run or install', () => {
  const noProfile = cli(['build', 'data/yuhu-2025', '--out', tmp(), '--press'], {
    ...process.env,
    BROADSHEET_ICC_DIR: tmp(),
  });
  assert.is(noProfile.code, 4, noProfile.err);
  assert.match(noProfile.err, /newsprint press profile has not been made/);
  assert.match(noProfile.err, /npm run press-profiles/);
  // PATH without Ghostscript (node and the browser are found by their full paths); the press
  // stage ends the build before anything is written
  const out = tmp();
  const noGs = cli(['build', 'data/yuhu-2025', '--out', out, '--press'], { ...process.env, PATH: tmp() });
  assert.is(noGs.code, 4, noGs.err);
  assert.match(noGs.err, /gs is not installed .*apt-get install ghostscript/s);
  assert.equal(readdirSync(out), []);
});

/** True once the process has ended (gone, or a zombie not yet reaped). */
const ended = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
  } catch {
    return true;
  }
};

const pidsIn = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map(Number);

/** A stand-in for a tool that hangs: it writes its pid into `marks`, then sleeps as that same process. */
function hangingTool(name: string, marks: string): string {
  const dir = tmp();
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\necho $$ >> ${JSON.stringify(marks)}\nexec sleep 300\n`);
  chmodSync(file, 0o755);
  return dir;
}

test('a press tool whose run is aborted is killed, and the run fails with the reason', async () => {
  const marks = path.join(tmp(), 'pids');
  const exe = path.join(hangingTool('tool', marks), 'tool');
  const controller = new AbortController();
  const reason = new Error('the deadline passed');
  const run = runTool(exe, [], { signal: controller.signal });
  // the tool has started once its pid is written (it is the same process after exec)
  while (!existsSync(marks) || !readFileSync(marks, 'utf8').endsWith('\n')) await new Promise((r) => setTimeout(r, 10));
  const [pid = 0] = pidsIn(marks);
  assert.not.ok(ended(pid));
  controller.abort(reason);
  let err: unknown;
  await run.catch((e: unknown) => (err = e));
  assert.is(err, reason);
  assert.ok(ended(pid), `the tool (pid ${pid}) still runs`);
  // a run asked for after the abort does not start
  err = undefined;
  await runTool(exe, [], { signal: controller.signal }).catch((e: unknown) => (err = e));
  assert.is(err, reason);
  assert.is(readFileSync(marks, 'utf8').trim(), String(pid));
});

test('a press build past its deadline in the preflight: exit 4, mutool stopped at once, nothing written', async () => {
  const marks = path.join(tmp(), 'pids');
  const out = tmp();
  writeFileSync(path.join(out, 'broadsheet.pdf'), 'previous good PDF');
  // mutool (the preflight's) hangs; gs is the real one. 30 s reach the press stage on a loaded machine
  const args = ['build', 'data/yuhu-2025', '--out', out, '--press', '--timeout', '30'];
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/broadsheet.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${hangingTool('mutool', marks)}:${process.env.PATH ?? ''}` },
  });
  let stderr = '';
  // the moment the timeout is reported, every mutool must have ended already (its own 60 s
  // timeout would end it only later, and hold up the command's exit until then)
  let runningAtReport: number[] | undefined;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (runningAtReport === undefined && stderr.includes('did not finish'))
      runningAtReport = existsSync(marks) ? pidsIn(marks).filter((pid) => !ended(pid)) : [];
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.ok(existsSync(marks), `the build did not reach the preflight within its 30 s:\n${stderr}`);
  assert.is(code, 4, stderr);
  assert.match(stderr, /the build did not finish within 30 s; nothing was written/);
  assert.ok(pidsIn(marks).length >= 1);
  assert.equal(runningAtReport, [], 'mutool still ran when the timeout was reported');
  assert.equal(readdirSync(out), ['broadsheet.pdf']);
  assert.is(readFileSync(path.join(out, 'broadsheet.pdf'), 'utf8'), 'previous good PDF');
});

test.run();
