/** The page's fonts: one file per face, cut to what the page prints; no browser. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { prepare } from '../src/pipeline.js';
import { cutFont, subsetBytes, subsetKey, type SubsetJob } from '../src/fonts/subset.js';
import { cacheDir } from '../src/disk-cache.js';
import { copyEdition, edit, SAMPLE, tempDir } from './helpers.js';

const fontsOf = async (dir: string) => (await prepare(dir)).page.fonts;

test('each face holds the characters the page sets in it, plus the figure set, and nothing else', async () => {
  const plan = await fontsOf(SAMPLE);
  const job = (face: string) => plan.files.get(plan.used.get(face as never)!.url)!;
  const body = job('body').chars;
  for (const ch of '开局之初抓住老工业基地转型提质') assert.ok(body.includes(ch), ch);
  for (const ch of '0123456789.%亿万元') assert.ok(body.includes(ch), `figure character ${ch}`);
  assert.ok(job('headline').chars.includes('畔'), 'the headline 风起湘江畔 is in the headline face');
  assert.ok(
    body.includes('基') && !job('headline').chars.includes('基'),
    'a body character is not in the headline face',
  );
  assert.not.ok(body.includes('龘'), 'a character the page never prints');
  // one url per face, naming its subset
  assert.is(new Set([...plan.used.values()].map((u) => u.url)).size, 6);
  assert.ok(
    plan.css
      .split('\n')
      .filter(Boolean)
      .every((l) => /format\('truetype'\)\}$/.test(l) && !l.includes('unicode-range')),
  );
});

test("a corrected figure keeps every font; a new character changes only its face's file", async () => {
  const before = await fontsOf(SAMPLE);
  const dir = copyEdition();
  edit(dir, 'figures.yaml', (s) => s.replace('sanitation_blocks: { value: 26,', 'sanitation_blocks: { value: 2789,'));
  const figure = await fontsOf(dir);
  assert.equal(
    [...figure.used.values()].map((u) => u.url),
    [...before.used.values()].map((u) => u.url),
  );
  edit(dir, 'story.md', (s) => s.replace('老工业基地', '老工业龘基地'));
  const text = await fontsOf(dir);
  for (const [face, u] of text.used) {
    if (face === 'body') assert.is.not(u.url, before.used.get(face)!.url, face);
    else assert.is(u.url, before.used.get(face)!.url, face);
  }
});

test('a subset has glyphs for exactly its characters, the same bytes every time, and is kept on disk', async () => {
  const plan = await fontsOf(SAMPLE);
  const job: SubsetJob = { ...plan.files.get(plan.used.get('headline')!.url)!, chars: '风起湘江畔0123' };
  const first = tempDir('font-cache-');
  const saved = process.env.BROADSHEET_CACHE; // the test run's own cache (scripts/test.js)
  process.env.BROADSHEET_CACHE = first;
  try {
    const bytes = await subsetBytes(job);
    const font = fontkit.create(bytes);
    for (const ch of job.chars) assert.ok(font.hasGlyphForCodePoint(ch.codePointAt(0)!), ch);
    for (const ch of '湖A的') assert.not.ok(font.hasGlyphForCodePoint(ch.codePointAt(0)!), ch);
    assert.is(font.postscriptName, 'NotoSerifSC-Black');
    assert.ok(font.numGlyphs < 40, `${font.numGlyphs} glyphs`);
    const cached = path.join(cacheDir(), 'fonts', `${subsetKey(job)}.ttf`);
    assert.ok(existsSync(cached));
    assert.ok(readFileSync(cached).equals(bytes));
    // made again from scratch: the same bytes
    assert.ok((await cutFont(job)).equals(bytes));
    const other = await subsetBytes({ ...job, chars: '风起湘江0123' });
    assert.not.ok(other.equals(bytes));
    assert.ok(existsSync(path.join(cacheDir(), 'fonts', `${subsetKey({ ...job, chars: '风起湘江0123' })}.ttf`)));
  } finally {
    if (saved === undefined) delete process.env.BROADSHEET_CACHE;
    else process.env.BROADSHEET_CACHE = saved;
  }
});

test.run();
