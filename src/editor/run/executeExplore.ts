// Runs an `explore` request against src/core: the file's explore blocks (each sweep point a
// search of its own), through the explorer's public API (core/explore). Shared by the
// simulation workers (Node worker thread, Web Worker) and the in-process fallback, like
// execute.ts for runs; the search never runs on the extension host's thread when a worker
// exists. No vscode import, no Node built-ins.
import { analyze, parseConfigOverrides, type CompiledExploration } from '../../core/lang/index';
import { Expander, explorePoints, runExploration, withConfigDefaults, type ExploreOptions, type ExplorePool, type ExploreResult, type ThreadInit } from '../../core/explore/index';
import type { ExploreProgress, RunOutcome, RunRequest } from './protocol';

export interface ExploreControl {
  readonly shouldCancel?: () => boolean;
  readonly onProgress?: (p: ExploreProgress) => void;
  /** Awaited before each chunk of the search (the in-process fallback yields to the event
   *  loop there, so the host stays responsive and sees a cancel); none in a worker. */
  readonly yieldEvery?: () => Promise<void>;
  /** Clock for the reported seconds (tests); default Date.now. */
  readonly now?: () => number;
  /** Worker threads for a search, where this thread can start them (the Node simulation worker):
   *  how many `mmu.explore.workers` asks for here (0 = all cores but one), and the pool. */
  readonly threads?: { readonly count: (setting: number) => number; readonly start: (init: ExplorePoolInit) => ExplorePool & { close(): void } };
}

/** What the threads need to rebuild the same search (the text, the block, the point), and how many. */
export type ExplorePoolInit = ThreadInit & { readonly workers: number };

export async function executeExplore(req: RunRequest, control: ExploreControl = {}): Promise<RunOutcome> {
  const { overrides: defaults, errors } = parseConfigOverrides(Object.entries(req.settings.defaultConfig).map(([k, v]) => `${k}=${v}`));
  const warnings = errors.map((e) => e.replace(/^--config/, 'mmu.defaultConfig'));
  const { compiled } = analyze(req.text, { defaults });
  const all = (compiled.explorations ?? []).map((e) => withConfigDefaults(e, defaults));
  const wanted = req.explorations;
  const chosen = wanted ? all.filter((e) => wanted.includes(e.name)) : all;
  const missing = wanted ? wanted.filter((n) => !all.some((e) => e.name === n)) : [];
  const results: ExploreResult[] = [];
  for (const exp of chosen) {
    for (const point of explorePoints(exp)) {
      if (control.shouldCancel?.()) break;
      const model = {
        configOverrides: point,
        ghz: req.settings.ghz,
        ...(req.settings.memoryBudgetMB !== undefined ? { memoryBudget: req.settings.memoryBudgetMB * 1024 * 1024 } : {}),
      };
      const pause = control.yieldEvery;
      const workers = control.threads?.count(req.settings.exploreWorkers ?? 0) ?? 1;
      const start = workers > 1 ? control.threads?.start : undefined;
      const opts: ExploreOptions = {
        ...model,
        shouldCancel: control.shouldCancel,
        ...(control.now ? { now: control.now } : {}),
        ...(pause ? { pool: (e: CompiledExploration) => { const ex = new Expander(e, model); return { size: 1, expand: (paths: Parameters<Expander['expandChunk']>[0]) => pause().then(() => ex.expandChunk(paths)) }; } }
          : start ? { pool: () => start({ text: req.text, name: exp.name, overrides: point, defaults, ...(model.memoryBudget !== undefined ? { memoryBudget: model.memoryBudget } : {}), workers }) } : {}),
        onExploreProgress: (p) => control.onProgress?.({ name: p.name, states: p.states, distinct: p.distinct, depth: p.depth, seconds: p.seconds, ...(start ? { threads: workers } : {}) }),
      };
      results.push(await runExploration(exp, opts));
    }
  }
  return { kind: 'explore', results, missing, warnings };
}
