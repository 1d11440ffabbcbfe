// The parser: tokens → FileNode. Hand-written recursive descent that never throws.
// Recovery (in the style of node-jsonc-parser: report, then skip to a safe point):
// a statement that cannot be read gives one diagnostic and the parser skips to the
// end of its line (or `;`, or the `}` that ends the block), parsing any `{ ... }`
// it skips over as a block so braces stay balanced. A `scenario` keyword inside a
// block means the block was never closed: one diagnostic at its `{`, and the new
// scenario parses normally. Tokens of kind `bad` were diagnosed by the scanner; the
// parser stays silent when it trips over one. Tokens are indices into `Tokens`.
import type { Diagnostic } from '../diagnostics';
import type * as A from './ast';
import { CODES, diagnostic, type CodeSpec } from './codes';
import { isBinaryOp, readExpr, Reader, startsExpr, type Binding, type ExprHost, type LoopBinding, type UseSink } from './expr';
import { numberValueIn, parseNumber, scan, TK, type Tokens } from './scanner';
import { CONFIG_BY_KEY } from './schema';
import { SourceRange, type Range } from './source';
import * as N from './stmtNodes';
import { repeatNode, tokenNumber, tokenWord, UseLinks, variableRecord, type VariableRecord } from './tokenNodes';
import { suggest } from './suggest';
import { compactFrom } from './compact';

export interface ParseResult {
  readonly file: A.FileNode;
  readonly diagnostics: Diagnostic[];
  readonly lineStarts: readonly number[];
}

/** Statement keywords allowed inside a scenario (and `vcpu`, the prefix). */
export const STATEMENT_KEYWORDS: readonly string[] = [
  'config', 'sweep', 'memslot', 'unmap', 'collapse', 'teardown', 'vcpu', 'read', 'write', 'verify', 'touch', 'smi', 'rsm', 'cr4', 'cr3',
  'nested', 'avic', 'migrate', 'reset', 'init', 'cr0', 'call', 'repeat', 'checkpoint', 'expect', 'print', 'let', 'for',
  'rcu', 'zap_worker', 'alloc',
];
export const TOP_LEVEL_KEYWORDS: readonly string[] = ['scenario', 'explore', 'config', 'sweep', 'let'];
/** Lines only the top level of an `explore` block has. */
export const EXPLORE_KEYWORDS: readonly string[] = ['steps', 'depth', 'invariant', 'strategy'];
export const GUEST_KEYWORDS: ReadonlySet<string> = new Set([
  'read', 'write', 'verify', 'touch', 'smi', 'rsm', 'cr4', 'cr3', 'nested', 'avic', 'migrate', 'reset', 'init', 'cr0', 'call',
]);
// Token kinds as module constants (a cross-module `TK.x` can cost a getter call per use).
const K_BAD = TK.bad;
const K_COMMA = TK.comma;
const K_EOF = TK.eof;
const K_EQ = TK.eq;
const K_LBRACE = TK.lbrace;
const K_LBRACKET = TK.lbracket;
const K_NEWLINE = TK.newline;
const K_OP = TK.op;
const K_RBRACE = TK.rbrace;
const K_RBRACKET = TK.rbracket;
const K_SEMI = TK.semi;
const K_STRING = TK.string;
const K_WORD = TK.word;
const STATEMENT_SET: ReadonlySet<string> = new Set(STATEMENT_KEYWORDS);
const GUEST_LIST = [...GUEST_KEYWORDS].join(', ');

const MEMSLOT_ACTIONS: readonly string[] = ['gpa', 'delete', 'move', 'dirty_log', 'clear_dirty_log'];
const SIZE: readonly string[] = ['size'];

/** Deepest block nesting the parser descends into (recursion stays far from the stack limit). */
export const MAX_DEPTH = 64;

type BlockKind = 'scenario' | 'explore' | 'repeat' | 'steps' | 'block';

/** Values one `A..B` in a sweep list may give (language.md, Limits); points are capped apart. */
export const SWEEP_RANGE_MAX = 100_000;

// Imports read once (a cross-module reference can cost a getter call per use, as TK.x above).
const Span = SourceRange;

/** A number position's name for a diagnostic: given, or made now. */
function whatText(what: string | (() => string)): string {
  return typeof what === 'string' ? what : what();
}

/** Thrown-free signal that the current statement failed (already diagnosed). */
const FAIL = null;

/** Completes a statement: ends its line and returns its node (stmtNodes.ts). */
type Done = <T extends A.Statement>(s: T) => T;

class Parser {
  private pos = 0;
  /** Set when a block was found unclosed: enclosing blocks close silently. */
  private unwinding = false;
  private readonly last: number;
  /** Current block nesting (scenario = 1). */
  private depth = 0;
  /** The statement being parsed (StmtAt, for the nodes of stmtNodes.ts): its keyword and first token. */
  stmtKwTok = 0;
  stmtStart = 0;
  private readonly done: Done = (s) => this.finish(s);
  /** `what` of the VALUE of `expect`/`invariant METRIC OP`: the metric and operator are tokens `whatA`, `whatB` (no closure per statement). */
  private whatA = 0;
  private whatB = 0;
  private readonly expectValueWhat = (): string => `VALUE after \`expect ${this.text(this.whatA)} ${this.text(this.whatB)}\``;
  private readonly invariantValueWhat = (): string => `VALUE after \`invariant ${this.text(this.whatA)} ${this.text(this.whatB)}\``;

  constructor(readonly T: Tokens, readonly diagnostics: Diagnostic[]) {
    this.last = T.count - 1;
  }

  // ------------------------------------------------------------ token helpers

  private kind(t: number): number { return this.T.kind[t]!; }
  private text(t: number): string { return this.T.textOf(t); }
  /** Token `t`'s range: one object of four numbers (source.ts), read from the token arrays. */
  private range(t: number): Range {
    return this.span(t, t);
  }
  /** From the start of token `a` to the end of token `b`. */
  private span(a: number, b: number): Range {
    const T = this.T;
    return new Span(T.line[a]!, T.colOf(a), T.line[b]!, T.colOf(b) + T.end[b]! - T.offset[b]!);
  }
  /** The last token of the statement being parsed, so far (StmtAt). */
  stmtEnd(): number {
    return this.prev();
  }
  private word(t: number): A.Word {
    return tokenWord(this.T, t);
  }
  /** Whether token `t` is the word `w` (compared in place, no slicing). */
  private is(t: number, w: string): boolean {
    const T = this.T;
    return T.kind[t] === K_WORD && T.end[t]! - T.offset[t]! === w.length && T.text.startsWith(w, T.offset[t]!);
  }
  private startsWithDigit(t: number): boolean {
    const c = this.T.text.charCodeAt(this.T.offset[t]!);
    return c >= 48 && c <= 57;
  }

  private peek(k = 0): number {
    const i = this.pos + k;
    return i < this.last ? i : this.last;
  }
  private next(): number {
    const t = this.pos;
    if (t < this.last) this.pos++;
    return t;
  }
  private prev(): number {
    return this.pos > 0 ? this.pos - 1 : 0;
  }
  /** End of a statement: newline, `;`, `}` (not consumed) or end of file. */
  private atEnd(): boolean {
    const k = this.kind(this.pos);
    return k === K_NEWLINE || k === K_SEMI || k === K_RBRACE || k === K_EOF;
  }

  private report(spec: CodeSpec, message: string, range: Range, related?: Diagnostic['related']): void {
    this.diagnostics.push(diagnostic(spec, message, range, related));
  }

  /** How a token reads in "found ..." messages. */
  private found(t: number): string {
    switch (this.kind(t)) {
      case K_NEWLINE: return 'end of line';
      case K_EOF: return 'end of file';
      case K_STRING: return `the string ${this.text(t)}`;
      default: return `\`${this.text(t)}\``;
    }
  }

