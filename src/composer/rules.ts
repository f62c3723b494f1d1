/**
 * What a good page is, as numbers: every rule the composer scores, with its weight. The search
 * (modules.ts, search.ts) and the scorer of a finished layout (score.ts) use these same weights;
 * README.md lists the rules with them. A score is a sum of penalties: 0 is a page that breaks
 * no rule and sizes everything at its natural size.
 */

export const WEIGHTS = {
  /** fit: per line of text left over (never chosen when anything fits) */
  overset: 1000,
  /** fit: per empty line beyond the one a chain may end with */
  underset: 50,
  /** fit: the one empty line a chain may end with */
  oneEmpty: 2,
  /** reading order: per frame of a chain read out of order, or a head not above its text */
  order: 200,
  /** modules: per section whose head, text and visuals are not one rectangle of its own */
  module: 200,
  /** visuals: a photo cropped to the limit (10 % off its aspect ratio); quadratic inside it */
  crop: 4,
  /** visuals: a photo cropped beyond the limit */
  cropBeyond: 300,
  /** visuals: (ln(share / target share))², a photo's size against its priority */
  size: 10,
  /** visuals: a picture over the share of the page it may take */
  share: 300,
  /** visuals: a photo larger than one the editor ranked above it */
  priority: 100,
  /** visuals: per grid step (a column, or 5 lines) between a visual and its section */
  near: 10,
  /** visuals: a chart's height against its natural height, quadratic in the relative difference */
  chartSize: 6,
  /** visuals: per column a chart is wider or narrower than it reads best */
  chartWidth: 3,
  /** visuals: a chart smaller than it can be read at, or far taller than its data needs */
  chartIllegible: 200,
  /** visuals: a fact box's height against its natural height */
  factbox: 3,
  /** visuals: per grid cell a fact box is taller than its natural height (empty tint) */
  factboxAir: 1,
  /** visuals: a photo printed below 300 ppi, per 10 ppi */
  lowPpi: 5,
  /** the headline group not across the top */
  headline: 500,
  /** two photos side by side at the same size */
  twins: 80,
  /** two heads side by side at the same height (bumping heads) */
  bump: 80,
  /** per grid cell (a column by a line) that no frame covers */
  whitespace: 2,
  /** legs: per line a leg of text is shorter than 10 lines */
  shortLeg: 3,
  /** legs: per line a leg is longer than 55 lines */
  longLeg: 1,
  /** a paragraph's single line alone at a column's top or foot */
  widow: 10,
  /** a section head set smaller than 15 pt because its columns are narrow: per pt */
  headSize: 4,
  /** per column group a module is divided into beyond the first (simpler is better) */
  groups: 2,
  /** the lead module narrower than half the page */
  leadNarrow: 30,
  /** the lead set large in a single column (a few bold characters a line, gaps between them) */
  leadOneColumn: 90,
  /** the lead set under a picture instead of right under the headline */
  leadBelow: 15,
  /** a section head given a fourth line of air (to make its module fit) */
  headAir: 1,
  /** per height beyond the first at which a module's text columns start */
  ragged: 3,
  /** keeping the arrangement after a text change: per frame that moved to other columns */
  moved: 40,
} as const;

/** The rules, in the order the score reports them. */
export const RULES = [
  'fit',
  'order',
  'modules',
  'visuals',
  'headline',
  'twins',
  'bumpingHeads',
  'whitespace',
  'legs',
] as const;
export type Rule = (typeof RULES)[number];

/** Legs (one column of a story's text) are 10-55 lines; never shorter than this. */
export const LEG_MIN_HARD = 4;
export const LEG_SHORT = 10;
export const LEG_LONG = 55;
