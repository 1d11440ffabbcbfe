// Page tables: the tree of a selected root at the selected step, one table page fetched
// when it is expanded (getNode), SPTEs shown raw and decoded. ARIA tree with arrow keys.
import type { PageEntryView } from '../../src/protocol';
import { dropdown, type Dropdown } from '../components';
import type { UpdateReason, View, ViewContext } from '../context';
import { clear, h } from '../dom';
import { hex } from '../format';

export class PageTablesView implements View {
  readonly el: HTMLElement;
  private readonly root: Dropdown;
  private readonly tree = h('ul', { class: 'tree', role: 'tree', 'aria-label': 'Page-table tree', tabindex: 0 });
  private readonly info = h('p', { class: 'muted' });
  private generation = 0;
  /** What the tree shows (run, scenario, step, root), and the tables open in it: a state for the
   *  same run (a label, a reload, a Test Explorer run) rebuilds the tree with them open again. */
  private key = '';
  private reopen = new Set<number>();

  constructor(private readonly ctx: ViewContext) {
    this.root = dropdown([], '', (v) => { ctx.state.pageRoot = v; ctx.save(); this.load(); }, 'Root', 'pt-root');
    this.tree.addEventListener('keydown', (e) => this.onKey(e));
    this.el = h('div', { class: 'view view-pages' },
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Page-table root' }, h('label', { class: 'muted' }, 'Root'), this.root.el),
      this.info, this.tree);
  }

  update(_reason: UpdateReason): void {
    const roots = this.ctx.step()?.pageTableRoots ?? [];
    const st = this.ctx.state;
    if (!roots.map(String).includes(st.pageRoot)) st.pageRoot = roots.length > 0 ? String(roots[0]) : '';
    this.root.setOptions(roots.map((r) => ({ value: String(r), label: `root ${hex(r)}` })), st.pageRoot);
    this.load();
  }

  private load(): void {
    const p = this.ctx.panel();
    const key = `${p?.runId ?? ''}:${this.ctx.scenario()?.index ?? ''}:${this.ctx.step()?.index ?? ''}:${this.ctx.state.pageRoot}`;
    this.reopen = key === this.key
      ? new Set(Array.from(this.tree.querySelectorAll<HTMLElement>('.tree-item[aria-expanded="true"]'), (li) => Number(li.dataset['hpa'])))
      : new Set();
    this.key = key;
    clear(this.tree);
    this.generation += 1;
    const root = this.ctx.state.pageRoot;
    if (root === '') {
      this.info.textContent = 'No page-table tree was kept at this step (snapshots keep the trees of live roots).';
      return;
    }
    this.info.textContent = 'Present entries only: [index] SPTE, decoded, and where it points. Expand an entry (click, Enter or →) to load the table below it.';
    const hpa = Number(root);
    const item = this.nodeItem(hpa, hpa, `root ${hex(hpa)}`, 1);
    this.tree.append(item);
    this.expand(item, hpa, hpa);
  }

  private nodeItem(root: number, hpa: number, label: string, level: number): HTMLLIElement {
    const li = h('li', { role: 'treeitem', 'aria-expanded': 'false', 'aria-level': level, class: 'tree-item', tabindex: -1, 'data-hpa': hpa });
    const row = h('div', { class: 'tree-row' }, h('span', { class: 'twisty', 'aria-hidden': 'true' }, '▸'), h('span', { class: 'tree-label' }, label));
    row.addEventListener('click', () => {
      if (li.getAttribute('aria-expanded') === 'true') this.collapse(li);
      else this.expand(li, root, hpa);
      this.focus(li);
    });
    li.append(row);
    return li;
  }

  private entryText(e: PageEntryView): string {
    return `[${e.index}] ${e.spte}  ${e.flags}  → ${e.leaf ? `host page ${hex(e.target)}` : `table ${hex(e.target)}`}`;
  }

