// Records each root's life (allocated → invalidated → freed) and the events on its page
// — L0 shadow fills of that nCR3, ASID flushes, L0 dropping shadow[nCR3], stale uses — on
// the statement clock, for the side panel's lifecycle chart. Observes the machine after
// each statement (no model hook): counters gate the scans, so a statement that changed
// nothing costs a few comparisons; open roots are checked each statement (few: KVM frees
// obsolete roots at the next entry). Bounded: roots and marks stop at a cap (noted).
import type { Machine } from '../model/machine';
import type { MmuPage } from '../model/types';
import { roleText } from '../model/types';
import type { IterationRef, LifeMark, LifeMarkKind, Lifecycle, RootLife } from './result';

export const MAX_LIFE_ROOTS = 20_000;
export const MAX_LIFE_MARKS = 200_000;
/** Past this many roots alive at once we stop following new ones (per-statement cost). */
const MAX_OPEN = 4096;

type MutableLife = { -readonly [K in keyof RootLife]: RootLife[K] };

export class LifecycleRecorder {
  private readonly roots: MutableLife[] = [];
  private readonly marks: LifeMark[] = [];
  private readonly open: { page: MmuPage; life: MutableLife }[] = [];
  private lastId = 0;
  private capped = false;
  private allocated = 0;
  private npfL0 = 0;
  private asid = 0;
  private hypercalls = 0;
  private stale = 0;
  private shadowTotal = 0;
  private flushSeen: number[] = [];

  constructor(private readonly m: Machine) {}

  /** After the statement that ran at clock `step` (line, vCPU, innermost loop iteration). */
  after(step: number, line: number, vcpu: number | null, iteration: IterationRef | undefined): void {
    const m = this.m;
    const c = m.ctr;
    if (c.rootsAllocated !== this.allocated) {
      this.allocated = c.rootsAllocated;
      for (let id = this.lastId + 1; ; id++) {
        const r = m.roots.get(id);
        if (!r) break;
        this.lastId = id;
        this.born(r, step, line, iteration);
      }
    }
    for (let k = this.open.length - 1; k >= 0; k--) {
      const { page, life } = this.open[k]!;
      if (life.invalidatedStep === null && (page.invalidatedOp >= 0 || page.invalid || (!page.tdp && m.legacy.isObsolete(page)))) {
        life.invalidatedStep = step;
        life.invalidatedLine = page.invalidatedOp >= 0 ? m.ops[page.invalidatedOp]?.range.start.line ?? line : line;
      }
      if (page.freed) {
        life.freedStep = step;
        life.freedLine = line;
        this.open.splice(k, 1);
      }
    }
    const v = vcpu === null ? undefined : m.vcpus[vcpu];
    const lane = v && v.rootPfn >= 0 ? v.rootPfn * 4096 : -1;
    if (c.npfL0 !== this.npfL0) {
      if (lane >= 0) this.mark('fill', lane, step, line, c.npfL0 - this.npfL0, 'L0 shadow fill (re-shadow fault)', iteration);
      this.npfL0 = c.npfL0;
    }
    if (c.flushesAsid !== this.asid) {
      if (lane >= 0) this.mark('asid', lane, step, line, c.flushesAsid - this.asid, 'ASID flush: TLB entries of the ASID only', iteration);
      this.asid = c.flushesAsid;
    }
    const hc = c.hcSpace + c.hcList;
    const total = m.shadows.total;
    if (hc !== this.hypercalls || total < this.shadowTotal || m.shadows.asValue.length !== this.flushSeen.length) {
      const why = hc !== this.hypercalls ? 'flush hypercall: L0 dropped shadow[nCR3]' : 'L0 dropped shadow[nCR3] (INVEPT, ASID flush without the enlightened TLB, or eviction)';
      const last = m.shadows.lastFlushOp;
      for (let ai = 0; ai < last.length; ai++) {
        const op = last[ai]!;
        if (op !== (this.flushSeen[ai] ?? -1)) {
          if (op >= 0) this.mark('drop', m.shadows.asValue[ai]! * 4096, step, line, 1, why, iteration);
          this.flushSeen[ai] = op;
        }
      }
      this.hypercalls = hc;
    }
    this.shadowTotal = total;
    if (c.stale !== this.stale) {
      if (lane >= 0) this.mark('stale', lane, step, line, c.stale - this.stale, 'stale use: the hardware path reached a page L1 no longer maps there', iteration);
      this.stale = c.stale;
    }
  }

  /** Roots up to this id have been looked at (recorded, or skipped at the cap). */
  get seenUpTo(): number { return this.lastId; }

  /** The recorded life of root `id` (roots are recorded in id order), or undefined when capped. */
  lifeOf(id: number): RootLife | undefined {
    const rs = this.roots;
    let lo = 0, hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = rs[mid]!.id;
      if (v === id) return rs[mid];
      if (v < id) lo = mid + 1; else hi = mid - 1;
    }
    return undefined;
  }

  private born(r: MmuPage, step: number, line: number, iteration: IterationRef | undefined): void {
    if (this.roots.length >= MAX_LIFE_ROOTS || this.open.length >= MAX_OPEN) { this.capped = true; return; }
    const life: MutableLife = {
      id: r.id, hpa: r.pfn * 4096, mmu: r.tdp ? 'tdp' : 'legacy', role: roleText(r.role),
      createdStep: step, createdLine: line, invalidatedStep: null, invalidatedLine: null, freedStep: null, freedLine: null,
      recycled: r.recycledFromOp >= 0, ...(iteration ? { createdIteration: iteration } : {}),
    };
    this.roots.push(life);
    if (!r.freed) this.open.push({ page: r, life });
    else { life.freedStep = step; life.freedLine = line; }
  }

  private mark(kind: LifeMarkKind, lane: number, step: number, line: number, count: number, detail: string, iteration: IterationRef | undefined): void {
    if (this.marks.length >= MAX_LIFE_MARKS) { this.capped = true; return; }
    this.marks.push({ kind, lane, step, line, count, detail, ...(iteration ? { iteration } : {}) });
  }

  result(steps: number): Lifecycle {
    return { roots: this.roots, marks: this.marks, steps, capped: this.capped };
  }
}
