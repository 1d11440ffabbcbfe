import { chromium } from 'playwright-core';
import { provisionWorkbench } from './scripts/provision-workbench.mjs';
import { startCodeServer, workbenchUrl } from './scripts/code-server.mjs';
const wb = provisionWorkbench({ apt: false });
const s = await startCodeServer({ node: wb.node, entry: wb.entry });
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1300, height: 700 } });
try {
await p.goto(workbenchUrl(s.url, '/work/main/test/e2e/fixtures', { extensionDevelopmentPath: '/work/main' }));
await p.locator('.monaco-workbench').waitFor({ timeout: 60000 });
const row = p.locator('.explorer-folders-view .monaco-list-row', { hasText: 'zz-multi' });
await row.waitFor({ timeout: 30000 }); await row.click();
await p.waitForTimeout(8000);
await p.screenshot({ path: 'test-results/multi0.png' });
await p.locator('.monaco-editor .codelens-decoration a', { hasText: /^\W*Run$/ }).first().click({ timeout: 10000 });
await p.waitForTimeout(5000);
await p.screenshot({ path: 'test-results/multi.png' });
} finally {
await b.close(); await s.stop(); console.log(s.logFile); }
