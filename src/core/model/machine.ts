// The hub of one run: L1 memory and memslots, KVM (TDP or legacy MMU, per-vCPU state),
// L0 (shadows, hardware TLB, hypercalls), the oracle, counters, cost and trace. The
// hot path — one monomorphic `access` — lives here: TLB, then shadow[nCR3], then an L0
// fill, then an L1 nested page fault (model.md "The oracle").
import type { Op } from '../lang/ops';
import type { ModelConfig } from './config';
import { L1Memory } from './memory';
import { allocPageTable } from './pageCache';
import { ModelBudget } from './budget';
import { Memslots } from './memslots';
import { IntTable } from './intTable';
import { Tlb } from './tlb';
import { Shadows } from './shadow';
import { L0 } from './l0';
import { CostMeter, Ev } from './cost';
import { Tracer } from './trace';
import { walk as walkTables, GFN_LIMIT as GFN_LIMIT_IMPORT } from './pagetable';
import { Kvm } from './kvm';
import { TdpMmu } from './tdp';
import { LegacyMmu } from './legacy';
import { Oracle } from './oracle';
import { newVcpu, type MmuImplKind, type MmuPage, type Vcpu } from './types';
import type { MmuImpl } from './mmuImpl';

// Module-local copies: a CommonJS transform (tsx, the test runner) turns imported bindings into
// getter calls on every use, which showed up as the top cost of the hot path.
const walk = walkTables;
const GFN_LIMIT = GFN_LIMIT_IMPORT;

/** L0's fixed mapping of L1 memory (domain §1.2 "identity plus offset"): host pfn = L1 pfn + this. */
export const HOST_PFN_OFFSET = 0x100000;

export interface Counters {
  stale: number; divergent: number; failures: number;
  hcSpace: number; hcList: number; flushesAsid: number; flushesRemote: number;
  vmexits: number; npfL1: number; npfL0: number; rootsAllocated: number; rootsRecycled: number;
}

export class Machine {
  readonly mem: L1Memory;
  readonly slots: Memslots;
  readonly tlb: Tlb;
  readonly shadows: Shadows;
  readonly l0: L0;
  readonly cost = new CostMeter();
  readonly tr: Tracer;
  readonly vcpus: Vcpu[] = [];
  readonly kvm: Kvm;
  readonly tdp: TdpMmu;
  readonly legacy: LegacyMmu;
  readonly oracle: Oracle;
  readonly ctr: Counters = {
    stale: 0, divergent: 0, failures: 0, hcSpace: 0, hcList: 0, flushesAsid: 0, flushesRemote: 0,
    vmexits: 0, npfL1: 0, npfL0: 0, rootsAllocated: 0, rootsRecycled: 0,
  };
  /** VMX: a TLB entry only hits under the EPTP it was filled with. */
  private readonly eptTagged: boolean;
  /** Index of the op being executed (blame and trace refer to it). */
  op = 0;
  /** Roots by id: live ones plus a bounded window of freed ones (blame chains, snapshots). */
  readonly roots = new Map<number, MmuPage>();
  private readonly freedRootIds: number[] = [];
  private nextRootId = 1;
  /** gfn -> op that last changed or removed its leaf in L1's tables (unmap, dirty log), for
   *  the oracle's blame; a typed table counted against the model budget (as page-table memory). */
  readonly gfnChange: IntTable;

  /** `budget`: the model-memory budget every allocation of this run counts against (budget.ts). */
  constructor(readonly cfg: ModelConfig, readonly ops: readonly Op[], trace: boolean, traceLimit: number, readonly budget: ModelBudget = new ModelBudget()) {
    this.eptTagged = cfg.vmx;
    this.mem = new L1Memory(cfg.lifo, budget, cfg.anyAlloc);
    this.slots = new Memslots(this.mem);
    this.gfnChange = new IntTable(8, budget, 'tables');
    this.tlb = new Tlb(cfg.tlbEntries, budget);
    this.shadows = new Shadows(budget);
    this.l0 = new L0(this);
    this.tr = new Tracer(trace, traceLimit);
    for (let i = 0; i < cfg.vcpus; i++) this.vcpus.push(newVcpu(i, cfg.tdpMmu));
    this.tdp = new TdpMmu(this);
    this.legacy = new LegacyMmu(this);
    this.kvm = new Kvm(this);
    this.oracle = new Oracle(this);
  }

