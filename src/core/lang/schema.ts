// The vocabulary of the scenario language, in one place: the checker validates
// against it, hover and completion read their text from it, the model resolves
// configurations through it. Domain sections (§) refer to
// shared/reference/kvm-hyperv-domain.md.

export type ConfigKey =
  | 'host' | 'cpu' | 'kernel' | 'tdp_mmu' | 'enlightened_tlb' | 'fix' | 'flushbyasid'
  | 'allocator' | 'mmu_cache' | 'dirty_log_init_set' | 'vcpus' | 'tlb_entries' | 'seed' | 'l0_shadows' | 'schedule';

/** Config values as written (`on`, `6.2`, `1536`, `unlimited`). Explicitly set keys only. */
export type ConfigMap = Readonly<Partial<Record<ConfigKey, string>>>;

export interface SweepAxis {
  readonly key: ConfigKey;
  readonly values: readonly string[];
}

export interface ConfigKeySpec {
  readonly key: ConfigKey;
  /** Allowed words; empty when the value is a number. */
  readonly values: readonly string[];
  /** For numeric keys: inclusive bounds; `words` lists extra allowed words (`unlimited`). */
  readonly number?: { readonly min: number; readonly max: number };
  readonly default: string;
  readonly doc: string;
  /** Per-value docs for hover and completion. */
  readonly valueDocs?: Readonly<Record<string, string>>;
  /** Left out of a result's effective configuration while at its default (keys added after
   *  results were published: plain scenarios' results stay byte for byte what they were). */
  readonly omitDefault?: boolean;
}

