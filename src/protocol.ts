// The one contract between the extension host (src/editor/panel) and the side panel
// (webview/). Both sides import this file; both validate every incoming message with the
// guards below and drop (and log) anything that does not match — a webview is untrusted
// input and the host's messages may come from an older or newer bundle.
//
// Shape: the host pushes small state (scenario list, timeline steps, counters, compare);
// the webview asks for slices of large tables (`getRows` → `rows`) and page-table nodes
// (`getNode` → `node`) by request id, so a 100,000-row table never crosses the boundary whole.
// Requests carry the `runId` they were made for; the host answers a request for an older
// run with `error`, and the webview ignores responses whose id it no longer waits for.
// Lines are 0-based, like src/core/run/result.ts.

// ---------------------------------------------------------------------------------------
// Tables

export type TableName = 'roots' | 'shadows' | 'tlb' | 'shadowEntries' | 'trace' | 'memslots';

export interface ColumnSpec {
  readonly id: string;
  readonly label: string;
  /** Numbers sort numerically and align right. */
  readonly numeric: boolean;
  /** Relative width (CSS grid fr units). */
  readonly width: number;
  /** Narrowest useful width in px: the table shows the columns that fit, by priority. */
  readonly minPx: number;
  /** 1 = always shown, 2 = from about 560 px, 3 = wide panels only (the column chooser overrides). */
  readonly priority: 1 | 2 | 3;
  /** The header's tooltip: the column in words. */
  readonly title: string;
  /** Never cut: the column grows to its longest cell seen (roles, function names). */
  readonly fit?: boolean;
}

const col = (id: string, label: string, numeric: boolean, width: number, minPx: number, priority: 1 | 2 | 3, title: string): ColumnSpec =>
  ({ id, label, numeric, width, minPx, priority, title });

/** Column ids double as sort keys in `getRows`. */
export const TABLE_COLUMNS: Readonly<Record<TableName, readonly ColumnSpec[]>> = {
  roots: [
    col('id', 'Root', true, 0.5, 48, 1, 'Root id (#N), as blame chains name it'),
    col('hpa', 'nCR3', true, 1, 78, 1, 'Root page: the nCR3 / EPTP value L0 keys its shadow by'),
    col('mmu', 'MMU', false, 0.6, 52, 3, 'TDP MMU or legacy (shadow) MMU'),
    { ...col('role', 'Role', false, 1.6, 120, 1, 'kvm_mmu_page_role: smm / !smm, guest_mode, direct'), fit: true },
    col('refcount', 'Refs', true, 0.5, 44, 3, 'Reference count (tdp_mmu_root_count / root_count)'),
    col('state', 'State', false, 0.7, 60, 1, 'valid, invalid (obsolete) or freed'),
    col('createdLine', 'Created', true, 0.7, 64, 2, 'Line that allocated the root'),
    col('recycledFromLine', 'Recycled from', true, 1, 104, 2, 'Line whose allocation used this page as a root before'),
    col('loadedBy', 'Loaded by', false, 0.8, 80, 3, 'vCPUs whose current root this is'),
    col('blame', 'Stale use', false, 1, 104, 2, 'Part of a stale use\'s blame chain'),
  ],
  shadows: [
    col('as', 'nCR3', true, 1.2, 78, 1, 'Address space: the nCR3 / EPTP value L0 keys this shadow by'),
    col('entries', 'Entries', true, 0.7, 60, 1, 'Entries in L0\'s shadow for this address space'),
    col('stale', 'Stale', true, 0.6, 50, 1, 'Entries L1\'s current tables no longer back'),
    col('lastFlushedLine', 'Last flushed', true, 1, 96, 1, 'Line of the last flush that dropped this shadow, or never'),
  ],
  tlb: [
    col('vcpu', 'vCPU', true, 0.5, 46, 2, 'vCPU whose access filled the entry'),
    col('asid', 'ASID', true, 0.5, 46, 1, 'ASID / VPID tag'),
    col('gfn', 'GFN', true, 0.8, 62, 1, 'L2 guest frame number'),
    col('hostPage', 'Host page', true, 0.9, 84, 1, 'Host page the entry translates to'),
    col('as', 'nCR3', true, 1, 78, 2, 'Address space (nCR3 / EPTP) the entry was derived from'),
    col('filledLine', 'Filled', true, 0.6, 54, 1, 'Line of the access that filled it'),
    col('stale', 'Stale', false, 0.6, 50, 1, 'Stale: L1\'s current tables do not back it'),
  ],
  shadowEntries: [
    col('as', 'nCR3', true, 1, 78, 1, 'Address space: the shadow (nCR3 / EPTP) the entry is in'),
    col('gfn', 'GFN', true, 0.8, 62, 1, 'L2 guest frame number'),
    col('hostPage', 'Host page', true, 0.9, 84, 1, 'Host page the entry translates to'),
    col('filledLine', 'Filled', true, 0.6, 54, 1, 'Line of the access that filled it'),
    col('stale', 'Stale', false, 0.6, 50, 1, 'Stale: L1\'s current tables do not back it'),
  ],
  trace: [
    col('seq', '#', true, 0.5, 52, 1, 'Event number'),
    { ...col('fn', 'Function', false, 1.6, 150, 1, 'Modelled kernel function or hypercall'), fit: true },
    col('path', 'Call path', false, 2.2, 180, 3, 'Enclosing modelled functions, from the statement down'),
    col('line', 'Line', true, 0.5, 46, 1, 'Statement that caused the event'),
    col('vcpu', 'vCPU', true, 0.5, 46, 3, 'vCPU of the statement'),
    col('detail', 'Detail', false, 2.4, 120, 2, 'What happened'),
  ],
  memslots: [
    col('id', 'Slot', false, 1, 60, 1, 'Memslot name'), col('gpa', 'GPA', true, 1, 70, 1, 'Guest physical base'),
    col('size', 'Size', true, 1, 70, 1, 'Size in bytes'), col('flags', 'Flags', false, 1, 90, 2, 'read-only, dirty logging'),
    col('backed', 'Backed pages', true, 1, 100, 2, 'Backing pages allocated so far'),
  ],
};

