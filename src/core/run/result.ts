// What a run produces. The CLI prints it, the editor maps it to decorations,
// diagnostics and test results, and the side panel shows it. Plain data only
// (structured-clone safe): it crosses the worker and webview boundaries.
// Lines are 0-based here (like Range); the CLI's JSON makes them 1-based.
import type { Range } from '../lang/source';

export type BlameRole = 'fill' | 'change' | 'recycle';

export interface BlameLink {
  readonly role: BlameRole;
  readonly line: number;
  readonly range: Range;
  /** The statement's source text. */
  readonly text: string;
  /** What happened there, e.g. "shadow[0x1f000] filled gfn 0x10 -> host 0x..." */
  readonly detail: string;
  /** The root the link is about (change: the root that went away; recycle: the new one). */
  readonly rootId?: number;
  /** Statement clock of the event, when known (the fill's; the root's invalidation, free or allocation). */
  readonly step?: number;
  /** The loop iteration the event happened in (absent outside loops or when not known). */
  readonly iteration?: IterationRef;
}

export interface StaleUse {
  readonly line: number;
  readonly range: Range;
  readonly vcpu: number;
  readonly gfn: number;
  /** Host page the hardware path reached. */
  readonly seen: number;
  /** Host page L1's current tables give, or null when unmapped. */
  readonly truth: number | null;
  /** Where the stale translation came from: 'tlb' or 'shadow'. */
  readonly source: 'tlb' | 'shadow';
  readonly blame: readonly BlameLink[];
  /** Address space (nCR3 / EPTP value) of the entry that served the access. Optional fields
   *  below were added for the side panel (exact blame per entry, iterations, the chart). */
  readonly as?: number;
  /** Statement clock of that entry's fill: with `as`, `gfn` (and `vcpu` for the TLB) it names
   *  the entry exactly (TlbRow / ShadowEntryRow.fillStep). */
  readonly fillStep?: number;
  /** Statement clock of the use (Snapshot.step's clock). */
  readonly step?: number;
  /** The innermost `repeat` iteration the use happened in, when inside one. */
  readonly iteration?: IterationRef;
  /** L1's tables for gfn from the vCPU's current root, walked right after the use (run/walkPath.ts). */
  readonly walk?: readonly WalkStep[];
}

/** One level of a walk of L1's tables: the table page, the entry's index and value, and
 *  where it points (next table, or the host page at level 1); null target = not present. */
export interface WalkStep {
  readonly level: number;
  readonly table: number;
  readonly index: number;
  readonly entry: number;
  readonly target: number | null;
}

/** Where inside a `repeat` a statement ran: the loop's line, iteration (1-based) of count. */
export interface IterationRef {
  readonly line: number;
  readonly index: number;
  readonly count: number;
  /** The iteration named by the values of the open loops' variables, outer loop first
   *  (`x = 0x2000`, `n = 100, i = 3`; numbers from 4096 up in hex, as run-time messages
   *  write them). Absent when no open loop has a variable (`repeat 5 { ... }`). */
  readonly name?: string;
}

/** One pass/fail mark for an `expect`, `read ==` or `verify` line. */
export interface CheckResult {
  readonly line: number;
  readonly range: Range;
  readonly passed: boolean;
  /** Human text: on failure what was expected and what was seen. */
  readonly message: string;
  /** The value seen (metric value, loaded value), when there is one. */
  readonly seen?: number;
  /** The innermost `repeat` iteration of the execution this mark is from, when inside one. */
  readonly iteration?: IterationRef;
}

export interface Failure {
  readonly line: number;
  readonly range: Range;
  readonly message: string;
  /** The innermost `repeat` iteration the statement failed in, when inside one. */
  readonly iteration?: IterationRef;
}

export interface PrintLine {
  readonly line: number;
  readonly text: string;
}

export interface TraceEvent {
  readonly seq: number;
  /** Kernel function or hypercall name, e.g. `tdp_mmu_alloc_sp`. */
  readonly fn: string;
  /** Call path from the statement down, e.g. ["vcpu_enter_guest", "kvm_mmu_load"]. */
  readonly path: readonly string[];
  /** Source line of the statement that caused it. */
  readonly line: number;
  readonly vcpu: number | null;
  readonly detail: string;
  /** Statements executed when recorded (Snapshot.step's clock), so the panel's timeline can cut the trace at a step. Optional: added by the side panel. */
  readonly step?: number;
}

export type RootState = 'valid' | 'invalid' | 'freed';