export const CONFIG_KEYS: readonly ConfigKeySpec[] = [
  {
    key: 'host', values: ['bare', 'hyperv'], default: 'hyperv',
    doc: 'What runs below KVM: nothing (KVM is L0, `bare`) or Hyper-V (KVM is L1 and L2 runs on L0 shadows). Domain §1.1.',
    valueDocs: { bare: 'KVM runs on bare metal: its hpa is host physical, no L0 shadow exists.', hyperv: 'KVM is the L1 hypervisor on Hyper-V; L0 shadows L1\'s NPT/EPT per nCR3/EPTP (§1.3).' },
  },
  {
    key: 'cpu', values: ['svm', 'vmx'], default: 'svm',
    doc: 'AMD NPT (SVM) or Intel EPT (VMX). On VMX the local flush is INVEPT of the current EPTP, which L0 emulates by dropping that shadow (§1.4).',
    valueDocs: { svm: 'AMD SVM with NPT; nCR3 is the Hyper-V address-space ID (§1.2).', vmx: 'Intel VMX with EPT; `vmx_flush_tlb_current` is INVEPT single-context (§1.4).' },
  },
  {
    key: 'kernel', values: ['5.17', '6.2', '6.3', '6.4'], default: '6.2',
    doc: 'KVM behaviour of that release (§0, §2.3–§2.5, §4.2).',
    valueDocs: {
      '5.17': 'Pre-overhaul: synchronous zap of invalidated roots with a range flush per zapped SPTE; KVM_REQ_MMU_RELOAD unloads all roots (§2.3, §2.5).',
      '6.2': 'Post-overhaul, unfixed: async zap worker, no flush on root free; kvm_mmu_load flushes ASID only on SVM+eTLB — the bug (§2.5, §5 #3).',
      '6.3': 'With the upstream fix e5c972c1: svm_flush_tlb_current also issues HvCallFlushGuestPhysicalAddressSpace for the current root (§4.2).',
      '6.4': '6.3 plus edbdb43f: TDP MMU roots keep a reference of their own and survive unloads until invalidated (§2.4, §6.3).',
    },
  },
  {
    key: 'tdp_mmu', values: ['on', 'off'], default: 'on',
    doc: 'The kvm.tdp_mmu module parameter: the TDP MMU (§2) or the legacy hashed shadow-page MMU (§3).',
    valueDocs: { on: 'TDP MMU: roots by role with refcounts, async zap, freed through RCU (§2).', off: 'Legacy MMU: roots hashed by (gfn, role) and reused in place; every free goes through kvm_flush_remote_tlbs (§3).' },
  },
  {
    key: 'enlightened_tlb', values: ['on', 'off'], default: 'on',
    doc: 'With cpu=svm: Hyper-V\'s enlightened NPT TLB — ASID flushes no longer drop L0\'s nCR3-keyed shadow; only the flush hypercalls do (§1.3). With cpu=vmx: the guest-mapping flush hypercalls replace remote flushes (§1.4). No effect with host=bare.',
    valueDocs: { on: 'HV_X64_NESTED_ENLIGHTENED_TLB (SVM) / HV_X64_NESTED_GUEST_MAPPING_FLUSH (VMX) in use.', off: 'Architectural flush semantics: an ASID flush also drops the NPT-derived shadow (§1.3).' },
  },
  {
    key: 'fix', values: ['none', 'a', 'b'], default: 'none',
    doc: 'A patch on top of `kernel` (§4.3).',
    valueDocs: {
      none: 'No patch.',
      a: 'Paolo\'s proposal (a): hyperv_flush_guest_mapping(new root) right after tdp_mmu_alloc_sp() — flushes only newly allocated roots (§2.2, §4.3).',
      b: 'Proposal (b), what 6.3 merged: svm_flush_tlb_current issues the hypercall for the current root on every call (§4.2).',
    },
  },
  {
    key: 'flushbyasid', values: ['on', 'off'], default: 'on',
    doc: 'CPU feature FLUSHBYASID. Without it an ASID flush decrements asid_generation and the vCPU takes a new ASID at the next VMRUN (§4.4).',
  },
  {
    key: 'allocator', values: ['lifo', 'fifo', 'any'], default: 'lifo',
    doc: 'Order in which freed L1 pages are handed out again. LIFO makes the page of a just-freed root come back as the next root — the recycling behind the bug (§2.2, §7). `any`: every allocation is a choice (docs/explore.md).',
    valueDocs: {
      lifo: 'The last freed page comes back first.',
      fifo: 'The first freed page comes back first.',
      any: 'Every page allocation may hand out one fresh page or any page that is free now: an `explore` block searches every pick; a scenario pins them with `alloc next` (fresh when not pinned).',
    },
  },
  {
    key: 'mmu_cache', values: ['on', 'off'], default: 'on',
    doc: 'The per-vCPU mmu_shadow_page_cache KVM takes page-table pages from (kvm_mmu_topup_memory_cache: refilled to 40 pages when below 5; the last page allocated comes out first). Freed tables go back to `allocator=`, not to the cache.',
    valueDocs: { on: 'As the kernel: page tables come from the vCPU\'s cache, refilled from the allocator in batches of up to 40.', off: 'Every page table is taken straight from `allocator=` when KVM needs it (recycles a just-freed root far more often than the kernel).' },
  },
  {
    key: 'dirty_log_init_set', values: ['on', 'off'], default: 'off', omitDefault: true,
    doc: 'Whether the VMM enabled KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 with KVM_DIRTY_LOG_INITIALLY_SET (QEMU does when the kernel offers it). With it, enabling dirty logging on a memslot returns from kvm_mmu_slot_apply_flags before any split, write-protection or flush ("Initially-all-set does not require write protecting any page").',
    valueDocs: { on: 'As QEMU: `dirty_log on` changes no SPTE and flushes nothing (pages start dirty in the bitmap and are write-protected later by `memslot ID clear_dirty_log`).', off: 'The kernel\'s default: `dirty_log on` splits (TDP MMU, eager_page_split), write-protects the slot and flushes unconditionally.' },
  },
  { key: 'vcpus', values: [], number: { min: 1, max: 64 }, default: '1', doc: 'Number of vCPUs of the L2 VM (1..64).' },
  { key: 'tlb_entries', values: [], number: { min: 1, max: 1 << 20 }, default: '1536', doc: 'Capacity of the hardware TLB model (ASID-tagged, LRU).' },
  { key: 'seed', values: [], number: { min: 0, max: 2 ** 32 - 1 }, default: '1', doc: 'Seed of every random choice: a file and a seed give the same run, byte for byte.' },
  {
    key: 'l0_shadows', values: ['unlimited'], number: { min: 1, max: 1 << 16 }, default: 'unlimited',
    doc: 'How many address spaces (nCR3/EPTP) L0 keeps shadows for, least recently used dropped first. Hyper-V\'s real policy is not public [U]; `unlimited` is the worst case for stale state.',
  },
  {
    key: 'schedule', values: ['auto', 'explicit'], default: 'auto', omitDefault: true,
    doc: 'When deferred kernel work runs. `auto`: an RCU grace period ends before every statement and the zap worker runs when a statement returns. `explicit`: only the statements `rcu` and `zap_worker` run them (an `explore` block always uses explicit, docs/explore.md).',
    valueDocs: {
      auto: 'RCU callbacks before each statement, queued root zaps after it (docs/model.md).',
      explicit: 'RCU callbacks only at `rcu`, queued zaps of defunct roots only at `zap_worker` (the fast zap still waits for its own).',
    },
  },
];