  /** Reports "expected X, found Y" at `t` (silent on a `bad` token: the scanner reported it). */
  private expected(what: string, t: number, hint = ''): typeof FAIL {
    const k = this.kind(t);
    if (k === K_BAD) return FAIL;
    const r = k === K_NEWLINE || k === K_EOF ? this.endOfPrevRange() : this.range(t);
    this.report(CODES.expected, `expected ${what}, found ${this.found(t)}${hint}`, r);
    return FAIL;
  }
  /** A zero-width range just after the previous token, for "found end of line". */
  private endOfPrevRange(): Range {
    const T = this.T;
    const t = this.prev();
    const line = T.line[t]!;
    const c = T.colOf(t) + T.end[t]! - T.offset[t]!;
    return new SourceRange(line, c, line, c);
  }

  /**
   * Skips the rest of a statement that failed: up to a newline or `;` (consumed) or a `}`
   * (left for the block). A `{` on the way is parsed as a block so braces stay balanced.
   */
  private recover(): void {
    for (;;) {
      const k = this.kind(this.pos);
      if (k === K_EOF || k === K_RBRACE) return;
      if (k === K_NEWLINE || k === K_SEMI) { this.next(); return; }
      const t = this.next();
      if (k === K_LBRACE) {
        this.parseBlock(t, true, 'block');
        if (this.unwinding) return;
      }
    }
  }

  // ------------------------------------------------------------ pieces

  /** A number at the current position; `what` names it in a diagnostic (a function: built only for one). */
  private number(whatOrFn: string | (() => string)): A.NumberLit | null {
    const t = this.pos;
    // An expression (`0x1000 + i * 8`, `base`, `(n << 12)`); a lone literal takes the fast path below.
    if (this.startsNumberExpr(t)) return this.numberExpr(whatOrFn);
    if (this.kind(t) === K_WORD && this.startsWithDigit(t)) {
      this.next();
      const T = this.T;
      const value = numberValueIn(T.text, T.offset[t]!, T.end[t]!);
      if (Number.isNaN(value)) {
        const text = this.text(t);
        const r = parseNumber(text) as { reason: string };
        this.report(CODES.badNumber, `expected ${whatText(whatOrFn)}, found the malformed number \`${text}\`: ${r.reason}`, this.range(t));
        return FAIL;
      }
      return tokenNumber(this.T, t, value);
    }
    // A lone name: say that no `let` or loop variable of that name is defined here.
    const hint = this.kind(t) === K_WORD && /^[A-Za-z_]\w*$/.test(this.text(t)) ? `, which no \`let\` or loop variable defines here` : '';
    return this.expected(whatText(whatOrFn), t, hint);
  }

  /** One of the given words (`on`/`off`, `vmrun`/`vmexit`, ...). */
  private oneOf(words: readonly string[], context: string): A.Word | null {
    const t = this.pos;
    for (const w of words) if (this.is(t, w)) { this.next(); return tokenWord(this.T, t); }
    const list = words.map((w) => `\`${w}\``);
    const what = list.length === 1 ? list[0] : list.length === 2 ? `${list[0]} or ${list[1]}` : `one of ${list.join(', ')}`;
    const near = this.kind(t) === K_WORD ? suggest(this.text(t), words) : undefined;
    return this.expected(`${what} after ${context}`, t, near ? `; did you mean \`${near}\`?` : '');
  }

  /** The word `w` (consumed: true), or the diagnostic `oneOf` gives (false): no node for a word the tree does not keep. */
  private accept(w: string, context: string): boolean {
    if (this.is(this.pos, w)) { this.next(); return true; }
    return this.oneOf([w], context) !== null;
  }

  /** `identifier`'s token, or -1 (diagnosed): for a word the node reads from its token. */
  private identifierTok(what: string): number {
    const t = this.pos;
    if (this.kind(t) === K_WORD && !this.startsWithDigit(t)) { this.next(); return t; }
    this.expected(what, t);
    return -1;
  }

  private identifier(what: string): A.Word | null {
    const t = this.pos;
    if (this.kind(t) === K_WORD && !this.startsWithDigit(t)) { this.next(); return this.word(t); }
    return this.expected(what, t);
  }

  private string(what: string): A.StringLit | null {
    const t = this.pos;
    if (this.kind(t) === K_STRING) { this.next(); return { value: this.T.stringValue(t), range: this.range(t) }; }
    const hint = this.kind(t) === K_WORD && !this.startsWithDigit(t) ? `; write "${this.text(t)}"` : '';
    return this.expected(what, t, hint);
  }

  /** After a complete statement: anything but its end is an error (reported, then skipped). */
  private endStatement(keyword: string): void {
    const t = this.pos;
    const k = this.kind(t);
    if (k === K_NEWLINE || k === K_SEMI) { this.next(); return; }
    if (k === K_RBRACE || k === K_EOF) return;
    if (k !== K_BAD) {
      this.report(CODES.trailingTokens, `expected end of line after the \`${keyword}\` statement, found ${this.found(t)}`, this.range(t));
    }
    this.recover();
  }

  // ------------------------------------------------------------ file level

  parseFile(): A.FileNode {
    const items: A.TopLevel[] = [];
    // After one error at file level (a half-typed `scenario` line whose `{` is not there yet, a
    // `}` that closed the scenario early), the statements that follow are that scenario's body:
    // one diagnostic for the run, not one per line (language.md: one typo, one diagnostic).
    // The run ends at its closing `}` or at the next `scenario` (a `config` line in it is
    // likely the broken scenario's own first line).
    let orphans = false;
    for (;;) {
      this.unwinding = false;
      const t = this.pos;
      const k = this.kind(t);
      if (k === K_EOF) break;
      if (k === K_NEWLINE || k === K_SEMI) { this.next(); continue; }
      if (this.is(t, 'scenario') || this.is(t, 'explore')) {
        // A scenario with a syntax error (`repeat 8` whose `{` is not typed yet) may have been
        // closed early by a `}` meant for an inner block: what follows up to the next `}` is
        // still its body, not a new error.
        const before = this.diagnostics.length;
        items.push(this.is(t, 'explore') ? this.parseExplore() : this.parseScenario());
        orphans = false; // no copy of the list per scenario: most add nothing to it
        for (let i = before; i < this.diagnostics.length && !orphans; i++) { const code = this.diagnostics[i]!.code; orphans = code.startsWith('E1') || code.startsWith('E0'); }
        continue;
      }
      if (this.is(t, 'let')) {
        this.next();
        const node = this.parseLet(t, this.fileScopeRange);
        if (node) { items.push(node); this.endStatement('let'); } else { items.push(this.errorStmt(t)); this.recover(); }
        continue;
      }
      if (this.is(t, 'config') || this.is(t, 'sweep')) {
        const isConfig = this.is(t, 'config');
        const node = isConfig ? this.parseConfig() : this.parseSweep();
        if (node) { items.push(node); this.endStatement(isConfig ? 'config' : 'sweep'); } else { items.push(this.errorStmt(t)); this.recover(); }
        continue;
      }
      this.next();
      if (k === K_RBRACE) {
        if (!orphans) this.report(CODES.unexpectedCloseBrace, 'expected `scenario`, `config` or `sweep`, found `}` that closes no block', this.range(t));
        orphans = false;
        continue;
      }
      const text = this.text(t);
      const orphanRun = orphans;
      orphans = true;
      if (k === K_WORD && STATEMENT_SET.has(text)) {
        if (!orphanRun) this.report(CODES.notAtFileLevel, `expected \`scenario\`, \`config\` or \`sweep\` at file level, found \`${text}\`: it must be inside a \`scenario "NAME" { ... }\` block`, this.range(t));
      } else if (k === K_WORD) {
        const near = suggest(text, TOP_LEVEL_KEYWORDS) ?? suggest(text, STATEMENT_KEYWORDS);
        this.report(CODES.unknownStatement, `unknown statement \`${text}\`${near ? `; did you mean \`${near}\`?` : ''} (expected \`scenario\`, \`config\` or \`sweep\` at file level)`, this.range(t));
      } else if (k !== K_BAD) {
        this.report(CODES.expected, `expected \`scenario\`, \`config\` or \`sweep\`, found ${this.found(t)}`, this.range(t));
      }
      items.push(this.errorStmt(t));
      if (k === K_LBRACE) this.parseBlock(t, true, 'block');
      this.recover();
    }
    const eof = this.last;
    const range: Range = new SourceRange(0, 0, this.T.line[eof]!, this.T.colOf(eof));
    const scenarios: A.ScenarioNode[] = [];
    const explorations: A.ExploreNode[] = [];
    const configs: A.ConfigNode[] = [];
    const sweeps: A.SweepNode[] = [];
    for (const it of items) {
      if (it.kind === 'scenario') scenarios.push(it);
      else if (it.kind === 'explore') explorations.push(it);
      else if (it.kind === 'config') configs.push(it);
      else if (it.kind === 'sweep') sweeps.push(it);
    }
    for (const v of this.variables) {
      if (v.scopeIs(this.fileScopeRange)) v.scope = range;
    }
    return { kind: 'file', items, scenarios, explorations, configs, sweeps, variables: this.variables, range };
  }

