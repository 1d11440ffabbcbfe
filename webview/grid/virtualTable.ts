// A windowed table: the toolkit's data grid renders every row, so large tables (a TLB of
// 100,000 entries, a long trace) use this instead. Fixed row height; only the rows in view
// plus a small overscan exist in the DOM (a pool reused while scrolling); rows arrive from
// the host in blocks (`getRows` slices) and are cached. ARIA grid roles with
// aria-rowcount/aria-rowindex; keyboard: arrows, PageUp/PageDown, Home/End, Enter.
import { TABLE_COLUMNS, type ColumnSpec, type RowSort, type RowView, type TableName } from '../../src/protocol';
import { clear, h } from '../dom';

export const ROW_HEIGHT = 22;
const BLOCK = 100;
const OVERSCAN = 6;
const MAX_BLOCKS = 40;

export type FetchRows = (offset: number, limit: number) => Promise<{ total: number; rows: readonly RowView[] }>;

export interface VirtualTableOptions {
  readonly table: TableName;
  readonly label: string;
  readonly fetch: FetchRows;
  readonly sort: RowSort | null;
  readonly onSort: (sort: RowSort | null) => void;
  readonly onSelect: (row: RowView | null) => void;
  /** Click or Enter on a row with a source line: reveal it in the editor. */
  readonly onActivate: (row: RowView) => void;
  /** Fit the height to the rows, up to this many; without it the table fills its container. */
  readonly maxRows?: number;
  readonly emptyText: string;
  /** The column chooser's choices (column id -> shown), kept by the caller (saved state). */
  readonly columnPrefs?: Record<string, boolean>;
  readonly onColumns?: (prefs: Record<string, boolean>) => void;
  /** Row count of the current query once known (after filters). */
  readonly onTotal?: (total: number) => void;
  /** Scroll offset to restore, and where to report it (debounced by the frame). */
  readonly scrollTop?: number;
  readonly onScroll?: (top: number) => void;
}

/** Which columns fit in `width` px: forced ones, then by priority while their minimum widths
 *  fit; hidden ones never. Priority-1 columns always show (the table scrolls as a last resort). */
export function fitColumns(columns: readonly ColumnSpec[], width: number, prefs: Readonly<Record<string, boolean>>, minPx: (c: ColumnSpec) => number = (c) => c.minPx): boolean[] {
  const shown = columns.map((c) => prefs[c.id] === true || (c.priority === 1 && prefs[c.id] !== false));
  let used = columns.reduce((a, c, i) => a + (shown[i] ? minPx(c) : 0), 0);
  for (const p of [2, 3] as const) {
    columns.forEach((c, i) => {
      if (shown[i] || c.priority !== p || prefs[c.id] === false) return;
      if (used + minPx(c) <= width) { shown[i] = true; used += minPx(c); }
    });
  }
  if (!shown.some((x) => x)) shown[0] = true;
  return shown;
}

let tableCount = 0;

export class VirtualTable {
  readonly el: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly headerCells: HTMLElement[] = [];
  private readonly columns: readonly ColumnSpec[];
  private readonly idPrefix: string;
  private readonly pool: HTMLElement[] = [];
  private readonly blocks = new Map<number, readonly RowView[]>();
  private readonly inflight = new Set<number>();
  private generation = 0;
  private total = 0;
  private known = false;
  private active = -1;
  private activeKey: string | null = null;
  private sort: RowSort | null;
  private frame = 0;
  private visible: boolean[] = [];
  private width = -1;
  private readonly prefs: Record<string, boolean>;
  private readonly minOverride = new Map<string, number>();
  private readonly chooser: HTMLElement;
  private restoreTop: number | undefined;

