// Syntax-tree pieces read from the token arrays when asked. A 100,000-line file has over a
// million words, numbers and ranges; made eagerly they were most of what the analysis kept per
// line (and copying them through the young generation was most of its time). Each of these holds
// token indices instead, and makes its text and ranges when an editor feature reads them.
// Not plain data: toJSON prints them plain, and nothing clones them (what leaves the analyser,
// diagnostics and compiled ops, is made of strings and plain ranges). They are `new`: an object
// literal would be pretenured (V8 gives literal sites, not constructors, that), but one with a
// prototype costs a runtime call each, about 60 ns, which measured more than the scavenges it
// saved here. The kept plain data (statement ranges, small lists) is made by literals.
import type * as A from './ast';
import { numberValueIn, type Tokens } from './scanner';
import { SourceRange, type Range } from './source';

/** From the start of token `a` to the end of token `b`. */
export function tokenSpan(T: Tokens, a: number, b: number): Range {
  return new SourceRange(T.line[a]!, T.colOf(a), T.line[b]!, T.colOf(b) + T.end[b]! - T.offset[b]!);
}

/** A word: one object of two fields instead of a text slice and a range. */
export class TokenWord implements A.Word {
  constructor(private readonly T: Tokens, readonly t: number) {}
  get text(): string { return this.T.textOf(this.t); }
  get range(): Range { return tokenSpan(this.T, this.t, this.t); }
  toJSON(): A.Word { return { text: this.text, range: this.range }; }
}

/** A number literal of one token. */
export class TokenNumber implements A.NumberLit {
  constructor(private readonly T: Tokens, readonly t: number, readonly value: number) {}
  get text(): string { return this.T.textOf(this.t); }
  get range(): Range { return tokenSpan(this.T, this.t, this.t); }
  toJSON(): A.NumberLit { return { value: this.value, text: this.text, range: this.range }; }
}

/**
 * A number field of a node, in two own fields: a literal's token (-1 when none: the NumberLit is
 * made when read, its value read from the token again) or the node kept as it is (an expression,
 * or null). Most numbers are literals; a node keeps no object per number then.
 */
export function numTok(n: A.NumberLit | null): number {
  return n instanceof TokenNumber ? n.t : -1;
}
export function numKept(n: A.NumberLit | null): A.NumberLit | null {
  return n instanceof TokenNumber ? null : n;
}
export function numRead(T: Tokens, tok: number, kept: A.NumberLit | null): A.NumberLit | null {
  return tok >= 0 ? new TokenNumber(T, tok, numberValueIn(T.text, T.offset[tok]!, T.end[tok]!)) : kept;
}

/** A word field, as `numTok`: a plain word's token, or the word kept (a loop variable used as a memslot id). */
export function wordTok(w: A.Word | null): number {
  return w instanceof TokenWord ? w.t : -1;
}
export function wordKept(w: A.Word | null): A.Word | null {
  return w instanceof TokenWord ? null : w;
}
export function wordRead(T: Tokens, tok: number, kept: A.Word | null): A.Word | null {
  return tok >= 0 ? new TokenWord(T, tok) : kept;
}

/**
 * A number written as an expression (tokens `firstTok`..`lastTok`): its text runs to the end
 * of token `textEnd`, its range to the end of `lastTok`. `expr` is an own property only when
 * present, as on the plain literals this replaces; `dynamic` is a getter (DynamicNumber's reads two fields).
 */
export class ExprNumber implements A.NumberLit {
  declare readonly expr?: A.Expr;
  constructor(protected readonly T: Tokens, private readonly firstTok: number, private readonly lastTok: number, private readonly textEnd: number, readonly value: number,
    expr: A.Expr | undefined) {
    if (expr) (this as { expr?: A.Expr }).expr = expr;
  }
  /** None: a constant expression (DynamicNumber has one). */
  get dynamic(): { readonly lo: number; readonly hi: number } | undefined { return undefined; }
  get text(): string { const T = this.T; return T.text.slice(T.offset[this.firstTok]!, T.end[this.textEnd]!); }
  get range(): Range { return tokenSpan(this.T, this.firstTok, this.lastTok); }
  toJSON(): A.NumberLit {
    return { value: this.value, text: this.text, range: this.range, ...(this.expr ? { expr: this.expr } : {}), ...(this.dynamic ? { dynamic: this.dynamic } : {}) };
  }
}

