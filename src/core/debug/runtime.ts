// The debugger's runtime over the one engine (run/session.ts): a position in the run is
// (statements done, kernel event inside the next statement); moving forward steps the
// session, moving back restores the nearest snapshot and re-executes deterministically
// (the same file and seed give the same run), so going back costs what going forward does.
// It knows breakpoints and exception filters, not DAP: debug/adapter.ts translates.
import type { CompiledScenario, Op } from '../lang/ops';
import type { MetricName } from '../lang/schema';
import type { RunOptions, ScenarioResult, TraceEvent } from '../run/result';
import { Session, type SessionSnapshot } from '../run/session';
import { metric } from '../model/metrics';
import { ModelLimitError } from '../model/memslots';
import { takeSnapshot } from '../model/snapshot';
import { parseCondition, parseHitCondition, interpolate, type MetricReader } from './conditions';

/** Exception-style breakpoints: a counter of the machine that rose during a statement. */
export const EXCEPTION_FILTERS = [
  { filter: 'stale', label: 'Stale translation use', description: 'L2 used a translation L1\'s tables no longer back', default: true },
  { filter: 'failure', label: 'Failed check', description: 'a read ==, verify or expect failed, or a statement could not run', default: true },
  { filter: 'recycled', label: 'Root recycled', description: 'a root was allocated on a page that held a root before (nCR3 reuse)', default: false },
  { filter: 'hypercall', label: 'Flush hypercall', description: 'L1 asked L0 to flush (HvCallFlushGuestPhysicalAddressSpace/List)', default: false },
  { filter: 'limit', label: 'Model limit', description: 'the scenario hit a limit of the model (the run cannot go on)', default: true },
] as const;
export type ExceptionFilter = (typeof EXCEPTION_FILTERS)[number]['filter'];

export interface BreakpointSpec { readonly line: number; readonly condition?: string; readonly hitCondition?: string; readonly logMessage?: string }
export interface BreakpointState { readonly id: number; readonly requestedLine: number; readonly line: number; readonly verified: boolean; readonly message?: string }

interface Bp { id: number; line: number; cond: ((r: MetricReader) => boolean) | null; hit: ((h: number) => boolean) | null; log: string | null }

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'exception' | 'pause' | 'end';
export interface Stop {
  readonly reason: StopReason;
  readonly description: string;
  /** For exceptions: which filter, and the statement (0-based line) that raised it. */
  readonly exception?: { readonly filter: ExceptionFilter; readonly text: string; readonly line: number };
  readonly breakpointIds?: readonly number[];
}

export interface Frame { readonly name: string; readonly line: number; readonly kernel: boolean; readonly detail?: string }

/** Counters an exception filter watches, read before and after each statement. */
interface Counters { stale: number; failures: number; recycled: number; hypercalls: number }

interface Mark { readonly n: number; readonly snap: SessionSnapshot; readonly visits: Int32Array }

// Marks (snapshots to re-execute from) are spaced by cost, not count: a snapshot copies the
// whole state, which grows with the run (e.g. the lifecycle record), so the next mark waits
// until re-executing from the last one would cost MARK_RATIO snapshots. Placement changes
// only speed, never results: re-execution is deterministic.
const MIN_MARK_STATEMENTS = 16;
const MARK_RATIO = 4;
const MAX_MARKS = 128;
/** Work between yields of a long continue, in ms (the pause flag is polled there). */
const SLICE_MS = 30;
/** ... and at most this many statements, so a pause takes effect within a known bound of
 *  statements whatever the machine's speed (the pause test counts statements, not time). */
export const POLL_STATEMENTS = 4096;

const defaultYield = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

export interface DebugRuntimeOptions extends RunOptions {
  /** Lets pending messages (a pause) in: the worker's event loop turn. */
  readonly yieldNow?: () => Promise<void>;
}

