// Integer expressions wherever a number is allowed: `+ - * / % <<` and parentheses over
// numbers, `let`s and loop variables (C precedence: `* / %` over `+ -` over `<<`). The
// parser calls `readExpr` at a number position; constants fold here (a `let` is always a
// constant), so the checker and compiler see a plain value. An expression over a loop
// variable keeps its tree: the checker sees its value range, the interpreter evaluates it
// per statement (`evaluate`), and a value out of bounds there is a located failure.
// Arithmetic is exact up to 2^53 (numbers are doubles): a result beyond is an error, as is
// a negative final value, a division by zero or a shift beyond 63.
import type { Expr, ExprOp, LoopVar, NumberLit } from './ast';
import { numberValueIn, parseNumber, TK, type Tokens } from './scanner';
import type { Range } from './source';
import { exprNumber } from './tokenNodes';

/** Largest exact integer bound: results must stay below it. */
export const EXPR_LIMIT = 2 ** 53;

/**
 * Deepest expression tree (a chain `1 + 1 + …` is as deep as it is long) and deepest nesting
 * of `(` and `-`: every walk of an expression (evaluation, value range, hover) recurses, so
 * this keeps each far from the stack limit on any input (E111 beyond).
 */
export const MAX_EXPR_DEPTH = 256;

/** Where a binding's uses are noted (the parser's hover record of the variable). */
export interface UseSink {
  noteUse(t: number): void;
}

/** A loop variable in scope: its name, its record of uses (token indices), and its one `var` node. */
export interface LoopBinding {
  readonly kind: 'loop';
  readonly v: LoopVar;
  readonly name: string;
  readonly uses?: UseSink;
  /** Made at the first use; every use shares it (the tree is read-only). */
  node?: Expr;
}

/** What a name in an expression is. */
export type Binding =
  | { readonly kind: 'let'; readonly value: number; readonly decl: Range }
  | LoopBinding;

export interface ExprHost {
  readonly T: Tokens;
  /** The binding of `name` in scope, and note the use at token `t` (hover). */
  resolve(name: string, t: number): Binding | undefined;
  range(t: number): Range;
  /** From the start of token `a` to the end of token `b`. */
  span(a: number, b: number): Range;
}

/** The outcome of reading an expression at a number position. */
export type ExprRead =
  | { readonly ok: true; readonly num: NumberLit; readonly next: number }
  | { readonly ok: false; readonly message: string; readonly range: Range; readonly next: number; readonly code: 'syntax' | 'name' | 'value' | 'depth' };

/**
 * `num` nodes of small integers, shared by every tree (trees are read-only plain data; a
 * structured clone keeps the sharing): most constants in expressions are small.
 */
const SMALL_NUMS: Expr[] = [];
function numNode(value: number): Expr {
  if (value >= 0 && value < 4096 && Number.isInteger(value)) return SMALL_NUMS[value] ??= { k: 'num', value };
  return { k: 'num', value };
}

