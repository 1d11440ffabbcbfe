// Results → the pass/fail marks shown after each `expect`, `read ==` and `verify` line
// (pure, no vscode import). A check inside `repeat` runs many times: one mark per line,
// failed if any run failed, with the first failure's message (the seen value).
import { cancelledText } from '../../core/run/index';
import type { CheckResult, FileRunResult } from '../../core/run/result';

export interface InlineMark {
  readonly line: number;
  readonly passed: boolean;
  /** Short text after the line, e.g. "✓ stale = 5" / "✗ expected 0x0, seen 0x1111". */
  readonly text: string;
  /** Longer text for the hover on the mark. */
  readonly hover: string;
}

const MAX_TEXT = 120;

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}

/** @param lineText the statement's source at a line, for the hover ("the check and the value"). */
export function inlineMarks(result: FileRunResult, lineText?: (line: number) => string | undefined): InlineMark[] {
  const byLine = new Map<number, { scenario: string; checks: CheckResult[] }[]>();
  for (const sc of result.scenarios) {
    for (const c of sc.checks) {
      const list = byLine.get(c.line) ?? [];
      let group = list.find((g) => g.scenario === sc.name);
      if (!group) list.push(group = { scenario: sc.name, checks: [] });
      group.checks.push(c);
      byLine.set(c.line, list);
    }
  }
  const marks: InlineMark[] = [];
  for (const [line, groups] of [...byLine].sort((a, b) => a[0] - b[0])) {
    const checks = groups.flatMap((g) => g.checks);
    const failed = checks.filter((c) => !c.passed);
    const times = checks.length > 1 ? ` ×${checks.length}` : '';
    const source = lineText?.(line)?.replace(/#.*$/, '').trim();
    const what = source ? `\`${source}\`` : 'check';
    if (failed.length === 0) {
      // The value, as the CLI prints it (`✓ stale = 5`, `✓ read 0x1000 == 42`): the latest run's.
      const latest = checks[checks.length - 1]!;
      marks.push({ line, passed: true, text: clip(`✓ ${latest.message}${times}`), hover: `Passed${times ? ` all ${checks.length} times` : ''}: ${what} — ${latest.message}` });
    } else {
      const first = failed[0]!;
      const count = checks.length > 1 ? ` (${failed.length} of ${checks.length} failed)` : '';
      const seen = first.seen !== undefined && !first.message.includes('seen') ? ` — seen ${formatSeen(first.seen)}` : '';
      marks.push({ line, passed: false, text: clip(`✗ ${first.message}${seen}${count}`), hover: `Failed${count}: ${what} — ${first.message}${seen}` });
    }
  }
  return marks;
}

function formatSeen(n: number): string {
  return Number.isInteger(n) && n >= 4096 ? `0x${n.toString(16)}` : String(n);
}

/** A mark at the line where a cancelled run stopped ("■ cancelled at line N after M statements"). */
export interface CancelMark {
  readonly line: number;
  readonly text: string;
  readonly hover: string;
}

export function cancelMarks(result: FileRunResult): CancelMark[] {
  return result.scenarios.flatMap((sc) => {
    if (!sc.cancelledAt) return [];
    const note = sc.notes.find((n) => n.startsWith('cancelled')) ?? cancelledText(sc.cancelledAt);
    return [{ line: sc.cancelledAt.line, text: `■ ${note}`, hover: `Scenario "${sc.name}" ${note}. Its results up to there are not kept: run it again.` }];
  });
}

/** Said by the marks and diagnostics of a run restored after a window reload (runCache.ts). */
export const PREVIOUS_RUN = '(from the previous run)';

/** A mark of a restored run: the same verdict, labelled as the previous window's until the text changes or a new run. */
export function restoredMark(m: InlineMark): InlineMark {
  return { ...m, text: `${m.text} ${PREVIOUS_RUN}`, hover: `From the previous run (before the window reloaded; the text is unchanged). ${m.hover}` };
}