export interface RootRow {
  /** L1-physical address of the root page (the nCR3 / EPTP value). */
  readonly hpa: number;
  readonly mmu: 'tdp' | 'legacy';
  /** Role in words, e.g. "4-level !smm" / "4-level smm guest_mode". */
  readonly role: string;
  readonly refcount: number;
  readonly state: RootState;
  readonly createdLine: number;
  /** Line whose allocation handed this page out before as another root, or null. */
  readonly recycledFromLine: number | null;
  /** vCPUs whose current root this is. */
  readonly loadedBy: readonly number[];
  /** True for a root involved in a stale use's blame chain. */
  readonly blamed: boolean;
  /** Root id (#N in blame chains). Optional: added for the side panel. */
  readonly id?: number;
}

export interface ShadowRow {
  /** Address-space ID: nCR3 (SVM) or EPTP (VMX). */
  readonly as: number;
  readonly entries: number;
  readonly stale: number;
  readonly lastFlushedLine: number | null;
}

export interface TlbRow {
  readonly vcpu: number;
  readonly asid: number;
  readonly gfn: number;
  readonly hostPage: number;
  /** Address space the entry was derived from. */
  readonly as: number;
  readonly filledLine: number;
  readonly stale: boolean;
  /** Statement clock of the fill (StaleUse.fillStep). */
  readonly fillStep?: number;
}

export interface ShadowEntryRow {
  readonly as: number;
  readonly gfn: number;
  readonly hostPage: number;
  readonly filledLine: number;
  readonly stale: boolean;
  /** Statement clock of the fill (StaleUse.fillStep). */
  readonly fillStep?: number;
}

export interface MemslotRow {
  readonly id: string;
  readonly gpa: number;
  readonly size: number;
  readonly readonly: boolean;
  readonly dirtyLog: boolean;
  /** Backing pages allocated so far. */
  readonly backed: number;
}

/** One page-table page of a root's tree; `children` point at lower-level tables. */
export interface PageTableNode {
  readonly hpa: number;
  readonly level: number;
  /** Present entries: index, the SPTE value, and the decoded target. */
  readonly entries: readonly { readonly index: number; readonly spte: number; readonly target: number; readonly leaf: boolean }[];
  readonly children: readonly PageTableNode[];
}

export interface Snapshot {
  readonly label: string;
  /** Why it was taken: a `checkpoint` line, a top-level statement (the timeline's steps,
   *  bounded), or the end of the run. Absent means `checkpoint`. */
  readonly kind?: 'checkpoint' | 'statement' | 'end' | 'iteration';
  /** For an `iteration` snapshot (taken at the end of a `repeat` iteration): which one. */
  readonly iteration?: IterationRef;
  readonly line: number;
  /** Statements executed when taken (the timeline's position). */
  readonly step: number;
  readonly roots: readonly RootRow[];
  readonly shadows: readonly ShadowRow[];
  readonly tlb: readonly TlbRow[];
  readonly shadowEntries: readonly ShadowEntryRow[];
  readonly memslots: readonly MemslotRow[];
  /** Page-table trees of the live roots, keyed by root hpa (bounded). */
  readonly pageTables: readonly { readonly root: number; readonly tree: PageTableNode }[];
  readonly metrics: Readonly<Record<string, number>>;
}

/** One root's life on the statement clock (the lifecycle chart's bars). */
export interface RootLife {
  readonly id: number;
  /** The root page (nCR3 / EPTP value): the chart's lane. */
  readonly hpa: number;
  readonly mmu: 'tdp' | 'legacy';
  readonly role: string;
  readonly createdStep: number;
  readonly createdLine: number;
  readonly invalidatedStep: number | null;
  readonly invalidatedLine: number | null;
  readonly freedStep: number | null;
  readonly freedLine: number | null;
  /** Allocated on a page that was a root before. */
  readonly recycled: boolean;
  readonly createdIteration?: IterationRef;
}

/** fill: L0 shadow fills of the lane's nCR3; asid: ASID flushes while it was loaded;
 *  drop: L0 dropped shadow[lane] (flush hypercall, INVEPT, eviction); stale: stale uses through it. */
export type LifeMarkKind = 'fill' | 'asid' | 'drop' | 'stale';

/** Events of one statement on one lane, aggregated (`count` of them). */
export interface LifeMark {
  readonly kind: LifeMarkKind;
  readonly lane: number;
  readonly step: number;
  readonly line: number;
  readonly count: number;
  /** What caused it, e.g. "HvCallFlushGuestPhysicalAddressSpace". */
  readonly detail: string;
  readonly iteration?: IterationRef;
}

