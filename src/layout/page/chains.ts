/**
 * The page's chains (in the page): every chain fitted (fit.ts), threaded (thread.ts) and
 * copy-fitted (copyfit.ts), and kept so that a warm rebuild threads again only the chains a
 * change touches. The page is laid out once after it loads (layout) and updated after that
 * (update).
 */
import { checkPage, frameBoxes } from './check.js';
import { copyFit } from './copyfit.js';
import { clone, fitChain, measureOf, type Fitted, type Measure } from './fit.js';
import { styleSheet } from './fonts.js';
import type { ChainLayout, LayoutResult, PageUpdate } from './protocol.js';
import { thread } from './thread.js';

/** Each chain's text as composed, kept so a chain can be threaded again after a change. */
const pristine = new Map<string, HTMLElement>();
/** Each chain as last laid out. */
const results = new Map<string, ChainLayout>();
/** Each chain's text fitted to its measure. */
const fitted = new Map<string, Fitted>();
/** Each chain's type and measure, read once while the page is untouched. */
const measures = new Map<string, Measure>();
let laidOut = false;

export function layout(): LayoutResult {
  laidOut = true;
  const t0 = performance.now();
  const pitch = pitchPx();
  for (const src of Array.from(document.querySelectorAll<HTMLElement>('.chain-source'))) {
    pristine.set(chainOf(src), clone(src));
    src.replaceChildren();
  }
  for (const id of pristine.keys()) {
    const first = chainFrames(id)[0];
    if (first) measures.set(id, measureOf(first));
  }
  for (const id of pristine.keys()) layOutChain(id, pitch);
  return collect(t0);
}

/**
 * A warm rebuild: replace the frames and chain texts that changed, thread again only the chains
 * they touch (all of them when the geometry changed). On a page not yet laid out (it was loaded
 * while the charts were drawn), replace what changed and lay it all out.
 */
export function update(u: PageUpdate): LayoutResult {
  const t0 = performance.now();
  const pitch = pitchPx();
  const dirty = new Set<string>();
  const parse = (html: string): HTMLElement => {
    const t = document.createElement('template');
    t.innerHTML = html;
    const el = t.content.firstElementChild;
    if (!(el instanceof HTMLElement)) throw new Error('an update without an element');
    return el;
  };
  for (const [id, html] of u.frames) {
    const old = document.getElementById(`f-${id}`);
    const next = parse(html);
    if (old) old.replaceWith(next);
    if (next.dataset.chain) dirty.add(next.dataset.chain);
    // a flexible photo gives and takes lines with the chains below it
    for (const f of (next.dataset.flex ?? '').split(' ').slice(2)) {
      const chain = document.getElementById(`f-${f}`)?.dataset.chain;
      if (chain) dirty.add(chain);
    }
  }
  for (const [id, html] of u.sources) {
    const el = parse(html);
    if (!laidOut) {
      document.querySelector(`.chain-source[data-chain="${CSS.escape(id)}"]`)?.replaceWith(el);
      continue;
    }
    pristine.set(id, clone(el));
    fitted.delete(id);
    dirty.add(id);
  }
  if (u.framesCss !== undefined) {
    const sheet = styleSheet('/styles/frames.css');
    while (sheet.cssRules.length) sheet.deleteRule(0);
    for (const rule of u.framesCss
      .split(/\n(?=\S)/)
      .map((r) => r.trim())
      .filter(Boolean))
      sheet.insertRule(rule, sheet.cssRules.length);
    for (const id of pristine.keys()) dirty.add(id);
    fitted.clear();
    measures.clear();
  }
  if (!laidOut) return layout();
  for (const id of dirty) if (pristine.has(id)) layOutChain(id, pitch);
  return collect(t0);
}

/** Fits (once per text and measure), threads and copy-fits one chain. */
function layOutChain(id: string, pitch: number): void {
  const frames = chainFrames(id);
  const src = pristine.get(id);
  if (!src) return;
  let fit = fitted.get(id);
  if (!fit) {
    // measured before the chains change the page (each change would force a layout to read it)
    let m = measures.get(id);
    const first = frames[0];
    if (!m && first) measures.set(id, (m = measureOf(first)));
    if (!m) return; // a chain without frames: the layout stage refuses it
    fit = fitChain(src, m);
    fitted.set(id, fit);
  }
  let r = thread(id, clone(fit.el), frames, pitch);
  if (r.status === 'overset' || r.emptyLines > 1) r = copyFit(id, fit.el, frames, pitch, r);
  results.set(id, { ...r, orphans: fit.orphans });
}

function chainOf(el: HTMLElement): string {
  return el.dataset.chain ?? '';
}

function chainFrames(id: string): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(`.frame.text[data-chain="${CSS.escape(id)}"]`)).sort(
    (a, b) => Number(a.dataset.seq) - Number(b.dataset.seq),
  );
}

/** The line pitch in CSS px. */
function pitchPx(): number {
  const probe = document.createElement('div');
  probe.style.height = 'var(--pitch)';
  probe.style.position = 'absolute';
  document.body.appendChild(probe);
  const h = probe.getBoundingClientRect().height;
  probe.remove();
  return h;
}

/** Every chain's result in the page's order, and the photos' boxes as laid out. */
function collect(t0: number): LayoutResult {
  const mm = (px: number) => (px * 25.4) / 96;
  const photos = Array.from(document.querySelectorAll<HTMLElement>('[data-photo]')).map((f) => {
    const r = f.querySelector('img')?.getBoundingClientRect();
    return { id: f.dataset.photo ?? '', widthMm: mm(r?.width ?? 0), heightMm: mm(r?.height ?? 0) };
  });
  const chains = Array.from(document.querySelectorAll<HTMLElement>('.chain-source'))
    .map((s) => results.get(chainOf(s)))
    .filter((c) => c !== undefined);
  return { chains, photos, frames: frameBoxes(), findings: checkPage(), ms: performance.now() - t0 };
}