  /** The implementation an MMU context was initialised with (types.ts MmuImplKind). */
  impl(kind: MmuImplKind): MmuImpl { return kind === 'tdp' ? this.tdp : this.legacy; }
  /** The implementation that owns a page: mmu_free_root_page's is_tdp_mmu_page(sp). */
  implOf(root: MmuPage): MmuImpl { return root.tdp ? this.tdp : this.legacy; }
  /** is_obsolete_root / is_obsolete_sp, whichever MMU owns the page. */
  isObsolete(root: MmuPage): boolean { return this.implOf(root).isObsolete(root); }
  /** Live roots of both implementations (a vCPU can hold one of each: TDP root_mmu + shadow guest_mmu). */
  liveRoots(): MmuPage[] { return this.legacy.roots.length === 0 ? this.tdp.roots : this.tdp.roots.length === 0 ? this.legacy.roots : [...this.tdp.roots, ...this.legacy.roots]; }

  /** A new root page (tdp_mmu_alloc_sp / legacy kvm_mmu_get_shadow_page for a root). */
  newRoot(v: Vcpu, tdp: boolean, role: number, refcount: number, gen: number, pgd = 0): MmuPage {
    const pfn = allocPageTable(this, v);
    const recycledFromOp = this.mem.wasRoot[pfn] ? this.mem.rootOp[pfn] : -1;
    const wasRoot = this.mem.wasRoot[pfn] === 1;
    this.mem.wasRoot[pfn] = 1;
    this.mem.rootOp[pfn] = this.op;
    const root: MmuPage = {
      id: this.nextRootId++, pfn, tdp, role, pgd, refcount, invalid: false, freed: false, gen,
      createdOp: this.op, recycledFromOp, invalidatedOp: -1, freedOp: -1, zapQueued: false, blamed: false,
    };
    this.roots.set(root.id, root);
    this.ctr.rootsAllocated++;
    if (wasRoot) this.ctr.rootsRecycled++;
    this.cost.add(Ev.RootAlloc);
    return root;
  }

  /** Forget freed roots beyond a window, so memory stays bounded under endless churn. */
  rootFreed(root: MmuPage): void {
    root.freed = true;
    root.freedOp = this.op;
    this.freedRootIds.push(root.id);
    if (this.freedRootIds.length > 512) this.roots.delete(this.freedRootIds.shift() as number);
  }

  /** A page-table page for a tree (tdp_mmu_alloc_sp for a child / kvm_mmu_get_shadow_page). */
  allocTable = this.tableAllocator();

  private tableAllocator(): () => number {
    return (): number => {
      this.cost.add(Ev.TableAlloc);
      return allocPageTable(this, this.faultVcpu);
    };
  }

  /** The vCPU whose page fault is filling tables (its mmu_shadow_page_cache supplies them). */
  faultVcpu: Vcpu | null = null;

  /** Notes that op `m.op` changed the leaves of gfns [gfn, gfn + n) (the first 65,536 of them).
   *  With the TLB and every L0 shadow empty no cached translation predates a change, so none
   *  can be blamed on one: the table is emptied first and its memory given back. */
  noteGfnChange(gfn: number, n: number): void {
    if (this.tlb.size === 0 && this.shadows.total === 0 && this.gfnChange.size > 0) this.gfnChange.release();
    for (let g = gfn, end = gfn + Math.min(n, 65536); g < end; g++) this.gfnChange.set(g, this.op);
  }

  /** A copy of the machine (run/clone.ts) re-creates its closures over itself. */
  afterClone(): void { this.allocTable = this.tableAllocator(); }
  /** `teardown` ran: the VM is gone, nothing can run on it. */
  destroyed = false;

