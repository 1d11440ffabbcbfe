// KVM (L1): per-vCPU requests serviced in vcpu_enter_guest order (domain §2.6),
// kvm_mmu_load / unload / reset, the SVM and VMX flush callbacks (§1.4, §4), the remote
// flush with its Hyper-V hook (§2.6), kvm_mmu_zap_all_fast (§2.3), ASID generations
// (§4.4) and the nested page fault handler (§5 #19).
import type { Machine } from './machine';
import { Ev } from './cost';
import { mapLeaf, GFN_LIMIT } from './pagetable';
import { HV_MAX_FLUSH_PAGES, HV_MAX_FLUSH_REP_COUNT } from './l0';
import { hex } from './trace';
import { topupPageCache } from './pageCache';
import { hugepageAdjust, mapHuge, splitForFault } from './hugepages';
import {
  REQ_FREE_OBSOLETE_ROOTS, REQ_LOAD_MMU_PGD, REQ_MMU_RELOAD, REQ_MMU_SYNC, REQ_TLB_FLUSH, REQ_TLB_FLUSH_CURRENT,
  REQ_TLB_FLUSH_GUEST, currentMmu, currentPgd, currentRole, type MmuCtx, type MmuPage, type Vcpu,
} from './types';

/** SVM ASIDs per pCPU (min_asid .. max_asid, §4.4). Small enough that wrap-around happens in long runs. */
const MIN_ASID = 1;
const MAX_ASID = 4095;

interface PcpuAsids { gen: number; next: number }

export class Kvm {
  /** HV_X64_NESTED_ENLIGHTENED_TLB offered and used: Hyper-V below, SVM with NPT, enlightened_tlb=on
   *  (svm_hv_hardware_setup installs the remote-flush hook; svm_hv_init_vmcb sets the bit in vmcb01). */
  readonly svmHvEtlb: boolean;
  /** kvm_x86_ops.tlb_remote_flush == hv_remote_flush_tlb: installed by svm_hv_hardware_setup (eTLB)
   *  or VMX hardware_setup (GUEST_MAPPING_FLUSH) (§1.4, §2.6). */
  readonly hvHook: boolean;
  /** e5c972c1 present: kernel 6.3+ or fix=b (§4.2). */
  readonly postFix: boolean;
  /** kvm->arch.hv_root_tdp, the common root; -1 = INVALID_PAGE. */
  hvRootTdp = -1;
  private readonly pcpus = new Map<number, PcpuAsids>();

  constructor(private readonly m: Machine) {
    const c = m.cfg;
    this.svmHvEtlb = c.hyperv && !c.vmx && c.etlb;
    this.hvHook = c.hyperv && c.etlb;
    this.postFix = c.kernel >= 603 || c.fix === 'b';
    for (const v of m.vcpus) {
      if (c.vmx) v.asid = v.id + 1; // VPID: one per vCPU
      v.tag = (v.pcpu << 12) | v.asid;
    }
  }

  // ------------------------------------------------------------------ entry

