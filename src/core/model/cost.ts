// The cost model: every counted event has a cost in cycles. Sources for each constant
// are in docs/cost-model.md (shared/reference/performance-anchors.md §0, §1). No constant
// depends on the configuration being compared: a configuration is faster or slower only
// because it makes the model count different events. time_us is an estimate.

export enum Ev {
  TlbHit, HwWalk, L0Fill, NestedExit, UserspaceExit, BareExit, L1Fault, Hypercall, ShadowDrop,
  Shootdown, AsidFlush, Invept, RootAlloc, TableAlloc, TableZap, MemslotIoctl, Smm, Count,
}

export interface EventCost {
  readonly kind: string;
  readonly cycles: number;
}

/** Indexed by Ev. Keep in sync with docs/cost-model.md. */
export const EVENT_COSTS: readonly EventCost[] = [
  { kind: 'TLB hit', cycles: 1 },                                   // perf §1.4: L1 DTLB 1 cycle [W]
  { kind: 'hardware 2D walk (TLB miss)', cycles: 120 },             // perf §1.4: 24 refs x ~5 cycles (PWC hits)
  { kind: 'L0 shadow fill (re-shadow fault)', cycles: 2400 },       // perf §1.3: one L0 exit 1,400 + L0 walk/fill ~1,000
  { kind: 'nested exit L2->L1->L2', cycles: 15000 },                // perf §1.2: KVM-on-KVM 13k-15k; no public KVM-on-Hyper-V figure
  { kind: 'exit to L1 userspace (MMIO, ioctl)', cycles: 45000 },    // perf §1.2: inl_from_qemu 44.8k-46.7k
  { kind: 'VM exit, bare metal', cycles: 1400 },                    // perf §1.1: SVM VMRUN round trip 1,344-1,376
  { kind: 'L1 KVM fault handler (4K map)', cycles: 3600 },          // perf §1.5: ~1.2 us per 4K fault (Gardon) at 3 GHz
  { kind: 'flush hypercall (exit)', cycles: 1400 },                 // perf §1.3: single-level exit floor
  { kind: 'L0 shadow entry dropped', cycles: 40 },                  // perf §1.3: L0 work proportional to the shadow dropped [derived]
  { kind: 'TLB shootdown on all processors', cycles: 6000 },        // perf §1.3: ~2 us (hypercall = invept-single on all pCPUs)
  { kind: 'ASID flush (tlb_ctl)', cycles: 100 },                    // perf §1.3: flush = small constant + refill misses (counted separately)
  { kind: 'INVEPT exit to L0', cycles: 1400 },                      // perf §1.3: single-level exit floor
  { kind: 'root page allocation', cycles: 1000 },                   // perf §1.6: the 42k rebuild emerges from alloc + faults
  { kind: 'page-table page allocation', cycles: 300 },              // [estimate] page + header from the memory cache
  { kind: 'page-table page zapped', cycles: 200 },                  // [estimate] clear 512 SPTEs
  { kind: 'memslot ioctl (VMM)', cycles: 45000 },                   // perf §1.2: an exit to userspace plus the ioctl
  { kind: 'SMM transition emulation', cycles: 5000 },               // [estimate] KVM's enter_smm/RSM emulation work, on top of the exit
];

export class CostMeter {
  readonly counts = new Float64Array(Ev.Count);
  /** Hot-path counters kept as plain fields (folded into `counts` by `sync`). */
  tlbHits = 0;
  hwWalks = 0;
  l0Fills = 0;

  add(ev: Ev, n = 1): void { this.counts[ev] += n; }

  sync(): void {
    this.counts[Ev.TlbHit] += this.tlbHits; this.tlbHits = 0;
    this.counts[Ev.HwWalk] += this.hwWalks; this.hwWalks = 0;
    this.counts[Ev.L0Fill] += this.l0Fills; this.l0Fills = 0;
  }

  cycles(): number {
    this.sync();
    let c = 0;
    for (let i = 0; i < Ev.Count; i++) c += this.counts[i] * EVENT_COSTS[i].cycles;
    return c;
  }

  timeUs(ghz: number): number { return this.cycles() / (ghz * 1000); }

  lines(): { kind: string; count: number; cycles: number }[] {
    this.sync();
    const out: { kind: string; count: number; cycles: number }[] = [];
    for (let i = 0; i < Ev.Count; i++) {
      if (this.counts[i] > 0) out.push({ kind: EVENT_COSTS[i].kind, count: this.counts[i], cycles: this.counts[i] * EVENT_COSTS[i].cycles });
    }
    return out;
  }
}
