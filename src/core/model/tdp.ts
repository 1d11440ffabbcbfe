// The TDP MMU root lifecycle per kernel version (domain §2.2–§2.5):
// kvm_tdp_mmu_get_vcpu_root_hpa (reuse by role with a refcount, or tdp_mmu_alloc_sp),
// kvm_tdp_mmu_invalidate_all_roots, the zap worker, kvm_tdp_mmu_put_root and RCU
// freeing. 5.17 zaps synchronously with a range flush per removed table; 6.2/6.3 use
// the async worker with no flush; 6.4 gives roots a reference of their own.
import type { Machine } from './machine';
import { Ev } from './cost';
import { zapTree, editLeavesInRoots } from './pagetable';
import { SPTE_W } from './memory';
import { roleText, type MmuPage, type Vcpu } from './types';
import type { MmuImpl } from './mmuImpl';
import { hex } from './trace';

export class TdpMmu implements MmuImpl {
  /** kvm->arch.tdp_mmu_roots, newest first (list_add_rcu adds at the head). */
  readonly roots: MmuPage[] = [];
  /** Work items queued on tdp_mmu_zap_wq. */
  private readonly zapQueue: MmuPage[] = [];

  constructor(private readonly m: Machine) {}

  getRoot(v: Vcpu, role: number, pgd: number): MmuPage { return this.getVcpuRootHpa(v, role, pgd); }
  /** is_obsolete_sp for a TDP MMU page: role.invalid only (no generation). */
  isObsolete(r: MmuPage): boolean { return r.invalid; }

  /** §2.2 kvm_tdp_mmu_get_vcpu_root_hpa. */
  getVcpuRootHpa(v: Vcpu, role: number, pgd = 0): MmuPage {
    const m = this.m;
    m.tr.enter('kvm_tdp_mmu_get_vcpu_root_hpa', roleText(role));
    for (const r of this.roots) {
      // The role word includes the invalid bit; refcount_inc_not_zero skips dying roots.
      // Guest-mode roots also match on the L3 nCR3 they shadow (§5 #9); direct roots all have pgd 0.
      if (!r.invalid && r.role === role && r.pgd === pgd && r.refcount > 0) {
        r.refcount++;
        if (m.tr.on) m.tr.emit('kvm_tdp_mmu_get_root', `reuse root ${hex(r.pfn * 4096)} (refcount ${r.refcount})`);
        m.tr.leave();
        return r;
      }
    }
    // 6.4 (edbdb43f): +1 reference owned by the TDP MMU itself.
    const root = m.newRoot(v, true, role, m.cfg.kernel >= 604 ? 2 : 1, 0, pgd);
    this.roots.unshift(root);
    if (m.tr.on) m.tr.emit('tdp_mmu_alloc_sp', `new root ${hex(root.pfn * 4096)} ${roleText(role)}${root.recycledFromOp >= 0 ? ' (page was a root before: nCR3 reused)' : ''}`);
    // fix (a): flush the new root right after tdp_mmu_alloc_sp (§2.2, §4.3), when the eTLB is in use.
    if (m.cfg.fix === 'a' && m.kvm.svmHvEtlb) m.kvm.hypervFlushGuestMapping(root.pfn);
    m.tr.leave();
    return root;
  }

  /** §2.4 kvm_tdp_mmu_put_root, per kernel. */
  putRoot(root: MmuPage): void {
    const m = this.m;
    root.refcount--;
    if (m.tr.on) m.tr.emit('kvm_tdp_mmu_put_root', `root ${hex(root.pfn * 4096)} refcount -> ${root.refcount}`);
    if (root.refcount > 0) return;
    if (m.cfg.kernel >= 604) { this.free(root); return; } // only invalid roots reach zero
    if (!root.invalid) {
      if (m.cfg.kernel === 517) {
        // Pre-overhaul: synchronous zap on the last put, each removed table flushed (§2.5).
        this.zapRoot(root, 'tables');
        this.free(root);
        return;
      }
      // Defunct valid root (efd995da): mark invalid, keep one reference, zap asynchronously.
      root.invalid = true;
      root.invalidatedOp = m.op;
      root.refcount = 1;
      this.queueZap(root);
      return;
    }
    this.free(root);
  }

  private free(root: MmuPage): void {
    const m = this.m;
    const i = this.roots.indexOf(root);
    if (i >= 0) this.roots.splice(i, 1);
    // list_del_rcu + call_rcu: NO TLB flush, NO Hyper-V hypercall (§2.4).
    m.mem.freeRcu(root.pfn);
    m.rootFreed(root);
    if (m.tr.on) m.tr.emit('call_rcu', `free root ${hex(root.pfn * 4096)} (no flush)`);
  }

  private queueZap(root: MmuPage): void {
    root.zapQueued = true;
    this.zapQueue.push(root);
    if (this.m.tr.on) this.m.tr.emit('tdp_mmu_schedule_zap_root', `root ${hex(root.pfn * 4096)}`);
  }

