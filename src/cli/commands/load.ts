// Shared by `run` and `compare`: read the file, apply `--config` (and `--seed`), analyze,
// refuse to run on errors (exit 2), pick the scenarios (`--scenario NAME`). Every refusal
// goes through reportError: text on stderr, and one `{"error": ...}` object under --json.
import { analyze, parseConfigOverrides, type Analysis } from '../../core/lang/index';
import type { CompiledScenario } from '../../core/lang/ops';
import type { ConfigMap } from '../../core/lang/schema';
import type { CliArgs } from '../args';
import { diagnosticToJson, formatDiagnostic, readSource, reportError, type CliIO } from '../io';

export type Loaded =
  | { readonly ok: true; readonly file: string; readonly text: string; readonly overrides: ConfigMap; readonly scenarios: readonly CompiledScenario[] }
  | { readonly ok: false };

/** Which scenario a command runs when no `--scenario` is given (compare: one; run: all = undefined). */
export type DefaultPick = (scenarios: readonly CompiledScenario[]) => CompiledScenario | undefined;

export function loadScenarios(cmd: string, usage: string, args: CliArgs, io: CliIO, pick?: DefaultPick): Loaded {
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) {
    reportError(io, args.json, 'usage', `mmu-lab ${cmd}: expected one FILE, found ${file === undefined ? 'none' : args.positionals.length}`, `usage: ${usage}\n`);
    return { ok: false };
  }
  const configArgs = [...args.config];
  const seed = args.flags.get('seed');
  if (typeof seed === 'string') configArgs.push(`seed=${seed}`);
  const parsed = parseConfigOverrides(configArgs);
  if (parsed.errors.length > 0) {
    reportError(io, args.json, 'usage', parsed.errors.map((e) => `mmu-lab ${cmd}: ${e}`).join('\n'), `usage: ${usage}\n`);
    return { ok: false };
  }
  const src = readSource(io, file);
  if (!src.ok) { reportError(io, args.json, 'input', src.message); return { ok: false }; }
  // `--config` is checked against the scenario that will run: the named one, or the one the
  // command picks; only `run` without --scenario runs (and checks) them all.
  const hasOverrides = Object.keys(parsed.overrides).length > 0;
  let target: string | undefined = args.scenario ?? undefined;
  let a: Analysis = analyze(src.text, hasOverrides && target !== undefined ? { overrides: parsed.overrides, overridesFor: target } : {});
  if (hasOverrides && target === undefined) {
    target = pick?.(a.compiled.scenarios)?.name;
    a = analyze(src.text, target !== undefined ? { overrides: parsed.overrides, overridesFor: target } : { overrides: parsed.overrides });
  }
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const summary = `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was run`;
    io.err(errors.map((d) => formatDiagnostic(file, src.text, d)).join('\n'));
    // A tool reading --json gets the errors in `check --json`'s shape, with the error object.
    reportError(io, args.json, 'parse', summary, '', { file, diagnostics: errors.map(diagnosticToJson) });
    return { ok: false };
  }
  let scenarios = a.compiled.scenarios;
  if (args.scenario !== null) {
    scenarios = scenarios.filter((s) => s.name === args.scenario);
    if (scenarios.length === 0) {
      const names = a.compiled.scenarios.slice(0, 20).map((s) => `"${s.name.slice(0, 80)}"`).join(', ') || 'none';
      reportError(io, args.json, 'usage', `mmu-lab ${cmd}: no scenario named "${args.scenario.slice(0, 80)}" in ${file} (scenarios: ${names}${a.compiled.scenarios.length > 20 ? ', …' : ''})`);
      return { ok: false };
    }
  }
  return { ok: true, file, text: src.text, overrides: parsed.overrides, scenarios };
}

/** Left-aligned columns (numbers right-aligned), two spaces apart. */
export function table(rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

export function hex(n: number): string { return '0x' + n.toString(16); }