export const CONFIG_BY_KEY: ReadonlyMap<string, ConfigKeySpec> = new Map(CONFIG_KEYS.map((s) => [s.key, s]));

/** Compare's default sweep when a scenario has none (language reference, Sweeps). */
export const DEFAULT_SWEEP: readonly SweepAxis[] = [
  { key: 'tdp_mmu', values: ['on', 'off'] },
  { key: 'enlightened_tlb', values: ['on', 'off'] },
];

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export const COMPARE_OPS: readonly CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];

export type MetricName =
  | 'stale' | 'stale.divergent' | 'failures' | 'hypercalls' | 'hypercalls.flush_space' | 'hypercalls.flush_list'
  | 'flushes.asid' | 'flushes.remote' | 'vmexits' | 'npf.l1' | 'npf.l0'
  | 'roots.allocated' | 'roots.live' | 'roots.invalid' | 'roots.recycled'
  | 'tlb.entries' | 'shadow.entries' | 'time_us';

export interface MetricSpec {
  readonly name: MetricName;
  readonly doc: string;
}

export const METRICS: readonly MetricSpec[] = [
  { name: 'stale', doc: 'Uses of a translation that L1\'s current tables do not back (the oracle, model.md).' },
  { name: 'stale.divergent', doc: 'Stale uses that reached a different page than the truth (not merely a translation L1 had removed).' },
  { name: 'failures', doc: 'Failed checks so far: `read ==`, `verify` mismatches, failed `expect` lines, and statements that could not run (`smi` in SMM, a `call` with no root).' },
  { name: 'hypercalls', doc: 'Flush hypercalls L1 issued to L0 (both kinds, §1.3).' },
  { name: 'hypercalls.flush_space', doc: 'HvCallFlushGuestPhysicalAddressSpace (0x00AF) calls: drop one address space\'s shadow on all processors (§1.3).' },
  { name: 'hypercalls.flush_list', doc: 'HvCallFlushGuestPhysicalAddressList (0x00B0) calls: drop GPA ranges of one address space (§1.3).' },
  { name: 'flushes.asid', doc: 'ASID flushes (TLB_CONTROL_FLUSH_ASID, FLUSH_ALL_ASID, or a new ASID) reaching the hardware TLB model (§4.4).' },
  { name: 'flushes.remote', doc: 'kvm_flush_remote_tlbs calls, including the range variant (§2.6).' },
  { name: 'vmexits', doc: 'Exits from L2 handled by L1 (nested exits, each an L2→L0→L1→L0→L2 round trip under Hyper-V).' },
  { name: 'npf.l1', doc: 'Nested page faults handled by L1 KVM (its tables lacked the translation; §5 #19).' },
  { name: 'npf.l0', doc: 'L0 shadow fills: L0 walked L1\'s tables to fill shadow[nCR3] (§1.3).' },
  { name: 'roots.allocated', doc: 'Roots allocated (tdp_mmu_alloc_sp or a new legacy root page, §2.2, §3.1).' },
  { name: 'roots.live', doc: 'Roots that exist now (valid or invalid, not yet freed).' },
  { name: 'roots.invalid', doc: 'Roots that are invalid (role.invalid / obsolete) but not yet freed.' },
  { name: 'roots.recycled', doc: 'Roots allocated on an L1 page that held a root before (§2.2: nCR3 reuse).' },
  { name: 'tlb.entries', doc: 'Entries in the hardware TLB model now.' },
  { name: 'shadow.entries', doc: 'Entries in all of L0\'s shadows now.' },
  { name: 'time_us', doc: 'The cost model\'s estimate of elapsed time in microseconds — an estimate, see docs/cost-model.md.' },
];

