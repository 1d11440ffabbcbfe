// Breadth-first exploration: the shortest recycled-root counterexample and its absence with
// the fixes. Expected depths come from the kernel's order of events, not from the explorer:
//  - kvm_mmu_zap_all_fast (memslot DELETE) only invalidates root A and requests
//    KVM_REQ_MMU_FREE_OBSOLETE_ROOTS; A is freed at the vCPU's next entry
//    (kvm_mmu_free_obsolete_roots -> kvm_tdp_mmu_put_root -> call_rcu), which also loads a
//    new root B on a page that cannot be A's: A's page is still waiting for RCU.
//  - A's page returns to the allocator only after a grace period (the `rcu` move).
//  - A new root is allocated again only after B is invalidated (another DELETE, which needs the
//    slot re-created first) and the vCPU enters (a read): that allocation may get A's page
//    (allocator=any), and L0 still holds shadow[A] (6.2 + eTLB: svm_flush_tlb_current is
//    ASID-only, §4.1), so the read is served stale.
// So: delete, create, read, delete, rcu, read (or delete, read, rcu, create, delete, read) —
// 6 moves, none shorter. fix=b / 6.3 flush the current root with a hypercall on every
// kvm_mmu_load (svm_flush_tlb_current, e5c972c1); 6.4 also keeps roots referenced (edbdb43f).
import { strict as assert } from 'node:assert';
import { runExploration, type ExploreResult } from '../../../src/core/explore/index';
import { analyze } from '../../../src/core/lang/index';
import { runScenario } from '../../../src/core/run/index';
import { CHURN, exploration } from './helpers';
import { useGeneratedCopiers } from '../../../src/core/run/inPlace';

