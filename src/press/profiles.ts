/**
 * The colour profiles press output converts through, made once and kept in the project's icc/
 * folder (git-ignored; BROADSHEET_ICC_DIR sets another):
 *
 * - newsprint-tr002.icc: the default output profile, made by Argyll's colprof from the TR002
 *   characterization data in Debian's icc-profiles-free (ANSI CGATS/SNAP TR 002-2007, coldset
 *   printing on newsprint), total ink limited to 240 %. Profiles made from TR002 may be
 *   distributed when TR002 is named as the source: the profile's description and copyright
 *   fields name it.
 * - link-…-<intent>.icc: a device link from sRGB to an output profile (Argyll's collink, gamut
 *   mapping mode) that prints every neutral colour on the black plate alone: text, rules and
 *   black headlines come out K only while colours go through the profile.
 * - gs-<profile>/: Ghostscript's own ICC folder with default_cmyk.icc replaced by the output
 *   profile (pdfwrite ignores -sOutputICCProfile and converts to its default CMYK profile).
 *
 * `npm run press-profiles` (run by `npm run setup`) makes the newsprint profile and its default
 * link. A build never makes the newsprint profile: when it is missing the build stops with a
 * MachineError (exit 4) that says what to run. A link for another profile or intent is made on
 * first use where Argyll is installed.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import { ROOT } from '../paths.js';
import { msg, type Place } from '../messages.js';
import { findTool, requireTool, runTool } from './tools.js';
import { readBytes } from '../load/read.js';

/** an ICC profile larger than this is not one a press needs */
const MAX_PROFILE_BYTES = 20_000_000;

export const INTENTS = {
  perceptual: { gs: 0, argyll: 'p' },
  relative: { gs: 1, argyll: 'r' },
  saturation: { gs: 2, argyll: 's' },
  absolute: { gs: 3, argyll: 'a' },
} as const;
export type Intent = keyof typeof INTENTS;

/** Where the profiles are kept. */
export function iccDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BROADSHEET_ICC_DIR || path.join(ROOT, 'icc');
}

/** The TR002 characterization data (Debian's icc-profiles-free). */
export const TR002 = '/usr/share/color/icc/TR002.ti3';
export const NEWSPRINT_FILE = 'newsprint-tr002.icc';
export const NEWSPRINT_INK_LIMIT = 240;
export const NEWSPRINT_DESCRIPTION = `Broadsheet newsprint, ${NEWSPRINT_INK_LIMIT}% ink (made from CGATS TR 002 data)`;
export const NEWSPRINT_COPYRIGHT =
  'Made by Broadsheet with Argyll colprof from the characterization data of ANSI CGATS/SNAP TR 002-2007 ' +
  '(Color Characterization Data for Coldset Printing on Newsprint, Copyright 2007 NPES); ' +
  'TR 002 is the source of the data.';
/** Colprof's settings: medium quality, ramp black generation, the ink limit. */
export const COLPROF_ARGS = ['-qm', '-kr', '-l', String(NEWSPRINT_INK_LIMIT)];
/** The graphics intent `npm run press-profiles` makes a link for. */
export const DEFAULT_GRAPHIC_INTENT: Intent = 'relative';
export const DEFAULT_PHOTO_INTENT: Intent = 'perceptual';

export interface OutputProfile {
  /** "newsprint" or the file's name */
  name: string;
  file: string;
  /** a short hash of the profile's bytes: names its link and Ghostscript folder */
  key: string;
  description: string;
  /** the PDF/X output intent */
  condition: { identifier: string; condition: string; registry?: string };
  builtIn: boolean;
}

const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 12);

/** The newsprint profile, made by `npm run press-profiles`; a MachineError when it is missing. */
export function newsprintProfile(dir = iccDir()): OutputProfile {
  const file = path.join(dir, NEWSPRINT_FILE);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw msg.press.profileMissing(file);
  }
  return {
    name: 'newsprint',
    file,
    key: hash(bytes),
    description: NEWSPRINT_DESCRIPTION,
    condition: {
      identifier: 'CGATS TR 002',
      condition: 'Coldset offset printing on newsprint (CGATS TR 002)',
      registry: 'http://www.color.org',
    },
    builtIn: true,
  };
}