const BIN_PREC: Readonly<Record<string, number>> = { '<<': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%': 3 };

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
// Token kinds as module constants (a cross-module `TK.x` can cost a getter call per use).
const K_WORD = TK.word;
const K_ARITH = TK.arith;
const K_NEWLINE = TK.newline;
const K_EOF = TK.eof;
const CH_MINUS = 45, CH_LPAREN = 40, CH_RPAREN = 41;

/** Whether token `t` can start an expression (a number, a name, `(` or `-`). */
export function startsExpr(T: Tokens, t: number): boolean {
  const k = T.kind[t];
  if (k === K_WORD) return true;
  if (k !== K_ARITH) return false;
  const c = T.text.charCodeAt(T.offset[t]!);
  return c === 40 /* ( */ || c === 45 /* - */;
}

/** Whether token `t` is a binary operator of expressions. */
export function isBinaryOp(T: Tokens, t: number): boolean {
  if (T.kind[t] !== K_ARITH) return false;
  const c = T.text.charCodeAt(T.offset[t]!);
  return c !== 40 && c !== 41;
}

/** Value ranges of loop variables, by slot (intervalOf). */
export interface VarRanges {
  rangeOf(slot: number): { readonly lo: number; readonly hi: number } | undefined;
}

/** An expression reader, reused for every expression of a file (`reset` per expression): no reader, map or result object per number. */
export class Reader implements VarRanges {
  pos = 0;
  private failure: Extract<ExprRead, { ok: false }> | null = null;
  dynamic = false;
  /** The loop variables read (their `lo`/`hi` are the value ranges), `varCount` of them. */
  private readonly vars: LoopVar[] = [];
  private varCount = 0;

  constructor(private readonly h: ExprHost) {}

  reset(start: number): void {
    this.pos = start;
    this.failure = null;
    this.dynamic = false;
    this.varCount = 0;
    this.depth = 0;
    this.nesting = 0;
  }

  rangeOf(slot: number): LoopVar | undefined {
    for (let i = 0; i < this.varCount; i++) if (this.vars[i]!.slot === slot) return this.vars[i];
    return undefined;
  }

  private text(t: number): string { return this.h.T.textOf(t); }
  private kind(t: number): number { return this.h.T.kind[t]!; }
  /** First character of token `t` (operators are compared by it, without slicing). */
  private ch(t: number): number { return this.h.T.text.charCodeAt(this.h.T.offset[t]!); }
  /** Depth of the tree `expr`/`unary` returned last, and of the `(`/`-` recursion now. */
  private depth = 0;
  private nesting = 0;

  private fail(code: 'syntax' | 'name' | 'value' | 'depth', message: string, range: Range): null {
    this.failure ??= { ok: false, code, message, range, next: this.pos };
    return null;
  }
  get error(): Extract<ExprRead, { ok: false }> | null { return this.failure; }

  /** Binary operators by precedence climbing. */
  expr(minPrec: number): Expr | null {
    let left = this.unary();
    if (!left) return null;
    let depth = this.depth;
    for (;;) {
      const t = this.pos;
      if (!isBinaryOp(this.h.T, t)) break;
      const op = this.text(t) as ExprOp;
      const prec = BIN_PREC[op]!;
      if (prec < minPrec) break;
      this.pos++;
      const right = this.expr(prec + 1);
      if (!right) return null;
      depth = 1 + Math.max(depth, this.depth);
      if (depth > MAX_EXPR_DEPTH) return this.tooDeep(t);
      left = { k: 'bin', op, a: left, b: right };
    }
    this.depth = depth;
    return left;
  }

  /** E111 at token `t`; the rest of the expression's tokens are skipped (one diagnostic, not one per operator). */
  private tooDeep(t: number): null {
    const T = this.h.T;
    while (T.kind[this.pos] === K_ARITH || T.kind[this.pos] === K_WORD) this.pos++;
    return this.fail('depth', `expected an expression at most ${MAX_EXPR_DEPTH} levels deep (operators in a chain, \`(\`, \`-\`), found a deeper one; split it with \`let\``, this.h.range(t));
  }

  private unary(): Expr | null {
    const t = this.pos;
    const k = this.kind(t);
    const sub = k === K_ARITH && (this.ch(t) === CH_MINUS || this.ch(t) === CH_LPAREN);
    if (sub && ++this.nesting > MAX_EXPR_DEPTH) return this.tooDeep(t);
    try {
      return this.unaryAt(t, k);
    } finally {
      if (sub) this.nesting--;
    }
  }

  private unaryAt(t: number, k: number): Expr | null {
    if (k === K_ARITH && this.ch(t) === CH_MINUS) {
      this.pos++;
      const e = this.unary();
      if (!e) return null;
      this.depth = 1 + Math.max(1, this.depth);
      if (this.depth > MAX_EXPR_DEPTH) return this.tooDeep(t);
      return { k: 'bin', op: '-', a: numNode(0), b: e };
    }
    if (k === K_ARITH && this.ch(t) === CH_LPAREN) {
      this.pos++;
      const e = this.expr(1);
      if (!e) return null;
      if (!(this.kind(this.pos) === K_ARITH && this.ch(this.pos) === CH_RPAREN)) {
        return this.fail('syntax', `expected \`)\` to close the \`(\`, found ${this.found(this.pos)}`, this.h.range(this.pos));
      }
      this.pos++;
      return e;
    }
    this.depth = 1;
    if (k === K_WORD) {
      this.pos++;
      const T = this.h.T;
      if (isDigit(T.text.charCodeAt(T.offset[t]!))) {
        const value = numberValueIn(T.text, T.offset[t]!, T.end[t]!);
        if (!Number.isNaN(value)) return numNode(value);
        const text = this.text(t);
        return this.fail('syntax', `expected a number, found the malformed number \`${text}\`: ${(parseNumber(text) as { reason: string }).reason}`, this.h.range(t));
      }
      const text = this.text(t);
      const b = this.h.resolve(text, t);
      if (!b) return this.fail('name', `expected a number, a \`let\` or a loop variable, found \`${text}\`, which no \`let\` or loop defines here`, this.h.range(t));
      if (b.kind === 'let') return numNode(b.value);
      if (!b.v.numeric) return this.fail('name', `expected a number, found \`${text}\`, a loop over memslot ids (use it as a memslot id)`, this.h.range(t));
      this.dynamic = true;
      if (!this.rangeOf(b.v.slot)) this.vars[this.varCount++] = b.v;
      return b.node ??= { k: 'var', slot: b.v.slot, name: text };
    }
    return this.fail('syntax', `expected a number, a name or \`(\`, found ${this.found(t)}`, this.h.range(t));
  }

  private found(t: number): string {
    const k = this.kind(t);
    if (k === K_NEWLINE) return 'end of line';
    if (k === K_EOF) return 'end of file';
    return `\`${this.text(t)}\``;
  }
}

/**
 * Reads an expression from token `start`. A single number token is the fast path (no tree).
 * `what` names the number position for messages ("ADDR after `read`").
 */
export function readExpr(h: ExprHost, start: number, lastTok: number, reader?: Reader): ExprRead {
  const T = h.T;
  const r = reader ?? new Reader(h);
  r.reset(start);
  const e = r.expr(1);
  if (!e) return r.error!;
  // Text and range are read from the tokens when asked (tokenNodes.ts).
  const last = Math.max(start, Math.min(r.pos - 1, lastTok));
  if (!r.dynamic) {
    const v = evaluate(e, NO_VARS);
    if (typeof v === 'string') {
      const text = T.text.slice(T.offset[start]!, T.end[r.pos - 1]!);
      return { ok: false, code: 'value', message: `expected a value from 0 to 2^53, found \`${text}\`: ${v}`, range: h.span(start, last), next: r.pos };
    }
    return { ok: true, num: exprNumber(T, start, last, r.pos - 1, v, e.k === 'num' ? undefined : e, undefined), next: r.pos };
  }
  const iv = intervalOf(e, r);
  // The lowest possible value stands in `value` (the checker's bound checks see it); NaN never.
  const lo = Number.isFinite(iv.lo) ? Math.max(0, iv.lo) : 0;
  return { ok: true, num: exprNumber(T, start, last, r.pos - 1, lo, e, iv), next: r.pos };
}

const NO_VARS: readonly (number | string)[] = [];

/** Exact integer arithmetic, or why not (a located failure at run time, a diagnostic when constant). */
function apply(op: ExprOp, a: number, b: number): number | string {
  let v: number;
  switch (op) {
    case '+': v = a + b; break;
    case '-': v = a - b; break;
    case '*': v = a * b; break;
    case '/': if (b === 0) return 'division by zero'; v = Math.trunc(a / b); break;
    case '%': if (b === 0) return 'remainder of a division by zero'; v = a % b; break;
    case '<<':
      if (b < 0 || b > 63) return `a shift by ${b} (expected 0 to 63)`;
      v = a * 2 ** b; break;
  }
  if (Math.abs(v) >= EXPR_LIMIT) return `${a} ${op} ${b} does not fit below 2^53`;
  return v;
}

/**
 * The value of `e` with loop variables from `vars` (by slot), or why it has none. The
 * final value must be non-negative (numbers in the language are).
 */
export function evaluate(e: Expr, vars: ArrayLike<number | string>): number | string {
  const v = evalNode(e, vars);
  if (typeof v === 'number' && v < 0) return `the value is negative (${v})`;
  return v;
}

function evalNode(e: Expr, vars: ArrayLike<number | string>): number | string {
  switch (e.k) {
    case 'num': return e.value;
    case 'var': {
      const v = vars[e.slot];
      return typeof v === 'number' ? v : `\`${e.name}\` is not a number here`;
    }
    case 'bin': {
      const a = evalNode(e.a, vars);
      if (typeof a === 'string') return a;
      const b = evalNode(e.b, vars);
      if (typeof b === 'string') return b;
      return apply(e.op, a, b);
    }
  }
}

/** The names and values of the loop variables in `e`, for run-time messages ("i = 3"). */
export function describeVars(e: Expr, vars: ArrayLike<number | string>): string {
  const seen = new Map<string, number | string | undefined>();
  const walk = (x: Expr): void => {
    if (x.k === 'var') seen.set(x.name, vars[x.slot]);
    else if (x.k === 'bin') { walk(x.a); walk(x.b); }
  };
  walk(e);
  return [...seen].map(([n, v]) => `${n} = ${typeof v === 'number' && v >= 4096 ? `0x${v.toString(16)}` : String(v)}`).join(', ');
}

/** A corner value: NaN from 0 × ∞ counts as 0; `trunc` for division. */
function corner(n: number, trunc: boolean): number {
  return Number.isNaN(n) ? 0 : trunc ? Math.trunc(n) : n;
}

/** The interval spanned by four corner values (no array per call: the analyser makes one per operator). */
function span(w: number, x: number, y: number, z: number, trunc: boolean): { lo: number; hi: number } {
  let lo = corner(w, trunc);
  let hi = lo;
  const b = corner(x, trunc), c = corner(y, trunc), d = corner(z, trunc);
  if (b < lo) lo = b; if (b > hi) hi = b;
  if (c < lo) lo = c; if (c > hi) hi = c;
  if (d < lo) lo = d; if (d > hi) hi = d;
  return { lo, hi };
}

/** Conservative value range of `e` (may be wider than the values reached); unknown variables are unbounded. */
type VarRange = VarRanges | undefined;

export function intervalOf(e: Expr, varRange?: VarRange): { lo: number; hi: number } {
  return intervalNode(e, varRange);
}

// A module function, not a closure per call (the analyser reads one per loop-variable expression).
function intervalNode(x: Expr, varRange: VarRange): { lo: number; hi: number } {
  switch (x.k) {
    case 'num': return { lo: x.value, hi: x.value };
    case 'var': return varRange?.rangeOf(x.slot) ?? { lo: -Infinity, hi: Infinity };
    case 'bin': {
      const a = intervalNode(x.a, varRange);
      const b = intervalNode(x.b, varRange);
      switch (x.op) {
        case '+': return { lo: a.lo + b.lo, hi: a.hi + b.hi };
        case '-': return { lo: a.lo - b.hi, hi: a.hi - b.lo };
        case '*': return span(a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi, false);
        case '/':
          if (b.lo <= 0 && b.hi >= 0) return { lo: -Infinity, hi: Infinity };
          return span(a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi, true);
        case '%':
          if (a.lo >= 0 && b.lo > 0) return { lo: 0, hi: Math.min(a.hi, b.hi - 1) };
          return { lo: -Infinity, hi: Infinity };
        case '<<':
          if (a.lo >= 0 && b.lo >= 0 && b.hi <= 63) return { lo: a.lo * 2 ** b.lo, hi: a.hi * 2 ** b.hi };
          return { lo: -Infinity, hi: Infinity };
      }
    }
  }
}
