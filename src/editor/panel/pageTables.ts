// Page-table nodes for the panel's lazily expanded tree, with SPTEs decoded.
// No vscode import (unit-tested). The webview asks for one table page at a time.
import type { PageTableNode, Snapshot } from '../../core/run/result';
import type { PageNodeView } from '../../protocol';

/**
 * Decodes an SPTE as the model encodes it (src/core/model/memory.ts: `(target L1 pfn << 1) |
 * writable`, 0 = not present): the permission and the L1 page it points at. The model keeps
 * no other bits (no A/D, no NX), so nothing else is shown.
 */
export function decodeSpte(spte: number): string {
  if (!Number.isSafeInteger(spte) || spte < 0) return '?';
  if (spte === 0) return 'not present';
  const pfn = Math.floor(spte / 2);
  return `${spte % 2 === 1 ? 'writable' : 'read-only'}, L1 pfn 0x${pfn.toString(16)}`;
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
export function pageNode(snap: Snapshot | undefined, root: number, hpa: number): PageNodeView | null {
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
      flags: decodeSpte(e.spte),
      hasChild: !e.leaf && childHpas.has(e.target),
    })),
  };
}