/** The printer's own profile (a file in the edition): it must be a CMYK output profile. */
export function printerProfile(file: string, place: Place, rel = place.file): OutputProfile {
  const bytes = readBytes(file, rel, 'the printer profile', MAX_PROFILE_BYTES);
  const info = iccInfo(bytes);
  if ('error' in info) throw msg.press.badProfile(place, info.error);
  return {
    name: path.basename(file),
    file,
    key: hash(bytes),
    description: info.description || path.basename(file),
    condition: { identifier: 'Custom', condition: info.description || path.basename(file) },
    builtIn: false,
  };
}

/** An ICC profile's header and description: is it a CMYK output profile? */
export function iccInfo(b: Buffer): { description: string } | { error: string } {
  if (b.length < 132 || b.toString('latin1', 36, 40) !== 'acsp') return { error: 'not an ICC profile' };
  const cls = b.toString('latin1', 12, 16);
  const space = b.toString('latin1', 16, 20);
  if (space !== 'CMYK') return { error: `its colour space is ${space.trim()}, not CMYK` };
  if (cls !== 'prtr') return { error: `it is a "${cls}" profile, not an output (printer) profile` };
  let description = '';
  const count = b.readUInt32BE(128);
  for (let i = 0; i < count && 132 + i * 12 + 12 <= b.length; i++) {
    const at = 132 + i * 12;
    if (b.toString('latin1', at, at + 4) !== 'desc') continue;
    const off = b.readUInt32BE(at + 4);
    const type = b.toString('latin1', off, off + 4);
    if (type === 'desc') {
      const n = b.readUInt32BE(off + 8);
      description = b.toString('latin1', off + 12, off + 12 + n).replace(/\0.*$/s, '');
    } else if (type === 'mluc' && b.readUInt32BE(off + 8) > 0) {
      const len = b.readUInt32BE(off + 20);
      const start = b.readUInt32BE(off + 24);
      const u = b.subarray(off + start, off + start + len);
      description = Buffer.from(u).swap16().toString('utf16le');
    }
  }
  return { description: description.trim() };
}

/** The link's file: sRGB → profile, neutrals to K only, at an intent and ink limit. */
export function linkFile(profile: OutputProfile, intent: Intent, inkLimit: number, dir = iccDir()): string {
  return path.join(dir, `link-srgb-${profile.key}-${intent}-${inkLimit}.icc`);
}

/** The command that makes what a build found missing. */
export function setupCommand(profile: OutputProfile, intent: Intent, inkLimit: number): string {
  if (profile.builtIn && intent === DEFAULT_GRAPHIC_INTENT && inkLimit === NEWSPRINT_INK_LIMIT)
    return 'npm run press-profiles';
  const which = profile.builtIn ? '' : `--profile ${profile.file} `;
  return `npm run press-profiles -- ${which}--intent ${intent} --ink-limit ${inkLimit}`;
}

/**
 * The device link for graphics and text. The default one must have been made beforehand; one
 * for a printer's profile or another intent is made here (once) where Argyll is installed.
 */
export async function deviceLink(
  profile: OutputProfile,
  intent: Intent,
  inkLimit: number,
  onMaking: (text: string) => void = () => undefined,
  signal?: AbortSignal,
): Promise<string> {
  const file = linkFile(profile, intent, inkLimit);
  if (existsSync(file)) return file;
  const isDefault = profile.builtIn && intent === DEFAULT_GRAPHIC_INTENT && inkLimit === NEWSPRINT_INK_LIMIT;
  if (isDefault || !findTool('collink')) throw msg.press.linkMissing(file, setupCommand(profile, intent, inkLimit));
  onMaking(msg.press.makingLink(profile.name, intent));
  await makeLink(profile, intent, inkLimit, iccDir(), signal);
  return file;
}