/** An expression over loop variables: `dynamic`, its value range, is read from two fields (no object kept per expression). */
export class DynamicNumber extends ExprNumber {
  constructor(T: Tokens, firstTok: number, lastTok: number, textEnd: number, value: number, expr: A.Expr, private readonly lo: number, private readonly hi: number) {
    super(T, firstTok, lastTok, textEnd, value, expr);
  }
  override get dynamic(): { readonly lo: number; readonly hi: number } { return { lo: this.lo, hi: this.hi }; }
}

/**
 * `repeat N [as i] { ... }` / `for x in [...] { ... }` (ast.ts `Repeat`): keyword, braces and
 * range from its tokens. `closeTok` is -1 for an unclosed block; `endTok` ends the range.
 */
export class RepeatNode implements A.Repeat {
  readonly kind = 'repeat' as const;
  declare readonly list?: readonly (A.NumberLit | A.Word)[] | null;
  private readonly countTok: number;
  private readonly countKept: A.NumberLit | null;
  constructor(private readonly T: Tokens, private readonly kwTok: number, private readonly openTok: number, private readonly closeTok: number, private readonly endTok: number,
    count: A.NumberLit | null, readonly loopVar: A.LoopVar | null, list: readonly (A.NumberLit | A.Word)[] | undefined, readonly body: readonly A.Statement[]) {
    this.countTok = numTok(count);
    this.countKept = numKept(count);
    if (list) (this as { list?: readonly (A.NumberLit | A.Word)[] }).list = list;
  }
  get count(): A.NumberLit | null { return numRead(this.T, this.countTok, this.countKept); }
  get keyword(): A.Word { return tokenWord(this.T, this.kwTok); }
  get openBrace(): Range { return tokenSpan(this.T, this.openTok, this.openTok); }
  get closeBrace(): Range | null { return this.closeTok >= 0 ? tokenSpan(this.T, this.closeTok, this.closeTok) : null; }
  get range(): Range { return tokenSpan(this.T, this.kwTok, this.endTok); }
  toJSON(): A.Repeat {
    return {
      kind: 'repeat', keyword: this.keyword, count: this.count, loopVar: this.loopVar, ...(this.list ? { list: this.list } : {}), body: this.body,
      openBrace: this.openBrace, closeBrace: this.closeBrace, range: this.range,
    };
  }
}

/**
 * A `let` or loop variable for hover and the outline (ast.ts `VariableInfo`): its uses are
 * token indices, made into ranges (once) when read. The scope is a range given later (a
 * `let`'s file or scenario) or the loop's block, tokens `scopeFrom`..`scopeTo`.
 */
