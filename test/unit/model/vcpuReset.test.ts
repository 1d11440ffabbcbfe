// INIT vs RESET per kvm_vcpu_reset (x86.c, jepio/linux tree read): only a vCPU that had CR0.PG set
// gets KVM_REQ_TLB_FLUSH_GUEST + kvm_mmu_reset_context; INIT always requests KVM_REQ_TLB_FLUSH_GUEST;
// both run where the vCPU is blocked, so requests already pending are still pending.
import { strict as assert } from 'node:assert';
import { BUG, run } from '../run/helpers';

type R = ReturnType<typeof run>;
/** Trace functions of the body statement at index `i` (line 0 is `config`, line 1 `scenario`). */
const fns = (r: R, i: number): string[] => r.trace.filter((e) => e.line === i + 2).map((e) => e.fn);
const start = ['memslot ram gpa 0 size 64K', 'read 0x1000'];

describe('model: INIT and RESET (kvm_vcpu_reset)', () => {
  it('INIT with paging on: kvm_mmu_reset_context unloads the root; the next entry services TLB_FLUSH_GUEST and reloads', () => {
    // old_cr0 & X86_CR0_PG (a booted guest) -> KVM_REQ_TLB_FLUSH_GUEST + kvm_mmu_reset_context; then
    // init_event -> KVM_REQ_TLB_FLUSH_GUEST (the same bit). 6.2 TDP MMU: the unloaded root is defunct
    // (refcount 0), so the next entry allocates a new one.
    const r = run(`${BUG} fix=b`, [...start, 'init', 'read 0x1000'], { trace: true });
    assert.ok(fns(r, 2).includes('kvm_mmu_reset_context'));
    assert.ok(fns(r, 3).includes('kvm_vcpu_flush_tlb_guest'));
    assert.equal(r.metrics['roots.allocated'], 2);
  });

  it('INIT with paging off: no MMU reset, only INIT\'s KVM_REQ_TLB_FLUSH_GUEST; RESET with paging off: nothing', () => {
    // cr0 pg off: kvm_post_set_cr0 resets the context once (PG is a role bit). Then INIT sees old PG = 0:
    // the root loaded after the CR0 write stays, and only init_event's flush request is made.
    const init = run(`${BUG} fix=b`, [...start, 'cr0 pg off', 'read 0x1000', 'init', 'read 0x1000'], { trace: true });
    assert.ok(!fns(init, 4).includes('kvm_mmu_reset_context'));
    assert.ok(fns(init, 5).includes('kvm_vcpu_flush_tlb_guest'));
    assert.equal(init.metrics['roots.allocated'], 2, 'the first root and the one after the CR0.PG change');
    const reset = run(`${BUG} fix=b`, [...start, 'cr0 pg off', 'read 0x1000', 'reset', 'read 0x1000'], { trace: true });
    assert.ok(!fns(reset, 4).includes('kvm_mmu_reset_context'));
    assert.ok(!fns(reset, 5).includes('kvm_vcpu_flush_tlb_guest'), 'RESET makes no flush request when CR0.PG was 0');
  });

  it('INIT while KVM_REQ_MMU_FREE_OBSOLETE_ROOTS is pending: the obsolete legacy root is freed (and flushed) from kvm_vcpu_reset', () => {
    // Legacy MMU: memslot delete -> kvm_mmu_zap_all_fast: the in-use root is obsolete, the request pending.
    // INIT runs before any entry: kvm_mmu_reset_context -> kvm_mmu_unload -> kvm_mmu_free_roots(root_mmu)
    // -> root_count 0 and invalid -> prepare_zap -> that call's kvm_mmu_commit_zap_page -> flush. The
    // pending request then finds no obsolete root: kvm_mmu_free_obsolete_roots commits nothing.
    const r = run(`${BUG} tdp_mmu=off`, [...start, 'memslot ram delete', 'memslot ram gpa 0 size 64K', 'init', 'read 0x1000'], { trace: true });
    const commits = r.trace.filter((e) => e.fn === 'kvm_mmu_commit_zap_page');
    assert.ok(commits.some((e) => e.path.includes('kvm_vcpu_reset')), 'a commit_zap under kvm_vcpu_reset');
    assert.ok(!commits.some((e) => e.path.includes('kvm_mmu_free_obsolete_roots')));
    assert.ok(fns(r, 5).includes('kvm_mmu_free_obsolete_roots'), 'the request was still pending at the next entry');
  });

  it('INIT in SMM is latched and delivered after RSM; INIT in L3 leaves the nested guest first', () => {
    // kvm_apic_accept_events: INIT is blocked while is_smm (kvm_apic_init_sipi_allowed), so kvm_vcpu_reset
    // runs only after RSM. kvm_vcpu_reset: is_guest_mode -> kvm_leave_nested (back to root_mmu).
    const smm = run(`${BUG} fix=b`, [...start, 'smi', 'read 0x1000', 'init', 'read 0x1000', 'rsm', 'read 0x1000'], { trace: true });
    assert.ok(!fns(smm, 4).includes('kvm_vcpu_reset'));
    assert.ok(fns(smm, 6).includes('kvm_vcpu_reset'));
    const l3 = run(`${BUG} fix=b`, [...start, 'nested vmrun', 'read 0x2000', 'init', 'nested vmrun', 'read 0x2000'], { trace: true });
    assert.equal(l3.passed, true, 'after INIT the vCPU is in L2 again, so `nested vmrun` is valid');
    assert.ok(fns(l3, 4).includes('svm_leave_nested'));
  });
});

describe('model: SMI while L3 runs (svm_enter_smm / svm_leave_smm)', () => {
  it('the SMI leaves L3 first and RSM re-enters it; `nested vmexit` inside SMM has nothing to leave', () => {
    // svm_enter_smm: is_guest_mode -> nested_svm_simple_vmexit (SVM_EXIT_SW), so SMM runs L2's SMM code on
    // root_mmu; emulator_leave_smm -> svm_leave_smm -> enter_svm_guest_mode puts the vCPU back in L3.
    const body = [...start, 'nested vmrun', 'read 0x2000', 'smi', 'read 0x1000', 'checkpoint "smm"', 'rsm', 'read 0x2000', 'nested vmexit', 'read 0x1000'];
    const r = run(`${BUG} fix=b`, body, { trace: true });
    assert.equal(r.passed, true, r.failures.map((f) => f.message).join('; '));
    assert.ok(fns(r, 4).includes('svm_enter_smm'));
    assert.ok(fns(r, 7).includes('svm_leave_smm'));
    const smm = r.snapshots.find((s) => s.label === 'smm')!.roots.filter((x) => x.loadedBy.length > 0);
    assert.deepEqual(smm.map((x) => x.role), ['4-level smm'], 'in SMM the vCPU runs root_mmu with the smm role, not an L3 root');
    const bad = run(`${BUG} fix=b`, [...start, 'nested vmrun', 'read 0x2000', 'smi', 'nested vmexit']);
    assert.match(bad.failures[0]?.message ?? '', /not running L3/);
  });
});
