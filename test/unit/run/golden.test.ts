// Golden tests for every validation target of model.md ("Validation targets"), each
// asserted from the domain reference's mechanism, not from the model's own output.
import { strict as assert } from 'node:assert';
import { BUG, churn, compare, compileAll, run, smmChurn } from './helpers';
import { runScenario } from '../../../src/core/run/index';
import { readFileSync } from 'node:fs';
import { hypercallsByPath } from '../../../src/cli/commands/byPath';

describe('golden: the recycled-root bug and its fixes (domain §6, §7)', () => {
  // With the per-vCPU mmu_shadow_page_cache (mmu_cache=on, pageCache.ts) a root and its 3 tables come
  // from a cache refilled 40 at a time below 5 (kvm_mmu_topup_memory_cache), freed pages go to the
  // allocator, so a freed root re-enters the cache at the bottom of a refill and comes out ~35 pages
  // later: 8 zaps (32 pages) never recycle one, 32 zaps do. That is the kernel's behaviour, not the
  // model's artefact; QEMU's boot does hundreds.
  const N = 32;
  it('6.2 + TDP MMU + eTLB + LIFO memslot churn: stale uses, blame names the recycled root', () => {
    const r = run(BUG, churn(N));
    assert.ok(r.metrics.stale > 0, 'stale uses occur');
    assert.ok(r.metrics['roots.recycled'] > 0, 'a root page came back as a root (nCR3 reuse, §2.2)');
    assert.equal(r.metrics.hypercalls, 0, 'the TDP MMU issues no flush hypercall on this path (§2.5)');
    assert.equal(r.passed, false, 'an unexpected stale use fails the run');
    const u = r.stale[0];
    const roles = u.blame.map((b) => b.role);
    assert.deepEqual(roles, ['fill', 'change', 'recycle']);
    const recycle = u.blame[2];
    assert.match(recycle.detail, /same page 0x[0-9a-f]+: recycled nCR3/);
    assert.equal(u.blame[1].text, 'memslot ram delete free', 'the change is the DELETE that invalidated the old root (§5 #1)');
    assert.equal(u.source, 'shadow', 'the stale translation came from L0\'s shadow[nCR3]');
  });

  it('the same SMM churn also recycles roots on 6.2 (defunct root freed, §2.4, §5 #14)', () => {
    const r = run(BUG, smmChurn(16));
    assert.ok(r.metrics.stale > 0);
    assert.equal(r.metrics['stale.divergent'], 0, 'same backing page: stale but not divergent');
  });

  for (const variant of ['fix=a', 'fix=b', 'kernel=6.3', 'kernel=6.4']) {
    it(`${variant}: no stale use on the same churn`, () => {
      const r = run(`${BUG} ${variant}`, churn(N));
      assert.equal(r.metrics.stale, 0);
      assert.equal(r.passed, true);
      assert.ok(r.metrics['hypercalls.flush_space'] > 0, 'the fix reaches L0 with HvCallFlushGuestPhysicalAddressSpace');
    });
  }

  for (const variant of ['tdp_mmu=off', 'enlightened_tlb=off', 'cpu=vmx', 'host=bare', 'kernel=5.17']) {
    it(`${variant}: no stale use on the same churn`, () => {
      const cfg = variant === 'host=bare' ? BUG.replace('enlightened_tlb=on', '') : BUG;
      const r = run(`${cfg} ${variant}`, churn(N));
      assert.equal(r.metrics.stale, 0);
      assert.equal(r.passed, true);
    });
  }

  it('fix b: hypercalls.flush_space == kvm_mmu_load count (each load ends in flush_tlb_current, §2.2, §4.2)', () => {
    const r = run(`${BUG} fix=b`, churn(N), { trace: true, traceLimit: 100000 });
    const loads = r.trace.filter((e) => e.fn === 'kvm_mmu_load').length;
    assert.equal(loads, 1 + N, 'the first entry and one after each zap');
    assert.equal(r.metrics['hypercalls.flush_space'], loads);
  });

  it('fix a: hypercalls.flush_space == tdp_mmu_alloc_sp count (flush only new roots, §4.3)', () => {
    const r = run(`${BUG} fix=a`, smmChurn(16), { trace: true, traceLimit: 100000 });
    const allocs = r.trace.filter((e) => e.fn === 'tdp_mmu_alloc_sp').length;
    assert.equal(allocs, r.metrics['roots.allocated']);
    assert.equal(r.metrics['hypercalls.flush_space'], allocs);
  });

  it('5.17 masks the bug with range flushes during the synchronous zap (§2.5)', () => {
    const r = run(`${BUG} kernel=5.17`, churn(N));
    assert.ok(r.metrics['hypercalls.flush_list'] > 0);
    assert.ok(r.metrics['roots.recycled'] > 0, 'roots are still recycled; the flushes hide it');
  });

  it('6.4 keeps roots across SMM transitions: two roots, no rebuild (§2.4, §6.3)', () => {
    const r = run(`${BUG} kernel=6.4`, smmChurn(10));
    assert.equal(r.metrics['roots.allocated'], 2);
    assert.equal(r.metrics['npf.l1'], 2);
    const r62 = run(`${BUG} fix=b`, smmChurn(10));
    assert.equal(r62.metrics['roots.allocated'], 21, 'before 6.4: a new root per transition plus the first');
  });
});