export const METRIC_NAMES: ReadonlySet<string> = new Set(METRICS.map((m) => m.name));

export type KernelFunction =
  | 'kvm_mmu_zap_all_fast' | 'kvm_flush_remote_tlbs' | 'kvm_mmu_reset_context' | 'kvm_mmu_unload'
  | 'svm_flush_tlb_current' | 'svm_flush_tlb_all' | 'hyperv_flush_guest_mapping'
  | 'kvm_tdp_mmu_zap_invalidated_roots' | 'rcu_barrier';

export interface KernelFunctionSpec {
  readonly name: KernelFunction;
  /** `none`: no argument; `address_or_root`: `ADDR` or the word `root`. */
  readonly arg: 'none' | 'address_or_root';
  readonly doc: string;
}

export const KERNEL_FUNCTIONS: readonly KernelFunctionSpec[] = [
  { name: 'kvm_mmu_zap_all_fast', arg: 'none', doc: 'Fast invalidate-all: toggle mmu_valid_gen, invalidate TDP roots and queue their zap, request KVM_REQ_MMU_FREE_OBSOLETE_ROOTS, zap obsolete legacy pages (§2.3).' },
  { name: 'kvm_flush_remote_tlbs', arg: 'none', doc: 'VM-wide flush: the Hyper-V hook (flush hypercall per loaded root) if it succeeds, else KVM_REQ_TLB_FLUSH to every vCPU (§2.6).' },
  { name: 'kvm_mmu_reset_context', arg: 'none', doc: 'Unload all roots (current and previous) and reinitialise the MMU; the next entry reloads (§5 #13, #14).' },
  { name: 'kvm_mmu_unload', arg: 'none', doc: 'Free all roots of the vCPU (root_mmu and guest_mmu) (§2.4).' },
  { name: 'svm_flush_tlb_current', arg: 'none', doc: 'SVM current-context flush: ASID only before e5c972c1; plus a hypercall for the current root after it or with fix b (§4.1, §4.2).' },
  { name: 'svm_flush_tlb_all', arg: 'none', doc: 'SVM flush-all: before e5c972c1 the same as flush_tlb_current; after it, hv_remote_flush_tlb then ASID flush (§4.2).' },
  { name: 'hyperv_flush_guest_mapping', arg: 'address_or_root', doc: 'Issue HvCallFlushGuestPhysicalAddressSpace for an address space (an nCR3 value, or `root` for the vCPU\'s current root) (§1.3).' },
  { name: 'kvm_tdp_mmu_zap_invalidated_roots', arg: 'none', doc: 'Wait for the TDP MMU zap workqueue: run every queued root zap now (§2.3).' },
  { name: 'rcu_barrier', arg: 'none', doc: 'Wait for RCU callbacks: pages freed through call_rcu go back to the L1 allocator now (§2.4).' },
];

export const KERNEL_FUNCTION_NAMES: ReadonlySet<string> = new Set(KERNEL_FUNCTIONS.map((f) => f.name));