  /** vcpu_enter_guest: requests in order (§2.6), kvm_mmu_reload, then VMRUN's ASID handling (§4.4). */
  enterGuest(v: Vcpu): void {
    const m = this.m;
    if (v.requests !== 0) {
      m.tr.enter('vcpu_enter_guest');
      const r = v.requests;
      if (r & REQ_MMU_RELOAD) { v.requests &= ~REQ_MMU_RELOAD; this.unload(v); }
      if (r & REQ_FREE_OBSOLETE_ROOTS) { v.requests &= ~REQ_FREE_OBSOLETE_ROOTS; this.freeObsoleteRoots(v); }
      if (v.requests & REQ_MMU_SYNC) { v.requests &= ~REQ_MMU_SYNC; if (m.tr.on) m.tr.emit('kvm_mmu_sync_roots', 'no-op for a direct MMU'); }
      if (v.requests & REQ_LOAD_MMU_PGD) { v.requests &= ~REQ_LOAD_MMU_PGD; this.loadPgd(v); }
      if (v.requests & REQ_TLB_FLUSH) {
        v.requests &= ~(REQ_TLB_FLUSH | REQ_TLB_FLUSH_CURRENT);
        m.tr.enter('kvm_vcpu_flush_tlb_all'); this.flushTlbAll(v); m.tr.leave();
      }
      if (v.requests & REQ_TLB_FLUSH_CURRENT) {
        v.requests &= ~REQ_TLB_FLUSH_CURRENT;
        m.tr.enter('kvm_vcpu_flush_tlb_current'); this.flushTlbCurrent(v); m.tr.leave();
      }
      if (v.requests & REQ_TLB_FLUSH_GUEST) {
        v.requests &= ~REQ_TLB_FLUSH_GUEST;
        m.tr.enter('kvm_vcpu_flush_tlb_guest'); this.flushTlbGuest(v); m.tr.leave();
      }
      m.tr.leave();
    }
    if (currentMmu(v).root === null) {
      m.tr.enter('kvm_mmu_reload'); this.mmuLoad(v); m.tr.leave();
    }
    if (!m.cfg.vmx) this.preSvmRun(v);
  }

  /** pre_svm_run / new_asid (§4.4) and the VMCB tlb_ctl applied at VMRUN. */
  private preSvmRun(v: Vcpu): void {
    const m = this.m;
    if (v.vmcbCpu !== v.pcpu) { v.asidGen = 0; v.vmcbCpu = v.pcpu; }
    let sd = this.pcpus.get(v.pcpu);
    if (!sd) { sd = { gen: 1, next: MIN_ASID }; this.pcpus.set(v.pcpu, sd); }
    if (v.asidGen !== sd.gen) {
      if (sd.next > MAX_ASID) {
        sd.gen++; sd.next = MIN_ASID;
        m.tlb.flushPcpu(v.pcpu); // TLB_CONTROL_FLUSH_ALL_ASID
        if (m.tr.on) m.tr.emit('new_asid', `pCPU ${v.pcpu} ASIDs exhausted: generation ${sd.gen}, FLUSH_ALL_ASID`);
      }
      v.asidGen = sd.gen;
      v.asid = sd.next++;
      v.tag = (v.pcpu << 12) | v.asid;
      v.tlbCtlFlush = false;
      // A fresh ASID is equivalent to a flush of the vCPU's translations (§4.4).
      m.l0.asidFlush(v, `new_asid ${v.asid} on pCPU ${v.pcpu}`);
    }
    if (v.tlbCtlFlush) { v.tlbCtlFlush = false; m.l0.asidFlush(v, 'TLB_CONTROL_FLUSH_ASID'); }
  }

  /** svm_hv_is_enlightened_tlb_enabled(vcpu) (svm_onhyperv.h): reads enlightened_npt_tlb in the
   *  *current* VMCB. svm_hv_init_vmcb sets it only from init_vmcb, i.e. in vmcb01;
   *  nested_vmcb02_prepare_control (svm/nested.c, read in WSL2's tree) copies no hv_enlightenments into
   *  vmcb02, whose page is allocated zeroed. So while L3 runs (vmcb02 current) the bit is clear: KVM's
   *  e5c972c1 hypercall in svm_flush_tlb_current is skipped, and L0 gives vmcb02's ASID flushes their
   *  architectural meaning (they drop the NPT-derived shadow). That L0 honours the bit per VMCB is the
   *  reading of the TLFS the model takes [U] (docs/kernel-reference.md). */
  etlbActive(v: Vcpu): boolean { return this.svmHvEtlb && !v.guestMode; }

  /** Refresh the hot-path fields after the vCPU's current root changed. */
  setCurrent(v: Vcpu): void {
    const root = currentMmu(v).root;
    v.rootPfn = root ? root.pfn : -1;
    v.rootId = root ? root.id : -1;
    v.asIdx = root && this.m.cfg.hyperv ? this.m.shadows.intern(root.pfn) : -1;
  }

