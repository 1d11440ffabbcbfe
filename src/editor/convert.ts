// Core positions and diagnostics → vscode objects (both 0-based).
import * as vscode from 'vscode';
import type { Diagnostic } from '../core/diagnostics';
import type { Range } from '../core/lang/source';
import type { DiagnosticSpec } from './results/staleDiagnostics';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

export function toDiagnostic(uri: vscode.Uri, d: Diagnostic | DiagnosticSpec, source: string): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
  out.source = source;
  out.code = d.code;
  if (d.related && d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message));
  }
  return out;
}
