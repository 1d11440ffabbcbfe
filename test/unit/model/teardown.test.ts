// `teardown`: kvm_mmu_notifier_release -> kvm_mmu_zap_all, then kvm_destroy_vm -> kvm_mmu_destroy per
// vCPU (kvm_mmu_unload + the page caches), as read in mmu.c (WSL2 5.15, jepio tree) and tdp_mmu.c.
import { strict as assert } from 'node:assert';
import { BUG, run } from '../run/helpers';

const body = ['memslot ram gpa 0 size 64K', 'read 0x1000', 'teardown', 'checkpoint "gone"'];

describe('model: VM teardown', () => {
  it('legacy MMU: one flush from kvm_mmu_zap_all (exit) and one from kvm_mmu_unload (destroy)', () => {
    // kvm_mmu_zap_all: the loaded root has root_count 1, so __kvm_mmu_prepare_zap_page unlinks its
    // children onto the invalid list and leaves it invalid -> commit_zap -> kvm_flush_remote_tlbs (1).
    // kvm_mmu_destroy -> kvm_mmu_unload -> kvm_mmu_free_roots: root_count 0 and invalid -> prepare_zap ->
    // commit_zap -> flush (2). The thread's histogram: "1+1 from exit and destroy".
    const r = run(`${BUG} tdp_mmu=off`, body, { trace: true });
    const flushes = r.trace.filter((e) => e.fn === 'kvm_flush_remote_tlbs').map((e) => e.path.includes('kvm_mmu_notifier_release') ? 'exit' : e.path.includes('kvm_destroy_vm') ? 'destroy' : 'other');
    assert.deepEqual(flushes, ['exit', 'destroy']);
    assert.equal(r.metrics['roots.live'], 0);
  });

  it('TDP MMU 6.2: kvm_tdp_mmu_zap_all and the unload flush nothing; every page goes back to the allocator', () => {
    // kvm_tdp_mmu_zap_all: "A TLB flush is unnecessary ... KVM_RUN is unreachable". kvm_tdp_mmu_put_root
    // (6.2): the last put of a valid root queues its zap; kvm_mmu_uninit_tdp_mmu flushes the workqueue and
    // the root is freed by call_rcu: no kvm_flush_remote_tlbs anywhere, no hypercall.
    const r = run(`${BUG} fix=none`, body, { trace: true });
    assert.ok(!r.trace.some((e) => e.fn === 'kvm_flush_remote_tlbs'));
    assert.equal(r.metrics.hypercalls, 0);
    assert.equal(r.metrics['roots.live'], 0);
    assert.ok(r.trace.some((e) => e.fn === 'mmu_free_memory_caches' && e.detail.startsWith('36 ')), 'the 40-page cache less the root and 3 tables');
  });

  it('TDP MMU 5.17 (the 5.15 tdp_mmu.c): kvm_tdp_mmu_zap_all flushes each removed table, then once more', () => {
    // WSL2 5.15 kvm_tdp_mmu_zap_all: kvm_tdp_mmu_zap_gfn_range(0, -1) -> zap_gfn_range(shared=false) sets
    // the one present root SPTE (the 4K read's PDPT) to 0 -> handle_removed_tdp_mmu_page recurses into
    // the PD and the PT and ends each with kvm_flush_remote_tlbs_with_address(base_gfn,
    // KVM_PAGES_PER_HPAGE(level + 1)): PT 512 pages, PD 512^2, PDPT 512^3. Under Hyper-V the first two
    // are list hypercalls (1 and 128 entries of HV_MAX_FLUSH_PAGES); the PDPT's 65536 entries pass
    // HV_MAX_FLUSH_REP_COUNT, so hyperv_fill_flush_guest_mapping_list returns -ENOSPC and that flush
    // falls back to kvm_flush_remote_tlbs (a space hypercall). flush = true -> one more
    // kvm_flush_remote_tlbs. The "KVM_RUN is unreachable" no-flush version came later (6.x). At destroy
    // the root is still valid with one reference: 5.17's last put zaps an empty tree, no flush.
    const r = run(`${BUG} kernel=5.17`, body, { trace: true });
    const under = (fn: string, top: string) => r.trace.filter((e) => e.fn === fn && e.path.includes(top)).length;
    assert.equal(under('kvm_flush_remote_tlbs_with_address', 'kvm_tdp_mmu_zap_all'), 3);
    assert.equal(under('kvm_flush_remote_tlbs', 'kvm_tdp_mmu_zap_all'), 2, 'the PDPT range fallback and the final flush');
    assert.equal(under('kvm_flush_remote_tlbs', 'kvm_destroy_vm') + under('kvm_flush_remote_tlbs_with_address', 'kvm_destroy_vm'), 0);
    assert.deepEqual([r.metrics['hypercalls.flush_list'], r.metrics['hypercalls.flush_space']], [2, 2]);
    assert.equal(r.metrics['roots.live'], 0);
  });

  it('nothing runs after teardown: a guest statement or a memslot ioctl fails the run', () => {
    const r = run(BUG, [...body, 'read 0x1000']);
    assert.equal(r.passed, false);
    assert.match(r.failures[0].message, /torn down/);
  });
});
