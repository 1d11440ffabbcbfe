// The checker: what a parsed file means, and what in it cannot mean anything.
// Config keys and values against schema.ts, combinations (only where the user wrote
// both values), sweeps, memslot ids, metrics, kernel functions, duplicate names and
// number ranges. It also produces each scenario's merged configuration, which the
// compiler uses. Never throws; every diagnostic says what was expected and found.
import type { Diagnostic } from '../diagnostics';
import type * as A from './ast';
import { CODES, diagnostic, type CodeSpec } from './codes';
import { checkConfigValue, combinationProblems, isConfigKey, unknownKeyMessage } from './config';
import {
  CONFIG_BY_KEY, KERNEL_FUNCTIONS, METRICS, METRIC_NAMES, type ConfigKey, type ConfigMap, type KernelFunctionSpec, type SweepAxis,
} from './schema';
import type { Range } from './source';
import { STATEMENT_KEYWORDS } from './parser';
import { numberValue } from './scanner';
import { suggest } from './suggest';
import { IntervalSet, type IntervalHandle } from './intervals';
import { SlotTable } from './slotTable';

export const PAGE_SIZE = 4096;
export const ADDRESS_LIMIT = 2 ** 52;
export const VALUE_LIMIT = 2 ** 53;
export const REPEAT_LIMIT = 1e9;
/** Sweep points Compare runs by default (`mmu.compare.maxPoints`, RunOptions.maxSweepPoints). */
export const SWEEP_POINT_CAP = 1000;

/** Statements a scenario's `for` loops over memslot ids may walk again (ScenarioWalker.loop). */
const FOR_BUDGET = 10_000;
/** A 2M page (PG_LEVEL_2M), for `hugepages` memslots. */
const HUGE_PAGE = 2 * 1024 * 1024;
const FUNCTION_BY_NAME: ReadonlyMap<string, KernelFunctionSpec> = new Map(KERNEL_FUNCTIONS.map((f) => [f.name, f]));
const METRIC_LIST = METRICS.map((m) => m.name);

/** Where a merged config value came from: a `config` entry in the file, `--config`, or the editor's `mmu.defaultConfig`. */
interface Origin {
  readonly value: string;
  readonly word: A.Word | null;
  /** When `word` is null: which setting gave it. */
  readonly from?: '--config' | 'mmu.defaultConfig';
}
type Merged = Map<ConfigKey, Origin>;

export interface ScenarioInfo {
  readonly node: A.ScenarioNode;
  /** File config, then the scenario's own, then overrides (canonical values, valid ones only). */
  readonly config: ConfigMap;
  readonly sweep: readonly SweepAxis[];
}

/** An `explore` block, checked: its setup and steps (statements), bounds and invariants. */
export interface ExploreInfo {
  readonly node: A.ExploreNode;
  readonly config: ConfigMap;
  readonly sweep: readonly SweepAxis[];
  readonly setup: readonly A.Statement[];
  readonly steps: readonly A.Statement[];
  readonly depth: number;
  readonly invariants: readonly A.ExploreInvariant[];
  /** 0 = breadth-first; N > 0 = N random walks. */
  readonly samples: number;
}

/** `depth` when an `explore` block gives none. */
export const DEFAULT_EXPLORE_DEPTH = 8;
export const MAX_EXPLORE_DEPTH = 64;
export const MAX_SAMPLES = 1e7;

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  readonly scenarios: readonly ScenarioInfo[];
  readonly explorations: readonly ExploreInfo[];
}

function before(a: Range, b: Range): boolean {
  return a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character < b.start.character);
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}


/** The suggestion before the list of valid words: the Problems view cuts long messages. */
function didYouMeanFirst(what: string, valid: readonly string[], found: string, near: string | undefined): string {
  return near
    ? `found \`${found}\`; did you mean \`${near}\`? (expected ${what}: ${valid.join(', ')})`
    : `expected ${what} (${valid.join(', ')}), found \`${found}\``;
}

