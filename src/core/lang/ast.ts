// The syntax tree of a `.mmu` file. Every node and every token-sized part of it
// (keywords, names, values) keeps its range, so hover, completion, the outline and
// CodeLens can work from the tree alone. The parser never throws: statements it could
// not read become `ErrorStatement`s (kept so editor features still see the keyword and
// so the checker does not report follow-on errors), and optional parts are `null`.
import type { Range } from './source';

/** A word-sized piece of source: a keyword, identifier, operator or raw value as written. */
export interface Word {
  readonly text: string;
  readonly range: Range;
  /** A memslot id that is a `for` variable (`for s in [ram, vram] { memslot s delete }`). */
  readonly loopVar?: LoopVar;
  /** A config or sweep value written as an integer expression (`4 * N`): `text` is its
   *  value in decimal, this is the expression as written (messages, hover). */
  readonly folded?: NumberLit;
}

/**
 * A number (`4096`, `0x1000`, `0xffff_f000`, `64M`) or an integer expression over numbers,
 * `let`s and loop variables (`0x100000 + i * 0x1000`, expr.ts). A constant expression is
 * folded by the parser: `value` is its value and `expr` is kept only for hover.
 */
export interface NumberLit {
  /** The value; may exceed 2^53 (the checker reports that) but never NaN once parsed.
   *  For an expression over loop variables (`dynamic`): its lowest possible value. */
  readonly value: number;
  /** As written (the whole expression). */
  readonly text: string;
  readonly range: Range;
  /** The expression, when this is not a plain literal. */
  readonly expr?: Expr;
  /** Present when the value depends on a loop variable: the values it can take (interval
   *  arithmetic, so a bound may not be reached). Checked at run time, statement by statement. */
  readonly dynamic?: { readonly lo: number; readonly hi: number };
}

/** An integer expression (plain data: it crosses to the worker inside compiled ops). */
export type Expr =
  | { readonly k: 'num'; readonly value: number }
  /** A loop variable, by its slot in the scenario (`CompiledScenario.vars`). */
  | { readonly k: 'var'; readonly slot: number; readonly name: string }
  | { readonly k: 'bin'; readonly op: ExprOp; readonly a: Expr; readonly b: Expr };

export type ExprOp = '+' | '-' | '*' | '/' | '%' | '<<';

/** A variable a scenario can use in expressions: a loop index or a `for` variable. */
export interface LoopVar {
  readonly name: Word;
  /** Slot in the scenario's variables (the interpreter's array index). */
  readonly slot: number;
  /** `repeat N as i` (0..N-1) or `for NAME in [...]`. */
  readonly kind: 'index' | 'for';
  /** Smallest and largest value (numbers; memslot id lists have none). */
  readonly lo: number;
  readonly hi: number;
  /** A `for` list's values as written (numbers in decimal, memslot ids as given). */
  readonly values: readonly string[] | null;
  /** Whether every value of a `for` list is a number. */
  readonly numeric: boolean;
}

/** What hover and the outline know of a name: a `let`, a loop index, a `for` variable. */
export interface VariableInfo {
  readonly name: string;
  readonly kind: 'let' | 'index' | 'for';
  /** The name where it is defined. */
  readonly decl: Range;
  /** Where it can be used: the file (file-level `let`), the scenario, or the loop. */
  readonly scope: Range;
  /** A `let`'s value; a loop variable's smallest and largest value. */
  readonly lo: number;
  readonly hi: number;
  /** A `for` list's values as written. */
  readonly values: readonly string[] | null;
  /** Every use of the name. */
  readonly uses: readonly Range[];
}

/** A double-quoted string; `value` has the escapes resolved. */
export interface StringLit {
  readonly value: string;
  readonly range: Range;
}

/** `vcpu N` in front of a guest statement. */
export interface VcpuPrefix {
  readonly keyword: Word;
  /** null when the number is missing or malformed (already diagnosed). */
  readonly index: NumberLit | null;
  readonly range: Range;
}

