// Exploration results → a Test Explorer outcome (pure, no vscode import). Each `explore`
// block is one test: a violation fails it with the counterexample (the runnable scenario)
// as the message at the `explore` line, and the counterexample's blame chain as further
// messages at the lines of the file they come from (the Test Explorer's related locations);
// clean within the bounds passes, a cancelled search is skipped.
import type { CompiledExploration } from '../../core/lang/index';
import type { Counterexample, ExploreResult } from '../../core/explore/index';
import type { Range } from '../../core/lang/source';
import type { TestOutcome, TestMessageSpec } from '../results/testOutcome';

/** What the outcome needs of the block: its line and its setup statements with their lines. */
export interface ExploreSource {
  readonly name: string;
  /** 0-based line of `explore`. */
  readonly line: number;
  readonly setup: readonly { readonly text: string; readonly line: number }[];
}

export function exploreSource(exp: CompiledExploration): ExploreSource {
  return {
    name: exp.name,
    line: exp.range.start.line,
    setup: exp.setup.map((s) => ({ text: s.text, line: exp.program.ops[s.from]?.range.start.line ?? exp.range.start.line })),
  };
}

const hex = (n: number) => `0x${n.toString(16)}`;
const lineRange = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 0 } });

/**
 * For each line of the counterexample's scenario text, the line of the file it came from:
 * the setup statements kept (in order, a subsequence of the block's setup), then each step
 * (an `alloc next` pin belongs to the step after it); the rest (header, `expect`) is the
 * `explore` line. Follows the layout core/explore/counterexample.ts renders.
 */
export function counterexampleLineMap(cx: Counterexample, src: ExploreSource): number[] {
  const lines = cx.scenario.split('\n');
  const map = lines.map(() => src.line);
  let i = lines.findIndex((l) => l.startsWith('scenario "')) + 1;
  if (i <= 0) return map;
  let j = 0;
  for (let kept = cx.setupKept; kept > 0 && i < lines.length; kept--) {
    const first = (t: string) => t.split('\n')[0]!.trim();
    while (j < src.setup.length && first(src.setup[j]!.text) !== lines[i]!.trim()) j++;
    if (j >= src.setup.length) break;
    const n = src.setup[j]!.text.split('\n').length;
    for (let k = 0; k < n && i + k < lines.length; k++) map[i + k] = src.setup[j]!.line + k;
    i += n;
    j++;
  }
  for (const st of cx.steps) {
    if (i >= lines.length) break;
    if (lines[i]!.trim().startsWith('alloc next')) map[i++] = st.line;
    if (i < lines.length) map[i++] = st.line;
  }
  return map;
}

const ROLE = { fill: 'filled the stale entry', change: 'L1 changed the translation', recycle: 'recycled the root page' } as const;

/** The counterexample's story at the file's lines: the stale use (or failed check) and its blame chain. */
function related(cx: Counterexample, src: ExploreSource): TestMessageSpec[] {
  const map = counterexampleLineMap(cx, src);
  const at = (line: number) => lineRange(map[line] ?? src.line);
  const out: TestMessageSpec[] = [];
  const use = cx.stale[0];
  if (use) {
    const via = use.source === 'tlb' ? 'a stale hardware TLB entry' : 'a stale L0 shadow entry';
    const truth = use.truth === null ? 'L1\'s tables no longer map it' : `L1's tables map it to ${hex(use.truth)}`;
    out.push({ message: `counterexample: vCPU ${use.vcpu} used gfn ${hex(use.gfn)} through ${via} and reached host page ${hex(use.seen)}, but ${truth}`, range: at(use.line) });
    for (const b of use.blame) out.push({ message: `counterexample, ${b.role}: \`${b.text}\` ${ROLE[b.role]}${b.detail ? ` — ${b.detail}` : ''}`, range: at(b.line) });
  } else {
    for (const f of cx.failures.slice(0, 5)) out.push({ message: `counterexample: ${f.message}`, range: at(f.line) });
  }
  return out;
}

function pointText(r: ExploreResult, base: Readonly<Record<string, string>> | undefined): string {
  if (!base) return '';
  const diff = Object.entries(r.config).filter(([k, v]) => base[k] !== v).map(([k, v]) => `${k}=${v}`);
  return diff.length ? ` [${diff.join(' ')}]` : '';
}

/** One block's results (one per sweep point) as a test outcome. */
export function exploreOutcome(results: readonly ExploreResult[], src: ExploreSource): TestOutcome {
  const summary = results.length === 0
    ? `${src.name}: did not run`
    : results.map((r) => `${src.name}: ${r.verdict === 'violation' ? 'VIOLATION' : r.verdict} · ${r.summary}`).join('\n');
  if (results.length === 0) return { state: 'skipped', messages: [], summary };
  const base = results.length > 1 ? results[0]!.config : undefined;
  const bad = results.filter((r) => r.verdict === 'violation' && r.counterexample);
  if (bad.length > 0) {
    const messages: TestMessageSpec[] = [];
    for (const r of bad) {
      const cx = r.counterexample!;
      messages.push({ message: `${r.summary}${pointText(r, base)}\n\nCounterexample (a runnable scenario; "Open counterexample" from the Explore CodeLens opens it):\n\n${cx.scenario}`, range: lineRange(src.line) });
      messages.push(...related(cx, src));
    }
    return { state: 'failed', messages, summary };
  }
  if (results.some((r) => r.verdict === 'cancelled')) return { state: 'skipped', messages: [], summary };
  return { state: 'passed', messages: [], summary };
}
