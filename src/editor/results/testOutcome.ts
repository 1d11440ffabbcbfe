// Results → Test Explorer outcomes (pure, no vscode import): the verdict of one scenario
// and messages at the failing lines (failed checks, failures, stale uses).
import { cancelledText } from '../../core/run/index';
import type { ScenarioResult } from '../../core/run/result';
import type { ExploreResult } from '../../core/explore/result';
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

/** One `explore` block's verdict over its sweep points (pure): a violation at any point fails it. */
export interface BlockVerdict {
  readonly name: string;
  readonly line: number;
  readonly verdict: 'violation' | 'clean' | 'cancelled';
  readonly summary: string;
}

export function blockVerdicts(results: readonly ExploreResult[]): BlockVerdict[] {
  const blocks = new Map<string, ExploreResult[]>();
  for (const r of results) {
    const key = `${r.line}\u0000${r.name}`;
    const list = blocks.get(key);
    if (list) list.push(r); else blocks.set(key, [r]);
  }
  return [...blocks.values()].map((rs) => {
    const bad = rs.find((r) => r.verdict === 'violation');
    const stopped = rs.find((r) => r.verdict === 'cancelled');
    const verdict: BlockVerdict['verdict'] = bad ? 'violation' : stopped ? 'cancelled' : 'clean';
    const summary = (bad ?? stopped ?? rs[0]!).summary + (rs.length > 1 ? ` (${rs.length} sweep points)` : '');
    return { name: rs[0]!.name, line: rs[0]!.line, verdict, summary };
  }).sort((a, b) => a.line - b.line);
}

/**
 * Status bar text for a whole file's run. `inFile` lists the file's named scenarios: those
 * without a result (errors kept them from running, or only others were run) are counted
 * and said, so "2/2 passed" never hides a third scenario that did not run. Explored blocks
 * (`explore`, the last search of each) count like scenarios: a violation fails the file;
 * blocks of `exploreInFile` not explored yet are listed in the tooltip, not counted (a search
 * is run on request, not with every Run).
 */
export function verdictText(results: readonly ScenarioResult[], inFile?: readonly ScenarioRef[], explored: readonly ExploreResult[] = [], exploreInFile: readonly ScenarioRef[] = []): { text: string; passed: boolean; tooltip: string } {
  const notRun = (inFile ?? []).filter((ref) => !resultFor(results, ref));
  const blocks = blockVerdicts(explored);
  const violations = blocks.filter((b) => b.verdict === 'violation');
  const failed = results.filter((r) => !r.passed && !r.cancelled);
  const cancelled = results.filter((r) => r.cancelled).length + blocks.filter((b) => b.verdict === 'cancelled').length;
  const passedCount = results.filter((r) => r.passed).length + blocks.filter((b) => b.verdict === 'clean').length;
  const total = results.length + notRun.length + blocks.length;
  const failedCount = failed.length + violations.length;
  const stale = results.reduce((n, r) => n + (r.metrics['stale'] ?? r.stale.length), 0);
  const passed = failedCount === 0;
  const complete = notRun.length === 0 && cancelled === 0;
  const extra = `${cancelled ? ` · ${cancelled} cancelled` : ''}${notRun.length ? ` · ${notRun.length} did not run` : ''}`;
  // A run stopped mid-way says where first: "cancelled at line N after M statements".
  const stopped = results.find((r) => r.cancelled && r.cancelledAt);
  const found = violations.length ? ` · ${violations.length} explore violation${violations.length > 1 ? 's' : ''}` : '';
  const text = stopped
    ? `$(circle-slash) MMU ${cancelledText(stopped.cancelledAt!)}${total > 1 ? ` · ${passedCount}/${total} passed` : ''}`
    : !passed
      ? `$(error) MMU ${failedCount}/${total} failed${stale ? ` · ${stale} stale` : ''}${found}${extra}`
      : `${complete ? '$(pass)' : '$(warning)'} MMU ${passedCount}/${total} passed${extra}`;
  const lines = results.map((r) => `${r.cancelled ? '■' : r.passed ? '✓' : '✗'} ${r.name}${r.cancelled ? ` (${r.notes.find((n) => n.startsWith('cancelled')) ?? 'cancelled'})` : ''}`);
  for (const n of notRun) lines.push(`– ${n.name} (line ${n.line + 1}): did not run`);
  for (const b of blocks) lines.push(`${b.verdict === 'violation' ? '✗' : b.verdict === 'clean' ? '✓' : '■'} explore ${b.name}: ${b.summary}`);
  for (const e of exploreInFile) if (!blocks.some((b) => b.name === e.name && b.line === e.line)) lines.push(`– explore ${e.name} (line ${e.line + 1}): not explored yet`);
  const tooltip = lines.join('\n') + '\nClick to show the state panel';
  return { text, passed, tooltip };
}
