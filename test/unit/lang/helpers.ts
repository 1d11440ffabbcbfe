// Shared helpers for the language tests: diagnostics as (code, 1-based line) pairs,
// and a valid scenario to embed statements in.
import { analyze, type Analysis, type CompiledScenario, type Op } from '../../../src/core/lang/index';

export interface CodeLine {
  readonly code: string;
  readonly line: number;
}

/** Diagnostics of `text` as `{ code, line }` with 1-based lines, in source order. */
export function codes(text: string): CodeLine[] {
  return analyze(text).diagnostics.map((d) => ({ code: d.code, line: d.range.start.line + 1 }));
}

/** Wraps statement lines in `scenario "s" { ... }` (the statements start on line 2). */
export function inScenario(...lines: string[]): string {
  return `scenario "s" {\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`;
}

/** The single compiled scenario of an error-free text (fails the test otherwise). */
export function compileOne(text: string): CompiledScenario {
  const a: Analysis = analyze(text);
  if (a.diagnostics.length) throw new Error(`unexpected diagnostics: ${a.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
  if (a.compiled.scenarios.length !== 1) throw new Error(`expected 1 scenario, got ${a.compiled.scenarios.length}`);
  return a.compiled.scenarios[0]!;
}

/** The ops of a one-statement scenario, without range and text (for deep-equal checks). */
export function opsOf(...lines: string[]): Record<string, unknown>[] {
  return compileOne(inScenario(...lines)).ops.map((o: Op) => {
    const { range: _r, text: _t, ...rest } = o;
    return rest;
  });
}
