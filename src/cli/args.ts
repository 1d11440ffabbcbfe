// Command-line arguments: `mmu-lab COMMAND [FILE] [--flag] [--flag VALUE | --flag=VALUE]...`.
// Each command declares which flags it takes; anything else is a usage error (exit 2).

export interface CliArgs {
  /** The command word (`check`, `run`, `compare`, `help`), or null when none was given. */
  readonly command: string | null;
  /** Positional arguments after the command (the first is the FILE). */
  readonly positionals: readonly string[];
  /** `--json` */
  readonly json: boolean;
  /** `--scenario NAME` */
  readonly scenario: string | null;
  /** Every `--config KEY=VALUE`, in order (validate with parseConfigOverrides). */
  readonly config: readonly string[];
  /** `--help` / `-h` */
  readonly help: boolean;
  /** Every flag seen, by name without dashes (for commands with flags of their own). */
  readonly flags: ReadonlyMap<string, string | true>;
}

/** Flags that take a value; every other flag is a switch. */
const VALUE_FLAGS: ReadonlySet<string> = new Set(['scenario', 'config', 'seed', 'trace-limit', 'memory-budget', 'name', 'depth', 'workers', 'shard', 'out', 'max-states']);

export type ParsedArgs = { readonly ok: true; readonly args: CliArgs } | { readonly ok: false; readonly message: string };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let command: string | null = null;
  const positionals: string[] = [];
  const config: string[] = [];
  const flags = new Map<string, string | true>();
  let scenario: string | null = null;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (onlyPositionals || !a.startsWith('-') || a === '-') {
      if (command === null) command = a; else positionals.push(a);
      continue;
    }
    if (a === '--') { onlyPositionals = true; continue; }
    if (a === '-h') { flags.set('help', true); continue; }
    if (!a.startsWith('--')) return { ok: false, message: `unknown option \`${a}\`` };
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    let value: string | true = true;
    if (eq >= 0) value = a.slice(eq + 1);
    else if (VALUE_FLAGS.has(name)) {
      const v = argv[i + 1];
      if (v === undefined) return { ok: false, message: `option \`--${name}\` needs a value` };
      value = v;
      i++;
    }
    if (VALUE_FLAGS.has(name) && value === true) return { ok: false, message: `option \`--${name}\` needs a value` };
    // `--json=1` is not JSON output with a value: a switch given a value is an error, not ignored.
    if (!VALUE_FLAGS.has(name) && value !== true) return { ok: false, message: `option \`--${name}\` takes no value, found \`${a}\`` };
    if (name === 'config') config.push(value as string);
    if (name === 'scenario') scenario = value as string;
    flags.set(name, value);
  }
  return {
    ok: true,
    args: { command, positionals, json: flags.get('json') === true, scenario, config, help: flags.has('help'), flags },
  };
}

/** Whether the command line asks for JSON (`--json`, or a malformed `--json=...`): then errors are JSON too. */
export function wantsJson(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--json' || a.startsWith('--json=')) return true;
  }
  return false;
}

/**
 * A command: gets the parsed arguments and the I/O, returns the exit code
 * (0 success, 1 failure found, 2 usage or input error). main.ts checks the flags
 * against `CommandSpec.flags` before calling it.
 */
export type CommandFn = (args: CliArgs, io: import('./io').CliIO) => number | Promise<number>;
