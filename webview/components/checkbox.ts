// A checkbox (vscode-checkbox).
import { h } from '../dom';

export interface Checkbox {
  readonly el: HTMLElement;
  checked: boolean;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, id?: string): Checkbox {
  const el = h('vscode-checkbox', { id, checked }, label) as HTMLElement & { checked: boolean };
  el.addEventListener('change', (e) => {
    e.stopPropagation();
    onChange(el.checked);
  });
  return {
    el,
    get checked() { return el.checked; },
    set checked(v: boolean) { el.checked = v; },
  };
}
