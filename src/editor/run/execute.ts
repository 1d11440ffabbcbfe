// Runs a request against src/core: shared by the Node worker, the in-process fallback
// (web extension host) and the unit tests. No vscode import, no Node built-ins.
import { analyze, parseConfigOverrides, plainRange, type CompiledScenario } from '../../core/lang/index';
import { compareScenario, runScenario, statementTotal } from '../../core/run/index';
import type { RunOptions, ScenarioResult } from '../../core/run/result';
import type { ProgressDetail, RunOutcome, RunRequest } from './protocol';
import type { IndexedScenario } from '../scenarioIndex';

/** Like RunOptions.onProgress, with where the whole request is (for percentage, ETA, cancel text). */
export type RequestProgress = (done: number, detail?: ProgressDetail) => void;

/** What an open document's Test Explorer items come from (the AST's named scenarios and explore blocks, in source order), for a file that is not open. */
export function namedScenarios(text: string): IndexedScenario[] {
  const { file } = analyze(text);
  const out: IndexedScenario[] = [];
  // Plain ranges: the reply is a structured clone (the AST's ranges have getters, source.ts).
  for (const s of file.scenarios) if (s.name !== null) out.push({ name: s.name.value, range: plainRange(s.range) });
  for (const e of file.explorations) if (e.name !== null) out.push({ name: e.name.value, range: plainRange(e.range), kind: 'explore' });
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** `mmu.defaultConfig` applies only to keys the scenario (or its file) does not set. */
function withDefaults(sc: CompiledScenario, defaults: Readonly<Record<string, string>>): CompiledScenario {
  const missing = Object.entries(defaults).filter(([k]) => !(k in sc.config));
  return missing.length === 0 ? sc : { ...sc, config: { ...Object.fromEntries(missing), ...sc.config } };
}

export function executeRequest(req: RunRequest, control: Pick<RunOptions, 'shouldCancel'> & { readonly onProgress?: RequestProgress } = {}): RunOutcome {
  if (req.kind === 'index') return { kind: 'index', scenarios: namedScenarios(req.text), warnings: [] };
  const { overrides: defaults, errors } = parseConfigOverrides(Object.entries(req.settings.defaultConfig).map(([k, v]) => `${k}=${v}`));
  const warnings = errors.map((e) => e.replace(/^--config/, 'mmu.defaultConfig'));
  // Defaults are part of the check (E203 against the file's values), as the editor's diagnostics show it.
  const { compiled, diagnostics } = analyze(req.text, { defaults });
  for (const d of diagnostics) if (d.code === 'E203' && d.message.includes('mmu.defaultConfig')) warnings.push(`line ${d.range.start.line + 1}: ${d.message}; that scenario does not run`);
  const opts: RunOptions = {
    trace: req.settings.traceLimit > 0,
    traceLimit: req.settings.traceLimit,
    ghz: req.settings.ghz,
    shouldCancel: control.shouldCancel,
    ...(req.configOverrides ? { configOverrides: req.configOverrides } : {}),
    ...(req.settings.memoryBudgetMB !== undefined ? { memoryBudget: req.settings.memoryBudgetMB * 1024 * 1024 } : {}),
    ...(req.settings.compareMaxPoints !== undefined ? { maxSweepPoints: req.settings.compareMaxPoints } : {}),
  };
  const wanted = req.scenarios ? new Set(req.scenarios) : undefined;
  const scenarios = compiled.scenarios.filter((s) => !wanted || wanted.has(s.name)).map((s) => withDefaults(s, defaults));
  if (req.kind === 'explore') throw new Error('an explore request runs through executeExplore (it is asynchronous)');
  if (req.kind === 'compare') {
    const sc = scenarios[0];
    if (!sc) throw new Error(`no runnable scenario named ${JSON.stringify(req.scenarios?.[0] ?? '')} (fix its errors first)`);
    return { kind: 'compare', result: compareScenario(sc, opts), warnings };
  }
  const results: ScenarioResult[] = [];
  // The total is known before anything runs: each scenario's statements from its loop counts.
  const totals = scenarios.map((sc) => statementTotal(sc.ops));
  const counts = totals.map((t) => t.total);
  const total = counts.reduce((a, b) => a + b, 0);
  // A count over a loop variable too costly to evaluate ahead makes the total a lower bound.
  const atLeast = totals.some((t) => !t.exact) ? { totalAtLeast: true } : {};
  let base = 0;
  scenarios.forEach((sc, i) => {
    if (control.shouldCancel?.()) return;
    const onProgress = control.onProgress;
    const at = (n: number, line: number): ProgressDetail => ({ done: base + n, total, ...atLeast, scenario: sc.name, scenarioLine: sc.range.start.line, scenarioDone: n, line });
    if (onProgress) onProgress(base, at(0, sc.range.start.line));
    results.push(runScenario(sc, { ...opts, onProgress: onProgress && ((n, line) => onProgress(base + n, at(n, line ?? sc.range.start.line))) }));
    base += counts[i]!;
  });
  return { kind: 'run', result: { file: req.fileName, scenarios: results }, warnings };
}
