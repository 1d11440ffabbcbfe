// Hover text for `.mmu` files, from the single vocabulary in schema.ts (pure, no vscode
// import). Every keyword, config key and value, statement, metric and kernel function
// says what it models and links the docs/kernel-reference.md sections for the domain sections
// it cites; numbers show hex, decimal, size and pages.
import {
  CONFIG_BY_KEY, KERNEL_FUNCTIONS, METRICS, STATEMENT_DOCS,
} from '../../core/lang/schema';
import { describeNumber, parseNumberLiteral } from './numberFormat';
import { statementKeyword, tokenAt, type LineToken } from './wordAt';
import { KERNEL_REFERENCE_PATH, referenceLine } from './kernelReference';

/** Words that only appear inside statements (not statements themselves). */
export const MODIFIER_DOCS: Readonly<Record<string, string>> = {
  gpa: 'Guest physical address where the memslot starts (`memslot ID gpa ADDR size SIZE`).',
  size: 'Length in bytes; size suffixes `K` `M` `G` are powers of 1024.',
  readonly: 'The memslot is read-only (KVM_MEM_READONLY): writes exit to userspace.',
  hugepages: 'The VMM backs the memslot with 2M pages (THP / hugetlbfs): a fault maps a 2M SPTE when the slot is 2M-aligned and not dirty-logged (kvm_mmu_hugepage_adjust); dirty logging splits them and collapses them back, and replacing a 4K table with a 2M SPTE flushes its range (mmu_set_spte, §5 #17).',
  delete: 'Delete the memslot: KVM_SET_USER_MEMORY_REGION with size 0, which runs kvm_mmu_zap_all_fast (§5 #1).',
  free: 'With `delete`: also unmap the memslot\'s backing; its pages go back to the L1 allocator (§2.2).',
  move: 'Move the memslot to a new gpa: a fast zap like delete (§5 #1).',
  dirty_log: 'KVM_MEM_LOG_DIRTY_PAGES on/off: write-protect the slot and flush remote TLBs (§5 #2).',
  clear_dirty_log: 'KVM_CLEAR_DIRTY_LOG over the whole slot: kvm_clear_dirty_log_protect clears every set bit of the dirty bitmap, write-protects those pages (kvm_arch_mmu_enable_log_dirty_pt_masked; with `dirty_log_init_set=on` the 2M SPTEs around them too, after an eager split with the TDP MMU) and flushes the slot when any bit was set (§5 #18).',
  pattern: 'Name of the per-page value pattern written by `write ... size` and checked by `verify`.',
  stride: 'Bytes between two accesses of `touch` (4K when absent).',
  count: 'Number of accesses of `touch` (size/stride when absent).',
  random: '`touch` draws `count` pages from the range with the seed instead of walking it.',
  noflush: 'CR3 write with bit 63 set (PCID no-flush): no TLB flush request (§5 #6).',
  vmrun: 'L2 runs its own guest L3: nested_svm_transition_tlb_flush requests MMU_SYNC + TLB_FLUSH_CURRENT (§5 #10).',
  vmexit: 'L3 exits back to L2: nested_svm_transition_tlb_flush again (§5 #10).',
  ncr3: 'The L3 nested CR3 L2 puts in its VMCB: a new value switches guest_mmu\'s root through kvm_mmu_new_pgd / fast_pgd_switch and prev_roots (§5 #9, §2.1).',
  pge: 'CR4.PGE (global pages): toggling it flushes the guest TLB (§5 #7).',
  pcide: 'CR4.PCIDE: toggling it flushes the guest TLB (§5 #7).',
  smep: 'CR4.SMEP: part of the MMU role, so toggling it resets the MMU context (§5 #7).',
  on: 'Turn the feature on.',
  off: 'Turn the feature off.',
  ok: '`expect ok`: the run so far has no stale translation use and no failed check.',
  root: '`hyperv_flush_guest_mapping root`: the vCPU\'s current root (its nCR3/EPTP) (§1.3).',
};

const METRIC_DOC = new Map(METRICS.map((m) => [m.name as string, m.doc]));
const FUNCTION_DOC = new Map(KERNEL_FUNCTIONS.map((f) => [f.name as string, f]));

