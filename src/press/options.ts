/**
 * Press settings: `press: true` or a `press:` section in edition.yaml, or `--press` on the
 * command line. The printer's own profile is a file inside the edition folder.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Edition } from '../load/edition.js';
import { msg } from '../messages.js';
import { confine } from '../load/read.js';
import {
  DEFAULT_GRAPHIC_INTENT,
  DEFAULT_PHOTO_INTENT,
  NEWSPRINT_INK_LIMIT,
  newsprintProfile,
  printerProfile,
  type Intent,
  type OutputProfile,
} from './profiles.js';
import { PROFILES } from './preflight.js';

/** edition.yaml's `press:` section. */
export interface PressSection {
  /** "newsprint" (default) or the printer's ICC profile, a path inside the edition */
  profile?: string;
  photoIntent?: Intent;
  graphicIntent?: Intent;
  /** total ink limit, % */
  inkLimit?: number;
  /** the house minimum text size, pt */
  minTextPt?: number;
}

export interface PressSettings {
  profile: OutputProfile;
  photoIntent: Intent;
  graphicIntent: Intent;
  inkLimit: number;
  minTextPt: number;
}

/** Whether this build writes press.pdf, and with what; undefined when it does not. */
export function pressSettings(ed: Edition, fromCli: boolean): PressSettings | undefined {
  const raw = (ed.meta.data as { press?: boolean | PressSection }).press;
  if (!fromCli && !raw) return undefined;
  const s: PressSection = typeof raw === 'object' ? raw : {};
  let profile: OutputProfile;
  if (!s.profile || s.profile === 'newsprint') profile = newsprintProfile();
  else {
    const place = ed.meta.locate(['press', 'profile']);
    const real = confine(ed.dir, realpathSync(ed.dir), s.profile, place);
    if (real === undefined) throw msg.press.badProfile(place, 'the file does not exist');
    profile = printerProfile(real, place, path.join(ed.name, s.profile));
  }
  return {
    profile,
    photoIntent: s.photoIntent ?? DEFAULT_PHOTO_INTENT,
    graphicIntent: s.graphicIntent ?? DEFAULT_GRAPHIC_INTENT,
    inkLimit: s.inkLimit ?? NEWSPRINT_INK_LIMIT,
    minTextPt: s.minTextPt ?? PROFILES.newsprint!.minTextPt,
  };
}