const FUNCTION_NAMES = KERNEL_FUNCTIONS.map((f) => f.name);
const unknownMetricMessage = (text: string): string => didYouMeanFirst('a metric', METRIC_LIST, text, suggest(text, METRIC_LIST));
const unknownFunctionMessage = (text: string): string => didYouMeanFirst('a modelled kernel function', FUNCTION_NAMES, text, suggest(text, FUNCTION_NAMES));
/** Distinct unknown words whose message is kept for reuse (a file of 100,000 misspelt metrics has a few spellings). */
const MESSAGE_MEMO = 4096;

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  /** Messages for unknown words, by message kind and word: the edit-distance search and the list run once per spelling. */
  private readonly memo = new Map<(text: string) => string, Map<string, string>>();

  unknownMessage(text: string, make: (text: string) => string): string {
    let byText = this.memo.get(make);
    if (!byText) this.memo.set(make, byText = new Map());
    const known = byText.get(text);
    if (known !== undefined) return known;
    const message = make(text);
    if (byText.size < MESSAGE_MEMO) byText.set(text, message);
    return message;
  }

  /** Diagnostics by start position (a number: line · 2^25 + character), to find repeats. */
  private readonly seen = new Map<number, Diagnostic[]>();

  report(spec: CodeSpec, message: string, range: Range, related?: Diagnostic['related']): void {
    // Diagnostics found once per scenario (a file-level combination) are reported once. Keyed by
    // position, messages compared only there: hashing every message would cost its length each time.
    const d = diagnostic(spec, message, range, related);
    const key = range.start.line * 33554432 + range.start.character;
    const at = this.seen.get(key);
    if (at) {
      if (at.some((x) => x.code === d.code && x.message === d.message)) return;
      at.push(d);
    } else this.seen.set(key, [d]);
    this.diagnostics.push(d);
  }

  // ------------------------------------------------------------ config and sweep

  /** Validates a config line and merges its valid entries into `into`. */
  config(node: A.ConfigNode, into: Merged | null): void {
    const keysHere = new Map<string, A.Word>();
    for (const e of node.entries) {
      const k = e.key.text;
      const dup = keysHere.get(k);
      if (dup) {
        this.report(CODES.duplicateConfigKey, `expected each key once per \`config\` line, found \`${k}\` a second time`, e.key.range, [{ message: 'first given here', range: dup.range }]);
        continue;
      }
      keysHere.set(k, e.key);
      if (!isConfigKey(k)) { this.report(CODES.unknownConfigKey, unknownKeyMessage(k), e.key.range); continue; }
      if (!e.value) continue;
      const v = checkConfigValue(k, e.value.text, e.value.folded?.text);
      if (!v.ok) { this.report(CODES.badConfigValue, v.message, e.value.range); continue; }
      into?.set(k, { value: v.value, word: e.value });
    }
  }

  /** Validates a sweep line; returns its valid axes. */
  sweep(node: A.SweepNode): SweepAxis[] {
    const axes: SweepAxis[] = [];
    const keysHere = new Map<string, A.Word>();
    for (const e of node.entries) {
      const k = e.key.text;
      const dup = keysHere.get(k);
      if (dup) {
        this.report(CODES.duplicateConfigKey, `expected each key once per \`sweep\` line, found \`${k}\` a second time`, e.key.range, [{ message: 'first given here', range: dup.range }]);
        continue;
      }
      keysHere.set(k, e.key);
      if (!isConfigKey(k)) { this.report(CODES.unknownConfigKey, unknownKeyMessage(k, 'sweep'), e.key.range); continue; }
      if (e.values.length === 0) {
        const spec = CONFIG_BY_KEY.get(k)!;
        const eg = spec.values.length ? spec.values.join(', ') : spec.default;
        this.report(CODES.emptySweep, `expected at least one value for \`${k}\` in the sweep (e.g. [${eg}]), found \`[]\``, e.listRange);
        continue;
      }
      const values: string[] = [];
      const seenValues = new Set<string>(); // not `values.includes`: a 100,000-value axis stays linear
      let ok = true;
      for (const w of e.values) {
        const v = checkConfigValue(k, w.text, w.folded?.text);
        if (!v.ok) { this.report(CODES.badConfigValue, v.message, w.range); ok = false; continue; }
        if (seenValues.has(v.value)) { this.report(CODES.emptySweep, `expected each value once in the sweep of \`${k}\`, found \`${w.folded ? `${w.folded.text}\` = ${v.value}` : `${w.text}\``} again`, w.range); ok = false; continue; }
        values.push(v.value);
        seenValues.add(v.value);
      }
      if (ok) axes.push({ key: k, values });
    }
    return axes;
  }

  /** Combination errors of a merged config, reported at the later-written of the two values. */
  combinations(merged: Merged): void {
    const cfg: Partial<Record<ConfigKey, string>> = {};
    for (const [k, o] of merged) cfg[k] = o.value;
    for (const p of combinationProblems(cfg)) {
      const a = merged.get(p.keys[0])!;
      const b = merged.get(p.keys[1])!;
      if (!a.word && !b.word) continue; // both from --config: the CLI reports that itself
      const [at, other] = !a.word ? [b, a] : !b.word ? [a, b] : before(a.word.range, b.word.range) ? [b, a] : [a, b];
      const from = other.word ? '' : ` (the other value comes from ${other.from ?? '--config'})`;
      this.report(CODES.meaninglessCombination, p.message + from, at.word!.range, other.word ? [{ message: 'the other value is set here', range: other.word.range }] : undefined);
    }
  }

  // ------------------------------------------------------------ numbers

  address(n: A.NumberLit, what = 'an address'): boolean {
    if (n.value >= ADDRESS_LIMIT) { this.report(CODES.numberOutOfRange, `expected ${what} below 2^52 (${hex(ADDRESS_LIMIT)}), found \`${n.text}\``, n.range); return false; }
    return true;
  }
  value(n: A.NumberLit, what = 'a value'): boolean {
    if (n.value >= VALUE_LIMIT) { this.report(CODES.numberOutOfRange, `expected ${what} below 2^53 (${hex(VALUE_LIMIT)}), found \`${n.text}\``, n.range); return false; }
    return true;
  }
  pageAligned(n: A.NumberLit, what: string): boolean {
    if (!this.address(n)) return false;
    // An expression over a loop variable: alignment is checked per value at run time.
    if (!n.dynamic && n.value % PAGE_SIZE !== 0) { this.report(CODES.badSize, `expected ${what} aligned to 4K (a multiple of 0x1000), found \`${n.text}\``, n.range); return false; }
    return true;
  }
  pages(n: A.NumberLit, what = 'SIZE'): boolean {
    if (!n.dynamic && (n.value === 0 || n.value % PAGE_SIZE !== 0)) {
      this.report(CODES.badSize, `expected ${what} as a non-zero multiple of 4K (4096), found \`${n.text}\``, n.range);
      return false;
    }
    return this.address(n, 'a size');
  }
  /** `gpa + size` must stay below 2^52 too. */
  extent(gpa: A.NumberLit, size: A.NumberLit): void {
    if (gpa.value < ADDRESS_LIMIT && size.value < ADDRESS_LIMIT && gpa.value + size.value > ADDRESS_LIMIT) {
      this.report(CODES.numberOutOfRange, `expected the range to end at or below 2^52 (${hex(ADDRESS_LIMIT)}), found ${gpa.text} + ${size.text} = ${hex(gpa.value + size.value)}`, size.range);
    }
  }
}

