// A select box (vscode-dropdown with vscode-option children).
import { clear, h } from '../dom';

export interface Option {
  readonly value: string;
  readonly label: string;
}

export interface Dropdown {
  readonly el: HTMLElement;
  value: string;
  setOptions(options: readonly Option[], value: string): void;
}

export function dropdown(options: readonly Option[], value: string, onChange: (value: string) => void, ariaLabel: string, id?: string): Dropdown {
  const el = h('vscode-dropdown', { 'aria-label': ariaLabel, id, title: ariaLabel, class: 'dropdown' });
  const dd = el as HTMLElement & { value: string };
  let suppress = false;
  let last = value;
  let shown = '';
  const api: Dropdown = {
    el,
    get value() { return dd.value; },
    set value(v: string) { suppress = true; last = v; dd.value = v; suppress = false; },
    setOptions(opts, v) {
      const key = JSON.stringify([opts, v]);
      if (key === shown) return;
      shown = key;
      suppress = true;
      clear(el);
      for (const o of opts) el.append(h('vscode-option', { value: o.value, selected: o.value === v }, o.label));
      last = v;
      dd.value = v;
      // The toolkit picks the selection up on its next update; set it again once it has.
      queueMicrotask(() => { dd.value = v; suppress = false; });
    },
  };
  api.setOptions(options, value);
  el.addEventListener('change', (e) => {
    e.stopPropagation();
    if (suppress || dd.value === last) return;
    last = dd.value;
    onChange(dd.value);
  });
  return api;
}
