// The input-size limit shared by the CLI and the editor's workspace scan (docs/language.md,
// Limits). The other limits live beside what they bound: the model-memory budget in
// model/budget.ts, snapshot rows in run/interpreter.ts, sweep points and counts in
// lang/checker.ts, the trace in run/index.ts.

/** Largest scenario file read: 16 MiB. The CLI refuses a larger one (exit 2); the Test Explorer skips it. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;
