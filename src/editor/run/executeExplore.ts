// Runs an `explore` request against src/core: the file's explore blocks (each sweep point a
// search of its own), through the explorer's public API (core/explore). Shared by the
// simulation workers (Node worker thread, Web Worker) and the in-process fallback, like
// execute.ts for runs; the search never runs on the extension host's thread when a worker
// exists. No vscode import, no Node built-ins.
import { analyze, parseConfigOverrides, type CompiledExploration } from '../../core/lang/index';
import { Expander, explorePoints, runExploration, type ExploreOptions, type ExploreResult } from '../../core/explore/index';
import type { ExploreProgress, RunOutcome, RunRequest } from './protocol';

export interface ExploreControl {
  readonly shouldCancel?: () => boolean;
  readonly onProgress?: (p: ExploreProgress) => void;
  /** Awaited before each chunk of the search (the in-process fallback yields to the event
   *  loop there, so the host stays responsive and sees a cancel); none in a worker. */
  readonly yieldEvery?: () => Promise<void>;
  /** Clock for the reported seconds (tests); default Date.now. */
  readonly now?: () => number;
}

/** `mmu.defaultConfig` fills the keys the block (or its file) does not set, as for scenarios. */
function withDefaults(exp: CompiledExploration, defaults: Readonly<Record<string, string>>): CompiledExploration {
  const cfg = exp.program.config as Record<string, string>;
  const missing = Object.entries(defaults).filter(([k]) => !(k in cfg));
  return missing.length === 0 ? exp : { ...exp, program: { ...exp.program, config: { ...Object.fromEntries(missing), ...cfg } } };
}

export async function executeExplore(req: RunRequest, control: ExploreControl = {}): Promise<RunOutcome> {
  const { overrides: defaults, errors } = parseConfigOverrides(Object.entries(req.settings.defaultConfig).map(([k, v]) => `${k}=${v}`));
  const warnings = errors.map((e) => e.replace(/^--config/, 'mmu.defaultConfig'));
  const { compiled } = analyze(req.text, { defaults });
  const all = (compiled.explorations ?? []).map((e) => withDefaults(e, defaults));
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
      const opts: ExploreOptions = {
        ...model,
        shouldCancel: control.shouldCancel,
        ...(control.now ? { now: control.now } : {}),
        ...(pause ? { pool: (e: CompiledExploration) => { const ex = new Expander(e, model); return { size: 1, expand: (paths: Parameters<Expander['expandChunk']>[0]) => pause().then(() => ex.expandChunk(paths)) }; } } : {}),
        onExploreProgress: (p) => control.onProgress?.({ name: p.name, states: p.states, distinct: p.distinct, depth: p.depth, seconds: p.seconds }),
      };
      results.push(await runExploration(exp, opts));
    }
  }
  return { kind: 'explore', results, missing, warnings };
}
