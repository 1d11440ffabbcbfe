// Outline, folding and CodeLens anchors from the syntax tree (pure, no vscode import).
import type { FileNode, ScenarioNode, Statement } from '../../core/lang/ast';
import type { Range } from '../../core/lang/source';

export interface SymbolSpec {
  readonly name: string;
  readonly kind: 'scenario' | 'checkpoint' | 'repeat' | 'let';
  readonly detail: string;
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children: readonly SymbolSpec[];
}

function statementSymbols(body: readonly Statement[]): SymbolSpec[] {
  const out: SymbolSpec[] = [];
  for (const s of body) {
    if (s.kind === 'checkpoint') {
      out.push({ name: s.label.value, kind: 'checkpoint', detail: 'checkpoint', range: s.range, selectionRange: s.label.range, children: [] });
    } else if (s.kind === 'repeat') {
      // A repeat only appears in the outline when it holds checkpoints (keeps the outline short).
      const children = statementSymbols(s.body);
      if (children.length > 0) {
        out.push({ name: `repeat ${s.count?.text ?? '?'}`, kind: 'repeat', detail: '', range: s.range, selectionRange: s.keyword.range, children });
      }
    }
  }
  return out;
}

/** Scenarios with their checkpoints (breadcrumbs use the same tree). */
export function documentSymbols(file: FileNode): SymbolSpec[] {
  return file.scenarios.map((sc) => ({
    name: sc.name?.value ?? '(unnamed scenario)',
    kind: 'scenario' as const,
    detail: 'scenario',
    range: sc.range,
    selectionRange: sc.name?.range ?? sc.keyword.range,
    children: statementSymbols(sc.body),
  }));
}

export interface FoldSpec {
  readonly start: number;
  readonly end: number;
  readonly kind?: 'comment';
}

function blockFolds(body: readonly Statement[], out: FoldSpec[]): void {
  for (const s of body) {
    if (s.kind !== 'repeat') continue;
    const end = s.closeBrace?.start.line ?? s.range.end.line;
    if (end > s.range.start.line) out.push({ start: s.range.start.line, end: end - 1 });
    blockFolds(s.body, out);
  }
}

/** Folds for scenario and repeat blocks (the closing brace stays visible) and runs of comment lines. */
export function foldingRanges(file: FileNode, text: string): FoldSpec[] {
  const out: FoldSpec[] = [];
  for (const sc of file.scenarios) {
    const end = sc.closeBrace?.start.line ?? sc.range.end.line;
    if (end > sc.range.start.line) out.push({ start: sc.range.start.line, end: end - 1 });
    blockFolds(sc.body, out);
  }
  const lines = text.split('\n');
  let start = -1;
  for (let i = 0; i <= lines.length; i++) {
    const isComment = i < lines.length && /^\s*#/.test(lines[i]!);
    if (isComment && start < 0) start = i;
    if (!isComment && start >= 0) {
      if (i - 1 > start) out.push({ start, end: i - 1, kind: 'comment' });
      start = -1;
    }
  }
  return out;
}

export interface LensAnchor {
  readonly scenario: string;
  readonly line: number;
}

/**
 * Where the Run / Compare / Show state lenses go. While the text does not parse the
 * previous anchors are kept, so lenses do not jump or vanish while typing (Alloy's
 * "code moving vertically" complaint); they move once a parse succeeds again.
 */
export function lensAnchors(file: FileNode, hasErrors: boolean, previous: readonly LensAnchor[] | undefined): LensAnchor[] {
  if (hasErrors && previous) return [...previous];
  return file.scenarios
    .filter((sc): sc is ScenarioNode & { name: NonNullable<ScenarioNode['name']> } => sc.name !== null)
    .map((sc) => ({ scenario: sc.name.value, line: sc.keyword.range.start.line }));
}
