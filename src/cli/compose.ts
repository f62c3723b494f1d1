/**
 * `broadsheet compose <edition> [--write] [--variants n] [--fresh]`: proposes layout.yaml.
 * Without --write: prints the proposed layout(s) on stdout and builds each into
 * <out>/compose/variant-<n>/ with a proof (proof.png, broadsheet.pdf, report.json), then says
 * whether every chain fits as the composer predicted. With --write: writes layout.yaml (the
 * previous one kept as layout.yaml.bak); no browser is started.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadEdition, type Edition } from '../load/edition.js';
import { makePlaceholders } from './placeholders.js';
import { bind } from '../bind/figures.js';
import { composeLayout, type Composed, type Variant } from '../composer/composer.js';
import { widthMm } from '../composer/elements.js';
import { layoutYaml, scoreLine } from '../composer/emit.js';
import { RULES } from '../composer/rules.js';
import { headlineMsg, msg } from '../messages.js';
import { headlineTexts } from '../compose/compose.js';
import { setHeadline } from '../compose/headline.js';
import { machineFault, writeAtomic } from '../output/write.js';
import { buildEdition, defaultOutDir } from '../pipeline.js';
import { launchBrowser } from '../print/browser.js';
import { silentLogger, type Logger } from '../log.js';
import type { Command } from './command.js';
import { onInterrupt } from './interrupt.js';

export const compose: Command = {
  options: {
    write: { type: 'boolean', default: false },
    variants: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
  async run({ edition, common, values, log, out, err }) {
    const n = values.variants === undefined ? 1 : Number(values.variants);
    if (!Number.isInteger(n) || n < 1 || n > 9) throw msg.composeVariants(String(values.variants));
    const handled = onInterrupt(err);
    try {
      await runCompose(
        {
          edition,
          write: values.write === true,
          variants: n,
          fresh: values.fresh === true,
          outDir: common.outDir,
          log,
          ...(common.timeoutMs ? { timeoutMs: common.timeoutMs } : {}),
        },
        out,
      );
      return 0;
    } finally {
      handled();
    }
  },
};

export interface ComposeArgs {
  edition: string;
  write: boolean;
  variants: number;
  fresh: boolean;
  outDir?: string;
  /** each proof build's deadline (--timeout) */
  timeoutMs?: number;
  log: Logger;
}

/** What the build reported against what the composer predicted, chain by chain. */
export interface Agreement {
  chain: string;
  predicted: { emptyLines: number; oversetLines: number };
  built: { emptyLines: number; oversetLines: number; status: string; copyFit?: unknown };
  agree: boolean;
}

export interface ComposeOutcome {
  composed: Composed;
  /** per variant: where its proof went and how the build agreed */
  proofs: { dir: string; agreement: Agreement[]; warnings: string[] }[];
  wrote?: string;
}

function printScores(c: Composed, log: Logger): void {
  if (c.kept) log.info(c.kept.kept ? msg.composeKept() : msg.composeNotKept(c.kept.reason ?? ''));
  if (c.elements.relax) log.warn(msg.composeRelaxed(c.elements.relax));
  if (c.space) {
    const g = c.elements.grid;
    log.warn(
      msg.composeSpace(
        c.space.frames,
        c.space.area,
        Math.round(100 - (100 * c.space.area) / (g.preset.columns * g.lines)),
      ),
    );
  }
  for (const h of c.homes) log.info(`  ${h.kind} ${h.id} → ${h.home} (${h.by})`);
  c.variants.forEach((v: Variant, i) => {
    log.info(msg.composeScore(i + 1, v.score.total, scoreLine(v.score)));
    for (const r of RULES) for (const n of v.score.notes[r]) log.info(`    ${r}: ${n}`);
  });
  log.info(msg.composeTime(c.ms));
}