  // ------------------------------------------------------------------ roots

  /** §2.2 kvm_mmu_load (jepio/linux mmu.c; same shape in WSL2 5.15): root_role.direct ?
   *  mmu_alloc_direct_roots : mmu_alloc_shadow_roots, each through the implementation the MMU
   *  context was initialised with (mmuImpl.ts); an indirect MMU then kvm_mmu_sync_roots;
   *  kvm_mmu_load_pgd; and flush_tlb_current because "the provenance of the root is unknown". */
  mmuLoad(v: Vcpu): void {
    const m = this.m;
    m.tr.enter('kvm_mmu_load');
    const role = currentRole(v);
    const mmu = currentMmu(v);
    topupPageCache(m, v); // mmu_topup_memory_caches(vcpu, !root_role.direct)
    m.tr.enter(mmu.direct ? 'mmu_alloc_direct_roots' : 'mmu_alloc_shadow_roots');
    mmu.root = m.impl(mmu.impl).getRoot(v, role, currentPgd(v));
    m.tr.leave();
    // Nothing is unsync: L2's NPT for L3 is identity and never written (docs/model.md).
    if (!mmu.direct && m.tr.on) m.tr.emit('kvm_mmu_sync_roots', 'guest_mmu: no unsync shadow pages');
    this.setCurrent(v);
    this.loadPgd(v);
    // ASID-only on SVM+eTLB before e5c972c1.
    this.flushTlbCurrent(v);
    m.tr.leave();
  }

  /** kvm_mmu_load_pgd -> svm_load_mmu_pgd / vmx_load_mmu_pgd, with hv_track_root_tdp (§2.6). */
  loadPgd(v: Vcpu): void {
    const m = this.m;
    this.setCurrent(v);
    if (v.rootPfn < 0) return;
    if (m.tr.on) m.tr.emit(m.cfg.vmx ? 'vmx_load_mmu_pgd' : 'svm_load_mmu_pgd', `${m.cfg.vmx ? 'eptp' : 'nested_cr3'} = ${hex(v.rootPfn * 4096)}`);
    if (this.hvHook) {
      v.hvRootTdp = v.rootPfn;
      if (this.hvRootTdp !== v.rootPfn) this.hvRootTdp = -1;
    }
  }

  /** kvm_mmu_free_roots(kvm, mmu, roots_to_free) (jepio/linux mmu.c; WSL2 5.15 the same): each
   *  picked root through mmu_free_root_page (TDP put or --root_count, prepare_zap of an invalid
   *  shadow root at zero), then this call's own kvm_mmu_commit_zap_page on its invalid list — a
   *  remote flush first when the list is not empty. One call per MMU context. */
  private freeRoots(mmu: MmuCtx, pick: (r: MmuPage) => boolean): void {
    const m = this.m;
    let any = false;
    for (let i = 0; i < mmu.prev.length; i++) {
      const r = mmu.prev[i];
      if (r && pick(r)) { mmu.prev[i] = null; m.implOf(r).putRoot(r); any = true; }
    }
    if (mmu.root && pick(mmu.root)) { const r = mmu.root; mmu.root = null; m.implOf(r).putRoot(r); any = true; }
    // "Before acquiring the MMU lock, see if we need to do any real work": nothing picked, no commit.
    if (!any) return;
    m.tr.enter('kvm_mmu_free_roots', mmu.name);
    m.legacy.commitZap();
    m.tr.leave();
  }

  /** is_root_usable: same pgd and role, and not invalid/obsolete (§5 #9). */
  private rootUsable(r: MmuPage | null, pgd: number, role: number): r is MmuPage {
    return r !== null && r.pgd === pgd && r.role === role && !this.m.isObsolete(r);
  }

