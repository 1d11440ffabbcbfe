// A link-styled action (reveal a line, open the cost-model doc). A <button>, not an
// anchor: these are actions, and VS Code's webview host handles clicks on anchors itself
// (href="#" scrolls the panel to the top, other hrefs open externally).
import { h } from '../dom';

export function link(text: string, onClick: () => void, title?: string, cls?: string): HTMLElement {
  const el = h('button', { type: 'button', class: `linkish${cls ? ` ${cls}` : ''}`, title }, text);
  el.addEventListener('click', (e) => {
    e.preventDefault();
    onClick();
  });
  return el;
}
