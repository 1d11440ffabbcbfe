// The one execution engine, as a stepping API: Run, the timeline, the debugger and the
// explorer drive a Session (no second interpreter). A session holds the machine and the
// interpreter of one scenario; it runs to the next statement, to a predicate over the
// statements (a breakpoint), or to the end; `snapshot`/`restore` copy the whole live state
// (run/clone.ts), so stepping back is a restore plus deterministic re-execution forward.
import type { CompiledScenario } from '../lang/ops';
import type { RunOptions, ScenarioResult, TraceEvent } from './result';
import { resolveConfig, type ResolvedConfig } from '../model/config';
import { Machine } from '../model/machine';
import { allMetrics } from '../model/metrics';
import { Interpreter } from './interpreter';
import { ArrayPool, deepClone } from './clone';
import { cloneWithPlan, type RestorePlan } from './inPlace';
import { ModelBudget } from '../model/budget';
import { cancelledText } from './cancelText';
import { EventStop } from '../model/trace';

/** One statement that ran. `events` are the kernel events it raised (with tracing on):
 *  m.tr.events[from .. to), so "step into" walks them one by one. */
export interface StepInfo {
  readonly index: number;
  readonly line: number;
  readonly events: { readonly from: number; readonly to: number };
}

/** A frozen copy of a session's state; restore it any number of times. */
export interface SessionSnapshot {
  readonly m: Machine;
  readonly it: Interpreter;
}

export class Session {
  readonly rc: ResolvedConfig;
  m: Machine;
  it: Interpreter;

  /** `opts` as Run normalizes them (clampGhz, clampTraceLimit in run/index.ts). */
  constructor(readonly scenario: CompiledScenario, readonly opts: RunOptions = {}) {
    this.rc = resolveConfig(scenario.config as Record<string, string>, opts.configOverrides);
    const traceLimit = opts.traceLimit ?? 10000;
    this.m = new Machine(this.rc.model, scenario.ops, opts.trace === true && traceLimit > 0, traceLimit, new ModelBudget(opts.memoryBudget));
    if (opts.shouldCancel) this.m.mem.shouldCancel = opts.shouldCancel;
    this.it = new Interpreter(this.m, scenario, opts);
  }

  get done(): boolean { return this.it.done(); }

  /** Runs up to and including the next statement (repeat bookkeeping is not a stop). Null at the end. */
  stepStatement(): StepInfo | null {
    const it = this.it;
    while (!it.done()) {
      const from = this.m.tr.events.length;
      const index = it.stepOnce();
      if (index >= 0) return { index, line: this.scenario.ops[index]!.range.start.line, events: { from, to: this.m.tr.events.length } };
    }
    return null;
  }

  /** Runs the control ops (repeat bookkeeping) up to the next statement without running it:
   *  its op index, or -1 at the end. A debugger's "about to run this line" position. */
  nextStatement(): number {
    const it = this.it, ops = this.scenario.ops;
    while (!it.done()) {
      const k = ops[it.pc]!.k;
      if (k !== 'repeat' && k !== 'end_repeat') return it.pc;
      it.stepOnce();
    }
    return -1;
  }

  /** Runs the next statement but halts it when it raises its `k`-th kernel event (1-based,
   *  tracing on): `{ event }` with the machine left mid-statement (only inspect it, then
   *  `restore`), or `{ step }` when the statement finished first. The debugger's "step into". */
  stepToEvent(k: number): { readonly event: TraceEvent } | { readonly step: StepInfo | null } {
    const tr = this.m.tr;
    tr.stopSeq = tr.emitted + k;
    try {
      return { step: this.stepStatement() };
    } catch (e) {
      if (e instanceof EventStop) return { event: e.event };
      throw e;
    } finally {
      tr.stopSeq = -1;
    }
  }

  /** Runs statements until `stop` says so after one of them (a breakpoint predicate) or the end. */
  runUntil(stop: (step: StepInfo, s: Session) => boolean): StepInfo | null {
    for (;;) {
      const step = this.stepStatement();
      if (step === null || stop(step, this)) return step;
    }
  }

  /** Runs every remaining op, then the end-of-run snapshot (Run's whole job). */
  runToEnd(): void { this.it.run(); }

  /** Runs op `index` of the scenario now, outside the program order (explore steps). */
  execute(index: number): void { this.it.execute(index); }

  /** Kernel events of the run so far (tracing on). */
  events(): readonly TraceEvent[] { return this.m.tr.events; }

  snapshot(): SessionSnapshot { return this.copy({ m: this.m, it: this.it }, undefined); }

  /** Hands the live state over as a snapshot without copying; the session must be restored
   *  before it runs again (the explorer's prefix cache: one copy per state, not two). */
  detach(): SessionSnapshot {
    this.owned = null; // the snapshot owns its arrays now: never recycle them
    this.liveShared = true;
    this.plans = new WeakMap(); // plans may be bound to these objects: a restore must not rewrite the snapshot
    return { m: this.m, it: this.it };
  }

  /** Replaces the live state by a copy of `snap`. The dropped live state's typed arrays are
   *  reused for the copy (no allocation on the explorer's hot path). */
  restore(snap: SessionSnapshot): void {
    if (this.owned) this.pool.put(this.owned);
    const created: Parameters<typeof deepClone>[3] = [];
    const c = this.copy(snap, created);
    this.m = c.m; this.it = c.it;
    this.owned = created;
    this.liveShared = false;
  }

