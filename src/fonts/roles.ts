/**
 * Which face prints which part of the page, in one place: the compose stage plans each text's
 * characters into the face of its role (fonts/coverage.ts cuts that face's file), and the same
 * table writes the CSS that gives the role its family and weight (styles/page.css sets sizes
 * and spacing only). A role's text planned in one face and printed in another fell back to a
 * system font (issue 12: a kicker printed partly in DroidSansFallback).
 */
import { FACES, type FaceName } from './faces.js';

export type Role =
  | 'body'
  | 'bodyBold'
  | 'lead'
  | 'inlineHead'
  | 'head'
  | 'folioBold'
  | 'folio'
  | 'banner'
  | 'series'
  | 'headline'
  | 'kicker'
  | 'subhead'
  | 'byline'
  | 'caption'
  | 'chartTitle'
  | 'chartSource'
  | 'factboxTitle'
  | 'factboxValue'
  | 'factboxLabel'
  | 'ad'
  | 'oversetMarker';

/** Each role's face and the selectors of styles/page.css and the templates that print it. */
export const ROLES: Record<Role, { face: FaceName; selector: string }> = {
  body: { face: 'body', selector: 'body' },
  bodyBold: { face: 'bodyBold', selector: '.text b' },
  lead: { face: 'bodyBold', selector: '.lead p' },
  inlineHead: { face: 'bodyBold', selector: '.inline-head' },
  head: { face: 'bodyBold', selector: '.head h2' },
  folio: { face: 'sans', selector: '.folio' },
  folioBold: { face: 'sansBold', selector: '.folio-page, .folio-section, .folio-pub' },
  banner: { face: 'sansHeavy', selector: '.banner-text' },
  series: { face: 'sansBold', selector: '.banner-series' },
  headline: { face: 'headline', selector: '.headline h1' },
  kicker: { face: 'sansBold', selector: '.kicker' },
  subhead: { face: 'sansBold', selector: '.subhead' },
  byline: { face: 'sans', selector: '.byline' },
  caption: { face: 'sans', selector: '.photo figcaption' },
  chartTitle: { face: 'sansBold', selector: '.chart-title' },
  chartSource: { face: 'sans', selector: '.chart-source' },
  factboxTitle: { face: 'sansBold', selector: '.factbox h3' },
  factboxValue: { face: 'sansHeavy', selector: '.fb-value' },
  factboxLabel: { face: 'sans', selector: '.fb-label' },
  ad: { face: 'sansBold', selector: '.ad' },
  oversetMarker: { face: 'sansBold', selector: '.overset-marker' },
};

/** The face of a role. */
export const faceOf = (role: Role): FaceName => ROLES[role].face;

/** The CSS that gives every role its face: one rule per role, one rule a line. */
export function rolesCss(): string {
  return Object.values(ROLES)
    .map(({ face, selector }) => {
      const f = FACES[face];
      const generic = f.family.includes('Sans') ? 'sans-serif' : 'serif';
      return `${selector}{font-family:'${f.family}',${generic};font-weight:${f.weight}}`;
    })
    .join('\n');
}