  /** §5 #9 kvm_mmu_new_pgd -> fast_pgd_switch for the current MMU (guest_mmu on a nested VMRUN whose
   *  nCR3 changed). prev_roots is an LRU (§2.1, KVM_MMU_NUM_PREV_ROOTS = 3): a hit swaps the cached
   *  root in and requests KVM_REQ_LOAD_MMU_PGD with no flush (force_flush_and_sync_on_reuse is false
   *  by default); a miss frees the LRU root and leaves the current one invalid, so the next entry
   *  runs kvm_mmu_load (§5 #3). Returns whether a cached root was reused. */
  newPgd(v: Vcpu, pgd: number): boolean {
    const m = this.m;
    const mmu = currentMmu(v);
    const role = currentRole(v);
    m.tr.enter('kvm_mmu_new_pgd', `pgd ${hex(pgd)}`);
    m.tr.enter('fast_pgd_switch');
    const hit = mmu.root ? this.findKeepCurrent(mmu, pgd, role) : this.findWithoutCurrent(mmu, pgd, role);
    m.tr.leave();
    if (hit) v.requests |= REQ_LOAD_MMU_PGD;
    this.setCurrent(v);
    m.tr.leave();
    return hit;
  }

  /** cached_root_find_and_keep_current: rotate current through prev_roots (swap with each slot in
   *  turn) until a usable one is current; on a miss the LRU root ends up current and is freed. */
  private findKeepCurrent(mmu: MmuCtx, pgd: number, role: number): boolean {
    const m = this.m;
    m.tr.enter('cached_root_find_and_keep_current');
    let hit = this.rootUsable(mmu.root, pgd, role);
    for (let i = 0; !hit && i < mmu.prev.length; i++) {
      const t = mmu.root; mmu.root = mmu.prev[i]; mmu.prev[i] = t;
      hit = this.rootUsable(mmu.root, pgd, role);
    }
    if (hit) {
      if (m.tr.on) m.tr.emit('fast_pgd_switch', `hit: reuse root ${hex((mmu.root as MmuPage).pfn * 4096)} from prev_roots (no flush)`);
    } else {
      // kvm_mmu_free_roots(KVM_MMU_ROOT_CURRENT): the root that fell off the LRU.
      if (m.tr.on) m.tr.emit('fast_pgd_switch', `miss: ${mmu.root ? `free LRU root ${hex(mmu.root.pfn * 4096)}` : 'no LRU root to free'}; root left invalid`);
      const lru = mmu.root;
      if (lru) this.freeRoots(mmu, (r) => r === lru);
    }
    m.tr.leave();
    return hit;
  }

  /** cached_root_find_without_current: take a usable prev root out (the rest bubble up). */
  private findWithoutCurrent(mmu: MmuCtx, pgd: number, role: number): boolean {
    const m = this.m;
    m.tr.enter('cached_root_find_without_current');
    const i = mmu.prev.findIndex((r) => this.rootUsable(r, pgd, role));
    if (i >= 0) {
      mmu.root = mmu.prev[i];
      for (let j = i; j < mmu.prev.length - 1; j++) mmu.prev[j] = mmu.prev[j + 1];
      mmu.prev[mmu.prev.length - 1] = null;
    }
    if (m.tr.on) m.tr.emit('fast_pgd_switch', i >= 0 ? `hit: reuse root ${hex((mmu.root as MmuPage).pfn * 4096)} from prev_roots (no flush)` : 'miss: root left invalid');
    m.tr.leave();
    return i >= 0;
  }

  /** kvm_mmu_unload (jepio/linux mmu.c, WSL2 5.15): kvm_mmu_free_roots(root_mmu, ALL) then
   *  kvm_mmu_free_roots(guest_mmu, ALL) — two calls, so two commit_zaps, each flushing on its own. */
  unload(v: Vcpu): void {
    const m = this.m;
    m.tr.enter('kvm_mmu_unload');
    this.freeRoots(v.rootMmu, () => true);
    this.freeRoots(v.guestMmu, () => true);
    this.setCurrent(v);
    m.tr.leave();
  }

