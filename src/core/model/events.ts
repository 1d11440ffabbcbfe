// The events a scenario can raise, each with exactly the requests and calls domain §5
// lists for it (the row number is cited on each). Guest events run after the vCPU
// entered the guest; VMM events run in the VMM thread.
import type { Machine } from './machine';
import { Ev } from './cost';
import type { KernelFunction } from '../lang/schema';
import { REQ_LOAD_MMU_PGD, REQ_MMU_SYNC, REQ_TLB_FLUSH, REQ_TLB_FLUSH_CURRENT, REQ_TLB_FLUSH_GUEST, currentMmu, type Vcpu } from './types';
import { hex } from './trace';
import { freePageCache } from './pageCache';
import { eagerSplit, zapCollapsible } from './hugepages';

/** An intercepted guest event: one exit to L1 (nested under Hyper-V). */
function exitToL1(m: Machine): void {
  m.ctr.vmexits++;
  m.cost.add(m.cfg.hyperv ? Ev.NestedExit : Ev.BareExit);
}

/** §5 #14: SMI / RSM emulation resets the MMU context (roots unloaded; roles differ by the smm bit). */
export function smm(m: Machine, v: Vcpu, enter: boolean): string | null {
  if (v.smm === enter) return enter ? 'smi: the vCPU is already in SMM' : 'rsm: the vCPU is not in SMM';
  exitToL1(m);
  m.cost.add(Ev.Smm);
  m.tr.enter(enter ? 'enter_smm' : 'emulator_leave_smm');
  // svm_enter_smm (svm.c, the 6.x patches read): in guest mode, record it in SMRAM and
  // nested_svm_simple_vmexit, whose nested_svm_vmexit ends in nested_svm_transition_tlb_flush;
  // then kvm_smm_changed resets the MMU context. emulator_leave_smm lets svm_leave_smm re-enter L3
  // (enter_svm_guest_mode -> nested_vmcb02_prepare_control: the same transition flush) before
  // kvm_smm_changed resets the context again. VMX (vmx_enter_smm / nested_vmx_vmexit) is modelled
  // the same way [A].
  if (enter && v.guestMode) {
    m.tr.emit(m.cfg.vmx ? 'vmx_enter_smm' : 'svm_enter_smm', 'in L3: nested #VMEXIT (SVM_EXIT_SW) before SMM');
    v.guestMode = false; v.smmFromGuest = true;
    v.requests |= REQ_MMU_SYNC | REQ_TLB_FLUSH_CURRENT;
    m.kvm.setCurrent(v);
  } else if (!enter && v.smmFromGuest) {
    m.tr.emit(m.cfg.vmx ? 'vmx_leave_smm' : 'svm_leave_smm', 'SMRAM says L3 was running: enter_svm_guest_mode');
    v.guestMode = true; v.smmFromGuest = false;
    v.requests |= REQ_MMU_SYNC | REQ_TLB_FLUSH_CURRENT;
    m.kvm.setCurrent(v);
  }
  v.smm = enter;
  m.kvm.resetContext(v);
  m.tr.leave();
  // An INIT latched in SMM is accepted once the vCPU has left it (kvm_smm_changed -> KVM_REQ_EVENT).
  if (!enter && v.initLatched) vcpuReset(m, v, true);
  return null;
}

/** §5 #10: nested VMRUN / #VMEXIT: switch between root_mmu and guest_mmu, then
 *  nested_svm_transition_tlb_flush = KVM_REQ_MMU_SYNC + KVM_REQ_TLB_FLUSH_CURRENT.
 *  `ncr3` (VMRUN only): the nCR3 L2 put in its VMCB; null keeps the previous one. */
