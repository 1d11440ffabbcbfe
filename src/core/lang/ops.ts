// The compiled form of a scenario: a flat list of operations, each with its source
// range and text (for results, blame chains and the trace). Loops stay loops: a
// `repeat` op names the index just past its matching `end_repeat`, so
// `repeat 1000000000 { ... }` compiles to a handful of ops.
import type { Expr } from './ast';
import type { Range } from './source';
import type { ConfigMap, SweepAxis } from './schema';
import type { KernelFunction, MetricName, CompareOp } from './schema';

interface OpBase {
  /** Range of the whole statement. */
  readonly range: Range;
  /** The statement's source text, trimmed (shown in blame chains and the trace). */
  readonly text: string;
  /** Fields whose value depends on a loop variable: evaluated before each execution (the
   *  field itself holds the lowest possible value). Absent for constant statements. */
  readonly dyn?: readonly DynField[];
}

/**
 * How a field's run-time value is checked, as the checker checks a constant there:
 * `page` a 4K-aligned address, `pages` a non-zero multiple of 4K, `aligned8` an 8-byte
 * aligned address, `address` below 2^52, `value` below 2^53, `count` 0..10^9, `stride`
 * at least 1, `slot` a memslot id (a `for` variable's value).
 */
export type DynRule = 'page' | 'pages' | 'aligned8' | 'address' | 'value' | 'count' | 'stride' | 'slot';

export interface DynField {
  /** The op field it sets (`gpa`, `size`, `vcpu`, `count`, `slot`, ...). */
  readonly field: string;
  /** The expression (for `slot`: a `var` node of the `for` variable). */
  readonly expr: Expr;
  readonly rule: DynRule;
  /** As written, for messages. */
  readonly text: string;
}

interface GuestOpBase extends OpBase {
  /** `vcpu N` prefix; 0 when absent. */
  readonly vcpu: number;
}

export type Op =
  // VMM (userspace and the KVM API)
  | (OpBase & { readonly k: 'memslot_create'; readonly slot: string; readonly gpa: number; readonly size: number; readonly readonly: boolean; readonly hugepages?: true })
  | (OpBase & { readonly k: 'memslot_delete'; readonly slot: string; readonly free: boolean })
  | (OpBase & { readonly k: 'memslot_move'; readonly slot: string; readonly gpa: number })
  | (OpBase & { readonly k: 'memslot_dirty_log'; readonly slot: string; readonly on: boolean })
  | (OpBase & { readonly k: 'memslot_clear_dirty_log'; readonly slot: string })
  | (OpBase & { readonly k: 'unmap'; readonly gpa: number; readonly size: number })
  | (OpBase & { readonly k: 'collapse'; readonly gpa: number })
  | (OpBase & { readonly k: 'teardown' })
  // Deferred kernel work and allocator picks (schedule=explicit, allocator=any; docs/explore.md)
  | (OpBase & { readonly k: 'rcu' })
  | (OpBase & { readonly k: 'zap_worker' })
  /** Pages the next allocations hand out, in order: an L1 pfn, or -1 for a fresh page. */
  | (OpBase & { readonly k: 'alloc_next'; readonly picks: readonly number[] })
  // Guest (L2)
  | (GuestOpBase & { readonly k: 'read'; readonly gpa: number; readonly expected: number | null })
  | (GuestOpBase & { readonly k: 'write'; readonly gpa: number; readonly value: number })
  | (GuestOpBase & { readonly k: 'write_range'; readonly gpa: number; readonly size: number; readonly pattern: string })
  | (GuestOpBase & { readonly k: 'verify'; readonly gpa: number; readonly size: number; readonly pattern: string })
  | (GuestOpBase & {
      readonly k: 'touch';
      readonly gpa: number;
      readonly size: number;
      /** Bytes between accesses; 4096 when absent. */
      readonly stride: number;
      /** Number of accesses; size/stride when absent. */
      readonly count: number;
      readonly random: boolean;
      readonly write: boolean;
    })
  | (GuestOpBase & { readonly k: 'smi' })
  | (GuestOpBase & { readonly k: 'rsm' })
  | (GuestOpBase & { readonly k: 'cr4'; readonly bit: 'pge' | 'pcide' | 'smep'; readonly on: boolean })
  | (GuestOpBase & { readonly k: 'cr3'; readonly value: number; readonly noflush: boolean })
  | (GuestOpBase & { readonly k: 'nested'; readonly dir: 'vmrun' | 'vmexit'; /** `ncr3 ADDR` (vmrun only): L3's nCR3; null = keep the previous one. Optional for older producers. */ readonly ncr3?: number | null })
  | (GuestOpBase & { readonly k: 'avic' })
  | (GuestOpBase & { readonly k: 'migrate' })
  | (GuestOpBase & { readonly k: 'reset' })
  | (GuestOpBase & { readonly k: 'init' })
  | (GuestOpBase & { readonly k: 'cr0'; readonly on: boolean })
  // Kernel (for experiments). `arg` is an address, 'root' (hyperv_flush_guest_mapping root), or null.
  | (GuestOpBase & { readonly k: 'call'; readonly fn: KernelFunction; readonly arg: number | 'root' | null })
  // Control and inspection
  | (OpBase & {
      readonly k: 'repeat'; readonly count: number; /** index just past the matching end_repeat */ readonly end: number;
      /** `repeat N as i` / `for x in [...]`: the loop variable's slot (the iteration index, or the list's value). */
      readonly var?: number;
      /** A `for` loop's values (numbers, or memslot ids); `count` is their number. */
      readonly values?: readonly (number | string)[];
    })
  | (OpBase & { readonly k: 'end_repeat'; /** index of the matching repeat */ readonly start: number })
  | (OpBase & { readonly k: 'checkpoint'; readonly label: string })
  | (OpBase & { readonly k: 'expect'; readonly metric: MetricName; readonly op: CompareOp; readonly value: number })
  | (OpBase & { readonly k: 'expect_ok' })
  | (OpBase & { readonly k: 'print'; readonly metric: MetricName });