  constructor(private readonly opts: VirtualTableOptions) {
    this.columns = TABLE_COLUMNS[opts.table];
    this.sort = opts.sort;
    this.idPrefix = `vt${++tableCount}-${opts.table}`;
    this.prefs = opts.columnPrefs ?? {};
    this.restoreTop = opts.scrollTop;

    const header = h('div', { class: 'vt-row vt-head', role: 'row', 'aria-rowindex': 1 });
    for (const c of this.columns) {
      // The tooltip names the column in full: a narrow header may still be cut.
      const btn = h('button', { class: 'vt-sort', type: 'button', title: `${c.label}: ${c.title}. Click to sort.` }, c.label);
      btn.addEventListener('click', () => this.toggleSort(c.id));
      const cell = h('div', { class: `vt-cell${c.numeric ? ' num' : ''}`, role: 'columnheader', 'aria-sort': 'none', 'data-col': c.id }, btn);
      this.headerCells.push(cell);
      header.append(cell);
    }
    this.body = h('div', { class: 'vt-body', role: 'rowgroup' });
    this.spacer = h('div', { class: 'vt-spacer', role: 'presentation' }, this.body);
    this.viewport = h('div', { class: 'vt-viewport', role: 'presentation' }, this.spacer);
    this.empty = h('div', { class: 'vt-empty', role: 'presentation', hidden: true }, opts.emptyText);
    this.chooser = this.columnChooser();
    this.el = h('div', {
      class: `vt${opts.maxRows ? ' vt-fit' : ''}`, role: 'grid', tabindex: 0, 'aria-label': opts.label,
      'aria-colcount': this.columns.length, 'aria-rowcount': 1, 'aria-readonly': 'true', 'data-table': opts.table,
    }, h('div', { class: 'vt-header', role: 'rowgroup' }, header), this.viewport, this.empty);
    this.updateSortMarks();

    this.viewport.addEventListener('scroll', () => { this.schedule(); this.opts.onScroll?.(this.viewport.scrollTop); });
    new ResizeObserver(() => this.fit()).observe(this.el);
    this.el.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('click', (e) => {
      const rowEl = (e.target as HTMLElement).closest<HTMLElement>('.vt-row');
      if (!rowEl) return;
      const i = Number(rowEl.dataset['index']);
      if (!Number.isInteger(i) || i < 0) return;
      this.setActive(i, false);
      const row = this.rowAt(i);
      if (row && row.line !== null) this.opts.onActivate(row);
    });
  }

  /** The column chooser (a button and its menu): the caller puts it in its toolbar or heading. */
  get columnsButton(): HTMLElement {
    return this.chooser;
  }

  /** A column must fit this text uncut (e.g. the longest function name of this trace). */
  fitText(column: string, text: string): void {
    const known = this.fitTexts.get(column);
    if (known !== undefined && known.length >= text.length) return;
    this.fitTexts.set(column, text);
    this.width = -1;
    this.fit();
  }

  private readonly fitTexts = new Map<string, string>();
  /** Longest cell seen per `fit` column (monospace: characters stand for width). */
  private readonly longest = new Map<string, number>();

  private growToFit(row: RowView): void {
    this.columns.forEach((c, i) => {
      if (!c.fit) return;
      const text = row.cells[i] ?? '';
      if (text.length <= (this.longest.get(c.id) ?? 0)) return;
      this.longest.set(c.id, text.length);
      this.fitText(c.id, text);
    });
  }
  private readonly headerPx = new Map<string, number>();

  /** Width of a text in a cell of this table (cell font and padding). */
  private measure(text: string, head: boolean): number {
    const probe = h('span', { class: `vt-cell vt-probe${head ? ' vt-probe-head' : ''}` }, text);
    this.el.append(probe);
    const w = probe.getBoundingClientRect().width;
    probe.remove();
    return Math.ceil(w);
  }

  private minPx(c: ColumnSpec): number {
    const fit = this.minOverride.get(c.id) ?? 0;
    return Math.max(c.minPx, fit, this.headerPx.get(c.id) ?? 0);
  }

  private cols = '';

  /** Chooses the columns for the table's width (and the user's choices); re-lays out when they change. */
  private fit(): void {
    const width = this.el.clientWidth;
    if (width === 0 || width === this.width) { this.schedule(); return; }
    this.width = width;
    // Headers are never cut: a column is at least as wide as its label (and the sort mark).
    if (this.headerPx.size === 0) for (const c of this.columns) this.headerPx.set(c.id, this.measure(`${c.label} ▾`, true));
    for (const [id, text] of this.fitTexts) this.minOverride.set(id, Math.max(this.minOverride.get(id) ?? 0, this.measure(text, false) + 2));
    this.fitTexts.clear();
    const visible = fitColumns(this.columns, width - 8, this.prefs, (c) => this.minPx(c));
    const cols = this.columns.map((c, i) => (visible[i] ? `minmax(${this.minPx(c)}px, ${c.width}fr)` : '')).filter((x) => x).join(' ');
    if (cols !== this.cols || visible.join() !== this.visible.join()) {
      this.visible = visible;
      this.cols = cols;
      this.el.style.setProperty('--vt-cols', cols);
      this.el.style.setProperty('--vt-min', `${this.columns.reduce((a, c, i) => a + (visible[i] ? this.minPx(c) : 0), 0)}px`);
      this.el.setAttribute('aria-colcount', String(visible.filter((x) => x).length));
      this.headerCells.forEach((cell, i) => { cell.hidden = !visible[i]; });
      for (const row of this.pool) Array.from(row.children).forEach((cell, i) => { (cell as HTMLElement).hidden = !visible[i]; });
      this.el.dataset['columns'] = this.columns.filter((_, i) => visible[i]).map((c) => c.id).join(' ');
      this.syncChooser();
    }
    this.schedule();
  }

