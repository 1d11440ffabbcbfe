// Scenario discovery for files that are not open in an editor where no worker can run
// (the web fallback, runner.ts; with a worker the worker analyses them, closedFileIndexer.ts):
// only the scenarios' names and ranges, read in slices of lines with a yield to the event
// loop between slices, so a 16 MB file in the workspace never holds the extension host's
// thread for long. Pure apart from the yield (no vscode import).
import { scan, TK } from '../core/lang/scanner';
import type { Range } from '../core/lang/source';

export interface IndexedScenario {
  readonly name: string;
  /** From the `scenario` keyword to its closing `}` (end of file when unclosed). */
  readonly range: Range;
  /** Set for an `explore "NAME" { ... }` block (a Test Explorer test too); absent for a scenario. */
  readonly kind?: 'explore';
}

/** Lines scanned between two yields. */
export const LINES_PER_SLICE = 4000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * `scenario "NAME"` at brace depth 0, as the parser reads them. Slices end at line breaks,
 * and no token spans a line, so scanning slice by slice gives the whole file's tokens.
 */
export async function indexScenarios(text: string, pause: () => Promise<void> = nextTurn, linesPerSlice = LINES_PER_SLICE): Promise<IndexedScenario[]> {
  const out: IndexedScenario[] = [];
  let depth = 0;
  let open: { name: string; start: Range['start']; explore: boolean } | null = null;
  let pendingExplore = false;
  // A `scenario` keyword seen at depth 0, waiting for its name (the next token).
  let pendingAt: Range['start'] | null = null;
  let sliceStart = 0;
  let firstLine = 0;
  let lastLine = 0;
  let lastCol = 0;
  while (sliceStart < text.length) {
    let end = sliceStart;
    for (let k = 0; k < linesPerSlice && end < text.length; k++) {
      const nl = text.indexOf('\n', end);
      end = nl < 0 ? text.length : nl + 1;
    }
    const { tokens } = scan(text.slice(sliceStart, end));
    for (let i = 0; i < tokens.count; i++) {
      const kind = tokens.kind[i]!;
      if (kind === TK.newline || kind === TK.eof) continue;
      const line = firstLine + tokens.line[i]!;
      const col = tokens.colOf(i);
      const endCol = col + tokens.end[i]! - tokens.offset[i]!;
      if (pendingAt) {
        if (kind === TK.string) open = { name: tokens.stringValue(i), start: pendingAt, explore: pendingExplore };
        pendingAt = null;
      }
      if (kind === TK.lbrace) depth++;
      else if (kind === TK.rbrace && depth > 0) {
        depth--;
        if (depth === 0 && open) { out.push(item(open, { line, character: endCol })); open = null; }
      } else if (kind === TK.word && depth === 0 && (tokens.textOf(i) === 'scenario' || tokens.textOf(i) === 'explore')) {
        if (open) out.push(item(open, { line, character: col })); // never opened its block
        open = null;
        pendingAt = { line, character: col };
        pendingExplore = tokens.textOf(i) === 'explore';
      }
      lastLine = line; lastCol = endCol;
    }
    firstLine += tokens.line[tokens.count - 1]!;
    sliceStart = end;
    if (sliceStart < text.length) await pause();
  }
  if (open) out.push(item(open, { line: lastLine, character: lastCol }));
  return out;
}

function item(open: { name: string; start: Range['start']; explore: boolean }, end: Range['end']): IndexedScenario {
  return { name: open.name, range: { start: open.start, end }, ...(open.explore ? { kind: 'explore' as const } : {}) };
}
