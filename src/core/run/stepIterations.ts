// Which loop iteration a statement clock fell in, for the blame links of stale uses (a fill in
// iteration 3, changed in iteration 4). The interpreter notes the innermost iteration at each
// statement only when it differs from the last note, so a loop costs one note per iteration.
// Bounded: the last CAP notes are kept; a clock older than them has no iteration (omitted,
// never guessed).
import type { IterationRef } from './result';

export const STEP_ITERATIONS_CAP = 65_536;

export class StepIterations {
  // Grown by doubling up to `cap` (an interpreter that never loops keeps a few bytes: the
  // explorer copies interpreters per state).
  private steps = new Float64Array(4);
  private refs: (IterationRef | undefined)[] = [];
  /** Notes written so far (the ring holds the last `cap` of them). */
  private n = 0;
  private last: IterationRef | undefined;

  constructor(private readonly cap = STEP_ITERATIONS_CAP) {}

  /** Ring slot of logical note k: notes are not wrapped until the arrays reach `cap`. */
  private slot(k: number): number { return this.steps.length < this.cap ? k : k % this.cap; }

  /** The statement at clock `step` ran in `ref` (undefined: outside every loop). Clocks rise. */
  note(step: number, ref: IterationRef | undefined): void {
    if (this.n > 0 && ref === this.last) return;
    if (this.n === this.steps.length && this.n < this.cap) {
      const grown = new Float64Array(Math.min(this.cap, this.n * 2));
      grown.set(this.steps);
      this.steps = grown;
    }
    const i = this.slot(this.n);
    this.steps[i] = step;
    this.refs[i] = ref;
    this.last = ref;
    this.n++;
  }

  /** The iteration the statement at clock `step` ran in; undefined outside loops or when forgotten. */
  at(step: number): IterationRef | undefined {
    const oldest = Math.max(0, this.n - this.cap);
    if (this.n === 0 || step < this.steps[this.slot(oldest)]!) return undefined;
    // Last note with clock <= step (binary search over the ring's logical order).
    let lo = oldest, hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.steps[this.slot(mid)]! <= step) lo = mid; else hi = mid - 1;
    }
    return this.refs[this.slot(lo)];
  }
}
