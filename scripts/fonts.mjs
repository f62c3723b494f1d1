// Installs the page's fonts (npm run setup): only the TrueType files the faces use, out of two
// npm packages of 92 and 115 MB (every weight of Noto Sans SC and Noto Serif SC). For each
// package in fonts/package-lock.json: `npm pack` fetches its tarball (from npm's cache when it
// has it), its sha512 must equal the lock's integrity, and the files listed under "faces" in
// fonts/package.json are extracted, with the package's package.json and licences, into
// fonts/<package>/. The fonts keep their npm provenance (name, version, integrity) and the
// package.json beside them names them in every cache key (src/disk-cache.ts packageIdentity).
// Run again, it does nothing for a package already installed at the locked integrity.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(root, 'fonts');
const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
const STAMP = '.installed.json';

for (const [name, files] of Object.entries(manifest.faces)) {
  const locked = lock.packages[`node_modules/${name}`];
  if (!locked?.integrity)
    fail(`${name} is not in fonts/package-lock.json: run "npm install --package-lock-only" in fonts/`);
  const target = path.join(dir, name);
  const want = { version: locked.version, integrity: locked.integrity, files };
  if (existsSync(path.join(target, STAMP)) && readFileSync(path.join(target, STAMP), 'utf8') === JSON.stringify(want))
    continue;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-fonts-'));
  try {
    console.log(`fonts: ${name}@${locked.version} (${files.length} of its files)`);
    const packed = JSON.parse(
      execFileSync('npm', ['pack', `${name}@${locked.version}`, '--json', '--pack-destination', tmp], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        cwd: tmp,
      }),
    );
    const tarball = path.join(tmp, packed[0].filename);
    const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (integrity !== locked.integrity)
      fail(`${name}@${locked.version}: the tarball's integrity ${integrity} is not the locked ${locked.integrity}`);
    const licences = packed[0].files.map((f) => f.path).filter((p) => /^LICEN[CS]E/i.test(p));
    const members = ['package.json', ...licences, ...files].map((f) => `package/${f}`);
    execFileSync('tar', ['-xzf', tarball, '-C', tmp, ...members], { stdio: 'inherit' });
    writeFileSync(path.join(tmp, 'package', STAMP), JSON.stringify(want));
    rmSync(target, { recursive: true, force: true });
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(path.join(tmp, 'package'), target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function fail(message) {
  console.error(`fonts: ${message}`);
  process.exit(1);
}
