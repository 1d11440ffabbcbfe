// State fingerprints: equal for equal states reached in different orders, different when
// only the allocator's pick differs, blind to counters and blame.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Expander, fingerprint } from '../../../src/core/explore/index';
import { FingerprintCache } from '../../../src/core/explore/fingerprint';
import { tableStamps } from '../../../src/core/model/memory';
import { runStep } from '../../../src/core/explore/moves';
import { exploration } from './helpers';

const TWO = `config host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on
explore "two" {
  config vcpus=2 allocator=any
  memslot ram gpa 0 size 64K
  vcpu 0 read 0x1000
  vcpu 1 read 0x1000
  steps {
    vcpu 0 smi
    vcpu 1 smi
    memslot ram delete free
    memslot ram gpa 0 size 64K
    vcpu 0 read 0x2000
  }
}
`;

function stateAfter(ex: Expander, moves: [number, number[]][]): [number, number] {
  const enc: number[] = [];
  for (const [step, picks] of moves) enc.push(step, picks.length, ...picks);
  const snap = ex.materialize(enc, 0, enc.length);
  ex.session.restore(snap);
  return fingerprint(ex.session.m, ex.scope, 0);
}

/** The state at the end of `moves` (encoded), live in a fresh Expander's session, with an empty table cache. */
function atNode(moves: number[]) {
  const ex = new Expander(exploration(TWO));
  const node = ex.materialize(moves, 0, moves.length);
  const s = ex.session;
  s.restoreInPlace(node);
  return { ex, node, s, cache: new FingerprintCache() };
}

