// Header: the file, the scenario picker with its verdict, and the stale uses of the
// scenario with their blame chains — the "why was the flush not enough" at a glance.
import type { ScenarioView, StaleUseView } from '../../src/protocol';
import { dropdown, link, tag, type Dropdown } from '../components';
import type { ViewContext } from '../context';
import { clear, h } from '../dom';
import { hex, lineLabel, micros } from '../format';
import { blameList } from './detailPane';

const MAX_GROUPS_SHOWN = 6;

export class Header {
  readonly el: HTMLElement;
  private readonly file = h('span', { class: 'file' });
  private readonly picker: Dropdown;
  private readonly verdict = h('span', { class: 'verdict' });
  private readonly stale = h('section', { class: 'stale-uses', 'aria-label': 'Stale uses', hidden: true });

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
    // No run, no scenario: no banner (an empty one would still paint its red background).
    this.stale.hidden = true;
    if (!s) return;
    this.verdict.append(
      s.cancelled ? tag('cancelled', 'warn') : s.passed ? tag('passed', 'ok') : tag('failed', 'error'),
      h('span', { class: 'muted time' }, ` est. ${micros(s.timeUs)}`));
    if (p?.restored) {
      this.verdict.append(h('span', { class: 'muted restored', id: 'restored', title: 'Kept from before the window reloaded; the text has not changed since. Run again for a fresh run.' }, ' · from the previous run'));
    }
    this.renderStale(s);
  }

  private renderStale(s: ScenarioView): void {
    this.stale.hidden = s.stale.length === 0;
    // A scenario that expects its stale uses (`expect stale > 0`, passing) demonstrates them: information, not red.
    const expected = s.staleExpected && s.passed;
    this.stale.classList.toggle('expected', expected);
    if (s.stale.length === 0) return;
    const groups = groupStale(s.stale);
    const st = this.ctx.state;
    const n = s.stale.length;
    const box = h('details', { class: 'stale-box', open: st.staleOpen },
      h('summary', {},
        h('h2', {}, `${n} stale use${n === 1 ? '' : 's'} in this run`),
        h('span', { class: 'muted' }, ` · ${groups.length} distinct translation${groups.length === 1 ? '' : 's'}`),
        expected ? h('span', { class: 'muted expected-note' }, ' · expected by the scenario') : null));
    box.addEventListener('toggle', () => {
      if (st.staleOpen === box.open) return;
      st.staleOpen = box.open;
      this.ctx.save();
    });
    const list = h('ul', { class: 'stale-groups' });
    for (const g of groups.slice(0, MAX_GROUPS_SHOWN)) {
      const u = g.uses[0]!;
      const truth = u.truth === null ? 'unmapped' : hex(u.truth);
      const line = link(lineLabel(u.line), () => this.ctx.reveal(u.line), 'Reveal the access in the editor');
      const via = u.source === 'tlb' ? 'TLB' : `shadow[${u.as === null ? 'nCR3' : hex(u.as)}]`;
      const times = g.uses.length > 1 ? ` ×${g.uses.length}` : '';
      const iters = this.iterationLinks(g.uses);
      const details = h('details', { class: 'stale-use' },
        h('summary', { title: `vCPU ${u.vcpu} gfn ${hex(u.gfn)} reached host page ${hex(u.seen)} through the ${u.source === 'tlb' ? 'hardware TLB' : 'L0 shadow'}; L1's tables give ${u.truth === null ? 'nothing (unmapped)' : hex(u.truth)}` },
          line, ' ', h('code', {}, `gfn ${hex(u.gfn)} → ${hex(u.seen)}`), ` via ${via}, L1: ${truth}`,
          times ? h('span', { class: 'count-tag' }, times) : null,
          iters),
        blameList(u.blame, (l) => this.ctx.reveal(l)),
        u.step !== null ? link('Draw its translation path', () => this.ctx.showStaleAt(u.step!, u.as), 'Show the path in the Lifecycle view', 'show-path') : null);
      list.append(h('li', {}, details));
    }
    box.append(list);
    if (groups.length > MAX_GROUPS_SHOWN) {
      box.append(h('p', { class: 'muted' }, `and ${groups.length - MAX_GROUPS_SHOWN} more. The TLB view's "Stale only" filter lists the stale entries.`));
    }
    this.stale.append(box);
  }

  /** " in iterations 3, 5 of 8": each number moves the timeline to that use (its iteration's snapshot). */
  private iterationLinks(uses: readonly StaleUseView[]): HTMLElement | null {
    const text = iterationsText(uses);
    if (!text) return null;
    const its = uses.filter((u) => u.iteration !== null);
    const out = h('span', { class: 'muted iterations' }, ` in iteration${its.length === 1 ? '' : 's'} `);
    its.slice(0, MAX_ITERATION_LINKS).forEach((u, i) => {
      if (i > 0) out.append(', ');
      const label = String(u.iteration!.index);
      out.append(u.step === null ? label : link(label, () => this.ctx.goToClock(u.step!), `Timeline: line ${u.line + 1}, iteration ${u.iteration!.index} of ${u.iteration!.count}${u.iteration!.name ? ` (${u.iteration!.name})` : ''}`, 'iteration-link'));
    });
    out.append(`${its.length > MAX_ITERATION_LINKS ? ', …' : ''} of ${its[0]!.iteration!.count}`);
    return out;
  }
}

interface StaleGroup { readonly uses: StaleUseView[] }

const MAX_ITERATION_LINKS = 5;

/** One group per distinct stale translation: same access line, gfn, host page, L1's truth,
 *  path and blame lines (a loop repeating the same story is one line with a count). */
export function groupStale(uses: readonly StaleUseView[]): StaleGroup[] {
  const by = new Map<string, StaleGroup>();
  for (const u of uses) {
    const key = [u.line, u.gfn, u.seen, u.truth, u.source, u.as, u.blame.map((b) => `${b.role}${b.line}`).join(',')].join(':');
    let g = by.get(key);
    if (!g) by.set(key, g = { uses: [] });
    g.uses.push(u);
  }
  return [...by.values()];
}

/** "in iteration 4 of 8" / "in iterations 4, 6, 8 of 8" (a few, then "…"). */
export function iterationsText(uses: readonly StaleUseView[]): string {
  const its = uses.map((u) => u.iteration).filter((i): i is NonNullable<typeof i> => i !== null);
  if (its.length === 0) return '';
  const shown = its.slice(0, 5).map((i) => String(i.index)).join(', ') + (its.length > 5 ? ', …' : '');
  return `in iteration${its.length === 1 ? '' : 's'} ${shown} of ${its[0]!.count}`;
}