  /** Tear down a root's tree. `flush` (5.17, §2.5): 'tables' = handle_removed_tdp_mmu_page's range
   *  flush per removed table (the last put, shared=false); 'spte' = that plus, in the shared zap of
   *  invalidated roots, tdp_mmu_zap_spte_atomic's range flush per zapped SPTE of the root.
   *  Returns how many present root SPTEs were zapped. */
  private zapRoot(root: MmuPage, flush: 'none' | 'tables' | 'spte'): number {
    const m = this.m;
    let rootSptes = 0;
    m.tr.enter('tdp_mmu_zap_root', `root ${hex(root.pfn * 4096)}`);
    zapTree(m.mem, root.pfn, (pfn, gfnBase, pages, inRoot) => {
      if (inRoot) rootSptes++;
      m.cost.add(Ev.TableZap);
      if (m.tr.on) m.tr.emit('handle_removed_pt', `table ${hex(pfn * 4096)} (gfns ${hex(gfnBase)}+${pages})`);
      if (flush !== 'none') m.kvm.flushRemoteTlbsWithAddress(gfnBase, pages);
      m.mem.freeRcu(pfn);
      if (flush === 'spte' && inRoot) {
        if (m.tr.on) m.tr.emit('tdp_mmu_zap_spte_atomic', `root SPTE for gfns ${hex(gfnBase)}+${pages}`);
        m.kvm.flushRemoteTlbsWithAddress(gfnBase, pages);
      }
    });
    m.tr.leave();
    return rootSptes;
  }

  /** The worker tdp_mmu_zap_root_work: zap (no flush, §2.4) then drop the worker's reference. */
  runZapWorker(max = Infinity): number {
    const m = this.m;
    let n = 0;
    while (this.zapQueue.length > 0 && n < max) {
      const root = this.zapQueue.shift() as MmuPage;
      root.zapQueued = false;
      m.tr.enter('tdp_mmu_zap_root_work', `root ${hex(root.pfn * 4096)}`);
      this.zapRoot(root, 'none');
      this.putRoot(root);
      m.tr.leave();
      n++;
    }
    return n;
  }

  pendingZaps(): number { return this.zapQueue.length; }

  /** §2.3 kvm_tdp_mmu_invalidate_all_roots (+ the synchronous 5.17 zap). */
  invalidateAllRoots(): void {
    const m = this.m;
    m.tr.enter('kvm_tdp_mmu_invalidate_all_roots');
    for (const r of [...this.roots]) {
      if (r.invalid) continue;
      if (m.cfg.kernel < 604) r.refcount++; // take a reference; >= 6.4 gifts the TDP MMU's own
      r.invalid = true;
      r.invalidatedOp = m.op;
      if (m.cfg.kernel === 517) { r.zapQueued = true; continue; } // zapped below, synchronously
      this.queueZap(r);
    }
    m.tr.leave();
  }

  /** kvm_tdp_mmu_zap_invalidated_roots: 5.17 zaps each invalid root in the ioctl thread
   *  (zap_gfn_range, shared=true) with per-SPTE and per-table range flushes; 5.18+ waits for
   *  the workqueue (flush_workqueue). */
  zapInvalidatedRoots(): void {
    const m = this.m;
    m.tr.enter('kvm_tdp_mmu_zap_invalidated_roots');
    if (m.cfg.kernel === 517) {
      for (const r of [...this.roots]) {
        if (!r.zapQueued) continue;
        r.zapQueued = false;
        this.zapRoot(r, 'spte');
        this.putRoot(r);
      }
    } else {
      this.runZapWorker();
    }
    m.tr.leave();
  }

  /** kvm_tdp_mmu_zap_all (6.2-6.4 tdp_mmu.c): tdp_mmu_zap_root on every root, valid or not, and no TLB
   *  flush — "KVM_RUN is unreachable, i.e. no vCPUs will ever service the request". The roots stay
   *  (emptied) until their references are put. kernel=5.17 follows the WSL2 5.15 tdp_mmu.c, before
   *  that comment: kvm_tdp_mmu_zap_gfn_range(0, -1) over every root (zap_gfn_range, shared=false:
   *  each present root SPTE set to 0, so handle_removed_tdp_mmu_page flushes each removed table's
   *  range), then kvm_flush_remote_tlbs when any SPTE was zapped. */
  zapAll(): void {
    const m = this.m;
    m.tr.enter('kvm_tdp_mmu_zap_all');
    const v517 = m.cfg.kernel === 517;
    let zapped = 0;
    for (const r of [...this.roots]) zapped += this.zapRoot(r, v517 ? 'tables' : 'none');
    if (v517 && zapped > 0) m.kvm.flushRemoteTlbs();
    m.tr.leave();
  }

  /** kvm_mmu_uninit_tdp_mmu at VM destruction: flush_workqueue, so queued root zaps run now. */
  uninit(): void {
    this.m.tr.enter('kvm_mmu_uninit_tdp_mmu');
    this.runZapWorker();
    this.m.tr.leave();
  }

  /** kvm_tdp_mmu_unmap_gfn_range: zap leaves in every root (valid or not). Returns leaves zapped. */
  unmapRange(gfn: number, n: number): number {
    return editLeavesInRoots(this.m.mem, this.roots, gfn, n, () => 0);
  }

  /** kvm_tdp_mmu_wrprot_slot: valid roots only. */
  writeProtect(gfn: number, n: number): number {
    return editLeavesInRoots(this.m.mem, this.roots, gfn, n, (e) => e & ~SPTE_W, (r) => r.invalid);
  }
}