/** The line linking a hover's domain citations (§N) to docs/kernel-reference.md (kernelReference.ts). */
export function domainSections(doc: string, file?: string): string {
  return referenceLine(doc, file);
}

function withSections(title: string, doc: string, file: string): string {
  return `${title}\n\n${doc}${domainSections(doc, file)}`;
}

/** The config key a value token belongs to, on a `config` / `sweep` line. */
function configKeyFor(tokens: readonly LineToken[], index: number): string | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.text === '=' && tokens[i - 1]?.kind === 'word') return tokens[i - 1]!.text;
    if (t.text === ']' || t.text === ';') return undefined;
  }
  return undefined;
}

function configHover(word: string, tokens: readonly LineToken[], index: number, file: string): string | undefined {
  const next = tokens[index + 1];
  const spec = CONFIG_BY_KEY.get(word);
  if (spec && next?.text === '=') {
    const values = spec.values.length ? spec.values.map((v) => `\`${v}\``).join(', ') : '';
    const range = spec.number ? `${spec.number.min}..${spec.number.max}` : '';
    const allowed = [values, range].filter(Boolean).join(' or ');
    return withSections(`**config \`${word}\`** — default \`${spec.default}\`${allowed ? `; values: ${allowed}` : ''}`, spec.doc, file);
  }
  const key = configKeyFor(tokens, index);
  const keySpec = key ? CONFIG_BY_KEY.get(key) : undefined;
  if (keySpec) {
    const doc = keySpec.valueDocs?.[word] ?? (keySpec.values.includes(word) ? keySpec.doc : undefined);
    if (doc) return withSections(`**\`${key}=${word}\`**${keySpec.default === word ? ' (default)' : ''}`, doc, file);
  }
  return undefined;
}

/** Markdown for the token at (line, character), or undefined when there is nothing to say. Links to
 *  the kernel reference point at `referenceFile` (the editor passes the extension's copy). */
export function hoverMarkdown(lineText: string, character: number, referenceFile: string = KERNEL_REFERENCE_PATH): { markdown: string; start: number; end: number } | undefined {
  const file = referenceFile;
  const at = tokenAt(lineText, character);
  if (!at) return undefined;
  const { token, index, tokens } = at;
  const done = (markdown: string | undefined) => (markdown ? { markdown, start: token.start, end: token.end } : undefined);
  const first = statementKeyword(tokens, index);
  const onConfigLine = first?.text === 'config' || first?.text === 'sweep';
  if (token.kind === 'number') {
    if (onConfigLine) {
      const c = configHover(token.text, tokens, index, file);
      if (c) return done(c);
    }
    const n = parseNumberLiteral(token.text);
    return n === undefined ? undefined : done(`**${token.text}**\n\n${describeNumber(n).join('  \n')}`);
  }
  if (token.kind !== 'word') return undefined;
  const word = token.text;
  if (onConfigLine && index !== first?.index) {
    const c = configHover(word, tokens, index, file);
    if (c) return done(c);
  }
  const isStatementPosition = index === first?.index || (word === 'vcpu' && index === (first?.index ?? 0) - 2);
  if (isStatementPosition && STATEMENT_DOCS[word]) return done(withSections(`**${word}**`, STATEMENT_DOCS[word]!, file));
  const fn = FUNCTION_DOC.get(word);
  if (fn) return done(withSections(`**kernel function \`${word}\`**${fn.arg === 'none' ? '' : ' `ADDR|root`'}`, fn.doc, file));
  const metric = METRIC_DOC.get(word);
  if (metric) return done(withSections(`**metric \`${word}\`**`, metric, file));
  // `write` is both a statement and a `touch` modifier; prefer the position's meaning.
  if (first?.text === 'touch' && word === 'write') return done('**write** (touch)\n\nThe accesses are stores instead of loads.');
  if (MODIFIER_DOCS[word]) return done(withSections(`**${word}**`, MODIFIER_DOCS[word]!, file));
  if (STATEMENT_DOCS[word]) return done(withSections(`**${word}**`, STATEMENT_DOCS[word]!, file));
  return undefined;
}
