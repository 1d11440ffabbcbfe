// Roots: L1's roots (the nCR3/EPTP values) and L0's shadows per address space, with the
// recycled root of a stale use marked — the page L0 still has a shadow for.
import type { RowView } from '../../src/protocol';
import { VirtualTable } from '../grid/virtualTable';
import { h } from '../dom';
import type { UpdateReason, View, ViewContext } from '../context';
import { DetailPane } from './detailPane';

export class RootsView implements View {
  readonly el: HTMLElement;
  private readonly roots: VirtualTable;
  private readonly shadows: VirtualTable;
  private readonly memslots: VirtualTable;
  private readonly detail: DetailPane;

  constructor(ctx: ViewContext) {
    this.detail = new DetailPane((l) => ctx.reveal(l), 'Select a root to see why it is marked. Click a row to reveal the line that created it.');
    const select = (row: RowView | null): void => this.detail.show(row);
    this.roots = new VirtualTable({
      table: 'roots', label: 'L1 roots', fetch: ctx.rows('roots', () => ({})), ...ctx.tableState('roots'), onSelect: select, onActivate: (r) => ctx.reveal(r.line!),
      maxRows: 12, emptyText: 'No roots at this step.',
    });
    this.shadows = new VirtualTable({
      table: 'shadows', label: 'L0 shadows per address space', fetch: ctx.rows('shadows', () => ({})), ...ctx.tableState('shadows'), onSelect: select, onActivate: (r) => ctx.reveal(r.line!),
      maxRows: 10, emptyText: 'No L0 shadows at this step (host=bare has none).',
    });
    this.memslots = new VirtualTable({
      table: 'memslots', label: 'Memslots', fetch: ctx.rows('memslots', () => ({})), ...ctx.tableState('memslots'), onSelect: () => undefined, onActivate: () => undefined,
      maxRows: 6, emptyText: 'No memslots at this step.',
    });
    this.el = h('div', { class: 'view view-roots' },
      h('div', { class: 'section-head' }, h('h2', {}, 'L1 roots'), this.roots.columnsButton),
      h('p', { class: 'muted' }, 'Root pages of KVM\'s MMU (#id as blame chains name them); a marked row is the recycled root of a stale use: a new root on a page L0 still shadows.'),
      this.roots.el,
      h('div', { class: 'section-head' }, h('h2', {}, 'L0 shadows (per nCR3)'), this.shadows.columnsButton),
      this.shadows.el,
      this.detail.el,
      h('h2', {}, 'Memslots'),
      this.memslots.el);
  }

  update(reason: UpdateReason): void {
    this.roots.refresh(reason === 'scenario');
    this.shadows.refresh(reason === 'scenario');
    this.memslots.refresh(reason === 'scenario');
  }
}
