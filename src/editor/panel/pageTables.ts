// Page-table nodes for the panel's lazily expanded tree, with SPTEs decoded.
// No vscode import (unit-tested). The webview asks for one table page at a time.
import type { PageTableNode, Snapshot } from '../../core/run/result';
import type { PageNodeView } from '../../protocol';

const bit = (v: bigint, n: number): boolean => ((v >> BigInt(n)) & 1n) === 1n;

/**
 * Decodes an SPTE's permission and status bits. With cpu=svm L1's NPT uses the x86-64
 * page-table format (P, R/W, U/S, A, D, PS, NX at bit 63); with cpu=vmx the EPT format
 * (R, W, X in bits 0-2, large page at bit 7, A/D at bits 8/9) — Intel SDM vol. 3 §4.5 / §29.3.2.
 */
export function decodeSpte(spte: number, cpu: string): string {
  if (!Number.isFinite(spte) || spte < 0) return '?';
  const v = BigInt(Math.floor(spte));
  const flags: string[] = [];
  if (cpu === 'vmx') {
    if (bit(v, 0)) flags.push('R');
    if (bit(v, 1)) flags.push('W');
    if (bit(v, 2)) flags.push('X');
    if (bit(v, 7)) flags.push('PS');
    if (bit(v, 8)) flags.push('A');
    if (bit(v, 9)) flags.push('D');
  } else {
    if (bit(v, 0)) flags.push('P');
    if (bit(v, 1)) flags.push('W');
    if (bit(v, 2)) flags.push('U');
    if (bit(v, 5)) flags.push('A');
    if (bit(v, 6)) flags.push('D');
    if (bit(v, 7)) flags.push('PS');
    if (!bit(v, 63)) flags.push('X');
  }
  return flags.length > 0 ? flags.join(' ') : 'not present';
}

export function spteHex(spte: number): string {
  return Number.isFinite(spte) && spte >= 0 ? '0x' + BigInt(Math.floor(spte)).toString(16) : String(spte);
}

function findNode(tree: PageTableNode, hpa: number): PageTableNode | undefined {
  const stack = [tree];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.hpa === hpa) return n;
    for (const c of n.children) stack.push(c);
  }
  return undefined;
}

/** The table page `hpa` under root `root` in a snapshot, or null when the snapshot kept none. */
export function pageNode(snap: Snapshot | undefined, root: number, hpa: number, cpu: string): PageNodeView | null {
  const tree = snap?.pageTables.find((t) => t.root === root)?.tree;
  const node = tree ? findNode(tree, hpa) : undefined;
  if (!node) return null;
  const childHpas = new Set(node.children.map((c) => c.hpa));
  return {
    hpa: node.hpa,
    level: node.level,
    entries: node.entries.map((e) => ({
      index: e.index,
      spte: spteHex(e.spte),
      target: e.target,
      leaf: e.leaf,
      flags: decodeSpte(e.spte, cpu),
      hasChild: !e.leaf && childHpas.has(e.target),
    })),
  };
}