export class DebugRuntime {
  readonly session: Session;
  readonly ops: readonly Op[];
  /** Statements completed. */
  n = 0;
  /** 0 at a statement boundary; k >= 1 halted at the k-th kernel event of the next statement. */
  ev = 0;
  /** The event halted at (ev >= 1). */
  event: TraceEvent | null = null;
  /** The run cannot go on (model limit): message and 0-based line. */
  fault: { readonly message: string; readonly line: number } | null = null;
  /** Visits of each op (hit counts): the count includes the current arrival. */
  private visits: Int32Array;
  private readonly marks: Mark[] = [];
  private lastMarkAt = 0;
  private lastMarkMs = 0;
  /** Statements done at the mark last taken or restored (re-execution starts there). */
  private markBase = 0;
  /** The boundary state of the current position while halted inside its statement. */
  private boundary: SessionSnapshot | null = null;
  private bps: Bp[] = [];
  private nextBpId = 1;
  private filters = new Set<ExceptionFilter>(EXCEPTION_FILTERS.filter((f) => f.default).map((f) => f.filter));
  private pauseRequested = false;
  private lastStop: Stop | null = null;
  private readonly ghz: number;
  /** Logpoint output (the adapter turns it into output events). */
  onLog: (text: string, line: number) => void = () => undefined;

  private readonly yieldNow: () => Promise<void>;

  constructor(readonly scenario: CompiledScenario, opts: DebugRuntimeOptions = {}) {
    const { yieldNow, ...run } = opts;
    this.yieldNow = yieldNow ?? defaultYield;
    this.session = new Session(scenario, { ...run, trace: true, snapshotLimit: 0 });
    this.ops = scenario.ops;
    this.ghz = opts.ghz && opts.ghz > 0 ? opts.ghz : 3;
    this.visits = new Int32Array(this.ops.length);
    this.arrive();
    this.mark();
  }

  // ------------------------------------------------------------ where we are
  /** Op index of the next statement, -1 at the end of the run. */
  get pc(): number { return this.session.done ? -1 : this.session.it.pc; }
  get atEnd(): boolean { return this.pc < 0 && this.ev === 0; }
  /** 0-based line of the next statement (the closing brace at the end). */
  get line(): number { const pc = this.pc; return pc >= 0 ? this.ops[pc]!.range.start.line : this.scenario.range.end.line; }
  readonly read: MetricReader = (name: MetricName) => metric(this.session.m, name, this.ghz);
  /** Arrivals at the next statement so far, this one included (what hit counts count). */
  get hitsHere(): number { const pc = this.pc; return pc >= 0 ? this.visits[pc]! : 0; }
  /** The timeline's clock here: the interpreter's step count (Snapshot.step, the panel's
   *  "after N statements"), which also counts `repeat` bookkeeping. */
  get clock(): number { return this.session.it.st.steps; }

  /** The run as Run reports it, cut at this position, with one timeline step: the paused
   *  state (what the side panel shows while the debugger is stopped). */
  pausedResult(): ScenarioResult {
    const r = this.session.result();
    const where = this.ev > 0 && this.event ? `in ${this.event.fn}, ` : '';
    const label = this.atEnd ? 'paused at the end of the run' : `paused at line ${this.line + 1}: ${where}${this.ops[this.pc]?.text ?? ''}`;
    const snap = takeSnapshot(this.session.m, label.length > 60 ? label.slice(0, 59) + '…' : label, this.line, this.clock, this.ghz);
    const notes = [`debugger: ${label} (statement ${this.n}, timeline clock ${this.clock}); the run goes on when the debugger continues`, ...r.notes];
    return { ...r, snapshots: [{ ...snap, kind: 'checkpoint' }], notes };
  }

  frames(): Frame[] {
    const out: Frame[] = [];
    const stop = this.lastStop;
    if (stop?.exception) out.push({ name: `⚠ ${stop.exception.text}`, line: stop.exception.line, kernel: false });
    else if (this.fault) out.push({ name: `⚠ model limit: ${this.fault.message}`, line: this.fault.line, kernel: false });
    const e = this.event;
    if (this.ev > 0 && e) {
      out.push({ name: e.fn, line: this.line, kernel: true, detail: e.detail });
      for (let i = e.path.length - 1; i >= 0; i--) out.push({ name: e.path[i]!, line: this.line, kernel: true });
    }
    const pc = this.pc;
    out.push({ name: pc >= 0 ? `${this.scenario.name}: ${this.ops[pc]!.text}` : `${this.scenario.name}: end of run`, line: this.line, kernel: false });
    return out;
  }

