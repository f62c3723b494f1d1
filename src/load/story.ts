/**
 * story.md: YAML front matter (the headline group) and a Markdown body divided into text
 * chains by "::chain <id>" lines. "## " lines are section heads; "::photo <id> <caption>" and
 * "::chart <id> <caption>" attach captions to the photos and charts the layout places.
 * Figures are referenced as {name} (value and unit) or {name:num} (the number alone).
 */
import MarkdownIt, { type Token } from 'markdown-it';
import { msg, type Place } from '../messages.js';
import { parseYaml, schemaValidator, validate, type Located } from './structured.js';

export interface Headline {
  banner?: string;
  series?: string;
  kicker?: string;
  headline: string;
  subhead?: string;
  byline?: string;
}

/** A run of source text; `bold` from **…**. References are resolved by the bind stage. */
export interface Run {
  s: string;
  bold?: boolean;
}

export interface Block {
  kind: 'para' | 'head';
  runs: Run[];
  /** where the block starts in story.md */
  place: Place;
}

export interface Chain {
  id: string;
  place: Place;
  blocks: Block[];
}

export interface Caption {
  id: string;
  text: string;
  place: Place;
}

export interface Story {
  file: string;
  front: Located<Headline>;
  chains: Chain[];
  photos: Caption[];
  charts: Caption[];
}

const DIRECTIVE = { chain: 'text chain', photo: 'photo caption', chart: 'chart caption' };

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

export function parseStory(text: string, file: string): Story {
  const fm = /^---\n([\s\S]*?)\n---[ \t]*\n/.exec(text);
  if (!fm) {
    throw msg.noFrontMatter(file);
  }
  // the front matter's text starts on the file's line 2
  const front = validate<Headline>(
    parseYaml(fm[1]!, file, 2),
    schemaValidator('story.schema.json'),
    'story front matter',
  );
  const bodyStart = fm[0].split('\n').length - 1; // lines before the body
  const tokens = md.parse(text.slice(fm[0].length), {});

  const story: Story = { file, front, chains: [], photos: [], charts: [] };
  let chain: Chain | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.type !== 'paragraph_open' && tok.type !== 'heading_open') {
      if (tok.block && tok.nesting === 1 && !['paragraph_open', 'heading_open'].includes(tok.type)) {
        const place = { file, line: bodyStart + (tok.map?.[0] ?? 0) + 1 };
        throw msg.unsupportedBlock(place, tok.type.replace('_open', ''));
      }
      continue;
    }
    const inline = tokens[i + 1]!;
    const line = bodyStart + (tok.map?.[0] ?? 0) + 1;
    const place: Place = { file, line };
    const content = inline.content.trim();
    if (tok.type === 'paragraph_open' && content.startsWith('::')) {
      // directives on consecutive lines are one Markdown paragraph: each "::" line starts its
      // own directive; a line that does not continues the caption above it
      let at = line;
      for (const piece of content.split(/\n(?=::)/)) {
        const here = { file, line: at };
        at += piece.split('\n').length;
        const m = /^::(chain|photo|chart)\s+([A-Za-z0-9_-]+)\s*(.*)$/s.exec(piece);
        if (!m) throw msg.unknownDirective(here, piece.split('\n')[0]!);
        const [, kind, id = '', rest = ''] = m; // every group takes part in a match
        const twice = (kind === 'chain' ? story.chains : kind === 'photo' ? story.photos : story.charts).find(
          (x) => x.id === id,
        );
        if (twice) throw msg.hostile.duplicateId(here, DIRECTIVE[kind as keyof typeof DIRECTIVE], id, twice.place);
        if (kind === 'chain') {
          chain = { id, place: here, blocks: [] };
          story.chains.push(chain);
        } else {
          (kind === 'photo' ? story.photos : story.charts).push({ id, text: rest.replace(/\n/g, ''), place: here });
        }
      }
      continue;
    }
    if (!chain) throw msg.textOutsideChain(place);
    const level = tok.type === 'heading_open' ? Number(tok.tag.slice(1)) : 0;
    if (level && level !== 2) throw msg.headingLevel(place, level);
    chain.blocks.push({ kind: level ? 'head' : 'para', runs: runsOf(inline.children ?? [], place), place });
  }
  if (!story.chains.some((c) => c.blocks.some((b) => b.kind === 'para'))) throw msg.emptyStory(file);
  return story;
}

function runsOf(children: Token[], place: Place): Run[] {
  const runs: Run[] = [];
  let bold = false;
  for (const c of children) {
    switch (c.type) {
      case 'text':
      case 'code_inline':
        runs.push(bold ? { s: c.content, bold } : { s: c.content });
        break;
      case 'softbreak':
      case 'hardbreak':
        // Chinese text joins lines without a space; keep the newline so places stay countable
        runs.push({ s: '\n' });
        break;
      case 'strong_open':
        bold = true;
        break;
      case 'strong_close':
        bold = false;
        break;
      case 'em_open':
      case 'em_close':
      case 'link_open':
      case 'link_close':
        break;
      case 'image':
        throw msg.markdownImage(place);
      default:
        break;
    }
  }
  return runs;
}
