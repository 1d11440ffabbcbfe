// A clean environment for nested npm commands. Started from inside an npm script
// (`npm test`, `npm start`), a child inherits the outer npm's configuration as
// environment variables: `npm_config_user_agent` still names the outer Node major, which
// code-server's postinstall reads and refuses (shared/reference/e2e-real-vscode.md), and
// every other `npm_config_*` overrides the nested npm's own settings. Drop them all.

const DROP_PREFIXES = ['npm_config_', 'npm_lifecycle_', 'npm_package_'];
// npm also sets COLOR for its scripts; NODE names the outer Node binary.
const DROP_NAMES = new Set(['npm_execpath', 'npm_node_execpath', 'npm_command', 'init_cwd', 'node', 'color']);

/** `env` without anything an outer npm run put there (names compared case-insensitively). */
export function cleanNpmEnv(env = process.env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    const lower = k.toLowerCase();
    if (DROP_PREFIXES.some((p) => lower.startsWith(p))) continue;
    if (DROP_NAMES.has(lower)) continue;
    out[k] = v;
  }
  // npm also prepends the project's node_modules/.bin and its own node-gyp-bin to PATH.
  const pathKey = Object.keys(out).find((k) => k.toUpperCase() === 'PATH');
  if (pathKey) {
    out[pathKey] = out[pathKey].split(':')
      .filter((d) => d && !/node_modules[\\/]\.bin[\\/]?$/.test(d) && !/node-gyp-bin[\\/]?$/.test(d))
      .join(':');
  }
  return out;
}

/** True when this process runs under an npm script (its configuration is in the environment). */
export function underNpm(env = process.env) {
  return Object.keys(env).some((k) => k.toLowerCase().startsWith('npm_config_') || k === 'npm_lifecycle_event');
}
