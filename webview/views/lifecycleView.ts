// Root lifecycle: one lane per L1 page that ever held a root (its nCR3), each root's life a
// bar from allocation through invalidation (paler) to free, with marks for L0 shadow fills
// of that nCR3, ASID flushes, L0 dropping shadow[nCR3] and stale uses (red). A recycled
// root whose lane saw no drop since the previous root there is outlined: L0 kept the old
// shadow. Hover explains, click reveals the statement and moves the timeline there.
// Only lanes in view are drawn (windowed), marks bucketed per few px; SVG while that stays
// small, a canvas beyond (10,000 roots / 100,000 marks stay fast). Theme colours only.
import { LIFE_KINDS, type LifecycleView } from '../../src/protocol';
import type { UpdateReason, View, ViewContext } from '../context';
import { clear, h, svg } from '../dom';
import { hex, lineLabel } from '../format';
import { translationPath } from './translationPath';
import {
  AXIS_H, LANE_H, indexLanes, laneGlyphs, lanesInView, markAt, rootAt, xScale, type LaneIndex, type MarkGlyph, type Scale,
} from '../chart/lifecycleLayout';

/** Above this many shapes in view the chart draws on a canvas. */
export const SVG_LIMIT = 2500;
const KIND_LABEL = ['L0 shadow fill', 'ASID flush', 'L0 dropped shadow[nCR3]', 'stale use'] as const;

export class LifecycleChart implements View {
  readonly el: HTMLElement;
  private readonly summary = h('p', { class: 'muted life-summary', id: 'life-summary' });
  private readonly viewport = h('div', { class: 'life-viewport', tabindex: 0, role: 'region', 'aria-label': 'Root lifecycle chart (scrolls by lane)' });
  private readonly spacer = h('div', { class: 'life-spacer' });
  private readonly layer = h('div', { class: 'life-layer' });
  private readonly axis = h('div', { class: 'life-axis' });
  private readonly tip = h('div', { class: 'life-tip', role: 'tooltip', id: 'life-tip', hidden: true });
  private readonly pathBox = h('div', { class: 'life-path', 'aria-live': 'polite' });
  /** The stale use whose path is drawn (index into the scenario's list). */
  private selectedUse = 0;
  private data: LifecycleView | null = null;
  private index: LaneIndex | null = null;
  private key = '';
  private frame = 0;
  private scale: Scale | null = null;
  private mode: 'svg' | 'canvas' = 'svg';
  private generation = 0;

  constructor(private readonly ctx: ViewContext) {
    const legend = h('ul', { class: 'life-legend', 'aria-label': 'Legend' },
      h('li', {}, h('span', { class: 'sw sw-bar' }), 'root alive'), h('li', {}, h('span', { class: 'sw sw-inv' }), 'invalidated, not yet freed'),
      h('li', {}, h('span', { class: 'sw sw-kept' }), 'recycled, L0 kept the shadow'),
      h('li', {}, h('span', { class: 'sw sw-fill' }), KIND_LABEL[0]), h('li', {}, h('span', { class: 'sw sw-asid' }), KIND_LABEL[1]),
      h('li', {}, h('span', { class: 'sw sw-drop' }), KIND_LABEL[2]), h('li', {}, h('span', { class: 'sw sw-stale' }), KIND_LABEL[3]));
    this.viewport.append(this.spacer, this.layer);
    this.el = h('div', { class: 'view view-life' }, this.summary, legend, h('div', { class: 'life-frame' }, this.viewport, this.axis, this.tip), this.pathBox);
    this.viewport.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
    this.viewport.addEventListener('mousemove', (e) => this.hover(e));
    this.viewport.addEventListener('mouseleave', () => { this.tip.hidden = true; });
    this.viewport.addEventListener('click', (e) => this.click(e));
  }

