// Configuration values: validation against schema.ts, the combinations that cannot
// mean anything, defaults, and `--config KEY=VALUE` overrides. Shared by the checker,
// the compiler, the CLI and the model (sweep points go through `combinationProblems`).
import { CONFIG_BY_KEY, CONFIG_KEYS, type ConfigKey, type ConfigMap } from './schema';
import { parseNumber } from './scanner';
import { suggest } from './suggest';

export const CONFIG_KEY_NAMES: readonly string[] = CONFIG_KEYS.map((s) => s.key);

export function isConfigKey(key: string): key is ConfigKey {
  return CONFIG_BY_KEY.has(key);
}

/** "expected a config key (one of host, cpu, ...), found `hots`; did you mean `host`?" */
export function unknownKeyMessage(key: string, where: 'config' | 'sweep' | '--config' = 'config'): string {
  const near = suggest(key, CONFIG_KEY_NAMES);
  return `expected a ${where === 'sweep' ? 'sweep' : 'config'} key (one of ${CONFIG_KEY_NAMES.join(', ')}), found \`${key}\`${near ? `; did you mean \`${near}\`?` : ''}`;
}

/** A valid value in its canonical form (numbers in decimal), or why it is not valid. */
export type ValueCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string };

/** `written`: the value as the user wrote it when that was an expression (`4 * N` for `16`). */
export function checkConfigValue(key: ConfigKey, value: string, written?: string): ValueCheck {
  const spec = CONFIG_BY_KEY.get(key)!;
  if (spec.values.includes(value)) return { ok: true, value };
  const choices: string[] = [];
  if (spec.number) choices.push(`a number from ${spec.number.min} to ${spec.number.max}`);
  if (spec.values.length) choices.push(spec.number ? spec.values.map((v) => `\`${v}\``).join(', ') : `one of ${spec.values.join(', ')}`);
  const found = written !== undefined && written !== value ? `\`${written}\` = ${value}` : `\`${value}\``;
  const expected = `expected a config value for \`${key}\` (${choices.join(' or ')}), found ${found}`;
  if (spec.number && value.length > 0 && value.charCodeAt(0) >= 48 && value.charCodeAt(0) <= 57) {
    const n = parseNumber(value);
    if (!n.ok) return { ok: false, message: `${expected}: ${n.reason}` };
    if (n.value < spec.number.min || n.value > spec.number.max) return { ok: false, message: expected };
    return { ok: true, value: String(n.value) };
  }
  const near = suggest(value, spec.values);
  return { ok: false, message: `${expected}${near ? `; did you mean \`${near}\`?` : ''}` };
}

/** Every key with its value: the explicit ones, then the schema's defaults. */
export function resolveConfig(cfg: ConfigMap): Readonly<Record<ConfigKey, string>> {
  const out = {} as Record<ConfigKey, string>;
  for (const s of CONFIG_KEYS) out[s.key] = cfg[s.key] ?? s.default;
  return out;
}

/**
 * Pairs of values that cannot mean anything together. Each is an error only when the
 * user wrote both values (defaults that do not apply are simply ignored — language
 * reference, Configuration). Domain sections refer to shared/reference/kvm-hyperv-domain.md.
 */
export interface CombinationRule {
  readonly a: ConfigKey;
  readonly aValues: readonly string[];
  readonly b: ConfigKey;
  readonly bValues: readonly string[];
  readonly why: string;
}

export const COMBINATION_RULES: readonly CombinationRule[] = [
  { a: 'host', aValues: ['bare'], b: 'enlightened_tlb', bValues: ['on'], why: 'the enlightened TLB is a Hyper-V feature, and with `host=bare` there is no Hyper-V below KVM (domain §1.1)' },
  { a: 'host', aValues: ['bare'], b: 'fix', bValues: ['a', 'b'], why: 'both fixes issue a Hyper-V flush hypercall, and with `host=bare` there is no Hyper-V to call (domain §4.3)' },
  { a: 'host', aValues: ['bare'], b: 'l0_shadows', bValues: [], why: 'with `host=bare` KVM is L0: there are no L0 shadows to limit' },
  { a: 'cpu', aValues: ['vmx'], b: 'fix', bValues: ['a', 'b'], why: 'the fixes patch the SVM flush paths (`svm_flush_tlb_current`, the NPT root allocation on SVM+eTLB); VMX uses its own INVEPT path (domain §1.4, §4.3)' },
  { a: 'cpu', aValues: ['vmx'], b: 'flushbyasid', bValues: ['off'], why: 'FLUSHBYASID is an AMD SVM feature; Intel VMX has no ASIDs in this sense (domain §4.4)' },
  { a: 'kernel', aValues: ['6.3', '6.4'], b: 'fix', bValues: ['b'], why: 'fix b is what 6.3 merged (e5c972c1): that kernel already contains it (domain §4.2)' },
  { a: 'tdp_mmu', aValues: ['off'], b: 'fix', bValues: ['a'], why: 'fix a flushes after `tdp_mmu_alloc_sp()`, which only the TDP MMU calls (domain §2.2, §4.3)' },
];

export interface CombinationProblem {
  readonly keys: readonly [ConfigKey, ConfigKey];
  readonly message: string;
}

/** The rules `cfg` (explicit values only) breaks. An empty `bValues` matches any value. */
export function combinationProblems(cfg: ConfigMap): CombinationProblem[] {
  const out: CombinationProblem[] = [];
  for (const r of COMBINATION_RULES) {
    const a = cfg[r.a];
    const b = cfg[r.b];
    if (a === undefined || b === undefined) continue;
    if (!r.aValues.includes(a) || (r.bValues.length > 0 && !r.bValues.includes(b))) continue;
    out.push({ keys: [r.a, r.b], message: `\`${r.b}=${b}\` cannot be combined with \`${r.a}=${a}\`: ${r.why}` });
  }
  return out;
}

/** `--config KEY=VALUE` arguments → a ConfigMap, or messages saying what is wrong. */
export function parseConfigOverrides(args: readonly string[]): { readonly overrides: ConfigMap; readonly errors: readonly string[] } {
  const overrides: Partial<Record<ConfigKey, string>> = {};
  const errors: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) { errors.push(`expected --config KEY=VALUE, found \`${arg}\``); continue; }
    const key = arg.slice(0, eq).trim();
    const value = arg.slice(eq + 1).trim();
    if (!isConfigKey(key)) { errors.push(`--config: ${unknownKeyMessage(key, '--config')}`); continue; }
    const v = checkConfigValue(key, value);
    if (!v.ok) { errors.push(`--config: ${v.message}`); continue; }
    overrides[key] = v.value;
  }
  for (const p of combinationProblems(overrides)) errors.push(`--config: ${p.message}`);
  return { overrides, errors };
}
