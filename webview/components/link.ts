// A link-styled action (vscode-link). It never navigates: webviews open nothing themselves,
// the host does (revealLine, openDoc).
import { h } from '../dom';

export function link(text: string, onClick: () => void, title?: string, cls?: string): HTMLElement {
  const el = h('vscode-link', { href: '#', title, class: cls }, text);
  el.addEventListener('click', (e) => {
    e.preventDefault();
    onClick();
  });
  return el;
}