/** Whether a statement of `body` (or of a loop in it) uses loop variable `v` as a memslot id. */
function usesAsSlot(body: readonly A.Statement[], v: A.LoopVar): boolean {
  for (const s of body) {
    if ('slot' in s && s.slot && s.slot.loopVar === v) return true;
    if (s.kind === 'repeat' && usesAsSlot(s.body, v)) return true;
  }
  return false;
}

/** Canonical memslot id: integers in decimal (`0x1` and `1` are the same slot). */
export function slotKey(w: A.Word): string {
  const text = w.text; // read once: a tree word slices its text on each read
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = numberValue(text);
    if (!Number.isNaN(n)) return String(n);
  }
  return text;
}

interface SlotState {
  readonly created: A.Word;
  gpa: number;
  readonly size: number;
  deleted: A.Word | null;
  /** Its place in `live` while it is live. */
  at: IntervalHandle | null;
}

/** Walks one scenario's statements in order (memslot state is linear through repeat bodies). */
class ScenarioWalker {
  private readonly slots = new SlotTable<SlotState>();
  /** Live slots by GPA range: the overlap check is O(log n) (an interval tree), not a scan. */
  private readonly live = new IntervalSet<SlotState>();
  /** Slots a statement that failed to parse touched: no follow-on errors for them. Made at
   *  the first (as `checkpoints` and `bound`): a file of 100,000 small scenarios walks each once. */
  private poisoned: Set<string> | null = null;
  /** A statement that failed to parse may have been a `memslot` line whose id is unknown
   *  (`memslot` alone, `mems` half-typed): from there on no memslot id is certain, so E211 and
   *  E212 stay quiet rather than blame the lines below for the typo above. */
  private slotsUncertain = false;
  private checkpoints: Map<string, A.StringLit> | null = null;

  /** Checking `steps`: any order may run, so memslot ids are not followed (stepsNeverEnabled does that). */
  stepMode = false;

  constructor(private readonly c: Checker, private vcpus: number | null = null, private vcpusFrom: VcpusFrom = 'file') {}

  /** Ready for the next scenario, as if new (one walker serves a file of 100,000 scenarios). */
  reset(vcpus: number | null, vcpusFrom: VcpusFrom): void {
    this.vcpus = vcpus;
    this.vcpusFrom = vcpusFrom;
    this.slots.clear();
    this.live.clear();
    this.poisoned = null;
    this.slotsUncertain = false;
    this.checkpoints = null;
    this.stepMode = false;
    this.bound = null;
    this.forBudget = FOR_BUDGET;
  }

  /** Memslot ids live after the statements walked so far. */
  liveSlots(): Set<string> { return new Set(this.slots.entries().filter(([, s]) => !s.deleted).map(([k]) => k)); }

  walk(body: readonly A.Statement[]): void {
    for (const s of body) this.statement(s);
  }

  private liveSlot(w: A.Word): SlotState | null {
    const key = this.key(w);
    if (this.stepMode) return null;
    if (this.poisoned?.has(key)) return null;
    const st = this.slots.get(key);
    if ((!st || st.deleted) && this.slotsUncertain) return null;
    if (!st || st.deleted) {
      // A few live ids, looking at a bounded number of entries: one E211 costs O(1), not O(slots).
      const known: string[] = [];
      let looked = 0;
      for (const [k, s] of this.slots.entries(257)) {
        if (++looked > 256 || known.length === 8) break;
        if (!s.deleted) known.push(k);
      }
      const more = this.live.size > known.length ? ', …' : '';
      const list = known.length ? ` (live memslots: ${known.join(', ')}${more})` : ' (no memslot exists here)';
      const msg = st?.deleted
        ? `expected a live memslot id, found \`${w.text}\`, deleted at line ${st.deleted.range.start.line + 1}`
        : `expected a memslot id created earlier with \`memslot ${w.text} gpa ADDR size SIZE\`, found \`${w.text}\`${list}`;
      this.c.report(CODES.undefinedMemslot, msg, w.range, st?.deleted ? [{ message: 'deleted here', range: st.deleted.range }] : undefined);
      return null;
    }
    return st;
  }

