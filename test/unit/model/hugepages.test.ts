// 2M SPTEs for `hugepages` memslots (hugepages.ts). Expected values come from reading the kernel:
// jepio/linux mmu.c (kvm_mmu_hugepage_adjust, __kvm_mmu_max_mapping_level, direct_map,
// mmu_set_spte, __link_shadow_page/drop_large_spte, kvm_mmu_zap_collapsible_spte,
// kvm_mmu_slot_try_split_huge_pages) and tdp_mmu.c (kvm_tdp_mmu_map, tdp_mmu_map_handle_target_level,
// tdp_mmu_split_huge_page, zap_collapsible_spte_range) for kernel=6.2+, WSL2 5.15 tdp_mmu.c
// (kvm_tdp_mmu_map, handle_removed_tdp_mmu_page, zap_collapsible_spte_range) for kernel=5.17.
import { strict as assert } from 'node:assert';
import { run } from '../run/helpers';

const HV = 'host=hyperv cpu=svm enlightened_tlb=on allocator=lifo';
const LEGACY = `${HV} kernel=6.2 tdp_mmu=off`;
const TDP62 = `${HV} kernel=6.2 tdp_mmu=on fix=b`;
const TDP517 = `${HV} kernel=5.17 tdp_mmu=on`;
type R = ReturnType<typeof run>;
/** The remote range flushes in order, as "gfns START+PAGES", with the call path of each. */
const rangeFlushes = (r: R) => r.trace.filter((e) => e.fn === 'kvm_flush_remote_tlbs_with_address').map((e) => ({ range: e.detail, path: e.path.join(' > ') }));
const SLOT = 'memslot ram gpa 0 size 4M hugepages';