export function nested(m: Machine, v: Vcpu, run: boolean, ncr3: number | null = null): string | null {
  if (v.guestMode === run) return run ? 'nested vmrun: the vCPU already runs L3' : 'nested vmexit: the vCPU is not running L3';
  exitToL1(m);
  m.tr.enter(m.cfg.vmx ? (run ? 'nested_vmx_run' : 'nested_vmx_vmexit') : (run ? 'nested_svm_vmrun' : 'nested_svm_vmexit'));
  v.guestMode = run;
  if (run && ncr3 !== null && ncr3 !== v.ncr3) {
    // A different L3 nCR3: kvm_mmu_new_pgd's fast_pgd_switch through guest_mmu's prev_roots (§5 #9, §2.1).
    v.ncr3 = ncr3;
    m.kvm.newPgd(v, ncr3);
  } else {
    // kvm_mmu_new_pgd with the same pgd: a still-loaded root of the target MMU is reused
    // (KVM_REQ_LOAD_MMU_PGD, §5 #9); otherwise the root stays invalid and the next entry runs kvm_mmu_load (§5 #3).
    if (currentMmu(v).root) v.requests |= REQ_LOAD_MMU_PGD;
    m.kvm.setCurrent(v);
  }
  // SVM: nested_svm_transition_tlb_flush (§5 #10); VMX is modelled with the same requests [A].
  m.tr.emit(m.cfg.vmx ? 'nested_vmx_transition_tlb_flush' : 'nested_svm_transition_tlb_flush', 'KVM_REQ_MMU_SYNC + KVM_REQ_TLB_FLUSH_CURRENT');
  v.requests |= REQ_MMU_SYNC | REQ_TLB_FLUSH_CURRENT;
  m.tr.leave();
  return null;
}

/** §5 #7 kvm_post_set_cr4 (with TDP enabled). SMEP is one of KVM_MMU_CR4_ROLE_BITS, so
 *  toggling it resets the MMU context (unload; the next entry reloads, §5 #3) before the
 *  flush request; PGE and PCIDE are not role bits. The !tdp PCIDE 0->1 unload does not apply. */
export function cr4(m: Machine, v: Vcpu, bit: 'pge' | 'pcide' | 'smep', on: boolean): void {
  exitToL1(m);
  m.tr.enter('kvm_post_set_cr4', `${bit} ${on ? 'on' : 'off'}`);
  const old = bit === 'pge' ? v.cr4Pge : bit === 'pcide' ? v.cr4Pcide : v.cr4Smep;
  if (bit === 'pge') v.cr4Pge = on; else if (bit === 'pcide') v.cr4Pcide = on; else v.cr4Smep = on;
  if (old !== on && bit === 'smep') m.kvm.resetContext(v);                                    // role bit changed
  if (old !== on) {
    if (bit === 'pge' || (bit === 'pcide' && !on)) v.requests |= REQ_TLB_FLUSH_GUEST;      // PGE toggled, PCIDE 1->0
    else if (bit === 'smep' && on) v.requests |= REQ_TLB_FLUSH_CURRENT;                      // SMEP 0->1
  }
  m.tr.leave();
}

/** §5 #6: CR3 write with TDP: kvm_invalidate_pcid -> KVM_REQ_TLB_FLUSH_GUEST unless NOFLUSH. */
export function cr3(m: Machine, v: Vcpu, noflush: boolean): void {
  exitToL1(m);
  m.tr.enter('kvm_set_cr3');
  if (!noflush) { m.tr.emit('kvm_invalidate_pcid', 'KVM_REQ_TLB_FLUSH_GUEST'); v.requests |= REQ_TLB_FLUSH_GUEST; }
  m.tr.leave();
}

/** §5 #11 avic_activate_vmcb: KVM_REQ_TLB_FLUSH_CURRENT (SVM only). */
export function avic(m: Machine, v: Vcpu): void {
  if (m.cfg.vmx) { m.tr.emit('avic_activate_vmcb', 'AVIC is AMD-only: no effect with cpu=vmx'); return; }
  m.tr.emit('avic_activate_vmcb', 'KVM_REQ_TLB_FLUSH_CURRENT');
  v.requests |= REQ_TLB_FLUSH_CURRENT;
}

