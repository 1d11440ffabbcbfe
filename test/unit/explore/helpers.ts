import { analyze } from '../../../src/core/lang/index';
import type { CompiledExploration } from '../../../src/core/lang/ops';

/** Memslot churn and reads on one vCPU, with deferred work as moves (the smallest alphabet
 *  in which the recycled-root bug can happen). */
export const CHURN = `config host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on
explore "churn" {
  config allocator=any
  memslot ram gpa 0 size 64K
  write 0x1000 = 1
  steps {
    memslot ram delete free
    memslot ram gpa 0 size 64K
    read 0x1000
  }
  depth 6
}
`;

export function exploration(text: string, overrides: Record<string, string> = {}): CompiledExploration {
  const a = analyze(text, { overrides });
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.message).join('; '));
  const e = a.compiled.explorations?.[0];
  if (!e) throw new Error('no exploration');
  return e;
}
