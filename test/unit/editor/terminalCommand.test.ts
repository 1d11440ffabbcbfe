// "MMU: Run in Terminal" types one command line; it must run the bundled CLI on the file
// whatever characters the paths hold.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote, terminalCommand } from '../../../src/editor/terminalCommand';

const ROOT = join(__dirname, '..', '..', '..');

describe('Run in Terminal: the command line', () => {
  it('quotes only what a POSIX shell would split or expand', () => {
    assert.equal(shellQuote('/usr/bin/node', false), '/usr/bin/node');
    assert.equal(shellQuote('/a b/c.mmu', false), `'/a b/c.mmu'`);
    assert.equal(shellQuote(`it's $HOME`, false), `'it'\\''s $HOME'`);
    assert.equal(shellQuote(`C:\\it's`, true), `'C:\\it''s'`);
    assert.ok(terminalCommand('n', 'c', 'f', true).startsWith('& '), 'PowerShell needs the call operator');
  });

  it('runs the bundled CLI on a file in a folder with spaces, quotes and dollars (bash)', function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), `mmu term 'q' $x `));
    try {
      const sub = join(dir, 'a $b');
      mkdirSync(sub);
      const file = join(sub, 'fix b.mmu');
      copyFileSync(join(ROOT, 'examples', 'fix-b.mmu'), file);
      const line = terminalCommand(process.execPath, join(ROOT, 'dist', 'cli.js'), file, false);
      const r = spawnSync('bash', ['-c', line], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /scenario/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
