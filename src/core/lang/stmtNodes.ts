// Statement and scenario nodes that keep token indices instead of their keyword and range
// (ast.ts has their shapes). A 100,000-line file of small statements kept a keyword word and a
// range of three objects per statement, most of what survived the analysis, and copying
// survivors through the young generation was a third of its time. Each node here is one
// object; its keyword, range and small words are made from the tokens when read (a new object
// per read: nothing compares them by identity). Not plain data, like tokenNodes.ts: `toJSON`
// prints the fields of ast.ts in their order, and what leaves the analyser goes through
// `plainRange`. Guest statements keep `vcpu` as an own property (`isGuestStatement` tests it).
import type * as A from './ast';
import type { Tokens } from './scanner';
import type { Range } from './source';
import { numKept, numRead, numTok, tokenSpan, tokenWord, wordKept, wordRead, wordTok } from './tokenNodes';

/** The statement being read: its keyword token, first token (`vcpu` if any) and last token so far. */
export interface StmtAt {
  readonly T: Tokens;
  readonly stmtKwTok: number;
  readonly stmtStart: number;
  stmtEnd(): number;
}

/** Fields `toJSON` prints after kind, keyword and range, by kind (ast.ts order). */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  config_stmt: ['node'], sweep_stmt: ['node'],
  memslot_create: ['slot', 'gpa', 'size', 'readonly', 'hugepages'], memslot_delete: ['slot', 'action', 'free'],
  memslot_move: ['slot', 'action', 'gpa'], memslot_dirty_log: ['slot', 'action', 'on'], memslot_clear_dirty_log: ['slot', 'action'],
  unmap: ['gpa', 'size'], collapse: ['gpa'], teardown: [], rcu: [], zap_worker: [],
  read: ['vcpu', 'gpa', 'expected'], write: ['vcpu', 'gpa', 'value'], write_range: ['vcpu', 'gpa', 'size', 'pattern'], verify: ['vcpu', 'gpa', 'size', 'pattern'],
  touch: ['vcpu', 'gpa', 'size', 'stride', 'count', 'random', 'write'],
  smi: ['vcpu'], rsm: ['vcpu'], migrate: ['vcpu'], reset: ['vcpu'], init: ['vcpu'],
  cr0: ['vcpu', 'bit', 'on'], cr4: ['vcpu', 'bit', 'on'], cr3: ['vcpu', 'value', 'noflush'], nested: ['vcpu', 'dir', 'ncr3Kw', 'ncr3'], avic: ['vcpu', 'on'],
  call: ['vcpu', 'fn', 'arg'], alloc_next: ['next', 'picks'], checkpoint: ['label'], expect_ok: ['ok'], expect: ['metric', 'op', 'value'], print: ['metric'],
  let: ['name', 'value'], explore_depth: ['value'], explore_invariant: ['metric', 'op', 'value'], explore_strategy: ['strategy', 'samples'],
};

abstract class StmtNode {
  abstract readonly kind: A.StatementKind;
  protected readonly T: Tokens;
  private readonly kwTok: number;
  private readonly startTok: number;
  private readonly endTok: number;
  constructor(at: StmtAt) {
    this.T = at.T;
    this.kwTok = at.stmtKwTok;
    this.startTok = at.stmtStart;
    this.endTok = at.stmtEnd();
  }
  get keyword(): A.Word { return tokenWord(this.T, this.kwTok); }
  get range(): Range { return tokenSpan(this.T, this.startTok, this.endTok); }
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { kind: this.kind, keyword: this.keyword, range: this.range };
    const self = this as unknown as Record<string, unknown>;
    for (const f of FIELDS[this.kind] ?? []) if (self[f] !== undefined) out[f] = self[f];
    return out;
  }
}

/** A statement of its keyword alone: `teardown`, `rcu`, `zap_worker`. */
export class BareNode<K extends 'teardown' | 'rcu' | 'zap_worker'> extends StmtNode {
  constructor(at: StmtAt, readonly kind: K) { super(at); }
}

/** A guest statement of its keyword alone: `smi`, `rsm`, `migrate`, `reset`, `init`. */
export class GuestBareNode<K extends 'smi' | 'rsm' | 'migrate' | 'reset' | 'init'> extends StmtNode {
  constructor(at: StmtAt, readonly kind: K, readonly vcpu: A.VcpuPrefix | null) { super(at); }
}