  /** kvm_mmu_free_obsolete_roots (§2.4; jepio/linux mmu.c): __kvm_mmu_free_obsolete_roots for
   *  root_mmu then guest_mmu, each a kvm_mmu_free_roots of the roots is_obsolete_root picks. */
  freeObsoleteRoots(v: Vcpu): void {
    const m = this.m;
    m.tr.enter('kvm_mmu_free_obsolete_roots');
    const obsolete = (r: MmuPage): boolean => m.isObsolete(r);
    this.freeRoots(v.rootMmu, obsolete);
    this.freeRoots(v.guestMmu, obsolete);
    this.setCurrent(v);
    m.tr.leave();
  }

  /** kvm_mmu_reset_context: unload + reinit; the next entry reloads (§5 #13, #14). */
  resetContext(v: Vcpu): void {
    this.m.tr.enter('kvm_mmu_reset_context');
    this.unload(v);
    this.m.tr.leave();
  }

  // ------------------------------------------------------------------ flush callbacks

  /** svm_flush_tlb_asid (the pre-fix body of svm_flush_tlb_current, §4.1). */
  private svmFlushAsid(v: Vcpu): void {
    if (this.m.cfg.flushByAsid) v.tlbCtlFlush = true; // TLB_CONTROL_FLUSH_ASID at the next VMRUN
    else v.asidGen--;                                 // new ASID at the next VMRUN
    if (this.m.tr.on) this.m.tr.emit('svm_flush_tlb_asid', this.m.cfg.flushByAsid ? 'tlb_ctl = FLUSH_ASID' : 'asid_generation-- (no FLUSHBYASID)');
  }

  /** svm_flush_tlb_current: before e5c972c1 ASID only; after it (or fix b) a hypercall for the current root too (§4.2). */
  svmFlushTlbCurrent(v: Vcpu): void {
    const m = this.m;
    m.tr.enter('svm_flush_tlb_current');
    if (this.postFix && this.etlbActive(v) && v.rootPfn >= 0) this.hypervFlushGuestMapping(v.rootPfn);
    this.svmFlushAsid(v);
    m.tr.leave();
  }

  /** svm_flush_tlb_all: before the fix the same as flush_tlb_current; after it hv_remote_flush_tlb (with a WARN) then ASID (§4.2). */
  svmFlushTlbAll(v: Vcpu): void {
    const m = this.m;
    if (!this.postFix) { this.svmFlushTlbCurrentPre(v); return; }
    m.tr.enter('svm_flush_tlb_all');
    if (this.svmHvEtlb) {
      if (m.tr.on) m.tr.emit('WARN_ON_ONCE', 'remote flush reached svm_flush_tlb_all with the enlightened TLB');
      this.hvRemoteFlush(-1, 0);
    }
    this.svmFlushAsid(v);
    m.tr.leave();
  }

  private svmFlushTlbCurrentPre(v: Vcpu): void {
    this.m.tr.enter('svm_flush_tlb_current');
    this.svmFlushAsid(v);
    this.m.tr.leave();
  }

  flushTlbCurrent(v: Vcpu): void {
    if (!this.m.cfg.vmx) { this.svmFlushTlbCurrent(v); return; }
    // vmx_flush_tlb_current = INVEPT single-context of the current EPTP (§1.4).
    this.m.tr.enter('vmx_flush_tlb_current');
    if (v.rootPfn >= 0) this.m.l0.invept(v.rootPfn);
    this.m.tr.leave();
  }

  flushTlbAll(v: Vcpu): void {
    if (!this.m.cfg.vmx) { this.svmFlushTlbAll(v); return; }
    this.m.tr.enter('vmx_flush_tlb_all');
    this.m.l0.inveptAll();
    this.m.tr.leave();
  }