describe('golden: hypercall counts and ranking on a boot-like workload (§3.3, §6.3)', () => {
  const boot = readFileSync(new URL('../../../examples/boot-ranking.mmu', import.meta.url), 'utf8');
  const res = compare(boot);
  const point = (tdp: string, etlb: string, fix: string) => {
    const p = res.points.find((x) => x.config.tdp_mmu === tdp && x.config.enlightened_tlb === etlb && x.config.fix === fix);
    assert.ok(p, `point ${tdp}/${etlb}/${fix}`);
    return p;
  };

  it('the legacy MMU issues many flush hypercalls, the unfixed TDP MMU none (270 vs at most 3)', () => {
    assert.ok(point('off', 'on', 'none').metrics.hypercalls >= 10);
    assert.ok(point('on', 'on', 'none').metrics.hypercalls <= 3);
  });

  it('ranks legacy+eTLB fastest, legacy without eTLB second, TDP (fix a, fix b, eTLB off) slowest', () => {
    const legacyEtlb = point('off', 'on', 'none');
    const legacyNoEtlb = point('off', 'off', 'none');
    const tdp = [point('on', 'on', 'a'), point('on', 'on', 'b'), point('on', 'off', 'none')];
    assert.ok(legacyEtlb.passed && legacyNoEtlb.passed && tdp.every((p) => p.passed));
    assert.ok(legacyEtlb.timeUs < legacyNoEtlb.timeUs);
    for (const p of tdp) assert.ok(legacyNoEtlb.timeUs < p.timeUs);
    // "enlightened TLB makes minimal difference" for the TDP MMU
    const spread = Math.max(...tdp.map((p) => p.timeUs)) / Math.min(...tdp.map((p) => p.timeUs));
    assert.ok(spread < 1.05, `TDP points within 5% (${spread})`);
    // The cause is root churn: many more roots and L1 faults with the TDP MMU
    assert.ok(tdp[0].metrics['roots.allocated'] > 10 * legacyEtlb.metrics['roots.allocated']);
  });

  it('marks the unfixed TDP MMU with eTLB as not passed (stale), whatever its time', () => {
    const p = point('on', 'on', 'none');
    assert.equal(p.passed, false);
    assert.ok(p.metrics.stale > 0);
  });

  it('rank 1 is the fastest point and ranks are a permutation', () => {
    const ranks = res.points.map((p) => p.rank).sort((a, b) => a - b);
    assert.deepEqual(ranks, res.points.map((_, i) => i + 1));
    const first = res.points.find((p) => p.rank === 1)!;
    assert.ok(res.points.every((p) => p.timeUs >= first.timeUs));
  });
});