export class ConfigStmtNode extends StmtNode implements A.ConfigStatement {
  readonly kind = 'config_stmt' as const;
  constructor(at: StmtAt, readonly node: A.ConfigNode) { super(at); }
}
export class SweepStmtNode extends StmtNode implements A.SweepStatement {
  readonly kind = 'sweep_stmt' as const;
  constructor(at: StmtAt, readonly node: A.SweepNode) { super(at); }
}

// Number and word fields of the common statements are kept as tokens (tokenNodes.ts `numTok`):
// a memslot line then is one object, not four.

/** `memslot ID ...`: the id is a word of its own token, or a loop variable's word (kept). */
abstract class MemslotNode extends StmtNode {
  private readonly slotTok: number;
  private readonly slotKept: A.Word | null;
  constructor(at: StmtAt, slot: A.Word) {
    super(at);
    this.slotTok = wordTok(slot);
    this.slotKept = wordKept(slot);
  }
  get slot(): A.Word { return wordRead(this.T, this.slotTok, this.slotKept)!; }
}

export class MemslotCreateNode extends MemslotNode implements A.MemslotCreate {
  readonly kind = 'memslot_create' as const;
  declare readonly hugepages?: A.Word | null;
  private readonly gpaTok: number;
  private readonly gpaKept: A.NumberLit | null;
  private readonly sizeTok: number;
  private readonly sizeKept: A.NumberLit | null;
  constructor(at: StmtAt, slot: A.Word, gpa: A.NumberLit, size: A.NumberLit, readonly readonly: A.Word | null, hugepages: A.Word | null) {
    super(at, slot);
    this.gpaTok = numTok(gpa); this.gpaKept = numKept(gpa);
    this.sizeTok = numTok(size); this.sizeKept = numKept(size);
    if (hugepages) (this as { hugepages?: A.Word | null }).hugepages = hugepages;
  }
  get gpa(): A.NumberLit { return numRead(this.T, this.gpaTok, this.gpaKept)!; }
  get size(): A.NumberLit { return numRead(this.T, this.sizeTok, this.sizeKept)!; }
}

/** `memslot ID ACTION ...`: the action word (`delete`, `move`, ...) is token `actionTok`. */
abstract class MemslotActionNode extends MemslotNode {
  constructor(at: StmtAt, slot: A.Word, private readonly actionTok: number) { super(at, slot); }
  get action(): A.Word { return tokenWord(this.T, this.actionTok); }
}
export class MemslotDeleteNode extends MemslotActionNode implements A.MemslotDelete {
  readonly kind = 'memslot_delete' as const;
  constructor(at: StmtAt, slot: A.Word, actionTok: number, readonly free: A.Word | null) { super(at, slot, actionTok); }
}
export class MemslotMoveNode extends MemslotActionNode implements A.MemslotMove {
  readonly kind = 'memslot_move' as const;
  private readonly gpaTok: number;
  private readonly gpaKept: A.NumberLit | null;
  constructor(at: StmtAt, slot: A.Word, actionTok: number, gpa: A.NumberLit) {
    super(at, slot, actionTok);
    this.gpaTok = numTok(gpa); this.gpaKept = numKept(gpa);
  }
  get gpa(): A.NumberLit { return numRead(this.T, this.gpaTok, this.gpaKept)!; }
}
export class MemslotDirtyLogNode extends MemslotActionNode implements A.MemslotDirtyLog {
  readonly kind = 'memslot_dirty_log' as const;
  constructor(at: StmtAt, slot: A.Word, actionTok: number, readonly on: A.Word) { super(at, slot, actionTok); }
}
export class MemslotClearDirtyLogNode extends MemslotActionNode implements A.MemslotClearDirtyLog {
  readonly kind = 'memslot_clear_dirty_log' as const;
}

export class UnmapNode extends StmtNode implements A.Unmap {
  readonly kind = 'unmap' as const;
  constructor(at: StmtAt, readonly gpa: A.NumberLit, readonly size: A.NumberLit) { super(at); }
}
export class CollapseNode extends StmtNode implements A.Collapse {
  readonly kind = 'collapse' as const;
  constructor(at: StmtAt, readonly gpa: A.NumberLit) { super(at); }
}

