// Counters and cost: every metric at the selected step next to its final value, and the
// cost model's estimate broken down by event kind — labelled as an estimate, with the
// link to docs/cost-model.md where each number's source is given.
import { link } from '../components';
import type { UpdateReason, View, ViewContext } from '../context';
import { clear, h } from '../dom';
import { count, micros } from '../format';

export class CountersView implements View {
  readonly el: HTMLElement;
  private readonly metrics = h('tbody');
  private readonly cost = h('tbody');
  private readonly total = h('p', { class: 'estimate' });

  constructor(private readonly ctx: ViewContext) {
    this.el = h('div', { class: 'view view-counters' },
      h('h2', {}, 'Counters'),
      h('table', { class: 'plain', 'aria-label': 'Metrics' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'), h('th', { scope: 'col', class: 'num' }, 'At this step'), h('th', { scope: 'col', class: 'num' }, 'End of run'))),
        this.metrics),
      h('h2', {}, 'Cost estimate by event kind'),
      h('p', { class: 'estimate-label' },
        h('strong', {}, 'Estimate, not a measurement: '),
        'cycles per event come from public measurements; see ',
        link('docs/cost-model.md', () => ctx.host.post({ type: 'openDoc', doc: 'cost-model' }), 'Open the cost model and its sources', 'cost-doc'),
        ' for every number and its source.'),
      this.total,
      h('table', { class: 'plain', 'aria-label': 'Estimated cost by event kind' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Event kind'), h('th', { scope: 'col', class: 'num' }, 'Count'),
          h('th', { scope: 'col', class: 'num' }, 'Cycles'), h('th', { scope: 'col', class: 'num' }, 'Est. time'), h('th', { scope: 'col' }, 'Share'))),
        this.cost));
  }

  update(_reason: UpdateReason): void {
    clear(this.metrics);
    clear(this.cost);
    const s = this.ctx.scenario();
    if (!s) return;
    const at = this.ctx.step()?.metrics ?? {};
    for (const name of Object.keys(s.metrics)) {
      const now = at[name];
      const end = s.metrics[name]!;
      const warn = (name === 'stale' || name === 'failures' || name === 'stale.divergent') && end > 0;
      this.metrics.append(h('tr', { class: warn ? 'warn' : '' },
        h('th', { scope: 'row' }, h('code', {}, name)),
        h('td', { class: 'num' }, now === undefined ? '—' : name === 'time_us' ? micros(now) : count(now)),
        h('td', { class: 'num' }, name === 'time_us' ? micros(end) : count(end))));
    }
    const cycles = s.cost.reduce((a, c) => a + c.cycles, 0);
    this.total.textContent = `Estimated time of the whole run: ${micros(s.timeUs)} (${count(cycles)} cycles).`;
    const sorted = [...s.cost].sort((a, b) => b.cycles - a.cycles);
    for (const c of sorted) {
      const share = cycles > 0 ? c.cycles / cycles : 0;
      const bar = h('div', { class: 'share-bar', role: 'img', 'aria-label': `${(share * 100).toFixed(1)} percent` });
      bar.style.width = `${(share * 100).toFixed(1)}%`;
      this.cost.append(h('tr', {},
        h('th', { scope: 'row' }, c.kind),
        h('td', { class: 'num' }, count(c.count)),
        h('td', { class: 'num' }, count(c.cycles)),
        // Time per kind in proportion to cycles: the run's total already applies the clock (ghz).
        h('td', { class: 'num' }, micros(cycles > 0 ? (s.timeUs * c.cycles) / cycles : 0)),
        h('td', { class: 'share' }, bar, h('span', { class: 'share-text' }, `${(share * 100).toFixed(1)}%`))));
    }
    if (s.cost.length === 0) this.cost.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No costed events in this run.')));
  }
}