/** §5 #12: the vCPU moves to another pCPU. SVM: pre_svm_run takes a new ASID (§4.4).
 *  VMX: loading the VMCS on a new pCPU requests KVM_REQ_TLB_FLUSH [A]. */
export function migrate(m: Machine, v: Vcpu): void {
  const n = m.cfg.vcpus;
  v.pcpu = v.pcpu + n < 4096 ? v.pcpu + n : v.id;
  if (m.cfg.vmx) { v.tag = (v.pcpu << 12) | v.asid; v.requests |= REQ_TLB_FLUSH; }
  m.tr.emit('kvm_arch_vcpu_load', `vCPU ${v.id} now on pCPU ${v.pcpu}`);
}

/** §5 #13 kvm_vcpu_reset (x86.c, read in jepio/linux; the same CR0.PG check quoted in the 5.15
 *  review of "Reset the MMU context if paging was enabled prior to INIT"). Run where the vCPU is
 *  blocked (kvm_apic_accept_events from vcpu_block), so requests already pending — e.g.
 *  KVM_REQ_MMU_FREE_OBSOLETE_ROOTS — are still pending here and are serviced at the next entry:
 *  - is_guest_mode: kvm_leave_nested (svm_leave_nested -> nested_svm_uninit_mmu_context: back to
 *    root_mmu; guest_mmu keeps its roots);
 *  - hflags = 0 (leaves SMM), CR0 = ET (PG off), CR4 = 0 through the vendor set_cr4 (no
 *    kvm_post_set_cr4 requests);
 *  - if old CR0.PG: KVM_REQ_TLB_FLUSH_GUEST + kvm_mmu_reset_context (unload both MMUs);
 *  - INIT only: KVM_REQ_TLB_FLUSH_GUEST again ("Flush the guest TLB regardless of vendor").
 *  The tree read has both flush requests; whether 5.17 already had them is [U]: every kernel= value
 *  gets this code. RESET in the kernel happens with CR0 = 0 (vCPU creation); the model runs the
 *  same code on whatever CR0 the vCPU has. */
export function vcpuReset(m: Machine, v: Vcpu, initEvent: boolean): void {
  if (initEvent && v.smm) {
    // kvm_apic_accept_events: INIT is blocked in SMM (kvm_apic_init_sipi_allowed) and stays latched.
    v.initLatched = true;
    if (m.tr.on) m.tr.emit('kvm_apic_accept_events', 'INIT latched: the vCPU is in SMM (delivered after RSM)');
    return;
  }
  m.tr.enter('kvm_vcpu_reset', initEvent ? 'init_event' : 'RESET');
  if (v.guestMode) {
    // svm_leave_nested switches back to vmcb01, which has its own ASID, so L3's translations are not
    // used by L2 afterwards. The model has one ASID per vCPU; KVM_REQ_TLB_FLUSH_CURRENT stands in [A].
    m.tr.emit(m.cfg.vmx ? 'nested_vmx_vmexit' : 'svm_leave_nested', 'kvm_leave_nested: back to root_mmu (guest_mmu roots kept)');
    v.guestMode = false;
    v.requests |= REQ_TLB_FLUSH_CURRENT;
    m.kvm.setCurrent(v);
  }
  const oldPg = v.cr0Pg;
  v.smm = false; v.smmFromGuest = false; v.initLatched = false; v.cr0Pg = false; v.cr4Pge = false; v.cr4Pcide = false; v.cr4Smep = false;
  if (oldPg) {
    v.requests |= REQ_TLB_FLUSH_GUEST;
    m.kvm.resetContext(v);
  }
  if (initEvent) v.requests |= REQ_TLB_FLUSH_GUEST;
  if (m.tr.on) m.tr.emit('kvm_vcpu_reset', `old CR0.PG ${oldPg ? '1: KVM_REQ_TLB_FLUSH_GUEST + kvm_mmu_reset_context' : '0: MMU context kept'}${initEvent ? '; INIT: KVM_REQ_TLB_FLUSH_GUEST' : ''}`);
  m.tr.leave();
}

