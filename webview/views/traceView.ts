// Trace: the modelled kernel functions and hypercalls with their call paths, filterable by
// function (matches the event or any frame of its path) and text; a click reveals the
// statement that caused the event.
import type { RowFilter } from '../../src/protocol';
import { dropdown, textField, type Dropdown } from '../components';
import type { UpdateReason, View, ViewContext } from '../context';
import { h } from '../dom';
import { VirtualTable } from '../grid/virtualTable';

export class TraceView implements View {
  readonly el: HTMLElement;
  private readonly table: VirtualTable;
  private readonly fn: Dropdown;
  private readonly info = h('span', { class: 'count muted', 'aria-live': 'polite' });

  constructor(private readonly ctx: ViewContext) {
    const st = ctx.state;
    const filter = (): RowFilter => ({
      ...(st.traceFn !== '' ? { fn: st.traceFn } : {}),
      ...(st.traceSearch.trim() !== '' ? { text: st.traceSearch.trim() } : {}),
    });
    this.table = new VirtualTable({
      table: 'trace', label: 'Trace events', fetch: ctx.rows('trace', filter), sort: st.sorts['trace'] ?? null,
      onSort: (s) => { st.sorts['trace'] = s; ctx.save(); }, onSelect: () => undefined, onActivate: (r) => ctx.reveal(r.line!),
      emptyText: 'No trace events match (the trace is recorded when the run asks for it).',
    });
    const changed = (): void => { ctx.save(); this.table.refresh(true); };
    this.fn = dropdown([{ value: '', label: 'All functions' }], st.traceFn, (v) => { st.traceFn = v; changed(); }, 'Filter by function', 'trace-fn');
    const search = textField('Search detail', st.traceSearch, (v) => { st.traceSearch = v; changed(); }, 'Search the trace', 'trace-search');
    this.el = h('div', { class: 'view view-trace' },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Trace filters' }, this.fn.el, search.el, this.info),
      h('div', { class: 'fill' }, this.table.el));
  }

  update(reason: UpdateReason): void {
    const s = this.ctx.scenario();
    const st = this.ctx.state;
    const fns = s?.traceFunctions ?? [];
    const choices = st.traceFn !== '' && !fns.includes(st.traceFn) ? [...fns, st.traceFn] : fns;
    this.fn.setOptions([{ value: '', label: 'All functions' }, ...choices.map((f) => ({ value: f, label: f }))], st.traceFn);
    const step = this.ctx.step();
    const shown = step?.counts.trace ?? s?.traceCount ?? 0;
    const all = s?.traceCount ?? 0;
    this.info.textContent = !s ? '' : step ? `${shown.toLocaleString('en-US')} of ${all.toLocaleString('en-US')} events up to this step` : `${all.toLocaleString('en-US')} events`;
    this.table.refresh(reason === 'scenario');
  }
}
