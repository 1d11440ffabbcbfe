// The effective configuration of one run, resolved once from the language's
// vocabulary (schema.ts) into plain typed fields the model reads without parsing.
import { CONFIG_KEYS, CONFIG_BY_KEY } from '../lang/schema';

export type Kernel = 517 | 602 | 603 | 604;

export interface ModelConfig {
  readonly hyperv: boolean;
  readonly vmx: boolean;
  readonly kernel: Kernel;
  readonly tdpMmu: boolean;
  readonly etlb: boolean;
  readonly fix: 'none' | 'a' | 'b';
  readonly flushByAsid: boolean;
  readonly lifo: boolean;
  /** allocator=any: every allocation is a choice (allocChoice.ts). */
  readonly anyAlloc: boolean;
  /** schedule=explicit: RCU grace periods and the zap worker run only when chosen. */
  readonly explicitSchedule: boolean;
  /**
   * Per-vCPU mmu_shadow_page_cache between KVM and the allocator (pageCache.ts). Off with
   * allocator=any: a page that comes out of a cache was free when the cache took it and
   * stayed reserved until then, so "any page free now" at each allocation already covers
   * every order the caches can produce (docs/model.md).
   */
  readonly mmuCache: boolean;
  /** KVM_DIRTY_LOG_INITIALLY_SET: enabling dirty logging does nothing to the SPTEs (events.ts memslotDirtyLog). */
  readonly dirtyLogInitSet: boolean;
  readonly vcpus: number;
  readonly tlbEntries: number;
  readonly seed: number;
  /** 0 = unlimited. */
  readonly l0Shadows: number;
}

export interface ResolvedConfig {
  /** Every key, values as written in the language. */
  readonly written: Record<string, string>;
  readonly model: ModelConfig;
  /** Overrides that were not valid and were ignored. */
  readonly notes: string[];
}

function valid(key: string, value: string): boolean {
  const spec = CONFIG_BY_KEY.get(key);
  if (!spec) return false;
  if (spec.values.includes(value)) return true;
  if (!spec.number || !/^\d+$/.test(value)) return false;
  const n = Number(value);
  return n >= spec.number.min && n <= spec.number.max;
}

/** Defaults ← layers in order (later wins). Invalid values never throw: they are noted and skipped. */
export function resolveConfig(...layers: (Readonly<Record<string, string | undefined>> | undefined)[]): ResolvedConfig {
  const written: Record<string, string> = {};
  const notes: string[] = [];
  for (const spec of CONFIG_KEYS) written[spec.key] = spec.default;
  for (const layer of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      if (valid(k, v)) written[k] = v;
      else notes.push(`config ${k}=${v} ignored: not a valid key/value`);
    }
  }
  const kernel = ({ '5.17': 517, '6.2': 602, '6.3': 603, '6.4': 604 } as const)[written.kernel as '6.2'] ?? 602;
  const model: ModelConfig = {
    hyperv: written.host === 'hyperv',
    vmx: written.cpu === 'vmx',
    kernel,
    tdpMmu: written.tdp_mmu === 'on',
    etlb: written.enlightened_tlb === 'on',
    fix: written.fix as ModelConfig['fix'],
    flushByAsid: written.flushbyasid === 'on',
    lifo: written.allocator === 'lifo',
    anyAlloc: written.allocator === 'any',
    explicitSchedule: written.schedule === 'explicit',
    mmuCache: written.mmu_cache !== 'off' && written.allocator !== 'any',
    dirtyLogInitSet: written.dirty_log_init_set === 'on',
    vcpus: Number(written.vcpus),
    tlbEntries: Number(written.tlb_entries),
    seed: Number(written.seed) >>> 0,
    l0Shadows: written.l0_shadows === 'unlimited' ? 0 : Number(written.l0_shadows),
  };
  for (const spec of CONFIG_KEYS) if (spec.omitDefault && written[spec.key] === spec.default) delete written[spec.key];
  return { written, model, notes };
}
