// Random walks with shrinking, worker and shard independence, cancellation and the state cap.
import { strict as assert } from 'node:assert';
import { Expander, mergeShards, runExploration, walkBatch, type ChunkResult, type ExplorePool, type WalkBatch } from '../../../src/core/explore/index';
import { replay } from '../../../src/core/explore/counterexample';
import { CHURN, exploration } from './helpers';

const RANDOM = CHURN.replace('  depth 6\n', '  depth 14\n  strategy random samples 40\n');

/** A pool of `n` separate Expanders that finish chunks in a scrambled order (as real workers may). */
function scrambledPool(text: string, n: number, overrides: Record<string, string> = {}): ExplorePool {
  const ex = Array.from({ length: n }, () => new Expander(exploration(text, overrides)));
  let i = 0;
  return {
    size: n,
    expand(paths: Int32Array): Promise<ChunkResult> {
      const e = ex[i++ % n]!;
      const r = e.expandChunk(paths);
      return new Promise((resolve) => setTimeout(() => resolve(r), (i * 7) % 5));
    },
    walks(seed: number, from: number, to: number): Promise<WalkBatch> {
      const r = walkBatch(ex[i++ % n]!, seed, from, to);
      return new Promise((resolve) => setTimeout(() => resolve(r), (i * 7) % 5));
    },
  };
}

describe('explore: random walks, workers, shards, bounds', function () {
  this.timeout(60000);

  it('random walks find the violation and shrink it to a local minimum', async () => {
    const exp = exploration(RANDOM);
    const r = await runExploration(exp);
    assert.equal(r.strategy, 'random');
    assert.equal(r.verdict, 'violation');
    const c = r.counterexample!;
    assert.ok(c.steps.length >= 6, 'never shorter than the shortest (6, see bfs.test.ts)');
    // Local minimum: without any one step, or any one setup statement, the replay is clean.
    const moves = c.steps.map((s) => ({ step: exp.steps.findIndex((i) => exp.program.ops[i]!.text === s.text), pages: s.picks.map((p) => (p === null ? -1 : p / 4096)) }));
    const keep = exp.setup.map(() => true);
    assert.notEqual(replay(exp, { keep, moves }).violated, null, 'the shrunk sequence itself still fails');
    for (let i = 0; i < moves.length; i++) {
      assert.equal(replay(exp, { keep, moves: moves.filter((_, j) => j !== i) }).violated, null, `still fails without step ${i + 1} (${c.steps[i]!.text})`);
    }
    for (let j = 0; j < keep.length; j++) {
      assert.equal(replay(exp, { keep: keep.map((k, x) => x !== j && k), moves }).violated, null, `still fails without setup statement ${j + 1}`);
    }
  });

  it('random walks are the same for the same seed', async () => {
    const a = await runExploration(exploration(RANDOM), { now: () => 0 });
    const b = await runExploration(exploration(RANDOM), { now: () => 0 });
    assert.deepEqual(a, b);
  });

  it('random walks give the same result spread over 2 or 3 workers finishing in any order', async () => {
    // Walk i is seeded from (seed, i) alone and batches are merged in walk order, so the
    // violating walk (the lowest i), the counts and the distinct states are those of one thread.
    const base = await runExploration(exploration(RANDOM), { now: () => 0 });
    assert.equal(base.verdict, 'violation');
    for (const n of [2, 3]) {
      const r = await runExploration(exploration(RANDOM), { now: () => 0, pool: () => scrambledPool(RANDOM, n) });
      assert.deepEqual(r, base, `${n} workers`);
    }
    const CLEAN = RANDOM.replace('strategy random samples 40', 'strategy random samples 70');
    const clean = await runExploration(exploration(CLEAN, { fix: 'b' }), { now: () => 0 });
    assert.equal(clean.verdict, 'clean');
    const clean2 = await runExploration(exploration(CLEAN, { fix: 'b' }), { now: () => 0, pool: () => scrambledPool(CLEAN, 2, { fix: 'b' }) });
    assert.deepEqual(clean2, clean, 'a clean sample counts the same states and distinct states');
  });

  it('gives the same result with 1, 2 and 3 workers finishing in any order', async () => {
    const base = await runExploration(exploration(CHURN), { now: () => 0 });
    for (const n of [3]) {
      const r = await runExploration(exploration(CHURN), { now: () => 0, pool: () => scrambledPool(CHURN, n) });
      assert.deepEqual(r, base, `${n} workers`);
    }
    const clean = await runExploration(exploration(CHURN, { fix: 'b' }), { now: () => 0, depth: 4 });
    const clean2 = await runExploration(exploration(CHURN, { fix: 'b' }), { now: () => 0, depth: 4, pool: () => scrambledPool(CHURN, 2, { fix: 'b' }) });
    assert.deepEqual(clean2, clean, 'a clean search counts the same states too');
  });

  it('shards merged give the unsharded verdict and counterexample', async () => {
    const base = await runExploration(exploration(CHURN));
    const shards = [];
    for (let k = 0; k < 3; k++) shards.push(await runExploration(exploration(CHURN), { shard: { k, n: 3 } }));
    assert.ok(shards.every((s) => s.shard && s.shard.splitDepth > 0), 'the space was split');
    assert.ok(shards.some((s) => s.distinct < base.distinct), 'a shard explores less than the whole');
    const m = mergeShards(shards);
    assert.equal(m.verdict, 'violation');
    assert.deepEqual(m.counterexample!.steps, base.counterexample!.steps);
    assert.equal(m.counterexample!.scenario, base.counterexample!.scenario);
    const clean = [];
    for (let k = 0; k < 2; k++) clean.push(await runExploration(exploration(CHURN, { fix: 'b' }), { depth: 4, shard: { k, n: 2 } }));
    const mc = mergeShards(clean);
    assert.equal(mc.verdict, 'clean');
    assert.equal(mc.depth, 4);
  });

  it('cancels between moves: the search stops early and says so', async () => {
    let polls = 0;
    const r = await runExploration(exploration(CHURN, { fix: 'b' }), { shouldCancel: () => ++polls > 3 });
    assert.equal(r.verdict, 'cancelled');
    assert.ok(r.states < 2000, `stopped early (${r.states} states)`);
    assert.match(r.summary, /^cancelled at depth \d/);
  });

  it('stops at the state cap with a note, never claiming the full depth', async () => {
    const r = await runExploration(exploration(CHURN, { fix: 'b' }), { cap: 50 });
    assert.equal(r.verdict, 'clean');
    assert.equal(r.capped, true);
    assert.ok(r.distinct <= 50);
    assert.ok(r.depth < 6, `depth ${r.depth}`);
    assert.ok(r.notes.some((n) => n.startsWith('state cap reached: stopped at 50 distinct states')));
    assert.match(r.summary, /\(state cap reached\)/);
  });
});
