// kvm_mmu_free_obsolete_roots / kvm_mmu_unload: one kvm_mmu_free_roots per MMU context, each with its
// own kvm_mmu_commit_zap_page (jepio/linux and WSL2 5.15 mmu.c), and nested NPT as the shadow MMU.
import { strict as assert } from 'node:assert';
import { BUG, run } from '../run/helpers';

const body = ['memslot ram gpa 0 size 64K', 'read 0x1000', 'nested vmrun', 'read 0x2000', 'memslot ram delete', 'memslot ram gpa 0 size 64K', 'read 0x2000'];
const commits = (r: ReturnType<typeof run>) => r.trace.filter((e) => e.fn === 'kvm_mmu_commit_zap_page').map((e) => e.path.slice(-2).join(' > '));

describe('model: one commit_zap per MMU context', () => {
  it('legacy MMU: zap_all_fast commits once, then free_obsolete_roots commits for root_mmu and for guest_mmu', () => {
    // kvm_mmu_zap_all_fast -> kvm_zap_obsolete_pages: both roots are in use (root_count 1), so
    // __kvm_mmu_prepare_zap_page unlinks their children onto the invalid list and leaves the roots
    // invalid -> one kvm_mmu_commit_zap_page -> kvm_flush_remote_tlbs (1). At the next entry
    // __kvm_mmu_free_obsolete_roots(root_mmu): N's root_count hits 0 while invalid -> prepare_zap ->
    // that kvm_mmu_free_roots' commit -> flush (2); then the same for guest_mmu's G (3).
    const r = run(`${BUG} tdp_mmu=off fix=none`, body, { trace: true, traceLimit: 100000 });
    assert.equal(r.metrics['flushes.remote'], 3);
    assert.deepEqual(commits(r).slice(1), ['kvm_mmu_free_obsolete_roots > kvm_mmu_free_roots', 'kvm_mmu_free_obsolete_roots > kvm_mmu_free_roots']);
    const frees = r.trace.filter((e) => e.fn === 'kvm_mmu_free_roots').map((e) => e.detail);
    assert.deepEqual(frees, ['root_mmu', 'guest_mmu']);
  });

  it('TDP MMU: root_mmu\'s root goes to call_rcu (empty invalid list, no flush); guest_mmu\'s shadow root is committed with a flush', () => {
    // mmu_free_root_page: is_tdp_mmu_page(N) -> kvm_tdp_mmu_put_root (no invalid list entry), so
    // root_mmu's kvm_mmu_commit_zap_page has nothing to do; guest_mmu's G is a shadow page
    // (kvm_init_shadow_npt_mmu) -> prepare_zap -> commit -> kvm_flush_remote_tlbs. Plus the zap's one.
    const r = run(`${BUG} fix=none`, body, { trace: true, traceLimit: 100000 });
    assert.equal(r.metrics['flushes.remote'], 2);
    assert.ok(r.trace.some((e) => e.fn === 'call_rcu' && e.path.includes('kvm_mmu_free_obsolete_roots')));
    // hv_remote_flush_tlb flushes the tracked root: G (vCPU 0 last loaded it, svm_load_mmu_pgd).
    assert.equal(r.metrics['hypercalls.flush_space'], 2);
  });

  it('kvm_mmu_unload with both MMUs holding valid shadow roots frees nothing: root_count drops, the roots stay hashed', () => {
    // mmu_free_root_page: --root_count, and kvm_mmu_prepare_zap_page only if role.invalid: valid roots
    // stay in the hash, so neither kvm_mmu_free_roots has an invalid list and neither flushes.
    const r = run(`${BUG} tdp_mmu=off`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'nested vmrun', 'read 0x2000', 'call kvm_mmu_unload', 'checkpoint "unloaded"']);
    assert.equal(r.metrics['flushes.remote'], 0);
    const roots = r.snapshots.find((s) => s.label === 'unloaded')!.roots;
    assert.deepEqual(roots.map((x) => [x.state, x.refcount]).sort(), [['valid', 0], ['valid', 0]]);
  });
});