  /** flush_tlb_guest: SVM = ASID flush (svm_flush_tlb_asid after the fix, no hypercall); VMX = INVVPID. */
  flushTlbGuest(v: Vcpu): void {
    if (!this.m.cfg.vmx) {
      if (this.postFix) { this.m.tr.enter('svm_flush_tlb_guest'); this.svmFlushAsid(v); this.m.tr.leave(); } else this.svmFlushTlbCurrentPre(v);
      return;
    }
    this.m.tr.enter('vmx_flush_tlb_guest');
    this.m.l0.invvpid(v);
    this.m.tr.leave();
  }

  // ------------------------------------------------------------------ remote flushes

  /** hyperv_flush_guest_mapping(as): HvCallFlushGuestPhysicalAddressSpace. */
  hypervFlushGuestMapping(as: number): boolean {
    const m = this.m;
    m.tr.enter('hyperv_flush_guest_mapping', `as ${hex(as * 4096)}`);
    const ok = m.l0.flushSpace(as);
    m.tr.leave();
    return ok;
  }

  /** hv_remote_flush_tlb(_with_range): flush only the roots currently loaded, via the common
   *  root or each distinct vcpu->arch.hv_root_tdp (§2.6). `gfn < 0` = whole address space. */
  private hvRemoteFlush(gfn: number, n: number): void {
    const m = this.m;
    m.tr.enter(gfn < 0 ? 'hv_remote_flush_tlb' : 'hv_remote_flush_tlb_with_range');
    const flushRoot = (root: number): void => {
      if (gfn < 0) this.hypervFlushGuestMapping(root);
      else { m.tr.enter('hyperv_flush_guest_mapping_range'); m.l0.flushList(root, gfn, n); m.tr.leave(); }
    };
    if (this.hvRootTdp >= 0) flushRoot(this.hvRootTdp);
    else {
      let unique = 0;
      for (const v of m.vcpus) {
        const root = v.hvRootTdp;
        if (root < 0 || root === this.hvRootTdp) continue;
        if (++unique === 1) this.hvRootTdp = root;
        flushRoot(root);
      }
      if (unique > 1) this.hvRootTdp = -1;
    }
    m.tr.leave();
  }

  /** kvm_flush_remote_tlbs: the arch hook if it succeeds, else KVM_REQ_TLB_FLUSH to every vCPU (§2.6). */
  flushRemoteTlbs(): void {
    const m = this.m;
    m.ctr.flushesRemote++;
    m.tr.enter('kvm_flush_remote_tlbs');
    if (this.hvHook) this.hvRemoteFlush(-1, 0);
    else {
      for (const v of m.vcpus) v.requests |= REQ_TLB_FLUSH;
      if (m.tr.on) m.tr.emit('kvm_make_all_cpus_request', 'KVM_REQ_TLB_FLUSH');
    }
    m.tr.leave();
  }

  /** kvm_flush_remote_tlbs_with_address (5.15-6.4; kvm_flush_remote_tlbs_range later): the list
   *  hypercall per loaded root (hv_remote_flush_tlb_with_range); more than HV_MAX_FLUSH_REP_COUNT
   *  entries of HV_MAX_FLUSH_PAGES (the fill's -ENOSPC) or no range hook falls back to the full flush. */
  flushRemoteTlbsWithAddress(gfn: number, pages: number): void {
    const m = this.m;
    m.ctr.flushesRemote++;
    m.tr.enter('kvm_flush_remote_tlbs_with_address', `gfns ${hex(gfn)}+${pages}`);
    if (this.hvHook && Math.ceil(pages / HV_MAX_FLUSH_PAGES) <= HV_MAX_FLUSH_REP_COUNT) this.hvRemoteFlush(gfn, pages);
    else this.flushRemoteTlbs();
    m.tr.leave();
  }

  // ------------------------------------------------------------------ VM-wide operations

