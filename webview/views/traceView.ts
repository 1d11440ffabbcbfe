// Trace: the modelled kernel functions and hypercalls with their call paths, filterable by
// function (matches the event or any frame of its path) and text; a click reveals the
// statement that caused the event.
import type { RowFilter } from '../../src/protocol';
import { MAX_TRACE_LIMIT } from '../../src/protocol';
import { button, dropdown, textField, type Dropdown } from '../components';
import type { UpdateReason, View, ViewContext } from '../context';
import { h } from '../dom';
import { VirtualTable } from '../grid/virtualTable';

export class TraceView implements View {
  readonly el: HTMLElement;
  private readonly table: VirtualTable;
  private readonly fn: Dropdown;
  private readonly info = h('span', { class: 'count muted', 'aria-live': 'polite', id: 'trace-count' });
  /** Rows of the current query (filters applied), once the first slice arrived; null before. */
  private matched: number | null = null;
  private readonly capNotice = h('p', { class: 'notice trace-cap', role: 'note', id: 'trace-cap', hidden: true });

  constructor(private readonly ctx: ViewContext) {
    const st = ctx.state;
    const filter = (): RowFilter => ({
      ...(st.traceFn !== '' ? { fn: st.traceFn } : {}),
      ...(st.traceSearch.trim() !== '' ? { text: st.traceSearch.trim() } : {}),
    });
    this.table = new VirtualTable({
      table: 'trace', label: 'Trace events', fetch: ctx.rows('trace', filter), ...ctx.tableState('trace'),
      onTotal: (n) => { this.matched = n; this.showCount(); }, onSelect: () => undefined, onActivate: (r) => ctx.reveal(r.line!),
      emptyText: 'No trace events match (the trace is recorded when the run asks for it).',
    });
    const changed = (): void => { ctx.save(); this.matched = null; this.showCount(); this.table.refresh(true); };
    this.fn = dropdown([{ value: '', label: 'All functions' }], st.traceFn, (v) => { st.traceFn = v; changed(); }, 'Filter by function', 'trace-fn');
    const search = textField('Search detail', st.traceSearch, (v) => { st.traceSearch = v; changed(); }, 'Search the trace', 'trace-search');
    this.el = h('div', { class: 'view view-trace' },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Trace filters' }, this.fn.el, search.el, this.table.columnsButton, this.info),
      this.capNotice,
      h('div', { class: 'fill' }, this.table.el));
  }

  update(reason: UpdateReason): void {
    const s = this.ctx.scenario();
    const st = this.ctx.state;
    const fns = s?.traceFunctions ?? [];
    const choices = st.traceFn !== '' && !fns.includes(st.traceFn) ? [...fns, st.traceFn] : fns;
    this.fn.setOptions([{ value: '', label: 'All functions' }, ...choices.map((f) => ({ value: f, label: f }))], st.traceFn);
    // The function column fits the longest name of this trace (names are never cut).
    const longest = fns.reduce((a, f) => (f.length > a.length ? f : a), '');
    if (longest) this.table.fitText('fn', longest);
    this.matched = null;
    this.showCount();
    this.showCap();
    this.table.refresh(reason === 'scenario');
  }

  /** A capped trace says so, with the setting and an action to run again with more. */
  private showCap(): void {
    const cap = this.ctx.scenario()?.traceCap ?? null;
    this.capNotice.hidden = cap === null;
    while (this.capNotice.firstChild) this.capNotice.firstChild.remove();
    if (cap === null) return;
    const more = Math.min(MAX_TRACE_LIMIT, Math.max(cap * 10, 1000));
    this.capNotice.append(`First ${cap.toLocaleString('en-US')} events — `, h('code', {}, 'mmu.trace.limit'), '. ');
    if (more > cap) {
      this.capNotice.append(button(`Re-run with ${more.toLocaleString('en-US')}`, () => this.ctx.host.post({ type: 'rerunWithTraceLimit', limit: more }),
        { id: 'trace-rerun', title: `Set mmu.trace.limit to ${more.toLocaleString('en-US')} and run the file again` }));
    }
  }

  /** "N events up to this step"; under a filter "M of N events match" (M counted by the host). */
  private showCount(): void {
    const s = this.ctx.scenario();
    const st = this.ctx.state;
    if (!s) { this.info.textContent = ''; return; }
    const step = this.ctx.step();
    const upTo = step?.counts.trace ?? s.traceCount;
    const where = step ? ' up to this step' : '';
    const n = (x: number): string => x.toLocaleString('en-US');
    const filtered = st.traceFn !== '' || st.traceSearch.trim() !== '';
    if (!filtered) this.info.textContent = `${n(upTo)} event${upTo === 1 ? '' : 's'}${where}`;
    else this.info.textContent = this.matched === null ? 'filtering…' : `${n(this.matched)} of ${n(upTo)} events${where} match`;
  }
}
