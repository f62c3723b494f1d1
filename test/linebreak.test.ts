/**
 * Chinese line fitting (pure, no browser): fixture texts built to trigger each rule, with Latin
 * widths given. A line of the 13-character measure must come out exactly 13 em wide.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  breakLines,
  canBreakAfter,
  latinBoundaries,
  tokenize,
  CLOSE,
  OPEN,
  type Line,
  type Unit,
} from '../src/layout/page/linebreak.js';

const latin = (s: string) => s.length * 0.55;
const lay = (text: string, measure = 13, indent = 2) => {
  const units = tokenize(text, latin, measure - indent);
  return { units, lines: breakLines(units, measure, indent) };
};
const width = (units: Unit[], l: Line) => {
  let w = 0;
  for (let k = l.from; k < l.to; k++) w += units[k]!.w;
  for (const [, em] of l.comp) w -= em;
  const chars = units.slice(l.from, l.to).reduce((n, u) => n + (u.kind === 'latin' ? 1 : u.end - u.start), 0);
  let meets = 0;
  for (let k = l.from; k < l.to; k++)
    if (units[k]!.kind === 'latin')
      meets +=
        (k > l.from && units[k - 1]!.kind === 'han' ? 1 : 0) + (k + 1 < l.to && units[k + 1]!.kind === 'han' ? 1 : 0);
  return w + l.spacing * Math.max(1, chars - 1) + l.latinGap * meets;
};
const textOf = (text: string, units: Unit[], l: Line) => text.slice(units[l.from]!.start, units[l.to - 1]!.end);
const HAN = '雨湖区锚定高质量发展目标以闯的精神创的劲头干的作风书写发展篇章';
const han = (n: number, at = 0) => Array.from({ length: n }, (_, i) => HAN[(i + at) % HAN.length]).join('');

function check(text: string, allowLoose = false) {
  const { units, lines } = lay(text);
  lines.forEach((l, i) => {
    const t = textOf(text, units, l);
    if (!l.last)
      assert.ok(Math.abs(width(units, l) - (i === 0 ? 11 : 13)) < 1e-6, `line ${i} "${t}" is ${width(units, l)} em`);
    assert.not.ok(CLOSE.includes(t[0]!), `line ${i} starts with a closing mark: ${t}`);
    assert.not.ok(OPEN.includes(t[t.length - 1]!), `line ${i} ends with an opening mark: ${t}`);
    if (!allowLoose) assert.ok(l.spacing <= 1e-9, `line ${i} "${t}" is loosened by ${l.spacing} em a character`);
  });
  return { units, lines };
}

test('all-Han text: 11 then 13 characters a line, no spacing added', () => {
  const { units, lines } = check(han(11 + 13 * 3));
  assert.equal(
    lines.map((l) => l.to - l.from),
    [11, 13, 13, 13],
  );
  assert.ok(lines.every((l) => l.comp.length === 0 && l.spacing === 0));
  assert.is(units.length, 50);
});

test('a comma that would start a line is pulled in by compressing punctuation, not pushed', () => {
  // 11 characters fill the first line; the comma after them must not start the second
  const text = `${han(5)}、${han(5)}，${han(20)}`;
  const { units, lines } = check(text);
  const first = textOf(text, units, lines[0]!);
  assert.is(first, `${han(5)}、${han(5)}，`, 'the comma stays on the first line');
  assert.ok(lines[0]!.comp.length >= 1, 'by compressing a mark');
});

test('adjacent marks take 1.5 em together; a mark at the line end is half width', () => {
  const text = `${han(6)}。”${han(3)}，${han(30)}`;
  const { units, lines } = check(text);
  const k = units.findIndex((u) => text.slice(u.start, u.end) === '。');
  const l = lines.find((x) => x.from <= k && k < x.to)!;
  assert.ok(
    l.comp.some(([i, em]) => i === k && em === 0.5),
    'the full stop before the closing quote gives up half',
  );
  for (const line of lines.filter((x) => !x.last)) {
    const lastUnit = units[line.to - 1]!;
    if (lastUnit.kind === 'close')
      assert.ok(
        line.comp.some(([i, em]) => i === line.to - 1 && em === 0.5),
        'a closing mark at a line end is half width',
      );
  }
});

test('—— and …… are never split; numbers and Latin words never broken', () => {
  // Latin widths here are arbitrary, so lines with them may need loosening: not checked
  const text = `${han(10)}——${han(12)}……${han(3)}GDP增长6.2%，${han(9)}2020年${han(20)}`;
  const { units, lines } = check(text, true);
  for (const u of units) if (u.kind === 'dash') assert.is(u.end - u.start, 2);
  for (const w of ['GDP', '6.2%', '2020'])
    assert.ok(
      units.some((u) => u.kind === 'latin' && text.slice(u.start, u.end) === w),
      w,
    );
  assert.ok(lines.length > 3);
});

test('a Latin run wider than the line is cut so nothing runs out of the column', () => {
  const url = 'https://example.com/a/very/long/path/that/is/wider/than/a/column';
  const { units } = lay(`${han(4)}${url}${han(4)}`);
  const pieces = units.filter((u) => u.kind === 'latin');
  assert.ok(pieces.length > 1);
  assert.ok(pieces.every((u) => u.w <= 11 + 1e-9));
});

test('the whole seed-like paragraph: every line but the last exactly fills the measure', () => {
  const text =
    '翻开雨湖区“十四五”经济账本，清晰的增长曲线背后是无数次攻坚克难的坚守。地区生产总值从2020年646.8亿元稳步增长至900亿元，年均增速保持6.2%，在区域经济格局中稳稳站稳脚跟：固定资产投资年均增长5.1%，社会消费品零售总额年均增长4%，两大需求端持续发力，为经济增长注入持久动能。';
  const { lines } = lay(text);
  const { units } = lay(text);
  lines.forEach((l, i) => {
    if (!l.last) assert.ok(Math.abs(width(units, l) - (i === 0 ? 11 : 13)) < 1e-6, `line ${i}`);
  });
});

test('an orphan (a last line of one character) is avoided by breaking earlier lines differently', () => {
  // 11 + 13 + 1: greedy would leave one character alone; a comma lets an earlier line take it
  const text = `${han(4)}，${han(6)}${han(13, 3)}${han(1, 5)}。`;
  const { units, lines } = check(text);
  const last = lines[lines.length - 1]!;
  assert.ok(last.to - last.from > 2, `last line "${textOf(text, units, last)}"`);
});

test('house style: a quarter em where Latin meets Han, never at a line end', () => {
  const text = `${han(3)}GDP${han(30)}`;
  const units = tokenize(text, latin, 11);
  const lines = breakLines(units, 13, 2, 0.25);
  const first = lines[0]!;
  assert.ok(first.latinGap >= 0.25);
  assert.ok(Math.abs(width(units, first) - 11) < 1e-6, `${width(units, first)} em`);
});

// issue 12: even spacing (JLREQ), units never broken, no Han–Latin space beside a mark

test('a line compressed by 0.5 em over two optional commas takes 0.25 em from each, not 0.5 from the first', () => {
  // 甲乙，丙丁，戊己庚: 7 Han + 2 commas = 9 em natural; measure 8.5 → excess 0.5, two commas in mid-line
  const text = '甲乙，丙丁，戊己庚';
  const units = tokenize(text, latin);
  const lines = breakLines(units, 8.5, 0);
  assert.is(lines.length, 1);
  assert.equal(lines[0]!.comp, [
    [2, 0.25],
    [5, 0.25],
  ]);
  assert.is(lines[0]!.spacing, 0);
});

test('an opening and a closing mark in one line are compressed alike: 0.5 em over 」 and 「 = 0.25 each', () => {
  // 甲乙，丙「丁」戊: ， and 「 and 」 are optional here (」 is followed by Han); 8 em natural → 7.25
  const text = '甲乙，丙「丁」戊';
  const units = tokenize(text, latin);
  const lines = breakLines(units, 7.25, 0);
  assert.is(lines.length, 1);
  assert.equal(lines[0]!.comp, [
    [2, 0.25],
    [4, 0.25],
    [6, 0.25],
  ]);
});

test('a unit with a slash is never broken, and a figure stays with the character after it', () => {
  const text = '浓度31.2微克/立方米';
  const units = tokenize(text, latin);
  // units: 浓 度 [31.2] 微 克 [/] 立 方 米
  assert.equal(
    units.map((u) => text.slice(u.start, u.end)),
    ['浓', '度', '31.2', '微', '克', '/', '立', '方', '米'],
  );
  const allowed = units.map((_, k) => canBreakAfter(units, k, text));
  // after 度 yes (before a figure), after 31.2 no (its unit), after 克 no (before /), after / no
  assert.equal(allowed, [true, true, false, true, false, false, true, true, true]);
});

test('a paragraph never breaks at 微克/立方米 nor between 85 and 分钟, whatever the measure', () => {
  const text = '坐公交车要85分钟，年均浓度31.2微克/立方米，比上年下降9.8%。';
  for (let measure = 5; measure <= 14; measure++) {
    const units = tokenize(text, latin, measure);
    for (const l of breakLines(units, measure, 0, 0, text).slice(0, -1)) {
      const end = text.slice(0, units[l.to - 1]!.end);
      assert.not.ok(/\/$|微克$|85$|31\.2$|9\.8$/.test(end), `measure ${measure}: a line ends "${end.slice(-6)}"`);
    }
  }
});

test('a Latin run meets Han twice in 到88.5%的 but once in 到88.5%。 (no house space beside a mark)', () => {
  const a = tokenize('到88.5%的', latin);
  const b = tokenize('到88.5%。', latin);
  assert.is(latinBoundaries(a, 0, a.length), 2);
  assert.is(latinBoundaries(b, 0, b.length), 1);
});

test('Latin runs are measured with their offsets in the text (a bold run can be measured bold)', () => {
  const calls: [string, number][] = [];
  tokenize('ab中cd', (s, start) => {
    calls.push([s, start]);
    return s.length * 0.5;
  });
  assert.equal(calls, [
    ['ab', 0],
    ['cd', 3],
  ]);
});

test.run();
