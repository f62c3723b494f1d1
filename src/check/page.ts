/**
 * The page checked as a whole after layout (pure; issue 12): what the page found in itself
 * (layout/page/check.ts: content past its frame, text over text), the fonts the PDF holds
 * against the faces the page planned, every chain's text on the page, and lints (a unit or a
 * mark printed twice). Findings are errors, naming the frame's line in layout.yaml and the
 * amount in mm, unless the build allows them (--allow-overflow): then they are warnings.
 */
import type { Bound, Segment } from '../bind/figures.js';
import type { FigureDef } from '../load/edition.js';
import type { PageLayout } from '../layout/frames.js';
import type { ChainLayout, PageFinding } from '../layout/page/protocol.js';
import { headlineMsg, pageMsg, placeText, type InputError, type Place } from '../messages.js';
import { headlineSet } from '../compose/compose.js';
import { AIR_EM, HEADLINE_TYPE, type PartName } from '../compose/headline.js';
import { PT } from '../layout/presets.js';

export interface PageCheckInput {
  findings: PageFinding[];
  /** fonts in the PDF (subset prefix removed) */
  fonts: string[];
  /** the PostScript names of the faces the page planned */
  planned: string[];
  chains: ChainLayout[];
  bound: Bound;
  figures: Record<string, FigureDef>;
  layout: PageLayout;
  /** a frame's place in layout.yaml */
  locateFrame: (id: string) => Place;
  pdfFile: string;
  allowOverflow: boolean;
  /** what checkHeadline found before the page was printed */
  headline?: InputError[];
}

export interface PageCheck {
  errors: InputError[];
  warnings: string[];
  /** how many findings (errors or, allowed, warnings) the check made */
  findings: number;
}

const flat = (segs: Segment[] | undefined) => (segs ?? []).map((s) => s.s).join('');
const squash = (s: string) => s.replace(/\s+/g, '');

export function checkPrinted(c: PageCheckInput): PageCheck {
  const problems: InputError[] = [...(c.headline ?? [])];
  for (const f of c.findings) {
    const place = c.locateFrame(f.frame);
    problems.push(
      f.kind === 'past'
        ? pageMsg.pastFrame(place, f.frame, f.text, f.side, f.mm)
        : pageMsg.textOver(place, f.frame, f.other ?? f.frame, f.text, f.mm),
    );
  }
  const foreign = c.fonts.filter((f) => !c.planned.includes(f));
  if (foreign.length) problems.push(pageMsg.foreignFont(c.pdfFile, foreign, c.planned));
  // every chain's text on the page, in order (an overset chain is reported as overset)
  for (const ch of c.chains) {
    if (ch.status === 'overset') continue;
    const chain = c.bound.chains.find((x) => x.id === ch.id);
    if (!chain) continue;
    const headFrame = c.layout.frames.some((f) => f.kind === 'head' && f.chain === ch.id);
    const printed = squash(ch.texts.join(''));
    let from = 0;
    for (const b of chain.blocks) {
      if (b.kind === 'head' && headFrame) continue;
      const want = squash(flat(b.segs));
      const at = printed.indexOf(want, from);
      if (at < 0) {
        problems.push(pageMsg.missingText(b.place, ch.id, want.slice(0, 30)));
        break;
      }
      from = at + want.length;
    }
  }
  const warnings = lints(c.bound, c.figures);
  if (c.allowOverflow)
    return { errors: [], warnings: [...problems.map((p) => p.message), ...warnings], findings: problems.length };
  return { errors: problems, warnings, findings: problems.length };
}

/** A unit printed twice (a figure that prints its unit, the unit written again after it), a mark twice. */
export function lints(bound: Bound, figures: Record<string, FigureDef>): string[] {
  const out: string[] = [];
  const texts: [string, Segment[]][] = [
    ...bound.chains.flatMap((c) =>
      c.blocks.map((b): [string, Segment[]] => [`${placeText(b.place)} (story "${c.id}")`, b.segs]),
    ),
    ...Object.entries(bound.headline).map(([k, segs]): [string, Segment[]] => [k, segs ?? []]),
    ...[...bound.factboxes.values()].flatMap((fb) =>
      fb.items.map((i): [string, Segment[]] => [`fact box "${fb.id}"`, i.value]),
    ),
  ];
  for (const [where, segs] of texts)
    segs.forEach((s, i) => {
      const unit = s.fig !== undefined ? figures[s.fig]?.unit : undefined;
      if (!unit || !s.s.endsWith(unit)) return;
      const next = flat(segs.slice(i + 1));
      if (next.startsWith(unit)) out.push(pageMsg.unitTwice(where, s.s + unit));
    });
  for (const [id, caption] of bound.captions.photos)
    if (/^\s*[▲■]/.test(caption)) out.push(pageMsg.markTwice(`photo "${id}"`, `▲${caption.trim().slice(0, 12)}`));
  const byline = flat(bound.headline.byline);
  if (/^\s*■/.test(byline)) out.push(pageMsg.markTwice('byline', `■${byline.trim().slice(0, 12)}`));
  return out;
}

const PART_NAMES: Record<PartName, string> = {
  kicker: 'kicker',
  headline: 'main head',
  subhead: 'subhead',
  byline: 'byline',
};

/**
 * The headline group against its frame, before the page is printed: a part too wide for one line
 * even at the smallest size the house allows, a group taller than its frame (errors, naming
 * story.md's line and the frame's line in layout.yaml); a part set smaller than the house size
 * (a note).
 */
export function checkHeadline(
  bound: Bound,
  layout: PageLayout,
  locateFrame: (id: string) => Place,
  locateFront: (key: PartName) => Place,
): { errors: InputError[]; notes: string[] } {
  const errors: InputError[] = [];
  const notes: string[] = [];
  const g = layout.grid;
  for (const f of layout.frames.filter((x) => x.kind === 'headline')) {
    const set = headlineSet(bound, f.box.w, g);
    const framePlace = locateFrame(f.id);
    for (const p of set.parts) {
      const name = PART_NAMES[p.part];
      const text = flat(bound.headline[p.part]).trim();
      if (!p.fits) {
        const t = HEADLINE_TYPE[p.part];
        const excess = p.widthMm + AIR_EM * p.pt * PT - p.frameMm;
        const cut = Math.max(1, Math.ceil(excess / (p.pt * PT * (1 + t.letterSpacing)) - 1e-9));
        errors.push(
          headlineMsg.tooWide(
            locateFront(p.part),
            name,
            text,
            p.pt,
            Math.round(t.minShare * 100),
            p.housePt,
            p.widthMm,
            p.frameMm,
            f.id,
            placeText(framePlace),
            cut,
          ),
        );
      } else if (p.pt < p.housePt) notes.push(headlineMsg.shrunk(name, p.pt, p.housePt));
    }
    // the frame's own rule (0.5 pt) under the group
    const need = set.heightMm + 0.5 * PT;
    if (!errors.length && need > f.box.h + 0.05)
      errors.push(
        headlineMsg.tooTall(framePlace, f.id, Math.ceil(need / g.pitch - 1e-6), f.lines, locateFront('headline').file),
      );
  }
  return { errors, notes };
}