  // ------------------------------------------------------------ breakpoints and filters
  /** Verified lines: statements (a `repeat` header or a comment moves to the next statement). */
  setBreakpoints(specs: readonly BreakpointSpec[]): BreakpointState[] {
    this.bps = [];
    return specs.map((s) => {
      const id = this.nextBpId++;
      const op = this.ops.find((o) => o.k !== 'repeat' && o.k !== 'end_repeat' && o.range.start.line >= s.line);
      if (!op) return { id, requestedLine: s.line, line: s.line, verified: false, message: 'no statement of this scenario at or after this line' };
      let cond: Bp['cond'] = null, hit: Bp['hit'] = null;
      if (s.condition?.trim()) {
        const c = parseCondition(s.condition);
        if (!c.ok) return { id, requestedLine: s.line, line: op.range.start.line, verified: false, message: c.message };
        cond = c.test;
      }
      if (s.hitCondition?.trim()) {
        const h = parseHitCondition(s.hitCondition);
        if (!h.ok) return { id, requestedLine: s.line, line: op.range.start.line, verified: false, message: h.message };
        hit = h.test;
      }
      this.bps.push({ id, line: op.range.start.line, cond, hit, log: s.logMessage ?? null });
      return { id, requestedLine: s.line, line: op.range.start.line, verified: true };
    });
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.filters = new Set(filters.filter((f): f is ExceptionFilter => EXCEPTION_FILTERS.some((x) => x.filter === f)));
  }

  /** Stops the running or next continue at its next poll (the host asks only while a move is pending). */
  pause(): void { this.pauseRequested = true; }

  // ------------------------------------------------------------ moving
  /** The first stop of a launch. */
  async start(stopOnEntry: boolean): Promise<Stop> {
    if (stopOnEntry) return this.stopped({ reason: 'entry', description: 'entry' });
    const hit = this.breakpointHere(true);
    if (hit) return this.stopped(hit);
    return this.continue();
  }

  /** Runs until a breakpoint, a filter, the end, or a pause (requested before or during it). */
  async continue(): Promise<Stop> {
    let slice = Date.now(), count = 0;
    for (;;) {
      const s = this.forward(true);
      if (s) return this.stopped(s);
      if (++count >= POLL_STATEMENTS || Date.now() - slice >= SLICE_MS) {
        await this.yieldNow();
        slice = Date.now(); count = 0;
        if (this.pauseRequested) return this.stopped({ reason: 'pause', description: 'paused' });
      }
    }
  }

  /** One statement (one iteration of a `repeat` body at a time). */
  next(): Stop {
    const s = this.forward(false);
    return this.stopped(s ?? { reason: 'step', description: 'step' });
  }

  /** The next kernel event of the statement, as a frame above the statement's. */
  stepIn(): Stop {
    if (this.fault || this.atEnd) return this.next();
    return this.toEvent(this.ev + 1);
  }

  /** Out of the top kernel frame: to the caller's next kernel event (not a callee's), or the end of the statement. */
  stepOut(): Stop {
    const e = this.event;
    if (this.ev === 0 || !e || e.path.length === 0) return this.finishStatement();
    const events = this.statementEvents();
    const depth = e.path.length;
    for (let k = this.ev + 1; k <= events.length; k++) if (events[k - 1]!.path.length <= depth) return this.toEvent(k);
    return this.finishStatement();
  }

  stepBack(): Stop {
    if (this.ev > 1) return this.toEvent(this.ev - 1);
    if (this.ev === 1 || this.fault) { this.goTo(this.n); return this.stopped({ reason: 'step', description: 'step back' }); }
    if (this.n > 0) this.goTo(this.n - 1);
    return this.stopped({ reason: 'step', description: this.n === 0 ? 'start of the run' : 'step back' });
  }

