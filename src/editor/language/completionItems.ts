// What to offer at the cursor in a `.mmu` file (pure, no vscode import). The context
// comes from the current line up to the cursor; memslot ids from the whole text, so
// completion also works while the file does not parse.
import { CONFIG_BY_KEY, CONFIG_KEYS, COMPARE_OPS, KERNEL_FUNCTIONS, METRICS, STATEMENT_DOCS } from '../../core/lang/schema';
import { GUEST_KEYWORDS } from '../../core/lang/parser';
import { lineTokens } from './wordAt';

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
  checkpoint: 'checkpoint "${1:label}"',
  expect: 'expect ',
  print: 'print ',
};

const RETRIGGER = new Set(['config', 'sweep', 'call', 'expect', 'print']);

function statements(topLevel: boolean): CompletionSpec[] {
  return Object.entries(STATEMENT_DOCS)
    .filter(([k]) => topLevel ? ['scenario', 'config', 'sweep'].includes(k) : k !== 'scenario')
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
  for (const m of text.matchAll(/^\s*memslot\s+([A-Za-z_][A-Za-z0-9_]*|[0-9]+)\s+gpa\b/gm)) ids.add(m[1]!);
  return [...ids];
}

/** Completions at the cursor: `before` is the document's text up to the cursor, `fullText` all of it. */
export function completionsAt(before: string, fullText: string): CompletionSpec[] {
  const linePrefix = before.slice(before.lastIndexOf('\n') + 1);
  if (/#/.test(linePrefix.replace(/"(?:[^"\\]|\\.)*"/g, ''))) return []; // in a comment
  if ((linePrefix.match(/"/g)?.length ?? 0) % 2 === 1) return []; // in a string
  // Only the statement the cursor is in (after the last `;`, `{` or `}`).
  const stmt = linePrefix.slice(Math.max(linePrefix.lastIndexOf(';'), linePrefix.lastIndexOf('{'), linePrefix.lastIndexOf('}')) + 1);
  const tokens = lineTokens(stmt);
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
    const m = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\[[^\]]*)?$/.exec(stmt.replace(/[A-Za-z0-9_.]*$/, ''));
    if (m && (!sweep || m[2] !== undefined)) return configValues(m[1]!);
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
      return ['delete', 'move', 'dirty_log', 'gpa'].map((w) => ({ label: w, kind: 'keyword' as const }));
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
  noflush: 'CR3 write with bit 63 set: PCID entries are kept.',
  pattern: 'Name of the value pattern written / verified per page.',
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
  if (first === 'memslot' && third === 'gpa' && words.length === 6 && words[4] === 'size') return offer(['readonly']);
  if (first === 'cr3' && words.length === 2) return offer(['noflush']);
  if ((first === 'write' || first === 'verify') && words.length === 4 && words[2] === 'size') return offer(['pattern']);
  // `touch ADDR size SIZE` then options; after `stride` / `count` a number is expected.
  if (first === 'touch' && words.length >= 4 && last !== 'stride' && last !== 'count') return offer(['stride', 'count', 'random', 'write']);
  return [];
}

/** Whether the end of `before` sits inside a `{ ... }` block (unbalanced braces). */
function isInsideBlock(before: string): boolean {
  let depth = 0;
  for (const line of before.split('\n')) {
    const code = line.replace(/"(?:[^"\\]|\\.)*"?/g, '""').replace(/#.*$/, '');
    for (const ch of code) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
  }
  return depth > 0;
}
