// Types of the core API the harness calls (src/core/run/index.ts is written in parallel).
export type { CompareResult, FileRunResult, ScenarioResult, RunOptions as RunOptionsLike } from '../../../src/core/run/result';
export type { CompiledFile as CompiledFileLike } from '../../../src/core/lang/ops';
