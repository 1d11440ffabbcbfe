// Compare: answers "which configuration should I use?" — the headline names the fastest
// correct configuration; configurations with stale uses or failed checks are ranked in a
// table of their own (being fast does not count when the flush was not enough). Metric
// columns beyond the time are selectable (as the CLI prints them), the chart plots a chosen
// metric with stale points hatched, and selecting two rows shows their metrics side by side.
// A picked row's state opens in the panel (the host runs the scenario at that point); two
// picked rows also show their final roots and L0 shadows side by side.
import { MAX_SLICE, TABLE_COLUMNS, type ComparePointView, type CompareView as CompareData, type RowView, type ScenarioView } from '../../src/protocol';
import type { UpdateReason, View, ViewContext } from '../context';
import { clear, h, svg } from '../dom';
import { count, micros } from '../format';
import { dropdown, link, type Dropdown } from '../components';

const BAR_H = 20;
/** Differing pages listed before "Show all" in the side-by-side state tables. */
const MAX_DIFF_ROWS = 12;
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
/** "tdp_mmu_" + <wbr> + "on": long metric and axis names may break after `.` and `_`, never inside a word. */
function breakable(name: string): (Node | string)[] {
  return name.split(/(?<=[._])/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]));
}
const sameConfig = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** The run of a Compare point in the panel's scenario list (the host adds one per point opened). */
export function pointScenario(scenarios: readonly ScenarioView[], p: ComparePointView): ScenarioView | undefined {
  return scenarios.find((s) => s.point !== null && sameConfig(s.point, p.config));
}

/** A table's rows at a run's final step, for the side-by-side diff. */
interface FinalRows { readonly roots: readonly RowView[]; readonly shadows: readonly RowView[] }

export class CompareView implements View {
  readonly el: HTMLElement;
  private readonly body = h('div');
  /** Rows picked for the side-by-side diff (rank numbers of the sweep). */
  private picked: number[] = [];
  private shown = '';
  /** A "Show state" asked for: opened when the point's run arrives. */
  private opening: number | null = null;
  /** Runs asked of the host for the diff (rank pairs), so a pair is asked once. */
  private readonly asked = new Set<string>();
  /** Final roots/shadows per point run (by scenario index) of this run id. */
  private finals = new Map<number, FinalRows>();
  private finalsRun = -1;
  /** Side-by-side tables shown whole ("Show all"). */
  private readonly allRows = new Set<string>();

  constructor(private readonly ctx: ViewContext) {
    this.el = h('div', { class: 'view view-compare' }, this.body);
    let width = 0;
    new ResizeObserver(() => {
      const w = this.body.clientWidth;
      if (w !== width && w > 0) { width = w; this.fit(); }
    }).observe(this.body);
  }

  update(_reason: UpdateReason): void {
    const c = this.ctx.panel()?.compare;
    const key = JSON.stringify(c);
    if (key !== this.shown) { this.picked = []; this.shown = key; this.opening = null; this.asked.clear(); }
    const runId = this.ctx.panel()?.runId ?? -1;
    if (runId !== this.finalsRun) { this.finals = new Map(); this.finalsRun = runId; }
    if (c && this.opening !== null && this.openIfRun(c, this.opening)) return;
    this.render(c ?? null);
  }

  /** Shows the point's state (scenario picker, Roots tab) when its run is in the panel. */
  private openIfRun(c: CompareData, rank: number): boolean {
    const p = c.points.find((x) => x.rank === rank);
    const s = p && pointScenario(this.ctx.panel()?.scenarios ?? [], p);
    if (!s) return false;
    this.opening = null;
    this.ctx.openScenario(s.name, 'roots');
    return true;
  }

  private showState(c: CompareData, rank: number): void {
    if (this.openIfRun(c, rank)) return;
    this.opening = rank;
    const runId = this.ctx.panel()?.runId;
    if (runId !== undefined) this.ctx.host.post({ type: 'runComparePoints', runId, ranks: [rank] });
    this.render(c);
  }

  private render(c: CompareData | null): void {
    this.renderBody(c);
    this.fit();
  }

  /**
   * Metric columns that do not fit the panel's width are left out, the last chosen first (as the
   * grid tables choose columns per width), and the chooser says so: nothing is cut at the edge.
   */
  private fit(): void {
    const scrolls = Array.from(this.body.querySelectorAll<HTMLElement>('.compare-tables .table-scroll'));
    const cells = (i: number): HTMLElement[] => Array.from(this.body.querySelectorAll<HTMLElement>(`.compare-table [data-metric-col="${i}"]`));
    const n = this.ctx.state.compareColumns.length;
    for (let i = 0; i < n; i++) cells(i).forEach((c) => { c.hidden = false; });
    let hidden = 0;
    const overflows = (): boolean => scrolls.some((d) => d.scrollWidth > d.clientWidth + 1);
    for (let i = n - 1; i >= 0 && overflows(); i--) {
      const cs = cells(i);
      if (cs.length === 0) continue;
      cs.forEach((c) => { c.hidden = true; });
      hidden++;
    }
    const note = this.body.querySelector<HTMLElement>('#compare-hidden-cols');
    if (note) {
      note.hidden = hidden === 0;
      note.textContent = hidden === 0 ? '' : ` ${hidden} column${hidden === 1 ? '' : 's'} left out at this width`;
    }
  }

