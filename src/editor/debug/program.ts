// `program` of an mmu launch configuration: a file path (desktop, `${file}`) or a URI
// string (web and virtual workspaces). Breakpoints arrive with the same spelling.
import * as vscode from 'vscode';

export function programOf(uri: vscode.Uri): string { return uri.scheme === 'file' ? uri.fsPath : uri.toString(); }

export function programUri(program: string): vscode.Uri { return /^[a-z][\w+.-]+:\//i.test(program) && !/^[a-z]:[\\/]/i.test(program) ? vscode.Uri.parse(program) : vscode.Uri.file(program); }
