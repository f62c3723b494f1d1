/** A proposed layout as layout.yaml text: one frame a line, in reading order, with its score. */
import type { FrameDef } from '../load/edition.js';
import type { Score } from './score.js';
import { RULES } from './rules.js';

const KEYS: (keyof FrameDef)[] = [
  'id',
  'kind',
  'chain',
  'ref',
  'mark',
  'label',
  'columns',
  'top',
  'lines',
  'minLines',
  'maxLines',
  'style',
  'rule',
  'pinned',
];

/** A YAML scalar: plain where YAML reads it back the same, quoted otherwise. */
function scalar(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(scalar).join(', ')}]`;
  const s = String(v);
  return /^[A-Za-z0-9_\u4e00-\u9fff][A-Za-z0-9_ .\u4e00-\u9fff-]*$/.test(s) && !/^(true|false|null|yes|no|~)$/i.test(s)
    ? s
    : JSON.stringify(s);
}

export function frameLine(f: FrameDef): string {
  const fields = KEYS.filter((k) => f[k] !== undefined).map((k) => `${k}: ${scalar(f[k])}`);
  return `  - { ${fields.join(', ')} }`;
}

export function scoreLine(s: Score): string {
  return RULES.map((r) => `${r} ${Math.round(s.parts[r] * 10) / 10}`).join(', ');
}

export function layoutYaml(frames: FrameDef[], score: Score, edition: string): string {
  return [
    `# ${edition}: proposed by "broadsheet compose"; score ${Math.round(score.total * 10) / 10} (lower is better):`,
    `# ${scoreLine(score)}.`,
    '# columns: [first, last] (1-based); top: first body line (0-based); lines: height in body lines.',
    '# pinned: true keeps a frame where it is when the page is composed again.',
    'frames:',
    ...frames.map(frameLine),
    '',
  ].join('\n');
}
