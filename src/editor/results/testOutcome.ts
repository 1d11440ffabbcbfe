// Results → Test Explorer outcomes (pure, no vscode import): the verdict of one scenario
// and messages at the failing lines (failed checks, failures, stale uses).
import { cancelledText } from '../../core/run/index';
import type { ScenarioResult } from '../../core/run/result';
import type { Range } from '../../core/lang/source';
import { resultFor, type ScenarioRef } from './scenarioIds';
import { staleMessage } from './staleDiagnostics';

export interface TestMessageSpec {
  readonly message: string;
  readonly range: Range;
}

export interface TestOutcome {
  readonly state: 'passed' | 'failed' | 'skipped';
  readonly messages: readonly TestMessageSpec[];
  /** One line for the Test Results output. */
  readonly summary: string;
}

export function testOutcome(sc: ScenarioResult): TestOutcome {
  if (sc.cancelled) return { state: 'skipped', messages: [], summary: `${sc.name}: ${sc.cancelledAt ? cancelledText(sc.cancelledAt) : 'cancelled'}` };
  const messages: TestMessageSpec[] = [];
  const seenLines = new Set<number>();
  // A check inside `repeat` runs many times: one message per line, saying how many failed.
  const runsPerLine = new Map<number, { runs: number; failed: number }>();
  for (const c of sc.checks) {
    const n = runsPerLine.get(c.line) ?? { runs: 0, failed: 0 };
    n.runs += 1;
    if (!c.passed) n.failed += 1;
    runsPerLine.set(c.line, n);
  }
  for (const c of sc.checks) {
    if (c.passed || seenLines.has(c.line)) continue;
    seenLines.add(c.line);
    const n = runsPerLine.get(c.line)!;
    messages.push({ message: n.runs > 1 ? `${c.message} (${n.failed} of ${n.runs} runs failed)` : c.message, range: c.range });
  }
  for (const f of sc.failures) {
    if (seenLines.has(f.line)) continue;
    seenLines.add(f.line);
    messages.push({ message: f.message, range: f.range });
  }
  const staleLines = new Map<number, number>();
  for (const s of sc.stale) staleLines.set(s.line, (staleLines.get(s.line) ?? 0) + 1);
  for (const s of sc.stale) {
    const n = staleLines.get(s.line);
    // The runner may already report the stale use as a failure at that line: one message per line.
    if (n === undefined || seenLines.has(s.line)) continue;
    staleLines.delete(s.line);
    messages.push({ message: staleMessage(s, sc.name, n), range: s.range });
  }
  const stale = sc.metrics['stale'] ?? sc.stale.length;
  const summary = `${sc.name}: ${sc.passed ? 'passed' : 'FAILED'} · stale ${stale} · ~${sc.timeUs.toFixed(1)} µs (estimate)`;
  // A scenario fails exactly when the runner says so; messages explain where.
  if (!sc.passed && messages.length === 0) messages.push({ message: 'Scenario failed', range: { start: { line: sc.line, character: 0 }, end: { line: sc.line, character: 0 } } });
  return { state: sc.passed ? 'passed' : 'failed', messages: sc.passed ? [] : messages, summary };
}

/**
 * Status bar text for a whole file's run. `inFile` lists the file's named scenarios: those
 * without a result (errors kept them from running, or only others were run) are counted
 * and said, so "2/2 passed" never hides a third scenario that did not run.
 */
export function verdictText(results: readonly ScenarioResult[], inFile?: readonly ScenarioRef[]): { text: string; passed: boolean; tooltip: string } {
  const notRun = (inFile ?? []).filter((ref) => !resultFor(results, ref));
  const failed = results.filter((r) => !r.passed && !r.cancelled);
  const cancelled = results.filter((r) => r.cancelled);
  const passedCount = results.filter((r) => r.passed).length;
  const total = results.length + notRun.length;
  const stale = results.reduce((n, r) => n + (r.metrics['stale'] ?? r.stale.length), 0);
  const passed = failed.length === 0;
  const complete = notRun.length === 0 && cancelled.length === 0;
  const extra = `${cancelled.length ? ` · ${cancelled.length} cancelled` : ''}${notRun.length ? ` · ${notRun.length} did not run` : ''}`;
  // A run stopped mid-way says where first: "cancelled at line N after M statements".
  const stopped = cancelled.find((r) => r.cancelledAt);
  const text = stopped
    ? `$(circle-slash) MMU ${cancelledText(stopped.cancelledAt!)}${total > 1 ? ` · ${passedCount}/${total} passed` : ''}`
    : !passed
      ? `$(error) MMU ${failed.length}/${total} failed${stale ? ` · ${stale} stale` : ''}${extra}`
      : `${complete ? '$(pass)' : '$(warning)'} MMU ${passedCount}/${total} passed${extra}`;
  const lines = results.map((r) => `${r.cancelled ? '■' : r.passed ? '✓' : '✗'} ${r.name}${r.cancelled ? ` (${r.notes.find((n) => n.startsWith('cancelled')) ?? 'cancelled'})` : ''}`);
  for (const n of notRun) lines.push(`– ${n.name} (line ${n.line + 1}): did not run`);
  const tooltip = lines.join('\n') + '\nClick to show the state panel';
  return { text, passed, tooltip };
}
