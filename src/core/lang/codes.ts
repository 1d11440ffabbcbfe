// The stable diagnostic codes of the language front end. Tests, the CLI's JSON and
// users' scripts rely on them: add codes, never renumber. docs/language.md lists them.
//   E0xx lexical, E1xx syntax, E2xx checker (meaning), W3xx warnings.
import type { Diagnostic, Severity } from '../diagnostics';
import { plainRange, type Range } from './source';

export interface CodeSpec {
  readonly code: string;
  readonly severity: Severity;
  readonly summary: string;
}

export const CODES = {
  unexpectedChar: { code: 'E001', severity: 'error', summary: 'a character that cannot start any token' },
  unterminatedString: { code: 'E002', severity: 'error', summary: 'a string not closed before the end of its line' },
  badNumber: { code: 'E003', severity: 'error', summary: 'a malformed number (bad digit, misplaced `_`, unknown suffix, too large)' },
  badEscape: { code: 'E004', severity: 'error', summary: 'an escape other than `\\"` and `\\\\` in a string' },

  unknownStatement: { code: 'E101', severity: 'error', summary: 'an unknown statement keyword (with a suggestion when one is close)' },
  expected: { code: 'E102', severity: 'error', summary: 'a statement is missing a part, or has the wrong kind of token there' },
  missingCloseBrace: { code: 'E103', severity: 'error', summary: 'a `{` that is never closed by `}`' },
  unexpectedCloseBrace: { code: 'E104', severity: 'error', summary: 'a `}` that closes nothing' },
  trailingTokens: { code: 'E105', severity: 'error', summary: 'extra text after a complete statement' },
  notAtFileLevel: { code: 'E106', severity: 'error', summary: 'a statement that must be inside a scenario appears at file level' },
  misplacedConfig: { code: 'E107', severity: 'error', summary: '`config` after another statement of the scenario, or `config`/`sweep` inside `repeat`' },
  vcpuOnNonGuest: { code: 'E108', severity: 'error', summary: '`vcpu N` in front of a statement that does not run on a vCPU' },
  duplicateOption: { code: 'E109', severity: 'error', summary: 'an option given twice in one statement (e.g. `touch ... random random`)' },
  nestingTooDeep: { code: 'E110', severity: 'error', summary: 'blocks nested deeper than 64 levels' },
  expressionTooDeep: { code: 'E111', severity: 'error', summary: 'an expression more than 256 levels deep (a chain of operators, nested `(` or `-`)' },

  unknownConfigKey: { code: 'E201', severity: 'error', summary: 'an unknown `config`/`sweep` key' },
  badConfigValue: { code: 'E202', severity: 'error', summary: 'a `config`/`sweep` value outside the key\'s valid values' },
  meaninglessCombination: { code: 'E203', severity: 'error', summary: 'two configuration values, both written by the user, that cannot mean anything together' },
  duplicateConfigKey: { code: 'E204', severity: 'error', summary: 'a key given twice in one `config` or `sweep` line' },
  emptySweep: { code: 'E205', severity: 'error', summary: 'a sweep axis with no values, or with a value listed twice' },
  badOverride: { code: 'E206', severity: 'error', summary: 'a command-line `--config KEY=VALUE` that is not of that form' },
  duplicateScenario: { code: 'E210', severity: 'error', summary: 'two scenarios with the same name in one file' },
  undefinedMemslot: { code: 'E211', severity: 'error', summary: 'a memslot id used before it is created, or after it is deleted' },
  duplicateMemslot: { code: 'E212', severity: 'error', summary: 'a memslot id created twice' },
  overlappingMemslot: { code: 'E213', severity: 'error', summary: 'a memslot whose GPA range overlaps a live memslot' },
  unknownMetric: { code: 'E220', severity: 'error', summary: 'an unknown metric in `expect` or `print`' },
  unknownFunction: { code: 'E221', severity: 'error', summary: 'an unknown kernel function in `call`' },
  badCallArgument: { code: 'E222', severity: 'error', summary: 'a `call` argument missing, or given to a function that takes none' },
  numberOutOfRange: { code: 'E230', severity: 'error', summary: 'an address at or above 2^52, a value at or above 2^53, or a count out of bounds' },
  badSize: { code: 'E231', severity: 'error', summary: 'a size or address that must be a (non-zero) multiple of 4K and is not' },
  repeatBounds: { code: 'E232', severity: 'error', summary: 'a `repeat` count outside 0..10^9' },
  vcpuOutOfRange: { code: 'E233', severity: 'error', summary: 'a `vcpu N` with N not below the scenario\'s `vcpus`' },
  misaligned: { code: 'E234', severity: 'error', summary: 'an 8-byte `read`/`write` address that is not 8-byte aligned' },
  badStep: { code: 'E240', severity: 'error', summary: 'an `explore` block line that cannot be: a step that is not one plain statement, a second `steps`/`depth`/`strategy`, or no `steps`' },
  exploreBounds: { code: 'E241', severity: 'error', summary: 'an `explore` bound out of range: `depth` 1..64, `samples` 1..10^7' },
  undefinedName: { code: 'E250', severity: 'error', summary: 'a name in an expression that no `let` or loop variable defines there' },
  badExpression: { code: 'E251', severity: 'error', summary: 'a constant expression that divides by zero, shifts beyond 63, is negative or reaches 2^53' },
  duplicateName: { code: 'E252', severity: 'error', summary: 'a `let` or loop variable whose name is already defined where it is defined' },
  misplacedLet: { code: 'E253', severity: 'error', summary: 'a `let` inside a loop (a `let` is a constant of the file or the scenario)' },

  duplicateCheckpoint: { code: 'W301', severity: 'warning', summary: 'two checkpoints with the same label in one scenario' },
  largeSweep: { code: 'W302', severity: 'warning', summary: 'a sweep with more points than Compare runs (`mmu.compare.maxPoints`, 1,000 by default)' },
  hugepagesNeverHuge: { code: 'W304', severity: 'warning', summary: 'a `hugepages` memslot that KVM can never map with a 2M page (its gpa is not 2M-aligned, or it is smaller than 2M)' },
  neverEnabledStep: { code: 'W303', severity: 'warning', summary: 'an `explore` step that no sequence of the other steps can enable (it is never taken)' },
} as const satisfies Record<string, CodeSpec>;

