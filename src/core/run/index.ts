// Public API of the runner: runScenario, runFile, compareScenario. Never throws on any
// compiled input: an internal error becomes a failed result with a note.
import type { CompiledFile, CompiledScenario } from '../lang/ops';
import { DEFAULT_SWEEP, type SweepAxis } from '../lang/schema';
import type { CompareResult, ComparePoint, FileRunResult, IterationRef, RunOptions, ScenarioResult, SkippedPoint } from './result';
import { combinationProblems } from '../lang/config';
import { resolveConfig } from '../model/config';
import { Machine } from '../model/machine';
import { ModelLimitError } from '../model/memslots';
import { RunCancelled } from '../model/cancel';
import { allMetrics } from '../model/metrics';
import { SWEEP_POINT_CAP } from '../lang/checker';
import { Session } from './session';

export { Session, type StepInfo, type SessionSnapshot } from './session';

export * from './result';
export { statementCount, statementTotal, type StatementTotal } from './statementCount';

import { cancelledText } from './cancelText';

export { cancelledText } from './cancelText';

function emptyMetrics(): Record<string, number> {
  return allMetrics(new Machine(resolveConfig().model, [], false, 0), 3);
}

/** Most trace events a run records (the `mmu.trace.limit` schema maximum); larger limits are clamped. */
export const TRACE_LIMIT_MAX = 1_000_000;
/** Cost-model clock bounds in GHz (the `mmu.costModel.ghz` schema); other values are clamped, non-numbers use 3. */
export const GHZ_MIN = 0.1;
export const GHZ_MAX = 10;

/** The clock a run uses: within [GHZ_MIN, GHZ_MAX], 3 when not a positive number (1e-320 would make time_us Infinity). */
export function clampGhz(ghz: number | undefined): number {
  if (ghz === undefined || !Number.isFinite(ghz) || ghz <= 0) return 3;
  return Math.min(GHZ_MAX, Math.max(GHZ_MIN, ghz));
}

/** The trace limit a run uses: a whole number in 0..TRACE_LIMIT_MAX (default 10,000). */
export function clampTraceLimit(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit)) return 10000;
  return Math.max(0, Math.min(TRACE_LIMIT_MAX, Math.floor(limit)));
}

export function runScenario(s: CompiledScenario, opts: RunOptions = {}): ScenarioResult {
  const rc = resolveConfig(s.config as Record<string, string>, opts.configOverrides);
  const ghz = clampGhz(opts.ghz);
  const traceLimit = clampTraceLimit(opts.traceLimit);
  opts = { ...opts, ghz, traceLimit };
  let at = s.range; // the statement running when an exception ends the run
  let iteration: IterationRef | undefined; // and the loop iteration it ran in
  try {
    const session = new Session(s, opts);
    try { session.runToEnd(); } catch (e) {
      // Cancelled inside a state-sized step: the state is mid-statement, so no end snapshot.
      if (e instanceof RunCancelled) session.it.st.cancelled = true;
      else { at = s.ops[session.m.op]?.range ?? s.range; iteration = session.it.currentIteration(); throw e; }
    }
    return session.result();
  } catch (e) {
    // A model limit is the scenario's size, not a bug: say which limit, not "internal model error".
    const msg = e instanceof ModelLimitError ? `model limit: ${e.message}` : `internal model error: ${e instanceof Error ? e.message : String(e)}`;
    return {
      name: s.name, line: s.range.start.line, config: rc.written, passed: false, cancelled: false, metrics: emptyMetrics(),
      checks: [], failures: [{ line: at.start.line, range: at, message: msg, ...(iteration ? { iteration } : {}) }], stale: [],
      prints: [], snapshots: [], trace: [], cost: [], timeUs: 0, notes: [msg],
    };
  }
}

/**
 * The result shown for a run stopped from outside (the editor ended its worker, so nothing
 * came back): a cancelled scenario that says where it stopped, so every view shows the
 * cancelled state instead of "no run".
 */
export function stoppedResult(name: string, line: number, at: { readonly line: number; readonly statements: number }, why = ''): ScenarioResult {
  const note = cancelledText(at) + why;
  return {
    name, line, config: resolveConfig().written, passed: false, cancelled: true, cancelledAt: { line: at.line, statements: at.statements },
    metrics: emptyMetrics(), checks: [], failures: [], stale: [], prints: [], snapshots: [], trace: [], cost: [], timeUs: 0, notes: [note],
  };
}