  /** Reports an overlap of [gpa, gpa+size) with a live slot (the slot being checked is not in `live`), at statement `at`. */
  private overlaps(w: A.Word, gpa: number, size: number, at: A.Statement): void {
    const s = this.live.overlapping(gpa, gpa + size);
    if (!s) return;
    this.c.report(CODES.overlappingMemslot, `expected memslot \`${w.text}\` (${hex(gpa)}..${hex(gpa + size)}) not to overlap a live memslot, found it overlaps memslot \`${s.created.text}\` (${hex(s.gpa)}..${hex(s.gpa + s.size)})`, at.range, [{ message: 'that memslot is created here', range: s.created.range }]);
  }

  private unlive(st: SlotState): void {
    if (st.at) { this.live.remove(st.at); st.at = null; }
  }

  private metric(m: A.Word): void {
    const text = m.text;
    if (METRIC_NAMES.has(text)) return;
    this.c.report(CODES.unknownMetric, this.c.unknownMessage(text, unknownMetricMessage), m.range);
  }

  /** Values of the `for` variables used as memslot ids, by slot, while their body is walked. */
  private bound: Map<number, string> | null = null;
  /** Statements walked again for `for` values; past the budget memslot ids become uncertain. */
  private forBudget = FOR_BUDGET;

  /** The memslot id `w` stands for: itself, or the current value of its `for` variable. */
  private key(w: A.Word): string {
    if (w.loopVar) return this.bound?.get(w.loopVar.slot) ?? `\u0000${w.loopVar.name.text}`;
    return slotKey(w);
  }

  /**
   * A loop's body is walked once (memslot state is linear through it), except a `for` whose
   * variable names memslots: once per value, so `for s in [a, b] { memslot s delete }` deletes
   * both (the loop itself stays a loop in the compiled ops). A `repeat N as i` index used as a
   * memslot id cannot be followed value by value: memslot ids are uncertain from there.
   */
  private loop(s: A.Repeat): void {
    const v = s.loopVar;
    if (!v || !usesAsSlot(s.body, v)) return this.walk(s.body);
    const values = v.kind === 'for' ? v.values ?? [] : null;
    const cost = values ? values.length * Math.max(1, s.body.length) : Infinity;
    if (!values || cost > this.forBudget) {
      this.slotsUncertain = true;
      return this.walk(s.body);
    }
    this.forBudget -= cost;
    for (const value of values) {
      (this.bound ??= new Map()).set(v.slot, slotKey({ text: value, range: v.name.range }));
      this.walk(s.body);
    }
    this.bound?.delete(v.slot);
  }

