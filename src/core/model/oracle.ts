// The oracle's slow path: a translation the hardware path returned that L1's current
// tables (from the vCPU's current root) do not back. Records the stale use with its
// blame chain — the fill, the change and, when the root page was recycled, the
// allocation that recycled it (model.md "The oracle").
import type { BlameLink, StaleUse } from '../run/result';
import type { Machine } from './machine';
import type { Vcpu } from './types';

/** Stale uses kept in full; all are counted. */
export const STALE_KEEP = 200;

function hex(n: number): string { return '0x' + n.toString(16); }

export class Oracle {
  readonly uses: StaleUse[] = [];
  capped = false;

  constructor(private readonly m: Machine) {}

  /** What L1 would give for gfn now: its table's leaf, else the memslot's existing backing, else -1. */
  private expectedPfn(gfn: number, truthSpte: number): number {
    if (truthSpte !== 0) return truthSpte >>> 1;
    const slot = this.m.slots.find(gfn);
    if (!slot) return -1;
    return slot.backing.pages.get(gfn - slot.baseGfn); // -1 when not backed
  }

  staleUse(v: Vcpu, gfn: number, seenPfn: number, truthSpte: number, source: 0 | 1, slot: number): void {
    const m = this.m;
    m.ctr.stale++;
    const expected = this.expectedPfn(gfn, truthSpte);
    if (expected !== seenPfn) m.ctr.divergent++;
    if (m.tr.on) m.tr.emit('stale_use', `vcpu ${v.id} gfn ${hex(gfn)} reached host ${hex(m.hostPage(seenPfn))} via ${source ? 'L0 shadow' : 'TLB'}; L1 tables: ${truthSpte ? hex(m.hostPage(truthSpte >>> 1)) : 'unmapped'}`);
    if (this.uses.length >= STALE_KEEP) { this.capped = true; return; }
    const fillOp = source === 0 ? m.tlb.srcOp[slot] : m.shadows.fillOp[slot];
    const fillRootId = source === 0 ? m.tlb.rootId[slot] : m.shadows.rootId[slot];
    const as = source === 0 ? m.tlb.as[slot] : v.rootPfn;
    const blame: BlameLink[] = [];
    const fillRoot = m.roots.get(fillRootId);
    const cur = m.roots.get(v.rootId);
    const link = (role: BlameLink['role'], op: number, detail: string): void => {
      const o = m.ops[op];
      if (!o) return;
      blame.push({ role, line: o.range.start.line, range: o.range, text: o.text, detail });
    };
    const where = m.cfg.vmx ? 'EPTP' : 'nCR3';
    link('fill', fillOp, `L0 filled shadow[${where} ${hex(as * 4096)}] gfn ${hex(gfn)} -> host ${hex(m.hostPage(seenPfn))} from L1 root #${fillRootId} (page ${hex(as * 4096)})`);
    if (fillRootId !== v.rootId && fillRoot) {
      fillRoot.blamed = true;
      const changeOp = fillRoot.invalidatedOp >= 0 ? fillRoot.invalidatedOp : fillRoot.freedOp;
      const what = fillRoot.freed ? 'invalidated and freed (no flush reached L0)' : fillRoot.invalid ? 'invalidated' : 'unloaded';
      if (changeOp >= 0) link('change', changeOp, `root #${fillRoot.id} at ${hex(fillRoot.pfn * 4096)} ${what}`);
      if (cur && cur.pfn === fillRoot.pfn) {
        cur.blamed = true;
        link('recycle', cur.createdOp, `root #${cur.id} allocated on the same page ${hex(cur.pfn * 4096)}: recycled nCR3, L0 kept the old shadow`);
      }
    } else {
      const changeOp = m.gfnChange.get(gfn);
      if (changeOp >= 0) link('change', changeOp, `L1 changed gfn ${hex(gfn)}'s mapping in root ${hex(v.rootPfn * 4096)} without a flush reaching this entry`);
    }
    const r = m.ops[m.op]?.range;
    if (!r) return;
    this.uses.push({
      line: r.start.line, range: r, vcpu: v.id, gfn,
      seen: m.hostPage(seenPfn), truth: truthSpte ? m.hostPage(truthSpte >>> 1) : null,
      source: source === 0 ? 'tlb' : 'shadow', blame,
      as: as * 4096, fillStep: source === 0 ? m.tlb.fillStep[slot] : m.shadows.fillStep[slot],
    });
  }
}
