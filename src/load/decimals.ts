/**
 * The decimals a figure's value is written with in figures.yaml: `value: 647.0` is read as the
 * number 647, and printed so its written decimal was lost (issue 12). The YAML parser's own
 * source text of each number (the `yaml` package keeps it) gives them back; only a file with a
 * number ending in 0 after its point (the only decimals a number loses) is parsed again.
 */
import { isMap, isScalar, parseDocument } from 'yaml';

/** Figure name → how many decimals its `value` is written with, where a trailing 0 would be lost. */
export function writtenDecimals(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  if (!/\d\.\d*0(?![\d.])/.test(text)) return out;
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return out;
  for (const pair of doc.contents.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const v = isMap(pair.value) ? pair.value.get('value', true) : undefined;
    const src = isScalar(v) && typeof v.value === 'number' ? v.source : undefined;
    const dec = /^[-+]?\d+\.(\d+)$/.exec(src ?? '')?.[1];
    if (name !== undefined && dec !== undefined && dec.endsWith('0')) out[name] = dec.length;
  }
  return out;
}
