// What to offer at the cursor in a `.mmu` file (pure, no vscode import). The context
// comes from the current line up to the cursor; memslot ids from the whole text, so
// completion also works while the file does not parse.
import { CONFIG_BY_KEY, CONFIG_KEYS, COMPARE_OPS, KERNEL_FUNCTIONS, METRICS, STATEMENT_DOCS } from '../../core/lang/schema';
import { GUEST_KEYWORDS } from '../../core/lang/parser';
import { isUnclosedString, lineTokens, type LineToken } from './wordAt';

export type CompletionKind = 'keyword' | 'property' | 'value' | 'metric' | 'function' | 'variable' | 'operator' | 'snippet';

export interface CompletionSpec {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  readonly documentation?: string;
  /** Snippet syntax when `snippet` is true (tab stops as signature help). */
  readonly insertText?: string;
  readonly snippet?: boolean;
  /** Reopen completion after inserting (e.g. after `key=`). */
  readonly retrigger?: boolean;
}

/** Statement templates: tab stops show the statement's shape while typing. */
const STATEMENT_SNIPPETS: Readonly<Record<string, string>> = {
  scenario: 'scenario "${1:name}" {\n\t$0\n}',
  config: 'config ',
  sweep: 'sweep ',
  memslot: 'memslot ${1:ram} gpa ${2:0x100000} size ${3:2M}',
  unmap: 'unmap ${1:0x100000} size ${2:4K}',
  collapse: 'collapse ${1:0x200000}',
  vcpu: 'vcpu ${1:1} ',
  read: 'read ${1:0x100000}',
  write: 'write ${1:0x100000} = ${2:0x1}',
  verify: 'verify ${1:0x100000} size ${2:2M} pattern ${3:p}',
  touch: 'touch ${1:0x100000} size ${2:2M}',
  smi: 'smi',
  rsm: 'rsm',
  cr4: 'cr4 ${1|pge,pcide,smep|} ${2|on,off|}',
  cr3: 'cr3 ${1:0x1000}',
  nested: 'nested ${1|vmrun,vmexit|}',
  avic: 'avic on',
  migrate: 'migrate',
  reset: 'reset',
  call: 'call ',
  repeat: 'repeat ${1:100} {\n\t$0\n}',
  for: 'for ${1:x} in [${2:0x100000}, ${3:0x200000}] {\n\t$0\n}',
  let: 'let ${1:name} = ${2:0x100000}',
  checkpoint: 'checkpoint "${1:label}"',
  expect: 'expect ',
  print: 'print ',
};

const RETRIGGER = new Set(['config', 'sweep', 'call', 'expect', 'print']);

function statements(topLevel: boolean): CompletionSpec[] {
  return Object.entries(STATEMENT_DOCS)
    .filter(([k]) => topLevel ? ['scenario', 'config', 'sweep', 'let'].includes(k) : k !== 'scenario')
    .map(([k, doc]) => ({ label: k, kind: 'keyword' as const, documentation: doc, insertText: STATEMENT_SNIPPETS[k] ?? k, snippet: true, retrigger: RETRIGGER.has(k) }));
}

function configKeys(sweep: boolean): CompletionSpec[] {
  return CONFIG_KEYS.map((s) => ({
    label: s.key, kind: 'property' as const, detail: `default ${s.default}`, documentation: s.doc,
    insertText: sweep ? `${s.key}=[$1]` : `${s.key}=`, snippet: true, retrigger: true,
  }));
}

function configValues(key: string): CompletionSpec[] {
  const spec = CONFIG_BY_KEY.get(key);
  if (!spec) return [];
  const values = spec.values.length ? [...spec.values] : [spec.default];
  return values.map((v) => ({
    label: v, kind: 'value' as const, detail: v === spec.default ? `${key} (default)` : key,
    documentation: spec.valueDocs?.[v] ?? spec.doc,
  }));
}

const metrics = (): CompletionSpec[] => METRICS.map((m) => ({ label: m.name, kind: 'metric' as const, documentation: m.doc }));

/** Memslot ids created anywhere in the text (`memslot ID gpa ...`). */
export function memslotIds(text: string): string[] {
  const ids = new Set<string>();
  // `[ \t]`, not `\s`: `^\s*` would run on across blank lines from every line start (quadratic).
  for (const m of text.matchAll(/^[ \t]*memslot[ \t]+([A-Za-z_][A-Za-z0-9_]*|[0-9]+)[ \t]+gpa\b/gm)) {
    ids.add(m[1]!);
    if (ids.size >= MAX_IDS) break;
  }
  return [...ids];
}