/** `reset`: RESET (kvm_vcpu_reset, init_event = false). */
export function reset(m: Machine, v: Vcpu): void { vcpuReset(m, v, false); }

/** `init`: an INIT signal (kvm_vcpu_reset, init_event = true). */
export function init(m: Machine, v: Vcpu): void { vcpuReset(m, v, true); }

/** `cr0 pg on|off`: kvm_post_set_cr0 (x86.c, 6.x patches read): a PG change clears async #PF state,
 *  clearing PG requests KVM_REQ_TLB_FLUSH_GUEST, and PG is in KVM_MMU_CR0_ROLE_BITS, so the change
 *  resets the MMU context. */
export function cr0(m: Machine, v: Vcpu, on: boolean): void {
  exitToL1(m);
  m.tr.enter('kvm_post_set_cr0', `pg ${on ? 'on' : 'off'}`);
  const old = v.cr0Pg;
  v.cr0Pg = on;
  if (old !== on) {
    if (!on) v.requests |= REQ_TLB_FLUSH_GUEST;
    m.kvm.resetContext(v);
  }
  m.tr.leave();
}

// ---------------------------------------------------------------- VMM events

/** `hugepages`: the VMM's memory for the slot is backed by 2M pages (THP / hugetlbfs). */
export function memslotCreate(m: Machine, id: string, gpa: number, size: number, readonly: boolean, hugepages = false): string | null {
  m.cost.add(Ev.MemslotIoctl);
  m.tr.emit('kvm_set_memslot', `KVM_MR_CREATE slot ${id} gpa ${hex(gpa)} size ${hex(size)}${hugepages ? ' (2M host pages)' : ''} (no zap, §5 note)`);
  return m.slots.create(id, gpa, size, readonly, m.op, hugepages);
}

/** §5 #1: DELETE runs kvm_mmu_zap_all_fast; `free` then unmaps the backing (pages back to the allocator). */
export function memslotDelete(m: Machine, id: string, free: boolean): string | null {
  const slot = m.slots.byId(id);
  if (!slot) return `memslot ${id} does not exist`;
  m.cost.add(Ev.MemslotIoctl);
  m.tr.enter('kvm_set_memslot', `KVM_MR_DELETE slot ${id}`);
  m.tr.enter('kvm_invalidate_memslot');
  m.tr.enter('kvm_arch_flush_shadow_memslot');
  m.kvm.zapAllFast();
  m.tr.leave(); m.tr.leave(); m.tr.leave();
  m.slots.remove(slot, free);
  if (free && m.tr.on) m.tr.emit('munmap', `slot ${id} backing returned to the L1 allocator`);
  return null;
}

export function memslotMove(m: Machine, id: string, gpa: number): string | null {
  const slot = m.slots.byId(id);
  if (!slot) return `memslot ${id} does not exist`;
  m.cost.add(Ev.MemslotIoctl);
  m.tr.enter('kvm_set_memslot', `KVM_MR_MOVE slot ${id} -> ${hex(gpa)}`);
  m.kvm.zapAllFast();
  m.tr.leave();
  return m.slots.move(slot, gpa, m.op);
}

