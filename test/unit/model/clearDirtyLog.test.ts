// KVM_CLEAR_DIRTY_LOG (`memslot ID clear_dirty_log`, clearDirtyLog.ts). Expected values come from
// reading kvm_clear_dirty_log_protect (kvm_main.c patches against 6.x: per 64-page word, the bits that
// were set are cleared; any cleared -> flush = true and kvm_arch_mmu_enable_log_dirty_pt_masked; at the
// end one kvm_arch_flush_remote_tlbs_memslot when flush) and jepio mmu.c
// (kvm_arch_mmu_enable_log_dirty_pt_masked: with initially-all-set, TDP eager split of [start, end],
// 2M write-protect around start/end; then kvm_mmu_write_protect_pt_masked for the 4K SPTEs on SVM).
import { strict as assert } from 'node:assert';
import { run } from '../run/helpers';

const HV = 'host=hyperv cpu=svm enlightened_tlb=on allocator=lifo kernel=6.2';
const LEGACY = `${HV} tdp_mmu=off`;
const TDP = `${HV} tdp_mmu=on fix=b`;
type R = ReturnType<typeof run>;
const clearFlushes = (r: R) => r.trace.filter((e) => e.fn === 'kvm_flush_remote_tlbs_with_address' && e.path.includes('kvm_clear_dirty_log_protect')).length;
const wpDetail = (r: R) => r.trace.filter((e) => e.fn === 'kvm_arch_mmu_enable_log_dirty_pt_masked').map((e) => e.detail);

describe('model: KVM_CLEAR_DIRTY_LOG', () => {
  it('initially-all-set: the first clear flushes the slot even where nothing is mapped; a clear with no bit set flushes nothing', () => {
    // dirty_log on with KVM_DIRTY_LOG_INITIALLY_SET: kvm_prepare_memory_region sets every bit,
    // kvm_mmu_slot_apply_flags returns early (no write-protect, no flush). The first clear finds bits in
    // every word: flush = true, one memslot flush, though no page was ever mapped (0 SPTEs changed).
    // The second finds none: atomic_long_fetch_andnot leaves mask 0 everywhere, no flush.
    for (const cfg of [LEGACY, TDP]) {
      const r = run(`${cfg} dirty_log_init_set=on`, ['memslot ram gpa 0 size 1M', 'memslot ram dirty_log on', 'memslot ram clear_dirty_log', 'memslot ram clear_dirty_log', 'expect ok'], { trace: true });
      assert.equal(r.passed, true, cfg);
      assert.equal(clearFlushes(r), 1, cfg);
      assert.deepEqual(wpDetail(r), ['256 dirty bits cleared, 0 SPTEs write-protected', '0 dirty bits cleared, 0 SPTEs write-protected'], cfg);
    }
  });

  it('without initially-all-set only pages written since are dirty: their 4K SPTEs are write-protected, one flush', () => {
    // dirty_log on write-protects the slot (kvm_mmu_slot_remove_write_access) and flushes. Two write
    // faults then install writable 4K SPTEs, and make_spte marks both pages dirty
    // (mark_page_dirty_in_slot). The clear finds 2 bits, kvm_mmu_write_protect_pt_masked write-protects
    // the 2 SPTEs, one memslot flush; the next clear finds none.
    for (const cfg of [LEGACY, TDP]) {
      const r = run(cfg, ['memslot ram gpa 0 size 1M', 'touch 0 size 64K', 'memslot ram dirty_log on', 'touch 0 size 8K write', 'memslot ram clear_dirty_log', 'memslot ram clear_dirty_log', 'expect ok'], { trace: true });
      assert.deepEqual(wpDetail(r), ['2 dirty bits cleared, 2 SPTEs write-protected', '0 dirty bits cleared, 0 SPTEs write-protected'], cfg);
      assert.equal(clearFlushes(r), 1, cfg);
    }
  });

  it('initially-all-set over a 2M SPTE: legacy write-protects it at 2M (the first write drops it); the TDP MMU splits it first (no drop)', () => {
    // The 2M SPTE mapped before logging stays writable at enable (init-set). Legacy: the clear's
    // kvm_mmu_slot_gfn_write_protect(start, PG_LEVEL_2M) write-protects it; the next write faults, the
    // slot is dirty-logged so the fault maps 4K and __link_shadow_page drops the large SPTE with a range
    // flush (drop_large_spte). TDP 6.2 (eager_page_split): kvm_mmu_try_split_huge_pages splits it into
    // 512 writable 4K SPTEs with no flush, then kvm_tdp_mmu_clear_dirty_pt_masked write-protects all
    // 512 (every bit was set): the write faults on a 4K SPTE, nothing to drop.
    const body = ['memslot ram gpa 0 size 4M hugepages', 'touch 0 size 2M write', 'memslot ram dirty_log on', 'memslot ram clear_dirty_log', 'touch 0 size 4K write', 'expect ok'];
    const legacy = run(`${LEGACY} dirty_log_init_set=on`, body, { trace: true });
    assert.deepEqual(wpDetail(legacy), ['1024 dirty bits cleared, 1 SPTEs write-protected']);
    assert.equal(legacy.trace.filter((e) => e.fn === 'kvm_flush_remote_tlbs_with_address' && e.path.includes('drop_large_spte')).length, 1);
    const tdp = run(`${TDP} dirty_log_init_set=on`, body, { trace: true });
    assert.deepEqual(wpDetail(tdp), ['1024 dirty bits cleared, 512 SPTEs write-protected']);
    assert.equal(tdp.trace.filter((e) => e.fn === 'kvm_tdp_mmu_try_split_huge_pages').length, 1);
    assert.equal(tdp.trace.filter((e) => e.path.includes('tdp_mmu_zap_spte_atomic')).length, 0);
    assert.equal(clearFlushes(legacy) + clearFlushes(tdp), 2);
  });

  it('a slot that is not dirty-logged has no bitmap: the statement fails (-ENOENT)', () => {
    const r = run(LEGACY, ['memslot ram gpa 0 size 1M', 'memslot ram clear_dirty_log']);
    assert.equal(r.passed, false);
    assert.match(r.failures[0]!.message, /no dirty bitmap/);
  });
});