export interface Lifecycle {
  readonly roots: readonly RootLife[];
  readonly marks: readonly LifeMark[];
  /** Statements executed in the run (the chart's x extent). */
  readonly steps: number;
  /** Roots or marks stopped being recorded (bounded). */
  readonly capped: boolean;
}

export interface CostLine {
  /** Event kind, e.g. "nested exit", "hypercall", "L0 shadow fill". */
  readonly kind: string;
  readonly count: number;
  readonly cycles: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly line: number;
  /** The full effective configuration (every key), values as written in the language. */
  readonly config: Readonly<Record<string, string>>;
  readonly passed: boolean;
  readonly cancelled: boolean;
  /** Where a cancelled run stopped: the statement's line (0-based) and statements executed. Optional for older producers. */
  readonly cancelledAt?: { readonly line: number; readonly statements: number };
  /** Every metric of the language reference under its dotted name. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly checks: readonly CheckResult[];
  readonly failures: readonly Failure[];
  readonly stale: readonly StaleUse[];
  /** The scenario has an `expect stale …` / `expect stale.divergent …`: its stale uses are what it
   *  demonstrates, not a failure by themselves (the editor shows them as information). Optional for older producers. */
  readonly staleExpected?: boolean;
  readonly prints: readonly PrintLine[];
  readonly snapshots: readonly Snapshot[];
  readonly trace: readonly TraceEvent[];
  readonly cost: readonly CostLine[];
  /** Estimated time in µs (same as metrics.time_us). */
  readonly timeUs: number;
  /** Notes such as "trace capped at 10000 events". */
  readonly notes: readonly string[];
  /** Roots' lives and the events on their pages (the side panel's lifecycle chart). Optional. */
  readonly lifecycle?: Lifecycle;
}

export interface FileRunResult {
  readonly file: string;
  readonly scenarios: readonly ScenarioResult[];
}

export interface ComparePoint {
  readonly config: Readonly<Record<string, string>>;
  readonly passed: boolean;
  readonly metrics: Readonly<Record<string, number>>;
  readonly timeUs: number;
  /** 1 = fastest. */
  readonly rank: number;
}

/** A sweep point that was not run: its values cannot mean anything together (language.md, E203). */
export interface SkippedPoint {
  /** The sweep axes' values of the point. */
  readonly config: Readonly<Record<string, string>>;
  /** Why, as the E203 message says it. */
  readonly reason: string;
}

export interface CompareResult {
  readonly scenario: string;
  readonly line: number;
  readonly points: readonly ComparePoint[];
  readonly cancelled: boolean;
  /** Sweep points not run because they combine values that cannot mean anything (added by QA; optional). */
  readonly skipped?: readonly SkippedPoint[];
  /** Present when the sweep was capped (`maxSweepPoints`) or skipped points were only counted. */
  readonly notes?: readonly string[];
  /** The sweep's full size, when capped. */
  readonly totalPoints?: number;
}

export interface RunOptions {
  /** Overrides applied before the check (CLI `--config`, the default-config setting). */
  readonly configOverrides?: Readonly<Record<string, string>>;
  /** Record the trace (off by default: large workloads run at full speed). */
  readonly trace?: boolean;
  /** Cap on recorded trace events (default 10,000). */
  readonly traceLimit?: number;
  /** Cap on snapshots kept (default 64). */
  readonly snapshotLimit?: number;
  /** Keep the panel's per-statement records, the root lifecycle and each statement's loop
   *  iteration (default true). The explorer turns them off: it reads counters and
   *  fingerprints, and a counterexample is replayed by an ordinary run. */
  readonly records?: boolean;
  /** Sweep points Compare takes (default SWEEP_POINT_CAP = 1000; `mmu.compare.maxPoints`). */
  readonly maxSweepPoints?: number;
  /** Model memory budget in bytes (default DEFAULT_MODEL_BUDGET, 2 GiB; `mmu.model.memoryBudgetMB`). */
  readonly memoryBudget?: number;
  /** Cost model clock, GHz (default 3.0). */
  readonly ghz?: number;
  /** Checked often, including inside `repeat`; returning true stops the run. */
  readonly shouldCancel?: () => boolean;
  /** Progress in statements executed, and the line running (may be called often; keep it cheap). */
  readonly onProgress?: (done: number, line?: number) => void;
}