describe('golden: the cost of a TDP root rebuild emerges near the published figure (perf §1.6)', () => {
  it('6.3 vs 6.4 on a tiny guest: the extra cost per SMM transition is within 2x of Bonzini\'s ~42k cycles', () => {
    const body = ['memslot ram gpa 0 size 64K', 'touch 0 size 8K', 'repeat 50 {', '  smi', '  touch 0 size 8K', '  rsm', '  touch 0 size 8K', '}'];
    const rebuilt = run(`${BUG} kernel=6.3`, body).metrics.time_us;
    const kept = run(`${BUG} kernel=6.4`, body).metrics.time_us;
    const perTransition = ((rebuilt - kept) * 3000) / 100; // µs -> cycles at 3 GHz, 100 transitions
    assert.ok(perTransition > 21000 && perTransition < 84000, `${perTransition} cycles`);
  });
});

describe('golden: nested (L3) transitions (§5 #10, §4.3)', () => {
  const body = (n: number): string[] => ['memslot ram gpa 0 size 64K', 'read 0x1000', 'nested vmrun', 'read 0x2000', 'nested vmexit', 'read 0x1000',
    `repeat ${n} {`, '  nested vmrun', '  read 0x2000', '  nested vmexit', '  read 0x1000', '}'];

  it('fix b costs one hypercall per #VMEXIT and none per VMRUN once both roots exist', () => {
    // svm_flush_tlb_current (e5c972c1) asks svm_hv_is_enlightened_tlb_enabled, which reads the current
    // VMCB's enlightened_npt_tlb: set in vmcb01 by svm_hv_init_vmcb (init_vmcb), never in vmcb02
    // (nested_vmcb02_prepare_control copies no hv_enlightenments). The VMRUN's TLB_FLUSH_CURRENT runs on
    // vmcb02 (an ASID flush), the #VMEXIT's on vmcb01 (the hypercall).
    const a = run(`${BUG} fix=b`, body(5)).metrics['hypercalls.flush_space'];
    const b = run(`${BUG} fix=b`, body(15)).metrics['hypercalls.flush_space'];
    assert.equal(b - a, 10, '10 more round trips = 10 #VMEXITs = 10 hypercalls');
  });

  it('fix a costs none per transition', () => {
    const a = run(`${BUG} fix=a`, body(5)).metrics['hypercalls.flush_space'];
    const b = run(`${BUG} fix=a`, body(15)).metrics['hypercalls.flush_space'];
    assert.equal(b, a);
    // mmu_alloc_direct_roots -> kvm_tdp_mmu_get_vcpu_root_hpa -> tdp_mmu_alloc_sp for L2's root (fix a
    // flushes it); guest_mmu is indirect (kvm_init_shadow_npt_mmu), so mmu_alloc_shadow_roots ->
    // kvm_mmu_get_shadow_page builds L3's root and fix a, hooked in the TDP MMU only, never sees it.
    assert.equal(a, 1, 'only root_mmu\'s tdp_mmu_alloc_sp is flushed');
  });
});

