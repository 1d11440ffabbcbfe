// The JSON of "MMU: Export Run" (pure): the document's last run as stored, plus the last
// search of each `explore` block. Lines are 0-based, as in the stored run.
import type { ExploreResult } from '../../core/explore/result';

interface RunLike { readonly uri: string; readonly version: number }
interface ExploredLike { readonly version: number; readonly results: readonly ExploreResult[] }

export function exportJson<R extends RunLike>(uri: string, run: R | undefined, explored: ExploredLike | undefined): Record<string, unknown> {
  const base: Record<string, unknown> = run ? { ...(run as object) } : { uri, version: explored?.version };
  if (!explored) return base;
  base['explorations'] = explored.results;
  // Searches and the run can come from different versions of the text: say which.
  if (run && explored.version !== run.version) base['explorationsVersion'] = explored.version;
  return base;
}