  private statement(s: A.Statement): void {
    if ('vcpu' in s && s.vcpu?.index && this.vcpus !== null && s.vcpu.index.value >= this.vcpus) {
      const n = this.vcpus;
      const from = this.vcpusFrom === '--config' || this.vcpusFrom === 'mmu.defaultConfig' ? ` from ${this.vcpusFrom}` : this.vcpusFrom === 'default' ? ', the default' : '';
      this.c.report(CODES.vcpuOutOfRange, `expected a vCPU number below ${n} (the scenario has \`vcpus=${n}\`${from}), found \`${s.vcpu.index.text}\``, s.vcpu.index.range);
    }
    const c = this.c;
    switch (s.kind) {
      case 'error':
        if (s.slot) {
          (this.poisoned ??= new Set()).add(this.key(s.slot));
          // `memslot ra` and nothing after: the id itself may be half-typed.
          if (s.range.end.line === s.slot.range.end.line && s.range.end.character === s.slot.range.end.character) this.slotsUncertain = true;
        } else if (!s.keyword || s.keyword.text === 'memslot' || !STATEMENT_KEYWORDS.includes(s.keyword.text)) {
          this.slotsUncertain = true;
        }
        return;
      case 'config_stmt': case 'sweep_stmt':
        return; // validated while merging the scenario's configuration
      case 'memslot_create': {
        // Fields read once: a tree node makes them from its tokens on each read.
        const slot = s.slot, gpa = s.gpa, size = s.size;
        const key = this.key(slot);
        const st = this.slots.get(key);
        if (this.stepMode) { c.pageAligned(gpa, 'ADDR'); c.pages(size); return; }
        if (st && !st.deleted && !this.poisoned?.has(key) && !this.slotsUncertain) {
          c.report(CODES.duplicateMemslot, `expected a new memslot id, found \`${slot.text}\`, already created at line ${st.created.range.start.line + 1} and not deleted`, slot.range, [{ message: 'created here', range: st.created.range }]);
          return;
        }
        if (st) this.unlive(st); // replaced by this one
        const okG = c.pageAligned(gpa, 'ADDR');
        const okS = c.pages(size);
        // Over a loop variable the range is known per iteration only: overlaps are a run-time failure.
        if (okG && okS && !gpa.dynamic && !size.dynamic) {
          c.extent(gpa, size);
          // kvm_mmu_max_mapping_level: lpage_info disallows 2M for a slot whose base is not 2M-aligned
          // (with the VMM's 2M-aligned memory, docs/model.md) and for a head/tail shorter than 2M.
          if (s.hugepages && (gpa.value % HUGE_PAGE !== 0 || size.value < HUGE_PAGE)) {
            c.report(CODES.hugepagesNeverHuge, `expected a \`hugepages\` memslot to start on a 2M boundary and span at least 2M, found ${gpa.value % HUGE_PAGE !== 0 ? `gpa \`${gpa.text}\` (not a multiple of 0x200000)` : `size \`${size.text}\``}: every mapping stays 4K`, s.hugepages.range);
          }
          this.overlaps(slot, gpa.value, size.value, s);
        }
        const created: SlotState = { created: slot, gpa: gpa.value, size: size.value, deleted: null, at: null };
        created.at = this.live.insert(created.gpa, created.gpa + created.size, created);
        this.slots.set(key, created);
        this.poisoned?.delete(key);
        return;
      }
      case 'memslot_delete': {
        const st = this.liveSlot(s.slot);
        if (st) { st.deleted = s.slot; this.unlive(st); }
        return;
      }
      case 'memslot_move': {
        const st = this.liveSlot(s.slot);
        const gpa = s.gpa;
        if (st && c.pageAligned(gpa, 'the new ADDR')) {
          this.unlive(st);
          this.overlaps(s.slot, gpa.value, st.size, s);
          st.gpa = gpa.value;
          st.at = this.live.insert(st.gpa, st.gpa + st.size, st);
        }
        return;
      }
      case 'memslot_dirty_log':
      case 'memslot_clear_dirty_log':
        this.liveSlot(s.slot);
        return;
      case 'unmap':
        if (c.pageAligned(s.gpa, 'ADDR') && c.pages(s.size)) c.extent(s.gpa, s.size);
        return;
      case 'collapse':
        c.pageAligned(s.gpa, 'ADDR');
        return;
      case 'teardown':
        return;
      case 'read':
      case 'write': {
        const gpa = s.gpa;
        if (c.address(gpa) && !gpa.dynamic && gpa.value % 8 !== 0) {
          c.report(CODES.misaligned, `expected an 8-byte aligned address for the 8-byte \`${s.kind}\`, found \`${gpa.text}\` (${hex(gpa.value)} is not a multiple of 8)`, gpa.range);
        }
        if (s.kind === 'read') { const e = s.expected; if (e) c.value(e); }
        if (s.kind === 'write') c.value(s.value);
        return;
      }
      case 'write_range':
      case 'verify':
        if (c.pageAligned(s.gpa, 'ADDR') && c.pages(s.size)) c.extent(s.gpa, s.size);
        return;
      case 'touch': {
        const okS = c.pages(s.size);
        if (c.address(s.gpa) && okS) c.extent(s.gpa, s.size);
        if (s.stride && !s.stride.dynamic && !s.size.dynamic && (s.stride.value === 0 || s.stride.value > s.size.value)) {
          c.report(CODES.numberOutOfRange, `expected a stride from 1 to the size (${s.size.text}), found \`${s.stride.text}\``, s.stride.range);
        }
        if (s.count && s.count.value > REPEAT_LIMIT) {
          c.report(CODES.numberOutOfRange, `expected a count from 0 to 10^9, found \`${s.count.text}\``, s.count.range);
        } else if (!s.count && okS && (!s.stride || (s.stride.value > 0 && s.stride.value <= s.size.value))) {
          // The default count, SIZE / stride, is held to the same 10^9 as a written one.
          const stride = s.stride ? s.stride.value : PAGE_SIZE;
          const n = Math.floor(s.size.value / stride);
          if (n > REPEAT_LIMIT) {
            const at = s.stride ?? s.size;
            c.report(CODES.numberOutOfRange, `expected at most 10^9 accesses, found SIZE / stride = ${s.size.text} / ${s.stride ? s.stride.text : '4096'} = ${n}; give \`count N\` (\`random count N\` samples the range) or a larger stride`, at.range);
          }
        }
        return;
      }
      case 'cr3':
        c.address(s.value, 'a CR3 value');
        return;
      case 'call': {
        const spec = FUNCTION_BY_NAME.get(s.fn.text);
        if (!spec) {
          c.report(CODES.unknownFunction, c.unknownMessage(s.fn.text, unknownFunctionMessage), s.fn.range);
          return;
        }
        if (spec.arg === 'none' && s.arg) {
          c.report(CODES.badCallArgument, `expected end of line: \`${spec.name}\` takes no argument, found \`${s.arg.text}\``, s.arg.range);
        } else if (spec.arg === 'address_or_root') {
          if (!s.arg) c.report(CODES.badCallArgument, `expected an address or \`root\` after \`call ${spec.name}\`, found end of line`, s.fn.range);
          else if ('value' in s.arg) c.address(s.arg);
          else if (s.arg.text !== 'root') c.report(CODES.badCallArgument, `expected an address or \`root\` after \`call ${spec.name}\`, found \`${s.arg.text}\``, s.arg.range);
        }
        return;
      }
      case 'repeat':
        if (s.count && s.count.value > REPEAT_LIMIT) {
          c.report(CODES.repeatBounds, `expected a repeat count from 0 to 10^9 (1000000000), found \`${s.count.text}\``, s.count.range);
        }
        this.loop(s);
        return;
      case 'checkpoint': {
        const prev = this.checkpoints?.get(s.label.value);
        if (prev) c.report(CODES.duplicateCheckpoint, `expected a label not used by another checkpoint of this scenario, found "${s.label.value}" again (the panel could not tell them apart)`, s.label.range, [{ message: 'first used here', range: prev.range }]);
        else (this.checkpoints ??= new Map()).set(s.label.value, s.label);
        return;
      }
      case 'expect':
        this.metric(s.metric);
        c.value(s.value);
        return;
      case 'print':
        this.metric(s.metric);
        return;
      case 'nested':
        if (s.ncr3 && s.ncr3Kw) {
          // The nCR3 lives in the VMCB L2 hands to VMRUN; a #VMEXIT loads none (domain §5 #9, #10).
          if (s.dir.text !== 'vmrun') c.report(CODES.trailingTokens, `expected end of line after \`nested vmexit\` (\`ncr3\` is given only with \`nested vmrun\`), found \`ncr3\``, s.ncr3Kw.range);
          else c.pageAligned(s.ncr3, 'the nCR3 ADDR');
        }
        return;
      case 'smi': case 'rsm': case 'cr4': case 'cr0': case 'avic': case 'migrate': case 'reset': case 'init': case 'expect_ok':
      case 'rcu': case 'zap_worker':
        return;
      case 'alloc_next':
        for (const p of s.picks) if ('value' in p) c.pageAligned(p, 'a page address');
        return;
      case 'explore_steps': case 'explore_depth': case 'explore_invariant': case 'explore_strategy':
        return; // checked by checkExplore

    }
  }
}