  private columnChooser(): HTMLElement {
    const menu = h('div', { class: 'menu vt-menu', role: 'group', 'aria-label': `Columns of ${this.opts.label}`, hidden: true });
    const btn = h('button', { type: 'button', class: 'vt-columns linkish', 'aria-haspopup': 'true', 'aria-expanded': 'false', title: `Choose the columns of ${this.opts.label}` }, 'Columns ▾');
    for (const c of this.columns) {
      const box = h('input', { type: 'checkbox', id: `${this.idPrefix}-col-${c.id}`, 'data-col': c.id });
      box.addEventListener('change', () => {
        this.prefs[c.id] = box.checked;
        this.opts.onColumns?.(this.prefs);
        this.width = -1;
        this.fit();
      });
      menu.append(h('label', { class: 'menu-item', title: c.title, for: `${this.idPrefix}-col-${c.id}` }, box, ` ${c.label}`, h('span', { class: 'muted' }, ` — ${c.title}`)));
    }
    const reset = h('button', { type: 'button', class: 'linkish menu-item' }, 'Fit to width');
    reset.addEventListener('click', () => {
      for (const k of Object.keys(this.prefs)) delete this.prefs[k];
      this.opts.onColumns?.(this.prefs);
      this.width = -1;
      this.fit();
    });
    menu.append(reset);
    const close = (): void => { menu.hidden = true; btn.setAttribute('aria-expanded', 'false'); };
    btn.addEventListener('click', () => {
      menu.hidden = !menu.hidden;
      btn.setAttribute('aria-expanded', String(!menu.hidden));
      if (!menu.hidden) (menu.querySelector('input') as HTMLElement | null)?.focus();
    });
    menu.addEventListener('keydown', (e) => { if (e.key === 'Escape') { close(); btn.focus(); } });
    document.addEventListener('click', (e) => { if (!wrap.contains(e.target as Node)) close(); });
    const wrap = h('span', { class: 'vt-chooser' }, btn, menu);
    return wrap;
  }

  private syncChooser(): void {
    this.columns.forEach((c, i) => {
      const box = this.chooser.querySelector<HTMLInputElement>(`input[data-col="${c.id}"]`);
      if (box) box.checked = this.visible[i] ?? false;
    });
  }

  /** Row count of the current query (after filters). */
  get rowCount(): number {
    return this.total;
  }

  /** Drops cached rows and asks again (new step, filter or run). */
  refresh(resetScroll: boolean): void {
    this.generation += 1;
    this.blocks.clear();
    this.inflight.clear();
    this.known = false;
    if (resetScroll) {
      this.viewport.scrollTop = 0;
      this.active = -1;
      this.activeKey = null;
      this.opts.onSelect(null);
    }
    this.ensureBlock(0);
    this.schedule();
  }

