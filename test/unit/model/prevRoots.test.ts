// guest_mmu's prev_roots (domain §2.1: KVM_MMU_NUM_PREV_ROOTS = 3, so 4 roots with the current one)
// and kvm_mmu_new_pgd / fast_pgd_switch (§5 #9) when L2 gives L3 a different nCR3 on VMRUN.
import { strict as assert } from 'node:assert';
import { BUG, run } from '../run/helpers';

const A = 0x10000, B = 0x20000, C = 0x30000, D = 0x40000, E = 0x50000;
const hx = (n: number): string => `0x${n.toString(16)}`;

/** One L3 run on nCR3 `ncr3`: VMRUN, an L3 access (the entry loads or swaps the root), #VMEXIT, an L2 access. */
const l3 = (ncr3: number): string[] => [`nested vmrun ncr3 ${hx(ncr3)}`, 'read 0x2000', 'nested vmexit', 'read 0x1000'];
const start = ['memslot ram gpa 0 size 64K', 'read 0x1000'];

const rootsAt = (r: ReturnType<typeof run>, label: string) => {
  const s = r.snapshots.find((x) => x.label === label);
  assert.ok(s, `snapshot ${label}`);
  return s.roots;
};
const pgdSwitches = (r: ReturnType<typeof run>): string[] =>
  r.trace.filter((e) => e.fn === 'fast_pgd_switch' && e.detail !== '').map((e) => e.detail.split(':')[0]!);

describe('model: guest_mmu prev_roots and fast_pgd_switch (domain §2.1, §5 #9)', () => {
  it('A, B, A: the third VMRUN reuses A\'s root from prev_roots (hit, no new root)', () => {
    const r = run(`${BUG} fix=b`, [...start, ...l3(A), ...l3(B), `nested vmrun ncr3 ${hx(A)}`, 'read 0x2000', 'checkpoint "A again"'], { trace: true });
    // Guest-mode roots are keyed by (role, pgd): A and B need one root each; the second A is a
    // cached_root_find_and_keep_current hit. Plus root_mmu's root for L2: 1 + 2 = 3, not 4.
    assert.equal(r.metrics['roots.allocated'], 3);
    // First VMRUN: no guest root yet (miss without current); B: miss (A goes to prev_roots); A: hit.
    assert.deepEqual(pgdSwitches(r), ['miss', 'miss', 'hit']);
    assert.ok(r.trace.some((e) => e.fn === 'cached_root_find_and_keep_current'));
    assert.ok(r.trace.some((e) => e.fn === 'kvm_mmu_new_pgd'));
    const guest = rootsAt(r, 'A again').filter((x) => x.role.includes('guest_mode'));
    // A is current (loaded by vCPU 0); B sits in prev_roots: valid, not loaded, not freed.
    assert.deepEqual(guest.map((x) => [x.state, x.loadedBy.length]).sort(), [['valid', 0], ['valid', 1]]);
    assert.equal(r.metrics['stale'], 0);
  });

  it('the same nCR3 again (or none) takes the unchanged path: no kvm_mmu_new_pgd switch', () => {
    const r = run(`${BUG} fix=b`, [...start, ...l3(A), ...l3(A), 'nested vmrun', 'read 0x2000'], { trace: true });
    assert.deepEqual(pgdSwitches(r), ['miss'], 'only the first VMRUN (0 -> A) switches');
    assert.equal(r.metrics['roots.allocated'], 2);
  });

  for (const kernel of ['6.2', '6.4']) {
    it(`${kernel}: a 5th distinct nCR3 pushes the LRU root (A) out of prev_roots; A stays in the shadow hash and is found again`, () => {
      // 3 prev roots + the current one = 4 (§2.1): after A..D, the switch to E drops A through
      // kvm_mmu_free_roots(KVM_MMU_ROOT_CURRENT) -> mmu_free_root_page. guest_mmu roots are shadow pages
      // (kvm_init_shadow_npt_mmu, whatever tdp_mmu says), so that is --root_count: 0, and role.invalid
      // is clear, so no kvm_mmu_prepare_zap_page: A stays valid in the hash, not loaded. The later VMRUN
      // on A misses prev_roots (A left it) but kvm_mmu_load -> mmu_alloc_root -> kvm_mmu_get_shadow_page
      // finds A by (gfn = nCR3, role): no new page, on either kernel (6.4's edbdb43f is TDP MMU only).
      const r = run(`${BUG} ${kernel === '6.2' ? 'fix=b' : 'kernel=6.4'}`, [...start, ...l3(A), ...l3(B), ...l3(C), ...l3(D), 'checkpoint "four"', ...l3(E), 'checkpoint "five"',
        ...l3(B), 'checkpoint "B"', ...l3(A)], { trace: true });
      const four = rootsAt(r, 'four').filter((x) => x.role.includes('guest_mode'));
      assert.equal(four.length, 4);
      assert.ok(four.every((x) => x.state === 'valid' && x.mmu === 'legacy'), 'four shadow-page roots: current + 3 prev');
      const aLine = Math.min(...four.map((x) => x.createdLine)); // A's root was created first
      const aAfter = rootsAt(r, 'five').find((x) => x.role.includes('guest_mode') && x.createdLine === aLine)!;
      assert.deepEqual([aAfter.state, aAfter.refcount, aAfter.loadedBy], ['valid', 0, []]);
      assert.equal(rootsAt(r, 'five').filter((x) => x.role.includes('guest_mode') && x.state === 'valid').length, 5);
      // B is a prev_roots hit, A a prev_roots miss that the hash satisfies: 1 (L2) + A..E = 6.
      assert.deepEqual(pgdSwitches(r), ['miss', 'miss', 'miss', 'miss', 'miss', 'hit', 'miss']);
      assert.equal(r.metrics['roots.allocated'], 6);
      // e5c972c1 (fix b, 6.4): L2's kvm_mmu_load, then per l3() the #VMEXIT's flush only: the VMRUN's
      // (or the L3 load's) runs on vmcb02, where svm_hv_is_enlightened_tlb_enabled is false. Nothing was
      // freed, so no commit_zap flush.
      assert.equal(r.metrics['hypercalls.flush_space'], 1 + 7);
    });
  }

  it('fix b: every #VMEXIT costs one hypercall, no VMRUN does, whether the nCR3 switch hits or misses', () => {
    // Hit: KVM_REQ_LOAD_MMU_PGD and no flush of its own (force_flush_and_sync_on_reuse is off);
    // nested_svm_transition_tlb_flush's TLB_FLUSH_CURRENT would be a hypercall with fix b (§5 #10, §4.2),
    // but it runs on vmcb02, whose enlightened_npt_tlb is clear (svm_hv_init_vmcb sets it in vmcb01 only),
    // so svm_hv_is_enlightened_tlb_enabled is false: an ASID flush. Miss: kvm_mmu_load, also on vmcb02.
    // The #VMEXIT back to vmcb01: one hypercall each.
    const n = 5;
    const r = run(`${BUG} fix=b`, [...start, ...l3(A), ...l3(B), `repeat ${n} {`, ...l3(A), ...l3(B), '}']);
    // L2's root load (1) + 2 #VMEXITs before the loop + 2 per iteration.
    assert.equal(r.metrics['hypercalls.flush_space'], 1 + 2 + 2 * n);
    assert.equal(r.metrics['roots.allocated'], 3);
    assert.equal(r.metrics['stale'], 0);
  });
});
