// Placeholder: the model helper replaces this file with `mmu-lab compare` (product.md,
// CLI contract). Keep the export name and signature: main.ts imports `compareCommand`.
import type { CliArgs } from '../args';
import { EXIT_USAGE, type CliIO } from '../io';

export const COMPARE_USAGE = 'mmu-lab compare FILE [--scenario NAME] [--config KEY=VALUE]... [--json]';

export function compareCommand(_args: CliArgs, io: CliIO): number {
  io.err('mmu-lab compare: not implemented yet\n');
  return EXIT_USAGE;
}