/**
 * Checks a parsed file. `overrides` (from `--config`) replace the file's values before the
 * combination check (for the scenario `overridesFor` only, when given); `defaults` (the
 * editor's `mmu.defaultConfig`) fill the keys the file does not set, and are checked in
 * combination with the file's values like any value the user wrote.
 */
export function check(file: A.FileNode, overrides: ConfigMap = {}, overridesFor?: string, defaults: ConfigMap = {}): CheckResult {
  const c = new Checker();
  const fileMerged: Merged = new Map();
  for (const [k, v] of Object.entries(defaults)) if (isConfigKey(k) && v !== undefined) fileMerged.set(k, { value: v, word: null, from: 'mmu.defaultConfig' });
  for (const cfg of file.configs) c.config(cfg, fileMerged);
  let fileSweep: SweepAxis[] = [];
  for (const sw of file.sweeps) fileSweep = mergeAxes(fileSweep, c.sweep(sw));
  const lastFileSweep = file.sweeps[file.sweeps.length - 1];
  const anyOverride = Object.keys(overrides).length > 0;
  const withOverrides = (m: Merged, applies = true): Merged => {
    if (!applies || !anyOverride) return m;
    const out = new Map(m);
    for (const [k, v] of Object.entries(overrides)) if (isConfigKey(k) && v !== undefined) out.set(k, { value: v, word: null, from: '--config' });
    return out;
  };
  // With a chosen scenario the file-level values meet the overrides in that scenario's check below.
  const fileApplies = overridesFor === undefined;
  c.combinations(withOverrides(fileMerged, fileApplies));

  const scenarios: ScenarioInfo[] = [];
  const names = new Map<string, A.ScenarioNode>(); // first scenario of each name (its name node is made when a message needs it)
  // The config of a scenario without config lines (and the file's overrides): made once, shared (read-only).
  let fileConfig: ConfigMap | null = null;
  let fileVcpus: { readonly n: number; readonly from: VcpusFrom } | null = null;
  const walker = new ScenarioWalker(c);
  for (const sc of file.scenarios) {
    // Names are read once each (a tree string slices its value on each read).
    const nameNode = sc.name;
    const name = nameNode ? nameNode.value : null;
    if (nameNode && name !== null && name.trim() === '') {
      // An unclosed `"` (E002 already) spans one character more than its value, a closed one two.
      const r = nameNode.range;
      const unclosed = r.end.character - r.start.character === name.length + 1;
      // `scenario "` while typing: E002 says it; an empty-name error on top would be noise.
      if (!unclosed) c.report(CODES.expected, 'expected a scenario name (it labels the CodeLens, the test and the results), found an empty string', r);
    } else if (nameNode && name !== null) {
      const first = names.get(name);
      if (first) {
        const at = first.name!.range;
        c.report(CODES.duplicateScenario, `expected a scenario name not used before in this file, found "${name}", already used at line ${at.start.line + 1}`, nameNode.range, [{ message: 'first used here', range: at }]);
      } else names.set(name, sc);
    }
    // A scenario without config lines shares the file's map (nothing below writes to it).
    let ownConfig = false;
    for (const s of sc.body) if (s.kind === 'config_stmt') { ownConfig = true; break; }
    const merged: Merged = ownConfig ? new Map(fileMerged) : fileMerged;
    let ownSweep: SweepAxis[] | null = null;
    let lastOwnSweep: A.SweepNode | null = null;
    for (const s of sc.body) {
      if (s.kind === 'config_stmt') c.config(s.node, merged);
      else if (s.kind === 'sweep_stmt') { ownSweep = mergeAxes(ownSweep ?? [], c.sweep(s.node)); lastOwnSweep = s.node; }
    }
    const sweepAt = lastOwnSweep ?? lastFileSweep;
    if (sweepAt) largeSweep(c, ownSweep ?? fileSweep, sweepAt.range);
    const applies = overridesFor === undefined || name === overridesFor;
    const all = withOverrides(merged, applies);
    // The same values as the file-level check above (no config line, the same overrides): the
    // same diagnostics at the same words, already reported. 10^5 small scenarios skip 10^5 checks.
    const asFile = !ownConfig && applies === fileApplies;
    if (!asFile) c.combinations(all);
    const config = asFile ? (fileConfig ??= configOf(all)) : configOf(all);
    const vcpus = asFile ? (fileVcpus ??= vcpusOf(all, config)) : vcpusOf(all, config);
    walker.reset(vcpus.n, vcpus.from);
    walker.walk(sc.body);
    scenarios.push({ node: sc, config, sweep: ownSweep ?? fileSweep });
  }
  const explorations: ExploreInfo[] = [];
  const exploreNames = new Map<string, A.StringLit>();
  for (const ex of file.explorations) {
    if (ex.name && ex.name.value.trim() === '') c.report(CODES.expected, 'expected an exploration name (it labels the CodeLens, the test and the results), found an empty string', ex.name.range);
    else if (ex.name) {
      const first = exploreNames.get(ex.name.value);
      if (first) c.report(CODES.duplicateScenario, `expected an exploration name not used before in this file, found "${ex.name.value}", already used at line ${first.range.start.line + 1}`, ex.name.range, [{ message: 'first used here', range: first.range }]);
      else exploreNames.set(ex.name.value, ex.name);
    }
    const merged: Merged = new Map(fileMerged);
    let ownSweep: SweepAxis[] | null = null;
    for (const s of ex.body) {
      if (s.kind === 'config_stmt') c.config(s.node, merged);
      else if (s.kind === 'sweep_stmt') ownSweep = mergeAxes(ownSweep ?? [], c.sweep(s.node));
    }
    const all = withOverrides(merged);
    c.combinations(all);
    const config: Partial<Record<ConfigKey, string>> = {};
    for (const [k, o] of all) config[k] = o.value;
    const vcpus = vcpusOf(all, config);
    const walker = new ScenarioWalker(c, vcpus.n, vcpus.from);
    // Only the block's own sweep lines: a file-level sweep is Compare's, not a search per point.
    explorations.push(checkExplore(c, ex, walker, config, ownSweep ?? []));
  }
  return { diagnostics: c.diagnostics, scenarios, explorations };
}

