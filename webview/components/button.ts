// A button (vscode-button). `icon` buttons carry only a glyph and need an aria-label.
import { h } from '../dom';

export interface ButtonOptions {
  readonly appearance?: 'primary' | 'secondary' | 'icon';
  readonly ariaLabel?: string;
  readonly title?: string;
  readonly id?: string;
}

export function button(label: string, onClick: () => void, opts: ButtonOptions = {}): HTMLElement {
  const el = h('vscode-button', {
    appearance: opts.appearance ?? 'secondary',
    'aria-label': opts.ariaLabel ?? label,
    title: opts.title ?? opts.ariaLabel,
    id: opts.id,
  }, label);
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) onClick();
  });
  return el;
}

export function setDisabled(el: HTMLElement, disabled: boolean): void {
  el.toggleAttribute('disabled', disabled);
}