// ---------------------------------------------------------------- configuration

/** `KEY=VALUE` inside a `config` line. `value` is the word as written (`on`, `6.2`, `1536`). */
export interface ConfigEntry {
  readonly key: Word;
  /** null when the value is missing (already diagnosed). */
  readonly value: Word | null;
  readonly range: Range;
}

export interface ConfigNode {
  readonly kind: 'config';
  readonly keyword: Word;
  readonly entries: readonly ConfigEntry[];
  readonly range: Range;
}

/** `KEY=[v1, v2, ...]` inside a `sweep` line. */
export interface SweepEntry {
  readonly key: Word;
  readonly values: readonly Word[];
  /** Range of `[ ... ]` (or of what stood there). */
  readonly listRange: Range;
  readonly range: Range;
}

export interface SweepNode {
  readonly kind: 'sweep';
  readonly keyword: Word;
  readonly entries: readonly SweepEntry[];
  readonly range: Range;
}

// ---------------------------------------------------------------- statements

interface StmtBase {
  /** The statement's first keyword (`memslot`, `read`, `repeat`, ...); for guest statements not `vcpu`. */
  readonly keyword: Word;
  /** The whole statement, including a `vcpu N` prefix. */
  readonly range: Range;
}

interface GuestBase extends StmtBase {
  readonly vcpu: VcpuPrefix | null;
}

/** Memslot ids: an identifier or an integer, kept as written (`1`, `ram`). */
export interface MemslotCreate extends StmtBase { readonly kind: 'memslot_create'; readonly slot: Word; readonly gpa: NumberLit; readonly size: NumberLit; readonly readonly: Word | null;
  /** `hugepages`: the VMM backs the slot with 2M pages (THP / hugetlbfs), so KVM may map 2M SPTEs. */
  readonly hugepages?: Word | null }
export interface MemslotDelete extends StmtBase { readonly kind: 'memslot_delete'; readonly slot: Word; readonly action: Word; readonly free: Word | null }
export interface MemslotMove extends StmtBase { readonly kind: 'memslot_move'; readonly slot: Word; readonly action: Word; readonly gpa: NumberLit }
export interface MemslotDirtyLog extends StmtBase { readonly kind: 'memslot_dirty_log'; readonly slot: Word; readonly action: Word; readonly on: Word }
/** KVM_CLEAR_DIRTY_LOG over the whole slot (every bit of the mask set). */
export interface MemslotClearDirtyLog extends StmtBase { readonly kind: 'memslot_clear_dirty_log'; readonly slot: Word; readonly action: Word }
export interface Unmap extends StmtBase { readonly kind: 'unmap'; readonly gpa: NumberLit; readonly size: NumberLit }
/** The host's khugepaged collapses the 2M region holding gpa back into one huge page (collapse_huge_page). */
export interface Collapse extends StmtBase { readonly kind: 'collapse'; readonly gpa: NumberLit }
/** The VMM exits: mm teardown (kvm_mmu_notifier_release), then kvm_destroy_vm. */
export interface Teardown extends StmtBase { readonly kind: 'teardown' }

