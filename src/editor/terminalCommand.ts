// The command line "MMU: Run in Terminal" types: the bundled CLI run by a Node binary,
// every argument quoted for the terminal's shell. Pure, so it is tested without VS Code.

/** One argument quoted for the terminal's shell (POSIX shells, or PowerShell on Windows). */
export function shellQuote(arg: string, windows: boolean): string {
  if (windows) return `'${arg.replace(/'/g, "''")}'`;
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs `cli` on `file` with `node`. */
export function terminalCommand(node: string, cli: string, file: string, windows: boolean): string {
  const line = [node, cli, 'run', file].map((a) => shellQuote(a, windows)).join(' ');
  return windows ? `& ${line}` : line;
}
