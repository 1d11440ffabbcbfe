// Tabs (vscode-panels with vscode-panel-tab / vscode-panel-view): arrow-key navigation
// and the tablist/tab/tabpanel roles come from the toolkit. Only the active tab's content
// is in the DOM (hidden views would only add nodes; their objects keep their state).
// The strip never scrolls sideways: tabs that do not fit are hidden (the toolkit skips
// hidden tabs in its arrow keys) and listed in a "More" menu at the end of the strip; the
// active tab always stays in the strip.
import { clear, h } from '../dom';

export interface TabSpec {
  readonly id: string;
  readonly label: string;
  readonly content: HTMLElement;
}

export interface Tabs {
  readonly el: HTMLElement;
  select(id: string): void;
  setLabel(id: string, label: string): void;
}

export function tabs(items: readonly TabSpec[], active: string, onChange: (id: string) => void, ariaLabel: string): Tabs {
  const el = h('vscode-panels', { 'aria-label': ariaLabel, activeid: `tab-${active}`, class: 'tabs' });
  const tabEls = new Map<string, HTMLElement>();
  for (const t of items) {
    const tab = h('vscode-panel-tab', { id: `tab-${t.id}` }, t.label);
    tabEls.set(t.id, tab);
    el.append(tab);
  }
  const views = new Map<string, HTMLElement>();
  for (const t of items) {
    const view = h('vscode-panel-view', { id: `view-${t.id}`, class: 'tab-view' });
    views.set(t.id, view);
    el.append(view);
  }
  const more = h('button', { type: 'button', slot: 'end', class: 'tabs-more', id: 'tabs-more', 'aria-haspopup': 'menu', 'aria-expanded': 'false', title: 'More views', hidden: true }, 'More ▾');
  const menu = h('div', { class: 'menu tabs-menu', role: 'menu', 'aria-label': 'More views', hidden: true, slot: 'end' });
  el.append(more, menu);
  const closeMenu = (): void => { menu.hidden = true; more.setAttribute('aria-expanded', 'false'); };
  more.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
    more.setAttribute('aria-expanded', String(!menu.hidden));
    if (!menu.hidden) (menu.firstElementChild as HTMLElement | null)?.focus();
  });
  menu.addEventListener('keydown', (e) => {
    const items = Array.from(menu.children) as HTMLElement[];
    const k = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') { closeMenu(); more.focus(); e.preventDefault(); }
    else if (e.key === 'ArrowDown') { items[(k + 1) % items.length]?.focus(); e.preventDefault(); }
    else if (e.key === 'ArrowUp') { items[(k - 1 + items.length) % items.length]?.focus(); e.preventDefault(); }
    e.stopPropagation();
  });
  document.addEventListener('click', (e) => { if (e.target !== more && !menu.contains(e.target as Node)) closeMenu(); });
  /** Hides the tabs that do not fit (keeping the active one) and lists them in the menu. */
  const layout = (): void => {
    const width = el.clientWidth;
    if (width === 0) return;
    for (const tab of tabEls.values()) tab.hidden = false;
    more.hidden = false;
    const moreW = more.offsetWidth + 12;
    // The toolkit spaces tabs with a column gap: measure it from the first two tabs.
    const rects = items.slice(0, 2).map((t) => tabEls.get(t.id)!.getBoundingClientRect());
    const gap = rects.length === 2 ? Math.max(0, rects[1]!.left - rects[0]!.right) : 0;
    const widths = items.map((t) => tabEls.get(t.id)!.offsetWidth + gap);
    const total = widths.reduce((a, b) => a + b, 0);
    const hidden = new Set<string>();
    if (total > width) {
      let used = moreW + widths[items.findIndex((t) => t.id === current)]!;
      items.forEach((t, i) => {
        if (t.id === current) return;
        if (hidden.size === 0 && used + widths[i]! <= width) used += widths[i]!;
        else hidden.add(t.id);
      });
    }
    for (const [id, tab] of tabEls) tab.hidden = hidden.has(id);
    more.hidden = hidden.size === 0;
    el.dataset['overflow'] = [...hidden].join(' ');
    clear(menu);
    for (const t of items.filter((x) => hidden.has(x.id))) {
      const item = h('button', { type: 'button', role: 'menuitem', class: 'menu-item', 'data-tab': t.id }, tabEls.get(t.id)!.textContent ?? t.label);
      item.addEventListener('click', () => {
        closeMenu();
        api.select(t.id);
        onChange(t.id);
      });
      menu.append(item);
    }
    if (hidden.size === 0) closeMenu();
  };
  /**
   * FAST skips moving its active indicator when a second change comes while the first one
   * animates (a run arriving right after a restore), and leaves it in column 1 when the strip
   * starts on a restored tab: put it under the active tab once the toolkit has laid out.
   */
  const placeIndicator = (): void => {
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const ind = el.shadowRoot?.querySelector<HTMLElement>('.activeIndicator');
      const tab = tabEls.get(current);
      if (ind && tab && tab.style.gridColumn && ind.style.gridColumn !== tab.style.gridColumn) {
        ind.style.gridColumn = tab.style.gridColumn;
        ind.style.transform = 'translateX(0px)';
      }
    }));
  };
  new ResizeObserver(() => { layout(); placeIndicator(); }).observe(el);
  const mount = (id: string): void => {
    for (const t of items) {
      if (t.id === id && t.content.parentElement !== views.get(id)) views.get(id)!.append(t.content);
      else if (t.id !== id && t.content.isConnected) t.content.remove();
    }
  };
  let current = active;
  mount(active);
  el.addEventListener('change', (e) => {
    if (e.target !== el) return; // changes of nested controls bubble too
    // The property is current; the attribute is not reflected back by the toolkit.
    const id = ((el as unknown as { activeid?: string }).activeid ?? el.getAttribute('activeid') ?? '').replace(/^tab-/, '');
    if (id && id !== current) {
      current = id;
      mount(id);
      layout();
      onChange(id);
    }
  });
  const api: Tabs = {
    el,
    select(id) {
      current = id;
      mount(id);
      layout();
      (el as unknown as { activeid: string }).activeid = `tab-${id}`;
      el.setAttribute('activeid', `tab-${id}`);
      placeIndicator();
    },
    setLabel(id, label) {
      const tab = tabEls.get(id);
      if (tab && tab.textContent !== label) {
        tab.textContent = label;
        layout();
      }
    },
  };
  return api;
}