export interface Read extends GuestBase { readonly kind: 'read'; readonly gpa: NumberLit; readonly expected: NumberLit | null }
export interface Write extends GuestBase { readonly kind: 'write'; readonly gpa: NumberLit; readonly value: NumberLit }
export interface WriteRange extends GuestBase { readonly kind: 'write_range'; readonly gpa: NumberLit; readonly size: NumberLit; readonly pattern: Word | null }
export interface Verify extends GuestBase { readonly kind: 'verify'; readonly gpa: NumberLit; readonly size: NumberLit; readonly pattern: Word | null }
export interface Touch extends GuestBase {
  readonly kind: 'touch';
  readonly gpa: NumberLit;
  readonly size: NumberLit;
  readonly stride: NumberLit | null;
  readonly count: NumberLit | null;
  readonly random: Word | null;
  readonly write: Word | null;
}
export interface Smi extends GuestBase { readonly kind: 'smi' }
export interface Rsm extends GuestBase { readonly kind: 'rsm' }
export interface Cr4 extends GuestBase { readonly kind: 'cr4'; readonly bit: Word; readonly on: Word }
export interface Cr3 extends GuestBase { readonly kind: 'cr3'; readonly value: NumberLit; readonly noflush: Word | null }
export interface Nested extends GuestBase {
  readonly kind: 'nested'; readonly dir: Word;
  /** `ncr3 ADDR`: the keyword and L3's nested CR3 (the checker allows it only after `vmrun`). */
  readonly ncr3Kw: Word | null; readonly ncr3: NumberLit | null;
}
export interface Avic extends GuestBase { readonly kind: 'avic'; readonly on: Word }
export interface Migrate extends GuestBase { readonly kind: 'migrate' }
export interface Reset extends GuestBase { readonly kind: 'reset' }
/** INIT signal: kvm_vcpu_reset(init_event = true). */
export interface Init extends GuestBase { readonly kind: 'init' }
/** `cr0 pg on|off`: the paging bit (KVM_MMU_CR0_ROLE_BITS). */
export interface Cr0 extends GuestBase { readonly kind: 'cr0'; readonly bit: Word; readonly on: Word }
/** `call FUNCTION [ARG]`; `arg` is a number, the word `root`, or null. */
export interface Call extends GuestBase { readonly kind: 'call'; readonly fn: Word; readonly arg: NumberLit | Word | null }

/**
 * `repeat N [as NAME] { ... }`, and `for NAME in [v1, v2, ...] { ... }` (keyword `for`,
 * `list` set, `count` the list's length): both stay loops when compiled.
 */
export interface Repeat extends StmtBase {
  readonly kind: 'repeat';
  /** `as i` of a repeat, or the `for` variable; absent/null when none. */
  readonly loopVar?: LoopVar | null;
  /** A `for` loop's values: numbers (`NumberLit`) or memslot ids (`Word`). */
  readonly list?: readonly (NumberLit | Word)[] | null;
  /** null when the count is missing or malformed (already diagnosed; the body is still parsed). */
  readonly count: NumberLit | null;
  readonly body: readonly Statement[];
  readonly openBrace: Range;
  /** null when the block is not closed (already diagnosed). */
  readonly closeBrace: Range | null;
}
export interface Checkpoint extends StmtBase { readonly kind: 'checkpoint'; readonly label: StringLit }
export interface Expect extends StmtBase { readonly kind: 'expect'; readonly metric: Word; readonly op: Word; readonly value: NumberLit }
export interface ExpectOk extends StmtBase { readonly kind: 'expect_ok'; readonly ok: Word }
export interface Print extends StmtBase { readonly kind: 'print'; readonly metric: Word }
/** `let NAME = EXPR` at file or scenario level: a named constant (`value` is folded). */
export interface Let extends StmtBase { readonly kind: 'let'; readonly name: Word; readonly value: NumberLit }

/** Deferred kernel work run now (schedule=explicit): an RCU grace period ends / the zap worker runs one queued item. */
export interface Rcu extends StmtBase { readonly kind: 'rcu' }
export interface ZapWorker extends StmtBase { readonly kind: 'zap_worker' }
/** `alloc next PICK...`: the pages the next allocations hand out (allocator=any): addresses or `fresh`. */
export interface AllocNext extends StmtBase { readonly kind: 'alloc_next'; readonly next: Word; readonly picks: readonly (NumberLit | Word)[] }