  /** An ErrorStatement from `first` to the last consumed token on the same line. */
  private errorStmt(first: number, slot: A.Word | null = null): A.ErrorStatement {
    let last = this.prev();
    if (last < first || this.T.line[last] !== this.T.line[first] || this.kind(last) === K_NEWLINE || this.kind(last) === K_EOF) last = first;
    return { kind: 'error', keyword: this.kind(first) === K_WORD ? this.word(first) : null, slot, range: this.span(first, last) };
  }

  /** Skips newlines if a `{` follows them (`{` may sit on the next line). */
  private skipNewlinesBeforeBrace(): void {
    let k = 0;
    while (this.kind(this.peek(k)) === K_NEWLINE) k++;
    if (this.kind(this.peek(k)) === K_LBRACE) this.pos = this.peek(k);
  }

  /** `explore "NAME" { ... }`: parsed like a scenario whose top level also takes the explore lines. */
  private parseExplore(): A.ExploreNode {
    return this.parseScenario(true) as unknown as A.ExploreNode;
  }

  private parseScenario(explore = false): A.ScenarioNode {
    const kw = this.next();
    const what = explore ? 'explore' : 'scenario';
    let headerFailed = false;
    let nameTok = -1;
    const nt = this.pos;
    const nk = this.kind(nt);
    if (nk === K_STRING) { this.next(); nameTok = nt; }
    else {
      this.string(`the ${explore ? 'exploration' : 'scenario'}'s name (a string) after \`${what}\``);
      headerFailed = true;
      // Skip whatever stood in place of the name (an identifier, say) but not the `{`.
      if (nk !== K_LBRACE && nk !== K_NEWLINE && nk !== K_EOF && nk !== K_RBRACE) this.next();
    }
    this.skipNewlinesBeforeBrace();
    let open = -1;
    if (this.kind(this.pos) === K_LBRACE) open = this.next();
    else if (!headerFailed) {
      this.expected(`\`{\` after the ${explore ? 'exploration' : 'scenario'} name`, this.pos);
      headerFailed = true;
    }
    // Without a `{` the body is parsed anyway, as if it had been there: the closing `}`
    // of the intended block then closes it, and nothing else is reported.
    this.scopes.push(null); // made by the scenario's first `let` (define)
    this.scopeVars.push(null);
    this.nextSlot = 0;
    let block: { body: A.Statement[]; closeBrace: number };
    try {
      block = this.parseBlock(open >= 0 ? open : kw, !headerFailed, explore ? 'explore' : 'scenario', true);
    } finally {
      this.scopes.pop();
      this.scopeVars.pop();
    }
    const endTok = block.closeBrace >= 0 ? block.closeBrace : this.lastNonNewline(kw);
    this.closeScopes(kw, endTok);
    return new N.ScenarioBlock(this.T, explore ? 'explore' : 'scenario', kw, nameTok, open, block.closeBrace, endTok, block.body) as A.ScenarioNode;
  }

  /** The last token before the current position that is not a newline (for ranges of unclosed blocks). */
  private lastNonNewline(floor: number): number {
    for (let i = this.pos - 1; i > floor; i--) {
      const k = this.kind(i);
      if (k !== K_NEWLINE && k !== K_EOF) return i;
    }
    return floor;
  }

  /**
   * Statements up to the matching `}` (`closeBrace` -1 when there is none). `open` is the
   * `{` (for the unclosed-block diagnostic); `reportUnclosed` is false when the header failed.
   */
  private parseBlock(open: number, reportUnclosed: boolean, what: BlockKind, topOfScenario = false): { body: A.Statement[]; closeBrace: number } {
    if (this.depth >= MAX_DEPTH) return this.skipDeepBlock(open);
    this.depth++;
    try {
      return this.parseBlockBody(open, reportUnclosed, what, topOfScenario);
    } finally {
      this.depth--;
    }
  }

  /**
   * A block nested deeper than MAX_DEPTH: one diagnostic, then skip to its matching `}`
   * without recursion (the parser must not overflow the stack on any input).
   */
  private skipDeepBlock(open: number): { body: A.Statement[]; closeBrace: number } {
    this.report(CODES.nestingTooDeep, `expected blocks nested at most ${MAX_DEPTH} deep, found a deeper \`{\`; the block is skipped`, this.range(open));
    let level = 1;
    for (;;) {
      const t = this.pos;
      const k = this.kind(t);
      if (k === K_EOF) { this.unwinding = true; return { body: [], closeBrace: -1 }; }
      this.next();
      if (k === K_LBRACE) level++;
      else if (k === K_RBRACE && --level === 0) return { body: [], closeBrace: t };
    }
  }

  /** Statements of the blocks being parsed, innermost last (`stackTop` of them): each block's list is copied out once, at its size. */
  private readonly stack: A.Statement[] = [];
  private stackTop = 0;

  private parseBlockBody(open: number, reportUnclosed: boolean, what: BlockKind, topOfScenario: boolean): { body: A.Statement[]; closeBrace: number } {
    const base = this.stackTop;
    try {
      return this.parseStatements(open, reportUnclosed, what, topOfScenario, base);
    } finally {
      this.stackTop = base;
    }
  }

  /** The block's statements, `stack[base..]` while read. */
  private body(base: number): A.Statement[] {
    return compactFrom(this.stack, base, this.stackTop);
  }

