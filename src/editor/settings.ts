// The extension's settings (package.json `contributes.configuration`), read fresh each time.
import * as vscode from 'vscode';
import type { RunSettings } from './run/protocol';
import { clampRunSettings } from './settingLimits';

export const LANGUAGE_ID = 'mmu';

export function isMmuDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === LANGUAGE_ID;
}

export function codeLensEnabled(): boolean {
  return vscode.workspace.getConfiguration('mmu').get<boolean>('codeLens.enabled', true);
}

export function runOnSave(): boolean {
  return vscode.workspace.getConfiguration('mmu').get<boolean>('runOnSave', false);
}

/** `mmu.runOnEdit`: run the file's scenarios whenever an edit settles. */
export function runOnEdit(): boolean {
  return vscode.workspace.getConfiguration('mmu').get<boolean>('runOnEdit', false);
}

export function runSettings(): RunSettings {
  const c = vscode.workspace.getConfiguration('mmu');
  const raw = c.get<Record<string, unknown>>('defaultConfig', {}) ?? {};
  const defaultConfig = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
  return {
    defaultConfig,
    ...clampRunSettings({
      traceLimit: c.get('trace.limit'), ghz: c.get('costModel.ghz'),
      memoryBudgetMB: c.get('model.memoryBudgetMB'), compareMaxPoints: c.get('compare.maxPoints'),
      exploreWorkers: c.get('explore.workers'),
    }),
  };
}
