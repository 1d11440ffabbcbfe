// The words for a run stopped from outside, shared by every view.

/** "cancelled at line N after M statements" (line 1-based): the same words in every view. */
export function cancelledText(at: { readonly line: number; readonly statements: number }): string {
  return `cancelled at line ${at.line + 1} after ${at.statements.toLocaleString('en-US')} statements`;
}