/** A guest statement at an address (`read`, `write`). */
abstract class AtAddressNode extends StmtNode {
  private readonly gpaTok: number;
  private readonly gpaKept: A.NumberLit | null;
  constructor(at: StmtAt, readonly vcpu: A.VcpuPrefix | null, gpa: A.NumberLit) {
    super(at);
    this.gpaTok = numTok(gpa); this.gpaKept = numKept(gpa);
  }
  get gpa(): A.NumberLit { return numRead(this.T, this.gpaTok, this.gpaKept)!; }
}
export class ReadNode extends AtAddressNode implements A.Read {
  readonly kind = 'read' as const;
  private readonly expectedTok: number;
  private readonly expectedKept: A.NumberLit | null;
  constructor(at: StmtAt, vcpu: A.VcpuPrefix | null, gpa: A.NumberLit, expected: A.NumberLit | null) {
    super(at, vcpu, gpa);
    this.expectedTok = numTok(expected); this.expectedKept = numKept(expected);
  }
  get expected(): A.NumberLit | null { return numRead(this.T, this.expectedTok, this.expectedKept); }
}
export class WriteNode extends AtAddressNode implements A.Write {
  readonly kind = 'write' as const;
  private readonly valueTok: number;
  private readonly valueKept: A.NumberLit | null;
  constructor(at: StmtAt, vcpu: A.VcpuPrefix | null, gpa: A.NumberLit, value: A.NumberLit) {
    super(at, vcpu, gpa);
    this.valueTok = numTok(value); this.valueKept = numKept(value);
  }
  get value(): A.NumberLit { return numRead(this.T, this.valueTok, this.valueKept)!; }
}
/** `write ADDR size SIZE [pattern P]` and `verify ...`. */
export class RangeNode<K extends 'write_range' | 'verify'> extends StmtNode {
  constructor(at: StmtAt, readonly kind: K, readonly vcpu: A.VcpuPrefix | null, readonly gpa: A.NumberLit, readonly size: A.NumberLit, readonly pattern: A.Word | null) { super(at); }
}
export class TouchNode extends StmtNode implements A.Touch {
  readonly kind = 'touch' as const;
  constructor(at: StmtAt, readonly vcpu: A.VcpuPrefix | null, readonly gpa: A.NumberLit, readonly size: A.NumberLit, readonly stride: A.NumberLit | null,
    readonly count: A.NumberLit | null, readonly random: A.Word | null, readonly write: A.Word | null) { super(at); }
}

/** `cr0 pg on|off` and `cr4 BIT on|off`. */
export class CrBitNode<K extends 'cr0' | 'cr4'> extends StmtNode {
  constructor(at: StmtAt, readonly kind: K, readonly vcpu: A.VcpuPrefix | null, readonly bit: A.Word, readonly on: A.Word) { super(at); }
}
export class Cr3Node extends StmtNode implements A.Cr3 {
  readonly kind = 'cr3' as const;
  constructor(at: StmtAt, readonly vcpu: A.VcpuPrefix | null, readonly value: A.NumberLit, readonly noflush: A.Word | null) { super(at); }
}
export class NestedNode extends StmtNode implements A.Nested {
  readonly kind = 'nested' as const;
  constructor(at: StmtAt, readonly vcpu: A.VcpuPrefix | null, readonly dir: A.Word, readonly ncr3Kw: A.Word | null, readonly ncr3: A.NumberLit | null) { super(at); }
}
export class AvicNode extends StmtNode implements A.Avic {
  readonly kind = 'avic' as const;
  constructor(at: StmtAt, readonly vcpu: A.VcpuPrefix | null, readonly on: A.Word) { super(at); }
}
export class CallNode extends StmtNode implements A.Call {
  readonly kind = 'call' as const;
  constructor(at: StmtAt, readonly vcpu: A.VcpuPrefix | null, readonly fn: A.Word, readonly arg: A.NumberLit | A.Word | null) { super(at); }
}
export class AllocNextNode extends StmtNode implements A.AllocNext {
  readonly kind = 'alloc_next' as const;
  constructor(at: StmtAt, readonly next: A.Word, readonly picks: readonly (A.NumberLit | A.Word)[]) { super(at); }
}
export class CheckpointNode extends StmtNode implements A.Checkpoint {
  readonly kind = 'checkpoint' as const;
  constructor(at: StmtAt, readonly label: A.StringLit) { super(at); }
}
export class ExpectOkNode extends StmtNode implements A.ExpectOk {
  readonly kind = 'expect_ok' as const;
  constructor(at: StmtAt, readonly ok: A.Word) { super(at); }
}