  private renderBody(c: CompareData | null): void {
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
    const tables = h('div', { class: 'compare-tables' });
    if (good.length > 0) tables.append(h('h3', {}, `Correct (${good.length})`), this.table(good, c.axes, cols, 'Correct configurations, fastest first', true));
    if (bad.length > 0) {
      tables.append(h('h3', { class: 'bad-head' }, `Stale or failed (${bad.length}) — not ranked`),
        this.table(bad, c.axes, cols, 'Configurations with stale uses or failed checks', false));
    }
    this.body.append(tables);
    if (c.points.length === 0) this.body.append(h('p', { class: 'muted' }, 'No configuration of this sweep was run.'));
    if (this.picked.length === 2) this.body.append(this.diff(c));
    else if (this.picked.length === 1) this.body.append(this.pickBar(c));
    else if (c.points.length > 0) this.body.append(h('p', { class: 'muted' }, 'Select a row to open its state; select two to compare them side by side.'));
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
    return h('div', { class: 'toolbar compare-tools' }, h('span', { class: 'vt-chooser' }, btn, menu),
      h('span', { class: 'muted', id: 'compare-hidden-cols', role: 'status', hidden: true }));
  }

  private table(points: readonly ComparePointView[], axes: readonly string[], cols: readonly string[], label: string, ranked: boolean): HTMLElement {
    const table = h('table', { class: `plain compare-table${ranked ? ' ranked' : ' unranked'}`, 'aria-label': label });
    table.append(h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'num', title: ranked ? 'Rank among the correct configurations, fastest first' : 'Not ranked' }, ranked ? '#' : ''),
      ...axes.map((a) => h('th', { scope: 'col', title: a }, ...breakable(a))),
      ranked ? null : h('th', { scope: 'col' }, 'Verdict'),
      h('th', { scope: 'col', class: 'num', title: 'Estimated time (cost model)' }, 'Est. time'),
      ...cols.map((k, i) => h('th', { scope: 'col', class: 'num', title: k, 'data-metric-col': i }, ...breakable(k))))));
    const tbody = h('tbody');
    points.forEach((p, i) => {
      const stale = p.stale > 0;
      const picked = this.picked.includes(p.rank);
      const tr = h('tr', { class: `${stale ? 'stale' : !p.passed ? 'warn' : ''}${picked ? ' picked' : ''}`, tabindex: 0, 'aria-selected': String(picked), 'data-point': p.rank, title: 'Select (two rows: compare side by side); double-click: open its state' },
        h('td', { class: 'num' }, ranked ? String(i + 1) : '—'),
        ...axes.map((a) => h('td', {}, p.config[a] ?? '')),
        ranked ? null : h('td', {}, stale ? `stale (${p.stale})` : p.passed ? 'correct' : 'failed'),
        h('td', { class: 'num' }, micros(p.timeUs)),
        ...cols.map((k, c) => h('td', { class: 'num', 'data-metric-col': c }, metricText(k, p.metrics[k]))));
      const toggle = (): void => {
        this.picked = picked ? this.picked.filter((r) => r !== p.rank) : [...this.picked, p.rank].slice(-2);
        this.render(this.ctx.panel()?.compare ?? null);
      };
      tr.addEventListener('click', toggle);
      tr.addEventListener('dblclick', () => this.showState(this.ctx.panel()!.compare!, p.rank));
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
      tbody.append(tr);
    });
    table.append(tbody);
    return h('div', { class: 'table-scroll' }, table);
  }

  /** One row picked: its configuration, and the action that opens its state. */
  private pickBar(c: CompareData): HTMLElement {
    const p = c.points.find((x) => x.rank === this.picked[0]);
    const waiting = this.opening !== null;
    return h('p', { class: 'compare-pick', id: 'compare-pick' },
      'Selected: ', h('code', {}, p ? configText(p, c.axes) : '?'), ' — ',
      waiting ? h('span', { class: 'muted', role: 'status' }, 'running it…')
        : link('Show its state', () => this.showState(c, this.picked[0]!), 'Run the scenario at this configuration and show its roots, TLB and trace', 'compare-open'),
      h('span', { class: 'muted' }, ' · select a second row to compare side by side.'));
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
      table, h('p', { class: 'muted' }, `${differ.length} metric${differ.length === 1 ? '' : 's'} differ, ${same} are equal. `, clearBtn),
      this.stateDiff(c, a!, b!));
  }

  /** Final roots and L0 shadows of the two points, per nCR3: the host runs both points once. */
  private stateDiff(c: CompareData, a: ComparePointView, b: ComparePointView): HTMLElement {
    const out = h('div', { class: 'compare-state', id: 'compare-state' }, h('h3', {}, 'Final roots and shadows'));
    const scenarios = this.ctx.panel()?.scenarios ?? [];
    const sa = pointScenario(scenarios, a);
    const sb = pointScenario(scenarios, b);
    if (!sa || !sb) {
      const pair = [a.rank, b.rank].sort().join(',');
      const runId = this.ctx.panel()?.runId;
      if (!this.asked.has(pair) && runId !== undefined) {
        this.asked.add(pair);
        this.ctx.host.post({ type: 'runComparePoints', runId, ranks: [a.rank, b.rank] });
      }
      out.append(h('p', { class: 'muted', role: 'status' }, 'Running both configurations for their final state…'));
      return out;
    }
    const fa = this.finals.get(sa.index);
    const fb = this.finals.get(sb.index);
    if (!fa || !fb) {
      out.append(h('p', { class: 'muted', role: 'status' }, 'Loading their final roots and shadows…'));
      void Promise.all([this.loadFinal(sa), this.loadFinal(sb)]).then(() => {
        if (this.picked.length === 2) this.render(this.ctx.panel()?.compare ?? null);
      }, () => undefined);
      return out;
    }
    out.append(
      this.sideTable('Roots', 'roots', configText(a, c.axes), configText(b, c.axes), rootsByPage(fa.roots), rootsByPage(fb.roots)),
      this.sideTable('L0 shadows', 'shadows', configText(a, c.axes), configText(b, c.axes), shadowsByPage(fa.shadows), shadowsByPage(fb.shadows)));
    return out;
  }

  private async loadFinal(s: ScenarioView): Promise<void> {
    if (this.finals.has(s.index)) return;
    const p = this.ctx.panel();
    if (!p) return;
    const step = Math.max(0, s.steps.length - 1);
    const get = async (table: 'roots' | 'shadows'): Promise<readonly RowView[]> => (await this.ctx.host.getRows({
      type: 'getRows', runId: p.runId, table, scenario: s.index, step, offset: 0, limit: MAX_SLICE, filter: {}, sort: null,
    })).rows;
    const [roots, shadows] = await Promise.all([get('roots'), get('shadows')]);
    if (this.finalsRun === p.runId) this.finals.set(s.index, { roots, shadows });
  }

  /** nCR3 | A | B, the pages whose content differs first (marked), then a count of the equal ones. */
  private sideTable(title: string, id: string, la: string, lb: string, a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): HTMLElement {
    const pages = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => Number(x) - Number(y));
    const differ = pages.filter((k) => a.get(k) !== b.get(k));
    const table = h('table', { class: 'plain compare-diff', 'aria-label': `${title} side by side`, 'data-diff': id },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'nCR3'), h('th', { scope: 'col' }, la), h('th', { scope: 'col' }, lb))),
      h('tbody', {}, ...differ.map((k, i) => h('tr', { class: 'differs', hidden: i >= MAX_DIFF_ROWS && !this.allRows.has(id) }, h('th', { scope: 'row' }, k),
        h('td', {}, a.get(k) ?? '—'), h('td', {}, b.get(k) ?? '—')))));
    const equal = pages.length - differ.length;
    const more = differ.length > MAX_DIFF_ROWS && !this.allRows.has(id)
      ? link(`Show all ${differ.length}`, () => { this.allRows.add(id); this.render(this.ctx.panel()?.compare ?? null); }, undefined, 'compare-all-rows') : null;
    return h('section', {}, h('h4', {}, title),
      differ.length > 0 ? h('div', { class: 'table-scroll' }, table) : null, more,
      h('p', { class: 'muted' }, differ.length === 0 ? `The same on all ${pages.length} page${pages.length === 1 ? '' : 's'}.` : `${differ.length} page${differ.length === 1 ? '' : 's'} differ, ${equal} ${equal === 1 ? 'is' : 'are'} the same.`));
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

