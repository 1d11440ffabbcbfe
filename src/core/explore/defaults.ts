// `mmu.defaultConfig` (and the like) for an `explore` block: fills the keys the block or its
// file does not set, as for scenarios. The editor's search and its threads apply it alike.
import type { CompiledExploration } from '../lang/ops';

export function withConfigDefaults(exp: CompiledExploration, defaults: Readonly<Record<string, string>>): CompiledExploration {
  const cfg = exp.program.config as Record<string, string>;
  const missing = Object.entries(defaults).filter(([k]) => !(k in cfg));
  return missing.length === 0 ? exp : { ...exp, program: { ...exp.program, config: { ...Object.fromEntries(missing), ...cfg } } };
}
