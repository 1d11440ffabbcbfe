// Header: the file, the scenario picker with its verdict, and the stale uses of the
// scenario with their blame chains — the "why was the flush not enough" at a glance.
import type { ScenarioView } from '../../src/protocol';
import { dropdown, tag, type Dropdown } from '../components';
import type { ViewContext } from '../context';
import { clear, h } from '../dom';
import { hex, lineLabel, micros } from '../format';
import { blameList } from './detailPane';

const MAX_STALE_SHOWN = 4;

export class Header {
  readonly el: HTMLElement;
  private readonly file = h('span', { class: 'file' });
  private readonly picker: Dropdown;
  private readonly verdict = h('span', { class: 'verdict' });
  private readonly stale = h('section', { class: 'stale-uses', 'aria-label': 'Stale uses' });

  constructor(private readonly ctx: ViewContext, select: (name: string) => void) {
    this.picker = dropdown([], '', select, 'Scenario', 'scenario');
    this.el = h('header', { class: 'header' },
      h('div', { class: 'header-row' }, this.file, this.picker.el, this.verdict),
      this.stale);
  }

  update(): void {
    const p = this.ctx.panel();
    const s = this.ctx.scenario();
    this.file.textContent = p?.fileName ? `${p.fileName}${p.version ? ` (v${p.version})` : ''}` : '';
    this.picker.el.hidden = !p || p.scenarios.length === 0;
    this.picker.setOptions((p?.scenarios ?? []).map((x) => ({ value: x.name, label: `${x.passed ? '✓' : '✗'} ${x.name}` })), s?.name ?? '');
    clear(this.verdict);
    clear(this.stale);
    if (!s) return;
    this.verdict.append(
      s.cancelled ? tag('cancelled', 'warn') : s.passed ? tag('passed', 'ok') : tag('failed', 'error'),
      h('span', { class: 'muted time' }, ` est. ${micros(s.timeUs)}`));
    this.renderStale(s);
  }

  private renderStale(s: ScenarioView): void {
    if (s.stale.length === 0) {
      this.stale.hidden = true;
      return;
    }
    this.stale.hidden = false;
    this.stale.append(h('h2', {}, `${s.stale.length} stale use${s.stale.length === 1 ? '' : 's'} in this run`));
    // One line per use; the blame chain folds out (the first one open).
    s.stale.slice(0, MAX_STALE_SHOWN).forEach((u, k) => {
      const truth = u.truth === null ? 'nothing (unmapped)' : hex(u.truth);
      const line = h('button', { type: 'button', class: 'linkish', title: 'Reveal the access in the editor' }, lineLabel(u.line));
      line.addEventListener('click', (e) => { e.preventDefault(); this.ctx.reveal(u.line); });
      const details = h('details', { class: 'stale-use', open: k === 0 },
        h('summary', {}, line, ` vCPU ${u.vcpu} gfn ${hex(u.gfn)} reached host page ${hex(u.seen)} through the ${u.source === 'tlb' ? 'hardware TLB' : 'L0 shadow'}; L1's tables give ${truth}.`),
        blameList(u.blame, (l) => this.ctx.reveal(l)));
      this.stale.append(details);
    });
    if (s.stale.length > MAX_STALE_SHOWN) {
      this.stale.append(h('p', { class: 'muted' }, `and ${s.stale.length - MAX_STALE_SHOWN} more. The TLB view's "Stale only" filter lists the stale entries.`));
    }
  }
}