/** Every statement keyword, with the hover text (what it models, which domain section). */
export const STATEMENT_DOCS: Readonly<Record<string, string>> = {
  scenario: 'A named scenario: one run of the model. `scenario "NAME" { ... }`.',
  config: 'Configuration: `config KEY=VALUE ...` — at file level or before a scenario\'s first other statement.',
  sweep: 'Configurations to compare: `sweep KEY=[v1, v2] ...`. Compare runs the cross product and ranks the points by estimated time.',
  memslot: 'KVM memslot ioctl (KVM_SET_USER_MEMORY_REGION): create, `delete [free]`, `move`, `dirty_log on|off`, `clear_dirty_log` (KVM_CLEAR_DIRTY_LOG). DELETE and MOVE run kvm_mmu_zap_all_fast (§5 #1).',
  unmap: 'Host MMU-notifier invalidation (swap, migration, THP split): kvm_unmap_gfn_range then kvm_flush_remote_tlbs via flush_on_ret (§5 #4).',
  collapse: 'Host khugepaged collapse of the 2M region at ADDR back into one huge page (collapse_huge_page): an MMU-notifier invalidation of the 2M range (kvm_unmap_gfn_range zaps the leaf SPTEs, keeps the tables, flushes via flush_on_ret, §5 #4), then the region is a 2M host page again, so the next fault maps 2M (§5 #17). Needs a `hugepages` memslot.',
  teardown: 'The VMM process exits: exit_mmap -> kvm_mmu_notifier_release -> kvm_mmu_zap_all (shadow pages zapped with one commit_zap flush; TDP roots zapped with none), then kvm_destroy_vm -> kvm_mmu_destroy per vCPU (kvm_mmu_unload, page caches freed). Nothing can run after it.',
  vcpu: 'Prefix: the guest statement runs on vCPU N (default 0). Before it the vCPU enters the guest: requests serviced in vcpu_enter_guest order, roots reloaded (§2.6).',
  read: 'L2 8-byte load: `read ADDR [== VALUE]`. The oracle compares the hardware path (TLB, L0 shadow, fills) with the truth (L1\'s current tables).',
  write: 'L2 8-byte store: `write ADDR = VALUE`, or per-page values over a range: `write ADDR size SIZE [pattern NAME]`.',
  verify: 'Load a range written with `write ... size ... pattern` back; every mismatch is a failure naming the page, expected and seen value.',
  touch: 'Bulk L2 accesses for workloads: `touch ADDR size SIZE [stride SIZE] [count N] [random] [write]`.',
  smi: 'SMI: enter SMM. KVM resets the MMU context, unloading all roots (§5 #14; root churn before 6.4, §6.3).',
  rsm: 'RSM: leave SMM. KVM resets the MMU context again (§5 #14).',
  cr4: 'CR4 write: `cr4 pge|pcide|smep on|off`, with the requests kvm_post_set_cr4 makes (§5 #7).',
  cr3: 'CR3 write: `cr3 VALUE [noflush]` — with TDP, kvm_invalidate_pcid requests KVM_REQ_TLB_FLUSH_GUEST (§5 #6).',
  nested: 'L2 runs (`vmrun`) or leaves (`vmexit`) its own guest L3: `nested vmrun [ncr3 ADDR]` / `nested vmexit`. nested_svm_transition_tlb_flush requests MMU_SYNC + TLB_FLUSH_CURRENT (§5 #10); a new `ncr3` (L3\'s nested CR3, default the previous one) switches guest_mmu roots via kvm_mmu_new_pgd / prev_roots (§5 #9).',
  avic: 'AVIC activation: avic_activate_vmcb requests KVM_REQ_TLB_FLUSH_CURRENT (§5 #11).',
  migrate: 'The vCPU moves to another physical CPU: pre_svm_run takes a new ASID generation (§4.4, §5 #12).',
  reset: 'vCPU RESET: kvm_vcpu_reset(init_event=false), run where the vCPU is blocked (pending requests are not serviced first). Leaves L3 and SMM; resets the MMU context (with KVM_REQ_TLB_FLUSH_GUEST) only if CR0.PG was set (§5 #13).',
  init: 'INIT signal: kvm_vcpu_reset(init_event=true), accepted where the vCPU is blocked (pending requests are not serviced first); latched while in SMM until RSM. Leaves L3; if CR0.PG was set, KVM_REQ_TLB_FLUSH_GUEST + kvm_mmu_reset_context; then KVM_REQ_TLB_FLUSH_GUEST for INIT (§5 #13).',
  cr0: 'CR0 write: `cr0 pg on|off`. PG is one of KVM_MMU_CR0_ROLE_BITS: a change resets the MMU context (kvm_post_set_cr0). The vCPU starts with paging on; `init`/`reset` clear it.',
  call: 'Run one modelled kernel function directly, where the VMM thread would: `call FUNCTION [ARG]`.',
  repeat: 'Run the block N times: `repeat N { ... }` (N up to 10^9; the run stays cancellable); `repeat N as i { ... }` names the iteration index (0..N-1).',
  for: 'Run the block once per value: `for NAME in [v1, v2, ...] { ... }` over numbers or memslot ids; `NAME` is usable inside.',
  let: 'A named constant: `let NAME = EXPR` at file or scenario level (`let base = 0x100000`).',
  checkpoint: 'Keep a full snapshot of the state here for the side panel: `checkpoint "LABEL"`.',
  expect: 'Assertion: `expect METRIC OP VALUE` or `expect ok` (no stale use and no failed check so far).',
  print: 'Write a metric\'s value to the run log: `print METRIC`.',
};
