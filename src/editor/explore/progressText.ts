// The explore progress notification's text (pure, no vscode import): states, distinct
// states, the depth being searched and the rate, as the issue's "Where the user meets it" asks.
import type { ExploreProgress } from '../run/protocol';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** `depth 3 · 12,345 states · 4,321 distinct · 8,642 distinct states/s`, after the block's
 *  name (`"churn" · …`) when `withName` (several blocks; one is named in the title already). */
export function exploreProgressText(p: ExploreProgress, withName = false): string {
  const rate = p.seconds > 0 ? ` · ${fmt(p.distinct / p.seconds)} distinct states/s` : '';
  const threads = p.threads && p.threads > 1 ? ` · ${p.threads} threads` : '';
  return `${withName ? `"${p.name}" · ` : ''}depth ${p.depth + 1} · ${fmt(p.states)} states · ${fmt(p.distinct)} distinct${rate}${threads}`;
}