export type OpKind = Op['k'];

export interface CompiledScenario {
  readonly name: string;
  /** Range of the whole `scenario "..." { ... }` block. */
  readonly range: Range;
  /** Range of the name string (for CodeLens and the outline). */
  readonly nameRange: Range;
  /** File-level config overridden by the scenario's own config lines (explicit keys only). */
  readonly config: ConfigMap;
  /** The sweep axes (scenario's own, else the file's, else empty: Compare uses its default). */
  readonly sweep: readonly SweepAxis[];
  readonly ops: readonly Op[];
  /** Loop variable names by slot (`repeat N as i`, `for x in [...]`); empty or absent when none. */
  readonly vars?: readonly string[];
}

/** `invariant METRIC OP VALUE` of an explore block. */
export interface Invariant {
  readonly metric: MetricName;
  readonly op: CompareOp;
  readonly value: number;
  readonly range: Range;
  readonly text: string;
}

/** An `explore` block (docs/explore.md). `program.ops` holds the setup (ops 0 .. setupEnd-1,
 *  run once in order) then one op per step (`steps[i]` is its index): the session runs the
 *  setup like a scenario and executes a step's op whenever the search takes it. */
export interface CompiledExploration {
  readonly name: string;
  readonly range: Range;
  readonly nameRange: Range;
  readonly program: CompiledScenario;
  /** Top-level setup statements: source text and op range [from, to) (shrinking drops whole ones). */
  readonly setup: readonly { readonly text: string; readonly from: number; readonly to: number }[];
  readonly setupEnd: number;
  readonly steps: readonly number[];
  /** How many of the last `steps` were added (`rcu`, `zap_worker` not listed by the user). */
  readonly implicitSteps: number;
  readonly depth: number;
  readonly invariants: readonly Invariant[];
  /** 0 = breadth-first; N > 0 = N random walks of length `depth`. */
  readonly samples: number;
}

export interface CompiledFile {
  readonly scenarios: readonly CompiledScenario[];
  /** `explore` blocks without errors (absent from producers that predate them). */
  readonly explorations?: readonly CompiledExploration[];
}
