// How many statements a compiled scenario executes, known before it runs from the loop
// counts alone (loops stay loops: this walks the ops once, no unrolling). It counts what
// Interpreter.run counts in `steps`: one per op visited, so a loop op counts once, its
// body and its end op once per iteration, and a loop of count 0 only its own op.
// Progress uses it for a percentage and an ETA; results for "after M statements".
import type { Op } from '../lang/ops';

/** Statements executed by ops[from, to), given the loops' counts. */
function countRange(ops: readonly Op[], from: number, to: number): number {
  let total = 0;
  let pc = from;
  while (pc < to) {
    const op = ops[pc]!;
    if (op.k === 'repeat') {
      const n = loopCount(op);
      // Body is (pc, end - 1); end - 1 is the end op, visited once per iteration.
      total += 1 + (n > 0 ? n * (countRange(ops, pc + 1, op.end - 1) + 1) : 0);
      pc = op.end;
      continue;
    }
    total += 1;
    pc++;
  }
  return total;
}

/** A loop's iterations: `repeat N` its count, `for x in [..]` its list. */
function loopCount(op: Extract<Op, { k: 'repeat' }>): number {
  const values = (op as { readonly values?: readonly unknown[] }).values;
  return values ? values.length : Math.max(0, op.count);
}

export function statementCount(ops: readonly Op[]): number {
  return countRange(ops, 0, ops.length);
}
