// Run-time values of statements over loop variables (`nested vmrun ncr3 base + i * 0x1000`):
// each field the compiler marked is evaluated with the current loop variables into a
// per-op scratch copy (made once, reused every iteration: no allocation per execution),
// then checked as the checker checks a constant there. A value that cannot be used is a
// failure at the statement, naming the values of the variables; the statement is skipped.
import { describeVars, evaluate } from '../lang/expr';
import type { DynField, Op } from '../lang/ops';

const PAGE = 4096;
const ADDRESS_LIMIT = 2 ** 52;
const VALUE_LIMIT = 2 ** 53;
const COUNT_LIMIT = 1e9;

const hex = (n: number) => `0x${n.toString(16)}`;

/** Why `v` cannot stand where `rule` says, or null. */
function ruleProblem(f: DynField, v: number): string | null {
  switch (f.rule) {
    case 'page':
      if (v >= ADDRESS_LIMIT) return 'expected an address below 2^52';
      return v % PAGE === 0 ? null : 'expected an address aligned to 4K (a multiple of 0x1000)';
    case 'pages':
      if (v >= ADDRESS_LIMIT) return 'expected a size below 2^52';
      return v > 0 && v % PAGE === 0 ? null : 'expected a non-zero multiple of 4K (4096)';
    case 'aligned8':
      if (v >= ADDRESS_LIMIT) return 'expected an address below 2^52';
      return v % 8 === 0 ? null : 'expected an 8-byte aligned address';
    case 'address': return v < ADDRESS_LIMIT ? null : 'expected an address below 2^52';
    case 'value': return v < VALUE_LIMIT ? null : 'expected a value below 2^53';
    case 'count': return v <= COUNT_LIMIT ? null : 'expected a count from 0 to 10^9';
    case 'stride': return v >= 1 ? null : 'expected a stride of at least 1';
    case 'slot': return null;
  }
}

export class DynamicValues {
  private readonly scratch: (Record<string, unknown> | undefined)[] = [];
  /** Loop variables by slot: an iteration index, or a `for` list's value. */
  readonly vars: (number | string)[];

  constructor(count: number) {
    this.vars = new Array<number | string>(count).fill(0);
  }

  /**
   * The op at `pc` with its loop-dependent fields filled in, or the reason it cannot run
   * (a string: the caller reports it as a failure at the statement).
   */
  resolve(pc: number, op: Op): Op | string {
    const fields = op.dyn!;
    const out = this.scratch[pc] ??= { ...op };
    for (const f of fields) {
      if (f.rule === 'slot') {
        const v = f.expr.k === 'var' ? this.vars[f.expr.slot] : undefined;
        out[f.field] = typeof v === 'number' ? String(v) : String(v ?? '');
        continue;
      }
      const v = evaluate(f.expr, this.vars);
      const where = describeVars(f.expr, this.vars);
      if (typeof v === 'string') return `\`${f.text}\` has no value (${where}): ${v}`;
      const problem = ruleProblem(f, v);
      if (problem) return `${problem}, found \`${f.text}\` = ${v >= PAGE ? hex(v) : v} (${where})`;
      out[f.field] = v;
    }
    return out as unknown as Op;
  }
}
