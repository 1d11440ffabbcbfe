// Runs the extension-host suite (test/e2e/host) inside the real workbench through the
// smoke-test driver, then reports each inner test under its own title.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error — plain .mjs helper shared with `npm start`.
import { workbenchUrl } from '../../scripts/code-server.mjs';
import { HOST_TEST_TITLES } from './host/titles';
import { repo, resultsDir, workbench } from './workbench';

interface Outcome { title: string; state: 'passed' | 'failed'; error?: string }

describe('extension host (mocha inside code-server)', () => {
  const outcomes = new Map<string, Outcome>();
  let exitCode: number | undefined;
  const logs: string[] = [];

  before(async function () {
    this.timeout(170_000);
    const resultsFile = join(repo, 'out', 'test', 'results.json');
    rmSync(resultsFile, { force: true });
    const page = await workbench().browser.newPage({ viewport: { width: 1280, height: 800 } });
    let exited: (code: number) => void = () => {};
    const done = new Promise<number>((resolve) => { exited = resolve; });
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    await page.exposeFunction('codeAutomationLog', (...args: unknown[]) => { logs.push(args.map(String).join(' ')); });
    await page.goto(workbenchUrl(workbench().url, join(repo, 'test', 'e2e', 'fixtures'), {
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'out', 'test', 'index.js'),
    }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    exitCode = await Promise.race([done, new Promise<number>((r) => { timer = setTimeout(() => r(-1), 150_000); })]);
    clearTimeout(timer);
    await page.screenshot({ path: join(resultsDir, 'host-tests-end.png') });
    await page.close();
    writeFileSync(join(resultsDir, 'host-tests.log'), logs.join('\n'));
    if (existsSync(resultsFile)) for (const o of JSON.parse(readFileSync(resultsFile, 'utf8')) as Outcome[]) outcomes.set(o.title, o);
  });

  for (const title of HOST_TEST_TITLES) {
    it(title, () => {
      const o = outcomes.get(title);
      assert.ok(o, `the extension-host suite did not report "${title}" (exit ${exitCode}); see test-results/e2e/host-tests.log and code-server.log`);
      assert.equal(o.state, 'passed', o.error);
    });
  }

  it('the extension-host suite exited 0 and ran nothing else', () => {
    assert.equal(exitCode, 0, `codeAutomationExit(${exitCode})`);
    assert.deepEqual([...outcomes.keys()].sort(), [...HOST_TEST_TITLES].sort());
  });
});
