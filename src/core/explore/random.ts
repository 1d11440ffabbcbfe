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

export function randomWalks(exp: CompiledExploration, seed: number, opts: RunOptions & { cap?: number } = {}): RandomOutcome {
  const ex = new Expander(exp, opts);
  const cancel = opts.shouldCancel ?? (() => false);
  const nSteps = exp.steps.length;
  const en = new Array<number>(nSteps).fill(0), taken = new Array<number>(nSteps).fill(0);
  const seen = new FingerprintSet();
  const cap = opts.cap ?? 2_000_000;
  let capped = false;
  let states = 1;
  const root = ex.materialize([], 0, 0);
  const s = ex.session;
  const ops = exp.program.ops;
  const out = (verdict: RandomOutcome['verdict'], walk: PageMove[] | null, violated: string | null, sample: number): RandomOutcome =>
    ({ verdict, states, distinct: seen.size, capped, enabled: en, taken, walk, violated, sample });
  if (ex.setupViolation) return out('violation', [], ex.setupViolation, 0);
  for (let i = 0; i < exp.samples; i++) {
    if (cancel()) return out('cancelled', null, null, i);
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
      if (v) return out('violation', walk, v, i);
      const [a, b] = fingerprint(s.m, ex.scope, (s.it as unknown as { rng: { s: number } }).rng.s);
      if (seen.size < cap) seen.add(a, b); else capped = true;
    }
  }
  return out('clean', null, null, exp.samples);
}
