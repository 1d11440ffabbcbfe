// Public API of the runner: runScenario, runFile, compareScenario. Never throws on any
// compiled input: an internal error becomes a failed result with a note.
import type { CompiledFile, CompiledScenario } from '../lang/ops';
import { DEFAULT_SWEEP, type SweepAxis } from '../lang/schema';
import type { CompareResult, ComparePoint, FileRunResult, RunOptions, ScenarioResult, SkippedPoint } from './result';
import { combinationProblems } from '../lang/config';
import { resolveConfig } from '../model/config';
import { Machine } from '../model/machine';
import { ModelLimitError } from '../model/memslots';
import { allMetrics } from '../model/metrics';
import { Session } from './session';

export { Session, type StepInfo, type SessionSnapshot } from './session';

export * from './result';

function emptyMetrics(): Record<string, number> {
  return allMetrics(new Machine(resolveConfig().model, [], false, 0), 3);
}

export function runScenario(s: CompiledScenario, opts: RunOptions = {}): ScenarioResult {
  const rc = resolveConfig(s.config as Record<string, string>, opts.configOverrides);
  let at = s.range; // the statement running when an exception ends the run
  try {
    const session = new Session(s, opts);
    try { session.runToEnd(); } catch (e) { at = s.ops[session.m.op]?.range ?? s.range; throw e; }
    return session.result();
  } catch (e) {
    // A model limit is the scenario's size, not a bug: say which limit, not "internal model error".
    const msg = e instanceof ModelLimitError ? `model limit: ${e.message}` : `internal model error: ${e instanceof Error ? e.message : String(e)}`;
    return {
      name: s.name, line: s.range.start.line, config: rc.written, passed: false, cancelled: false, metrics: emptyMetrics(),
      checks: [], failures: [{ line: at.start.line, range: at, message: msg }], stale: [],
      prints: [], snapshots: [], trace: [], cost: [], timeUs: 0, notes: [msg],
    };
  }
}

export function runFile(file: CompiledFile, fileName: string, opts: RunOptions = {}): FileRunResult {
  const scenarios: ScenarioResult[] = [];
  for (const s of file.scenarios) {
    if (opts.shouldCancel?.()) break;
    scenarios.push(runScenario(s, opts));
  }
  return { file: fileName, scenarios };
}

/** Cross product of the sweep axes, in axis order (first axis varies slowest). */
export function sweepPoints(axes: readonly SweepAxis[]): Record<string, string>[] {
  let points: Record<string, string>[] = [{}];
  for (const a of axes) {
    const next: Record<string, string>[] = [];
    for (const p of points) for (const v of a.values) next.push({ ...p, [a.key]: v });
    points = next;
  }
  return points;
}

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
  for (const p of sweepPoints(axes)) {
    if (opts.shouldCancel?.()) { cancelled = true; break; }
    // A point like host=bare x enlightened_tlb=on or tdp_mmu=off x fix=a cannot mean anything
    // (language.md, E203): running it would rank a configuration that does not exist, e.g. a
    // "fastest: host=bare enlightened_tlb=on". The sweep chose the values, so they count as written.
    const problems = combinationProblems({ ...s.config, ...opts.configOverrides, ...p });
    if (problems.length > 0) { skipped.push({ config: p, reason: problems[0]!.message }); continue; }
    const r = runScenario(s, { ...opts, trace: false, snapshotLimit: 0, configOverrides: { ...opts.configOverrides, ...p } });
    if (r.cancelled) { cancelled = true; break; }
    const passed = !r.cancelled && r.metrics.stale === 0 && r.failures.every((f) => metricExpectLines.has(f.line));
    runs.push({ config: r.config, passed, metrics: r.metrics, timeUs: r.timeUs });
  }
  const order = runs.map((_, i) => i).sort((a, b) => runs[a].timeUs - runs[b].timeUs || a - b);
  const rank = new Array<number>(runs.length);
  order.forEach((idx, i) => { rank[idx] = i + 1; });
  return { scenario: s.name, line: s.range.start.line, points: runs.map((r, i) => ({ ...r, rank: rank[i] })), cancelled, skipped };
}
