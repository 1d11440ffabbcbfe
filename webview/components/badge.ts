// Badges and tags (vscode-badge for counts, vscode-tag for short words such as "passed").
import { h } from '../dom';

export type Tone = 'ok' | 'error' | 'warn' | 'plain';

export function badge(count: number | string, ariaLabel: string): HTMLElement {
  return h('vscode-badge', { 'aria-label': ariaLabel, title: ariaLabel }, String(count));
}

export function tag(text: string, tone: Tone = 'plain', title?: string): HTMLElement {
  return h('vscode-tag', { class: `tag tag-${tone}`, title }, text);
}
