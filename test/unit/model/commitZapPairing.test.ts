// How the legacy MMU's two commit-zap rows of the histogram pair (docs/model.md "Hypercalls by call
// path"). From the code (jepio mmu.c, WSL2 5.15 the same): kvm_zap_obsolete_pages prepares every
// obsolete page; a root still in use only loses its children, so that commit flushes when the root
// had children. The root itself is freed at its *last* put (mmu_free_root_page: --root_count == 0 and
// invalid -> kvm_mmu_prepare_zap_page), in the caller's own kvm_mmu_commit_zap_page, which flushes.
// The last put is __kvm_mmu_free_obsolete_roots at the user's next entry, or kvm_vcpu_reset's unload
// when the last user is INIT'ed while blocked. So the rows are 1:1 exactly when every zapped root had
// children and is put last by a vCPU that enters again; otherwise they differ, as below.
import { strict as assert } from 'node:assert';
import { run } from '../run/helpers';
import { hypercallsByPath } from '../../../src/cli/commands/byPath';

const LEGACY = 'host=hyperv cpu=svm kernel=6.2 tdp_mmu=off enlightened_tlb=on allocator=lifo';
const setup = ['memslot ram gpa 0 size 1M', 'memslot flash gpa 0x100000 size 64K', 'touch 0 size 64K'];
const zapOnce = ['memslot flash delete', 'memslot flash gpa 0x100000 size 64K'];
/** Flushes of the zap's commit, of kvm_mmu_free_obsolete_roots' commit and of kvm_vcpu_reset's commit. */
function rows(cfg: string, body: string[]): [number, number, number] {
  const r = run(cfg, body, { trace: true, traceLimit: 1_000_000 });
  const rs = hypercallsByPath(r.trace);
  const f = (frame: string) => rs.filter((x) => x.path.includes(frame) && x.path.includes('kvm_mmu_commit_zap_page')).reduce((n, x) => n + x.flushes, 0);
  return [f('kvm_zap_obsolete_pages'), f('kvm_mmu_free_obsolete_roots'), f('kvm_vcpu_reset')];
}

describe('model: pairing of the legacy commit-zap flushes', () => {
  it('one vCPU that enters after each zap: exactly 1:1', () => {
    const body = [...setup];
    for (let i = 0; i < 4; i++) body.push(...zapOnce, 'touch 0 size 64K');
    assert.deepEqual(rows(`${LEGACY} vcpus=1`, body), [4, 4, 0]);
  });

  it('an AP that shares the root and is INIT\'ed while blocked takes the first zap\'s root: zap = free-obsolete + reset', () => {
    // Both vCPUs hold the hashed root (root_count 2). After the first zap the BSP's put leaves 1: no
    // commit to do. Later zaps' roots are the BSP's alone. The AP's INIT puts the first root last.
    const body = [...setup, 'vcpu 1 touch 0 size 64K'];
    for (let i = 0; i < 3; i++) body.push(...zapOnce, 'touch 0 size 64K');
    body.push('vcpu 1 init');
    assert.deepEqual(rows(`${LEGACY} vcpus=2`, body), [3, 2, 1]);
  });

  it('churn inside SMM with the AP blocked: the BSP\'s SMM roots pair 1:1, the AP\'s INIT frees its shared root separately', () => {
    // OVMF writes variables from SMM. The BSP's SMM root (role.smm=1) is its own; the AP holds the
    // smm=0 root it shared before the SMI. Zap 1 makes both obsolete; both are in use, their children
    // go on one invalid list -> one commit flush. The BSP's next entry (in SMM) puts its SMM root last
    // -> its own commit flush. Zaps 2 and 3: the same for the BSP's new SMM root. The AP's root is put
    // last by its INIT (kvm_vcpu_reset): [3, 3, 1].
    const body = [...setup, 'vcpu 1 touch 0 size 64K', 'smi'];
    for (let i = 0; i < 3; i++) body.push('touch 0 size 64K', ...zapOnce);
    body.push('touch 0 size 64K', 'rsm', 'vcpu 1 init');
    assert.deepEqual(rows(`${LEGACY} vcpus=2`, body), [3, 3, 1]);
  });

  it('a zap that finds the in-use root without children commits nothing, but the root\'s free still flushes', () => {
    // `cr3` enters the guest (the obsolete root is freed, a new, empty root loaded) and maps nothing; the
    // second zap's invalid list is empty (kvm_mmu_commit_zap_page returns at list_empty), the BSP's
    // next entry then frees the empty root with a flush.
    const body = [...setup, ...zapOnce, 'cr3 0x1000', ...zapOnce, 'touch 0 size 64K'];
    assert.deepEqual(rows(`${LEGACY} vcpus=1`, body), [1, 2, 0]);
  });
});