export function isTableName(x: unknown): x is TableName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(TABLE_COLUMNS, x);
}

export interface RowFilter {
  /** Case-insensitive substring of the row's cells; for addresses also `0x…` prefixes. */
  readonly text?: string;
  readonly asid?: number;
  /** Address space / root (nCR3) the entry belongs to. */
  readonly as?: number;
  readonly staleOnly?: boolean;
  /** Trace: function name, matched against the event and its call path. */
  readonly fn?: string;
}

export interface RowSort {
  readonly column: string;
  readonly descending: boolean;
}

export type BlameRole = 'fill' | 'change' | 'recycle';

export interface BlameView {
  readonly role: BlameRole;
  readonly line: number;
  readonly text: string;
  readonly detail: string;
  /** The loop iteration of this link's own event, e.g. "iteration 8 of 32 (i = 7)". */
  readonly iteration?: string;
}

/** One formatted table row: cells in TABLE_COLUMNS order, plus what the UI marks. */
export interface RowView {
  /** Stable within a run (selection survives re-slicing). */
  readonly key: string;
  readonly cells: readonly string[];
  /** Source line to reveal when the row is activated, or null. */
  readonly line: number | null;
  readonly stale: boolean;
  /** Highlighted for another reason: the recycled root of a stale use, a loaded root. */
  readonly marked: boolean;
  /** Why it is marked, in words (tooltip and detail pane). */
  readonly note: string;
  /** For stale entries: the blame chain of the stale use it caused. */
  readonly blame: readonly BlameView[];
}

// ---------------------------------------------------------------------------------------
// Pushed state

export interface StepView {
  readonly index: number;
  readonly label: string;
  readonly line: number;
  /** Statements executed when the snapshot was taken. */
  readonly step: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Roots whose page-table tree the snapshot kept. */
  readonly pageTableRoots: readonly number[];
  readonly counts: Readonly<Record<TableName, number>>;
  /** Distinct ASIDs and address spaces (nCR3) in the step's TLB and shadows: the filter choices. */
  readonly asids: readonly number[];
  readonly spaces: readonly number[];
}

