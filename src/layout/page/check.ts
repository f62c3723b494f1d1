/**
 * The laid-out page checked as a whole (in the page, after fitting, threading and copy-fit):
 * every frame's content (text lines, headline group, captions, fact box, chart labels, photo)
 * lies within its frame's box, and no text is printed over other text. Text is judged by its
 * em box: across, the glyphs' advances as set (a line measured at another weight than it prints
 * ran past its frame); down, one em around the line's middle (the font's ascent and descent
 * reach further than any glyph). Every frame's final box is read here too, after copy-fit.
 */
import type { FrameBox, PageFinding } from './protocol.js';

const MM = 25.4 / 96; // mm per CSS px
const CLOSING = /[、，。：；！？”’）》」』】]/;
const OPENING = /[“‘（《「『【]/;
/** what may pass an edge (mm): less than a hundredth of an em of body text, no ink */
const TOLERANCE_MM = 0.1;

interface TextBox {
  frame: string;
  block: Element;
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

interface TextStyle {
  em: number;
  /** blank, not ink: the last character's letter-spacing */
  spacing: number;
  /** the block the text belongs to (text of one block may touch itself) */
  block: Element;
}

/**
 * What the check needs of a text's element, read once per element (the page's text is many
 * nodes of few elements); undefined for text that is not checked: hidden, in a chart (its
 * labels are checked as such), or the overset marker (▶, --allow-overset), set over the text
 * on purpose. `styles` holds what one check has read (a rebuild may restyle an element).
 */
function styleOf(el: Element, styles: Map<Element, TextStyle | null>): TextStyle | undefined {
  let s = styles.get(el);
  if (s === undefined) {
    if (el.closest('[hidden], svg, .overset-marker')) s = null;
    else {
      const cs = getComputedStyle(el);
      s = {
        em: parseFloat(cs.fontSize),
        spacing: Math.max(0, parseFloat(cs.letterSpacing) || 0),
        block: el.closest('p, h1, h2, h3, li, figcaption, span.ln, .banner-band, .ad') ?? el,
      };
    }
    styles.set(el, s);
  }
  return s ?? undefined;
}

/** Every frame's box in mm, trim coordinates, as laid out (after copy-fit). */
export function frameBoxes(): FrameBox[] {
  const trim = document.querySelector('.trim')?.getBoundingClientRect();
  if (!trim) return [];
  return Array.from(document.querySelectorAll<HTMLElement>('.trim > .frame')).map((f) => {
    const r = f.getBoundingClientRect();
    const round = (v: number) => Math.round(v * MM * 100) / 100;
    return {
      id: f.id.slice(2),
      x: round(r.left - trim.left),
      y: round(r.top - trim.top),
      w: round(r.width),
      h: round(r.height),
    };
  });
}

/** Content past its frame and text over text, with the frame's id and the amount in mm. */
export function checkPage(): PageFinding[] {
  const out: PageFinding[] = [];
  const boxes: TextBox[] = [];
  const styles = new Map<Element, TextStyle | null>();
  for (const frame of Array.from(document.querySelectorAll<HTMLElement>('.trim > .frame'))) {
    const id = frame.id.slice(2);
    const fr = frame.getBoundingClientRect();
    const past = (
      what: string,
      r: { left: number; right: number; top: number; bottom: number },
      slack = 0,
      lead = 0,
    ) => {
      const sides = {
        right: r.right - fr.right - slack,
        left: fr.left - r.left - lead,
        bottom: r.bottom - fr.bottom,
        top: fr.top - r.top,
      };
      const [side, px] = Object.entries(sides).sort((a, b) => b[1] - a[1])[0]!;
      const mm = px * MM;
      if (mm > TOLERANCE_MM) out.push({ kind: 'past', frame: id, text: what, side, mm: Math.round(mm * 100) / 100 });
    };
    // text: each text node's line pieces
    const walker = document.createTreeWalker(frame, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!(n instanceof Text) || !n.data.trim()) continue;
      const parent = n.parentElement;
      const style = parent && styleOf(parent, styles);
      if (!parent || !style) continue;
      const { em, spacing, block } = style;
      const text = n.data.trim();
      // blank, not ink: the letter-spacing after the last character; the right half of a closing
      // mark and the left half of an opening one (a mark compressed at a line's edge hangs it there)
      const slack = spacing + (CLOSING.test(text[text.length - 1]!) ? em / 2 : 0);
      const lead = OPENING.test(text[0]!) ? em / 2 : 0;
      range.selectNodeContents(n);
      for (const r of Array.from(range.getClientRects())) {
        if (r.width < 0.5) continue;
        const mid = (r.top + r.bottom) / 2;
        const box = { left: r.left, right: r.right, top: mid - em / 2, bottom: mid + em / 2 };
        past(text.slice(0, 24), box, slack, lead);
        boxes.push({
          frame: id,
          block,
          text: text.slice(0, 12),
          ...box,
          left: box.left + lead,
          right: box.right - slack,
        });
      }
    }
    // chart labels
    for (const t of Array.from(frame.querySelectorAll('svg text'))) {
      if (t.closest('[hidden]') || !t.textContent?.trim()) continue;
      // its em box: the box's side across the text (its height, or its width when the label is
      // turned) is the font's ascent to descent, about 1.45 em, trimmed to 1 em about its middle
      const r = t.getBoundingClientRect();
      const em = parseFloat(getComputedStyle(t).fontSize) || 0;
      const turned = r.height > r.width;
      const trimX = turned ? Math.max(0, (r.width - em) / 2) : 0;
      const trimY = turned ? 0 : Math.max(0, (r.height - em) / 2);
      const box = { left: r.left + trimX, right: r.right - trimX, top: r.top + trimY, bottom: r.bottom - trimY };
      past(t.textContent.trim(), box);
      boxes.push({ frame: id, block: t, text: t.textContent.trim(), ...box });
    }
    for (const img of Array.from(frame.querySelectorAll('img'))) past('(photo)', img.getBoundingClientRect());
  }
  // text over text: em boxes of different blocks overlapping by more than a quarter of the smaller
  boxes.sort((a, b) => a.top - b.top);
  const seen = new Set<string>();
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]!;
    for (let j = i + 1; j < boxes.length && boxes[j]!.top < a.bottom; j++) {
      const b = boxes[j]!;
      if (a.block === b.block || a.block.contains(b.block) || b.block.contains(a.block)) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w <= 0 || h <= 0) continue;
      const area = (x: TextBox) => (x.right - x.left) * (x.bottom - x.top);
      if ((w * h) / Math.min(area(a), area(b)) <= 0.25) continue;
      const key = `${a.frame}|${b.frame}|${a.text}|${b.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        kind: 'over',
        frame: a.frame,
        other: b.frame,
        text: `${a.text} / ${b.text}`,
        side: 'over',
        mm: Math.round(Math.min(w, h) * MM * 100) / 100,
      });
    }
  }
  return out;
}