/** §5 #18 kvm_mmu_slot_apply_flags (x86.c; the same in WSL2 5.15 and the 6.x patches read): only a
 *  change of KVM_MEM_LOG_DIRTY_PAGES does anything. Enabling: eager page splitting with the TDP MMU
 *  (kvm_mmu_slot_try_split_huge_pages, hugepages.ts), kvm_mmu_slot_remove_write_access over the rmaps
 *  and the TDP roots (2M SPTEs included), then "Unconditionally flush the TLBs after enabling dirty logging":
 *  kvm_arch_flush_remote_tlbs_memslot -> kvm_flush_remote_tlbs_with_address(base_gfn, npages), whether
 *  or not an SPTE changed. With `dirty_log_init_set=on` (the VMM enabled KVM_DIRTY_LOG_INITIALLY_SET,
 *  as QEMU does) kvm_dirty_log_manual_protect_and_init_set() returns before all of it: no split, no
 *  write-protection, no flush (kvm_mmu_slot_apply_flags in the recent x86.c read; KVM_DIRTY_LOG_INITIALLY_SET
 *  predates 5.17, so every `kernel=` value gets the same early return). Disabling: kvm_mmu_zap_collapsible_sptes, which zaps what a 2M SPTE could
 *  replace, with the flushes of each MMU and kernel (hugepages.ts); with 4K backing nothing. */
export function memslotDirtyLog(m: Machine, id: string, on: boolean): string | null {
  const slot = m.slots.byId(id);
  if (!slot) return `memslot ${id} does not exist`;
  m.cost.add(Ev.MemslotIoctl);
  const changedFlag = slot.dirtyLog !== on;
  slot.dirtyLog = on;
  // kvm_prepare_memory_region: a slot that gains KVM_MEM_LOG_DIRTY_PAGES gets a dirty bitmap,
  // all set when KVM_DIRTY_LOG_INITIALLY_SET is on (bitmap_set(new->dirty_bitmap, 0, npages));
  // one that loses the flag loses its bitmap.
  if (changedFlag) {
    if (on) {
      m.mem.budget.grow('data', 0, slot.npages);
      slot.dirtyBitmap = new Uint8Array(slot.npages);
      if (m.cfg.dirtyLogInitSet) slot.dirtyBitmap.fill(1);
    } else if (slot.dirtyBitmap) {
      m.mem.budget.grow('data', slot.dirtyBitmap.length, 0);
      slot.dirtyBitmap = null;
    }
  }
  m.tr.enter('kvm_mmu_slot_apply_flags', `slot ${id} dirty_log ${on ? 'on' : 'off'}`);
  if (!changedFlag) {
    if (m.tr.on) m.tr.emit('kvm_mmu_slot_apply_flags', 'KVM_MEM_LOG_DIRTY_PAGES unchanged: nothing to do');
  } else if (on && m.cfg.dirtyLogInitSet) {
    if (m.tr.on) m.tr.emit('kvm_dirty_log_manual_protect_and_init_set', 'initially-all-set: nothing write-protected, no flush');
  } else if (on) {
    eagerSplit(m, slot);
    const changed = m.legacy.writeProtect(slot.baseGfn, slot.npages) + m.tdp.writeProtect(slot.baseGfn, slot.npages);
    if (m.tr.on) m.tr.emit('kvm_mmu_slot_remove_write_access', `${changed} SPTEs write-protected`);
    if (changed > 0) m.noteGfnChange(slot.baseGfn, slot.npages);
    m.tr.enter('kvm_arch_flush_remote_tlbs_memslot');
    m.kvm.flushRemoteTlbsWithAddress(slot.baseGfn, slot.npages);
    m.tr.leave();
  } else {
    m.tr.enter('kvm_mmu_zap_collapsible_sptes');
    const zapped = zapCollapsible(m, slot);
    if (m.tr.on) m.tr.emit('kvm_mmu_zap_collapsible_sptes', `${zapped} collapsible SPTEs zapped`);
    m.tr.leave();
  }
  m.tr.leave();
  return null;
}

/** §5 #4: MMU notifier: kvm_unmap_gfn_range, flush_on_ret -> kvm_flush_remote_tlbs; the host then
 *  replaces the backing pages (new page on next touch, content kept). */
