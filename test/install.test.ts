/**
 * The fonts as installed (scripts/fonts.mjs): every face's file is one the fonts manifest lists,
 * from the package version and tarball integrity its lock names, licences alongside.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FACES, FONTS_DIR, fontFile } from '../src/fonts/faces.js';

const json = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
const manifest = json<{ dependencies: Record<string, string>; faces: Record<string, string[]> }>(
  path.join(FONTS_DIR, 'package.json'),
);
const lock = json<{ packages: Record<string, { version: string; integrity: string }> }>(
  path.join(FONTS_DIR, 'package-lock.json'),
);

test('each face is a file the manifest lists, and the manifest lists no other', () => {
  const used = Object.values(FACES).map((f) => `${f.pkg}/${f.ttf}`);
  const listed = Object.entries(manifest.faces).flatMap(([pkg, files]) => files.map((f) => `${pkg}/${f}`));
  assert.equal([...used].sort(), [...listed].sort());
});

test('the installed files come from the locked package versions and tarballs, with their licences', () => {
  for (const pkg of Object.keys(manifest.faces)) {
    const locked = lock.packages[`node_modules/${pkg}`];
    assert.ok(locked, `${pkg} is locked`);
    assert.is(manifest.dependencies[pkg], locked.version);
    const dir = path.join(FONTS_DIR, pkg);
    const own = json<{ name: string; version: string }>(path.join(dir, 'package.json'));
    assert.equal([own.name, own.version], [pkg, locked.version]);
    assert.is(json<{ integrity: string }>(path.join(dir, '.installed.json')).integrity, locked.integrity);
    assert.ok(existsSync(path.join(dir, 'LICENSE_FONT')), `${pkg}: the font licence`);
  }
  for (const face of Object.values(FACES)) {
    const ttf = readFileSync(fontFile(face));
    assert.is(ttf.readUInt32BE(0), 0x00010000, `${face.ttf} is a TrueType font`);
  }
});

test.run();
