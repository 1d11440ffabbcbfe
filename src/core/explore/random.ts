// `strategy random samples N`: N random walks of length `depth` from the setup, walk i seeded
// from (seed, i) alone — so the walks, and the first violating one (the lowest i), do not
// depend on how the walks are spread over workers. Each walk picks uniformly among the
// enabled steps, and each allocation uniformly among its options.
import type { CompiledExploration } from '../lang/ops';
import { Prng } from '../model/prng';
import type { AllocChooser } from '../model/allocChoice';
import type { RunOptions } from '../run/result';
import { Expander, violation } from './expand';
import { enabled } from './moves';
import { fingerprint } from './fingerprint';
import { FingerprintSet } from './store';
import type { PageMove } from './counterexample';

export interface RandomOutcome {
  readonly verdict: 'violation' | 'clean' | 'cancelled';
  readonly states: number;
  readonly distinct: number;
  readonly capped: boolean;
  readonly enabled: number[];
  readonly taken: number[];
  readonly walk: PageMove[] | null;
  readonly violated: string | null;
  readonly sample: number;
}

/** Walks [from, to) of one worker (plain data: it crosses worker boundaries). `fps` holds the
 *  fingerprint pairs of the states reached, in walk order; a violating walk ends the batch. */
export interface WalkBatch {
  readonly fps: Int32Array;
  readonly states: number;
  readonly enabled: Int32Array;
  readonly taken: Int32Array;
  readonly violation: { readonly sample: number; readonly walk: PageMove[]; readonly violated: string } | null;
  readonly cancelled: boolean;
}

/** Walks per batch handed to a worker. Results do not depend on it (merged in walk order). */
export const WALK_BATCH = 32;

/** Runs walks [from, to) from the Expander's setup state. */
export function walkBatch(ex: Expander, seed: number, from: number, to: number, shouldCancel: () => boolean = () => false): WalkBatch {
  const exp = ex.exp;
  const nSteps = exp.steps.length;
  const en = new Int32Array(nSteps), taken = new Int32Array(nSteps);
  let fps = new Int32Array(64), n = 0, states = 0;
  const root = ex.materialize([], 0, 0);
  const s = ex.session;
  const ops = exp.program.ops;
  const done = (violation: WalkBatch['violation'], cancelled: boolean): WalkBatch => ({ fps: fps.slice(0, n), states, enabled: en, taken, violation, cancelled });
  for (let i = from; i < to; i++) {
    if (shouldCancel()) return done(null, true);
    const rng = new Prng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    s.restoreInPlace(root);
    const walk: PageMove[] = [];
    for (let d = 0; d < exp.depth; d++) {
      const choices: number[] = [];
      for (let st = 0; st < nSteps; st++) if (enabled(s.m, ops[exp.steps[st]!]!)) { choices.push(st); en[st]!++; }
      if (choices.length === 0) break;
      const step = choices[rng.below(choices.length)]!;
      const pages: number[] = [];
      const chooser: AllocChooser = { choose: (free) => { const k = rng.below(free.length + 1); pages.push(k === 0 ? -1 : free[k - 1]!); return k; } };
      s.m.mem.chooser = chooser;
      let v: string | null;
      try { s.execute(exp.steps[step]!); v = violation(s.m, exp.invariants); } catch { v = 'model limit'; }
      states++; taken[step]!++;
      walk.push({ step, pages });
      if (v) return done({ sample: i, walk, violated: v }, false);
      const [a, b] = fingerprint(s.m, ex.scope, (s.it as unknown as { rng: { s: number } }).rng.s);
      if (n + 2 > fps.length) { const g = new Int32Array(fps.length * 2); g.set(fps); fps = g; }
      fps[n++] = a | 0; fps[n++] = b | 0;
    }
  }
  return done(null, false);
}

/** Where batches of walks run: this thread, or workers (`walks` of an ExplorePool). */
export interface WalkPool {
  readonly size: number;
  walks(seed: number, from: number, to: number): Promise<WalkBatch>;
}

/** The walks, in batches (on a pool, 2 in flight per worker), merged strictly in walk order:
 *  the counts, the distinct states and the first violating walk (the lowest i) are the same
 *  whatever the number of workers. */
export async function randomWalks(exp: CompiledExploration, seed: number, opts: RunOptions & { cap?: number; pool?: WalkPool } = {}): Promise<RandomOutcome> {
  const ex = new Expander(exp, opts);
  const cancel = opts.shouldCancel ?? (() => false);
  const nSteps = exp.steps.length;
  const en = new Array<number>(nSteps).fill(0), taken = new Array<number>(nSteps).fill(0);
  const seen = new FingerprintSet();
  const cap = opts.cap ?? 2_000_000;
  let capped = false;
  let states = 1;
  const out = (verdict: RandomOutcome['verdict'], walk: PageMove[] | null, violated: string | null, sample: number): RandomOutcome =>
    ({ verdict, states, distinct: seen.size, capped, enabled: en, taken, walk, violated, sample });
  if (ex.setupViolation) return out('violation', [], ex.setupViolation, 0);
  const pool: WalkPool = opts.pool ?? { size: 1, walks: (sd, from, to) => Promise.resolve(walkBatch(ex, sd, from, to, cancel)) };
  const batches = Math.ceil(exp.samples / WALK_BATCH);
  const inFlight = new Map<number, Promise<WalkBatch>>();
  let issued = 0;
  const issue = (): void => {
    while (issued < batches && inFlight.size < pool.size * 2) {
      inFlight.set(issued, pool.walks(seed, issued * WALK_BATCH, Math.min(exp.samples, (issued + 1) * WALK_BATCH)));
      issued++;
    }
  };
  const settle = async (): Promise<void> => { await Promise.allSettled([...inFlight.values()]); };
  for (let b = 0; b < batches; b++) {
    if (cancel()) { await settle(); return out('cancelled', null, null, b * WALK_BATCH); }
    issue();
    const r = await inFlight.get(b)!;
    inFlight.delete(b);
    states += r.states;
    for (let st = 0; st < nSteps; st++) { en[st]! += r.enabled[st]!; taken[st]! += r.taken[st]!; }
    for (let k = 0; k < r.fps.length; k += 2) { if (seen.size < cap) seen.add(r.fps[k]! >>> 0, r.fps[k + 1]! >>> 0); else capped = true; }
    if (r.cancelled) { await settle(); return out('cancelled', null, null, b * WALK_BATCH); }
    if (r.violation) { await settle(); return out('violation', r.violation.walk, r.violation.violated, r.violation.sample); }
  }
  return out('clean', null, null, exp.samples);
}