export type CodeName = keyof typeof CODES;

/** Every code, in order, for documentation and tests. */
export const CODE_LIST: readonly CodeSpec[] = Object.values(CODES);

/** Longest quoted token a message echoes; longer ones keep their first characters and `…`. */
export const MAX_QUOTED = 80;

/**
 * Shortens every `` `quoted` `` or `"quoted"` span of a message to MAX_QUOTED characters,
 * in one pass: a 5 MB word gives a message of a few hundred characters, not a 5 MB one.
 */
export function truncateQuoted(message: string): string {
  if (message.length <= MAX_QUOTED + 2) return message;
  let out = '';
  let from = 0;
  let i = 0;
  // The next ` and " at or after i, found with indexOf (native) rather than char by char.
  let nb = message.indexOf('`');
  let nq = message.indexOf('"');
  for (;;) {
    if (nb >= 0 && nb < i) nb = message.indexOf('`', i);
    if (nq >= 0 && nq < i) nq = message.indexOf('"', i);
    const open = nb < 0 ? nq : nq < 0 ? nb : Math.min(nb, nq);
    if (open < 0) break;
    i = open;
    const close = message.indexOf(message[i]!, i + 1);
    if (close < 0) break;
    if (close - i - 1 > MAX_QUOTED) {
      out += message.slice(from, i + 1 + MAX_QUOTED - 1) + '…';
      from = close;
    }
    i = close + 1;
  }
  if (from === 0) return message.length > 64 * MAX_QUOTED ? message.slice(0, 64 * MAX_QUOTED - 1) + '…' : message;
  out += message.slice(from);
  return out.length > 64 * MAX_QUOTED ? out.slice(0, 64 * MAX_QUOTED - 1) + '…' : out;
}

/** A diagnostic of the given kind (the summary stays out of it); quoted tokens are shortened. */
export function diagnostic(spec: CodeSpec, message: string, range: Range, related?: Diagnostic['related']): Diagnostic {
  const m = truncateQuoted(message);
  // Plain ranges: diagnostics are cloned to the worker's callers and compared in tests.
  if (!related) return { code: spec.code, severity: spec.severity, message: m, range: plainRange(range) };
  return { code: spec.code, severity: spec.severity, message: m, range: plainRange(range), related: related.map((r) => ({ ...r, message: truncateQuoted(r.message), range: plainRange(r.range) })) };
}