  /** `restore` for a hot loop (the explorer: one restore per state): rewrites the live state's
   *  objects from `snap` in place (run/inPlace.ts) — no new objects; from the second in-place
   *  restore of a snapshot on, `m` and `it` stay the same objects. References into the live state taken before it see the new contents, so only for
   *  callers that keep none (the debugger keeps `restore`). The first in-place restore of a
   *  snapshot copies it once (unless it came from `snapshotForInPlace`). */
  restoreInPlace(snap: SessionSnapshot): void {
    let plan = this.plans.get(snap);
    if (!plan) {
      plan = cloneWithPlan(snap, this.sharedOf(snap), false, this.pool).plan;
      this.plans.set(snap, plan);
    }
    const c = plan.restore() as SessionSnapshot;
    this.m = c.m; this.it = c.it;
    this.owned = null; // the live arrays are the plan's targets now: never recycle them
    this.liveShared = false;
  }

  /** A snapshot (as `snapshot`) bound to the live objects for `restoreInPlace`: its first
   *  in-place restore needs no copy. */
  snapshotForInPlace(): SessionSnapshot {
    if (this.liveShared) return this.snapshot(); // the live objects are a snapshot's: bind nothing to them
    const { copy, plan } = cloneWithPlan<SessionSnapshot>({ m: this.m, it: this.it }, this.sharedOf({ m: this.m, it: this.it }), true, this.pool);
    this.plans.set(copy, plan);
    this.owned = null; // the live arrays are bound to the plan
    return copy;
  }

  /** The caller will never restore `snap` again: its typed arrays are reused by later copies. */
  release(snap: SessionSnapshot): void {
    const plan = this.plans.get(snap);
    if (!plan) return;
    this.plans.delete(snap);
    this.pool.put(plan.typedNodes());
  }

  /** The live state is a detached snapshot's: it must be copied, never rewritten. */
  private liveShared = false;
  /** Plans of the snapshots restored in place (dropped with the snapshot, or by `release`). */
  private plans = new WeakMap<SessionSnapshot, RestorePlan>();

  /** Typed arrays of the live state that only it references (made by the last restore). */
  private owned: Parameters<typeof deepClone>[3] | null = null;
  private readonly pool = new ArrayPool();

  private copy(x: SessionSnapshot, created: Parameters<typeof deepClone>[3]): SessionSnapshot {
    return deepClone(x, this.sharedOf(x), created ? this.pool : undefined, created);
  }

  /** Referenced, never copied: the compiled ops, the resolved config, the caller's callbacks. */
  private sharedOf(x: SessionSnapshot): ReadonlySet<unknown> {
    return new Set<unknown>([x.m.cfg, x.m.ops, x.m.mem.shouldCancel, ...x.it.sharedRefs(), ...this.alsoShared]);
  }
  private readonly alsoShared: unknown[] = [];
  /** Snapshots reference `x` and never copy it (the explorer's allocator chooser: set before
   *  every step, so no snapshot needs its own). */
  share(x: object): void { this.alsoShared.push(x); }

  /** The run's result as Run reports it (after runToEnd, or wherever the session stands). */
  result(): ScenarioResult {
    const s = this.scenario, m = this.m, it = this.it, st = it.st, opts = this.opts, rc = this.rc;
    const ghz = opts.ghz && opts.ghz > 0 ? opts.ghz : 3;
    const traceLimit = opts.traceLimit ?? 10000;
    const notes = [...rc.notes, ...st.notes];
    if (m.tr.capped) notes.push(`trace capped at ${traceLimit} events`);
    if (m.oracle.capped) notes.push(`stale uses: ${m.ctr.stale} counted, first ${m.oracle.uses.length} listed`);
    const cancelledAt = st.cancelled ? { line: (s.ops[m.op]?.range ?? s.range).start.line, statements: st.steps } : undefined;
    if (cancelledAt) notes.push(cancelledText(cancelledAt));
    notes.push('time_us is an estimate from the cost model (docs/cost-model.md)');
    const stale = m.oracle.uses;
    const staleExpected = s.ops.some((o) => o.k === 'expect' && (o.metric === 'stale' || o.metric === 'stale.divergent'));
    const failures = [...st.failures];
    if (m.ctr.stale > 0 && !staleExpected && stale.length > 0) {
      const u = stale[0];
      failures.push({ line: u.line, range: u.range, message: `${m.ctr.stale} stale translation use(s), first: vcpu ${u.vcpu} gfn 0x${u.gfn.toString(16)} reached host page 0x${u.seen.toString(16)}, L1's tables give ${u.truth === null ? 'nothing (unmapped)' : '0x' + u.truth.toString(16)} (add \`expect stale > 0\` if intended)` });
    }
    const checks = [...st.checks.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    const metrics = allMetrics(m, ghz);
    const passed = !st.cancelled && failures.length === 0 && checks.every((c) => c.passed);
    return {
      name: s.name, line: s.range.start.line, config: rc.written, passed, cancelled: st.cancelled, metrics, checks,
      failures, stale, staleExpected, ...(cancelledAt ? { cancelledAt } : {}), prints: st.prints, snapshots: st.snapshots, trace: m.tr.events, cost: m.cost.lines(),
      timeUs: metrics.time_us, notes, lifecycle: it.life.result(st.steps),
    };
  }
}