describe('golden: findings — a kept, unloaded root edited by a remote-flushed path (docs/model.md finding 3)', () => {
  // §2.6: hv_remote_flush_tlb flushes only the roots vCPUs have loaded (hv_root_tdp). §3.1: a legacy root
  // stays in the hash while unloaded and comes back with the same nCR3. §4.1: before e5c972c1 the reload's
  // flush_tlb_current is ASID-only under eTLB, so nothing drops L0's entry for the unmapped gfn. §4.2: the
  // fix flushes vcpu->arch.mmu->root.hpa on every load / current flush, which covers it.
  const smm = ['memslot ram gpa 0 size 64K', 'write 0x1000 = 1', 'smi', 'read 0x1000', 'rsm', 'read 0x1000',
    'unmap 0x1000 size 4K', 'read 0x1000', 'smi', 'read 0x1000'];
  const nested = ['memslot ram gpa 0 size 64K', 'write 0x1000 = 1', 'nested vmrun', 'read 0x1000', 'nested vmexit',
    'read 0x1000', 'unmap 0x1000 size 4K', 'read 0x1000', 'nested vmrun', 'read 0x1000'];

  it('legacy MMU + eTLB: the smm root, unloaded when unmap ran, is reloaded with an ASID flush only: stale', () => {
    const r = run(`${BUG} tdp_mmu=off`, smm);
    assert.equal(r.metrics.stale, 1);
    assert.equal(r.metrics['roots.allocated'], 2, 'no page recycled: the same two legacy roots (§3.1)');
    assert.equal(r.metrics.hypercalls, 1, 'the unmap flush, for the loaded root only');
  });

  it('fix a: the guest_mmu root, kept while L2 runs, comes back on vmcb02, whose ASID flush drops the shadow: clean', () => {
    // The unmap's flush reaches the tracked L2 root only (§2.6) and fix a never flushes the kept L3 shadow
    // root, but the transition back to L3 runs TLB_FLUSH_CURRENT on vmcb02, which has no
    // enlightened_npt_tlb (svm_hv_init_vmcb sets it in vmcb01 only): L0 gives that ASID flush its
    // architectural meaning and drops shadow[G] (kvm.ts etlbActive; the per-VMCB reading is [U]).
    const r = run(`${BUG} fix=a`, nested);
    assert.equal(r.metrics.stale, 0);
    assert.equal(r.metrics['roots.allocated'], 2, 'fix a flushed the L2 root at tdp_mmu_alloc_sp; the L3 root is a shadow page');
  });

  for (const v of ['fix=b', 'kernel=6.3', 'kernel=6.4']) {
    it(`${v}: the reload's svm_flush_tlb_current hypercall covers both sequences`, () => {
      assert.equal(run(`${BUG} ${v} tdp_mmu=off`, smm).metrics.stale, 0);
      assert.equal(run(`${BUG} ${v}`, nested).metrics.stale, 0);
    });
  }
});

describe('golden: does fix a cover L3? (nested NPT is the shadow MMU)', () => {
  // kvm_init_shadow_npt_mmu gives guest_mmu an indirect root role, so kvm_mmu_load takes
  // mmu_alloc_shadow_roots -> kvm_mmu_get_shadow_page for L3 even with tdp_mmu=on (mmu.c). Fix a is a
  // flush in tdp_mmu_alloc_sp, so it never flushes an L3 root. It does not need to: L3 runs on vmcb02,
  // whose enlightened_npt_tlb is clear (svm_hv_init_vmcb sets it in vmcb01 only, and
  // nested_vmcb02_prepare_control copies none), so the L3 load's ASID flush keeps its architectural
  // meaning and L0 drops the recycled page's old shadow (the per-VMCB reading of the TLFS is [U]). The
  // unfixed kernel is stale only on L2 reads: a recycled L2 (TDP) root on vmcb01.
  const text = readFileSync(new URL('../../../examples/fix-a-l3.mmu', import.meta.url), 'utf8');
  const lines = text.split('\n');
  const open = lines.findIndex((l) => l.startsWith('scenario'));
  const body = lines.slice(open + 1, lines.findIndex((l) => l.includes('expect roots'))).map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  const cfg = 'host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on allocator=lifo';
  // body: 0 memslot, 1 write, 2 vmrun, 3 read, 4 repeat, 5 delete, 6 create, 7 read (L3), 8 vmexit, 9 read (L2), 10 vmrun
  const l2ReadLine = 2 + 9;

  it('fix a: no flush of its own for any L3 root, and clean: the L3 loads\' ASID flushes drop the shadow (vmcb02)', () => {
    const r = run(`${cfg} fix=a`, body, { trace: true, traceLimit: 1000000 });
    assert.equal(r.metrics.stale, 0);
    assert.ok(r.metrics['roots.recycled'] > 0, 'pages do come back as roots');
    assert.ok(!r.trace.some((e) => e.fn === 'tdp_mmu_alloc_sp' && e.detail.includes('guest_mode')), 'no TDP MMU guest-mode root with nested NPT');
    assert.ok(!r.trace.some((e) => e.fn === 'hyperv_flush_guest_mapping' && e.path.includes('mmu_alloc_shadow_roots')), 'fix a never flushes an L3 root');
    assert.ok(r.trace.some((e) => e.fn === 'asid_flush' && e.detail.includes('vmcb02 has no enlightened_npt_tlb')));
  });

  it('unfixed 6.2: stale, and only on L2 reads (recycled TDP roots on vmcb01)', () => {
    const r = run(`${cfg} fix=none`, body);
    assert.ok(r.metrics.stale > 0);
    assert.ok(r.stale.every((u) => u.line === l2ReadLine), JSON.stringify(r.stale.map((u) => u.line)));
  });

  for (const v of ['fix=b', 'kernel=6.3', 'kernel=6.4']) {
    it(`${v}: clean`, () => {
      assert.equal(run(`${cfg} ${v}`, body).metrics.stale, 0);
    });
  }
});

