// Results → Test Explorer outcomes (pure, no vscode import): the verdict of one scenario
// and messages at the failing lines (failed checks, failures, stale uses).
import type { ScenarioResult } from '../../core/run/result';
import type { Range } from '../../core/lang/source';
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
  if (sc.cancelled) return { state: 'skipped', messages: [], summary: `${sc.name}: cancelled` };
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

/** Status bar text for a whole file's run. */
export function verdictText(results: readonly ScenarioResult[]): { text: string; passed: boolean; tooltip: string } {
  const failed = results.filter((r) => !r.passed && !r.cancelled);
  const stale = results.reduce((n, r) => n + (r.metrics['stale'] ?? r.stale.length), 0);
  const passed = failed.length === 0;
  const text = passed
    ? `$(pass) MMU ${results.length}/${results.length} passed`
    : `$(error) MMU ${failed.length}/${results.length} failed${stale ? ` · ${stale} stale` : ''}`;
  const tooltip = results.map((r) => `${r.passed ? '✓' : '✗'} ${r.name}`).join('\n') + '\nClick to show the state panel';
  return { text, passed, tooltip };
}
