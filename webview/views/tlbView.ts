// TLB: the hardware TLB model's entries and L0's shadow entries at the selected step,
// stale ones marked; filters by ASID, root (address space) and "stale only", search by
// address. Selecting a stale entry shows the blame chain of the stale use it caused.
import type { RowFilter } from '../../src/protocol';
import { checkbox, dropdown, textField, type Dropdown } from '../components';
import type { UpdateReason, View, ViewContext } from '../context';
import { h } from '../dom';
import { hex } from '../format';
import { VirtualTable } from '../grid/virtualTable';
import { DetailPane } from './detailPane';

export class TlbView implements View {
  readonly el: HTMLElement;
  private readonly tlb: VirtualTable;
  private readonly shadow: VirtualTable;
  private readonly asid: Dropdown;
  private readonly root: Dropdown;
  private readonly detail: DetailPane;
  private readonly count = h('span', { class: 'count muted', 'aria-live': 'polite' });

  constructor(private readonly ctx: ViewContext) {
    const st = ctx.state;
    this.detail = new DetailPane((l) => ctx.reveal(l), 'Select an entry; a stale one shows the blame chain of the stale use it caused.');
    const filter = (): RowFilter => {
      const f: { -readonly [K in keyof RowFilter]: RowFilter[K] } = {};
      if (st.tlbAsid !== '' && st.tlbTable === 'tlb') f.asid = Number(st.tlbAsid);
      if (st.tlbRoot !== '') f.as = Number(st.tlbRoot);
      if (st.tlbStaleOnly) f.staleOnly = true;
      if (st.tlbSearch.trim() !== '') f.text = st.tlbSearch.trim();
      return f;
    };
    const common = {
      onSelect: (r: Parameters<DetailPane['show']>[0]) => this.detail.show(r),
      onActivate: (r: { line: number | null }) => ctx.reveal(r.line!),
    };
    this.tlb = new VirtualTable({
      ...common, table: 'tlb', label: 'Hardware TLB entries', fetch: ctx.rows('tlb', filter), ...ctx.tableState('tlb'), emptyText: 'No TLB entries match.',
    });
    this.shadow = new VirtualTable({
      ...common, table: 'shadowEntries', label: 'L0 shadow entries', fetch: ctx.rows('shadowEntries', filter), ...ctx.tableState('shadowEntries'), emptyText: 'No shadow entries match.',
    });
    const changed = (): void => { ctx.save(); this.refreshTables(true); };
    const which = dropdown([{ value: 'tlb', label: 'Hardware TLB' }, { value: 'shadowEntries', label: 'L0 shadow entries' }], st.tlbTable,
      (v) => { st.tlbTable = v === 'shadowEntries' ? 'shadowEntries' : 'tlb'; this.showTable(); changed(); }, 'Table', 'tlb-table');
    this.asid = dropdown([{ value: '', label: 'All ASIDs' }], st.tlbAsid, (v) => { st.tlbAsid = v; changed(); }, 'Filter by ASID', 'tlb-asid');
    this.root = dropdown([{ value: '', label: 'All roots' }], st.tlbRoot, (v) => { st.tlbRoot = v; changed(); }, 'Filter by root (nCR3)', 'tlb-root');
    const stale = checkbox('Stale only', st.tlbStaleOnly, (v) => { st.tlbStaleOnly = v; changed(); }, 'tlb-stale');
    const search = textField('Search address (0x…)', st.tlbSearch, (v) => { st.tlbSearch = v; changed(); }, 'Search by address', 'tlb-search');
    this.el = h('div', { class: 'view view-tlb' },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'TLB filters' }, which.el, this.asid.el, this.root.el, stale.el, search.el, this.tlb.columnsButton, this.shadow.columnsButton, this.count),
      h('div', { class: 'fill' }, this.tlb.el, this.shadow.el),
      this.detail.el);
    this.showTable();
  }

  private showTable(): void {
    const isTlb = this.ctx.state.tlbTable === 'tlb';
    this.tlb.el.hidden = !isTlb;
    this.shadow.el.hidden = isTlb;
    this.tlb.columnsButton.hidden = !isTlb;
    this.shadow.columnsButton.hidden = isTlb;
    this.asid.el.toggleAttribute('disabled', !isTlb);
  }

  private refreshTables(reset: boolean): void {
    this.tlb.refresh(reset);
    this.shadow.refresh(reset);
  }

  update(reason: UpdateReason): void {
    const step = this.ctx.step();
    const st = this.ctx.state;
    // A filter value the new step lacks stays selected (and offered): the table says "no match".
    const withCurrent = (list: readonly number[], cur: string): number[] =>
      cur !== '' && !list.includes(Number(cur)) ? [...list, Number(cur)] : [...list];
    const asids = withCurrent(step?.asids ?? [], st.tlbAsid);
    const spaces = withCurrent(step?.spaces ?? [], st.tlbRoot);
    this.asid.setOptions([{ value: '', label: 'All ASIDs' }, ...asids.map((a) => ({ value: String(a), label: `ASID ${a}` }))], st.tlbAsid);
    this.root.setOptions([{ value: '', label: 'All roots' }, ...spaces.map((a) => ({ value: String(a), label: `root ${hex(a)}` }))], st.tlbRoot);
    const counts = step?.counts;
    const entries = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what} ${n === 1 ? 'entry' : 'entries'}`;
    this.count.textContent = counts ? `${entries(counts.tlb, 'TLB')}, ${entries(counts.shadowEntries, 'shadow')} at this step` : '';
    this.refreshTables(reason === 'scenario');
  }
}
