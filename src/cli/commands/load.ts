// Shared by `run` and `compare`: read the file, apply `--config` (and `--seed`), analyze,
// refuse to run on errors (exit 2), pick the scenarios (`--scenario NAME`).
import { analyze, parseConfigOverrides } from '../../core/lang/index';
import type { CompiledScenario } from '../../core/lang/ops';
import type { ConfigMap } from '../../core/lang/schema';
import type { CliArgs } from '../args';
import { diagnosticToJson, formatDiagnostic, readSource, type CliIO } from '../io';

export type Loaded =
  | { readonly ok: true; readonly file: string; readonly text: string; readonly overrides: ConfigMap; readonly scenarios: readonly CompiledScenario[] }
  | { readonly ok: false };

export function loadScenarios(cmd: string, usage: string, args: CliArgs, io: CliIO): Loaded {
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) {
    io.err(`mmu-lab ${cmd}: expected one FILE, found ${file === undefined ? 'none' : args.positionals.length}\nusage: ${usage}\n`);
    return { ok: false };
  }
  const configArgs = [...args.config];
  const seed = args.flags.get('seed');
  if (typeof seed === 'string') configArgs.push(`seed=${seed}`);
  const parsed = parseConfigOverrides(configArgs);
  if (parsed.errors.length > 0) {
    io.err(parsed.errors.map((e) => `mmu-lab ${cmd}: ${e}\n`).join('') + `usage: ${usage}\n`);
    return { ok: false };
  }
  const src = readSource(io, file);
  if (!src.ok) { io.err(`${src.message}\n`); return { ok: false }; }
  const a = analyze(src.text, { overrides: parsed.overrides });
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    io.err(errors.map((d) => formatDiagnostic(file, src.text, d)).join('\n') + `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was run\n`);
    // A tool reading --json gets the errors in `check --json`'s shape rather than an empty stdout.
    if (args.json) io.out(`${JSON.stringify({ file, diagnostics: errors.map(diagnosticToJson) })}\n`);
    return { ok: false };
  }
  let scenarios = a.compiled.scenarios;
  if (args.scenario !== null) {
    scenarios = scenarios.filter((s) => s.name === args.scenario);
    if (scenarios.length === 0) {
      const names = a.compiled.scenarios.map((s) => `"${s.name}"`).join(', ') || 'none';
      io.err(`mmu-lab ${cmd}: no scenario named "${args.scenario}" in ${file} (scenarios: ${names})\n`);
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
