// The `mmu-lab` command line: argument parsing, dispatch to src/cli/commands/*, usage,
// exit codes (0 success, 1 a check or scenario failed, 2 usage, input or parse errors).
// Bundled to dist/cli.js by `npm run build`; bin/mmu-lab.js loads it.
import { parseArgs, wantsJson, type CommandFn } from './args';
import { checkCommand, CHECK_USAGE } from './commands/check';
import { compareCommand, COMPARE_USAGE } from './commands/compare';
import { runCommand, RUN_USAGE } from './commands/run';
import { exploreCommand, EXPLORE_USAGE } from './commands/explore';
import { EXIT_OK, EXIT_USAGE, nodeIO, reportError, type CliIO } from './io';
import { VERSION } from './version';

interface CommandSpec {
  readonly run: CommandFn;
  readonly usage: string;
  readonly summary: string;
  /** Flags the command accepts (without dashes); `help` is always accepted. */
  readonly flags: readonly string[];
}

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  check: { run: checkCommand, usage: CHECK_USAGE, summary: 'report diagnostics (parse and check errors) of a .mmu file', flags: ['json'] },
  run: { run: runCommand, usage: RUN_USAGE, summary: 'run the scenarios of a .mmu file; exit 1 when one fails', flags: ['json', 'scenario', 'config', 'seed', 'trace-limit', 'by-path', 'memory-budget'] },
  compare: { run: compareCommand, usage: COMPARE_USAGE, summary: 'run a scenario\'s sweep and rank the configurations by estimated time', flags: ['json', 'scenario', 'config', 'memory-budget'] },
  explore: { run: exploreCommand, usage: EXPLORE_USAGE, summary: 'search every order of an explore block\'s steps up to its depth; exit 1 on a violation (docs/explore.md)', flags: ['json', 'name', 'config', 'depth', 'workers', 'shard', 'out', 'max-states', 'merge'] },
};

export function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return `Nested MMU Lab — scenarios of nested-virtualization MMU/TLB behaviour (Hyper-V L0, KVM L1, guest L2)\n\nusage:\n${lines.join('\n')}\n  mmu-lab help | --version\n\nexit codes: 0 ok, 1 errors or failed scenarios, 2 usage, input or parse errors\nlanguage reference: docs/language.md\n`;
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version')) {
    io.out(`mmu-lab ${VERSION}\n`);
    return EXIT_OK;
  }
  const json = wantsJson(argv);
  const parsed = parseArgs(argv);
  if (!parsed.ok) { reportError(io, json, 'usage', `mmu-lab: ${parsed.message}`, `\n${usage()}`); return EXIT_USAGE; }
  const args = parsed.args;
  if (args.command === null || args.command === 'help') {
    if (args.command === null && !args.help) { reportError(io, json, 'usage', 'mmu-lab: expected a command', `\n${usage()}`); return EXIT_USAGE; }
    io.out(usage());
    return EXIT_OK;
  }
  const spec = COMMANDS[args.command];
  if (!spec) {
    reportError(io, json, 'usage', `mmu-lab: unknown command \`${args.command.slice(0, 80)}\` (expected ${Object.keys(COMMANDS).join(', ')} or help)`, `\n${usage()}`);
    return EXIT_USAGE;
  }
  if (args.help) { io.out(`usage: ${spec.usage}\n${spec.summary}\n`); return EXIT_OK; }
  for (const name of args.flags.keys()) {
    if (!spec.flags.includes(name)) {
      reportError(io, json, 'usage', `mmu-lab ${args.command}: unknown option \`--${name.slice(0, 80)}\``, `usage: ${spec.usage}\n`);
      return EXIT_USAGE;
    }
  }
  try {
    if (!json) return await spec.run(args, io);
    // Under --json a command that ends with exit 2 without printing its own JSON (every command,
    // present and future) still gives one `{"error": ...}` object, built from its first stderr line.
    let printed = false;
    let firstErr = '';
    const watched: CliIO = {
      ...io,
      out: (t) => { printed = true; io.out(t); },
      err: (t) => { if (firstErr === '') firstErr = t.slice(0, 2000).split('\n')[0] ?? ''; io.err(t); },
    };
    const code = await spec.run(args, watched);
    if (code === EXIT_USAGE && !printed) {
      const kind = firstErr.startsWith('mmu-lab: cannot read') ? 'input' : 'usage';
      io.out(`${JSON.stringify({ error: { kind, message: firstErr || `mmu-lab ${args.command}: failed` } })}\n`);
    }
    return code;
  } catch (e) {
    // The core never throws on any input; reaching here is a bug worth a stack trace.
    reportError(io, json, 'internal', `mmu-lab ${args.command}: internal error: ${(e as Error).message ?? String(e)}`, `${(e as Error).stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}

// Entry point. Tests that import this module set globalThis.__MMU_LAB_NO_AUTORUN__ first.
if (!(globalThis as { __MMU_LAB_NO_AUTORUN__?: boolean }).__MMU_LAB_NO_AUTORUN__) {
  // `mmu-lab compare big.mmu | head`: the reader went away. Drop the rest of the output and
  // keep the exit code, instead of dying on an unhandled EPIPE with a Node stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
  }
  void main(process.argv.slice(2), nodeIO).then((code) => { process.exitCode = code; });
}