export async function runCompose(a: ComposeArgs, out: NodeJS.WritableStream): Promise<ComposeOutcome> {
  const ed = withPlaceholdersToMake(loadEdition(a.edition, { layoutOptional: true, photosMayBeMissing: true }), a);
  const toMake = [...ed.photos.values()].filter((p) => p.missing).length;
  const bound = bind(ed);
  const composed = composeLayout(ed, bound, { variants: a.variants, fresh: a.fresh });
  const [best] = composed.variants;
  if (!best) throw msg.composeNothing(ed.story.file);
  printScores(composed, a.log);
  // the headline group across the page: a part too wide for one line even at the smallest size
  // the house allows is said now (the build refuses it), a part set smaller is noted
  const g = composed.elements.grid;
  const band = setHeadline(headlineTexts(bound), widthMm(g, g.preset.columns), g);
  for (const p of band.parts) {
    if (!p.fits) a.log.warn(headlineMsg.composeTooWide(p.part === 'headline' ? 'main head' : p.part, p.pt));
    else if (p.pt < p.housePt)
      a.log.info(`note: ${headlineMsg.shrunk(p.part === 'headline' ? 'main head' : p.part, p.pt, p.housePt)}`);
  }
  const target = path.join(ed.dir, 'layout.yaml');
  if (a.write) {
    if (existsSync(target)) writeAtomic(`${target}.bak`, readFileSync(target));
    writeAtomic(target, layoutYaml(best.frames, best.score, ed.name));
    a.log.info(msg.composeWrote(target, existsSync(`${target}.bak`)));
    if (toMake) a.log.info(msg.composePlaceholdersNext(a.edition, toMake));
    return { composed, proofs: [], wrote: target };
  }
  const proposed = composed.variants.map((v) => ({ v, text: layoutYaml(v.frames, v.score, ed.name) }));
  out.write(proposed.map((p) => p.text).join('---\n'));

  // a proof of each variant: the edition copied with the proposed layout (beside the proofs, so a
  // disk that cannot take it is the output's fault, as for the proofs), built
  const outRoot = path.resolve(a.outDir ?? defaultOutDir(a.edition), 'compose');
  const scratch = path.join(outRoot, `.edition-${process.pid}`);
  const copy = path.join(scratch, ed.name);
  const proofs: ComposeOutcome['proofs'] = [];
  const launched = await launchBrowser();
  try {
    for (const [i, { v, text }] of proposed.entries()) {
      try {
        rmSync(copy, { recursive: true, force: true });
        // (an output folder inside the edition is not copied into itself)
        cpSync(ed.dir, copy, { recursive: true, filter: (f) => !inside(path.resolve(f), outRoot) });
      } catch (e) {
        throw machineFault(e, copy) ?? e;
      }
      writeAtomic(path.join(copy, 'layout.yaml'), text);
      // the copy's placeholders not made yet: made at this variant's sizes, as the user will
      if (toMake) await makePlaceholders(copy, { browser: launched });
      const dir = path.join(outRoot, `variant-${i + 1}`);
      a.log.progress(`proof of variant ${i + 1}`);
      const r = await buildEdition(copy, {
        outDir: dir,
        proof: true,
        allowOverset: true,
        allowOverflow: true,
        changes: false,
        browser: launched,
        log: silentLogger,
        ...(a.timeoutMs ? { timeoutMs: a.timeoutMs } : {}),
      });
      writeAtomic(path.join(dir, 'layout.yaml'), text);
      const agreement = agree(v, r.report.chains);
      proofs.push({ dir, agreement, warnings: r.report.warnings });
      const off = agreement.filter((x) => !x.agree);
      a.log.info(
        msg.composeProof(
          i + 1,
          path.relative(process.cwd(), dir) || dir,
          agreement.length - off.length,
          agreement.length,
        ),
      );
      for (const x of off) a.log.warn(msg.composeDisagree(x.chain, x.predicted, x.built));
      // the proof shows what the page check finds; the build of the written layout refuses it
      const found = r.report.warnings.filter((w) => w.includes(' past the frame') || w.includes(' over '));
      if (r.report.pageCheck.findings) a.log.warn(msg.composeProofFindings(i + 1, r.report.pageCheck.findings, found));
    }
  } finally {
    await launched.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { composed, proofs };
}

/** the pixels a photo without its file yet is composed with: 3:2, enough for any frame at 300 ppi */
const NO_PHOTO_YET: [number, number] = [6000, 4000];

/**
 * Photos not made yet: a placeholder (placeholder: true) is composed as a 3:2 picture and made by
 * `broadsheet placeholders` at the size compose gives it; any other photo must be there (its own
 * message, as the build gives it).
 */
function withPlaceholdersToMake(ed: Edition, a: ComposeArgs): Edition {
  const missing = [...ed.photos.values()].filter((p) => p.missing);
  if (missing.some((p) => !p.placeholder)) loadEdition(a.edition, { layoutOptional: true }); // throws
  for (const p of missing) a.log.info(`note: ${msg.composeNoPhotoYet(p.id, p.file)}`);
  const photos = new Map(
    [...ed.photos].map(([id, p]) => [id, p.missing ? { ...p, width: NO_PHOTO_YET[0], height: NO_PHOTO_YET[1] } : p]),
  );
  return { ...ed, photos };
}

export function agree(
  v: Variant,
  built: { id: string; status: string; emptyLines: number; oversetLines: number; copyFit?: unknown }[],
): Agreement[] {
  return built.map((c) => {
    const p = v.score.chains.find((x) => x.id === c.id) ?? { emptyLines: -1, oversetLines: -1 };
    return {
      chain: c.id,
      predicted: { emptyLines: p.emptyLines, oversetLines: p.oversetLines },
      built: {
        emptyLines: c.emptyLines,
        oversetLines: c.oversetLines,
        status: c.status,
        ...(c.copyFit ? { copyFit: c.copyFit } : {}),
      },
      agree: p.emptyLines === c.emptyLines && p.oversetLines === c.oversetLines && !c.copyFit,
    };
  });
}

function inside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir + path.sep);
}
