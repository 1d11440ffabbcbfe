// Compare: the sweep's points ranked by estimated time, and a bar chart of the same
// (inline SVG, theme colours only). A configuration with stale uses is marked: being fast
// does not count when the flush was not enough.
import type { ComparePointView } from '../../src/protocol';
import type { UpdateReason, View, ViewContext } from '../context';
import { clear, h, svg } from '../dom';
import { micros } from '../format';
import { link } from '../components';

const BAR_H = 22;
const PLOT_W = 380;
/** Rough width of a 12px UI-font character, to size the label column. */
const CHAR_W = 7;

/** Text with `code` spans (the E203 messages are written for Markdown) as nodes: no backticks shown. */
export function inlineCode(text: string): (Node | string)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? h('code', {}, part) : part)).filter((p) => p !== '');
}

export class CompareView implements View {
  readonly el: HTMLElement;
  private readonly body = h('div');

  constructor(private readonly ctx: ViewContext) {
    this.el = h('div', { class: 'view view-compare' }, this.body);
  }

  private configLabel(p: ComparePointView, axes: readonly string[]): string {
    return axes.length > 0 ? axes.map((k) => `${k}=${p.config[k] ?? '?'}`).join(' ') : 'default';
  }

  /** Bar labels: the swept values only (the chart's caption names the keys). */
  private shortLabel(p: ComparePointView, axes: readonly string[]): string {
    return `#${p.rank}  ${axes.length > 0 ? axes.map((k) => p.config[k] ?? '?').join(' · ') : 'default'}`;
  }

  update(_reason: UpdateReason): void {
    clear(this.body);
    const c = this.ctx.panel()?.compare;
    if (!c) {
      this.body.append(h('p', { class: 'muted' }, 'No comparison yet. Use the "Compare" CodeLens above a scenario to run its sweep; the ranking appears here.'));
      return;
    }
    this.body.append(
      h('h2', {}, 'Compare: ', h('span', {}, `"${c.scenario}"`), ' ', link(`line ${c.line + 1}`, () => this.ctx.reveal(c.line), 'Reveal the scenario')),
      h('p', { class: 'estimate-label' }, h('strong', {}, 'Estimated'), ' time per configuration from the cost model (see docs/cost-model.md); rank 1 is fastest.',
        c.cancelled ? ' The sweep was cancelled: points are missing.' : ''));

    const table = h('table', { class: 'plain compare-table', 'aria-label': 'Ranked configurations' });
    table.append(h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num' }, 'Rank'),
      ...c.axes.map((a) => h('th', { scope: 'col' }, a)),
      h('th', { scope: 'col' }, 'Verdict'),
      h('th', { scope: 'col', class: 'num' }, 'Est. time'))));
    const tbody = h('tbody');
    for (const p of c.points) {
      const stale = p.stale > 0;
      tbody.append(h('tr', { class: stale ? 'stale' : !p.passed ? 'warn' : '' },
        h('td', { class: 'num' }, String(p.rank)),
        ...c.axes.map((a) => h('td', {}, p.config[a] ?? '')),
        h('td', {}, stale ? `stale (${p.stale})` : p.passed ? 'passed' : 'failed'),
        h('td', { class: 'num' }, micros(p.timeUs))));
    }
    table.append(tbody);
    if (c.points.length > 0) this.body.append(table, this.chart(c.points, c.axes));
    else this.body.append(h('p', { class: 'muted' }, 'No configuration of this sweep was run.'));
    if (c.skipped.length > 0) {
      const list = h('ul', { class: 'skipped-points', 'aria-label': 'Sweep points not run' });
      for (const k of c.skipped) {
        const cfg = Object.entries(k.config).map(([key, v]) => `${key}=${v}`).join(' ');
        list.append(h('li', {}, h('code', {}, cfg), ' — ', ...inlineCode(k.reason)));
      }
      this.body.append(h('p', { class: 'muted' }, `Not run: ${c.skipped.length} sweep point${c.skipped.length === 1 ? '' : 's'} whose values cannot mean anything together (E203):`), list);
    }
  }

  private chart(points: readonly ComparePointView[], axes: readonly string[]): HTMLElement {
    const max = Math.max(1e-9, ...points.map((p) => p.timeUs));
    const labelW = Math.max(80, ...points.map((p) => this.shortLabel(p, axes).length * CHAR_W + 12));
    const width = labelW + PLOT_W + 130;
    const height = points.length * (BAR_H + 6) + 8;
    const title = 'Estimated time per configuration (shorter is faster; hatched bars had stale uses)';
    const root = svg('svg', {
      class: 'chart', role: 'img', 'aria-label': title, viewBox: `0 0 ${width} ${height}`, width: '100%',
      preserveAspectRatio: 'xMinYMin meet',
    }, svg('title', {}, title));
    root.style.maxWidth = `${width}px`;
    root.append(svg('defs', {}, svg('pattern', { id: 'stale-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      svg('rect', { width: 6, height: 6, class: 'hatch-bg' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }))));
    points.forEach((p, i) => {
      const y = 4 + i * (BAR_H + 6);
      const w = Math.max(2, (p.timeUs / max) * PLOT_W);
      const stale = p.stale > 0;
      const g = svg('g', { class: `bar${stale ? ' stale' : ''}${!p.passed ? ' failed' : ''}` });
      g.append(
        svg('text', { x: labelW - 8, y: y + BAR_H / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-label' }, this.shortLabel(p, axes)),
        svg('rect', { x: labelW, y, width: w.toFixed(1), height: BAR_H, rx: 2, class: 'bar-rect' }),
        svg('text', { x: labelW + w + 6, y: y + BAR_H / 2, 'dominant-baseline': 'middle', class: 'bar-value' }, `${micros(p.timeUs)}${stale ? ' · stale' : ''}`),
        svg('title', {}, `${this.configLabel(p, axes)}: ${micros(p.timeUs)}${stale ? `, ${p.stale} stale uses` : ''}`));
      root.append(g);
    });
    root.append(svg('line', { x1: labelW, y1: 0, x2: labelW, y2: height, class: 'axis' }));
    const caption = axes.length > 0 ? `Bars: ${axes.join(' · ')}` : '';
    return h('figure', { class: 'chart-figure' }, h('figcaption', { class: 'muted' }, caption), root);
  }
}
