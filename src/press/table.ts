/** The preflight's findings as a table for the terminal (pure). */
import { msg } from '../messages.js';
import type { Finding } from './preflight.js';

const width = (s: string) =>
  [...s].reduce((n, ch) => n + (/[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/**
 * Errors first, then warnings; each row: severity, rule, page, place (mm from the trim's top
 * left), frame, object, message, fix.
 */
export function findingsTable(findings: Finding[], limit = 40): string {
  if (!findings.length) return '';
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const rows = sorted
    .slice(0, limit)
    .map((f) => [
      msg.press.tableSeverity(f.severity === 'error'),
      f.rule,
      `p${f.page}`,
      f.at ? `${f.at.x.toFixed(1)}, ${f.at.y.toFixed(1)} mm` : '',
      f.frame ?? '',
      f.object,
      `${f.message}; ${f.fix}`,
    ]);
  const head = msg.press.tableHead;
  const all = [head, ...rows];
  const w = head.map((_, i) => (i === head.length - 1 ? 0 : Math.max(...all.map((r) => width(r[i]!)))));
  const lines = all.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : pad(c, w[i]!))).join('  ')}`.trimEnd());
  if (sorted.length > limit) lines.push(`  ${msg.press.tableMore(sorted.length - limit)}`);
  return lines.join('\n');
}
