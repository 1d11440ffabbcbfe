// `METRIC OP VALUE` as `expect`, explore invariants and debugger conditions evaluate it.
import type { CompareOp } from '../lang/schema';

export function compareOp(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
  return false;
}
