// The translation-path drawing of one stale use: the hardware's path (TLB or shadow[nCR3]
// -> host page, with the fill that created it) beside L1's truth (nCR3 -> PML4 -> ... ->
// leaf or "not present", walked right after the use), then the flushes that did run between
// the fill and the use and the one that would have dropped the entry. Boxes and arrows in
// HTML/CSS: the two columns stack at side-panel width.
import type { StaleUseView } from '../../src/protocol';
import { link } from '../components';
import { h } from '../dom';
import { hex, lineLabel } from '../format';

const LEVEL = ['', 'PT', 'PD', 'PDPT', 'PML4'] as const;

export function iterationLabel(u: StaleUseView): string {
  return u.iteration ? `${lineLabel(u.line)}, iteration ${u.iteration.index} of ${u.iteration.count}` : lineLabel(u.line);
}

const arrow = (): HTMLElement => h('div', { class: 'xl-arrow', 'aria-hidden': 'true' }, '↓');

export function translationPath(u: StaleUseView, reveal: (line: number) => void): HTMLElement {
  const p = u.path;
  const where = u.source === 'tlb' ? 'hardware TLB entry' : `shadow[nCR3 ${u.as === null ? '?' : hex(u.as)}]`;
  const hw = h('div', { class: 'xl-col xl-hw', 'aria-label': 'What the hardware used' },
    h('h4', {}, 'What the hardware used'),
    h('div', { class: 'xl-node' }, `L2 gfn ${hex(u.gfn)}`), arrow(),
    h('div', { class: 'xl-node xl-stale' }, where,
      p?.fill ? h('div', { class: 'xl-sub' }, 'filled at ', link(lineLabel(p.fill.line), () => reveal(p.fill!.line), 'Reveal the fill'), `: ${p.fill.detail}`) : null),
    arrow(),
    h('div', { class: 'xl-node xl-stale' }, `host page ${hex(u.seen)}`));
  const truth = h('div', { class: 'xl-col xl-truth', 'aria-label': "L1's tables now" }, h('h4', {}, "L1's tables now"));
  if (p && p.walked && p.walk.length > 0) {
    truth.append(h('div', { class: 'xl-node' }, `nCR3 ${hex(p.walk[0]!.table)}`));
    for (const w of p.walk) {
      truth.append(arrow(), h('div', { class: `xl-node${w.target === null ? ' xl-missing' : ''}` },
        `${LEVEL[w.level] ?? `L${w.level}`}[${w.index}] = ${w.entry}`,
        h('div', { class: 'xl-sub' }, w.target === null ? 'not present' : w.level === 1 ? `host page ${hex(w.target)}` : `table ${hex(w.target)}`)));
    }
  } else truth.append(h('div', { class: 'xl-node xl-missing' }, p?.walked ? 'no table at the root: nothing mapped' : 'not recorded for this run'));
  truth.append(arrow(), h('div', { class: `xl-node${u.truth === null ? ' xl-missing' : ' xl-ok'}` }, u.truth === null ? 'gfn not mapped' : `host page ${hex(u.truth)}`));

  const flushes = h('div', { class: 'xl-flushes' }, h('h4', {}, 'Flushes between the fill and the use'));
  if (!p || !p.traced) flushes.append(h('p', { class: 'muted' }, 'The run recorded no trace.'));
  else if (p.flushCount === 0) flushes.append(h('p', {}, 'None.'));
  else {
    if (p.flushCount > p.flushes.length) flushes.append(h('p', { class: 'muted' }, `${p.flushCount} in all; the last ${p.flushes.length}:`));
    const list = h('ol', { class: 'xl-flush-list' });
    for (const f of p.flushes) {
      list.append(h('li', {}, link(lineLabel(f.line), () => reveal(f.line), 'Reveal the statement'), ' ',
        h('code', {}, [...f.path, f.fn].join(' → ')), f.detail ? h('span', { class: 'muted' }, `: ${f.detail}`) : null,
        f.effect ? h('div', { class: 'xl-effect' }, f.effect) : null));
    }
    flushes.append(list);
  }
  return h('section', { class: 'xlate', 'aria-label': 'Translation path of the stale use', 'data-line': u.line, 'data-step': u.step ?? '' },
    h('h3', {}, `Stale use at ${iterationLabel(u)}: vCPU ${u.vcpu}, L2 gfn ${hex(u.gfn)}`),
    h('div', { class: 'xl-cols' }, hw, truth),
    flushes,
    p ? h('p', { class: 'xl-would' }, h('strong', {}, 'Would have dropped it: '), p.wouldDrop) : null);
}
