// Entry of the extension-host tests (bundled to out/test/index.js; the workbench loads
// it through the smoke-test driver's `extensionTestsPath`). Runs the suite with mocha
// and writes each test's result to out/test/results.json for the outer layer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface Outcome { title: string; state: 'passed' | 'failed'; error?: string; ms?: number }

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'host-suite', mocha);
  await import('./suite');
  const outcomes: Outcome[] = [];
  const resultsFile = join(__dirname, 'results.json');
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      writeFileSync(resultsFile, JSON.stringify(outcomes, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => outcomes.push({ title: t.title, state: 'passed', ms: t.duration }));
    runner.on('fail', (t, err: Error) => outcomes.push({ title: t.title, state: 'failed', error: `${err.message}\n${err.stack ?? ''}` }));
  });
}