describe('explore: breadth-first search', function () {
  this.timeout(60000);
  let bug: Promise<ExploreResult> | null = null;
  const bugRun = (): Promise<ExploreResult> => (bug ??= runExploration(exploration(CHURN)));

  it('finds the shortest recycled-root stale use on 6.2 + TDP + eTLB with allocator=any: 6 moves', async () => {
    const r = await bugRun();
    assert.equal(r.verdict, 'violation');
    const c = r.counterexample!;
    assert.equal(c.steps.length, 6);
    assert.equal(c.violated, 'stale == 0');
    assert.deepEqual(c.steps.filter((s) => s.text === 'rcu').length, 1, 'one grace period returns the old root page');
    const last = c.steps[c.steps.length - 1]!;
    assert.equal(last.text, 'read 0x1000');
    assert.ok(last.picks.some((p) => p === 0x100000), 'the last load re-allocates the setup root\'s page (0x100000, the first L1 page)');
    assert.match(r.summary, /after 6 steps \(a shortest sequence/);
  });

  it('finds nothing within 5 moves (6 is the shortest)', async () => {
    const r = await runExploration(exploration(CHURN), { depth: 5 });
    assert.equal(r.verdict, 'clean');
    assert.equal(r.depth, 5);
    assert.match(r.summary, /^no stale use or failed check within depth 5 \([\d,]+ distinct states, 1 vCPU, 3 steps, depth 5\)$/);
  });

  it('hands back a scenario that replays the stale use with its blame chain', async () => {
    const r = await bugRun();
    const text = r.counterexample!.scenario;
    assert.match(text, /^# Counterexample from explore "churn" \(line 2\): breadth-first, a shortest sequence \(bounds: depth 6, 1 vCPU, 3 steps\)\./);
    assert.match(text, /\nconfig .*allocator=any.* schedule=explicit\n/);
    assert.match(text, /\n  rcu\n/);
    assert.match(text, /\n  alloc next 0x100000\n  read 0x1000\n  expect stale > 0\n\}\n$/);
    const a = analyze(text);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
    const run = runScenario(a.compiled.scenarios[0]!);
    assert.equal(run.passed, true, run.failures.map((f) => f.message).join('; '));
    assert.ok(run.metrics.stale > 0);
    assert.equal(run.metrics['roots.recycled'], 1);
    assert.deepEqual(run.stale[0]!.blame.map((b) => b.role), ['fill', 'change', 'recycle']);
    assert.deepEqual(r.counterexample!.stale.length, run.stale.length, 'the reported stale uses are the replay\'s');
  });

  const variants: Record<string, string>[] = [{ fix: 'b' }, { kernel: '6.3' }, { kernel: '6.4' }];
  for (const variant of variants) {
    it(`is clean within the same bounds with ${Object.entries(variant)[0]!.join('=')}`, async () => {
      const r = await runExploration(exploration(CHURN, variant));
      assert.equal(r.verdict, 'clean');
      assert.equal(r.depth, 6);
      assert.equal(r.counterexample, null);
      assert.ok(r.distinct > 10);
    });
  }

  it('reports how often each step was enabled and taken, with the added deferred-work moves', async () => {
    const r = await runExploration(exploration(CHURN), { depth: 2 });
    assert.deepEqual(r.steps.map((s) => [s.text, s.implicit]), [
      ['memslot ram delete free', false], ['memslot ram gpa 0 size 64K', false], ['read 0x1000', false], ['rcu', true], ['zap_worker', true],
    ]);
    const [del, create] = r.steps;
    // From the setup state the slot exists: delete is enabled, create is not (it would overlap).
    assert.ok(del!.enabled >= 1);
    assert.ok(create!.enabled >= 1, 'after a delete the create is enabled');
    for (const s of r.steps) assert.ok(s.taken >= s.enabled || s.enabled === 0);
  });

  it('is deterministic: the same file and bounds give the same result', async () => {
    const a = await runExploration(exploration(CHURN), { now: () => 0, depth: 4 });
    const b = await runExploration(exploration(CHURN), { now: () => 0, depth: 4 });
    assert.deepEqual(a, b);
  });

  it('gives the same result with generated restore copiers and with the generic path (where eval is blocked)', async () => {
    // The two ways run/inPlace.ts rewrites an object's fields must leave the same live state:
    // the whole search (counts, step statistics, the counterexample) must not tell them apart.
    const generated = await runExploration(exploration(CHURN), { now: () => 0 });
    useGeneratedCopiers(false);
    try {
      const generic = await runExploration(exploration(CHURN), { now: () => 0 });
      assert.deepEqual(generic, generated);
      assert.equal(generic.verdict, 'violation');
    } finally {
      useGeneratedCopiers(true);
    }
  });
});

describe('explore: fix (a) and L3', function () {
  this.timeout(60000);
  // Fix (a) adds hyperv_flush_guest_mapping after tdp_mmu_alloc_sp only, and L3's roots come from
  // the shadow MMU (guest_mmu, kvm_mmu_get_shadow_page), so fix (a) never flushes them. But L3 runs
  // on vmcb02, and the enlightened-TLB bit is set only on vmcb01 (svm_hv_init_vmcb is called from
  // init_vmcb alone; nested_vmcb02_prepare_control does not copy it; jepio/linux 6.4-era svm.c,
  // nested.c, svm_onhyperv.h). So in L3 kvm_mmu_load's ASID flush keeps its meaning and drops
  // shadow[nCR3]: a page recycled as an L3 root is not served stale ([U]: assumes Hyper-V honours
  // the bit per VMCB; docs/kernel-reference.md). An L2 root recycled from an L3 page is a new TDP
  // root, which fix (a) flushes.
  const L3 = CHURN.replace('    read 0x1000\n', '    read 0x1000\n    nested vmrun\n    nested vmexit\n');

  it('is clean with fix=a within depth 4 even when nested steps are allowed', async () => {
    const r = await runExploration(exploration(L3, { fix: 'a' }), { depth: 4 });
    assert.equal(r.verdict, 'clean');
    const vmrun = r.steps.find((st) => st.text === 'nested vmrun');
    assert.ok(vmrun && vmrun.taken > 0, 'the search did go into L3');
  });

  it('is clean with fix=a within the same depth without nested steps', async () => {
    const r = await runExploration(exploration(CHURN, { fix: 'a' }), { depth: 4 });
    assert.equal(r.verdict, 'clean');
  });
});
