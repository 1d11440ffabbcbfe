// `--memory-budget MB` of `run` and `compare`: the model-memory budget in MiB (the CLI's
// form of `mmu.model.memoryBudgetMB`, same bounds), default 2048 (model/budget.ts).

export const BUDGET_FLAG_MIN_MB = 16;
export const BUDGET_FLAG_MAX_MB = 16384;

/** Bytes for the runner, undefined when the flag is absent, or why the value is not valid. */
export function budgetFlag(v: string | true | undefined): { ok: true; bytes: number | undefined } | { ok: false; message: string } {
  if (v === undefined) return { ok: true, bytes: undefined };
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= BUDGET_FLAG_MIN_MB && n <= BUDGET_FLAG_MAX_MB)) {
    return { ok: false, message: `--memory-budget expects MiB from ${BUDGET_FLAG_MIN_MB} to ${BUDGET_FLAG_MAX_MB}, found \`${String(v).slice(0, 80)}\`` };
  }
  return { ok: true, bytes: n * 1024 * 1024 };
}
