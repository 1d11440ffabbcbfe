// The selected row's explanation: why it is marked and, for a stale entry, its blame
// chain (fill → change → recycle), each link revealing its source line.
import type { BlameView, RowView } from '../../src/protocol';
import { link } from '../components';
import { clear, h } from '../dom';
import { lineLabel } from '../format';

const ROLE_TEXT: Readonly<Record<BlameView['role'], string>> = {
  fill: 'filled by', change: 'changed by', recycle: 'root recycled by',
};

export function blameList(blame: readonly BlameView[], reveal: (line: number) => void): HTMLElement {
  const list = h('ol', { class: 'blame', 'aria-label': 'Blame chain' });
  for (const b of blame) {
    list.append(h('li', { class: `blame-${b.role}` },
      h('span', { class: 'blame-role' }, ROLE_TEXT[b.role]), ' ',
      link(lineLabel(b.line), () => reveal(b.line), `Reveal ${lineLabel(b.line)} in the editor`, 'blame-line'), ' ',
      b.iteration ? h('span', { class: 'blame-iteration muted' }, b.iteration, ' ') : null,
      h('code', {}, b.text),
      b.detail ? h('div', { class: 'blame-detail' }, b.detail) : null));
  }
  return list;
}

export class DetailPane {
  readonly el = h('section', { class: 'detail', 'aria-label': 'Selected row', 'aria-live': 'polite' });

  constructor(private readonly reveal: (line: number) => void, private readonly hint: string) {
    this.show(null);
  }

  show(row: RowView | null): void {
    clear(this.el);
    if (row) this.el.dataset['key'] = row.key;
    else delete this.el.dataset['key'];
    if (!row) {
      this.el.append(h('p', { class: 'muted' }, this.hint));
      return;
    }
    if (row.note) this.el.append(h('p', { class: row.stale || row.marked ? 'note warn' : 'note' }, row.note));
    else this.el.append(h('p', { class: 'muted' }, row.cells.join(' · ')));
    if (row.blame.length > 0) this.el.append(blameList(row.blame, this.reveal));
  }
}