export function unmap(m: Machine, gpa: number, size: number): void {
  const hostGfn = Math.floor(gpa / 4096);
  const hostN = Math.max(1, Math.ceil((gpa + size) / 4096) - hostGfn);
  let gfn = hostGfn, n = hostN;
  // Part of a 2M host page: the host splits it first (__split_huge_pmd), whose notifier call covers
  // the whole 2M range, so KVM zaps every SPTE of the region (memslots.ts then maps it 4K).
  const lo = m.slots.find(gfn), hi = m.slots.find(gfn + n - 1);
  if (lo && lo.hugepages && m.slots.hugeBase(lo, gfn) >= 0) { const b = gfn - ((gfn - lo.baseGfn) % 512); n += gfn - b; gfn = b; }
  if (hi && hi.hugepages && m.slots.hugeBase(hi, gfn + n - 1) >= 0) { const last = gfn + n - 1; n += 511 - ((last - hi.baseGfn) % 512); }
  m.tr.enter('kvm_mmu_notifier_invalidate_range_start', `gfns ${hex(gfn)}+${n}`);
  unmapGfnRange(m, gfn, n);
  const dropped = m.slots.unmapBacking(hostGfn, hostN);
  if (m.tr.on) m.tr.emit('host_page_migrated', `${dropped} backing pages replaced (next touch allocates)`);
  m.tr.leave();
}

/** kvm_unmap_gfn_range (jepio/linux mmu.c): kvm_zap_rmap over the rmaps when shadow pages exist
 *  (kvm_memslots_have_rmaps: tdp_mmu=off, or a guest_mmu root was allocated), then
 *  kvm_tdp_mmu_unmap_gfn_range (tdp_mmu_zap_leafs) when tdp_mmu_enabled; one flush for both
 *  (flush_on_ret). Both zap leaf SPTEs only: a 4K table under the range stays linked. */
function unmapGfnRange(m: Machine, gfn: number, n: number): void {
  const zapped = m.legacy.unmapRange(gfn, n) + m.tdp.unmapRange(gfn, n);
  if (m.tr.on) m.tr.emit('kvm_unmap_gfn_range', `${zapped} leaf SPTEs zapped`);
  if (zapped > 0) {
    m.noteGfnChange(gfn, n);
    m.kvm.flushRemoteTlbs();
  }
}

/** `collapse ADDR`: the host's khugepaged collapses the 2M region holding ADDR back into one huge
 *  page. collapse_huge_page (mm/khugepaged.c, recent tree read) calls
 *  mmu_notifier_invalidate_range_start over [address, address + HPAGE_PMD_SIZE) before it copies
 *  the 4K pages into the new huge page, so KVM zaps the region's leaf SPTEs (kvm_unmap_gfn_range,
 *  with its flush when it zapped any) and keeps the 4K tables. From then on host_pfn_mapping_level
 *  is 2M there again: the next fault maps a 2M SPTE, over the table where one survived
 *  (mmu_set_spte / tdp_mmu_map_handle_target_level, hugepages.ts). A region the host already maps
 *  with a huge page is skipped (khugepaged scans PTE-mapped regions only). */
export function collapse(m: Machine, gpa: number): string | null {
  const gfn = Math.floor(gpa / 4096);
  const slot = m.slots.find(gfn);
  if (!slot) return `collapse ${hex(gpa)}: no memslot there`;
  if (!slot.hugepages) return `collapse ${hex(gpa)}: memslot ${slot.id} is not backed by huge pages (hugepages)`;
  const first = gfn - slot.baseGfn - ((gfn - slot.baseGfn) % 512);
  if (first + 512 > slot.npages) return `collapse ${hex(gpa)}: the 2M region is not inside memslot ${slot.id}`;
  const start = slot.baseGfn + first;
  m.tr.enter('collapse_huge_page', `gfns ${hex(start)}+512`);
  if (m.slots.hugeBase(slot, gfn) >= 0) {
    if (m.tr.on) m.tr.emit('collapse_huge_page', 'already a huge page: nothing to collapse');
    m.tr.leave();
    return null;
  }
  m.tr.enter('kvm_mmu_notifier_invalidate_range_start', `gfns ${hex(start)}+512`);
  unmapGfnRange(m, start, 512);
  m.tr.leave();
  m.slots.collapseBacking(slot, first);
  if (m.tr.on) m.tr.emit('collapse_huge_page', '512 pages copied into a new 2M page');
  m.tr.leave();
  return null;
}

