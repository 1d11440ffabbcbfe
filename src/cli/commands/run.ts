// Placeholder: the model helper replaces this file with `mmu-lab run` (product.md, CLI
// contract). Keep the export name and signature: main.ts imports `runCommand`.
import type { CliArgs } from '../args';
import { EXIT_USAGE, type CliIO } from '../io';

export const RUN_USAGE = 'mmu-lab run FILE [--scenario NAME] [--config KEY=VALUE]... [--json]';

export function runCommand(_args: CliArgs, io: CliIO): number {
  io.err('mmu-lab run: not implemented yet\n');
  return EXIT_USAGE;
}
