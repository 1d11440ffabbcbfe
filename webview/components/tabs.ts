// Tabs (vscode-panels with vscode-panel-tab / vscode-panel-view): arrow-key navigation
// and the tablist/tab/tabpanel roles come from the toolkit. Only the active tab's content
// is in the DOM (hidden views would only add nodes; their objects keep their state).
import { h } from '../dom';

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
      onChange(id);
    }
  });
  return {
    el,
    select(id) {
      current = id;
      mount(id);
      (el as unknown as { activeid: string }).activeid = `tab-${id}`;
      el.setAttribute('activeid', `tab-${id}`);
    },
    setLabel(id, label) {
      const tab = tabEls.get(id);
      if (tab) tab.textContent = label;
    },
  };
}
