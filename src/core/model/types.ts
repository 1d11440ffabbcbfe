// KVM's per-VM and per-vCPU objects the model keeps (domain §2.1, §3.1, §7).

/** Role bits (kvm_mmu_page_role subset; level is always 4 here). */
export const ROLE_SMM = 1;
export const ROLE_GUEST_MODE = 2;
/** role.direct = 0: a shadow page of guest_mmu, shadowing L2's NPT for L3 (kvm_init_shadow_npt_mmu). */
export const ROLE_INDIRECT = 4;

export function roleText(role: number): string {
  return `4-level ${role & ROLE_SMM ? 'smm' : '!smm'}${role & ROLE_GUEST_MODE ? ' guest_mode' : ''}${role & ROLE_INDIRECT ? ' !direct' : ''}`;
}

/** A root kvm_mmu_page (TDP MMU root or legacy hashed root). Child tables live in its tree. */
export interface MmuPage {
  readonly id: number;
  readonly pfn: number;
  readonly tdp: boolean;
  readonly role: number;
  /** The guest PGD the root shadows (§5 #9: guest_mmu roots are keyed by (role, pgd)): L2's nCR3 for L3
   *  for guest-mode roots, 0 for root_mmu's direct roots. */
  readonly pgd: number;
  /** tdp_mmu_root_count (TDP) or root_count (legacy). */
  refcount: number;
  /** role.invalid (TDP) / obsolete or invalid (legacy). */
  invalid: boolean;
  freed: boolean;
  /** Legacy mmu_valid_gen at creation. */
  readonly gen: number;
  readonly createdOp: number;
  /** Op of the allocation that made this page a root before, -1 if first time. */
  readonly recycledFromOp: number;
  invalidatedOp: number;
  freedOp: number;
  /** An async zap work item is queued for it. */
  zapQueued: boolean;
  blamed: boolean;
}

/** Per-vCPU request bits, serviced in vcpu_enter_guest order (domain §2.6). */
export const REQ_MMU_RELOAD = 1;            // <= 5.17 (§2.3)
export const REQ_FREE_OBSOLETE_ROOTS = 2;
export const REQ_MMU_SYNC = 4;
export const REQ_LOAD_MMU_PGD = 8;
export const REQ_TLB_FLUSH = 16;
export const REQ_TLB_FLUSH_CURRENT = 32;
export const REQ_TLB_FLUSH_GUEST = 64;

/** Which MMU implementation builds an MMU context's roots, picked when the context is initialised
 *  (mmu.c, jepio/linux and WSL2 5.15 read): kvm_mmu_load -> mmu_alloc_direct_roots when
 *  root_role.direct, which takes kvm_tdp_mmu_get_vcpu_root_hpa when tdp_mmu_enabled, else
 *  mmu_alloc_root -> kvm_mmu_get_shadow_page; an indirect context (guest_mmu, set up by
 *  kvm_init_shadow_npt_mmu for nested NPT) always takes mmu_alloc_shadow_roots -> mmu_alloc_root
 *  -> kvm_mmu_get_shadow_page, whatever tdp_mmu says. 'shadow' = the hashed shadow-page MMU. */
export type MmuImplKind = 'tdp' | 'shadow';

export interface MmuCtx {
  readonly name: 'root_mmu' | 'guest_mmu';
  readonly impl: MmuImplKind;
  /** root_role.direct: root_mmu with NPT is direct; guest_mmu (nested NPT) is not. */
  readonly direct: boolean;
  root: MmuPage | null;
  /** prev_roots (KVM_MMU_NUM_PREV_ROOTS = 3). */
  prev: (MmuPage | null)[];
}

export interface Vcpu {
  readonly id: number;
  readonly rootMmu: MmuCtx;
  /** The MMU for L3 (nested NPT): always the shadow MMU with an indirect, guest_mode role. */
  readonly guestMmu: MmuCtx;
  guestMode: boolean;
  /** The nCR3 L2 put in its VMCB for L3 (an L2 GPA), last given by `nested vmrun ncr3`; 0 initially. */
  ncr3: number;
  smm: boolean;
  requests: number;
  /** Physical CPU it runs on; migrate moves it. */
  pcpu: number;
  /** current_vmcb->cpu and ->asid_generation (§4.4). */
  vmcbCpu: number;
  asidGen: number;
  asid: number;
  /** Pending VMCB tlb_ctl = FLUSH_ASID, applied at the next VMRUN. */
  tlbCtlFlush: boolean;
  /** vcpu->arch.hv_root_tdp: last loaded root pfn, -1 = INVALID_PAGE (§2.6). */
  hvRootTdp: number;
  /** mmu_shadow_page_cache: pfns of allocated pages not yet used as tables, objects[0..nobjs). */
  readonly pageCache: number[];
  /** CR0.PG: a booted guest runs with paging on; INIT/RESET clear it (kvm_vcpu_reset). */
  cr0Pg: boolean;
  /** The SMI arrived while L3 ran: svm_enter_smm left guest mode; RSM re-enters it (svm_leave_smm). */
  smmFromGuest: boolean;
  /** An INIT that arrived in SMM: kvm_apic_accept_events leaves it pending until RSM. */
  initLatched: boolean;
  cr4Pge: boolean;
  cr4Pcide: boolean;
  cr4Smep: boolean;
  /** TLB tag (pcpu << 12 | asid), kept current for the hot path. */
  tag: number;
  /** Interned L0 shadow index of the current nCR3/EPTP, -1 without a root. */
  asIdx: number;
  /** Current root pfn, -1 without a root. */
  rootPfn: number;
  rootId: number;
}

/** kvm_mmu_create + init_kvm_tdp_mmu (root_mmu) / kvm_init_shadow_npt_mmu (guest_mmu): each context
 *  gets its implementation once here, and everything after dispatches on it. */
export function newVcpu(id: number, tdpMmuEnabled: boolean): Vcpu {
  return {
    id,
    rootMmu: { name: 'root_mmu', impl: tdpMmuEnabled ? 'tdp' : 'shadow', direct: true, root: null, prev: [null, null, null] },
    guestMmu: { name: 'guest_mmu', impl: 'shadow', direct: false, root: null, prev: [null, null, null] },
    guestMode: false, ncr3: 0, smm: false, requests: 0, pcpu: id, vmcbCpu: -1, asidGen: 0, asid: 0, tlbCtlFlush: false,
    hvRootTdp: -1, pageCache: [], cr0Pg: true, smmFromGuest: false, initLatched: false, cr4Pge: false, cr4Pcide: false, cr4Smep: false, tag: 0, asIdx: -1, rootPfn: -1, rootId: -1,
  };
}

export function currentMmu(v: Vcpu): MmuCtx { return v.guestMode ? v.guestMmu : v.rootMmu; }
/** The pgd the current MMU's root must match: the L3 nCR3 in guest mode, 0 for root_mmu (direct). */
export function currentPgd(v: Vcpu): number { return v.guestMode ? v.ncr3 : 0; }
export function currentRole(v: Vcpu): number { return (v.smm ? ROLE_SMM : 0) | (v.guestMode ? ROLE_GUEST_MODE | ROLE_INDIRECT : 0); }
