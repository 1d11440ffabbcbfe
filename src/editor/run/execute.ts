// Runs a request against src/core: shared by the Node worker, the in-process fallback
// (web extension host) and the unit tests. No vscode import, no Node built-ins.
import { analyze, parseConfigOverrides, type CompiledScenario } from '../../core/lang/index';
import { compareScenario, runScenario } from '../../core/run/index';
import type { RunOptions, ScenarioResult } from '../../core/run/result';
import type { RunOutcome, RunRequest } from './protocol';

/** `mmu.defaultConfig` applies only to keys the scenario (or its file) does not set. */
function withDefaults(sc: CompiledScenario, defaults: Readonly<Record<string, string>>): CompiledScenario {
  const missing = Object.entries(defaults).filter(([k]) => !(k in sc.config));
  return missing.length === 0 ? sc : { ...sc, config: { ...Object.fromEntries(missing), ...sc.config } };
}

export function executeRequest(req: RunRequest, control: Pick<RunOptions, 'shouldCancel' | 'onProgress'> = {}): RunOutcome {
  const { compiled } = analyze(req.text);
  const { overrides: defaults, errors } = parseConfigOverrides(Object.entries(req.settings.defaultConfig).map(([k, v]) => `${k}=${v}`));
  const warnings = errors.map((e) => e.replace(/^--config/, 'mmu.defaultConfig'));
  const opts: RunOptions = {
    trace: req.settings.traceLimit > 0,
    traceLimit: req.settings.traceLimit,
    ghz: req.settings.ghz,
    ...control,
  };
  const wanted = req.scenarios ? new Set(req.scenarios) : undefined;
  const scenarios = compiled.scenarios.filter((s) => !wanted || wanted.has(s.name)).map((s) => withDefaults(s, defaults));
  if (req.kind === 'compare') {
    const sc = scenarios[0];
    if (!sc) throw new Error(`no runnable scenario named ${JSON.stringify(req.scenarios?.[0] ?? '')} (fix its errors first)`);
    return { kind: 'compare', result: compareScenario(sc, opts), warnings };
  }
  const results: ScenarioResult[] = [];
  for (const sc of scenarios) {
    if (control.shouldCancel?.()) break;
    results.push(runScenario(sc, opts));
  }
  return { kind: 'run', result: { file: req.fileName, scenarios: results }, warnings };
}