const plural = (n: string, one: string, many: string): string => `${n} ${n === '1' ? one : many}`;
const cellOf = (table: 'roots' | 'shadows', row: RowView, id: string): string => row.cells[TABLE_COLUMNS[table].findIndex((c) => c.id === id)] ?? '';

/** Roots per root page: "#3 valid 4-level !smm" (several roots on one page: recycled), in row order. */
function rootsByPage(rows: readonly RowView[]): Map<string, string> {
  const by = new Map<string, string[]>();
  for (const r of rows) {
    const page = cellOf('roots', r, 'hpa');
    const list = by.get(page) ?? [];
    list.push(`${cellOf('roots', r, 'id')} ${cellOf('roots', r, 'state')} ${cellOf('roots', r, 'role')}`.trim());
    by.set(page, list);
  }
  return new Map([...by].map(([k, v]) => [k, v.join('; ')]));
}

/** Shadows per nCR3: "12 entries, 2 stale, flushed line 30". */
function shadowsByPage(rows: readonly RowView[]): Map<string, string> {
  return new Map(rows.map((r) => {
    const flushed = cellOf('shadows', r, 'lastFlushedLine');
    return [cellOf('shadows', r, 'as'), `${plural(cellOf('shadows', r, 'entries'), 'entry', 'entries')}, ${cellOf('shadows', r, 'stale')} stale, flushed ${/^\d+$/.test(flushed) ? `line ${flushed}` : flushed}`];
  }));
}
