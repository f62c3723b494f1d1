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
import { pageMsg, placeText, type InputError, type Place } from '../messages.js';

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
  const problems: InputError[] = [];
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
