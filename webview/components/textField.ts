// A text input (vscode-text-field); `onInput` is debounced so typing does not flood the host.
import { h } from '../dom';

export interface TextField {
  readonly el: HTMLElement;
  value: string;
}

export function textField(placeholder: string, value: string, onInput: (value: string) => void, ariaLabel: string, id?: string, debounceMs = 150): TextField {
  const el = h('vscode-text-field', { placeholder, 'aria-label': ariaLabel, id, value }) as HTMLElement & { value: string };
  el.value = value;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = value;
  el.addEventListener('input', (e) => {
    e.stopPropagation();
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      if (el.value === last) return;
      last = el.value;
      onInput(el.value);
    }, debounceMs);
  });
  el.addEventListener('change', (e) => e.stopPropagation());
  return {
    el,
    get value() { return el.value; },
    set value(v: string) { last = v; el.value = v; },
  };
}