export interface CostView {
  readonly kind: string;
  readonly count: number;
  readonly cycles: number;
}

export interface IterationView {
  /** The `repeat` line. */
  readonly line: number;
  /** 1-based. */
  readonly index: number;
  readonly count: number;
  /** The open loops' variables, e.g. `i = 3` (IterationRef.name); absent for unnamed loops. */
  readonly name?: string;
}

export interface WalkStepView {
  readonly level: number;
  /** The table page (L1 physical address) and the entry's index in it. */
  readonly table: number;
  readonly index: number;
  /** The entry as hex text. */
  readonly entry: string;
  /** Next table, or at level 1 the host page; null = not present. */
  readonly target: number | null;
}

/** The drawing of a stale use: hardware path vs L1's truth, and the flushes in between. */
export interface TranslationPathView {
  /** L1's walk from the vCPU's root right after the use (empty when the root has no table). */
  readonly walk: readonly WalkStepView[];
  /** False for results that carry no walk (older runs). */
  readonly walked: boolean;
  readonly fill: { readonly line: number; readonly text: string; readonly detail: string } | null;
  /** The last flush events between the fill and the use (trace), and how many there were. */
  readonly flushes: readonly { readonly fn: string; readonly path: readonly string[]; readonly line: number; readonly detail: string; readonly effect: string }[];
  readonly flushCount: number;
  /** The run recorded a trace (else the flushes are unknown). */
  readonly traced: boolean;
  /** The flush that would have dropped the stale entry, in words. */
  readonly wouldDrop: string;
}

export interface StaleUseView {
  readonly path: TranslationPathView | null;
  /** Address space (nCR3) of the entry that served it, statement clock, loop iteration (null when unknown). */
  readonly as: number | null;
  readonly step: number | null;
  readonly iteration: IterationView | null;
  readonly line: number;
  readonly vcpu: number;
  readonly gfn: number;
  readonly seen: number;
  readonly truth: number | null;
  readonly source: 'tlb' | 'shadow';
  readonly blame: readonly BlameView[];
}

export interface ScenarioView {
  readonly index: number;
  readonly name: string;
  readonly line: number;
  readonly passed: boolean;
  readonly cancelled: boolean;
  readonly config: Readonly<Record<string, string>>;
  readonly metrics: Readonly<Record<string, number>>;
  readonly timeUs: number;
  readonly cost: readonly CostView[];
  readonly stale: readonly StaleUseView[];
  /** The scenario expects its stale uses (`expect stale > 0` …): they are what it demonstrates, shown as information. */
  readonly staleExpected: boolean;
  /** Set on a run of one Compare point (the sweep axes' values it ran with); null for the file's own configuration. */
  readonly point: Readonly<Record<string, string>> | null;
  readonly failures: readonly { readonly line: number; readonly message: string }[];
  readonly notes: readonly string[];
  readonly steps: readonly StepView[];
  readonly traceCount: number;
  /** The trace stopped at this many events (mmu.trace.limit), or null when it is complete. */
  readonly traceCap: number | null;
  /** Distinct function names in the trace (events and call paths): the filter choices. */
  readonly traceFunctions: readonly string[];
}

export interface ComparePointView {
  readonly config: Readonly<Record<string, string>>;
  /** Every metric of the point (the selectable columns, as the CLI prints them). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly passed: boolean;
  readonly stale: number;
  readonly timeUs: number;
  readonly rank: number;
}

export interface CompareView {
  readonly scenario: string;
  readonly line: number;
  /** Config keys that differ between points (the sweep axes), in order. */
  readonly axes: readonly string[];
  readonly points: readonly ComparePointView[];
  readonly cancelled: boolean;
  /** Sweep points not run because their values cannot mean anything together (E203). */
  readonly skipped: readonly { readonly config: Readonly<Record<string, string>>; readonly reason: string }[];
}

