// Diagnostics produced by the parser, checker and runner. Codes are stable: tests,
// the CLI's JSON output and users' scripts rely on them.
import type { Range } from './lang/source';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedInfo {
  readonly message: string;
  readonly range: Range;
}

export interface Diagnostic {
  /** Stable code, e.g. `E101`. The list lives in docs/language.md. */
  readonly code: string;
  readonly severity: Severity;
  /** Says what was expected and what was found. */
  readonly message: string;
  readonly range: Range;
  readonly related?: readonly RelatedInfo[];
}
