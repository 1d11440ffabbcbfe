// Hover, completion, outline and folding for `.mmu` files: thin adapters over the pure
// modules in ./language.
import * as vscode from 'vscode';
import type { AnalysisCache } from './analysisCache';
import { completionsAt, type CompletionKind } from './language/completionItems';
import { hoverMarkdown } from './language/hoverText';
import { KERNEL_REFERENCE_PATH } from './language/kernelReference';
import { documentSymbols, foldingRanges, type SymbolSpec } from './language/outline';
import { toRange } from './convert';
import { expressionHover, withLets } from './symbols/variables';
import { LANGUAGE_ID } from './settings';

const COMPLETION_KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword,
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
  metric: vscode.CompletionItemKind.Variable,
  function: vscode.CompletionItemKind.Function,
  variable: vscode.CompletionItemKind.Reference,
  operator: vscode.CompletionItemKind.Operator,
  snippet: vscode.CompletionItemKind.Snippet,
};

function toSymbol(s: SymbolSpec): vscode.DocumentSymbol {
  const kind = s.kind === 'scenario' ? vscode.SymbolKind.Class : s.kind === 'checkpoint' ? vscode.SymbolKind.Event : s.kind === 'let' ? vscode.SymbolKind.Constant : vscode.SymbolKind.Namespace;
  const sym = new vscode.DocumentSymbol(s.name, s.detail, kind, toRange(s.range), toRange(s.selectionRange));
  sym.children = s.children.map(toSymbol);
  return sym;
}

/** `extensionUri`: hovers link to the extension's own docs/kernel-reference.md (shipped in the .vsix). */
export function registerLanguageFeatures(cache: AnalysisCache, extensionUri?: vscode.Uri): vscode.Disposable {
  const selector: vscode.DocumentSelector = { language: LANGUAGE_ID };
  const reference = extensionUri ? vscode.Uri.joinPath(extensionUri, ...KERNEL_REFERENCE_PATH.split('/')).toString() : undefined;
  return vscode.Disposable.from(
    vscode.languages.registerHoverProvider(selector, {
      provideHover(doc, pos) {
        // A `let` or loop variable (its value or range), or an expression over loop variables.
        const v = expressionHover(cache.get(doc).file, { line: pos.line, character: pos.character });
        if (v) return new vscode.Hover(new vscode.MarkdownString(v.markdown), toRange(v.range));
        const h = hoverMarkdown(doc.lineAt(pos.line).text, pos.character, reference);
        if (!h) return undefined;
        return new vscode.Hover(new vscode.MarkdownString(h.markdown), new vscode.Range(pos.line, h.start, pos.line, h.end));
      },
    }),
    vscode.languages.registerCompletionItemProvider(selector, {
      provideCompletionItems(doc, pos) {
        const before = doc.getText(new vscode.Range(new vscode.Position(0, 0), pos));
        return completionsAt(before, doc.getText()).map((c) => {
          const item = new vscode.CompletionItem(c.label, COMPLETION_KIND[c.kind]);
          if (c.detail) item.detail = c.detail;
          if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
          if (c.insertText) item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
          if (c.retrigger) item.command = { command: 'editor.action.triggerSuggest', title: 'more' };
          return item;
        });
      },
    }, ' ', '=', '[', ','),
    vscode.languages.registerDocumentSymbolProvider(selector, {
      provideDocumentSymbols: (doc) => { const file = cache.get(doc).file; return withLets(documentSymbols(file), file).map(toSymbol); },
    }),
    vscode.languages.registerFoldingRangeProvider(selector, {
      provideFoldingRanges: (doc) => foldingRanges(cache.get(doc).file, doc.getText())
        .map((f) => new vscode.FoldingRange(f.start, f.end, f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined)),
    }),
  );
}
