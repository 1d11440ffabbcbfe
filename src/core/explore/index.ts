// Public API of the explorer: explore one `explore` block (breadth-first or random walks),
// merge shard results. Drives the same Session as Run (run/session.ts), never a second
// interpreter. Core code: no Node built-ins; worker pools are passed in (ExplorePool).
import type { CompiledExploration, CompiledFile } from '../lang/ops';
import type { RunOptions } from '../run/result';
import { resolveConfig } from '../model/config';
import type { ExploreFileResult, ExploreResult, StepStat } from './result';
import { Expander } from './expand';
import { bfs, DEFAULT_STATE_CAP, leastViolation, type BfsProgress, type ExplorePool } from './bfs';
import { randomWalks } from './random';
import { shrink } from './shrink';
import { pagesOf, render } from './counterexample';
import { decodeMoves } from './moves';
import { sweepPoints } from '../run/index';

export * from './result';
export { DEFAULT_STATE_CAP, type ExplorePool, type BfsProgress } from './bfs';
export { Expander, type ChunkResult } from './expand';
export { walkBatch, type WalkBatch } from './random';
export { withConfigDefaults } from './defaults';
export { threadPool, type ThreadPool, type ThreadPort } from './threadPool';
export { threadServer, type ThreadInit } from './threadServer';
export { fingerprint } from './fingerprint';

export interface ExploreOptions extends RunOptions {
  /** Replaces the block's `depth`. */
  readonly depth?: number;
  readonly cap?: number;
  readonly shard?: { readonly k: number; readonly n: number };
  /** Expands chunks elsewhere (workers); default: this thread. Called once per exploration. */
  readonly pool?: (exp: CompiledExploration) => ExplorePool & { close?(): void };
  readonly onExploreProgress?: (p: BfsProgress & { readonly name: string; readonly seconds: number }) => void;
  /** Clock for `seconds` (default Date.now): timings are reported, never part of a verdict. */
  readonly now?: () => number;
}

