// A run's blame link as the panel shows it: the link's own loop iteration as a label.
import type { BlameLink } from '../../core/run/result';
import type { BlameView } from '../../protocol';

export function blameView(b: BlameLink): BlameView {
  const it = b.iteration;
  const iteration = it ? `iteration ${it.index} of ${it.count}${it.name ? ` (${it.name})` : ''}` : undefined;
  return { role: b.role, line: b.line, text: b.text, detail: b.detail, ...(iteration ? { iteration } : {}) };
}
