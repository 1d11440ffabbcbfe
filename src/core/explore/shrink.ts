// Shrinking a random walk's counterexample to a local minimum (docs/explore.md): drop steps,
// then setup statements, while the invariant still fails; then prefer smaller values — a
// fresh page over a recycled one, a lower page, an earlier step of the alphabet. Stops when
// no single change keeps the violation (or the replay budget is spent, with a note).
import type { CompiledExploration } from '../lang/ops';
import type { RunOptions } from '../run/result';
import { replay, type Candidate, type PageMove } from './counterexample';

export const SHRINK_BUDGET = 5000;

export interface Shrunk { readonly cand: Candidate; readonly violated: string; readonly replays: number; readonly exhausted: boolean }

export function shrink(exp: CompiledExploration, start: Candidate, violated: string, opts: RunOptions = {}, shouldCancel: () => boolean = () => false): Shrunk {
  let best: Candidate = start;
  let viol = violated;
  let replays = 0;
  const tryCand = (c: Candidate): boolean => {
    if (replays >= SHRINK_BUDGET || shouldCancel()) return false;
    replays++;
    const r = replay(exp, c, opts);
    if (r.violated === null) return false;
    best = { keep: c.keep, moves: r.moves }; // only what ran, up to the violation
    viol = r.violated;
    return true;
  };
  // The candidate as replayed (disabled steps dropped, truncated at the violation).
  tryCand(best);
  let changed = true;
  while (changed && replays < SHRINK_BUDGET && !shouldCancel()) {
    changed = false;
    for (let i = best.moves.length - 1; i >= 0; i--) {
      if (i >= best.moves.length) continue;
      if (tryCand({ keep: best.keep, moves: best.moves.filter((_, j) => j !== i) })) changed = true;
    }
    for (let j = best.keep.length - 1; j >= 0; j--) {
      if (!best.keep[j]) continue;
      if (tryCand({ keep: best.keep.map((k, x) => (x === j ? false : k)), moves: best.moves })) changed = true;
    }
    // Smaller values: pages (fresh first, then lower), then earlier steps.
    for (let i = 0; i < best.moves.length; i++) {
      const mv = best.moves[i]!;
      for (let p = 0; p < mv.pages.length; p++) {
        const cur = mv.pages[p]!;
        if (cur < 0) continue;
        const with_ = (page: number): PageMove => ({ step: mv.step, pages: mv.pages.map((x, q) => (q === p ? page : x)) });
        if (tryCand({ keep: best.keep, moves: best.moves.map((m, q) => (q === i ? with_(-1) : m)) })) { changed = true; break; }
      }
      for (let st = 0; st < mv.step; st++) {
        if (tryCand({ keep: best.keep, moves: best.moves.map((m, q) => (q === i ? { step: st, pages: [] } : m)) })) { changed = true; break; }
      }
    }
  }
  return { cand: best, violated: viol, replays, exhausted: replays >= SHRINK_BUDGET };
}
