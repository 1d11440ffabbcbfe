// One code-server and one Chromium for the whole e2e layer (started by hooks.ts).
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

export const repo = join(__dirname, '..', '..');
export const resultsDir = join(repo, 'test-results', 'e2e');

export interface Workbench {
  readonly url: string;
  readonly browser: Browser;
  readonly logFile: string;
}

let current: Workbench | undefined;

export function setWorkbench(w: Workbench | undefined): void {
  current = w;
}

export function workbench(): Workbench {
  if (!current) throw new Error('the e2e workbench is not running (hooks.ts)');
  return current;
}