describe('explore: state fingerprints', () => {
  it('are equal for the same state reached in different orders', () => {
    // Both vCPUs share root A (kvm_tdp_mmu_get_vcpu_root_hpa reuses it, refcount 2). Each SMI
    // resets that vCPU's MMU context (kvm_mmu_reset_context -> kvm_mmu_unload -> put_root): after
    // both, A's refcount is 0 whichever went first, so it is a defunct root with its zap queued
    // (6.2 kvm_tdp_mmu_put_root) and both vCPUs are in SMM with no root: the same state.
    const ex = new Expander(exploration(TWO));
    const ab = stateAfter(ex, [[0, []], [1, []]]);
    const ba = stateAfter(ex, [[1, []], [0, []]]);
    assert.deepEqual(ab, ba);
    const a = stateAfter(ex, [[0, []]]);
    assert.notDeepEqual(a, ab, 'one SMI is a different state from two');
  });

  it('differ when only the allocator\'s pick differs', () => {
    // After `delete free` the backing page of gfn 1 is free at once (the host unmaps it), while
    // the old tables wait for RCU (call_rcu). The read of gfn 2 then allocates five pages (the
    // root, tables, the backing page): each may be a fresh page or the free one. Which page ends
    // up where is future-relevant (a recycled page aliases its old mappings).
    const ex = new Expander(exploration(TWO));
    const snap = ex.materialize([2, 0, 3, 0], 0, 4);
    ex.session.restore(snap);
    assert.deepEqual(ex.session.m.mem.freePages(), [0x101], 'one page free: gfn 1\'s old backing');
    const fps: string[] = [];
    const picks: string[] = [];
    for (const script of [[], [1], [0, 0, 0, 0, 1]]) {
      ex.session.restore(snap);
      const ch = runStep(ex.session, ex.exp.steps[4]!, script);
      assert.equal(ch.options.length, 5, 'five allocations');
      picks.push(ch.pages.join(','));
      fps.push(fingerprint(ex.session.m, ex.scope, 0).join(':'));
    }
    assert.equal(new Set(picks).size, 3, 'three different allocation orders');
    assert.equal(new Set(fps).size, 3, 'three different fingerprints');
  });

  it('ignore counters and blame: the same state after more hypercalls and exits is equal', () => {
    const ex = new Expander(exploration(TWO));
    const base = stateAfter(ex, []);
    ex.session.restore(ex.materialize([], 0, 0));
    const m = ex.session.m;
    m.ctr.vmexits += 5; m.ctr.hcSpace += 3; m.op = 42;
    assert.deepEqual(fingerprint(m, ex.scope, 0), base);
  });

  it('with the table cache equal the full walk, after steps that leave the tables alone and steps that change them', () => {
    // From the state after `delete free; create`: an SMI (kvm_mmu_reset_context unloads the
    // roots, no SPTE written: every table's stamp unchanged, cached hashes reused), a read of
    // gfn 2 (kvm_tdp_mmu_map installs SPTEs: the tables it wrote get new stamps), a delete
    // (zaps). Whatever the path, the fingerprint must be the one the full walk gives.
    const { ex, node, s, cache } = atNode([2, 0, 3, 0]);
    assert.deepEqual(fingerprint(s.m, ex.scope, 0, cache), fingerprint(s.m, ex.scope, 0), 'at the node');
    const seen = new Set<string>();
    for (const step of [0, 1, 4, 2, 0, 4]) {
      s.restoreInPlace(node);
      runStep(s, ex.exp.steps[step]!, []);
      const cached = fingerprint(s.m, ex.scope, 0, cache);
      assert.deepEqual(cached, fingerprint(s.m, ex.scope, 0), `after step ${step}`);
      seen.add(cached.join(':'));
    }
    assert.equal(seen.size, 4, 'four different states (two steps repeated)');
    assert.ok(cache.hits > 0, 'some tables came from the cache (the SMIs)');
    assert.ok(cache.misses > 0, 'some were rehashed (the read and the delete)');
  });

  it('with the table cache differ when a step rewrote a table the node had', () => {
    // The read of gfn 2 writes a leaf into the node's last-level table: its stamp moves on, so
    // the cached hash of that table must not be used — the fingerprint differs from the node's.
    const { ex, s, cache } = atNode([]);
    const base = fingerprint(s.m, ex.scope, 0, cache);
    const gen = (s.m.mem as unknown as { ptGen: number }).ptGen;
    runStep(s, ex.exp.steps[4]!, []);
    assert.ok((s.m.mem as unknown as { ptGen: number }).ptGen > gen, 'the read wrote SPTEs');
    assert.notDeepEqual(fingerprint(s.m, ex.scope, 0, cache), base);
  });

  it('rehash only the tables a step wrote (table stamps), counted', () => {
    // After the setup both vCPUs run on root A: its four tables (PML4, PDPT, PD, PT:
    // kvm_tdp_mmu_map allocates one per level on the first fault, tdp_mmu_alloc_sp) map gfn 1.
    // `vcpu 0 read 0x2000` faults on gfn 2, in the same 2M region: kvm_tdp_mmu_map walks the
    // three upper levels (present) and installs one 4K SPTE in the PT (tdp_mmu_map_handle_target_level):
    // one table written, so one table rehashed and three taken from the cache. An SMI writes
    // no SPTE (kvm_mmu_reset_context only drops the vCPU's roots): nothing rehashed.
    const { ex, node, s, cache } = atNode([]);
    fingerprint(s.m, ex.scope, 0, cache);
    assert.deepEqual([cache.hits, cache.misses], [0, 4], 'the first fingerprint walks the four tables');
    runStep(s, ex.exp.steps[4]!, []);
    cache.hits = 0; cache.misses = 0;
    fingerprint(s.m, ex.scope, 0, cache);
    assert.deepEqual([cache.hits, cache.misses], [3, 1], 'the read wrote the PT only');
    s.restoreInPlace(node);
    runStep(s, ex.exp.steps[0]!, []);
    cache.hits = 0; cache.misses = 0;
    fingerprint(s.m, ex.scope, 0, cache);
    assert.deepEqual([cache.hits, cache.misses], [4, 0], 'the SMI (after a restore, in a sibling) wrote none');
  });

  it('with the table cache kept across siblings and restores: the same as without it over a whole exploration', () => {
    // Siblings write the same table differently after one restore each; a stamp names one
    // content only if no write path skips setSpte and no restore reuses a stamp. Expanding the
    // same frontier with and without the cache must report the same fingerprints.
    const exp = exploration(TWO);
    const withCache = new Expander(exp), without = new Expander(exp);
    (without as unknown as { fpCache: FingerprintCache }).fpCache = new FingerprintCache(false);
    let paths = Int32Array.from([0]);
    for (let depth = 0; depth < 3; depth++) {
      const a = withCache.expandChunk(paths), b = without.expandChunk(paths);
      assert.deepEqual([...a.data], [...b.data], `depth ${depth}`);
      // Next frontier: every child as a path (parent moves + its move).
      const next: number[] = [];
      let i = 0, p = 0;
      while (i < paths.length) {
        const moves = paths[i]!; let end = i + 1;
        for (let k = 0; k < moves; k++) end += 2 + paths[end + 1]!;
        const prefix = Array.from(paths.subarray(i + 1, end));
        const children = a.data[p++]!;
        for (let c = 0; c < children; c++) { const len = a.data[p + 3]!; next.push(moves + 1, ...prefix, ...a.data.subarray(p + 4, p + 4 + len)); p += 4 + len; }
        i = end;
      }
      paths = Int32Array.from(next);
    }
    assert.equal(without.fpCache.hits, 0);
    assert.ok(withCache.fpCache.misses < without.fpCache.misses / 2, `fewer than half the tables walked (${withCache.fpCache.misses} of ${without.fpCache.misses})`);
  });

  it('table stamps: no model file writes the arena except through setSpte (a store that skipped it would keep a stale stamp)', () => {
    // The stamp names a table's content only if every SPTE store takes a new one. Scan the
    // sources for direct stores into the arena (index assignment, fill, set) outside memory.ts.
    const dir = join(__dirname, '../../../src/core');
    const files: string[] = [];
    const walk = (d: string): void => { for (const f of readdirSync(d, { withFileTypes: true })) { if (f.isDirectory()) walk(join(d, f.name)); else if (f.name.endsWith('.ts')) files.push(join(d, f.name)); } };
    walk(dir);
    const offenders = files.filter((f) => !f.endsWith(join('model', 'memory.ts')) && /arena\[[^\n;]*?\]\s*=[^=]|arena\.(fill|set|copyWithin)\(/.test(readFileSync(f, 'utf8')));
    assert.ok(files.length > 20, 'the sources were found');
    assert.deepEqual(offenders, []);
  });

  it('table stamps: a replay of the same move from the same state re-takes its stamps, anything after it gets fresh ones', () => {
    // The explorer re-runs a node's last move before each child (expand.ts toNode). The read of
    // gfn 2 writes the PT (one SPTE); re-run from the same state after replayFrom(mark) it
    // writes the same entry in the same order, so the PT gets the stamp it got the first time
    // and the cache keeps the node's tables. A step after resume() must get a new stamp.
    const ex = new Expander(exploration(TWO));
    const node = ex.materialize([], 0, 0);
    const s = ex.session;
    const stamps = (): number[] => Array.from((s.m.mem as unknown as { tabStamp: Float64Array }).tabStamp);
    s.restoreInPlace(node);
    const before = stamps();
    const mark = tableStamps.mark();
    runStep(s, ex.exp.steps[4]!, []);
    tableStamps.resume();
    const first = stamps();
    assert.equal(first.filter((x, i) => x !== before[i]).length, 1, 'one table written');
    s.restoreInPlace(node);
    tableStamps.replayFrom(mark);
    runStep(s, ex.exp.steps[4]!, []);
    tableStamps.resume();
    assert.deepEqual(stamps(), first, 'the replay re-took the same stamps');
    s.restoreInPlace(node);
    runStep(s, ex.exp.steps[4]!, []);
    const fresh = stamps();
    const changed = fresh.findIndex((x, i) => x !== before[i]);
    assert.ok(fresh[changed]! > Math.max(...first), 'a run that is not a replay gets a stamp never issued before');
  });

  it('scan L0\'s shadow table only up to its last live entry: `total` counts the live entries exactly', () => {
    // The fingerprint stops the shadow scan after `total` live entries (shadow.ts insert counts
    // an entry that was not live, drop subtracts a shadow's count, dropRange what it killed).
    // Count the live slots independently (forEach) in states after fills, SMIs and memslot churn.
    const ex = new Expander(exploration(TWO));
    const s = ex.session;
    for (const path of [[], [4, 0], [0, 0, 4, 0], [2, 0, 3, 0, 4, 0], [4, 0, 2, 0, 3, 0, 4, 0, 1, 0]]) {
      s.restore(ex.materialize(path, 0, path.length));
      let live = 0;
      s.m.shadows.forEach(() => { live++; });
      assert.equal(s.m.shadows.total, live, `after ${path.join(',')}`);
      if (path.length === 2) assert.ok(live > 0, 'the reads filled shadow entries');
    }
  });

  it('cover a hugepages slot\'s 2M host pages: the same slot without the region\'s 2M page differs', () => {
    // memslots.ts hostPage: in a `hugepages` slot, the first touch of a 2M region none of whose
    // pages is backed faults in one 2M host page and records it in backing.huge; later faults in
    // the region map 2M from it (hugeBase). So whether a region has its 2M page decides what
    // the next fault does: it is state that influences the future.
    const HUGE = `config host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on
explore "huge" {
  memslot ram gpa 0 size 4M hugepages
  read 0x1000
  steps {
    read 0x2000
  }
}
`;
    const ex = new Expander(exploration(HUGE));
    ex.session.restore(ex.materialize([], 0, 0));
    const m = ex.session.m;
    const slot = m.slots.byId('ram')! as unknown as { backing: { huge: { size: number; delete(k: number): void } } };
    assert.equal(slot.backing.huge.size, 1, 'the read faulted in one 2M host page');
    const withPage = fingerprint(m, ex.scope, 0);
    slot.backing.huge.delete(0);
    assert.notDeepEqual(fingerprint(m, ex.scope, 0), withPage);
  });
});
