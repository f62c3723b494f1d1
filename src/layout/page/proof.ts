/**
 * The proof overlay (in the page): column grid, baseline grid, frame outlines with their names,
 * and overset chains boxed in red. Drawn after the PDF is printed, for proof.png only.
 */
import type { ChainLayout, ProofGrid } from './protocol.js';

export function drawProof(g: ProofGrid, chains: ChainLayout[]): void {
  const trim = document.querySelector<HTMLElement>('.trim');
  if (!trim) throw new Error('the page has no .trim element');
  const layer = document.createElement('div');
  layer.className = 'proof-layer';
  const mm = (v: number) => `${v}mm`;
  const add = (css: Partial<CSSStyleDeclaration>, text?: string) => {
    const d = document.createElement('div');
    Object.assign(d.style, { position: 'absolute', pointerEvents: 'none', boxSizing: 'border-box' }, css);
    if (text) d.textContent = text;
    layer.appendChild(d);
    return d;
  };
  for (let c = 0; c < g.columns; c++) {
    add({
      left: mm(g.left + c * (g.colW + g.gutter)),
      top: mm(g.top),
      width: mm(g.colW),
      height: mm(g.lines * g.pitch),
      background: 'rgba(0,160,255,0.07)',
    });
  }
  for (let l = 0; l <= g.lines; l++) {
    add({
      left: mm(g.left),
      top: mm(g.top + l * g.pitch),
      width: mm(g.columns * g.colW + (g.columns - 1) * g.gutter),
      height: '0',
      borderTop: '0.5px solid rgba(0,160,255,0.35)',
    });
  }
  const lastFrame = (c: ChainLayout) => c.frames[c.frames.length - 1];
  const over = new Set(chains.filter((c) => c.status === 'overset').map(lastFrame));
  for (const f of Array.from(document.querySelectorAll<HTMLElement>('.frame'))) {
    const id = f.id.slice(2);
    const r = f.getBoundingClientRect();
    const t = trim.getBoundingClientRect();
    const bad = over.has(id);
    const box = add({
      left: `${r.left - t.left}px`,
      top: `${r.top - t.top}px`,
      width: `${r.width}px`,
      height: `${r.height}px`,
      border: bad ? '3px solid #e00' : '1px solid #e4007f',
    });
    const label = add(
      {
        left: '0',
        top: '0',
        background: bad ? '#e00' : '#e4007f',
        color: '#fff',
        font: '600 9px sans-serif',
        padding: '0 3px',
      },
      id + (bad ? ' OVERSET' : ''),
    );
    box.appendChild(label);
  }
  for (const c of chains.filter((x) => x.status === 'overset')) {
    const last = document.getElementById(`f-${lastFrame(c)}`);
    if (!last) continue;
    const r = last.getBoundingClientRect();
    const t = trim.getBoundingClientRect();
    add(
      {
        left: `${r.left - t.left}px`,
        top: `${r.bottom - t.top}px`,
        background: '#e00',
        color: '#fff',
        font: '700 11px sans-serif',
        padding: '1px 4px',
      },
      `${c.id}: ${c.oversetChars}字 / ${c.oversetLines} lines over`,
    );
  }
  trim.appendChild(layer);
}