/** 41,237 (by hand: the first toLocaleString of a process loads ICU data, ~0.3 s). */
function fmt(n: number): string { return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

function stepStats(exp: CompiledExploration, enabled: readonly number[], taken: readonly number[]): StepStat[] {
  return exp.steps.map((i, s) => {
    const op = exp.program.ops[i]!;
    return { line: op.range.start.line, text: op.text, enabled: enabled[s] ?? 0, taken: taken[s] ?? 0, implicit: s >= exp.steps.length - exp.implicitSteps };
  });
}

export async function runExploration(exp0: CompiledExploration, opts: ExploreOptions = {}): Promise<ExploreResult> {
  const exp: CompiledExploration = opts.depth ? { ...exp0, depth: opts.depth } : exp0;
  const now = opts.now ?? (() => Date.now());
  const t0 = now();
  const rc = resolveConfig(exp.program.config as Record<string, string>, opts.configOverrides);
  const cap = opts.cap ?? DEFAULT_STATE_CAP;
  const notes: string[] = [...rc.notes];
  const userSteps = exp.steps.length - exp.implicitSteps;
  const what = exp.invariants.length === 0 ? 'no stale use or failed check' : `${exp.invariants.map((i) => i.text).join(', ')} held`;
  const bounds = (distinct: number, depth: number): string => `${fmt(distinct)} distinct states, ${rc.model.vcpus} vCPU${rc.model.vcpus === 1 ? '' : 's'}, ${userSteps} steps, depth ${depth}`;
  const base = { name: exp.name, line: exp.range.start.line, config: rc.written, maxDepth: exp.depth, cap };
  if (exp.samples > 0) {
    if (opts.shard) notes.push('--shard applies to breadth-first search only: the random walks ran in full');
    const external = opts.pool?.(exp);
    let r;
    try {
      const walks = external?.walks?.bind(external);
      r = await randomWalks(exp, rc.model.seed, { ...opts, cap, pool: walks ? { size: external!.size, walks } : undefined });
    } finally {
      external?.close?.();
    }
    const seconds = (now() - t0) / 1000;
    let counterexample = null;
    if (r.walk && r.violated) {
      const sh = shrink(exp, { keep: exp.setup.map(() => true), moves: r.walk }, r.violated, opts, opts.shouldCancel);
      if (sh.exhausted) notes.push(`shrinking stopped after ${sh.replays} replays (budget): the counterexample may not be minimal`);
      counterexample = render(exp, sh.cand, sh.violated, { strategy: 'random', depth: exp.depth, distinct: r.distinct, shrunk: true }, [], opts);
    }
    if (r.capped) notes.push(`state cap reached: ${fmt(cap)} distinct states counted, the rest not deduplicated`);
    const verdict = r.verdict;
    const summary = verdict === 'violation'
      ? `violation of \`${counterexample?.violated}\` in random walk ${r.sample + 1}, shrunk to ${counterexample?.steps.length} steps`
      : verdict === 'cancelled' ? 'cancelled' : `${what} in ${fmt(exp.samples)} random walks of length ${exp.depth} (${bounds(r.distinct, exp.depth)}) — a sample, not a proof`;
    return {
      ...base, strategy: 'random', verdict, depth: exp.depth, states: r.states, distinct: r.distinct, seconds,
      statesPerSecond: seconds > 0 ? Math.round(r.distinct / seconds) : 0, capped: r.capped, steps: stepStats(exp, r.enabled, r.taken),
      counterexample, summary, notes,
    };
  }
  const ex = new Expander(exp, opts);
  const rootFp = ex.rootFingerprint();
  const external = opts.pool?.(exp);
  const pool: ExplorePool = external ?? { size: 1, expand: (paths) => Promise.resolve(ex.expandChunk(paths)) };
  let out;
  try {
    out = await bfs(exp, { fp: rootFp, setupViolation: ex.setupViolation }, pool, {
      cap, shard: opts.shard, shouldCancel: opts.shouldCancel,
      onProgress: (p) => opts.onExploreProgress?.({ ...p, name: exp.name, seconds: (now() - t0) / 1000 }),
    });
  } finally {
    external?.close?.();
  }
  const seconds = (now() - t0) / 1000;
  let counterexample = null;
  if (out.verdict === 'violation' && out.violation) {
    const moves = decodeMoves(out.violation);
    const cand = { keep: exp.setup.map(() => true), moves: pagesOf(exp, moves, opts) };
    counterexample = render(exp, cand, ex.setupViolation ?? violated(exp, cand, opts), { strategy: 'bfs', depth: out.depth, distinct: out.distinct, shrunk: false }, out.violation, opts);
  }
  if (out.capped) notes.push(`state cap reached: stopped at ${fmt(cap)} distinct states after depth ${out.depth} (raise it with --max-states)`);
  if (out.splitDepth >= 0) notes.push(`shard ${opts.shard!.k + 1}/${opts.shard!.n}: split at depth ${out.splitDepth}; counts are this shard's`);
  else if (opts.shard && opts.shard.n > 1) notes.push(`shard ${opts.shard.k + 1}/${opts.shard.n}: the space never had ${4 * opts.shard.n} states at one depth, so this shard explored all of it`);
  const summary = out.verdict === 'violation'
    ? `violation of \`${counterexample?.violated}\` after ${counterexample?.steps.length} steps (a shortest sequence; ${bounds(out.distinct, out.depth)})`
    : out.verdict === 'cancelled' ? `cancelled at depth ${out.depth} (${bounds(out.distinct, out.depth)})`
      : `${what} within depth ${out.depth}${out.capped ? ' (state cap reached)' : ''} (${bounds(out.distinct, out.depth)})`;
  return {
    ...base, strategy: 'bfs', verdict: out.verdict, depth: out.depth, states: out.states, distinct: out.distinct, seconds,
    statesPerSecond: seconds > 0 ? Math.round(out.distinct / seconds) : 0, capped: out.capped, steps: stepStats(exp, out.enabled, out.taken),
    counterexample, summary, notes,
    ...(opts.shard ? { shard: { k: opts.shard.k, n: opts.shard.n, splitDepth: out.splitDepth } } : {}),
  };
}

function violated(exp: CompiledExploration, cand: { keep: readonly boolean[]; moves: readonly { step: number; pages: readonly number[] }[] }, opts: RunOptions): string {
  // Recomputed by replay (the pool reports only that a move violated, not which invariant).
  return replayViolation(exp, cand, opts) ?? 'stale == 0';
}

import { replay } from './counterexample';
function replayViolation(exp: CompiledExploration, cand: Parameters<typeof replay>[1], opts: RunOptions): string | null { return replay(exp, cand, opts).violated; }

/** The configurations an exploration runs at: one per point of its own `sweep` lines (each
 *  explored separately), else just its configuration. Later layers win: the block, the point. */
export function explorePoints(exp: CompiledExploration, overrides: Readonly<Record<string, string>> = {}): Record<string, string>[] {
  const axes = exp.program.sweep;
  if (axes.length === 0) return [{ ...overrides }];
  const out: Record<string, string>[] = [];
  for (const p of sweepPoints(axes)) {
    if (out.length >= MAX_EXPLORE_POINTS) break; // each point is a whole search: a sweep of thousands is a mistake
    out.push({ ...overrides, ...p });
  }
  return out;
}

/** Sweep points explored at most per block (each is a whole search). */
export const MAX_EXPLORE_POINTS = 64;

export async function exploreFile(file: CompiledFile, fileName: string, opts: ExploreOptions & { readonly name?: string } = {}): Promise<ExploreFileResult> {
  const explorations: ExploreResult[] = [];
  for (const exp of file.explorations ?? []) {
    if (opts.name !== undefined && exp.name !== opts.name) continue;
    for (const point of explorePoints(exp, opts.configOverrides)) {
      if (opts.shouldCancel?.()) break;
      explorations.push(await runExploration(exp, { ...opts, configOverrides: point }));
    }
  }
  return { file: fileName, explorations };
}

/** Combines the results of shards 0..N-1 of one exploration into the unsharded verdict:
 *  a violation if any shard found one (the least in canonical order, i.e. the one the
 *  unsharded search reports), clean otherwise; counts are summed (shards overlap above the split). */
export function mergeShards(results: readonly ExploreResult[]): ExploreResult {
  const first = results[0]!;
  const viol = results.filter((r) => r.verdict === 'violation' && r.counterexample);
  const states = results.reduce((a, r) => a + r.states, 0);
  const distinct = results.reduce((a, r) => a + r.distinct, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  const steps = first.steps.map((s, i) => ({ ...s, enabled: results.reduce((a, r) => a + (r.steps[i]?.enabled ?? 0), 0), taken: results.reduce((a, r) => a + (r.steps[i]?.taken ?? 0), 0) }));
  const notes = [`merged ${results.length} shards: states and distinct states are sums over the shards`];
  const capped = results.some((r) => r.capped);
  if (results.some((r) => r.verdict === 'cancelled')) return { ...first, verdict: 'cancelled', states, distinct, seconds, steps, capped, notes, shard: undefined, summary: 'cancelled (a shard was cancelled)' };
  if (viol.length > 0) {
    const paths = viol.map((r) => r.counterexample!.moves);
    const best = viol[leastViolation(paths)]!;
    const shortest = Math.min(...viol.map((r) => r.depth));
    const pick = viol.filter((r) => r.depth === shortest);
    const chosen = pick[leastViolation(pick.map((r) => r.counterexample!.moves))] ?? best;
    return { ...chosen, states, distinct, seconds, steps, capped, notes, shard: undefined, statesPerSecond: seconds > 0 ? Math.round(distinct / seconds) : 0 };
  }
  const depth = Math.min(...results.map((r) => r.depth));
  const summary = first.summary.replace(/within depth \d+.*$/, `within depth ${depth}${capped ? ' (state cap reached)' : ''} (merged from ${results.length} shards)`);
  return { ...first, verdict: 'clean', depth, states, distinct, seconds, steps, capped, notes, shard: undefined, summary, counterexample: null, statesPerSecond: seconds > 0 ? Math.round(distinct / seconds) : 0 };
}
