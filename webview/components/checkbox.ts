// A checkbox (vscode-checkbox).
import { h } from '../dom';

export interface Checkbox {
  readonly el: HTMLElement;
  checked: boolean;
}

export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void, id?: string): Checkbox {
  const el = h('vscode-checkbox', { id, checked }, label) as HTMLElement & { checked: boolean };
  let last = checked;
  el.addEventListener('change', (e) => {
    e.stopPropagation();
    // The toolkit also fires `change` while initialising: report real changes only.
    if (el.checked === last) return;
    last = el.checked;
    onChange(el.checked);
  });
  return {
    el,
    get checked() { return el.checked; },
    set checked(v: boolean) { last = v; el.checked = v; },
  };
}
