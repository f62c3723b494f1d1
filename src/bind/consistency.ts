/**
 * Consistency (pure): derived figures stated in the text compared with what their inputs give,
 * and numbers written literally in the text that equal a figure and should be bound to it.
 */
import { inputErrors, msg, type InputError } from '../messages.js';
import type { Edition, FigureDef } from '../load/edition.js';
import type { Bound } from './figures.js';
import { formatFigure } from './figures.js';

export interface CheckResult {
  figure: string;
  kind: 'cagr' | 'multiple' | 'share';
  stated: number;
  computed: number;
  ok: boolean;
  intended?: string;
}

export interface Consistency {
  checks: CheckResult[];
  warnings: string[];
  notes: string[];
}

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

export function checkConsistency(ed: Edition, bound: Bound): Consistency {
  const figures = ed.figures.data;
  const checks: CheckResult[] = [];
  const warnings: string[] = [];
  const notes: string[] = [];
  const errors: InputError[] = [];
  const input = (name: string, at: (string | number)[]): FigureDef | undefined => {
    const f = figures[name];
    if (!f) errors.push(msg.unknownFigure(ed.figures.locate(at), name, []));
    return f;
  };
  for (const [name, f] of Object.entries(figures)) {
    const c = f.check;
    if (!c) continue;
    let kind: CheckResult['kind'];
    let computed: number;
    if (c.cagr) {
      const [a, b] = [input(c.cagr[0], [name, 'check', 'cagr', 0]), input(c.cagr[1], [name, 'check', 'cagr', 1])];
      if (!a || !b) continue;
      if (!c.years) {
        errors.push(msg.checkNeedsYears(ed.figures.locate([name, 'check']), name));
        continue;
      }
      kind = 'cagr';
      computed = ((b.value / a.value) ** (1 / c.years) - 1) * 100;
    } else if (c.multiple) {
      const [a, b] = [
        input(c.multiple[0], [name, 'check', 'multiple', 0]),
        input(c.multiple[1], [name, 'check', 'multiple', 1]),
      ];
      if (!a || !b) continue;
      kind = 'multiple';
      computed = b.value / a.value;
    } else if (c.share) {
      const [a, b] = [input(c.share[0], [name, 'check', 'share', 0]), input(c.share[1], [name, 'check', 'share', 1])];
      if (!a || !b) continue;
      kind = 'share';
      computed = (a.value / b.value) * 100;
    } else continue;
    const tol = c.tolerance ?? 0.1;
    const ok = c.atLeast ? computed >= f.value - tol : Math.abs(computed - f.value) <= tol;
    checks.push({
      figure: name,
      kind,
      stated: f.value,
      computed: round(computed),
      ok,
      ...(c.intended ? { intended: c.intended } : {}),
    });
    if (!ok) {
      const text = msg.derivedMismatch(
        name,
        kind,
        formatFigure(f, undefined),
        round(computed),
        f.unit ?? '',
        c.atLeast === true,
      );
      if (c.intended) notes.push(`${text} (marked as intended: ${c.intended})`);
      else warnings.push(text);
    }
  }
  if (errors.length) throw inputErrors(errors);

  // numbers written out that equal a figure's printed form
  const printed = new Map<string, string>();
  for (const [name, f] of Object.entries(figures)) if (!f.display) printed.set(formatFigure(f, undefined), name);
  for (const c of bound.chains) {
    for (const b of c.blocks) {
      const literal = b.segs
        .filter((s) => !s.fig)
        .map((s) => s.s)
        .join('\u0000');
      for (const [form, name] of printed) {
        if (!/\d/.test(form)) continue;
        let at = literal.indexOf(form);
        while (at >= 0) {
          const before = literal[at - 1] ?? '';
          const after = literal[at + form.length] ?? '';
          // a whole number, not part of a longer one
          if (!/[\d.]/.test(before) && !/^[\d.]/.test(after)) warnings.push(msg.literalFigure(b.place, form, name));
          at = literal.indexOf(form, at + 1);
        }
      }
    }
  }
  return { checks, warnings, notes };
}