export interface PanelState {
  /** Changes on every push of a new result; requests name the run they are for. */
  readonly runId: number;
  readonly uri: string | null;
  readonly fileName: string;
  readonly version: number;
  readonly scenarios: readonly ScenarioView[];
  readonly compare: CompareView | null;
  /** Shown instead of the views when there is nothing to show ("Run a scenario…"). */
  readonly message: string;
  /** The run was restored after a window reload (the text is unchanged): labelled "from the previous run". */
  readonly restored: boolean;
}

export interface PageEntryView {
  readonly index: number;
  /** SPTE as hex text (SPTEs can exceed 2^53). */
  readonly spte: string;
  readonly target: number;
  readonly leaf: boolean;
  /** The SPTE decoded: permission and the L1 page it points at, e.g. "writable, L1 pfn 0x1110". */
  readonly flags: string;
  /** A lower-level table exists for this entry (expandable). */
  readonly hasChild: boolean;
}

export interface PageNodeView {
  readonly hpa: number;
  readonly level: number;
  readonly entries: readonly PageEntryView[];
}

// ---------------------------------------------------------------------------------------
// Root lifecycle chart (sent on request: large runs have 10,000s of roots and marks)

/** Mark kinds, in the order `LifecycleView.marks.kind` indexes them. */
export const LIFE_KINDS = ['fill', 'asid', 'drop', 'stale'] as const;
export type LifeKind = (typeof LIFE_KINDS)[number];

/**
 * Root lives and the marks on their lanes, column-wise (one array per field, equal lengths):
 * compact to send and to scan. Lanes are root pages (nCR3 values) in order of first use;
 * steps are statement clocks (Snapshot.step's); -1 = never (not invalidated, not freed);
 * lines 0-based; iterations 0 = not in a loop.
 */
export interface LifecycleView {
  readonly steps: number;
  readonly capped: boolean;
  readonly lanes: readonly number[];
  readonly roots: {
    readonly id: readonly number[]; readonly lane: readonly number[]; readonly recycled: readonly number[];
    readonly created: readonly number[]; readonly invalidated: readonly number[]; readonly freed: readonly number[];
    readonly createdLine: readonly number[]; readonly invalidatedLine: readonly number[]; readonly freedLine: readonly number[];
    readonly role: readonly string[];
  };
  readonly marks: {
    readonly kind: readonly number[]; readonly lane: readonly number[]; readonly step: readonly number[]; readonly line: readonly number[];
    readonly count: readonly number[]; readonly iter: readonly number[]; readonly iterOf: readonly number[];
    /** Index into `details`. */
    readonly detail: readonly number[];
  };
  readonly details: readonly string[];
}

// ---------------------------------------------------------------------------------------
// Messages: host → webview

/** Full state after a run, an editor switch or `ready`. */
export interface StateMessage { readonly type: 'state'; readonly state: PanelState }
/** Answer to `getRows`. */
export interface RowsMessage { readonly type: 'rows'; readonly id: number; readonly total: number; readonly offset: number; readonly rows: readonly RowView[] }
/** Answer to `getNode`; null when the step kept no such node. */
export interface NodeMessage { readonly type: 'node'; readonly id: number; readonly node: PageNodeView | null }
/** A request could not be answered (stale runId, unknown scenario). */
export interface ErrorMessage { readonly type: 'error'; readonly id: number; readonly message: string }
/** The host asks the panel to show a scenario (e.g. from a "Show state" CodeLens). */
export interface SelectMessage { readonly type: 'select'; readonly scenario: number }
/** Answer to `getLifecycle`; null when the run recorded none. */
export interface LifecycleMessage { readonly type: 'lifecycle'; readonly id: number; readonly view: LifecycleView | null }

export type ToWebview = StateMessage | RowsMessage | NodeMessage | ErrorMessage | SelectMessage | LifecycleMessage;

// ---------------------------------------------------------------------------------------
// Messages: webview → host

