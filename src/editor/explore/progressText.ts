// The explore progress notification's text (pure, no vscode import): states, distinct
// states, the depth being searched and the rate, as the "Where the user meets it" asks.
import type { ExploreProgress } from '../run/protocol';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** `"churn" · depth 3 · 12,345 states · 4,321 distinct · 8,642 distinct states/s` */
export function exploreProgressText(p: ExploreProgress): string {
  const rate = p.seconds > 0 ? ` · ${fmt(p.distinct / p.seconds)} distinct states/s` : '';
  return `"${p.name}" · depth ${p.depth + 1} · ${fmt(p.states)} states · ${fmt(p.distinct)} distinct${rate}`;
}