// Lines only an `explore` block has (docs/explore.md), at its top level.
/** `steps { ... }`: the moves of the search, one statement each. */
export interface ExploreSteps extends StmtBase { readonly kind: 'explore_steps'; readonly body: readonly Statement[]; readonly openBrace: Range; readonly closeBrace: Range | null }
/** `depth N`: at most N steps after the setup. */
export interface ExploreDepth extends StmtBase { readonly kind: 'explore_depth'; readonly value: NumberLit }
/** `invariant METRIC OP VALUE`. */
export interface ExploreInvariant extends StmtBase { readonly kind: 'explore_invariant'; readonly metric: Word; readonly op: Word; readonly value: NumberLit }
/** `strategy bfs` / `strategy random samples N`. */
export interface ExploreStrategy extends StmtBase { readonly kind: 'explore_strategy'; readonly strategy: Word; readonly samples: NumberLit | null }

/** `config` / `sweep` inside a scenario. */
export interface ConfigStatement extends StmtBase { readonly kind: 'config_stmt'; readonly node: ConfigNode }
export interface SweepStatement extends StmtBase { readonly kind: 'sweep_stmt'; readonly node: SweepNode }

/**
 * A statement the parser could not read (already diagnosed). `keyword` is its first
 * word when there was one; `slot` is the memslot id when the statement began `memslot ID`,
 * so the checker does not report that id as undefined afterwards.
 */
export interface ErrorStatement {
  readonly kind: 'error';
  readonly keyword: Word | null;
  readonly slot: Word | null;
  readonly range: Range;
}

export type Statement =
  | MemslotCreate | MemslotDelete | MemslotMove | MemslotDirtyLog | MemslotClearDirtyLog | Unmap | Collapse | Teardown
  | Read | Write | WriteRange | Verify | Touch
  | Smi | Rsm | Cr4 | Cr3 | Nested | Avic | Migrate | Reset | Init | Cr0 | Call
  | Repeat | Checkpoint | Expect | ExpectOk | Print | Let
  | Rcu | ZapWorker | AllocNext
  | ExploreSteps | ExploreDepth | ExploreInvariant | ExploreStrategy
  | ConfigStatement | SweepStatement
  | ErrorStatement;

export type StatementKind = Statement['kind'];

/** Statements that run on a vCPU (may carry a `vcpu N` prefix). */
export type GuestStatement = Read | Write | WriteRange | Verify | Touch | Smi | Rsm | Cr4 | Cr3 | Nested | Avic | Migrate | Reset | Init | Cr0 | Call;

// ---------------------------------------------------------------- file structure

export interface ScenarioNode {
  readonly kind: 'scenario';
  readonly keyword: Word;
  /** null when the name string is missing (already diagnosed). */
  readonly name: StringLit | null;
  readonly openBrace: Range | null;
  readonly closeBrace: Range | null;
  readonly body: readonly Statement[];
  /** The whole block, `scenario` to `}` (or to where parsing stopped). */
  readonly range: Range;
}

/** `explore "NAME" { config; setup; steps { ... }; depth N; invariant ...; strategy ... }`: a
 *  search over step sequences (docs/explore.md). Its body holds the setup statements and the
 *  explore lines (`explore_*` statements) in source order. */
export interface ExploreNode extends Omit<ScenarioNode, 'kind'> {
  readonly kind: 'explore';
}

export type TopLevel = ConfigNode | SweepNode | ScenarioNode | ExploreNode | Let | ErrorStatement;

export interface FileNode {
  readonly kind: 'file';
  /** Everything at file level, in source order. */
  readonly items: readonly TopLevel[];
  /** Convenience views of `items`. */
  readonly scenarios: readonly ScenarioNode[];
  readonly explorations: readonly ExploreNode[];
  readonly configs: readonly ConfigNode[];
  readonly sweeps: readonly SweepNode[];
  /** Every `let` and loop variable, with its uses (hover, outline). Optional for older producers. */
  readonly variables?: readonly VariableInfo[];
  readonly range: Range;
}

/** Whether a statement kind accepts a `vcpu N` prefix. */
export function isGuestStatement(s: Statement): s is GuestStatement {
  return 'vcpu' in s;
}