  /** Back to the latest earlier position where a breakpoint or filter would have stopped; else the start. */
  reverseContinue(): Stop {
    const limit = this.ev > 0 || this.fault ? this.n : this.n - 1;
    for (let k = this.marks.length - 1; k >= 0 && limit >= 0; k--) {
      const mark = this.marks[k]!;
      if (mark.n > limit) continue;
      const hi = k + 1 < this.marks.length ? Math.min(limit, this.marks[k + 1]!.n) : limit;
      this.restoreMark(mark);
      let found: { n: number; stop: Stop } | null = null;
      const bp = this.breakpointHere(false);
      if (bp) found = { n: this.n, stop: bp };
      while (this.n < hi && !this.fault) {
        const ex = this.stepAndCheck();
        const stop = ex ?? this.breakpointHere(false);
        if (stop) found = { n: this.n, stop };
      }
      if (found) { this.goTo(found.n); return this.stopped(found.stop); }
    }
    this.goTo(0);
    return this.stopped({ reason: 'entry', description: 'start of the run' });
  }

  // ------------------------------------------------------------ internals
  /** Every stop answers the pauses asked before it. */
  private stopped(s: Stop): Stop { this.lastStop = s; this.pauseRequested = false; return s; }

  /** After arriving at a boundary: count the visit of the next statement. */
  private arrive(): void {
    const pc = this.session.nextStatement();
    if (pc >= 0) this.visits[pc]!++;
  }

  private counters(): Counters {
    const c = this.session.m.ctr;
    return { stale: c.stale, failures: c.failures, recycled: c.rootsRecycled, hypercalls: c.hcSpace + c.hcList };
  }

  /** One statement forward from a boundary (restoring first if halted inside it); the exception it raised, if a filter watches it. */
  private stepAndCheck(): Stop | null {
    this.toBoundary();
    const pc = this.pc;
    if (pc < 0) return null;
    const line = this.ops[pc]!.range.start.line;
    const before = this.counters();
    try {
      this.session.stepStatement();
    } catch (e) {
      const message = e instanceof ModelLimitError ? e.message : `internal model error: ${e instanceof Error ? e.message : String(e)}`;
      this.fault = { message, line };
      return { reason: 'exception', description: 'model limit', exception: { filter: 'limit', text: `model limit: ${message}`, line } };
    }
    // Only the current statement's events matter here (stepIn halts by event number, which
    // keeps counting); dropping the rest keeps every snapshot small.
    this.session.m.tr.events.length = 0;
    this.n++;
    this.arrive();
    // Also while re-executing between two marks (a step back): a mark in the gap makes the next step back cheaper.
    if (this.n - this.markBase >= MIN_MARK_STATEMENTS && Date.now() - this.lastMarkAt >= MARK_RATIO * this.lastMarkMs && !this.marks.some((m) => m.n === this.n)) this.mark();
    const after = this.counters();
    const f = this.filters;
    const at = ` (line ${line + 1})`;
    // Cause before effect: a recycled root (at the entry) comes before the stale use it allows.
    if (f.has('recycled') && after.recycled > before.recycled) return this.exception('recycled', `root recycled${at}: a new root on a page that was a root before (${after.recycled} in all)`, line);
    if (f.has('stale') && after.stale > before.stale) return this.exception('stale', `stale translation use${at}: ${after.stale - before.stale} more, ${after.stale} in all`, line);
    if (f.has('failure') && after.failures > before.failures) return this.exception('failure', `failed check${at}: ${this.session.it.st.failures[this.session.it.st.failures.length - 1]?.message ?? ''}`, line);
    if (f.has('hypercall') && after.hypercalls > before.hypercalls) return this.exception('hypercall', `flush hypercall${at}: ${after.hypercalls - before.hypercalls} issued`, line);
    return null;
  }

  private exception(filter: ExceptionFilter, text: string, line: number): Stop {
    return { reason: 'exception', description: text, exception: { filter, text, line } };
  }

  /** A forward statement, then why to stop here (exception, breakpoint, end), or null. */
  private forward(checkBreakpoints: boolean): Stop | null {
    if (this.fault) return { reason: 'end', description: 'the run ended at a model limit' };
    if (this.atEnd) return { reason: 'end', description: 'end of run' };
    const ex = this.stepAndCheck();
    if (ex) return this.fault && !this.filters.has('limit') ? { reason: 'end', description: ex.description } : ex;
    if (this.atEnd) return { reason: 'step', description: 'end of run' };
    return checkBreakpoints ? this.breakpointHere(true) : null;
  }