/** The webview has booted and wants the state. */
export interface ReadyMessage { readonly type: 'ready' }
export interface GetRowsMessage {
  readonly type: 'getRows';
  readonly id: number;
  readonly runId: number;
  readonly table: TableName;
  readonly scenario: number;
  /** Snapshot index (the timeline position). */
  readonly step: number;
  readonly offset: number;
  readonly limit: number;
  readonly filter: RowFilter;
  readonly sort: RowSort | null;
}
export interface GetNodeMessage {
  readonly type: 'getNode';
  readonly id: number;
  readonly runId: number;
  readonly scenario: number;
  readonly step: number;
  readonly root: number;
  /** The table page to return (the root itself for the top). */
  readonly hpa: number;
}
export interface GetLifecycleMessage {
  readonly type: 'getLifecycle';
  readonly id: number;
  readonly runId: number;
  readonly scenario: number;
}
/** Reveal a source line of the panel's document in the editor. */
export interface RevealLineMessage { readonly type: 'revealLine'; readonly line: number }
/** Selection changed (kept by the host so a re-push keeps the user's place). */
export interface SelectionMessage { readonly type: 'selection'; readonly scenario: number; readonly step: number; readonly tab: string }
/** Run the panel's document again with a higher trace limit (sets mmu.trace.limit). */
export interface RerunMessage { readonly type: 'rerunWithTraceLimit'; readonly limit: number }
/** Run the Compare's scenario at these points (by rank) for their state: "Show state" of a row, the
 *  side-by-side diff of two rows' final roots and shadows. The runs arrive as scenarios with `point` set. */
export interface RunComparePointsMessage { readonly type: 'runComparePoints'; readonly runId: number; readonly ranks: readonly number[] }
/** The webview's view state (tab, step, filters, scroll; webview/state.ts), kept by the host so a
 *  panel closed and opened again starts where it was. Opaque to the host; bounded in size. */
export interface ViewStateMessage { readonly type: 'viewState'; readonly state: Readonly<Record<string, unknown>> }
export const MAX_VIEW_STATE_CHARS = 32_000;
/** Highest mmu.trace.limit (package.json). */
export const MAX_TRACE_LIMIT = 1_000_000;
/** Open one of the extension's docs (the cost model). */
export interface OpenDocMessage { readonly type: 'openDoc'; readonly doc: 'cost-model' }

export type FromWebview = ReadyMessage | GetRowsMessage | GetNodeMessage | GetLifecycleMessage | RevealLineMessage | SelectionMessage | OpenDocMessage | RerunMessage | RunComparePointsMessage | ViewStateMessage;

/** Upper bound of one slice; the host clamps `limit` to it. */
export const MAX_SLICE = 1000;

// ---------------------------------------------------------------------------------------
// Guards (hand-written: no dependency in either bundle)

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isInt = (x: unknown): x is number => Number.isSafeInteger(x);
const isNat = (x: unknown): x is number => isInt(x) && x >= 0;
const isStr = (x: unknown): x is string => typeof x === 'string';
const isBool = (x: unknown): x is boolean => typeof x === 'boolean';
const isArr = <T>(x: unknown, item: (v: unknown) => v is T): x is T[] => Array.isArray(x) && x.every(item);
const isLine = (x: unknown): x is number | null => x === null || isNat(x);
const isRecord = <T>(x: unknown, val: (v: unknown) => v is T): x is Record<string, T> =>
  isObj(x) && Object.values(x).every(val);

function isBlame(x: unknown): x is BlameView {
  return isObj(x) && (x.role === 'fill' || x.role === 'change' || x.role === 'recycle')
    && isNat(x.line) && isStr(x.text) && isStr(x.detail) && (x.iteration === undefined || isStr(x.iteration));
}

function isFilter(x: unknown): x is RowFilter {
  if (!isObj(x)) return false;
  return (x.text === undefined || (isStr(x.text) && x.text.length <= 200))
    && (x.asid === undefined || isNat(x.asid))
    && (x.as === undefined || isNat(x.as))
    && (x.staleOnly === undefined || isBool(x.staleOnly))
    && (x.fn === undefined || (isStr(x.fn) && x.fn.length <= 200));
}

function isSort(x: unknown): x is RowSort | null {
  return x === null || (isObj(x) && isStr(x.column) && isBool(x.descending));
}

