// Compare: answers "which configuration should I use?" — the headline names the fastest
// correct configuration; configurations with stale uses or failed checks are ranked in a
// table of their own (being fast does not count when the flush was not enough). Metric
// columns beyond the time are selectable (as the CLI prints them), the chart plots a chosen
// metric with stale points hatched, and selecting two rows shows their metrics side by side.
import type { ComparePointView, CompareView as CompareData } from '../../src/protocol';
import type { UpdateReason, View, ViewContext } from '../context';
import { clear, h, svg } from '../dom';
import { count, micros } from '../format';
import { dropdown, link, type Dropdown } from '../components';

const BAR_H = 20;
const PLOT_W = 300;
/** Rough width of a 12px UI-font character, to size the label column. */
const CHAR_W = 7;

/** Text with `code` spans (the E203 messages are written for Markdown) as nodes: no backticks shown. */
export function inlineCode(text: string): (Node | string)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? h('code', {}, part) : part)).filter((p) => p !== '');
}

const configText = (p: ComparePointView, axes: readonly string[]): string =>
  axes.length > 0 ? axes.map((k) => `${k}=${p.config[k] ?? '?'}`).join(' ') : 'default';
const metricText = (k: string, v: number | undefined): string => (v === undefined ? '—' : k === 'time_us' ? micros(v) : count(v));
const correct = (p: ComparePointView): boolean => p.passed && p.stale === 0;

export class CompareView implements View {
  readonly el: HTMLElement;
  private readonly body = h('div');
  /** Rows picked for the side-by-side diff (rank numbers of the sweep). */
  private picked: number[] = [];
  private shown = '';

  constructor(private readonly ctx: ViewContext) {
    this.el = h('div', { class: 'view view-compare' }, this.body);
  }

  update(_reason: UpdateReason): void {
    const c = this.ctx.panel()?.compare;
    const key = JSON.stringify(c);
    if (key !== this.shown) { this.picked = []; this.shown = key; }
    this.render(c ?? null);
  }