describe('golden: the boot histogram by call path (the thread\'s stack histogram)', () => {
  // Expected structure from the kernel paths, not counts (examples/boot-histogram.mmu):
  // - pflash DELETE in SMM: kvm_mmu_zap_all_fast -> kvm_zap_obsolete_pages finds the BSP's SMM root
  //   (role.smm=1, used by the BSP alone) in use, prepares its children only -> the commit flushes
  //   (kvm_mmu_commit_zap_page: list not empty). The BSP's next entry services
  //   KVM_REQ_MMU_FREE_OBSOLETE_ROOTS: its put is the root's last (mmu_free_root_page: root_count 0 and
  //   invalid) -> kvm_mmu_free_roots' own commit flushes. One of each per DELETE: 10 and 10.
  // - The AP ran once on the BSP's smm=0 root (hashed by role, so shared) and stays blocked holding it;
  //   the first zap makes it obsolete, and the AP's INIT (kvm_vcpu_reset -> kvm_mmu_reset_context ->
  //   kvm_mmu_unload) puts it last: one kvm_vcpu_reset commit flush, outside the 10:10 pair.
  // - THP split then COW: kvm_mmu_notifier_invalidate_range_start -> kvm_unmap_gfn_range zaps a leaf
  //   each time -> flush_on_ret: 2. khugepaged's collapse_huge_page invalidates the 2M range: the 4K
  //   leaves go (1 flush), the 4K table stays (kvm_zap_rmap, tdp_mmu_zap_leafs touch leaves only).
  // - smi/rsm: the legacy root stays in the hash with its tables, so the next 2M fault reaches
  //   mmu_set_spte's "overwrite a PTE page pointer with a 2MB PMD" (drop_parent_pte, flush) -> one
  //   range flush (the list hypercall). The TDP MMU <= 6.3 frees a root at its last reference
  //   (kvm_tdp_mmu_put_root), and only the BSP holds this one: the tree is rebuilt, the 2M fault
  //   replaces nothing, no tdp_mmu_map_handle_target_level row.
  // - exit: kvm_mmu_notifier_release -> kvm_mmu_zap_all commits the shadow pages (1); destroy:
  //   kvm_mmu_destroy -> kvm_mmu_unload frees the invalid roots still loaded (1).
  // - TDP MMU: roots and tables freed by call_rcu with no flush (domain §2.5), so only notifier rows.
  const text = readFileSync(new URL('../../../examples/boot-histogram.mmu', import.meta.url), 'utf8');
  const rowsFor = (tdp: string, kernel?: string) => {
    const r = runOne(text, tdp, kernel);
    // 6.2 + TDP MMU + eTLB + LIFO is the thread's failing configuration: the SMM transitions free the
    // BSP's roots with no flush reaching L0 and one comes back as a root (§6.2). Every other point is clean.
    if (tdp === 'on' && !kernel) assert.ok(r.metrics.stale > 0, 'the TDP boot hits the recycled-root bug');
    else assert.equal(r.passed, true, 'the boot runs clean');
    return hypercallsByPath(r.trace);
  };
  const runOne = (t: string, tdp: string, kernel?: string) => runScenario(compileAll(t)[0], { trace: true, traceLimit: 1_000_000, configOverrides: { tdp_mmu: tdp, ...(kernel ? { kernel } : {}) } });
  const find = (rows: ReturnType<typeof rowsFor>, ...frames: string[]) => rows.filter((r) => frames.every((f) => r.path.includes(f)));
  const flushes = (rows: ReturnType<typeof rowsFor>) => rows.reduce((n, r) => n + r.flushes, 0);

  it('legacy MMU: every row of the histogram from its own path; the two commit-zap rows pair 1:1', () => {
    const rows = rowsFor('off');
    const zap = find(rows, 'kvm_zap_obsolete_pages', 'kvm_mmu_commit_zap_page');
    const freeObs = find(rows, 'kvm_mmu_free_obsolete_roots', 'kvm_mmu_commit_zap_page');
    const reset = find(rows, 'kvm_vcpu_reset', 'kvm_mmu_commit_zap_page');
    const setSpte = find(rows, 'direct_map', 'mmu_set_spte');
    const notifier = rows.filter((r) => r.path.startsWith('kvm_mmu_notifier_invalidate_range_start >'));
    const khugepaged = find(rows, 'collapse_huge_page', 'kvm_mmu_notifier_invalidate_range_start');
    const exit = find(rows, 'kvm_mmu_notifier_release', 'kvm_mmu_zap_all');
    const destroy = find(rows, 'kvm_destroy_vm', 'kvm_mmu_unload');
    const named = { zap, freeObs, reset, setSpte, notifier, khugepaged, exit, destroy };
    for (const [name, r] of Object.entries(named)) assert.equal(r.length, 1, `one ${name} row`);
    assert.equal(rows.length, Object.keys(named).length, 'no other row (no dirty-logging row: the boot logs nothing)');
    assert.equal(zap[0].flushes, 10, 'one commit flush per pflash DELETE');
    assert.equal(freeObs[0].flushes, zap[0].flushes, '1:1: every zapped SMM root is the BSP\'s own and freed at its next entry');
    assert.equal(reset[0].flushes, 1, 'the AP\'s INIT frees the root it shared before the first zap');
    assert.equal(setSpte[0].flushes, 1, 'one 2M SPTE over the 4K table the collapse left');
    assert.equal(setSpte[0].space, 0, 'mmu_set_spte flushes a range: the list hypercall');
    assert.deepEqual([notifier[0].flushes, khugepaged[0].flushes, exit[0].flushes, destroy[0].flushes], [2, 1, 1, 1]);
    assert.ok(rows.every((r) => r.space + r.list > 0), 'every flush path reached L0');
  });

  it('TDP MMU (6.2, no L3): only the MMU-notifier rows', () => {
    const rows = rowsFor('on');
    assert.deepEqual(rows.filter((r) => !r.path.includes('kvm_mmu_notifier_invalidate_range_start >')), []);
    assert.equal(flushes(rows), 3, 'THP split, COW, khugepaged collapse');
  });

  it('TDP MMU: the 2M-over-table flush is there when the table survives (no SMM reset, or 6.4)', () => {
    // tdp_mmu_map_handle_target_level flushes when the old SPTE was a present non-leaf (a table):
    // without the SMI/RSM between collapse and fault, the BSP's root (and its table) survives on 6.2;
    // on 6.4 (edbdb43fc96b) the TDP MMU keeps its own reference on every valid root, so the SMM
    // unload does not free it either.
    const cfg = 'host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on allocator=lifo';
    const body = ['memslot ram gpa 0 size 8M hugepages', 'touch 0 size 4M', 'unmap 0x201000 size 4K', 'touch 0x200000 size 2M', 'collapse 0x200000'];
    const mapRow = (rs: ReturnType<typeof rowsFor>) => find(rs, 'kvm_tdp_mmu_map', 'tdp_mmu_map_handle_target_level');
    assert.equal(mapRow(hypercallsByPath(run(cfg, [...body, 'touch 0x200000 size 2M'], { trace: true, traceLimit: 1_000_000 }).trace)).length, 1, '6.2 without SMM: the table is replaced');
    assert.equal(mapRow(hypercallsByPath(run(cfg, [...body, 'smi', 'rsm', 'touch 0x200000 size 2M'], { trace: true, traceLimit: 1_000_000 }).trace)).length, 0, '6.2 with SMM: the tree was rebuilt');
    assert.equal(mapRow(rowsFor('on', '6.4')).length, 1, '6.4: the root survives the SMM unload');
  });
});