function isRow(x: unknown): x is RowView {
  return isObj(x) && isStr(x.key) && isArr(x.cells, isStr) && isLine(x.line) && isBool(x.stale)
    && isBool(x.marked) && isStr(x.note) && isArr(x.blame, isBlame);
}

function isStep(x: unknown): x is StepView {
  return isObj(x) && isNat(x.index) && isStr(x.label) && isNat(x.line) && isNat(x.step)
    && isRecord(x.metrics, isNum) && isArr(x.pageTableRoots, isNat) && isRecord(x.counts, isNat)
    && isArr(x.asids, isNat) && isArr(x.spaces, isNat);
}

function isIteration(x: unknown): x is IterationView | null {
  return x === null || (isObj(x) && isNat(x.line) && isNat(x.index) && isNat(x.count) && (x.name === undefined || (isStr(x.name) && x.name.length <= 200)));
}

function isPath(x: unknown): x is TranslationPathView | null {
  if (x === null) return true;
  return isObj(x) && isBool(x.walked) && isBool(x.traced) && isStr(x.wouldDrop) && isNat(x.flushCount)
    && isArr(x.walk, (w): w is WalkStepView => isObj(w) && isNat(w.level) && isNat(w.table) && isNat(w.index) && isStr(w.entry) && (w.target === null || isNat(w.target)))
    && (x.fill === null || (isObj(x.fill) && isNat(x.fill.line) && isStr(x.fill.text) && isStr(x.fill.detail)))
    && isArr(x.flushes, (f): f is TranslationPathView['flushes'][number] => isObj(f) && isStr(f.fn) && isArr(f.path, isStr) && isNat(f.line) && isStr(f.detail) && isStr(f.effect));
}

function isStaleUse(x: unknown): x is StaleUseView {
  return isObj(x) && isPath(x.path) && (x.as === null || isNat(x.as)) && (x.step === null || isNat(x.step)) && isIteration(x.iteration) && isNat(x.line) && isNat(x.vcpu) && isNat(x.gfn) && isNat(x.seen)
    && (x.truth === null || isNat(x.truth)) && (x.source === 'tlb' || x.source === 'shadow') && isArr(x.blame, isBlame);
}

function isCost(x: unknown): x is CostView {
  return isObj(x) && isStr(x.kind) && isNum(x.count) && isNum(x.cycles);
}

function isScenario(x: unknown): x is ScenarioView {
  return isObj(x) && isNat(x.index) && isStr(x.name) && isNat(x.line) && isBool(x.passed) && isBool(x.cancelled)
    && isRecord(x.config, isStr) && isRecord(x.metrics, isNum) && isNum(x.timeUs) && isArr(x.cost, isCost)
    && isArr(x.stale, isStaleUse) && isBool(x.staleExpected) && (x.point === null || isRecord(x.point, isStr))
    && isArr(x.failures, (f): f is { line: number; message: string } => isObj(f) && isNat(f.line) && isStr(f.message))
    && isArr(x.notes, isStr) && isArr(x.steps, isStep) && isNat(x.traceCount)
    && (x.traceCap === null || isNat(x.traceCap)) && isArr(x.traceFunctions, isStr);
}

function isComparePoint(x: unknown): x is ComparePointView {
  return isObj(x) && isRecord(x.config, isStr) && isRecord(x.metrics, isNum) && isBool(x.passed) && isNat(x.stale) && isNum(x.timeUs) && isNat(x.rank);
}

function isCompare(x: unknown): x is CompareView | null {
  return x === null || (isObj(x) && isStr(x.scenario) && isNat(x.line) && isArr(x.axes, isStr)
    && isArr(x.points, isComparePoint) && isBool(x.cancelled)
    && isArr(x.skipped, (k): k is { config: Record<string, string>; reason: string } => isObj(k) && isRecord(k.config, isStr) && isStr(k.reason)));
}

export function isPanelState(x: unknown): x is PanelState {
  return isObj(x) && isNat(x.runId) && (x.uri === null || isStr(x.uri)) && isStr(x.fileName) && isInt(x.version)
    && isArr(x.scenarios, isScenario) && isCompare(x.compare) && isStr(x.message) && isBool(x.restored);
}