  /** Scrolls so that row `index` is in view and selects it. */
  scrollToRow(index: number): void {
    this.setActive(index, true);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private rowAt(i: number): RowView | undefined {
    return this.blocks.get(Math.floor(i / BLOCK))?.[i % BLOCK];
  }

  private ensureBlock(b: number): void {
    if (this.blocks.has(b) || this.inflight.has(b)) return;
    const gen = this.generation;
    this.inflight.add(b);
    this.opts.fetch(b * BLOCK, BLOCK).then((r) => {
      if (gen !== this.generation) return;
      this.inflight.delete(b);
      this.blocks.set(b, r.rows);
      if (this.blocks.size > MAX_BLOCKS) {
        // Forget the block farthest from the view.
        const center = Math.floor(this.viewport.scrollTop / ROW_HEIGHT / BLOCK);
        let far = -1;
        for (const k of this.blocks.keys()) if (far < 0 || Math.abs(k - center) > Math.abs(far - center)) far = k;
        this.blocks.delete(far);
      }
      this.setTotal(r.total);
      this.schedule();
    }, () => {
      if (gen === this.generation) this.inflight.delete(b);
    });
  }

  private setTotal(total: number): void {
    const changed = !this.known || total !== this.total;
    this.total = total;
    this.known = true;
    if (!changed) return;
    this.spacer.style.height = `${total * ROW_HEIGHT}px`;
    if (this.opts.maxRows) this.viewport.style.height = `${Math.max(1, Math.min(total, this.opts.maxRows)) * ROW_HEIGHT}px`;
    this.el.setAttribute('aria-rowcount', String(total + 1));
    this.el.dataset['total'] = String(total);
    this.empty.hidden = total > 0;
    if (this.active >= total) this.active = total - 1;
    this.opts.onTotal?.(total);
    if (this.restoreTop !== undefined && total > 0) {
      this.viewport.scrollTop = this.restoreTop;
      this.restoreTop = undefined;
    }
  }

  private render(): void {
    const height = this.viewport.clientHeight;
    if (height === 0 || !this.known) {
      if (!this.known) this.ensureBlock(0);
      return;
    }
    const top = this.viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    for (let b = Math.floor(first / BLOCK); b <= Math.floor(Math.max(first, last - 1) / BLOCK); b++) this.ensureBlock(b);
    const n = Math.max(0, last - first);
    while (this.pool.length < n) {
      const row = h('div', { class: 'vt-row', role: 'row' });
      this.columns.forEach((c, i) => row.append(h('div', { class: `vt-cell${c.numeric ? ' num' : ''}`, role: 'gridcell', hidden: this.visible.length > 0 && !this.visible[i] })));
      this.pool.push(row);
      this.body.append(row);
    }
    while (this.pool.length > n) this.pool.pop()!.remove();
    this.body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.el.dataset['first'] = String(first);
    for (let k = 0; k < n; k++) this.fillRow(this.pool[k]!, first + k);
    this.updateActiveDescendant();
    if (this.active >= 0 && this.activeKey === null) {
      const row = this.rowAt(this.active);
      if (row) {
        this.activeKey = row.key;
        this.opts.onSelect(row);
      }
    }
  }

  private fillRow(el: HTMLElement, i: number): void {
    const row = this.rowAt(i);
    el.id = `${this.idPrefix}-r${i}`;
    el.dataset['index'] = String(i);
    el.setAttribute('aria-rowindex', String(i + 2));
    el.setAttribute('aria-selected', String(i === this.active));
    el.className = 'vt-row' + (row ? '' : ' loading') + (row?.stale ? ' stale' : '') + (row?.marked ? ' marked' : '')
      + (i === this.active ? ' selected' : '') + (row && row.line !== null ? ' linked' : '');
    // The tooltip gives what a narrow column cuts off.
    if (row) el.title = row.note || row.cells.map((c, k) => (c === '' ? '' : `${this.columns[k]?.label ?? ''}: ${c}`)).filter((c) => c !== '').join(' · ');
    else el.removeAttribute('title');
    if (row) this.growToFit(row);
    const cells = el.children;
    for (let c = 0; c < cells.length; c++) {
      const text = row ? row.cells[c] ?? '' : c === 0 ? '…' : '';
      if (cells[c]!.textContent !== text) cells[c]!.textContent = text;
    }
  }

  private updateActiveDescendant(): void {
    const id = `${this.idPrefix}-r${this.active}`;
    if (this.active >= 0 && this.pool.some((r) => r.id === id)) this.el.setAttribute('aria-activedescendant', id);
    else this.el.removeAttribute('aria-activedescendant');
  }

  private setActive(i: number, scroll: boolean): void {
    if (this.total === 0) return;
    const index = Math.max(0, Math.min(this.total - 1, i));
    this.active = index;
    if (scroll) {
      const h0 = this.viewport.clientHeight;
      const top = index * ROW_HEIGHT;
      if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
      else if (top + ROW_HEIGHT > this.viewport.scrollTop + h0) this.viewport.scrollTop = top + ROW_HEIGHT - h0;
    }
    const row = this.rowAt(index);
    this.activeKey = row ? row.key : null;
    if (row) this.opts.onSelect(row);
    for (const el of this.pool) {
      const sel = Number(el.dataset['index']) === index;
      el.classList.toggle('selected', sel);
      el.setAttribute('aria-selected', String(sel));
    }
    this.updateActiveDescendant();
    this.schedule();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target !== this.el) return; // header buttons keep their own keys
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const cur = this.active < 0 ? -1 : this.active;
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowDown': next = cur + 1; break;
      case 'ArrowUp': next = Math.max(0, cur - 1); break;
      case 'PageDown': next = cur + page; break;
      case 'PageUp': next = Math.max(0, cur - page); break;
      case 'Home': next = 0; break;
      case 'End': next = this.total - 1; break;
      case 'Enter':
      case ' ': {
        const row = cur >= 0 ? this.rowAt(cur) : undefined;
        if (row && row.line !== null) this.opts.onActivate(row);
        e.preventDefault();
        return;
      }
      default: return;
    }
    e.preventDefault();
    this.setActive(next, true);
  }

  private toggleSort(column: string): void {
    const s = this.sort;
    this.sort = !s || s.column !== column ? { column, descending: false } : !s.descending ? { column, descending: true } : null;
    this.updateSortMarks();
    this.opts.onSort(this.sort);
    this.refresh(true);
  }

  private updateSortMarks(): void {
    this.columns.forEach((c, k) => {
      const cell = this.headerCells[k]!;
      const on = this.sort?.column === c.id;
      cell.setAttribute('aria-sort', on ? (this.sort!.descending ? 'descending' : 'ascending') : 'none');
      cell.classList.toggle('sorted', on);
      const btn = cell.firstElementChild as HTMLElement;
      clear(btn);
      btn.append(c.label, on ? (this.sort!.descending ? ' ▾' : ' ▴') : '');
    });
  }
}