/** Memslot ids offered at most (a generated file may create 100,000). */
const MAX_IDS = 500;
/** Text before the cursor that completion looks at to tell whether it is inside a block. */
const BLOCK_WINDOW = 256 * 1024;

/** `key=` or `key=[v, ...` at the end of the complete tokens: the key whose values to offer, and whether a `[` is open. */
function valueContext(done: readonly LineToken[]): { key: string; list: boolean } | undefined {
  let eq = -1;
  for (let i = done.length - 1; i >= 0; i--) {
    const t = done[i]!.text;
    if (t === '=') { eq = i; break; }
    if (t === ']' || t === '==') return undefined;
  }
  if (eq < 1 || done[eq - 1]!.kind !== 'word') return undefined;
  if (eq === done.length - 1) return { key: done[eq - 1]!.text, list: false };
  return done[eq + 1]!.text === '[' ? { key: done[eq - 1]!.text, list: true } : undefined;
}

/** Completions at the cursor: `before` is the document's text up to the cursor, `fullText` all of it. */
export function completionsAt(before: string, fullText: string): CompletionSpec[] {
  const linePrefix = before.slice(before.lastIndexOf('\n') + 1);
  // One linear pass over the line (no regex that backtracks on 80,000 `a`s or escaped quotes).
  const lineToks = lineTokens(linePrefix);
  const lastTok = lineToks[lineToks.length - 1];
  if (lastTok && (lastTok.kind === 'comment' || (isUnclosedString(lastTok) && lastTok.end === linePrefix.length))) return []; // in a comment or a string
  // Only the statement the cursor is in (after the last `;`, `{` or `}` outside strings).
  let cut = 0;
  for (const t of lineToks) if (t.text === ';' || t.text === '{' || t.text === '}') cut = t.end;
  const stmt = linePrefix.slice(cut);
  const tokens = cut === 0 ? lineToks : lineToks.filter((t) => t.start >= cut).map((t) => ({ ...t, start: t.start - cut, end: t.end - cut }));
  const endsWithSpace = /\s$/.test(stmt) || stmt.length === 0;
  // Complete tokens before the cursor; the one being typed is not part of the context.
  const done = endsWithSpace ? tokens : tokens.slice(0, -1);
  let words = done.map((t) => t.text);
  if (words[0] === 'vcpu' && words.length >= 2) words = words.slice(2);
  const first = words[0];
  const last = words[words.length - 1];
  const insideScenario = isInsideBlock(before);

  if (first === undefined) {
    // After `vcpu N ` only a guest statement can follow (an empty list lets VS Code offer file words).
    if (done.length > 0 && done[0]!.text === 'vcpu') return done.length >= 2 ? statements(false).filter((c) => GUEST_KEYWORDS.has(c.label)) : [];
    return statements(!insideScenario);
  }
  if (first === 'config' || first === 'sweep') {
    const sweep = first === 'sweep';
    // `key=` or `key=[v, ` just before the cursor → values of that key.
    // The tokens before the word being typed (a word or number touching the cursor), like the old `[A-Za-z0-9_.]*$` strip.
    const lastT = tokens[tokens.length - 1];
    const typed = lastT && (lastT.kind === 'word' || lastT.kind === 'number') && lastT.end === stmt.length;
    const v = valueContext(typed ? tokens.slice(0, -1) : tokens);
    if (v && (!sweep || v.list)) return configValues(v.key);
    if (last === '=' ) return [];
    return configKeys(sweep);
  }
  if (first === 'expect') {
    if (words.length === 1) return [{ label: 'ok', kind: 'keyword', documentation: 'No stale translation use and no failed check so far.' }, ...metrics()];
    if (words.length === 2 && last !== 'ok') return COMPARE_OPS.map((op) => ({ label: op, kind: 'operator' as const }));
    return [];
  }
  if (first === 'print') return words.length === 1 ? metrics() : [];
  if (first === 'call') {
    if (words.length === 1) return KERNEL_FUNCTIONS.map((f) => ({ label: f.name, kind: 'function' as const, documentation: f.doc, detail: f.arg === 'none' ? undefined : 'ADDR | root' }));
    if (words.length === 2 && words[1] === 'hyperv_flush_guest_mapping') return [{ label: 'root', kind: 'keyword', documentation: 'The vCPU\'s current root (nCR3 / EPTP).' }];
    return [];
  }
  if (first === 'memslot') {
    if (words.length === 1) return memslotIds(fullText).map((id) => ({ label: id, kind: 'variable' as const, detail: 'memslot' }));
    if (words.length === 2) {
      return ['delete', 'move', 'dirty_log', 'clear_dirty_log', 'gpa'].map((w) => ({ label: w, kind: 'keyword' as const }));
    }
    if (words[2] === 'dirty_log' && words.length === 3) return ['on', 'off'].map((w) => ({ label: w, kind: 'value' as const }));
    if (words[2] === 'delete' && words.length === 3) return [{ label: 'free', kind: 'keyword', documentation: 'Also unmap the backing: its pages go back to the L1 allocator.' }];
    return modifiers(words);
  }
  if (first === 'cr4') {
    if (words.length === 1) return ['pge', 'pcide', 'smep'].map((w) => ({ label: w, kind: 'value' as const }));
    if (words.length === 2) return ['on', 'off'].map((w) => ({ label: w, kind: 'value' as const }));
  }
  if (first === 'nested' && words.length === 1) return ['vmrun', 'vmexit'].map((w) => ({ label: w, kind: 'value' as const }));
  return modifiers(words);
}