  update(_reason: UpdateReason): void {
    const p = this.ctx.panel();
    const s = this.ctx.scenario();
    const key = p && s ? `${p.runId}:${s.index}` : '';
    if (key === this.key) { this.schedule(); return; }
    this.key = key;
    this.selectedUse = 0;
    this.drawPath();
    this.data = null;
    this.index = null;
    clear(this.layer);
    if (!p || !s) return;
    this.summary.textContent = 'Loading the lifecycle…';
    const gen = ++this.generation;
    this.ctx.host.getLifecycle({ type: 'getLifecycle', runId: p.runId, scenario: s.index }).then((m) => {
      if (gen !== this.generation) return;
      this.data = m.view;
      this.index = m.view ? indexLanes(m.view) : null;
      this.describe();
      this.schedule();
    }, (e: unknown) => {
      // A state message for the same run (the host re-posts it: a label, a reload, a Test
      // Explorer run) rejects requests in flight as superseded; this key then looks current,
      // so nothing would ask again and the chart would stay "Loading". Ask again, once per state.
      if (gen !== this.generation || !(e instanceof Error) || e.message !== 'superseded') return;
      this.key = '';
      this.update(_reason);
    });
  }

  private describe(): void {
    const v = this.data;
    if (!v || v.roots.id.length === 0) {
      this.summary.textContent = 'No root was allocated in this run.';
      this.el.dataset['lanes'] = '0';
      return;
    }
    const recycled = v.roots.recycled.filter((x) => x === 1).length;
    const kept = this.index!.keptShadow.filter((x) => x === 1).length;
    const stale = v.marks.kind.reduce((a, k, i) => a + (k === 3 ? v.marks.count[i]! : 0), 0);
    this.summary.textContent = `${v.roots.id.length.toLocaleString('en-US')} roots on ${v.lanes.length.toLocaleString('en-US')} pages over ${v.steps.toLocaleString('en-US')} statements`
      + (recycled ? `; ${recycled.toLocaleString('en-US')} recycled a page${kept ? `, ${kept.toLocaleString('en-US')} while L0 still kept its shadow` : ''}` : '')
      + (stale ? `; ${stale.toLocaleString('en-US')} stale use${stale === 1 ? '' : 's'}` : '') + (v.capped ? ' (recording capped)' : '') + '.';
    this.el.dataset['lanes'] = String(v.lanes.length);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  private render(): void {
    const v = this.data;
    const ix = this.index;
    if (!v || !ix || v.roots.id.length === 0) return;
    const width = this.viewport.clientWidth;
    if (width === 0) return;
    const lanes = v.lanes.length;
    this.spacer.style.height = `${lanes * LANE_H}px`;
    this.viewport.style.height = `${Math.min(lanes * LANE_H + 2, Math.max(160, Math.round(window.innerHeight * 0.55)))}px`;
    const sc = xScale(v.steps, width);
    this.scale = sc;
    const top = this.viewport.scrollTop;
    const [first, last] = lanesInView(lanes, top, this.viewport.clientHeight);
    const glyphs: MarkGlyph[][] = [];
    let shapes = 0;
    for (let l = first; l < last; l++) {
      const g = laneGlyphs(v, ix, l, sc);
      glyphs.push(g);
      shapes += g.length + (ix.rootStart[l + 1]! - ix.rootStart[l]!);
    }
    this.mode = shapes > SVG_LIMIT ? 'canvas' : 'svg';
    this.el.dataset['mode'] = this.mode;
    this.el.dataset['first'] = String(first);
    this.layer.style.transform = `translateY(${first * LANE_H}px)`;
    const height = (last - first) * LANE_H;
    clear(this.layer);
    if (this.mode === 'svg') this.layer.append(this.drawSvg(v, ix, sc, first, last, glyphs, width, height));
    else this.layer.append(this.drawCanvas(v, ix, sc, first, last, glyphs, width, height));
    this.drawAxis(sc, width);
    this.markCurrentStep();
  }

  /** A root's bar in pixels, for both renderers: alive from x0, invalid from x1, freed (or the run's end) at x2. */
  private barSpan(v: LifecycleView, r: number, sc: Scale): { x0: number; x1: number; x2: number } {
    const x0 = sc.x(v.roots.created[r]!);
    const x2 = sc.x(v.roots.freed[r]! >= 0 ? v.roots.freed[r]! : v.steps);
    const inv = v.roots.invalidated[r]!;
    return { x0, x1: inv >= 0 ? sc.x(inv) : x2, x2 };
  }

  private drawSvg(v: LifecycleView, ix: LaneIndex, sc: Scale, first: number, last: number, glyphs: MarkGlyph[][], width: number, height: number): SVGElement {
    const root = svg('svg', { class: 'life-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'Root lifecycle lanes' });
    for (let l = first; l < last; l++) {
      const y = (l - first) * LANE_H;
      const g = svg('g', { class: `lane${ix.staleLane[l] ? ' stale' : ''}`, 'data-lane': l, 'data-hpa': hex(v.lanes[l]!) });
      g.append(svg('line', { x1: 0, x2: width, y1: y + LANE_H - 0.5, y2: y + LANE_H - 0.5, class: 'lane-rule' }),
        svg('text', { x: 4, y: y + LANE_H / 2, 'dominant-baseline': 'middle', class: 'lane-label' }, hex(v.lanes[l]!)));
      for (let k = ix.rootStart[l]!; k < ix.rootStart[l + 1]!; k++) {
        const r = ix.rootIdx[k]!;
        const { x0, x1, x2 } = this.barSpan(v, r, sc);
        const bar = svg('g', { class: `root${ix.keptShadow[r] ? ' kept' : ''}${v.roots.recycled[r] ? ' recycled' : ''}`, 'data-root': v.roots.id[r]!, 'data-r': r });
        bar.append(svg('rect', { x: x0.toFixed(1), y: y + 5, width: Math.max(1.5, x1 - x0).toFixed(1), height: LANE_H - 10, class: 'bar-live' }));
        if (x2 > x1) bar.append(svg('rect', { x: x1.toFixed(1), y: y + 5, width: (x2 - x1).toFixed(1), height: LANE_H - 10, class: 'bar-invalid' }));
        if (ix.keptShadow[r]) bar.append(svg('rect', { x: x0.toFixed(1), y: y + 4, width: Math.max(2, x2 - x0).toFixed(1), height: LANE_H - 8, class: 'bar-kept' }));
        // The id at the bar's end (its start is where fills and stale uses sit).
        if (x2 - x0 > 30) bar.append(svg('text', { x: x2 - 3, y: y + LANE_H / 2 + 0.5, 'dominant-baseline': 'middle', 'text-anchor': 'end', class: 'bar-id' }, `#${v.roots.id[r]}`));
        g.append(bar);
      }
      for (const m of glyphs[l - first]!) g.append(this.glyph(m, y));
      root.append(g);
    }
    return root;
  }

  private glyph(m: MarkGlyph, y: number): SVGElement {
    const cls = `mark mark-${LIFE_KINDS[m.kind]}`;
    const x = m.x.toFixed(1);
    const attrs = { class: cls, 'data-mark': m.mark, 'data-count': m.count };
    switch (m.kind) {
      case 0: return svg('path', { ...attrs, d: `M${x} ${y + 6}l-3 -5h6z` });
      case 1: return svg('rect', { ...attrs, x: m.x - 1, y: y + LANE_H - 6, width: 2, height: 5 });
      case 2: return svg('path', { ...attrs, d: `M${m.x - 3} ${y + 3}l6 ${LANE_H - 6}M${m.x + 3} ${y + 3}l-6 ${LANE_H - 6}` });
      default: return svg('circle', { ...attrs, cx: x, cy: y + LANE_H / 2, r: 4.5 });
    }
  }

  private drawCanvas(v: LifecycleView, ix: LaneIndex, sc: Scale, first: number, last: number, glyphs: MarkGlyph[][], width: number, height: number): HTMLCanvasElement {
    const dpr = window.devicePixelRatio || 1;
    const canvas = h('canvas', { class: 'life-canvas', width: Math.round(width * dpr), height: Math.round(height * dpr), role: 'img', 'aria-label': 'Root lifecycle lanes (canvas)' });
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const c = canvas.getContext('2d');
    if (!c) return canvas;
    c.scale(dpr, dpr);
    const css = getComputedStyle(document.body);
    const color = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
    const fg = color('--vscode-foreground', '#ccc');
    const blue = color('--vscode-charts-blue', '#3794ff');
    const red = color('--vscode-charts-red', '#f14c4c');
    const kinds = [color('--vscode-charts-purple', '#b180d7'), color('--vscode-charts-yellow', '#cca700'), color('--vscode-charts-green', '#89d185'), red];
    const warn = color('--vscode-editorWarning-foreground', '#cca700');
    c.font = `11px ${color('--vscode-editor-font-family', 'monospace')}`;
    c.textBaseline = 'middle';
    for (let l = first; l < last; l++) {
      const y = (l - first) * LANE_H;
      c.fillStyle = ix.staleLane[l] ? red : fg;
      c.fillText(hex(v.lanes[l]!), 4, y + LANE_H / 2);
      for (let k = ix.rootStart[l]!; k < ix.rootStart[l + 1]!; k++) {
        const r = ix.rootIdx[k]!;
        const { x0, x1, x2 } = this.barSpan(v, r, sc);
        c.globalAlpha = 1;
        c.fillStyle = blue;
        c.fillRect(x0, y + 5, Math.max(1, x1 - x0), LANE_H - 10);
        c.globalAlpha = 0.35;
        if (x2 > x1) c.fillRect(x1, y + 5, x2 - x1, LANE_H - 10);
        c.globalAlpha = 1;
        if (ix.keptShadow[r]) { c.strokeStyle = warn; c.lineWidth = 1.5; c.strokeRect(x0, y + 4, Math.max(2, x2 - x0), LANE_H - 8); }
      }
      for (const m of glyphs[l - first]!) {
        c.fillStyle = kinds[m.kind]!;
        c.strokeStyle = kinds[m.kind]!;
        if (m.kind === 3) { c.beginPath(); c.arc(m.x, y + LANE_H / 2, 4, 0, 2 * Math.PI); c.fill(); }
        else if (m.kind === 2) { c.lineWidth = 1.5; c.beginPath(); c.moveTo(m.x, y + 2); c.lineTo(m.x, y + LANE_H - 2); c.stroke(); }
        else if (m.kind === 1) c.fillRect(m.x - 1, y + LANE_H - 6, 2, 5);
        else c.fillRect(m.x - 1.5, y + 1, 3, 4);
      }
    }
    return canvas;
  }

  private drawAxis(sc: Scale, width: number): void {
    clear(this.axis);
    const s = svg('svg', { class: 'life-axis-svg', width, height: AXIS_H, viewBox: `0 0 ${width} ${AXIS_H}`, 'aria-hidden': 'true' });
    s.append(svg('line', { x1: sc.x0, x2: sc.x1, y1: 1, y2: 1, class: 'axis' }));
    const target = Math.max(2, Math.floor((sc.x1 - sc.x0) / 80));
    const raw = sc.steps / target;
    const mag = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
    const stepTick = [1, 2, 5, 10].map((f) => f * mag).find((t) => t >= raw) ?? mag * 10;
    for (let t = 0; t <= sc.steps; t += stepTick) {
      const x = sc.x(t);
      const anchor = x > sc.x1 - 24 ? 'end' : 'middle';
      s.append(svg('line', { x1: x, x2: x, y1: 1, y2: 5, class: 'axis' }), svg('text', { x, y: 15, 'text-anchor': anchor, class: 'axis-label' }, t.toLocaleString('en-US')));
    }
    s.append(svg('text', { x: 4, y: 15, class: 'axis-label' }, 'statements'));
    this.axis.append(s);
  }

  /** The timeline's step as a vertical line across the lanes. */
  private markCurrentStep(): void {
    const step = this.ctx.step();
    const sc = this.scale;
    this.layer.querySelector('.life-now')?.remove();
    if (!step || !sc) return;
    const line = h('div', { class: 'life-now', title: `Timeline: ${step.label}` });
    line.style.left = `${sc.x(step.step)}px`;
    this.layer.append(line);
  }

  /** The mark or root under the pointer: from the SVG element, or by hit-testing the canvas. */
  private pick(e: MouseEvent): { mark: number } | { root: number } | null {
    const v = this.data;
    const ix = this.index;
    const sc = this.scale;
    if (!v || !ix || !sc) return null;
    const t = e.target as Element;
    const markEl = t.closest?.('[data-mark]');
    if (markEl) return { mark: Number(markEl.getAttribute('data-mark')) };
    const rootEl = t.closest?.('[data-r]');
    if (rootEl) return { root: Number(rootEl.getAttribute('data-r')) };
    if (this.mode !== 'canvas') return null;
    const rect = this.viewport.getBoundingClientRect();
    const y = e.clientY - rect.top + this.viewport.scrollTop;
    const lane = Math.floor(y / LANE_H);
    if (lane < 0 || lane >= v.lanes.length) return null;
    const step = sc.step(e.clientX - rect.left);
    const tol = Math.max(1, Math.ceil((sc.steps * 5) / (sc.x1 - sc.x0)));
    const m = markAt(v, ix, lane, step, tol);
    if (m >= 0) return { mark: m };
    const r = rootAt(v, ix, lane, step, v.steps);
    return r >= 0 ? { root: r } : null;
  }

  private describeMark(i: number): string {
    const v = this.data!;
    const k = v.marks.kind[i]!;
    const n = v.marks.count[i]!;
    const it = v.marks.iter[i]! > 0 ? `, iteration ${v.marks.iter[i]} of ${v.marks.iterOf[i]}` : '';
    return `${KIND_LABEL[k]}${n > 1 ? ` ×${n}` : ''} on ${hex(v.lanes[v.marks.lane[i]!]!)} — ${lineLabel(v.marks.line[i]!)}${it} (statement ${v.marks.step[i]!.toLocaleString('en-US')}): ${v.details[v.marks.detail[i]!] ?? ''}`;
  }

  private describeRoot(r: number): string {
    const v = this.data!;
    const at = (step: number, line: number): string => (step < 0 ? '' : `${lineLabel(line)} (statement ${step.toLocaleString('en-US')})`);
    const parts = [`root #${v.roots.id[r]} on ${hex(v.lanes[v.roots.lane[r]!]!)} (${v.roots.role[r]}): allocated ${at(v.roots.created[r]!, v.roots.createdLine[r]!)}`];
    if (v.roots.invalidated[r]! >= 0) parts.push(`invalidated ${at(v.roots.invalidated[r]!, v.roots.invalidatedLine[r]!)}`);
    parts.push(v.roots.freed[r]! >= 0 ? `freed ${at(v.roots.freed[r]!, v.roots.freedLine[r]!)}` : 'still allocated at the end');
    if (this.index!.keptShadow[r]) parts.push('a recycled page: L0 never dropped its shadow[nCR3] since the previous root there');
    else if (v.roots.recycled[r]) parts.push('a recycled page');
    return parts.join('; ');
  }

  private hover(e: MouseEvent): void {
    const hit = this.pick(e);
    if (!hit) { this.tip.hidden = true; return; }
    this.tip.textContent = 'mark' in hit ? this.describeMark(hit.mark) : this.describeRoot(hit.root);
    this.tip.hidden = false;
    const frame = this.viewport.getBoundingClientRect();
    const x = Math.min(e.clientX - frame.left + 12, Math.max(0, frame.width - 300));
    this.tip.style.left = `${Math.max(0, x)}px`;
    this.tip.style.top = `${e.clientY - frame.top + 16}px`;
  }

  private click(e: MouseEvent): void {
    const hit = this.pick(e);
    const v = this.data;
    if (!hit || !v) return;
    const [step, line] = 'mark' in hit ? [v.marks.step[hit.mark]!, v.marks.line[hit.mark]!] : [v.roots.created[hit.root]!, v.roots.createdLine[hit.root]!];
    this.ctx.reveal(line);
    this.ctx.goToClock(step);
    if ('mark' in hit && v.marks.kind[hit.mark] === 3) this.selectUseAt(step, v.lanes[v.marks.lane[hit.mark]!]!);
  }

  /** Draws the path of the stale use at clock `step` (through `as` when known). */
  selectUseAt(step: number, as: number | null): void {
    const uses = this.ctx.scenario()?.stale ?? [];
    const k = uses.findIndex((u) => u.step === step && (as === null || u.as === null || u.as === as));
    if (k >= 0) this.selectedUse = k;
    this.drawPath();
  }

  private drawPath(): void {
    clear(this.pathBox);
    const uses = this.ctx.scenario()?.stale ?? [];
    const u = uses[this.selectedUse] ?? uses[0];
    if (!u) return;
    this.pathBox.append(translationPath(u, (l) => this.ctx.reveal(l)));
    if (uses.length > 1) this.pathBox.append(h('p', { class: 'muted' }, `Use ${this.selectedUse + 1} of ${uses.length}; click a red mark to draw another.`));
  }
}
