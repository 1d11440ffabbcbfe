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
import { Interpreter } from './interpreter';

export * from './result';

function emptyMetrics(): Record<string, number> {
  return allMetrics(new Machine(resolveConfig().model, [], false, 0), 3);
}

export function runScenario(s: CompiledScenario, opts: RunOptions = {}): ScenarioResult {
  const rc = resolveConfig(s.config as Record<string, string>, opts.configOverrides);
  const ghz = opts.ghz && opts.ghz > 0 ? opts.ghz : 3;
  let at = s.range; // the statement running when an exception ends the run
  try {
    const m = new Machine(rc.model, s.ops, opts.trace === true, opts.traceLimit ?? 10000);
    const it = new Interpreter(m, s, opts);
    try { it.run(); } catch (e) { at = s.ops[m.op]?.range ?? s.range; throw e; }
    const st = it.st;
    const notes = [...rc.notes, ...st.notes];
    if (m.tr.capped) notes.push(`trace capped at ${opts.traceLimit ?? 10000} events`);
    if (m.oracle.capped) notes.push(`stale uses: ${m.ctr.stale} counted, first ${m.oracle.uses.length} listed`);
    if (st.cancelled) notes.push('cancelled');
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
      failures, stale, prints: st.prints, snapshots: st.snapshots, trace: m.tr.events, cost: m.cost.lines(),
      timeUs: metrics.time_us, notes, lifecycle: it.life.result(st.steps),
    };
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