const MODIFIER_DOCS: Readonly<Record<string, string>> = {
  ncr3: 'The nested CR3 of L3 (an L2 guest-physical address): guest_mmu switches to that root (kvm_mmu_new_pgd).',
  readonly: 'A read-only memslot: guest writes to it exit to userspace.',
  hugepages: 'The VMM backs the memslot with 2M pages (THP / hugetlbfs): KVM maps 2M SPTEs where it can.',
  noflush: 'CR3 write with bit 63 set: PCID entries are kept.',
  pattern: 'Name of the value pattern written / verified per page.',
  as: 'Name the iteration index: `repeat N as i { ... }` (0..N-1).',
  in: 'The values of the loop: `for NAME in [v1, v2, ...] { ... }`.',
  stride: 'Bytes between accesses (default 4K).',
  count: 'Number of accesses (default size / stride).',
  random: 'Pages in random order (seeded).',
  write: 'Write accesses instead of reads.',
};

/** Optional words after a statement's required parts (`nested vmrun ncr3`, `readonly`, touch options). */
function modifiers(words: readonly string[]): CompletionSpec[] {
  const offer = (list: readonly string[]) => list.filter((w) => !words.includes(w)).map((w) => ({ label: w, kind: 'keyword' as const, documentation: MODIFIER_DOCS[w] }));
  const [first, , third] = words;
  const last = words[words.length - 1];
  if (first === 'nested' && words.length === 2 && words[1] === 'vmrun') return offer(['ncr3']);
  if (first === 'repeat' && words.length === 2) return offer(['as']);
  if (first === 'for' && words.length === 2) return offer(['in']);
  if (first === 'memslot' && third === 'gpa' && words.length >= 6 && words.length <= 7 && words[4] === 'size') return offer(['readonly', 'hugepages']);
  if (first === 'cr3' && words.length === 2) return offer(['noflush']);
  if ((first === 'write' || first === 'verify') && words.length === 4 && words[2] === 'size') return offer(['pattern']);
  // `touch ADDR size SIZE` then options; after `stride` / `count` a number is expected.
  if (first === 'touch' && words.length >= 4 && last !== 'stride' && last !== 'count') return offer(['stride', 'count', 'random', 'write']);
  return [];
}

/**
 * Whether the end of `before` sits inside a `{ ... }` block (unbalanced braces), looking at a
 * bounded window: the last BLOCK_WINDOW characters, from the first `scenario` line in them
 * (a scenario starts at depth 0). A window with no `scenario` line in a longer text is deep
 * inside one scenario's body.
 */
function isInsideBlock(before: string): boolean {
  let from = 0;
  if (before.length > BLOCK_WINDOW) {
    const window = before.slice(before.length - BLOCK_WINDOW);
    const m = /^[ \t]*scenario\b/m.exec(window);
    if (!m) return true;
    from = before.length - BLOCK_WINDOW + m.index;
  }
  let depth = 0;
  let inString = false;
  let inComment = false;
  for (let i = from; i < before.length; i++) {
    const c = before.charCodeAt(i);
    if (c === 10) { inString = false; inComment = false; continue; }
    if (inComment) continue;
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 35) inComment = true;
    else if (c === 123) depth++;
    else if (c === 125) depth--;
  }
  return depth > 0;
}
