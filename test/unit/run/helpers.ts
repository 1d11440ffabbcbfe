// Helpers for model and runner tests: run `.mmu` text through the real front end.
import { analyze } from '../../../src/core/lang/index';
import { runScenario, compareScenario } from '../../../src/core/run/index';
import type { CompareResult, RunOptions, ScenarioResult } from '../../../src/core/run/result';
import type { CompiledScenario } from '../../../src/core/lang/ops';

export function compileAll(text: string): CompiledScenario[] {
  const a = analyze(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`diagnostics: ${errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
  return [...a.compiled.scenarios];
}

/** Runs the statements (one per line) under `config` and returns the result. */
export function run(config: string, body: string[], opts: RunOptions = {}): ScenarioResult {
  const kv = new Map<string, string>();
  for (const w of config.split(/\s+/).filter(Boolean)) { const [k, v] = w.split('='); kv.set(k, v); }
  const text = `config ${[...kv].map(([k, v]) => `${k}=${v}`).join(' ')}\nscenario "t" {\n${body.map((l) => `  ${l}`).join('\n')}\n}\n`;
  return runScenario(compileAll(text)[0], opts);
}

export function compare(text: string, opts: RunOptions = {}): CompareResult {
  return compareScenario(compileAll(text)[0], opts);
}

/** The memslot churn of the thread: delete (free) + re-create + an access, n times. */
export function churn(n: number): string[] {
  return [
    'memslot ram gpa 0 size 64K',
    'write 0x1000 = 42',
    `repeat ${n} {`, '  memslot ram delete free', '  memslot ram gpa 0 size 64K', '  read 0x1000', '}',
  ];
}

/** SMM transitions with an access in each mode. */
export function smmChurn(n: number): string[] {
  return ['memslot ram gpa 0 size 64K', 'read 0x1000', `repeat ${n} {`, '  smi', '  read 0x1000', '  rsm', '  read 0x1000', '}'];
}

export const BUG = 'host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on fix=none allocator=lifo';
