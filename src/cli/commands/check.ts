// `mmu-lab check FILE [--json]`: diagnostics only (product.md, CLI contract).
// JSON: {"diagnostics":[{"code","severity","line","column","message"}]}, 1-based.
// Exit 0 without errors (warnings allowed), 1 with errors, 2 on usage or I/O errors.
import { analyze } from '../../core/lang/index';
import type { CliArgs } from '../args';
import { diagnosticToJson, EXIT_FAILED, EXIT_OK, EXIT_USAGE, formatDiagnostic, readSource, reportError, type CliIO } from '../io';

export const CHECK_USAGE = 'mmu-lab check FILE [--json]';

export function checkCommand(args: CliArgs, io: CliIO): number {
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) {
    reportError(io, args.json, 'usage', `mmu-lab check: expected one FILE, found ${file === undefined ? 'none' : args.positionals.length}`, `usage: ${CHECK_USAGE}\n`);
    return EXIT_USAGE;
  }
  const src = readSource(io, file);
  if (!src.ok) { reportError(io, args.json, 'input', src.message); return EXIT_USAGE; }
  const a = analyze(src.text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  const code = errors > 0 ? EXIT_FAILED : EXIT_OK;
  if (args.json) {
    io.out(`${JSON.stringify({ diagnostics: a.diagnostics.map(diagnosticToJson) })}\n`);
    return code;
  }
  let text = '';
  for (const d of a.diagnostics) text += formatDiagnostic(file, src.text, d) + '\n';
  const warnings = a.diagnostics.length - errors;
  const n = a.file.scenarios.length;
  const ok = a.compiled.scenarios.length;
  const scenarios = `${n} scenario${n === 1 ? '' : 's'}${errors > 0 ? `, ${ok} without errors` : ''}`;
  const problems = a.diagnostics.length === 0 ? 'no problems'
    : `${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
  text += `${file}: ${problems} (${scenarios})\n`;
  io.out(text);
  return code;
}