  hostPage(pfn: number): number { return this.cfg.hyperv ? pfn + HOST_PFN_OFFSET : pfn; }

  /** One L2 access to gfn by vCPU v (which has entered the guest). Returns the L1 pfn it reached,
   *  or -1 when it was emulated (MMIO, read-only slot write). */
  access(v: Vcpu, gfn: number, write: boolean): number {
    if (gfn >= GFN_LIMIT) { this.kvm.pageFault(v, gfn, write); return -1; } // beyond 4-level NPT: emulated
    const tlb = this.tlb;
    const e = tlb.lookup(v.tag, gfn);
    // VMX tags combined mappings with the EPTP as well as the VPID (SDM "EP4TA"); SVM by ASID only.
    if (e >= 0 && (write ? tlb.w[e] === 1 : true) && (!this.eptTagged || tlb.as[e] === v.rootPfn)) {
      this.cost.tlbHits++;
      const pfn = tlb.pfn[e];
      // The oracle: does L1's current table, from the vCPU's current root, back this? The walk is
      // skipped only when no page table changed since this entry was verified under this root.
      if (tlb.verGen[e] !== this.mem.ptGen || tlb.verRoot[e] !== v.rootPfn) {
        const t = walk(this.mem, v.rootPfn, gfn);
        if ((t >>> 1) !== pfn || (write && (t & 1) === 0)) this.oracle.staleUse(v, gfn, pfn, t, 0, e);
        else if ((t & 1) >= tlb.w[e]) { tlb.verGen[e] = this.mem.ptGen; tlb.verRoot[e] = v.rootPfn; } // backs reads and writes
      }
      return pfn;
    }
    return this.accessMiss(v, gfn, write);
  }

  private accessMiss(v: Vcpu, gfn: number, write: boolean): number {
    const sh = this.shadows;
    for (let attempt = 0; attempt < 4; attempt++) {
      this.cost.hwWalks++;
      if (this.cfg.hyperv) {
        const s = sh.lookup(v.asIdx, gfn);
        if (s >= 0 && (write ? sh.w[s] === 1 : true)) {
          const pfn = sh.pfn[s];
          this.tlb.insert(v.tag, gfn, pfn, sh.w[s] === 1, v.rootPfn, v.id, this.op, sh.fillOp[s], sh.rootId[s]);
          const t = walk(this.mem, v.rootPfn, gfn);
          if ((t >>> 1) !== pfn || (write && (t & 1) === 0)) this.oracle.staleUse(v, gfn, pfn, t, 1, s);
          return pfn;
        }
        // L0 re-shadow fault: walk L1's tables at nCR3 as they are now (§1.3, §7).
        const t = walk(this.mem, v.rootPfn, gfn);
        if (t !== 0 && (!write || (t & 1) === 1)) {
          this.ctr.npfL0++;
          this.cost.l0Fills++;
          if (v.asIdx >= 0) {
            this.l0.makeRoom(v.asIdx);
            sh.insert(v.asIdx, gfn, t >>> 1, (t & 1) === 1, this.op, v.rootId);
          }
          this.tlb.insert(v.tag, gfn, t >>> 1, (t & 1) === 1, v.rootPfn, v.id, this.op, this.op, v.rootId);
          if (this.tr.on) this.tr.emit('l0_shadow_fill', `shadow[0x${(v.rootPfn * 4096).toString(16)}] gfn 0x${gfn.toString(16)} -> host 0x${this.hostPage(t >>> 1).toString(16)}`);
          return t >>> 1;
        }
      } else {
        const t = walk(this.mem, v.rootPfn, gfn);
        if (t !== 0 && (!write || (t & 1) === 1)) {
          this.tlb.insert(v.tag, gfn, t >>> 1, (t & 1) === 1, v.rootPfn, v.id, this.op, this.op, v.rootId);
          return t >>> 1;
        }
      }
      // Nested page fault handled by L1 KVM (§5 #19), then the vCPU re-enters.
      if (!this.kvm.pageFault(v, gfn, write)) return -1;
      this.kvm.enterGuest(v);
    }
    return -1;
  }
}
