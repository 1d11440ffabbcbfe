// The model-memory budget: one number of bytes (default 2 GiB, `mmu.model.memoryBudgetMB`,
// RunOptions.memoryBudget) that every array the model grows is counted against — data
// pages (per-page state, stored values, memslot backings), page-table pages (the SPTE
// arena), L0 shadows and the TLB. The arrays live outside the V8 heap, so the worker's
// heap limit cannot stop them; this does, at the statement whose growth would cross it,
// with a ModelLimitError (the run fails with `model limit: ...` there). Counted at the
// growth points (a typed array's new capacity), so what is counted is what is held.

/** A scenario asked for more than the model holds: reported as such, not as an internal error. */
export class ModelLimitError extends Error {}

export const DEFAULT_MODEL_BUDGET = 2 * 1024 ** 3;

export type BudgetPart = 'data' | 'tables' | 'shadows' | 'tlb';

function mib(bytes: number): string {
  return bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : `${(bytes / 1024 ** 2).toFixed(bytes < 1024 ** 2 ? 2 : 0)} MiB`;
}

export class ModelBudget {
  readonly limit: number;
  used = 0;
  /** Bytes held per part. */
  readonly parts: Record<BudgetPart, number> = { data: 0, tables: 0, shadows: 0, tlb: 0 };

  constructor(limit = DEFAULT_MODEL_BUDGET) {
    this.limit = limit > 0 && Number.isFinite(limit) ? limit : DEFAULT_MODEL_BUDGET;
  }

  /** An array of `part` grows from `from` to `to` bytes; throws before the growth when it would cross the limit. */
  grow(part: BudgetPart, from: number, to: number): void {
    const next = this.used - from + to;
    if (next > this.limit) {
      const p = this.parts;
      throw new ModelLimitError(`the model's memory would grow to ${mib(next)}, above its budget of ${mib(this.limit)} (page tables ${mib(p.tables + (part === 'tables' ? to - from : 0))}, data pages ${mib(p.data + (part === 'data' ? to - from : 0))}, L0 shadows ${mib(p.shadows + (part === 'shadows' ? to - from : 0))}, TLB ${mib(p.tlb + (part === 'tlb' ? to - from : 0))}); touch fewer distinct pages (sparse accesses cost page-table pages too), \`unmap\` what is done with, or raise \`mmu.model.memoryBudgetMB\``);
    }
    this.used = next;
    this.parts[part] += to - from;
  }
}