describe('model: huge pages (2M SPTEs)', () => {
  it('a fault in a 2M-aligned hugepages slot maps 2M: one L1 fault for 512 pages; without `hugepages` 512', () => {
    // kvm_mmu_hugepage_adjust: max_level 2M is not cut by lpage_info (the region is inside a 2M-aligned
    // slot) and host_pfn_mapping_level finds a PMD-sized host page -> goal_level = 2M; direct_map /
    // kvm_tdp_mmu_map stop at level 2 with one SPTE for the 512 pages, so the other 511 accesses hit.
    for (const cfg of [LEGACY, TDP62, TDP517]) {
      assert.equal(run(cfg, [SLOT, 'touch 0 size 2M', 'expect ok']).metrics['npf.l1'], 1, cfg);
      assert.equal(run(cfg, ['memslot ram gpa 0 size 4M', 'touch 0 size 2M', 'expect ok']).metrics['npf.l1'], 512, cfg);
    }
  });

  it('4K where the code says 4K: a slot not 2M-aligned, a dirty-logged slot, and L3 (guest_mmu)', () => {
    // lpage_info: (base_gfn ^ userspace_addr) not 2M-aligned disallows 2M in the whole slot (the VMM's
    // memory is 2M-aligned here); kvm_mmu_hugepage_adjust returns at kvm_slot_dirty_track_enabled;
    // guest_mmu's FNAME(page_fault) is capped by L2's NPT level, 4K in the model.
    assert.equal(run(LEGACY, ['memslot ram gpa 0x100000 size 8M hugepages', 'touch 0x200000 size 2M']).metrics['npf.l1'], 512);
    assert.equal(run(LEGACY, [SLOT, 'memslot ram dirty_log on', 'touch 0 size 2M']).metrics['npf.l1'], 512);
    assert.equal(run(TDP62, [SLOT, 'nested vmrun', 'touch 0 size 2M', 'expect ok']).metrics['npf.l1'], 512);
  });

  it('legacy MMU, dirty log on/off: drop_large_spte on the first write, one flush per zapped 4K SPTE, then mmu_set_spte over the kept table', () => {
    // Enable: write-protect (the 2M SPTE too: walk_slot_rmaps from 4K to KVM_MAX_HUGEPAGE_LEVEL), no
    // eager split without the TDP MMU, unconditional flush of the 4M slot (1024 pages). The write to
    // gfn 1: goal 4K (dirty tracking); direct_map's kvm_mmu_get_child_sp + __link_shadow_page drops the
    // large SPTE with a flush of its 2M range. Disable: kvm_mmu_zap_collapsible_spte zaps gfn 1's 4K
    // SPTE; Hyper-V has the range hook, so it flushes that SPTE alone (kvm_flush_remote_tlbs_sptep). The
    // read of gfn 0 maps 2M again over the table that stayed linked: mmu_set_spte -> drop_parent_pte,
    // flush = true -> kvm_flush_remote_tlbs_gfn(gfn 0, 2M).
    const r = run(LEGACY, [SLOT, 'touch 0 size 2M write', 'memslot ram dirty_log on', 'write 0x1000 = 1', 'memslot ram dirty_log off', 'read 0x0', 'read 0x1000 == 1', 'expect ok'], { trace: true });
    assert.equal(r.passed, true);
    const f = rangeFlushes(r);
    assert.deepEqual(f.map((x) => x.range), ['gfns 0x0+1024', 'gfns 0x0+512', 'gfns 0x1+1', 'gfns 0x0+512']);
    assert.match(f[0].path, /kvm_mmu_slot_apply_flags > kvm_arch_flush_remote_tlbs_memslot$/);
    assert.match(f[1].path, /direct_map > link_shadow_page > drop_large_spte$/);
    assert.match(f[2].path, /kvm_rmap_zap_collapsible_sptes > kvm_mmu_zap_collapsible_spte$/);
    assert.match(f[3].path, /direct_map > mmu_set_spte$/);
  });

  it('legacy MMU: the table mmu_set_spte unlinked stays allocated until the next fast zap takes it', () => {
    // drop_parent_pte only unlinks the level-1 shadow page; it stays in active_mmu_pages, so
    // kvm_zap_obsolete_pages prepares it with the obsolete root's children: level-3 and level-2 tables
    // (the 2M SPTE has no table below it) plus the unlinked one = 3 pages on the invalid list.
    const body = [SLOT, 'touch 0 size 2M write', 'memslot ram dirty_log on', 'write 0x1000 = 1', 'memslot ram dirty_log off', 'read 0x0', 'memslot ram delete'];
    const commit = (b: string[]) => run(LEGACY, b, { trace: true }).trace.filter((e) => e.fn === 'kvm_mmu_commit_zap_page').map((e) => e.detail);
    assert.deepEqual(commit(body), ['3 pages']);
    assert.deepEqual(commit([SLOT, 'touch 0 size 2M write', 'memslot ram delete']), ['2 pages'], 'without the unlinked table');
  });

  it('TDP MMU 6.2: eager split on enable (no flush), no fault-path flush, and the collapse zaps the table with its own flush', () => {
    // kvm_mmu_slot_apply_flags -> kvm_mmu_slot_try_split_huge_pages (eager_page_split): the 2M SPTE
    // becomes a table of 512 read-write 4K SPTEs with no flush; write protection then the slot flush.
    // The writes fault on read-only 4K SPTEs of the same pfn: tdp_mmu_map_handle_target_level, no flush.
    // Disable: zap_collapsible_spte_range zaps the level-2 non-leaf SPTE (tdp_mmu_zap_spte_atomic
    // flushes its 2M range) and frees the table; the read maps 2M over a non-present SPTE: no flush.
    const r = run(TDP62, [SLOT, 'touch 0 size 2M write', 'memslot ram dirty_log on', 'touch 0 size 2M', 'touch 0 size 8K write', 'memslot ram dirty_log off', 'read 0x0', 'expect ok'], { trace: true });
    assert.equal(r.passed, true);
    assert.ok(r.trace.some((e) => e.fn === 'kvm_tdp_mmu_try_split_huge_pages' && e.detail === '1 2M SPTEs split (no flush)'));
    assert.equal(r.metrics['npf.l1'], 1 + 2 + 1, 'the 2M fault, the two writes after write protection, the 2M fault after the collapse; the reads hit the split table');
    const f = rangeFlushes(r);
    assert.deepEqual(f.map((x) => x.range), ['gfns 0x0+1024', 'gfns 0x0+512']);
    assert.match(f[1].path, /kvm_tdp_mmu_zap_collapsible_sptes > zap_collapsible_spte_range > tdp_mmu_zap_spte_atomic$/);
  });

  it('TDP MMU 5.17 (the 5.15 tree): no eager split; the write zaps the 2M SPTE with a flush; the collapse zaps leaves and flushes the slot; the 2M fault frees the table with a flush', () => {
    // 5.15 kvm_tdp_mmu_map: a large SPTE above the goal level -> tdp_mmu_zap_spte_atomic, which flushes
    // KVM_PAGES_PER_HPAGE(2M). zap_collapsible_spte_range zaps gfn 1's leaf (tdp_mmu_zap_spte_atomic:
    // 1 page) and returns flush -> kvm_arch_flush_remote_tlbs_memslot. The 2M SPTE over the kept table:
    // __handle_changed_spte -> handle_removed_tdp_mmu_page flushes KVM_PAGES_PER_HPAGE(level + 1) = 512.
    const r = run(TDP517, [SLOT, 'touch 0 size 2M write', 'memslot ram dirty_log on', 'write 0x1000 = 1', 'memslot ram dirty_log off', 'read 0x0', 'read 0x1000 == 1', 'expect ok'], { trace: true });
    assert.equal(r.passed, true);
    assert.ok(!r.trace.some((e) => e.fn === 'kvm_tdp_mmu_try_split_huge_pages'));
    const f = rangeFlushes(r);
    assert.deepEqual(f.map((x) => x.range), ['gfns 0x0+1024', 'gfns 0x0+512', 'gfns 0x1+1', 'gfns 0x0+1024', 'gfns 0x0+512']);
    assert.match(f[1].path, /kvm_tdp_mmu_map > tdp_mmu_zap_spte_atomic$/);
    assert.match(f[4].path, /kvm_tdp_mmu_map > handle_removed_tdp_mmu_page$/);
  });

  it('unmap of 4K inside a 2M page: the notifier zaps the whole 2M SPTE, the region is 4K from then on, the data stays', () => {
    // __split_huge_pmd invalidates the PMD's whole range before the 4K unmap: kvm_unmap_gfn_range zaps
    // the one 2M SPTE (1 SPTE, one flush_on_ret flush). Afterwards host_pfn_mapping_level finds PTEs:
    // 4K mappings, so touching the 2M region again takes 512 faults.
    for (const cfg of [LEGACY, TDP62]) {
      const r = run(cfg, [SLOT, 'write 0x1000 = 7', 'touch 0 size 2M', 'unmap 0x1000 size 4K', 'touch 0 size 2M', 'read 0x1000 == 7', 'expect ok'], { trace: true });
      assert.equal(r.passed, true, cfg);
      assert.deepEqual(r.trace.filter((e) => e.fn === 'kvm_unmap_gfn_range').map((e) => e.detail), ['1 leaf SPTEs zapped'], cfg);
      assert.equal(r.metrics['npf.l1'], 1 + 512, cfg);
    }
  });

  it('collapse (khugepaged): the notifier zaps the 4K leaves, the table stays, the next fault maps 2M over it with a range flush', () => {
    // collapse_huge_page invalidates [address, address + HPAGE_PMD_SIZE): kvm_unmap_gfn_range zaps the
    // region's 512 4K SPTEs (kvm_zap_rmap / tdp_mmu_zap_leafs: leaves only) with one flush_on_ret flush
    // and leaves the 4K table linked. host_pfn_mapping_level is 2M again, so the next fault maps 2M:
    // legacy mmu_set_spte finds a present non-large SPTE at level 2 (drop_parent_pte, flush = true ->
    // range flush of the 2M region); TDP tdp_mmu_map_handle_target_level finds a present non-leaf old
    // SPTE -> range flush. The copied page keeps its data (__collapse_huge_page_copy).
    for (const [cfg, fn] of [[LEGACY, 'mmu_set_spte'], [TDP62, 'tdp_mmu_map_handle_target_level']]) {
      const r = run(cfg, [SLOT, 'write 0x1000 = 7', 'touch 0 size 2M', 'unmap 0x1000 size 4K', 'touch 0 size 2M', 'collapse 0x3000', 'touch 0 size 2M', 'read 0x1000 == 7', 'expect ok'], { trace: true });
      assert.equal(r.passed, true, cfg);
      assert.deepEqual(r.trace.filter((e) => e.fn === 'kvm_unmap_gfn_range').map((e) => e.detail), ['1 leaf SPTEs zapped', '512 leaf SPTEs zapped'], cfg);
      assert.equal(r.metrics['npf.l1'], 1 + 512 + 1, `${cfg}: 2M, then 4K, then 2M again`);
      assert.equal(rangeFlushes(r).filter((f) => f.path.includes(fn)).length, 1, `${cfg}: one ${fn} flush`);
    }
  });

  it('collapse of a region the host already maps 2M does nothing; outside a hugepages slot it fails the statement', () => {
    // khugepaged collapses PTE-mapped ranges only (a PMD-mapped THP is skipped); it only works on THP-enabled memory.
    const r = run(LEGACY, [SLOT, 'touch 0 size 2M', 'collapse 0', 'expect ok'], { trace: true });
    assert.equal(r.trace.filter((e) => e.fn === 'kvm_unmap_gfn_range').length, 0);
    assert.equal(r.metrics.hypercalls, 0);
    const bad = run(LEGACY, ['memslot ram gpa 0 size 4M', 'collapse 0']);
    assert.equal(bad.passed, false);
    assert.match(bad.failures[0]!.message, /not backed by huge pages/);
  });

  it('a memslot delete with free gives the 2M page\'s 512 pages back; a re-created slot faults in a new 2M page', () => {
    // The backing is unmapped whole (munmap of the THP) and the next touch of the region faults in a
    // fresh 2M host page, so the fault maps 2M again: one fault.
    const r = run(TDP62, [SLOT, 'touch 0 size 2M', 'memslot ram delete free', SLOT, 'touch 0 size 2M', 'expect ok']);
    assert.equal(r.metrics['npf.l1'], 2);
  });

  it('finding 3 through the dirty-log collapse: the kept SMM root is zapped by the rmap walk, the flush reaches the loaded root only', () => {
    // kvm_mmu_zap_collapsible_spte walks the rmaps, so it zaps the 4K SPTEs of the kept, unloaded smm
    // root S too; each kvm_flush_remote_tlbs_sptep goes to hv_remote_flush_tlb_with_range, which
    // flushes the roots vCPUs have loaded (N). The next SMI finds S in the hash and kvm_mmu_load's
    // svm_flush_tlb_current is ASID-only before e5c972c1: L2 reads through the old shadow[S] entry.
    // 6.3 adds the hypercall for the loaded root there: clean.
    const body = [SLOT, 'memslot ram dirty_log on', 'smi', 'touch 0 size 8K write', 'rsm', 'touch 0 size 8K write', 'memslot ram dirty_log off', 'smi', 'read 0x0'];
    assert.equal(run(LEGACY, [...body, 'expect stale > 0']).metrics.stale, 1);
    assert.equal(run(`${HV} kernel=6.3 tdp_mmu=off`, body).metrics.stale, 0);
  });

  it('finding 3 through the khugepaged collapse: the notifier zaps the kept SMM root\'s 4K SPTEs, the flush reaches the loaded root only', () => {
    // collapse_huge_page's mmu_notifier_invalidate_range_start -> kvm_unmap_gfn_range walks the rmaps,
    // so it zaps the 4K SPTEs of the kept, unloaded smm root S as well; flush_on_ret's
    // kvm_flush_remote_tlbs -> hv_remote_flush_tlb flushes the roots vCPUs have loaded (N). The next SMI
    // finds S in the hash and kvm_mmu_load's ASID-only svm_flush_tlb_current (before e5c972c1) leaves
    // L0's shadow[S] entry: L2 reads the page the host replaced. 6.3 adds the hypercall: clean.
    const body = [SLOT, 'touch 0 size 2M', 'unmap 0x1000 size 4K', 'smi', 'touch 0 size 8K', 'rsm', 'touch 0 size 8K', 'collapse 0', 'smi', 'read 0x0'];
    assert.equal(run(LEGACY, [...body, 'expect stale > 0']).metrics.stale, 1);
    assert.equal(run(`${HV} kernel=6.3 tdp_mmu=off`, body).metrics.stale, 0);
  });
});