  private render(c: CompareData | null): void {
    clear(this.body);
    if (!c) {
      this.body.append(h('p', { class: 'muted' }, 'No comparison yet. Use the "Compare" CodeLens above a scenario to run its sweep; the ranking appears here.'));
      return;
    }
    const st = this.ctx.state;
    const good = c.points.filter(correct).sort((a, b) => a.timeUs - b.timeUs);
    const bad = c.points.filter((p) => !correct(p)).sort((a, b) => a.timeUs - b.timeUs);
    const best = good[0];
    this.body.append(
      h('h2', {}, 'Compare: ', h('span', {}, `"${c.scenario}"`), ' ', link(`line ${c.line + 1}`, () => this.ctx.reveal(c.line), 'Reveal the scenario')),
      h('p', { class: `compare-headline${best ? '' : ' none'}`, id: 'compare-headline' }, ...(best
        ? [h('strong', {}, 'Fastest correct configuration: '), h('code', {}, configText(best, c.axes)), ` — ${micros(best.timeUs)} (estimated)`]
        : [h('strong', {}, 'No configuration of this sweep is correct: every one has stale uses or failed checks.')])),
      h('p', { class: 'estimate-label' }, h('strong', {}, 'Estimated'), ' times from the cost model (docs/cost-model.md).',
        c.cancelled ? ' The sweep was cancelled: points are missing.' : ''));
    // Metric columns: a chooser of every metric the points carry.
    const metricNames = [...new Set(c.points.flatMap((p) => Object.keys(p.metrics)))].filter((k) => k !== 'time_us').sort();
    const cols = st.compareColumns.filter((k) => metricNames.includes(k));
    this.body.append(this.columnChooser(metricNames, cols));
    if (good.length > 0) this.body.append(h('h3', {}, `Correct (${good.length})`), this.table(good, c.axes, cols, 'Correct configurations, fastest first', true));
    if (bad.length > 0) {
      this.body.append(h('h3', { class: 'bad-head' }, `Stale or failed (${bad.length}) — not ranked`),
        this.table(bad, c.axes, cols, 'Configurations with stale uses or failed checks', false));
    }
    if (c.points.length === 0) this.body.append(h('p', { class: 'muted' }, 'No configuration of this sweep was run.'));
    if (this.picked.length === 2) this.body.append(this.diff(c));
    else if (c.points.length > 1) this.body.append(h('p', { class: 'muted' }, 'Select two rows to compare their metrics side by side.'));
    if (c.points.length > 0) {
      const options = ['time_us', ...metricNames].map((k) => ({ value: k, label: k === 'time_us' ? 'Estimated time' : k }));
      const metric = options.some((o) => o.value === st.compareMetric) ? st.compareMetric : 'time_us';
      const pick: Dropdown = dropdown(options, metric, (v) => { st.compareMetric = v; this.ctx.save(); this.render(c); }, 'Metric the chart plots', 'compare-metric');
      this.body.append(h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, 'Chart:'), pick.el), this.chart([...good, ...bad], c.axes, metric));
    }
    if (c.skipped.length > 0) {
      const list = h('ul', { class: 'skipped-points', 'aria-label': 'Sweep points not run' });
      for (const k of c.skipped) {
        const cfg = Object.entries(k.config).map(([key, v]) => `${key}=${v}`).join(' ');
        list.append(h('li', {}, h('code', {}, cfg), ' — ', ...inlineCode(k.reason)));
      }
      this.body.append(h('p', { class: 'muted' }, `Not run: ${c.skipped.length} sweep point${c.skipped.length === 1 ? '' : 's'} whose values cannot mean anything together (E203):`), list);
    }
  }

  private columnChooser(names: readonly string[], cols: readonly string[]): HTMLElement {
    const st = this.ctx.state;
    const menu = h('div', { class: 'menu compare-menu', role: 'group', 'aria-label': 'Metric columns', hidden: true });
    for (const k of names) {
      const box = h('input', { type: 'checkbox', 'data-metric': k, id: `cmp-col-${k}`, checked: cols.includes(k) });
      box.addEventListener('change', () => {
        st.compareColumns = box.checked ? [...st.compareColumns.filter((x) => x !== k), k] : st.compareColumns.filter((x) => x !== k);
        this.ctx.save();
        this.render(this.ctx.panel()?.compare ?? null);
      });
      menu.append(h('label', { class: 'menu-item', for: `cmp-col-${k}` }, box, ` ${k}`));
    }
    const btn = h('button', { type: 'button', class: 'linkish', id: 'compare-columns', 'aria-haspopup': 'true', 'aria-expanded': 'false' }, `Columns (${cols.length}) ▾`);
    btn.addEventListener('click', () => { menu.hidden = !menu.hidden; btn.setAttribute('aria-expanded', String(!menu.hidden)); });
    return h('div', { class: 'toolbar compare-tools' }, h('span', { class: 'vt-chooser' }, btn, menu));
  }

  private table(points: readonly ComparePointView[], axes: readonly string[], cols: readonly string[], label: string, ranked: boolean): HTMLElement {
    const table = h('table', { class: `plain compare-table${ranked ? ' ranked' : ' unranked'}`, 'aria-label': label });
    table.append(h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num' }, ranked ? 'Rank' : ''),
      ...axes.map((a) => h('th', { scope: 'col' }, a)),
      h('th', { scope: 'col' }, 'Verdict'),
      h('th', { scope: 'col', class: 'num' }, 'Est. time'),
      ...cols.map((k) => h('th', { scope: 'col', class: 'num', title: k }, k)))));
    const tbody = h('tbody');
    points.forEach((p, i) => {
      const stale = p.stale > 0;
      const picked = this.picked.includes(p.rank);
      const tr = h('tr', { class: `${stale ? 'stale' : !p.passed ? 'warn' : ''}${picked ? ' picked' : ''}`, tabindex: 0, 'aria-selected': String(picked), 'data-point': p.rank, title: 'Select (two rows: compare side by side)' },
        h('td', { class: 'num' }, ranked ? String(i + 1) : '—'),
        ...axes.map((a) => h('td', {}, p.config[a] ?? '')),
        h('td', {}, stale ? `stale (${p.stale})` : p.passed ? 'correct' : 'failed'),
        h('td', { class: 'num' }, micros(p.timeUs)),
        ...cols.map((k) => h('td', { class: 'num' }, metricText(k, p.metrics[k]))));
      const toggle = (): void => {
        this.picked = picked ? this.picked.filter((r) => r !== p.rank) : [...this.picked, p.rank].slice(-2);
        this.render(this.ctx.panel()?.compare ?? null);
      };
      tr.addEventListener('click', toggle);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
      tbody.append(tr);
    });
    table.append(tbody);
    return h('div', { class: 'table-scroll' }, table);
  }

  /** The two picked points' metrics side by side, the differing ones first. */
  private diff(c: CompareData): HTMLElement {
    const [a, b] = this.picked.map((r) => c.points.find((p) => p.rank === r)!);
    const keys = [...new Set([...Object.keys(a!.metrics), ...Object.keys(b!.metrics)])];
    const differ = keys.filter((k) => a!.metrics[k] !== b!.metrics[k]);
    const same = keys.length - differ.length;
    const table = h('table', { class: 'plain compare-diff', 'aria-label': 'Two configurations side by side' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'),
        h('th', { scope: 'col', class: 'num' }, configText(a!, c.axes)), h('th', { scope: 'col', class: 'num' }, configText(b!, c.axes)))),
      h('tbody', {}, ...differ.map((k) => h('tr', {}, h('th', { scope: 'row' }, k),
        h('td', { class: 'num' }, metricText(k, a!.metrics[k])), h('td', { class: 'num' }, metricText(k, b!.metrics[k]))))));
    const clearBtn = link('Clear the selection', () => { this.picked = []; this.render(c); }, undefined, 'compare-clear');
    return h('section', { class: 'compare-pair', 'aria-label': 'Side by side' }, h('h3', {}, 'Side by side'),
      table, h('p', { class: 'muted' }, `${differ.length} metric${differ.length === 1 ? '' : 's'} differ, ${same} are equal. `, clearBtn));
  }

  private chart(points: readonly ComparePointView[], axes: readonly string[], metric: string): HTMLElement {
    const value = (p: ComparePointView): number => (metric === 'time_us' ? p.timeUs : p.metrics[metric] ?? 0);
    const label = (p: ComparePointView): string => (axes.length > 0 ? axes.map((k) => p.config[k] ?? '?').join(' · ') : 'default');
    const max = Math.max(1e-9, ...points.map(value));
    const labelW = Math.max(60, ...points.map((p) => label(p).length * CHAR_W + 12));
    const width = labelW + PLOT_W + 110;
    const height = points.length * (BAR_H + 6) + 8;
    const title = `${metric === 'time_us' ? 'Estimated time' : metric} per configuration (hatched: stale uses or failed checks)`;
    const root = svg('svg', {
      class: 'chart', role: 'img', 'aria-label': title, viewBox: `0 0 ${width} ${height}`, width: '100%',
      preserveAspectRatio: 'xMinYMin meet', 'data-metric': metric,
    }, svg('title', {}, title));
    root.style.maxWidth = `${width}px`;
    root.append(svg('defs', {}, svg('pattern', { id: 'stale-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      svg('rect', { width: 6, height: 6, class: 'hatch-bg' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'hatch-line' }))));
    points.forEach((p, i) => {
      const y = 4 + i * (BAR_H + 6);
      const w = Math.max(2, (value(p) / max) * PLOT_W);
      const bad = !correct(p);
      const g = svg('g', { class: `bar${p.stale > 0 ? ' stale' : ''}${!p.passed ? ' failed' : ''}` });
      g.append(
        svg('text', { x: labelW - 8, y: y + BAR_H / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'bar-label' }, label(p)),
        svg('rect', { x: labelW, y, width: w.toFixed(1), height: BAR_H, rx: 2, class: `bar-rect${bad ? ' bad' : ''}` }),
        svg('text', { x: labelW + w + 6, y: y + BAR_H / 2, 'dominant-baseline': 'middle', class: 'bar-value' }, `${metricText(metric, value(p))}${p.stale > 0 ? ' · stale' : !p.passed ? ' · failed' : ''}`),
        svg('title', {}, `${configText(p, axes)}: ${metricText(metric, value(p))}${p.stale > 0 ? `, ${p.stale} stale uses` : ''}`));
      root.append(g);
    });
    root.append(svg('line', { x1: labelW, y1: 0, x2: labelW, y2: height, class: 'axis' }));
    const caption = axes.length > 0 ? `Bars: ${axes.join(' · ')}` : '';
    return h('figure', { class: 'chart-figure' }, h('figcaption', { class: 'muted' }, caption), root);
  }
}