  private expand(li: HTMLElement, root: number, hpa: number): void {
    if (li.getAttribute('aria-expanded') === 'true') return;
    li.setAttribute('aria-expanded', 'true');
    li.querySelector('.twisty')!.textContent = '▾';
    const group = h('ul', { role: 'group' }, h('li', { role: 'none', class: 'muted' }, 'loading…'));
    li.append(group);
    const s = this.ctx.scenario();
    const p = this.ctx.panel();
    const step = this.ctx.step();
    if (!s || !p || !step) return;
    const gen = this.generation;
    const level = Number(li.getAttribute('aria-level'));
    this.ctx.host.getNode({ type: 'getNode', runId: p.runId, scenario: s.index, step: step.index, root, hpa }).then((m) => {
      if (gen !== this.generation) return;
      clear(group);
      if (!m.node) {
        group.append(h('li', { role: 'none', class: 'muted' }, 'not kept in this snapshot'));
        return;
      }
      const label = li.querySelector('.tree-label')!;
      if (!label.textContent!.includes('level')) label.append(`  (level ${m.node.level}, ${m.node.entries.length} present)`);
      for (const e of m.node.entries) {
        if (e.hasChild) {
          const child = this.nodeItem(root, e.target, this.entryText(e), level + 1);
          group.append(child);
          if (this.reopen.has(e.target)) this.expand(child, root, e.target);
        } else {
          group.append(h('li', { role: 'treeitem', 'aria-level': level + 1, class: `tree-item leaf${e.leaf ? '' : ' missing'}`, tabindex: -1 },
            h('div', { class: 'tree-row' }, h('span', { class: 'twisty', 'aria-hidden': 'true' }, ' '), h('span', { class: 'tree-label' }, this.entryText(e)))));
        }
      }
      if (m.node.entries.length === 0) group.append(h('li', { role: 'none', class: 'muted' }, 'no present entries'));
    }, (e: unknown) => {
      if (gen !== this.generation || !li.isConnected || li.querySelector(':scope > ul') !== group) return;
      // A state message for the same run (a label, a reload, a Test Explorer run) rejects requests
      // in flight as superseded; the tree still shows this step, so ask again (as the lifecycle chart does).
      if (e instanceof Error && e.message === 'superseded') {
        this.collapse(li);
        this.expand(li, root, hpa);
        return;
      }
      clear(group);
      group.append(h('li', { role: 'none', class: 'muted' }, `could not load: ${e instanceof Error ? e.message : String(e)}`));
    });
  }

  private collapse(li: HTMLElement): void {
    li.setAttribute('aria-expanded', 'false');
    li.querySelector('.twisty')!.textContent = '▸';
    li.querySelector(':scope > ul')?.remove();
  }

  private visibleItems(): HTMLElement[] {
    return Array.from(this.tree.querySelectorAll<HTMLElement>('[role="treeitem"]'));
  }

  private focus(li: HTMLElement): void {
    for (const i of this.visibleItems()) i.tabIndex = -1;
    li.tabIndex = 0;
    li.focus();
  }

  private onKey(e: KeyboardEvent): void {
    const items = this.visibleItems();
    if (items.length === 0) return;
    const cur = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[role="treeitem"]');
    const i = cur ? items.indexOf(cur) : -1;
    const hpa = Number(cur?.dataset['hpa']);
    switch (e.key) {
      case 'ArrowDown': this.focus(items[Math.min(items.length - 1, i + 1)]!); break;
      case 'ArrowUp': this.focus(items[Math.max(0, i - 1)]!); break;
      case 'Home': this.focus(items[0]!); break;
      case 'End': this.focus(items[items.length - 1]!); break;
      case 'ArrowRight':
      case 'Enter':
        if (cur && cur.hasAttribute('aria-expanded') && Number.isFinite(hpa)) this.expand(cur, Number(this.ctx.state.pageRoot), hpa);
        break;
      case 'ArrowLeft':
        if (cur?.getAttribute('aria-expanded') === 'true') this.collapse(cur);
        else if (cur) { const parent = cur.parentElement?.closest<HTMLElement>('[role="treeitem"]'); if (parent) this.focus(parent); }
        break;
      default: return;
    }
    e.preventDefault();
  }
}