export class VariableRecord implements A.VariableInfo {
  private scopeRange: Range | null;
  private scopeFrom = -1;
  private scopeTo = -1;
  private useRanges: Range[] | null = null;
  /** Its uses: a list through `links` (no array per variable), first and last entry, -1 when none. */
  private firstUse = -1;
  private lastUse = -1;
  constructor(private readonly T: Tokens, private readonly word: A.Word, readonly kind: 'let' | 'index' | 'for', scope: Range | null,
    readonly lo: number, readonly hi: number, readonly values: readonly string[] | null, private readonly links: UseLinks) {
    this.scopeRange = scope;
  }
  /** A use at token `t` (in source order; a token noted twice counts once). */
  noteUse(t: number): void {
    if (this.lastUse >= 0 && this.links.tokenOf(this.lastUse) === t) return;
    const u = this.links.add(t);
    if (this.lastUse < 0) this.firstUse = u; else this.links.link(this.lastUse, u);
    this.lastUse = u;
    this.useRanges = null;
  }
  /** The tokens of its uses, in order. */
  get useTokens(): number[] {
    const out: number[] = [];
    for (let u = this.firstUse; u >= 0; u = this.links.nextOf(u)) out.push(this.links.tokenOf(u));
    return out;
  }
  get name(): string { return this.word.text; }
  get decl(): Range { return this.word.range; }
  get scope(): Range {
    if (this.scopeRange) return this.scopeRange;
    return this.scopeFrom >= 0 ? tokenSpan(this.T, this.scopeFrom, this.scopeTo) : this.decl;
  }
  set scope(r: Range) { this.scopeRange = r; }
  /** The scope is the block from token `from` to token `to`. */
  scopeTokens(from: number, to: number): void { this.scopeFrom = from; this.scopeTo = to; this.scopeRange = null; }
  get uses(): readonly Range[] {
    return this.useRanges ??= this.useTokens.map((t) => tokenSpan(this.T, t, t));
  }
  /** Whether the scope is still the placeholder `r` (file-level lets until the file's range is known). */
  scopeIs(r: Range): boolean { return this.scopeRange === r; }
  toJSON(): A.VariableInfo {
    return { name: this.name, kind: this.kind, decl: this.decl, scope: this.scope, lo: this.lo, hi: this.hi, values: this.values, uses: this.uses };
  }
}

/**
 * The uses of every variable of a file: entry `u` is token `tok[u]`, followed by entry
 * `next[u]` of the same variable (-1 at the end). Two typed arrays, grown by doubling.
 */
export class UseLinks {
  private tok = new Int32Array(64);
  private next = new Int32Array(64);
  private count = 0;
  add(t: number): number {
    if (this.count === this.tok.length) {
      const tok = new Int32Array(this.count * 2); tok.set(this.tok); this.tok = tok;
      const next = new Int32Array(this.count * 2); next.set(this.next); this.next = next;
    }
    const u = this.count++;
    this.tok[u] = t;
    this.next[u] = -1;
    return u;
  }
  link(from: number, to: number): void { this.next[from] = to; }
  tokenOf(u: number): number { return this.tok[u]!; }
  nextOf(u: number): number { return this.next[u]!; }
}

// Factories, for the parser and the expression reader.

export function tokenWord(T: Tokens, t: number): A.Word {
  return new TokenWord(T, t);
}

export function tokenNumber(T: Tokens, t: number, value: number): A.NumberLit {
  return new TokenNumber(T, t, value);
}

/** An ExprNumber, or a DynamicNumber when the expression has a value range (`dynamic`). */
export function exprNumber(T: Tokens, firstTok: number, lastTok: number, textEnd: number, value: number,
  expr: A.Expr | undefined, dynamic: { readonly lo: number; readonly hi: number } | undefined): A.NumberLit {
  return dynamic && expr ? new DynamicNumber(T, firstTok, lastTok, textEnd, value, expr, dynamic.lo, dynamic.hi) : new ExprNumber(T, firstTok, lastTok, textEnd, value, expr);
}

export function repeatNode(T: Tokens, kwTok: number, openTok: number, closeTok: number, endTok: number,
  count: A.NumberLit | null, loopVar: A.LoopVar | null, list: readonly (A.NumberLit | A.Word)[] | undefined, body: readonly A.Statement[]): A.Repeat {
  return new RepeatNode(T, kwTok, openTok, closeTok, endTok, count, loopVar, list, body);
}

export function variableRecord(T: Tokens, word: A.Word, kind: 'let' | 'index' | 'for', scope: Range | null,
  lo: number, hi: number, values: readonly string[] | null, links: UseLinks): VariableRecord {
  return new VariableRecord(T, word, kind, scope, lo, hi, values, links);
}
