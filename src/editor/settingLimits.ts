// The bounds of the settings that make a run heavier, applied to whatever the settings
// JSON holds (a user can write any number there; package.json's minimum/maximum only
// guide the Settings UI). Pure: no vscode import, so it is tested directly.
import { GHZ_MAX, GHZ_MIN, TRACE_LIMIT_MAX } from '../core/run/index';
import { SWEEP_POINT_CAP } from '../core/lang/checker';

/** `mmu.model.memoryBudgetMB`: 64 MiB .. 16 GiB, default 2048 (docs/language.md, Limits). */
export const BUDGET_MB = { min: 64, max: 16384, default: 2048 } as const;
/** `mmu.explore.workers`: 0 (all cores but one) .. 64. */
export const EXPLORE_WORKERS = { min: 0, max: 64, default: 0 } as const;
/** `mmu.compare.maxPoints`: 1 .. 100,000, default SWEEP_POINT_CAP. */
export const MAX_POINTS = { min: 1, max: 100_000, default: SWEEP_POINT_CAP } as const;

function clamp(v: unknown, min: number, max: number, fallback: number, whole: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fallback;
  const n = whole ? Math.floor(v) : v;
  return Math.min(max, Math.max(min, n));
}

export interface RawRunSettings {
  readonly traceLimit?: unknown;
  readonly ghz?: unknown;
  readonly memoryBudgetMB?: unknown;
  readonly compareMaxPoints?: unknown;
  readonly exploreWorkers?: unknown;
}

/** Each value within its bounds; a non-number falls back to the default. */
export function clampRunSettings(raw: RawRunSettings): { traceLimit: number; ghz: number; memoryBudgetMB: number; compareMaxPoints: number; exploreWorkers: number } {
  return {
    traceLimit: clamp(raw.traceLimit, 0, TRACE_LIMIT_MAX, 10_000, true),
    ghz: clamp(raw.ghz, GHZ_MIN, GHZ_MAX, 3, false),
    memoryBudgetMB: clamp(raw.memoryBudgetMB, BUDGET_MB.min, BUDGET_MB.max, BUDGET_MB.default, true),
    compareMaxPoints: clamp(raw.compareMaxPoints, MAX_POINTS.min, MAX_POINTS.max, MAX_POINTS.default, true),
    exploreWorkers: clamp(raw.exploreWorkers, EXPLORE_WORKERS.min, EXPLORE_WORKERS.max, EXPLORE_WORKERS.default, true),
  };
}
