// Badges and tags, drawn by us in the toolkit's badge colours: the toolkit's vscode-badge
// and vscode-tag share a FAST template with an inline `style` attribute, which the panel's
// CSP (no 'unsafe-inline') blocks.
import { h } from '../dom';

export type Tone = 'ok' | 'error' | 'warn' | 'plain';

export function badge(count: number | string, ariaLabel: string): HTMLElement {
  return h('span', { class: 'badge', 'aria-label': ariaLabel, title: ariaLabel }, String(count));
}

export function tag(text: string, tone: Tone = 'plain', title?: string): HTMLElement {
  return h('span', { class: `tag tag-${tone}`, title }, text);
}
