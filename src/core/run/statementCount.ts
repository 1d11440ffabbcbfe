// How many statements a compiled scenario executes, known before it runs from the loop
// counts alone (loops stay loops: no unrolling). It counts what Interpreter.run counts in
// `steps`: one per op visited, so a loop op counts once, its body and its end op once per
// iteration, and a loop of count 0 (or whose count has no usable value) only its own op.
// A count over a loop variable (`for n in [1, 100] { repeat n { smi } }`) is evaluated per
// value of the variables it reads: a loop whose body's count depends on its own variable is
// walked value by value, any other body is counted once and multiplied. That walk has a
// budget; past it the total is a lower bound (each such count at its smallest value) and
// says so (`exact: false`), so progress says "at least" rather than a wrong percentage.
// Progress uses it for a percentage and an ETA; results for "after M statements".
import { evaluate } from '../lang/expr';
import type { Expr } from '../lang/ast';
import type { Op } from '../lang/ops';

type RepeatOp = Extract<Op, { k: 'repeat' }>;

/** The statements a scenario executes, and whether that is exact or a lower bound. */
export interface StatementTotal {
  readonly total: number;
  readonly exact: boolean;
}

/** Ops visited by the exact count before it gives up (tens of ms at worst, before the run starts). */
const COUNT_BUDGET = 250_000;
const COUNT_LIMIT = 1e9;

class OverBudget extends Error {}

/** Loop-variable slots an expression reads. */
function slotsOf(e: Expr, out: Set<number>): Set<number> {
  if (e.k === 'var') out.add(e.slot);
  else if (e.k === 'bin') { slotsOf(e.a, out); slotsOf(e.b, out); }
  return out;
}

/** The count's expression when it depends on a loop variable. */
function countExpr(op: RepeatOp): Expr | undefined {
  return op.dyn?.find((f) => f.field === 'count')?.expr;
}

class Counter {
  /** Per loop op: the variable slots the counts inside its body read. */
  private readonly bodyReads = new Map<number, Set<number>>();
  private readonly vars: (number | string)[] = [];
  private work = 0;

  constructor(private readonly ops: readonly Op[], private readonly exact: boolean) {
    if (exact) this.reads(0, ops.length);
  }

  /** Slots read by the counts of loops in ops[from, to), noting each loop's body reads. */
  private reads(from: number, to: number): Set<number> {
    const out = new Set<number>();
    for (let pc = from; pc < to;) {
      const op = this.ops[pc]!;
      if (op.k !== 'repeat') { pc++; continue; }
      const inner = this.reads(pc + 1, op.end - 1);
      this.bodyReads.set(pc, inner);
      for (const s of inner) out.add(s);
      const e = countExpr(op);
      if (e) slotsOf(e, out);
      pc = op.end;
    }
    return out;
  }

  /** The loop's iterations with the current variables (0 when its count has no usable value). */
  private iterations(op: RepeatOp): number {
    if (op.values) return op.values.length;
    const e = this.exact ? countExpr(op) : undefined;
    if (!e) return Math.max(0, op.count);
    const v = evaluate(e, this.vars);
    return typeof v === 'number' && v <= COUNT_LIMIT ? v : 0;
  }

  range(from: number, to: number): number {
    let total = 0;
    let pc = from;
    while (pc < to) {
      if (this.exact && ++this.work > COUNT_BUDGET) throw new OverBudget();
      const op = this.ops[pc]!;
      if (op.k !== 'repeat') { total += 1; pc++; continue; }
      const n = this.iterations(op);
      total += 1;
      if (n > 0) {
        const v = op.var;
        // Body is (pc, end - 1); end - 1 is the end op, visited once per iteration.
        if (this.exact && v !== undefined && this.bodyReads.get(pc)!.has(v)) {
          for (let i = 0; i < n; i++) {
            this.vars[v] = op.values ? op.values[i]! : i;
            total += this.range(pc + 1, op.end - 1) + 1;
          }
        } else {
          total += n * (this.range(pc + 1, op.end - 1) + 1);
        }
      }
      pc = op.end;
    }
    return total;
  }
}

/** Statements the scenario executes: exact when the counts over loop variables fit the budget. */
export function statementTotal(ops: readonly Op[]): StatementTotal {
  try {
    return { total: new Counter(ops, true).range(0, ops.length), exact: true };
  } catch (e) {
    if (!(e instanceof OverBudget)) throw e;
    return { total: new Counter(ops, false).range(0, ops.length), exact: false };
  }
}

/** Statements the scenario executes (a lower bound when `statementTotal` is not exact). */
export function statementCount(ops: readonly Op[]): number {
  return statementTotal(ops).total;
}