  /** Whether a breakpoint stops at the current boundary (logpoints print when `log`). */
  private breakpointHere(log: boolean): Stop | null {
    const pc = this.pc;
    if (pc < 0) return null;
    const line = this.ops[pc]!.range.start.line;
    const ids: number[] = [];
    for (const b of this.bps) {
      if (b.line !== line) continue;
      if (b.hit && !b.hit(this.visits[pc]!)) continue;
      if (b.cond && !b.cond(this.read)) continue;
      if (b.log !== null) { if (log) this.onLog(interpolate(b.log, this.read), line); continue; }
      ids.push(b.id);
    }
    return ids.length > 0 ? { reason: 'breakpoint', description: 'breakpoint', breakpointIds: ids } : null;
  }

  /** Halt at the k-th kernel event of the current statement (or past its end). The
   *  statement re-runs from its boundary state each time (deterministic re-execution). */
  private toEvent(k: number): Stop {
    const boundary = this.toBoundary() ?? this.session.snapshot();
    const r = this.session.stepToEvent(k);
    if ('event' in r) {
      this.ev = k; this.event = r.event; this.boundary = boundary;
      return this.stopped({ reason: 'step', description: `kernel: ${r.event.fn}` });
    }
    // The statement ended before its k-th event: account for it as a step over.
    this.session.restore(boundary);
    return this.next();
  }

  /** Halted inside a statement: back to its boundary; returns the boundary state (null when already there). */
  private toBoundary(): SessionSnapshot | null {
    const b = this.boundary;
    if (this.ev === 0 || !b) return null;
    this.session.restore(b);
    this.ev = 0; this.event = null; this.boundary = null;
    return b;
  }

  private finishStatement(): Stop {
    this.toBoundary();
    return this.next();
  }

  /** The kernel events the current statement raises (halted inside it): a run from its boundary state, then halt again. */
  private statementEvents(): readonly TraceEvent[] {
    const k = this.ev;
    const boundary = this.toBoundary();
    if (!boundary) return [];
    const from = this.session.events().length;
    try { this.session.stepStatement(); } catch { /* a model limit: the events so far */ }
    const evs = this.session.events().slice(from);
    this.session.restore(boundary);
    const r = this.session.stepToEvent(k);
    if ('event' in r) { this.ev = k; this.event = r.event; this.boundary = boundary; } else this.session.restore(boundary);
    return evs;
  }

  /** To the boundary after `n` statements: forward from here, or from the nearest earlier mark. */
  private goTo(n: number): void {
    if (n === this.n && this.toBoundary()) return;
    if (this.ev > 0 || this.fault || n < this.n) {
      let mark = this.marks[0]!;
      for (const m of this.marks) if (m.n <= n) mark = m;
      this.restoreMark(mark);
    }
    while (this.n < n && !this.fault) this.stepAndCheck();
  }

  private restoreMark(mark: Mark): void {
    this.session.restore(mark.snap);
    this.n = mark.n;
    this.markBase = mark.n;
    this.lastMarkAt = Date.now();
    this.visits = mark.visits.slice();
    this.ev = 0; this.event = null; this.fault = null; this.boundary = null;
  }

  /** Keep a snapshot here; past MAX_MARKS keep every other one. */
  private mark(): void {
    const t = Date.now();
    const at = this.marks.findIndex((m) => m.n > this.n);
    const mark = { n: this.n, snap: this.session.snapshot(), visits: this.visits.slice() };
    if (at < 0) this.marks.push(mark); else this.marks.splice(at, 0, mark);
    this.markBase = this.n;
    this.lastMarkAt = Date.now();
    this.lastMarkMs = Math.max(1, this.lastMarkAt - t);
    if (this.marks.length > MAX_MARKS) {
      const kept = this.marks.filter((_, i) => i % 2 === 0);
      this.marks.length = 0; this.marks.push(...kept);
    }
  }
}