/** `expect METRIC OP VALUE` and `invariant METRIC OP VALUE`: the metric is token `opTok - 1`, the operator `opTok`. */
export class CompareNode<K extends 'expect' | 'explore_invariant'> extends StmtNode {
  private readonly valueTok: number;
  private readonly valueKept: A.NumberLit | null;
  constructor(at: StmtAt, readonly kind: K, private readonly opTok: number, value: A.NumberLit) {
    super(at);
    this.valueTok = numTok(value); this.valueKept = numKept(value);
  }
  get value(): A.NumberLit { return numRead(this.T, this.valueTok, this.valueKept)!; }
  get metric(): A.Word { return tokenWord(this.T, this.opTok - 1); }
  get op(): A.Word { return tokenWord(this.T, this.opTok); }
}
export class PrintNode extends StmtNode implements A.Print {
  readonly kind = 'print' as const;
  constructor(at: StmtAt, readonly metric: A.Word) { super(at); }
}
export class LetNode extends StmtNode implements A.Let {
  readonly kind = 'let' as const;
  constructor(at: StmtAt, readonly name: A.Word, readonly value: A.NumberLit) { super(at); }
}
export class ExploreDepthNode extends StmtNode implements A.ExploreDepth {
  readonly kind = 'explore_depth' as const;
  constructor(at: StmtAt, readonly value: A.NumberLit) { super(at); }
}
export class ExploreStrategyNode extends StmtNode implements A.ExploreStrategy {
  readonly kind = 'explore_strategy' as const;
  constructor(at: StmtAt, readonly strategy: A.Word, readonly samples: A.NumberLit | null) { super(at); }
}

/** A string token: its value (escapes resolved) and range, read when asked. */
export class TokenString implements A.StringLit {
  constructor(private readonly T: Tokens, private readonly t: number) {}
  get value(): string { return this.T.stringValue(this.t); }
  get range(): Range { return tokenSpan(this.T, this.t, this.t); }
  toJSON(): A.StringLit { return { value: this.value, range: this.range }; }
}

/**
 * `scenario "NAME" { ... }` / `explore "NAME" { ... }` (ast.ts `ScenarioNode`, `ExploreNode`):
 * keyword, braces and range from tokens `kwTok`, `openTok`, `closeTok` (-1 when absent) and
 * `endTok` (where the range ends).
 */
export class ScenarioBlock<K extends 'scenario' | 'explore'> {
  /** `nameTok`: the name's string token, -1 when there is none. */
  constructor(private readonly T: Tokens, readonly kind: K, private readonly kwTok: number, private readonly nameTok: number,
    private readonly openTok: number, private readonly closeTok: number, private readonly endTok: number, readonly body: readonly A.Statement[]) {}
  get name(): A.StringLit | null { return this.nameTok >= 0 ? new TokenString(this.T, this.nameTok) : null; }
  get keyword(): A.Word { return tokenWord(this.T, this.kwTok); }
  get openBrace(): Range | null { return this.openTok >= 0 ? tokenSpan(this.T, this.openTok, this.openTok) : null; }
  get closeBrace(): Range | null { return this.closeTok >= 0 ? tokenSpan(this.T, this.closeTok, this.closeTok) : null; }
  get range(): Range { return tokenSpan(this.T, this.kwTok, this.endTok); }
  toJSON(): A.ScenarioNode | A.ExploreNode {
    return { kind: this.kind, keyword: this.keyword, name: this.name, openBrace: this.openBrace, closeBrace: this.closeBrace, body: this.body, range: this.range } as A.ScenarioNode | A.ExploreNode;
  }
}