/** Ghostscript's own ICC profile folder (its default profiles for gray, RGB, Lab, …). */
export function gsProfileDir(): string {
  const candidates: string[] = [];
  for (const base of ['/usr/share/ghostscript', '/usr/local/share/ghostscript']) {
    try {
      for (const v of readdirSync(base).sort().reverse()) candidates.push(path.join(base, v, 'iccprofiles'));
    } catch {
      /* not there */
    }
    candidates.push(path.join(base, 'iccprofiles'));
  }
  candidates.push('/usr/share/color/icc/ghostscript');
  const dir = candidates.find(
    (d) => existsSync(path.join(d, 'default_gray.icc')) && existsSync(path.join(d, 'srgb.icc')),
  );
  if (!dir) throw msg.press.gsProfilesMissing();
  return dir;
}

/** A Ghostscript ICC folder whose default CMYK profile is the output profile (made once). */
export function gsIccDir(profile: OutputProfile, dir = iccDir()): string {
  const target = path.join(dir, `gs-${profile.key}`);
  if (existsSync(path.join(target, 'default_cmyk.icc'))) return target;
  const from = gsProfileDir();
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(path.join(dir, '.gs-'));
  try {
    for (const f of readdirSync(from)) if (f !== 'default_cmyk.icc') symlinkSync(path.join(from, f), path.join(tmp, f));
    copyFileSync(profile.file, path.join(tmp, 'default_cmyk.icc'));
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'default_cmyk.icc'))) throw e; // another build made it first otherwise
  }
  return target;
}

/** Makes the newsprint profile from TR002 with colprof (about half a minute). */
export async function makeNewsprint(dir = iccDir()): Promise<string> {
  const colprof = requireTool('colprof', 'to make the newsprint profile');
  if (!existsSync(TR002)) throw msg.press.characterizationMissing(TR002);
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(path.join(dir, '.colprof-'));
  try {
    // colprof reads <name>.ti3 and writes <name>.icc beside it
    copyFileSync(TR002, path.join(tmp, 'newsprint.ti3'));
    await runTool(
      colprof,
      [
        ...COLPROF_ARGS,
        '-A',
        'Broadsheet',
        '-M',
        'Coldset newsprint (CGATS TR 002)',
        '-D',
        NEWSPRINT_DESCRIPTION,
        '-C',
        NEWSPRINT_COPYRIGHT,
        'newsprint',
      ],
      { cwd: tmp, timeoutMs: 15 * 60_000, keepStdout: false },
    );
    const file = path.join(dir, NEWSPRINT_FILE);
    renameSync(path.join(tmp, 'newsprint.icc'), file);
    return file;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Makes the sRGB → profile device link with collink: gamut mapping, neutrals to K only. */
export async function makeLink(
  profile: OutputProfile,
  intent: Intent,
  inkLimit: number,
  dir = iccDir(),
  signal?: AbortSignal,
): Promise<string> {
  const collink = requireTool('collink', 'to make the colour link for press output');
  const srgb = path.join(gsProfileDir(), 'srgb.icc');
  mkdirSync(dir, { recursive: true });
  const out = linkFile(profile, intent, inkLimit, dir);
  const tmp = path.join(dir, `.${path.basename(out)}.${process.pid}.tmp`);
  try {
    await runTool(
      collink,
      [
        '-qm',
        '-G',
        '-i',
        INTENTS[intent].argyll,
        '-f',
        '-l',
        String(inkLimit),
        '-D',
        `Broadsheet: sRGB to ${profile.description}, neutrals on K only, ${intent}`,
        srgb,
        profile.file,
        tmp,
      ],
      { timeoutMs: 15 * 60_000, keepStdout: false, ...(signal ? { signal } : {}) },
    );
    signal?.throwIfAborted();
    renameSync(tmp, out);
    return out;
  } finally {
    rmSync(tmp, { force: true });
  }
}