  private parseStatements(open: number, reportUnclosed: boolean, what: BlockKind, topOfScenario: boolean, base: number): { body: A.Statement[]; closeBrace: number } {
    let sawOther = false;
    for (;;) {
      const t = this.pos;
      const k = this.kind(t);
      if (k === K_NEWLINE || k === K_SEMI) { this.next(); continue; }
      if (k === K_RBRACE) { this.next(); return { body: this.body(base), closeBrace: t }; }
      if (k === K_EOF || this.is(t, 'scenario') || this.is(t, 'explore')) {
        if (!this.unwinding && reportUnclosed) {
          const opener = what === 'scenario' ? 'the scenario' : what === 'explore' ? 'the exploration' : what === 'repeat' ? 'the `repeat` block' : what === 'steps' ? 'the `steps` block' : 'the block';
          this.report(CODES.missingCloseBrace, `expected \`}\` to close ${opener} opened here, found ${k === K_EOF ? 'end of file' : `\`${this.text(t)}\` at line ${this.T.line[t]! + 1}`}`, this.range(open));
        }
        this.unwinding = true;
        return { body: this.body(base), closeBrace: -1 };
      }
      const s = this.parseStatement(what !== 'scenario' && what !== 'explore', topOfScenario && !sawOther, what === 'explore');
      this.stack[this.stackTop++] = s;
      // A `let` names a constant and runs nothing: `config` may still follow it (`config l0_shadows = 4 * N`).
      if (s.kind !== 'config_stmt' && s.kind !== 'sweep_stmt' && s.kind !== 'let') sawOther = true;
      if (this.unwinding) return { body: this.body(base), closeBrace: -1 };
    }
  }

  // ------------------------------------------------------------ statements

  /** A failed statement: skip its rest, keep an ErrorStatement for the tree. */
  private fail(first: number, slot: A.Word | null = null): A.ErrorStatement {
    const e = this.errorStmt(first, slot);
    this.recover();
    return e;
  }

  private parseStatement(inBlock: boolean, configAllowed: boolean, exploreTop = false): A.Statement {
    const first = this.pos;
    const fk = this.kind(first);
    if (fk !== K_WORD) {
      this.next();
      if (fk !== K_BAD) {
        this.report(CODES.expected, `expected a statement (${STATEMENT_KEYWORDS.slice(2, 8).map((k) => `\`${k}\``).join(', ')}, ...), found ${this.found(first)}`, this.range(first));
      }
      const e = this.errorStmt(first);
      if (fk === K_LBRACE) this.parseBlock(first, true, 'block');
      this.recover();
      return e;
    }
    let vcpu: A.VcpuPrefix | null = null;
    if (this.is(first, 'vcpu')) {
      this.next();
      const idx = this.number('a vCPU number after `vcpu`');
      if (!idx) return this.fail(first);
      const kw = this.pos;
      const kwText = this.kind(kw) === K_WORD ? this.text(kw) : '';
      if (!GUEST_KEYWORDS.has(kwText)) {
        if (STATEMENT_SET.has(kwText)) {
          this.report(CODES.vcpuOnNonGuest, `expected a guest statement after \`vcpu ${idx.text}\` (${GUEST_LIST}), found \`${kwText}\`, which does not run on a vCPU`, this.range(kw));
        } else if (kwText) {
          const near = suggest(kwText, GUEST_KEYWORDS);
          this.report(CODES.unknownStatement, `unknown statement \`${kwText}\`${near ? `; did you mean \`${near}\`?` : ''} (expected a guest statement after \`vcpu ${idx.text}\`)`, this.range(kw));
        } else {
          this.expected(`a guest statement after \`vcpu ${idx.text}\``, kw);
        }
        return this.fail(first);
      }
      vcpu = { keyword: this.word(first), index: idx, range: this.span(first, this.prev()) };
    }
    const kwTok = this.next();
    const kwText = this.text(kwTok);
    this.stmtKwTok = kwTok;
    this.stmtStart = vcpu ? first : kwTok;
    const done = this.done;
    switch (kwText) {
      case 'config': {
        if (!configAllowed) {
          this.report(CODES.misplacedConfig, inBlock
            ? 'expected a statement inside `repeat`, found `config`: configuration applies to the whole scenario'
            : 'expected `config` before the scenario\'s first other statement, found it after: move it to the top of the scenario', this.range(kwTok));
        }
        this.pos--;
        const node = this.parseConfig();
        if (!node) return this.fail(kwTok);
        return done(new N.ConfigStmtNode(this, node));
      }
      case 'sweep': {
        if (inBlock) this.report(CODES.misplacedConfig, 'expected a statement inside `repeat`, found `sweep`: sweeps apply to the whole scenario', this.range(kwTok));
        this.pos--;
        const node = this.parseSweep();
        if (!node) return this.fail(kwTok);
        return done(new N.SweepStmtNode(this, node));
      }
      case 'memslot': return this.parseMemslot(kwTok, done);
      case 'unmap': {
        const gpa = this.number('ADDR (a guest-physical address) after `unmap`');
        if (!gpa) return this.fail(kwTok);
        if (!this.accept('size', '`unmap ADDR`')) return this.fail(kwTok);
        const size = this.number('SIZE after `size`');
        if (!size) return this.fail(kwTok);
        return done(new N.UnmapNode(this, gpa, size));
      }
      case 'collapse': {
        const gpa = this.number('ADDR (a guest-physical address in the 2M region) after `collapse`');
        if (!gpa) return this.fail(kwTok);
        return done(new N.CollapseNode(this, gpa));
      }
      case 'teardown': return done(new N.BareNode(this, 'teardown'));
      case 'read': {
        const gpa = this.number('ADDR (a guest-physical address) after `read`');
        if (!gpa) return this.fail(first);
        let expected: A.NumberLit | null = null;
        const t = this.pos;
        if (this.kind(t) === K_OP && this.text(t) === '==') {
          this.next();
          expected = this.number('the expected VALUE after `==`');
          if (!expected) return this.fail(first);
        } else if (!this.atEnd()) {
          this.expected('`== VALUE` or end of line after `read ADDR`', t, this.kind(t) === K_EQ ? '; did you mean `==`?' : '');
          return this.fail(first);
        }
        return done(new N.ReadNode(this, vcpu, gpa, expected));
      }
      case 'write': {
        const gpa = this.number('ADDR (a guest-physical address) after `write`');
        if (!gpa) return this.fail(first);
        const t = this.pos;
        if (this.kind(t) === K_EQ) {
          this.next();
          const value = this.number('VALUE after `=`');
          if (!value) return this.fail(first);
          return done(new N.WriteNode(this, vcpu, gpa, value));
        }
        if (this.is(t, 'size')) {
          this.next();
          const r = this.rangeTail('write');
          if (!r) return this.fail(first);
          return done(new N.RangeNode(this, 'write_range', vcpu, gpa, r.size, r.pattern));
        }
        this.expected('`= VALUE` or `size SIZE` after `write ADDR`', t, this.kind(t) === K_OP && this.text(t) === '==' ? '; a store is `write ADDR = VALUE`' : '');
        return this.fail(first);
      }
      case 'verify': {
        const gpa = this.number('ADDR (a guest-physical address) after `verify`');
        if (!gpa) return this.fail(first);
        if (!this.accept('size', '`verify ADDR`')) return this.fail(first);
        const r = this.rangeTail('verify');
        if (!r) return this.fail(first);
        return done(new N.RangeNode(this, 'verify', vcpu, gpa, r.size, r.pattern));
      }
      case 'touch': return this.parseTouch(first, vcpu, done);
      case 'smi': return done(new N.GuestBareNode(this, 'smi', vcpu));
      case 'rsm': return done(new N.GuestBareNode(this, 'rsm', vcpu));
      case 'migrate': return done(new N.GuestBareNode(this, 'migrate', vcpu));
      case 'reset': return done(new N.GuestBareNode(this, 'reset', vcpu));
      case 'init': return done(new N.GuestBareNode(this, 'init', vcpu));
      case 'cr0': {
        const bit = this.oneOf(['pg'], '`cr0`');
        if (!bit) return this.fail(first);
        const on = this.oneOf(['on', 'off'], '`cr0 pg`');
        if (!on) return this.fail(first);
        return done(new N.CrBitNode(this, 'cr0', vcpu, bit, on));
      }
      case 'cr4': {
        const bit = this.oneOf(['pge', 'pcide', 'smep'], '`cr4`');
        if (!bit) return this.fail(first);
        const on = this.oneOf(['on', 'off'], `\`cr4 ${bit.text}\``);
        if (!on) return this.fail(first);
        return done(new N.CrBitNode(this, 'cr4', vcpu, bit, on));
      }
      case 'cr3': {
        const value = this.number('VALUE (the new CR3) after `cr3`');
        if (!value) return this.fail(first);
        let noflush: A.Word | null = null;
        if (!this.atEnd()) {
          noflush = this.oneOf(['noflush'], '`cr3 VALUE`');
          if (!noflush) return this.fail(first);
        }
        return done(new N.Cr3Node(this, vcpu, value, noflush));
      }
      case 'nested': {
        const dir = this.oneOf(['vmrun', 'vmexit'], '`nested`');
        if (!dir) return this.fail(first);
        let ncr3Kw: A.Word | null = null;
        let ncr3: A.NumberLit | null = null;
        if (!this.atEnd()) {
          ncr3Kw = this.oneOf(['ncr3'], `\`nested ${dir.text}\``);
          if (!ncr3Kw) return this.fail(first);
          ncr3 = this.number('ADDR (the L3 nested CR3, an L2 guest-physical address) after `ncr3`');
          if (!ncr3) return this.fail(first);
        }
        return done(new N.NestedNode(this, vcpu, dir, ncr3Kw, ncr3));
      }
      case 'avic': {
        const on = this.oneOf(['on'], '`avic`');
        if (!on) return this.fail(first);
        return done(new N.AvicNode(this, vcpu, on));
      }
      case 'call': {
        const fn = this.identifier('FUNCTION (a kernel function name) after `call`');
        if (!fn) return this.fail(first);
        let arg: A.NumberLit | A.Word | null = null;
        const t = this.pos;
        if (this.kind(t) === K_WORD) {
          if (this.startsWithDigit(t)) {
            arg = this.number(() => `an address or \`root\` after \`call ${fn.text}\``);
            if (!arg) return this.fail(first);
          } else if (this.startsNumberExpr(t)) {
            arg = this.number(() => `an address or \`root\` after \`call ${fn.text}\``);
            if (!arg) return this.fail(first);
          } else { this.next(); arg = this.word(t); }
        }
        return done(new N.CallNode(this, vcpu, fn, arg));
      }
      case 'repeat': return this.parseRepeat(kwTok);
      case 'for': return this.parseFor(kwTok);
      case 'let': {
        if (inBlock) this.report(CODES.misplacedLet, 'expected `let` at file or scenario level, found it inside a loop: a `let` is a constant (use the loop\'s variable, `repeat N as i`)', this.range(kwTok));
        const node = this.parseLet(kwTok, null);
        if (!node) return this.fail(kwTok);
        return done<A.Let>(node);
      }
      case 'rcu': return done(new N.BareNode(this, 'rcu'));
      case 'zap_worker': return done(new N.BareNode(this, 'zap_worker'));
      case 'alloc': {
        const next = this.oneOf(['next'], '`alloc`');
        if (!next) return this.fail(kwTok);
        const picks: (A.NumberLit | A.Word)[] = [];
        while (!this.atEnd()) {
          if (this.is(this.pos, 'fresh')) { picks.push(this.word(this.next())); continue; }
          const n = this.number('a page address or `fresh` after `alloc next`');
          if (!n) return this.fail(kwTok);
          picks.push(n);
        }
        if (picks.length === 0) { this.expected('a page address or `fresh` after `alloc next`', this.pos); return this.fail(kwTok); }
        return done(new N.AllocNextNode(this, next, picks));
      }
      case 'steps': case 'depth': case 'invariant': case 'strategy':
        if (exploreTop) return this.parseExploreLine(kwTok, done);
        this.report(CODES.unknownStatement, `unknown statement \`${kwText}\` here: \`${kwText}\` is a line of an \`explore\` block (docs/explore.md)`, this.range(kwTok));
        return this.fail(kwTok);
      case 'checkpoint': {
        const label = this.string('LABEL (a string) after `checkpoint`');
        if (!label) return this.fail(kwTok);
        return done(new N.CheckpointNode(this, label));
      }
      case 'expect': {
        if (this.is(this.pos, 'ok')) {
          const ok = this.word(this.next());
          return done(new N.ExpectOkNode(this, ok));
        }
        const m = this.identifierTok('METRIC (e.g. `stale`) or `ok` after `expect`');
        if (m < 0) return this.fail(kwTok);
        const t = this.pos;
        if (this.kind(t) !== K_OP) {
          this.expected(`a comparison (\`==\`, \`!=\`, \`<\`, \`<=\`, \`>\`, \`>=\`) after \`expect ${this.text(m)}\``, t, this.kind(t) === K_EQ ? '; did you mean `==`?' : '');
          return this.fail(kwTok);
        }
        this.next();
        this.whatA = m;
        this.whatB = t;
        const value = this.number(this.expectValueWhat);
        if (!value) return this.fail(kwTok);
        return done(new N.CompareNode(this, 'expect', t, value));
      }
      case 'print': {
        const metric = this.identifier('METRIC (e.g. `stale`) after `print`');
        if (!metric) return this.fail(kwTok);
        return done(new N.PrintNode(this, metric));
      }
      default: {
        const near = suggest(kwText, STATEMENT_KEYWORDS);
        // Without a close word, say what a statement can start with (the message must name what was expected).
        this.report(CODES.unknownStatement, `unknown statement \`${kwText}\`${near ? `; did you mean \`${near}\`?` : ` (expected a statement: ${STATEMENT_KEYWORDS.join(', ')})`}`, this.range(kwTok));
        return this.fail(kwTok);
      }
    }
  }

  /** `steps { ... }`, `depth N`, `invariant METRIC OP VALUE`, `strategy bfs|random samples N`. */
  private parseExploreLine(kwTok: number, done: Done): A.Statement {
    const kw = this.word(kwTok);
    switch (kw.text) {
      case 'steps': {
        this.skipNewlinesBeforeBrace();
        const open = this.pos;
        if (this.kind(open) !== K_LBRACE) { this.expected('`{` after `steps`', open); return this.fail(kwTok); }
        this.next();
        const block = this.parseBlock(open, true, 'steps');
        const end = block.closeBrace >= 0 ? block.closeBrace : this.lastNonNewline(kwTok);
        const node: A.ExploreSteps = {
          kind: 'explore_steps', keyword: kw, body: block.body, openBrace: this.range(open),
          closeBrace: block.closeBrace >= 0 ? this.range(block.closeBrace) : null, range: this.span(kwTok, end),
        };
        if (!this.unwinding) this.endStatement('steps');
        return node;
      }
      case 'depth': {
        const value = this.number('N (the most steps after the setup) after `depth`');
        if (!value) return this.fail(kwTok);
        return done(new N.ExploreDepthNode(this, value));
      }
      case 'invariant': {
        const m = this.identifierTok('METRIC (e.g. `stale`) after `invariant`');
        if (m < 0) return this.fail(kwTok);
        const t = this.pos;
        if (this.kind(t) !== K_OP) {
          this.expected(`a comparison (\`==\`, \`!=\`, \`<\`, \`<=\`, \`>\`, \`>=\`) after \`invariant ${this.text(m)}\``, t, this.kind(t) === K_EQ ? '; did you mean `==`?' : '');
          return this.fail(kwTok);
        }
        this.next();
        this.whatA = m;
        this.whatB = t;
        const value = this.number(this.invariantValueWhat);
        if (!value) return this.fail(kwTok);
        return done(new N.CompareNode(this, 'explore_invariant', t, value));
      }
      default: {
        const strategy = this.oneOf(['bfs', 'random'], '`strategy`');
        if (!strategy) return this.fail(kwTok);
        let samples: A.NumberLit | null = null;
        if (strategy.text === 'random') {
          if (!this.accept('samples', '`strategy random`')) return this.fail(kwTok);
          samples = this.number('N (how many random walks) after `samples`');
          if (!samples) return this.fail(kwTok);
        }
        return done(new N.ExploreStrategyNode(this, strategy, samples));
      }
    }
  }

  /** Ends the statement's line (reporting anything left on it) and returns the node. */
  private finish<T extends A.Statement>(s: T): T {
    this.endStatement(this.text(this.stmtKwTok));
    return s;
  }

  /** `SIZE [pattern NAME]` after `size` (write and verify). */
  private rangeTail(kw: string): { size: A.NumberLit; pattern: A.Word | null } | null {
    const size = this.number(() => `SIZE after \`${kw} ADDR size\``);
    if (!size) return null;
    let pattern: A.Word | null = null;
    if (!this.atEnd()) {
      if (!this.accept('pattern', `\`${kw} ADDR size SIZE\``)) return null;
      pattern = this.identifier('NAME (a pattern name) after `pattern`');
      if (!pattern) return null;
    }
    return { size, pattern };
  }

  private parseMemslot(kwTok: number, done: Done): A.Statement {
    const t = this.pos;
    if (this.kind(t) !== K_WORD) { this.expected('ID (a memslot name or number) after `memslot`', t); return this.fail(kwTok); }
    this.next();
    const slot = this.word(t);
    if (this.startsWithDigit(t)) {
      const r = parseNumber(slot.text);
      if (!r.ok) { this.report(CODES.badNumber, `expected ID (a memslot name or number) after \`memslot\`, found the malformed number \`${slot.text}\`: ${r.reason}`, slot.range); return this.fail(kwTok); }
    } else if (slot.text.includes('.')) {
      this.report(CODES.expected, `expected ID (a memslot name or number) after \`memslot\`, found \`${slot.text}\`: names have no \`.\``, slot.range);
      return this.fail(kwTok);
    }
    const viaLoop = this.slotVariable(slot);
    if (viaLoop) return this.parseMemslotAction(kwTok, viaLoop, done);
    return this.parseMemslotAction(kwTok, slot, done);
  }

  /** `oneOf` after `memslot ID…`: the context (`memslot ID` + `tail`) is built only for a diagnostic. */
  private oneOfAfterSlot(words: readonly string[], slot: A.Word, tail: string): A.Word | null {
    const t = this.pos;
    for (const w of words) if (this.is(t, w)) { this.next(); return tokenWord(this.T, t); }
    return this.oneOf(words, `\`memslot ${slot.text}${tail}\``);
  }

  /** `oneOfAfterSlot` without the word: whether one was there (then consumed), no node for it. */
  private acceptAfterSlot(words: readonly string[], slot: A.Word, tail: string): boolean {
    for (const w of words) if (this.is(this.pos, w)) { this.next(); return true; }
    return this.oneOf(words, `\`memslot ${slot.text}${tail}\``) !== null;
  }

  private parseMemslotAction(kwTok: number, slot: A.Word, done: Done): A.Statement {
    const actionTok = this.pos;
    if (!this.acceptAfterSlot(MEMSLOT_ACTIONS, slot, '')) return this.fail(kwTok, slot);
    switch (this.text(actionTok)) {
      case 'gpa': {
        const gpa = this.number('ADDR after `gpa`');
        if (!gpa) return this.fail(kwTok, slot);
        if (!this.acceptAfterSlot(SIZE, slot, ' gpa ADDR')) return this.fail(kwTok, slot);
        const size = this.number('SIZE after `size`');
        if (!size) return this.fail(kwTok, slot);
        // Options in any order, each at most once: `readonly`, `hugepages` (2M host backing).
        let ro: A.Word | null = null;
        let huge: A.Word | null = null;
        while (!this.atEnd()) {
          const opt = this.oneOfAfterSlot(['readonly', 'hugepages'], slot, ' gpa ADDR size SIZE');
          if (!opt) return this.fail(kwTok, slot);
          if ((opt.text === 'readonly' ? ro : huge) !== null) {
            this.report(CODES.duplicateOption, `expected each option of \`memslot ${slot.text} gpa ADDR size SIZE\` at most once, found a second \`${opt.text}\``, opt.range);
            return this.fail(kwTok, slot);
          }
          if (opt.text === 'readonly') ro = opt; else huge = opt;
        }
        return done(new N.MemslotCreateNode(this, slot, gpa, size, ro, huge));
      }
      case 'delete': {
        let free: A.Word | null = null;
        if (!this.atEnd()) {
          free = this.oneOfAfterSlot(['free'], slot, ' delete');
          if (!free) return this.fail(kwTok, slot);
        }
        return done(new N.MemslotDeleteNode(this, slot, actionTok, free));
      }
      case 'move': {
        const gpa = this.number('ADDR (the new guest-physical address) after `move`');
        if (!gpa) return this.fail(kwTok, slot);
        return done(new N.MemslotMoveNode(this, slot, actionTok, gpa));
      }
      case 'clear_dirty_log':
        return done(new N.MemslotClearDirtyLogNode(this, slot, actionTok));
      default: {
        const on = this.oneOfAfterSlot(['on', 'off'], slot, ' dirty_log');
        if (!on) return this.fail(kwTok, slot);
        return done(new N.MemslotDirtyLogNode(this, slot, actionTok, on));
      }
    }
  }

  private parseTouch(first: number, vcpu: A.VcpuPrefix | null, done: Done): A.Statement {
    const gpa = this.number('ADDR (a guest-physical address) after `touch`');
    if (!gpa) return this.fail(first);
    if (!this.accept('size', '`touch ADDR`')) return this.fail(first);
    const size = this.number('SIZE after `size`');
    if (!size) return this.fail(first);
    let stride: A.NumberLit | null = null;
    let count: A.NumberLit | null = null;
    let random: A.Word | null = null;
    let write: A.Word | null = null;
    while (!this.atEnd()) {
      const opt = this.oneOf(['stride', 'count', 'random', 'write'], '`touch ADDR size SIZE`');
      if (!opt) return this.fail(first);
      const seen = opt.text === 'stride' ? stride : opt.text === 'count' ? count : opt.text === 'random' ? random : write;
      if (seen) {
        this.report(CODES.duplicateOption, `expected each option of \`touch\` at most once, found a second \`${opt.text}\``, opt.range);
        return this.fail(first);
      }
      if (opt.text === 'stride') { stride = this.number('SIZE after `stride`'); if (!stride) return this.fail(first); }
      else if (opt.text === 'count') { count = this.number('N after `count`'); if (!count) return this.fail(first); }
      else if (opt.text === 'random') random = opt;
      else write = opt;
    }
    return done(new N.TouchNode(this, vcpu, gpa, size, stride, count, random, write));
  }

  private parseRepeat(kwTok: number): A.Statement {
    let count: A.NumberLit | null = null;
    let failed = false;
    if (this.kind(this.pos) === K_LBRACE) {
      this.expected('N (how many times) after `repeat`', this.pos);
      failed = true;
    } else {
      count = this.number('N (how many times) after `repeat`');
      if (!count) {
        failed = true;
        // Skip to the `{` on this line so the block still parses (braces stay balanced).
        while (!this.atEnd() && this.kind(this.pos) !== K_LBRACE) this.next();
      }
    }
    let loopVar: A.LoopVar | null = null;
    if (!failed && this.is(this.pos, 'as')) {
      this.next();
      const name = this.identifier('NAME (the loop index) after `repeat N as`');
      if (!name) { failed = true; while (!this.atEnd() && this.kind(this.pos) !== K_LBRACE) this.next(); }
      else {
        const hi = count ? (count.dynamic ? count.dynamic.hi : count.value) - 1 : 0;
        loopVar = this.newLoopVar(name, 'index', 0, Math.max(0, hi), null, true);
      }
    }
    this.skipNewlinesBeforeBrace();
    const open = this.pos;
    if (this.kind(open) !== K_LBRACE) {
      if (!failed) this.expected(`\`{\` after \`repeat ${count ? count.text : 'N'}${loopVar ? ` as ${loopVar.name.text}` : ''}\``, open, loopVar ? '' : this.is(open, 'as') ? '' : '');
      return this.fail(kwTok);
    }
    this.next();
    const block = this.loopBlock(open, loopVar);
    const end = block.closeBrace >= 0 ? block.closeBrace : this.lastNonNewline(kwTok);
    const node = repeatNode(this.T, kwTok, open, block.closeBrace, end, count, loopVar, undefined, block.body);
    if (!this.unwinding) this.endStatement('repeat');
    return node;
  }

  // ------------------------------------------------------------ let, loop variables, expressions

  /**
   * Scopes, innermost last: the file's, a scenario's, then one per loop with a variable. A
   * loop's scope is its variable alone (a `let` inside a loop, already an error, gets a map
   * there when defined): no map per loop, and loops nest at most MAX_DEPTH deep.
   */
  private readonly scopes: (Map<string, Binding> | null)[] = [new Map()];
  /** Per scope: the loop variable it defines, or null. */
  private readonly scopeVars: (LoopBinding | null)[] = [null];
  private readonly variables: VariableRecord[] = [];
  /** Every variable's uses (VariableRecord). */
  private readonly useLinks = new UseLinks();
  /** Stands for the file's range until it is known (file-level `let`s). */
  private readonly fileScopeRange: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  /** Next loop-variable slot of the scenario being parsed. */
  private nextSlot = 0;

  private host: ExprHost | undefined;
  private reader: Reader | undefined;
  private get exprHost(): ExprHost {
    return this.host ??= {
      T: this.T,
      range: (t) => this.range(t),
      span: (a, b) => this.span(a, b),
      resolve: (name, t) => {
        const b = this.lookup(name);
        if (b) this.noteUse(b, t);
        return b;
      },
    };
  }

  private lookup(name: string): Binding | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const lv = this.scopeVars[i];
      if (lv && lv.name === name) return lv;
      const b = this.scopes[i]?.get(name);
      if (b) return b;
    }
    return undefined;
  }

  /** Bindings the parser makes carry their use list (token indices, for hover); no map from binding to list. */
  private noteUse(b: Binding, t: number): void {
    (b as { readonly uses?: UseSink }).uses?.noteUse(t);
  }

  /** Whether a number expression starts at `t`: a literal followed by an operator, `(`, `-`, or a known name. */
  private startsNumberExpr(t: number): boolean {
    const T = this.T;
    if (!startsExpr(T, t)) return false;
    if (this.kind(t) !== K_WORD) return true;
    if (this.startsWithDigit(t)) return isBinaryOp(T, t + 1 <= this.last ? t + 1 : this.last);
    const b = this.lookup(this.text(t));
    return b !== undefined || isBinaryOp(T, t + 1 <= this.last ? t + 1 : this.last);
  }

  private numberExpr(what: string | (() => string)): A.NumberLit | null {
    const r = readExpr(this.exprHost, this.pos, this.last, this.reader ??= new Reader(this.exprHost));
    this.pos = Math.min(r.next, this.last);
    if (r.ok) return r.num;
    const spec = r.code === 'name' ? CODES.undefinedName : r.code === 'value' ? CODES.badExpression : r.code === 'depth' ? CODES.expressionTooDeep : CODES.expected;
    this.report(spec, r.code === 'syntax' ? `${r.message} in ${whatText(what)}` : r.message, r.range);
    return FAIL;
  }

  /** Defines `name` in the innermost scope (E242 when it is already defined in scope). */
  private define(name: A.Word, b: Binding): boolean {
    const prev = this.lookup(name.text);
    if (prev) {
      const at = prev.kind === 'let' ? prev.decl : prev.v.name.range;
      this.report(CODES.duplicateName, `expected a new name, found \`${name.text}\`, already defined at line ${at.start.line + 1}`, name.range, [{ message: 'defined here', range: at }]);
      return false;
    }
    const top = this.scopes.length - 1;
    (this.scopes[top] ??= new Map()).set(name.text, b);
    return true;
  }

  /** `let NAME = EXPR` after the `let` keyword (consumed). `scope` is the file's for a file-level let. */
  private parseLet(kwTok: number, scope: Range | null): A.Let | null {
    const name = this.identifier('NAME after `let`');
    if (!name) return null;
    if (this.kind(this.pos) !== K_EQ) { this.expected(`\`=\` after \`let ${name.text}\``, this.pos); return null; }
    this.next();
    const value = this.number(() => `the value of \`${name.text}\` (a number or an expression)`);
    if (!value) return null;
    if (value.dynamic) {
      this.report(CODES.misplacedLet, `expected a constant value for \`let ${name.text}\`, found \`${value.text}\`, which uses a loop variable`, value.range);
      return null;
    }
    const decl = name.range;
    const record = variableRecord(this.T, name, 'let', scope ?? this.fileScopeRange, value.value, value.value, null, this.useLinks);
    if (this.define(name, { kind: 'let', value: value.value, decl, uses: record } as Binding)) {
      this.variables.push(record);
      if (!scope) this.scenarioLets.push(record);
    }
    this.stmtKwTok = kwTok;
    this.stmtStart = kwTok;
    return new N.LetNode(this, name, value);
  }

  /** Scenario-level lets waiting for their scope's range. */
  private scenarioLets: VariableRecord[] = [];
  /** The loop variable newLoopVar made last, and its hover record (loopBlock takes them next). */
  private lastLoopVar: A.LoopVar | null = null;
  private lastLoopInfo: VariableRecord | null = null;

  /** The scenario's lets get its range, tokens `kw`..`endTok`, as their scope. */
  private closeScopes(kw: number, endTok: number): void {
    if (this.scenarioLets.length === 0) return;
    const scenarioRange = this.span(kw, endTok);
    for (const v of this.scenarioLets) v.scope = scenarioRange;
    this.scenarioLets = [];
  }

  private newLoopVar(name: A.Word, kind: 'index' | 'for', lo: number, hi: number, values: readonly string[] | null, numeric: boolean): A.LoopVar {
    const v: A.LoopVar = { name, slot: this.nextSlot++, kind, lo, hi, values, numeric };
    const info = variableRecord(this.T, name, kind, null, lo, hi, values, this.useLinks);
    this.variables.push(info);
    this.lastLoopVar = v;
    this.lastLoopInfo = info;
    return v;
  }

  /** A loop body with its variable in scope; the variable's scope becomes the loop's block. */
  private loopBlock(open: number, v: A.LoopVar | null): { body: A.Statement[]; closeBrace: number } {
    if (!v) return this.parseBlock(open, true, 'repeat');
    const name = v.name.text;
    const prev = this.lookup(name);
    if (prev) {
      const at = prev.kind === 'let' ? prev.decl : prev.v.name.range;
      this.report(CODES.duplicateName, `expected a new name for the loop variable, found \`${name}\`, already defined at line ${at.start.line + 1}`, v.name.range, [{ message: 'defined here', range: at }]);
    }
    const info = this.lastLoopVar === v ? this.lastLoopInfo : null;
    this.lastLoopVar = null;
    this.lastLoopInfo = null;
    const binding: LoopBinding = info ? { kind: 'loop', v, name, uses: info } : { kind: 'loop', v, name };
    this.scopes.push(null);
    this.scopeVars.push(binding);
    let block: { body: A.Statement[]; closeBrace: number };
    try {
      block = this.parseBlock(open, true, 'repeat');
    } finally {
      this.scopes.pop();
      this.scopeVars.pop();
    }
    if (info) {
      info.scopeTokens(open, block.closeBrace >= 0 ? block.closeBrace : this.lastNonNewline(open));
    }
    return block;
  }

  /** A memslot id that names a loop variable (the word just read): the word, marked with it. */
  private slotVariable(slot: A.Word): A.Word | null {
    const t = this.prev();
    if (this.startsWithDigit(t)) return null;
    const b = this.lookup(slot.text);
    if (!b || b.kind !== 'loop') return null;
    this.noteUse(b, t);
    return { text: slot.text, range: slot.range, loopVar: b.v };
  }

  /** `for NAME in [v1, v2, ...] { ... }`: numbers (expressions of constants) or memslot ids. */
  private parseFor(kwTok: number): A.Statement {
    const name = this.identifier('NAME (the loop variable) after `for`');
    if (!name) return this.skipLoopHeader(kwTok);
    if (!this.is(this.pos, 'in')) { this.expected(`\`in\` after \`for ${name.text}\``, this.pos); return this.skipLoopHeader(kwTok); }
    this.next();
    const open = this.pos;
    if (this.kind(open) !== K_LBRACKET) { this.expected(`\`[\` (a list of values) after \`for ${name.text} in\``, open); return this.skipLoopHeader(kwTok); }
    this.next();
    const list: (A.NumberLit | A.Word)[] = [];
    for (;;) {
      const t = this.pos;
      const k = this.kind(t);
      if (k === K_RBRACKET) { this.next(); break; }
      let item: A.NumberLit | A.Word | null;
      if (k === K_WORD && !this.startsWithDigit(t) && !this.startsNumberExpr(t)) { this.next(); item = this.word(t); }
      else if (startsExpr(this.T, t)) item = this.number('a value of the list');
      else { this.expected(list.length ? '`,` or `]`' : 'a value or `]`', t); return this.skipLoopHeader(kwTok); }
      if (!item) return this.skipLoopHeader(kwTok);
      if ('value' in item && item.dynamic) {
        this.report(CODES.expected, `expected constant values in the list of \`for ${name.text}\`, found \`${item.text}\`, which uses a loop variable`, item.range);
        return this.skipLoopHeader(kwTok);
      }
      list.push(item);
      const sep = this.kind(this.pos);
      if (sep === K_COMMA) { this.next(); continue; }
      if (sep === K_RBRACKET) continue;
      this.expected('`,` or `]` in the list', this.pos);
      return this.skipLoopHeader(kwTok);
    }
    const numbers = list.filter((x): x is A.NumberLit => 'value' in x);
    if (numbers.length > 0 && numbers.length < list.length) {
      const word = list.find((x) => !('value' in x))!;
      this.report(CODES.expected, `expected the list of \`for ${name.text}\` to hold numbers or memslot ids, found both (\`${word.text}\` is not a number, a \`let\` or a loop variable)`, word.range);
      return this.skipLoopHeader(kwTok);
    }
    const numeric = list.length > 0 && numbers.length === list.length;
    const values = list.map((x) => ('value' in x ? String(x.value) : x.text));
    // A loop, not Math.min(...list): a spread of 10^5 values overflows the stack.
    let lo = numeric ? Infinity : 0;
    let hi = numeric ? -Infinity : 0;
    if (numeric) for (const n of numbers) { if (n.value < lo) lo = n.value; if (n.value > hi) hi = n.value; }
    const count: A.NumberLit = { value: list.length, text: String(list.length), range: this.span(open, this.prev()) };
    const loopVar = this.newLoopVar(name, 'for', lo, hi, values, numeric);
    this.skipNewlinesBeforeBrace();
    const brace = this.pos;
    if (this.kind(brace) !== K_LBRACE) { this.expected(`\`{\` after \`for ${name.text} in [...]\``, brace); return this.fail(kwTok); }
    this.next();
    const block = this.loopBlock(brace, loopVar);
    const end = block.closeBrace >= 0 ? block.closeBrace : this.lastNonNewline(kwTok);
    const node = repeatNode(this.T, kwTok, brace, block.closeBrace, end, count, loopVar, list, block.body);
    if (!this.unwinding) this.endStatement('for');
    return node;
  }

  /** A `for` header that failed: skip to its `{` so the block still parses (braces stay balanced). */
  private skipLoopHeader(kwTok: number): A.Statement {
    while (!this.atEnd() && this.kind(this.pos) !== K_LBRACE) this.next();
    if (this.kind(this.pos) === K_LBRACE) {
      const open = this.next();
      this.parseBlock(open, true, 'repeat');
    }
    return this.fail(kwTok);
  }

  // ------------------------------------------------------------ config and sweep

  /** `config KEY=VALUE ...` at the current position (the `config` word not yet consumed). */
  private parseConfig(): A.ConfigNode | null {
    const kwTok = this.next();
    const entries: A.ConfigEntry[] = [];
    while (!this.atEnd()) {
      const keyTok = this.pos;
      const key = this.identifier(entries.length ? 'KEY=VALUE or end of line' : 'KEY=VALUE after `config`');
      if (!key) return null;
      if (this.kind(this.pos) !== K_EQ) { this.expected(`\`=\` after \`${key.text}\``, this.pos); return null; }
      this.next();
      const v = this.pos;
      if (this.isConfigExpr(key.text, v)) {
        const value = this.configExpr(key.text);
        if (!value) return null;
        entries.push({ key, value, range: this.span(keyTok, this.prev()) });
        continue;
      }
      if (this.kind(v) !== K_WORD) {
        this.expected(`a value after \`${key.text}=\``, v, this.kind(v) === K_LBRACKET ? '; lists of values belong in `sweep`' : '');
        return null;
      }
      this.next();
      entries.push({ key, value: this.word(v), range: this.span(keyTok, v) });
    }
    if (entries.length === 0) { this.expected('KEY=VALUE after `config`', this.pos); return null; }
    return { kind: 'config', keyword: this.word(kwTok), entries, range: this.span(kwTok, this.prev()) };
  }

  /**
   * Whether the value of `key` at `t` is an integer expression (`4 * N`, `N`, `(1 << 10)`):
   * it starts like one and is not a word the key takes (`unlimited`, `on`: a `let` named
   * like a config value does not hide the value).
   */
  private isConfigExpr(key: string, t: number): boolean {
    if (!this.startsNumberExpr(t)) return false;
    if (this.kind(t) !== K_WORD) return true;
    const spec = CONFIG_BY_KEY.get(key);
    return !spec || !spec.values.includes(this.text(t));
  }

  /** A config or sweep value written as an expression: folded to its decimal value (`folded` keeps it as written). */
  private configExpr(key: string): A.Word | null {
    const num = this.number(() => `the value of \`${key}\` (a number or an expression)`);
    if (!num) return null;
    if (num.dynamic) {
      this.report(CODES.badExpression, `expected a constant value for \`${key}\`, found \`${num.text}\`, which uses a loop variable`, num.range);
      return null;
    }
    return { text: String(num.value), range: num.range, folded: num };
  }

  /** Appends the values of the range word `A..B` (integers, inclusive, at most SWEEP_RANGE_MAX);
   *  false after reporting what is wrong with it. The values share the word's range. */
  private sweepRange(key: string, t: number, out: A.Word[]): boolean {
    const text = this.text(t);
    const at = text.indexOf('..');
    const lo = parseNumber(text.slice(0, at));
    const hi = parseNumber(text.slice(at + 2));
    const bad = (why: string): false => {
      this.report(CODES.badConfigValue, `expected a range of integers \`A..B\` for \`${key}\`, found \`${text}\`: ${why}`, this.range(t));
      return false;
    };
    if (!lo.ok) return bad(`${at === 0 ? 'no start' : `its start: ${lo.reason}`}`);
    if (!hi.ok) return bad(`${at + 2 >= text.length ? 'no end' : `its end: ${hi.reason}`}`);
    if (hi.value < lo.value) return bad(`the end is below the start (write \`${hi.value}..${lo.value}\`)`);
    const count = hi.value - lo.value + 1;
    if (count > SWEEP_RANGE_MAX) return bad(`${count.toLocaleString('en-US')} values; a range gives at most ${SWEEP_RANGE_MAX.toLocaleString('en-US')}`);
    const range = this.range(t);
    for (let v = lo.value; v <= hi.value; v++) out.push({ text: String(v), range });
    return true;
  }

  /** `sweep KEY=[v1, v2] ...` at the current position. */
  private parseSweep(): A.SweepNode | null {
    const kwTok = this.next();
    const entries: A.SweepEntry[] = [];
    while (!this.atEnd()) {
      const keyTok = this.pos;
      const key = this.identifier(entries.length ? 'KEY=[...] or end of line' : 'KEY=[v1, v2, ...] after `sweep`');
      if (!key) return null;
      if (this.kind(this.pos) !== K_EQ) { this.expected(`\`=\` after \`${key.text}\``, this.pos); return null; }
      this.next();
      const open = this.pos;
      if (this.kind(open) !== K_LBRACKET) { this.expected(`\`[\` (a list of values) after \`${key.text}=\``, open); return null; }
      this.next();
      const values: A.Word[] = [];
      for (;;) {
        const t = this.pos;
        const k = this.kind(t);
        if (k === K_RBRACKET) { this.next(); break; }
        if (k === K_WORD && this.text(t).includes('..')) {
          // `A..B`: every integer from A to B, as if listed (a word: `.` continues words, as in `6.2`).
          if (!this.sweepRange(key.text, t, values)) return null;
          this.next();
        } else if (this.isConfigExpr(key.text, t)) {
          const value = this.configExpr(key.text);
          if (!value) return null;
          values.push(value);
        } else {
          if (k !== K_WORD) { this.expected(values.length ? '`,` or `]`' : 'a value or `]`', t); return null; }
          this.next();
          values.push(this.word(t));
        }
        const sep = this.kind(this.pos);
        if (sep === K_COMMA) { this.next(); continue; }
        if (sep === K_RBRACKET) continue;
        this.expected('`,` or `]` in the list', this.pos);
        return null;
      }
      const close = this.prev();
      entries.push({ key, values, listRange: this.span(open, close), range: this.span(keyTok, close) });
    }
    if (entries.length === 0) { this.expected('KEY=[v1, v2, ...] after `sweep`', this.pos); return null; }
    return { kind: 'sweep', keyword: this.word(kwTok), entries, range: this.span(kwTok, this.prev()) };
  }
}

export function parse(text: string): ParseResult {
  const s = scan(text);
  const p = new Parser(s.tokens, s.diagnostics);
  const file = p.parseFile();
  return { file, diagnostics: onePerLine(p.diagnostics), lineStarts: s.lineStarts };
}

/**
 * One syntax diagnostic per line, the leftmost: `x @ y` is one typo for the reader even
 * though the scanner (`@`) and the parser (`x`) both see something wrong.
 */
function onePerLine(ds: Diagnostic[]): Diagnostic[] {
  const byLine = new Map<number, Diagnostic>();
  for (const d of ds) {
    const prev = byLine.get(d.range.start.line);
    if (!prev || d.range.start.character < prev.range.start.character) byLine.set(d.range.start.line, d);
  }
  return byLine.size === ds.length ? ds : [...byLine.values()];
}
