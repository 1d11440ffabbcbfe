// What an exploration reports (plain data: it crosses worker boundaries and is the CLI's
// JSON). Lines are 0-based here; the CLI's JSON makes them 1-based.
import type { Failure, StaleUse } from '../run/result';

export interface StepStat {
  readonly line: number;
  readonly text: string;
  /** States in which the step was enabled, and moves taken with it (allocator branches count each). */
  readonly enabled: number;
  readonly taken: number;
  /** Added by the explorer (`rcu`, `zap_worker` not listed in `steps`). */
  readonly implicit: boolean;
}

export interface CounterexampleStep {
  readonly line: number;
  readonly text: string;
  /** Pages the step's allocations handed out (L1 addresses; null = a fresh page), allocator=any only. */
  readonly picks: readonly (number | null)[];
}

export interface Counterexample {
  readonly steps: readonly CounterexampleStep[];
  /** Encoded moves (moves.ts), for merging shard results in canonical order. */
  readonly moves: readonly number[];
  /** A runnable scenario that replays it (setup + steps, config, pins, `expect`). */
  readonly scenario: string;
  /** The invariant that failed, as written (or the default's part). */
  readonly violated: string;
  readonly stale: readonly StaleUse[];
  readonly failures: readonly Failure[];
  /** Setup statements kept (shrinking may drop some); all of them for BFS. */
  readonly setupKept: number;
}

export interface ExploreResult {
  readonly name: string;
  readonly line: number;
  readonly config: Record<string, string>;
  readonly strategy: 'bfs' | 'random';
  readonly verdict: 'violation' | 'clean' | 'cancelled';
  /** BFS: levels fully explored; random: the walk length. */
  readonly depth: number;
  readonly maxDepth: number;
  /** Moves executed (states reached, with repeats) and distinct states (fingerprints). */
  readonly states: number;
  readonly distinct: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly capped: boolean;
  readonly cap: number;
  readonly steps: readonly StepStat[];
  readonly counterexample: Counterexample | null;
  /** "no stale use within depth 8 (41,237 distinct states, 2 vCPUs, 8 steps)" or the violation. */
  readonly summary: string;
  readonly notes: readonly string[];
  /** Set on a shard's result (`--shard K/N`): merge results of all N with mergeShards. */
  readonly shard?: { readonly k: number; readonly n: number; readonly splitDepth: number };
}

export interface ExploreFileResult {
  readonly file: string;
  readonly explorations: readonly ExploreResult[];
}