type VcpusFrom = 'file' | 'default' | '--config' | 'mmu.defaultConfig';

/** A merged config's values. */
function configOf(all: Merged): ConfigMap {
  const config: Partial<Record<ConfigKey, string>> = {};
  for (const [k, o] of all) config[k] = o.value;
  return config;
}

/** How many vCPUs a scenario has, and where that number came from (for E215's message). */
function vcpusOf(all: Merged, config: ConfigMap): { readonly n: number; readonly from: VcpusFrom } {
  const entry = all.get('vcpus');
  return { n: Number(config.vcpus ?? CONFIG_BY_KEY.get('vcpus')!.default), from: !entry ? 'default' : entry.word === null ? entry.from ?? '--config' : 'file' };
}

/** Statement kinds a step may be: one plain statement that changes the model. */
const STEP_KINDS: ReadonlySet<string> = new Set([
  'memslot_create', 'memslot_delete', 'memslot_move', 'memslot_dirty_log', 'memslot_clear_dirty_log', 'unmap', 'collapse', 'read', 'write', 'write_range', 'verify',
  'touch', 'smi', 'rsm', 'cr4', 'cr3', 'nested', 'avic', 'migrate', 'reset', 'call', 'rcu', 'zap_worker',
]);

function checkExplore(c: Checker, ex: A.ExploreNode, walker: ScenarioWalker, config: ConfigMap, sweep: readonly SweepAxis[]): ExploreInfo {
  const setup: A.Statement[] = [];
  let steps: A.ExploreSteps | null = null;
  let depth: A.ExploreDepth | null = null;
  let strategy: A.ExploreStrategy | null = null;
  const invariants: A.ExploreInvariant[] = [];
  const again = (what: string, first: { range: Range }, at: Range): void => c.report(CODES.badStep, `expected one \`${what}\` line per explore block, found a second`, at, [{ message: 'first given here', range: first.range }]);
  for (const s of ex.body) {
    switch (s.kind) {
      case 'explore_steps': if (steps) again('steps', steps, s.keyword.range); else steps = s; break;
      case 'explore_depth':
        if (depth) again('depth', depth, s.keyword.range); else depth = s;
        if (s.value.value < 1 || s.value.value > MAX_EXPLORE_DEPTH) c.report(CODES.exploreBounds, `expected a depth from 1 to ${MAX_EXPLORE_DEPTH}, found \`${s.value.text}\``, s.value.range);
        break;
      case 'explore_strategy':
        if (strategy) again('strategy', strategy, s.keyword.range); else strategy = s;
        if (s.samples && (s.samples.value < 1 || s.samples.value > MAX_SAMPLES)) c.report(CODES.exploreBounds, `expected samples from 1 to 10^7, found \`${s.samples.text}\``, s.samples.range);
        break;
      case 'explore_invariant':
        invariants.push(s);
        if (!METRIC_NAMES.has(s.metric.text)) {
          const near = suggest(s.metric.text, METRIC_LIST);
          c.report(CODES.unknownMetric, `expected a metric (${METRIC_LIST.join(', ')}), found \`${s.metric.text}\`${near ? `; did you mean \`${near}\`?` : ''}`, s.metric.range);
        }
        c.value(s.value);
        break;
      default: setup.push(s);
    }
  }
  walker.walk(setup);
  const stepList = steps ? steps.body : [];
  if (!steps) c.report(CODES.badStep, 'expected a `steps { ... }` block in the explore block (the moves the search may take), found none', ex.name?.range ?? ex.keyword.range);
  else {
    for (const s of stepList) {
      if (s.kind === 'error') continue;
      if (!STEP_KINDS.has(s.kind)) c.report(CODES.badStep, `expected a step to be one plain statement (memslot, unmap, a guest statement, call, rcu, zap_worker), found \`${s.keyword.text}\``, s.range);
    }
    const live = walker.liveSlots();
    walker.stepMode = true;
    walker.walk(stepList.filter((s) => STEP_KINDS.has(s.kind)));
    for (const s of stepsNeverEnabled(stepList, setup, live, config)) c.report(CODES.neverEnabledStep, s.why, s.range);
  }
  return {
    node: ex, config, sweep, setup, steps: stepList.filter((s) => STEP_KINDS.has(s.kind)), depth: depth?.value.value ?? DEFAULT_EXPLORE_DEPTH,
    invariants, samples: strategy?.samples?.value ?? 0,
  };
}