  /** §2.3 kvm_mmu_zap_all_fast. */
  zapAllFast(): void {
    const m = this.m;
    m.tr.enter('kvm_mmu_zap_all_fast');
    m.legacy.mmuValidGen ^= 1;
    if (m.cfg.tdpMmu) m.tdp.invalidateAllRoots();
    // <= 5.17: KVM_REQ_MMU_RELOAD (unload all roots); 5.18+: KVM_REQ_MMU_FREE_OBSOLETE_ROOTS.
    const req = m.cfg.kernel === 517 ? REQ_MMU_RELOAD : REQ_FREE_OBSOLETE_ROOTS;
    for (const v of m.vcpus) v.requests |= req;
    if (m.tr.on) m.tr.emit('kvm_make_all_cpus_request', m.cfg.kernel === 517 ? 'KVM_REQ_MMU_RELOAD' : 'KVM_REQ_MMU_FREE_OBSOLETE_ROOTS');
    m.legacy.zapObsoletePages();
    if (m.cfg.tdpMmu) m.tdp.zapInvalidatedRoots();
    m.tr.leave();
  }

  /** Nested page fault handled by L1 (kvm_mmu_page_fault -> kvm_tdp_mmu_map / direct_map).
   *  Returns false when the access is emulated instead (no memslot, read-only slot write). */
  pageFault(v: Vcpu, gfn: number, write: boolean): boolean {
    const m = this.m;
    m.ctr.npfL1++;
    m.ctr.vmexits++;
    m.cost.add(m.cfg.hyperv ? Ev.NestedExit : Ev.BareExit);
    m.cost.add(Ev.L1Fault);
    // direct_page_fault / kvm_tdp_mmu_page_fault / FNAME(page_fault): mmu_topup_memory_caches first.
    topupPageCache(m, v);
    const slot = gfn < GFN_LIMIT ? m.slots.find(gfn) : null;
    if (!slot || (write && slot.readonly)) {
      m.cost.add(Ev.UserspaceExit);
      if (m.tr.on) m.tr.emit('kvm_mmu_page_fault', `gfn ${hex(gfn)}: ${slot ? 'write to a read-only memslot' : 'no memslot'}: emulated by userspace (KVM_EXIT_MMIO)`);
      return false;
    }
    const mmu = currentMmu(v);
    const root = mmu.root;
    if (!root) return false;
    // kvm_faultin_pfn: a `hugepages` slot faults in a whole 2M host page (memslots.ts).
    const pfn = m.slots.backingPage(slot, gfn);
    const writable = !slot.readonly && (!slot.dirtyLog || write);
    // make_spte: a writable SPTE in a dirty-tracked slot marks the page dirty (mark_page_dirty_in_slot).
    if (writable && slot.dirtyBitmap) slot.dirtyBitmap[gfn - slot.baseGfn] = 1;
    m.tr.enter('kvm_mmu_page_fault', `gfn ${hex(gfn)} ${write ? 'write' : 'read'}`);
    m.tr.enter(root.tdp ? 'kvm_tdp_mmu_map' : mmu.direct ? 'direct_map' : 'FNAME(fetch)');
    m.faultVcpu = v;
    // kvm_mmu_hugepage_adjust picks the goal level (hugepages.ts).
    if (hugepageAdjust(m, mmu, slot, gfn)) mapHuge(m, root, slot, gfn, writable);
    else {
      if (m.tr.on) m.tr.emit(root.tdp ? 'kvm_tdp_mmu_map' : mmu.direct ? 'direct_map' : 'FNAME(fetch)', `root ${hex(root.pfn * 4096)}: gfn ${hex(gfn)} -> L1 page ${hex(pfn * 4096)}${writable ? '' : ' (read-only)'}`);
      splitForFault(m, root, gfn);
      mapLeaf(m.mem, root.pfn, gfn, pfn, writable, m.allocTable);
    }
    m.faultVcpu = null;
    m.tr.leave();
    m.tr.leave();
    return true;
  }
}
