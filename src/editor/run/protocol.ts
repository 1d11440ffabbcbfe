// Messages between the extension host and the simulation worker. Every request carries
// the document version it was computed from, so the host can drop stale results.
import type { CompareResult, FileRunResult } from '../../core/run/result';
import type { IndexedScenario } from '../scenarioIndex';
import type { ExploreResult } from '../../core/explore/result';

export interface RunSettings {
  /** `mmu.defaultConfig`: used for keys a scenario does not set. */
  readonly defaultConfig: Readonly<Record<string, string>>;
  /** `mmu.trace.limit`; 0 records no trace. */
  readonly traceLimit: number;
  /** `mmu.costModel.ghz`. */
  readonly ghz: number;
  /** `mmu.model.memoryBudgetMB` (default 2048). */
  readonly memoryBudgetMB?: number;
  /** `mmu.compare.maxPoints` (default 1000). */
  readonly compareMaxPoints?: number;
  /** `mmu.explore.workers` (0 = all cores but one; where the worker can start threads). */
  readonly exploreWorkers?: number;
}

export interface RunRequest {
  readonly id: number;
  /** `explore`: search the file's `explore` blocks (core/explore) in the worker, as Run runs scenarios.
   *  `index`: only the named scenarios and explore blocks with their ranges (Test Explorer discovery of a file that is not open). */
  readonly kind: 'run' | 'compare' | 'explore' | 'index';
  /** The document's text: the worker analyzes it itself (nothing but plain data crosses). */
  readonly text: string;
  readonly fileName: string;
  readonly version: number;
  /** Scenario names to run (`run`: undefined = all; `compare`: exactly one). */
  readonly scenarios?: readonly string[];
  /** `explore`: the blocks to search, by name (undefined = all). */
  readonly explorations?: readonly string[];
  readonly settings: RunSettings;
  /** `run` of one Compare point: the point's configuration, applied over the scenario's (RunOptions.configOverrides). */
  readonly configOverrides?: Readonly<Record<string, string>>;
}

export type RunOutcome =
  | { readonly kind: 'run'; readonly result: FileRunResult; readonly warnings: readonly string[] }
  | { readonly kind: 'compare'; readonly result: CompareResult; readonly warnings: readonly string[] }
  | { readonly kind: 'index'; readonly scenarios: readonly IndexedScenario[]; readonly warnings: readonly string[] }
  /** One result per block and sweep point, in source order; `missing`: asked-for blocks that have errors (or do not exist). */
  | { readonly kind: 'explore'; readonly results: readonly ExploreResult[]; readonly missing: readonly string[]; readonly warnings: readonly string[] };

/** Where a search is (an `explore` request's progress): what the notification shows. */
export interface ExploreProgress {
  readonly name: string;
  readonly states: number;
  readonly distinct: number;
  /** The depth being expanded (0-based: the first level of steps is 0). */
  readonly depth: number;
  readonly seconds: number;
  /** Worker threads the search runs on (mmu.explore.workers), when more than one. */
  readonly threads?: number;
}

/** Where a run is: enough for a percentage, an ETA and "cancelled at line N after M statements". */
export interface ProgressDetail {
  /** Statements executed by the whole request so far. */
  readonly done: number;
  /** Statements the whole request executes (known from the loop counts before it runs). */
  readonly total: number;
  /** Set when `total` is only a lower bound (a loop count over a loop variable too costly to
   *  evaluate ahead, core/run/statementCount.ts): progress then says "at least", no percentage. */
  readonly totalAtLeast?: boolean;
  /** The scenario running, by name and 0-based line of `scenario`. */
  readonly scenario: string;
  readonly scenarioLine: number;
  /** Statements of that scenario executed so far, and the 0-based line running. */
  readonly scenarioDone: number;
  readonly line: number;
  /** Set on an `explore` request's progress (then `done` counts states). */
  readonly explore?: ExploreProgress;
}

export type WorkerReply =
  | { readonly id: number; readonly type: 'progress'; readonly done: number; readonly detail?: ProgressDetail }
  | { readonly id: number; readonly type: 'done'; readonly outcome: RunOutcome }
  | { readonly id: number; readonly type: 'error'; readonly message: string };
