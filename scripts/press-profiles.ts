/**
 * npm run press-profiles: makes the colour profiles press output needs, once (src/press/profiles.ts):
 * the newsprint profile from TR002 (Argyll's colprof) and the sRGB → newsprint device link for
 * the default graphics intent (collink). What exists is kept; --force makes them again.
 *
 *   npm run press-profiles [-- --force] [-- --profile <printer.icc>] [--intent <intent>] [--ink-limit <n>]
 *
 * With --profile, --intent or --ink-limit it makes the link for that profile and intent (the
 * profile must be a CMYK output profile).
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_GRAPHIC_INTENT,
  INTENTS,
  NEWSPRINT_FILE,
  NEWSPRINT_INK_LIMIT,
  iccDir,
  linkFile,
  makeLink,
  makeNewsprint,
  newsprintProfile,
  printerProfile,
  gsIccDir,
  type Intent,
} from '../src/press/profiles.js';
import { MachineError, InputError } from '../src/messages.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      force: { type: 'boolean', default: false },
      profile: { type: 'string' },
      intent: { type: 'string' },
      'ink-limit': { type: 'string' },
    },
  });
  const intent = (values.intent ?? DEFAULT_GRAPHIC_INTENT) as Intent;
  if (!(intent in INTENTS)) {
    process.stderr.write(`press-profiles: --intent is one of ${Object.keys(INTENTS).join(', ')}\n`);
    return 2;
  }
  const inkLimit = Number(values['ink-limit'] ?? NEWSPRINT_INK_LIMIT);
  if (!Number.isFinite(inkLimit) || inkLimit < 100 || inkLimit > 400) {
    process.stderr.write('press-profiles: --ink-limit is a total ink percentage between 100 and 400\n');
    return 2;
  }
  const dir = iccDir();
  const news = path.join(dir, NEWSPRINT_FILE);
  if (values.force) rmSync(news, { force: true });
  if (!values.profile && !existsSync(news)) {
    process.stdout.write('press-profiles: making the newsprint profile from TR002 (colprof, about half a minute)\n');
    const t0 = performance.now();
    await makeNewsprint(dir);
    process.stdout.write(`press-profiles: wrote ${news} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const profile = values.profile
    ? printerProfile(path.resolve(values.profile), { file: values.profile })
    : newsprintProfile(dir);
  const link = linkFile(profile, intent, inkLimit, dir);
  if (values.force) rmSync(link, { force: true });
  if (!existsSync(link)) {
    process.stdout.write(
      `press-profiles: making the sRGB → ${profile.name} link, ${intent} intent (collink, about half a minute)\n`,
    );
    const t0 = performance.now();
    await makeLink(profile, intent, inkLimit, dir);
    process.stdout.write(`press-profiles: wrote ${link} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  gsIccDir(profile, dir);
  process.stdout.write(`press-profiles: ready in ${dir}\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    if (e instanceof MachineError || e instanceof InputError) {
      process.stderr.write(`press-profiles: ${e.describe()}\n`);
      process.exitCode = e instanceof MachineError ? 4 : 1;
    } else {
      process.stderr.write(`press-profiles: internal error: ${String(e)}\n`);
      process.exitCode = 3;
    }
  },
);
