// Worker threads for `explore` searches inside the desktop simulation worker (nested
// worker_threads, the CLI's pool: dist/exploreWorker.js beside dist/simWorker.js). When the
// host terminates the simulation worker (Cancel, an edit), its threads go with it.
import { availableParallelism } from 'node:os';
import { workerPool } from '../../cli/explorePool';
import type { ExploreControl } from './executeExplore';

/** `mmu.explore.workers`: 0 means all cores but one (as `mmu-lab explore`); at least 1. */
export function exploreThreadCount(setting: number, cores = availableParallelism()): number {
  return setting > 0 ? setting : Math.max(1, cores - 1);
}

export const exploreThreads: NonNullable<ExploreControl['threads']> = {
  count: (setting) => exploreThreadCount(setting),
  start: (init) => workerPool(init.workers, init),
};