/** Steps no order of the other steps enables (a static over-approximation of what can happen). */
function stepsNeverEnabled(steps: readonly A.Statement[], setup: readonly A.Statement[], liveAfterSetup: ReadonlySet<string>, config: ConfigMap): { range: Range; why: string }[] {
  const out: { range: Range; why: string }[] = [];
  const created = new Set<string>(liveAfterSetup);
  const deletable = new Set<string>();
  const vcpuOf = (s: A.Statement): number => ('vcpu' in s ? s.vcpu?.index?.value ?? 0 : 0);
  const has = (pred: (s: A.Statement) => boolean): boolean => steps.some(pred) || setup.some(pred);
  for (const s of steps) {
    if (s.kind === 'memslot_create') created.add(slotKey(s.slot));
    if (s.kind === 'memslot_delete') deletable.add(slotKey(s.slot));
  }
  for (const s of steps) {
    switch (s.kind) {
      case 'memslot_delete': case 'memslot_move': case 'memslot_dirty_log': case 'memslot_clear_dirty_log':
        if (!created.has(slotKey(s.slot))) out.push({ range: s.range, why: `this step never runs: memslot \`${s.slot.text}\` is created neither by the setup nor by a step` });
        break;
      case 'memslot_create':
        if (liveAfterSetup.has(slotKey(s.slot)) && !deletable.has(slotKey(s.slot))) out.push({ range: s.range, why: `this step never runs: memslot \`${s.slot.text}\` exists after the setup and no step deletes it` });
        break;
      case 'rsm':
        if (!has((x) => x.kind === 'smi' && vcpuOf(x) === vcpuOf(s))) out.push({ range: s.range, why: `this step never runs: \`rsm\` needs vCPU ${vcpuOf(s)} in SMM and nothing enters SMM on it` });
        break;
      case 'nested':
        if (s.dir.text === 'vmexit' && !has((x) => x.kind === 'nested' && x.dir.text === 'vmrun' && vcpuOf(x) === vcpuOf(s))) out.push({ range: s.range, why: `this step never runs: \`nested vmexit\` needs vCPU ${vcpuOf(s)} in L3 and nothing runs \`nested vmrun\` on it` });
        break;
      case 'zap_worker':
        if (config.tdp_mmu === 'off') out.push({ range: s.range, why: 'this step never runs: with tdp_mmu=off no root zap is ever queued' });
        break;
    }
  }
  return out;
}

/** W302: Compare runs the first SWEEP_POINT_CAP points of a larger sweep (points are enumerated lazily). */
function largeSweep(c: Checker, axes: readonly SweepAxis[], at: Range): void {
  let n = 1;
  for (const a of axes) n *= a.values.length;
  if (n <= SWEEP_POINT_CAP) return;
  c.report(CODES.largeSweep, `expected at most ${SWEEP_POINT_CAP} sweep points (the default of \`mmu.compare.maxPoints\`), found ${axes.map((a) => a.values.length).join(' × ')} = ${n}; Compare runs the first ${SWEEP_POINT_CAP} and says how many it left out`, at);
}

/** Later sweep lines add axes; a key given again replaces its earlier values. */
function mergeAxes(into: SweepAxis[], more: readonly SweepAxis[]): SweepAxis[] {
  const out = into.filter((a) => !more.some((m) => m.key === a.key));
  return [...out, ...more];
}
