// A violation handed back as a runnable scenario (docs/explore.md): the full configuration
// (with schedule=explicit, and allocator=any's picks pinned by `alloc next` lines before the
// step that allocates), the setup statements kept, the steps as ordinary statements, the
// expectation that reproduces the violation, and a comment naming the exploration and its
// bounds. Replaying it through Run gives the blame chain, the lifecycle chart and the timeline.
import type { CompiledExploration, Invariant } from '../lang/ops';
import type { CompareOp } from '../lang/schema';
import { analyze } from '../lang/index';
import { runScenario, Session } from '../run/index';
import type { RunOptions } from '../run/result';
import { resolveConfig } from '../model/config';
import { PinnedChooser } from '../model/allocChoice';
import type { Counterexample } from './result';
import { enabled, runStep, type Move } from './moves';
import { violation } from './expand';

/** A candidate sequence with its allocator picks as pages (L1 pfn, -1 = fresh): what a scenario pins. */
export interface PageMove { readonly step: number; readonly pages: readonly number[] }
export interface Candidate { readonly keep: readonly boolean[]; readonly moves: readonly PageMove[] }

/** The pages a sequence of moves (option indices) handed out, by replaying it. */
export function pagesOf(exp: CompiledExploration, moves: readonly Move[], opts: RunOptions = {}): PageMove[] {
  const s = setupSession(exp, exp.setup.map(() => true), opts);
  return moves.map((mv) => ({ step: mv.step, pages: runStep(s, exp.steps[mv.step]!, mv.picks).pages }));
}

export function setupSession(exp: CompiledExploration, keep: readonly boolean[], opts: RunOptions = {}): Session {
  const s = new Session(exp.program, { ...opts, trace: false, snapshotLimit: 0, records: false, shouldCancel: undefined, onProgress: undefined });
  const it = s.it;
  exp.setup.forEach((st, j) => {
    if (!keep[j]) return;
    it.pc = st.from;
    while (it.pc < st.to && !it.st.cancelled) it.stepOnce();
  });
  it.pc = exp.setupEnd;
  return s;
}

/** Replays a candidate: disabled steps are skipped, a pinned page that is not free becomes a
 *  fresh one; stops at the first violation. Returns the violated invariant and the moves run. */
export function replay(exp: CompiledExploration, cand: Candidate, opts: RunOptions = {}): { violated: string | null; moves: PageMove[] } {
  try {
    const s = setupSession(exp, cand.keep, opts);
    const setupViol = violation(s.m, exp.invariants);
    if (setupViol) return { violated: setupViol, moves: [] };
    const ran: PageMove[] = [];
    for (const mv of cand.moves) {
      const op = exp.program.ops[exp.steps[mv.step]!]!;
      if (!enabled(s.m, op)) continue;
      const ch = new PinnedChooser();
      ch.add(mv.pages);
      const rec: number[] = [];
      // Record the pages actually handed out (a miss falls back to a fresh page).
      s.m.mem.chooser = { choose: (free) => { const i = ch.choose(free); rec.push(i === 0 ? -1 : free[i - 1]!); return i; } };
      s.execute(exp.steps[mv.step]!);
      ran.push({ step: mv.step, pages: rec });
      const v = violation(s.m, exp.invariants);
      if (v) return { violated: v, moves: ran };
    }
    return { violated: null, moves: ran };
  } catch {
    return { violated: null, moves: [] };
  }
}

const NEGATE: Readonly<Record<CompareOp, CompareOp>> = { '==': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function expectation(violated: string, invariants: readonly Invariant[]): string {
  if (violated === 'stale == 0') return 'expect stale > 0';
  if (violated === 'failures == 0') return 'expect failures > 0';
  const inv = invariants.find((i) => i.text === violated);
  return inv ? `expect ${inv.metric} ${NEGATE[inv.op]} ${inv.value}` : `# violated: ${violated}`;
}

function hex(n: number): string { return '0x' + n.toString(16); }

export interface Bounds { readonly strategy: string; readonly depth: number; readonly distinct: number; readonly shrunk: boolean }

/** The runnable scenario for a candidate that violates, and what running it reports. */
export function render(exp: CompiledExploration, cand: Candidate, violated: string, bounds: Bounds, encoded: readonly number[], opts: RunOptions = {}): Counterexample {
  const rc = resolveConfig(exp.program.config as Record<string, string>, opts.configOverrides);
  const anyAlloc = rc.model.anyAlloc;
  const cfg = Object.entries(rc.written).map(([k, v]) => `${k}=${v}`).join(' ');
  const lines: string[] = [];
  const userSteps = exp.steps.length - exp.implicitSteps;
  const within = `${rc.model.vcpus} vCPU${rc.model.vcpus === 1 ? '' : 's'}, ${userSteps} steps`;
  const how = bounds.strategy === 'bfs' ? `breadth-first, a shortest sequence (bounds: depth ${bounds.depth}, ${within})` : `random walks of length ${bounds.depth} (${within}), shrunk to a local minimum`;
  lines.push(`# Counterexample from explore "${exp.name}" (line ${exp.range.start.line + 1}): ${how}.`);
  lines.push(`# It violates \`${violated}\`; run it for the blame chain and the timeline.`);
  lines.push(`config ${cfg}`);
  lines.push('');
  lines.push(`scenario "counterexample: ${exp.name.replace(/["\\]/g, '')}" {`);
  exp.setup.forEach((st, j) => { if (cand.keep[j]) lines.push(`  ${st.text}`); });
  const steps = cand.moves.map((mv) => {
    const op = exp.program.ops[exp.steps[mv.step]!]!;
    let last = -1;
    mv.pages.forEach((p, i) => { if (p >= 0) last = i; });
    if (anyAlloc && last >= 0) lines.push(`  alloc next ${mv.pages.slice(0, last + 1).map((p) => (p < 0 ? 'fresh' : hex(p * 4096))).join(' ')}`);
    lines.push(`  ${op.text}`);
    return { line: op.range.start.line, text: op.text, picks: mv.pages.map((p) => (p < 0 ? null : p * 4096)) };
  });
  lines.push(`  ${expectation(violated, exp.invariants)}`);
  lines.push('}');
  const scenario = lines.join('\n') + '\n';
  const a = analyze(scenario);
  const sc = a.compiled.scenarios[0];
  const r = sc ? runScenario(sc, { ghz: opts.ghz }) : null;
  return {
    steps, moves: [...encoded], scenario, violated, stale: r ? r.stale : [], failures: r ? r.failures : [],
    setupKept: cand.keep.filter(Boolean).length,
  };
}