export function runFile(file: CompiledFile, fileName: string, opts: RunOptions = {}): FileRunResult {
  const scenarios: ScenarioResult[] = [];
  for (const s of file.scenarios) {
    if (opts.shouldCancel?.()) break;
    scenarios.push(runScenario(s, opts));
  }
  return { file: fileName, scenarios };
}

/**
 * The cross product of the sweep axes, in axis order (first axis varies slowest), one
 * point at a time: an odometer over the axes, so a 10^9-point sweep costs nothing until
 * its points are taken (Compare takes at most `maxSweepPoints`).
 */
export function* sweepPoints(axes: readonly SweepAxis[]): Generator<Record<string, string>> {
  if (axes.some((a) => a.values.length === 0)) return;
  const at = new Array<number>(axes.length).fill(0);
  for (;;) {
    const p: Record<string, string> = {};
    for (let i = 0; i < axes.length; i++) p[axes[i]!.key] = axes[i]!.values[at[i]!]!;
    yield p;
    let i = axes.length - 1;
    while (i >= 0 && ++at[i]! === axes[i]!.values.length) { at[i] = 0; i--; }
    if (i < 0) return;
  }
}

/** How many points the sweep has (a float: it may be far above 2^53). */
export function sweepSize(axes: readonly SweepAxis[]): number {
  let n = 1;
  for (const a of axes) n *= a.values.length;
  return n;
}

/** Skipped points listed one by one (the rest are counted). */
const MAX_SKIPPED_LISTED = 1000;

/** Run the scenario once per sweep point (DEFAULT_SWEEP when none); rank 1 = fastest estimate. */
export function compareScenario(s: CompiledScenario, opts: RunOptions = {}): CompareResult {
  const axes = s.sweep.length > 0 ? s.sweep : DEFAULT_SWEEP;
  // A point passes when it has no stale use and no failed data check (`read ==`, `verify`,
  // `expect ok`). `expect METRIC` lines describe the configuration the scenario was written
  // for (a bug demo expects `stale > 0`, a fix demo a hypercall count), so they do not decide.
  const metricExpectLines = new Set(s.ops.filter((o) => o.k === 'expect').map((o) => o.range.start.line));
  const runs: Omit<ComparePoint, 'rank'>[] = [];
  let cancelled = false;
  const skipped: SkippedPoint[] = [];
  let skippedUnlisted = 0;
  const cap = opts.maxSweepPoints !== undefined && opts.maxSweepPoints >= 1 ? Math.floor(opts.maxSweepPoints) : SWEEP_POINT_CAP;
  const total = sweepSize(axes);
  let taken = 0;
  for (const p of sweepPoints(axes)) {
    if (opts.shouldCancel?.()) { cancelled = true; break; }
    if (taken++ >= cap) break;
    // A point like host=bare x enlightened_tlb=on or tdp_mmu=off x fix=a cannot mean anything
    // (language.md, E203): running it would rank a configuration that does not exist, e.g. a
    // "fastest: host=bare enlightened_tlb=on". The sweep chose the values, so they count as written.
    const problems = combinationProblems({ ...s.config, ...opts.configOverrides, ...p });
    if (problems.length > 0) {
      if (skipped.length < MAX_SKIPPED_LISTED) skipped.push({ config: p, reason: problems[0]!.message }); else skippedUnlisted++;
      continue;
    }
    const r = runScenario(s, { ...opts, trace: false, snapshotLimit: 0, configOverrides: { ...opts.configOverrides, ...p } });
    if (r.cancelled) { cancelled = true; break; }
    const passed = !r.cancelled && r.metrics.stale === 0 && r.failures.every((f) => metricExpectLines.has(f.line));
    runs.push({ config: r.config, passed, metrics: r.metrics, timeUs: r.timeUs });
  }
  const order = runs.map((_, i) => i).sort((a, b) => runs[a].timeUs - runs[b].timeUs || a - b);
  const rank = new Array<number>(runs.length);
  order.forEach((idx, i) => { rank[idx] = i + 1; });
  const notes: string[] = [];
  if (total > cap) notes.push(`sweep capped: ran the first ${cap} of ${total} points (mmu.compare.maxPoints)`);
  if (skippedUnlisted > 0) notes.push(`${skippedUnlisted} more skipped points not listed`);
  return { scenario: s.name, line: s.range.start.line, points: runs.map((r, i) => ({ ...r, rank: rank[i] })), cancelled, skipped, ...(notes.length ? { notes, totalPoints: total } : {}) };
}