function isPageEntry(x: unknown): x is PageEntryView {
  return isObj(x) && isNat(x.index) && isStr(x.spte) && isNat(x.target) && isBool(x.leaf) && isStr(x.flags) && isBool(x.hasChild);
}

function isPageNode(x: unknown): x is PageNodeView | null {
  return x === null || (isObj(x) && isNat(x.hpa) && isNat(x.level) && isArr(x.entries, isPageEntry));
}

const isInts = (x: unknown, n: number): boolean => Array.isArray(x) && x.length === n && x.every((v) => Number.isSafeInteger(v));

function isLifecycle(x: unknown): x is LifecycleView | null {
  if (x === null) return true;
  if (!isObj(x) || !isNat(x.steps) || !isBool(x.capped) || !isArr(x.lanes, isNat) || !isArr(x.details, isStr)) return false;
  const r = x.roots;
  const m = x.marks;
  if (!isObj(r) || !isObj(m) || !Array.isArray(r.id) || !Array.isArray(m.kind)) return false;
  const nr = r.id.length;
  const nm = m.kind.length;
  return ['id', 'lane', 'recycled', 'created', 'invalidated', 'freed', 'createdLine', 'invalidatedLine', 'freedLine'].every((k) => isInts(r[k], nr))
    && isArr(r.role, isStr) && r.role.length === nr
    && ['kind', 'lane', 'step', 'line', 'count', 'iter', 'iterOf', 'detail'].every((k) => isInts(m[k], nm));
}

/** Validates a message the webview received. */
export function isToWebview(x: unknown): x is ToWebview {
  if (!isObj(x)) return false;
  switch (x.type) {
    case 'state': return isPanelState(x.state);
    case 'rows': return isNat(x.id) && isNat(x.total) && isNat(x.offset) && isArr(x.rows, isRow);
    case 'node': return isNat(x.id) && isPageNode(x.node);
    case 'error': return isNat(x.id) && isStr(x.message);
    case 'select': return isNat(x.scenario);
    case 'lifecycle': return isNat(x.id) && isLifecycle(x.view);
    default: return false;
  }
}

/** Validates a message the host received from the webview. */
export function isFromWebview(x: unknown): x is FromWebview {
  if (!isObj(x)) return false;
  switch (x.type) {
    case 'ready': return true;
    case 'getRows':
      return isNat(x.id) && isNat(x.runId) && isTableName(x.table) && isNat(x.scenario) && isNat(x.step)
        && isNat(x.offset) && isNat(x.limit) && isFilter(x.filter) && isSort(x.sort);
    case 'getNode':
      return isNat(x.id) && isNat(x.runId) && isNat(x.scenario) && isNat(x.step) && isNat(x.root) && isNat(x.hpa);
    case 'getLifecycle': return isNat(x.id) && isNat(x.runId) && isNat(x.scenario);
    case 'revealLine': return isNat(x.line);
    case 'selection': return isNat(x.scenario) && isNat(x.step) && isStr(x.tab) && x.tab.length <= 40;
    case 'openDoc': return x.doc === 'cost-model';
    case 'rerunWithTraceLimit': return isNat(x.limit) && x.limit > 0 && x.limit <= MAX_TRACE_LIMIT;
    case 'viewState': return isObj(x.state) && JSON.stringify(x.state).length <= MAX_VIEW_STATE_CHARS;
    case 'runComparePoints': return isNat(x.runId) && isArr(x.ranks, isNat) && x.ranks.length >= 1 && x.ranks.length <= 2;
    default: return false;
  }
}

/** A short description of a dropped message for the log (never the whole payload). */
export function describeMessage(x: unknown): string {
  if (!isObj(x)) return `non-object (${x === null ? 'null' : typeof x})`;
  const type = isStr(x.type) ? x.type.slice(0, 40) : '?';
  return `type=${JSON.stringify(type)} keys=${Object.keys(x).slice(0, 12).join(',')}`;
}
