// F5 on an open .mmu file without a launch.json, and the launch.json starter.
import * as vscode from 'vscode';
import { isMmuDocument } from '../settings';
import { programOf } from './program';

export const DEBUG_TYPE = 'mmu';

export function scenarioConfiguration(uri: vscode.Uri, scenario?: string): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: scenario ? `Debug "${scenario}"` : 'Debug scenario', program: programOf(uri), ...(scenario ? { scenario } : {}), stopOnEntry: true };
}

export const configurationProvider: vscode.DebugConfigurationProvider = {
  provideDebugConfigurations: () => [{ type: DEBUG_TYPE, request: 'launch', name: 'Debug scenario', program: '${file}', stopOnEntry: true }],
  resolveDebugConfiguration(_folder, config) {
    if (!config.type && !config.request && !config.name) {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !isMmuDocument(doc)) return config; // not ours: VS Code asks for a debugger
      return scenarioConfiguration(doc.uri, scenarioAtCursor(doc));
    }
    if (!config.program) {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !isMmuDocument(doc)) { void vscode.window.showErrorMessage('MMU debug: set `program` to a .mmu file, or open one.'); return undefined; }
      config.program = programOf(doc.uri);
    }
    return config;
  },
};

/** The scenario the cursor is in (`scenario "name" {` at or above it), so F5 debugs that one. */
function scenarioAtCursor(doc: vscode.TextDocument): string | undefined {
  const line = vscode.window.activeTextEditor?.selection.active.line ?? 0;
  for (let l = Math.min(line, doc.lineCount - 1); l >= 0; l--) {
    const m = /^\s*scenario\s+"([^"]*)"/.exec(doc.lineAt(l).text);
    if (m) return m[1];
  }
  return undefined;
}