/** `teardown`: the VMM exits. exit_mmap -> mmu_notifier_release -> kvm_mmu_notifier_release ->
 *  kvm_flush_shadow_all -> kvm_arch_flush_shadow_all -> kvm_mmu_zap_all (shadow pages, one commit_zap
 *  flush; then kvm_tdp_mmu_zap_all, no flush). Then kvm_destroy_vm -> kvm_arch_destroy_vm ->
 *  kvm_destroy_vcpus -> kvm_arch_vcpu_destroy -> kvm_mmu_destroy: kvm_mmu_unload (each MMU's
 *  kvm_mmu_free_roots, so a commit_zap flush for the invalid shadow roots still loaded) and
 *  mmu_free_memory_caches; kvm_mmu_uninit_vm -> kvm_mmu_uninit_tdp_mmu (flush_workqueue). Read in
 *  WSL2 5.15 mmu.c (kvm_mmu_zap_all, kvm_mmu_destroy) and the jepio tree; the call chain above
 *  them is the generic kvm_main.c one. */
export function teardown(m: Machine): void {
  m.tr.enter('kvm_mmu_notifier_release');
  m.tr.enter('kvm_arch_flush_shadow_all');
  m.legacy.zapAll();
  if (m.cfg.tdpMmu) m.tdp.zapAll();
  m.tr.leave(); m.tr.leave();
  m.tr.enter('kvm_destroy_vm');
  for (const v of m.vcpus) {
    m.tr.enter('kvm_mmu_destroy', `vCPU ${v.id}`);
    v.guestMode = false;
    m.kvm.unload(v);
    const n = freePageCache(m, v);
    if (m.tr.on) m.tr.emit('mmu_free_memory_caches', `${n} cached pages back to the allocator`);
    m.tr.leave();
  }
  if (m.cfg.tdpMmu) m.tdp.uninit();
  m.mem.drainRcu();
  m.destroyed = true;
  m.tr.leave();
}

/** `call FUNCTION [ARG]`: one modelled kernel function, run where the VMM thread would. */
export function callFunction(m: Machine, v: Vcpu, fn: KernelFunction, arg: number | 'root' | null): string | null {
  switch (fn) {
    case 'kvm_mmu_zap_all_fast': m.kvm.zapAllFast(); return null;
    case 'kvm_flush_remote_tlbs': m.kvm.flushRemoteTlbs(); return null;
    case 'kvm_mmu_reset_context': m.kvm.resetContext(v); return null;
    case 'kvm_mmu_unload': m.kvm.unload(v); return null;
    case 'svm_flush_tlb_current':
      if (m.cfg.vmx) return 'svm_flush_tlb_current needs cpu=svm';
      m.kvm.svmFlushTlbCurrent(v); return null;
    case 'svm_flush_tlb_all':
      if (m.cfg.vmx) return 'svm_flush_tlb_all needs cpu=svm';
      m.kvm.svmFlushTlbAll(v); return null;
    case 'hyperv_flush_guest_mapping': {
      const as = arg === 'root' || arg === null ? v.rootPfn : Math.floor(arg / 4096);
      if (as < 0) return 'hyperv_flush_guest_mapping root: the vCPU has no root loaded';
      if (!m.kvm.hypervFlushGuestMapping(as)) return 'hyperv_flush_guest_mapping: -ENOTSUPP (host=bare has no Hyper-V)';
      return null;
    }
    case 'kvm_tdp_mmu_zap_invalidated_roots': m.tdp.zapInvalidatedRoots(); return null;
    case 'rcu_barrier': {
      const n = m.mem.drainRcu();
      m.tr.emit('rcu_barrier', `${n} pages back to the L1 allocator`);
      return null;
    }
  }
  return `unknown kernel function ${String(fn)}`;
}
