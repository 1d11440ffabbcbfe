// The language front end's public API: `analyze(text)` parses, checks and compiles a
// `.mmu` file and never throws. Editor features use `file` (the AST with ranges), the
// editor and CLI show `diagnostics`, the runner takes `compiled`.
import type { Diagnostic } from '../diagnostics';
import type { FileNode } from './ast';
import { check } from './checker';
import { CODES } from './codes';
import { combinationProblems } from './config';
import { compile } from './compiler';
import type { CompiledFile, CompiledScenario } from './ops';
import { parse } from './parser';
import type { ConfigKey, ConfigMap } from './schema';

export interface Analysis {
  readonly file: FileNode;
  /** Parser and checker diagnostics, in source order. */
  readonly diagnostics: Diagnostic[];
  /** The scenarios without errors (a file with a typo still yields the others). */
  readonly compiled: CompiledFile;
}

export interface AnalyzeOptions {
  /**
   * `--config` overrides (validated, e.g. by `parseConfigOverrides`): they replace the
   * file's values for every scenario before the combination check.
   */
  readonly overrides?: ConfigMap;
  /**
   * The one scenario the overrides are for (`--scenario NAME`, the scenario Compare picked):
   * only its combination with them is checked, so `--config fix=a --scenario ok` is not
   * refused because another scenario sets `host=bare`. Unset: every scenario.
   */
  readonly overridesFor?: string;
  /**
   * Values for keys the file does not set (the editor's `mmu.defaultConfig`, validated, e.g. by
   * `parseConfigOverrides`): checked in combination with the file's values (E203 says the
   * other value comes from mmu.defaultConfig), and part of each scenario's config.
   */
  readonly defaults?: ConfigMap;
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = parse(text);
  const checked = check(parsed.file, options.overrides ?? {}, options.overridesFor, options.defaults ?? {});
  const diagnostics = [...parsed.diagnostics, ...checked.diagnostics].sort(byPosition);
  const compiled = compile(parsed.file, checked.scenarios, diagnostics, text, parsed.lineStarts, checked.explorations);
  return { file: parsed.file, diagnostics, compiled };
}

/**
 * Applies `--config` overrides to an already compiled scenario: they replace its values,
 * then the combination is checked again. Diagnostics (at the scenario's name) say which
 * combination the overrides made meaningless; the scenario should not run then.
 * (Prefer `analyze(text, { overrides })`, which also places the diagnostic at the file's value.)
 */
export function applyConfigOverrides(scenario: CompiledScenario, overrides: ConfigMap): { readonly scenario: CompiledScenario; readonly diagnostics: Diagnostic[] } {
  const config: Partial<Record<ConfigKey, string>> = { ...scenario.config, ...overrides };
  const diagnostics: Diagnostic[] = combinationProblems(config).map((p) => ({
    code: CODES.meaninglessCombination.code, severity: CODES.meaninglessCombination.severity,
    message: `scenario "${scenario.name}" with --config: ${p.message}`, range: scenario.nameRange,
  }));
  return { scenario: { ...scenario, config }, diagnostics };
}

export type * from './ast';
export { isGuestStatement } from './ast';
export { CODES, CODE_LIST, type CodeSpec } from './codes';
export {
  COMBINATION_RULES, checkConfigValue, combinationProblems, parseConfigOverrides, resolveConfig, type CombinationProblem,
} from './config';
export { parse, SWEEP_RANGE_MAX, GUEST_KEYWORDS, STATEMENT_KEYWORDS, TOP_LEVEL_KEYWORDS, EXPLORE_KEYWORDS, type ParseResult } from './parser';
export { check, slotKey, PAGE_SIZE, ADDRESS_LIMIT, VALUE_LIMIT, REPEAT_LIMIT, SWEEP_POINT_CAP, DEFAULT_EXPLORE_DEPTH, MAX_EXPLORE_DEPTH, type ExploreInfo } from './checker';
export { compile, DEFAULT_PATTERN } from './compiler';
export { scan, parseNumber, TK, Tokens, type TokenKind } from './scanner';
export { suggest } from './suggest';
export type * from './ops';
export * from './schema';
export type { Position, Range } from './source';
export { range, plainRange, SourceRange } from './source';
export type { Diagnostic, Severity, RelatedInfo } from '../diagnostics';
