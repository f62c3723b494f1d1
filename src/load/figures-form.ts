/**
 * figures.yaml written as a plain list of numbers (`gdp_2020: 646.8`) is one mistake, not one
 * per figure: the schema alone said `"gdp_2020" must be object` 32 times without the form it
 * wants (issue 12). This says it once, with the first figure rewritten in the expected form.
 */
import { figuresMsg, type InputError } from '../messages.js';
import type { Located } from './structured.js';

export function plainFigures(loc: Located<unknown>): InputError | undefined {
  const data = loc.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const plain = Object.entries(data as Record<string, unknown>).filter(
    ([, v]) => typeof v === 'number' || typeof v === 'string',
  );
  const [first] = plain;
  if (!first || plain.length < 2) return undefined; // one slip: the schema's own message says it
  return figuresMsg.plainNumbers(loc.locate([first[0]]), plain.length, first[0], String(first[1]));
}
