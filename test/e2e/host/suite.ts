// Tests inside a real VS Code (code-server's extension host, the extension loaded from
// source). They drive the extension through the public API only.
import * as assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { HOST_TESTS } from './titles';

const repo = join(__dirname, '..', '..');
const fixture = (name: string) => vscode.Uri.file(join(repo, 'test', 'e2e', 'fixtures', name));

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

interface RunResponseLike {
  status: string;
  result?: { scenarios: { name: string; passed: boolean; stale: unknown[]; checks: { passed: boolean }[] }[] };
}

describe('Nested MMU Lab in VS Code', () => {
  it(HOST_TESTS.languageId, async () => {
    const editor = await open(fixture('two.mmu'));
    assert.equal(editor.document.languageId, 'mmu');
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'nested-mmu-lab');
    assert.ok(ext, 'the extension is loaded');
    await until('activation', () => (ext.isActive ? true : undefined));
  });

  it(HOST_TESTS.badDiagnostics, async () => {
    const uri = fixture('bad.mmu');
    await open(uri);
    const diags = await until('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'mmu');
      return d.length >= 2 ? d : undefined;
    });
    const key = diags.find((d) => d.range.start.line === 1);
    assert.ok(key, 'a diagnostic at the unknown key (line 2)');
    assert.equal(key.severity, vscode.DiagnosticSeverity.Error);
    assert.match(key.message, /tdpmmu/);
    assert.match(key.message, /tdp_mmu/, 'suggests the right key');
    assert.ok(key.code, 'has a stable code');
    const fn = diags.find((d) => d.range.start.line === 5);
    assert.ok(fn, 'a diagnostic at the unknown function (line 6)');
    assert.match(fn.message, /kvm_do_magic/);
  });

  it(HOST_TESTS.codeLens, async () => {
    const uri = fixture('two.mmu');
    await open(uri);
    const lenses = await until('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l && l.length >= 7 ? l : undefined;
    });
    const titles = lenses.map((l) => `${l.range.start.line}:${l.command?.title}`);
    assert.ok(titles.includes('0:$(run-all) Run all (2)'), titles.join(', '));
    for (const line of [3, 11]) {
      for (const t of ['$(play) Run', '$(graph) Compare', '$(layers) Show state']) assert.ok(titles.includes(`${line}:${t}`), `${line}:${t} in ${titles.join(', ')}`);
    }
    const run = lenses.find((l) => l.range.start.line === 11 && l.command?.title.endsWith('Run'));
    assert.deepEqual(run?.command?.arguments, [uri.toString(), 'wrong value']);
  });

  it(HOST_TESTS.languageFeatures, async () => {
    const uri = fixture('two.mmu');
    await open(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /KVM memslot ioctl/);
    assert.match(text, /§5 #1/);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.deepEqual(symbols.map((s) => s.name), ['write then read', 'wrong value']);
    assert.deepEqual(symbols[0]!.children.map((s) => s.name), ['after read']);
    const doc = await vscode.workspace.openTextDocument({ language: 'mmu', content: 'scenario "s" {\n  call \n}\n' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 7));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('kvm_mmu_zap_all_fast'), labels.slice(0, 20).join(', '));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it(HOST_TESTS.runTwo, async () => {
    const uri = fixture('two.mmu');
    await open(uri);
    const all = await vscode.commands.executeCommand<RunResponseLike>('mmu.runFile', uri.toString());
    assert.equal(all?.status, 'done');
    const verdicts = all.result!.scenarios.map((s) => [s.name, s.passed]);
    // host=bare: the read sees what was written, so only the wrong expectation fails.
    assert.deepEqual(verdicts, [['write then read', true], ['wrong value', false]]);
    const one = await vscode.commands.executeCommand<RunResponseLike>('mmu.runScenario', uri.toString(), 'wrong value');
    assert.equal(one?.status, 'done');
    const failed = one.result!.scenarios.find((s) => s.name === 'wrong value');
    assert.equal(failed?.passed, false);
    assert.ok(failed!.checks.some((c) => !c.passed), 'the read == check failed');
  });

  it(HOST_TESTS.staleDiagnostics, async () => {
    const uri = fixture('recycled-root.mmu');
    await open(uri);
    const response = await vscode.commands.executeCommand<RunResponseLike>('mmu.runFile', uri.toString());
    assert.equal(response?.status, 'done');
    // Domain §7: 6.2 + eTLB + TDP MMU with LIFO reuse fails; the upstream fix (6.3) passes.
    assert.deepEqual(response.result!.scenarios.map((s) => [s.name, s.passed]), [['guest data survives memslot churn', false], ['same with the upstream fix', true]]);
    assert.ok(response.result!.scenarios[0]!.stale.length > 0, 'the unfixed kernel has stale uses');
    const stale = await until('stale-use diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.code === 'stale-use');
      return d.length > 0 ? d : undefined;
    });
    assert.equal(stale.length, 1, 'the stale reads inside repeat are one diagnostic at the access');
    const first = stale[0]!;
    assert.equal(first.range.start.line, 11, 'at the read inside the loop');
    assert.match(first.message, /Stale translation \[guest data survives memslot churn\]/);
    const related = first.relatedInformation ?? [];
    const roles = related.map((r) => r.message.split(':')[0]);
    assert.deepEqual(roles, ['fill', 'change', 'recycle'], 'the blame chain as related information');
    // fill: an L2 access (the first write, or a read of an earlier iteration whose root page came back);
    // change: the memslot DELETE (kvm_mmu_zap_all_fast invalidates the root); recycle: the entry's kvm_mmu_load.
    assert.ok([7, 11].includes(related[0]!.location.range.start.line), 'filled by an access');
    assert.equal(related[1]!.location.range.start.line, 9, 'changed by the memslot delete');
    assert.equal(related[2]!.location.range.start.line, 11, 'recycled at the entry of the read');
    for (const r of related) assert.equal(r.location.uri.toString(), uri.toString());
  });

  it(HOST_TESTS.exportRun, async () => {
    const uri = fixture('two.mmu');
    await open(uri);
    await vscode.commands.executeCommand('mmu.runFile', uri.toString());
    const target = vscode.Uri.file(join(tmpdir(), `mmu-export-${process.pid}.json`));
    const written = await vscode.commands.executeCommand<string>('mmu.exportRun', uri.toString(), target.toString());
    assert.equal(written, target.toString());
    const json = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target))) as { uri: string; version: number; result: { scenarios: { name: string; passed: boolean }[] } };
    await vscode.workspace.fs.delete(target);
    assert.equal(json.uri, uri.toString());
    assert.deepEqual(json.result.scenarios.map((s) => [s.name, s.passed]), [['write then read', true], ['wrong value', false]]);
  });

  it(HOST_TESTS.dropOnEdit, async () => {
    const uri = fixture('recycled-root.mmu');
    const editor = await open(uri);
    await until('stale diagnostics present', () => (vscode.languages.getDiagnostics(uri).some((d) => d.code === 'stale-use') ? true : undefined));
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited\n'));
    await until('stale diagnostics dropped', () => (vscode.languages.getDiagnostics(uri).some((d) => d.code === 'stale-use') ? undefined : true));
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it(HOST_TESTS.editCancels, async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'mmu', content: 'config host=bare\nscenario "forever" {\n  memslot ram gpa 0 size 64K\n  repeat 1000000000 {\n    read 0x1000\n  }\n}\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const running = vscode.commands.executeCommand<RunResponseLike>('mmu.runScenario', doc.uri.toString(), 'forever');
    await new Promise((r) => setTimeout(r, 1500));
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited\n'));
    const response = await running;
    assert.equal(response?.status, 'cancelled');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it(HOST_TESTS.runInTerminal, async () => {
    const uri = fixture('two.mmu');
    await open(uri);
    await vscode.commands.executeCommand('mmu.runInTerminal');
    const term = await until('the MMU Lab terminal', () => vscode.window.terminals.find((t) => t.name === 'MMU Lab'));
    const opts = term.creationOptions as vscode.TerminalOptions;
    assert.equal(opts.env?.ELECTRON_RUN_AS_NODE, '1', 'the extension host binary runs as Node');
    term.dispose();
  });

  it(HOST_TESTS.compare, async () => {
    const uri = fixture('recycled-root.mmu');
    await open(uri);
    const response = await vscode.commands.executeCommand<{ status: string; result?: { scenarios: { name: string }[] }; compare?: { scenario: string; points: { rank: number; config: Record<string, string> }[] } }>('mmu.compareScenario', uri.toString(), 'guest data survives memslot churn');
    assert.equal(response?.status, 'done');
    // The panel shows the compared scenario's own state beside the ranking, even without a Run first.
    assert.ok(response.result?.scenarios.some((s) => s.name === 'guest data survives memslot churn'), 'the compared scenario was run too');
    const points = response.compare!.points;
    // No sweep in the file: Compare uses tdp_mmu=[on,off] x enlightened_tlb=[on,off] (language reference).
    assert.equal(points.length, 4);
    assert.deepEqual(points.map((p) => p.rank).sort(), [1, 2, 3, 4]);
    await until('the state panel tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('mmu.statePanel')));
  });

  it(HOST_TESTS.duplicateNames, async () => {
    const uri = fixture('dup.mmu');
    await open(uri);
    const diags = await until('E210', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'mmu');
      return d.length ? d : undefined;
    });
    assert.deepEqual(diags.map((d) => [d.code, d.range.start.line]), [['E210', 11]]);
    // Before the fix the Test Explorer threw "duplicate test item ID" and nothing ran.
    const response = await vscode.commands.executeCommand<RunResponseLike>('mmu.runFile', uri.toString());
    assert.equal(response?.status, 'done');
    assert.deepEqual(response.result!.scenarios.map((s) => [s.name, s.passed]), [['same', true], ['other', true]]);
    const one = await vscode.commands.executeCommand<RunResponseLike>('mmu.runScenario', uri.toString(), 'other');
    assert.equal(one?.status, 'done');
  });

  it(HOST_TESTS.quickFix, async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'mmu', content: 'scenario "s" {\n  expect stail == 0\n}\n' });
    await vscode.window.showTextDocument(doc);
    const [diag] = await until('E220', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.code === 'E220');
      return d.length ? d : undefined;
    });
    assert.match(diag!.message, /^found `stail`; did you mean `stale`\?/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag!.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Change to `stale`');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(1).text, '  expect stale == 0');
    await until('E220 gone', () => (vscode.languages.getDiagnostics(doc.uri).some((x) => x.code === 'E220') ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it(HOST_TESTS.defaultConfigRecheck, async () => {
    // `fix=a` is fine on the default host (hyperv); under a default `host=bare` it is E203
    // (language.md: fix a issues a Hyper-V flush hypercall, and bare metal has no Hyper-V).
    // The document does not change: only the setting does.
    const doc = await vscode.workspace.openTextDocument({ language: 'mmu', content: 'config fix=a\nscenario "s" {\n  smi\n}\n' });
    await vscode.window.showTextDocument(doc);
    const e203 = () => vscode.languages.getDiagnostics(doc.uri).filter((x) => x.code === 'E203');
    const mmu = vscode.workspace.getConfiguration('mmu');
    await until('first diagnostics pass', () => new Promise<true>((r) => setTimeout(() => r(true), 500)));
    assert.deepEqual(e203(), []);
    try {
      await mmu.update('defaultConfig', { host: 'bare' }, vscode.ConfigurationTarget.Global);
      const [d] = await until('E203 after the setting changed', () => (e203().length ? e203() : undefined));
      assert.equal(d!.range.start.line, 0);
      assert.match(d!.message, /mmu\.defaultConfig/);
    } finally {
      await mmu.update('defaultConfig', undefined, vscode.ConfigurationTarget.Global);
    }
    await until('E203 gone after the setting was reset', () => (e203().length ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it(HOST_TESTS.cancelledState, async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'mmu', content: 'config host=bare\nscenario "forever" {\n  memslot ram gpa 0 size 64K\n  repeat 1000000000 {\n    read 0x1000\n  }\n}\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const running = vscode.commands.executeCommand<RunResponseLike>('mmu.runScenario', doc.uri.toString(), 'forever');
    await new Promise((r) => setTimeout(r, 1500));
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited\n'));
    assert.equal((await running)?.status, 'cancelled');
    // The store keeps a cancelled result (status bar, marks and panel show it): export it.
    const target = vscode.Uri.file(join(tmpdir(), `mmu-cancelled-${process.pid}.json`));
    await vscode.commands.executeCommand('mmu.exportRun', doc.uri.toString(), target.toString());
    const json = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target))) as { cancelled?: { by: string; line: number }; result: { scenarios: { name: string; cancelled: boolean; notes: string[] }[] } };
    await vscode.workspace.fs.delete(target);
    assert.equal(json.cancelled?.by, 'edit');
    const sc = json.result.scenarios[0]!;
    assert.deepEqual([sc.name, sc.cancelled], ['forever', true]);
    assert.match(sc.notes[0]!, /^cancelled at line [56] after [0-9,]+ statements \(the file was edited\)$/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it(HOST_TESTS.exploreRunAll, async () => {
    const uri = fixture('explore.mmu');
    await open(uri);
    const lenses = await until('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l && l.some((x) => x.command?.title.includes('Explore')) ? l : undefined;
    });
    const titles = lenses.map((l) => `${l.range.start.line}:${l.command?.title}`);
    // One scenario and one explore block: Run all counts both.
    assert.ok(titles.includes('0:$(run-all) Run all (2)'), titles.join(', '));
    assert.ok(titles.includes('8:$(search) Explore'), titles.join(', '));
    const response = await vscode.commands.executeCommand<RunResponseLike & { explorations?: { name: string; verdict: string; line: number; counterexample: { steps: unknown[]; scenario: string } | null }[] }>('mmu.runFile', uri.toString());
    assert.equal(response?.status, 'done');
    assert.deepEqual(response.result!.scenarios.map((s) => [s.name, s.passed]), [['plain', true]]);
    // The shortest recycled-root sequence on 6.2 + TDP + eTLB with allocator=any is 6 moves (test/unit/explore/bfs.test.ts).
    assert.deepEqual(response.explorations?.map((e) => [e.name, e.line, e.verdict, e.counterexample?.steps.length]), [['churn', 8, 'violation', 6]]);
  });

  it(HOST_TESTS.exploreCommand, async () => {
    const uri = fixture('explore.mmu');
    await open(uri);
    const results = await vscode.commands.executeCommand<{ name: string; verdict: string; counterexample: { scenario: string } | null }[]>('mmu.exploreBlock', uri.toString(), 'churn');
    assert.deepEqual(results.map((r) => [r.name, r.verdict]), [['churn', 'violation']]);
    // The counterexample is a runnable scenario that expects the stale use it found.
    const scenario = results[0]!.counterexample!.scenario;
    assert.match(scenario, /^scenario "counterexample: churn" \{$/m);
    assert.match(scenario, /^  expect stale > 0$/m);
    const doc = await vscode.workspace.openTextDocument({ language: 'mmu', content: scenario });
    const run = await vscode.commands.executeCommand<RunResponseLike>('mmu.runFile', doc.uri.toString());
    assert.equal(run?.status, 'done');
    assert.ok(run.result!.scenarios[0]!.stale.length > 0, 'running it reproduces the stale use');
  });

  it(HOST_TESTS.openCounterexample, async () => {
    const uri = fixture('explore.mmu');
    const source = await open(uri);
    const results = await vscode.commands.executeCommand<{ verdict: string }[]>('mmu.exploreBlock', uri.toString(), 'churn');
    assert.equal(results[0]?.verdict, 'violation');
    const opened = await vscode.commands.executeCommand<{ uri: string; run: RunResponseLike } | undefined>('mmu.openCounterexample', uri.toString(), 'churn');
    assert.ok(opened, 'the stored counterexample opens');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === opened.uri)!;
    assert.equal(doc.isUntitled, true);
    assert.match(doc.getText(), /^scenario "counterexample: churn" \{$/m);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document === doc), 'beside the file');
    // It ran: its stale use is the one the search found (the scenario expects it, so it passes).
    assert.equal(opened.run.status, 'done');
    const sc = opened.run.result!.scenarios[0]!;
    assert.deepEqual([sc.name, sc.passed, sc.stale.length > 0], ['counterexample: churn', true, true]);
    // Insert below: the same scenario appended to the file, with the file-level config moved inside
    // it. On an untitled copy of the fixture: the workbench may auto-save, and the fixture must not change.
    const copy = await vscode.workspace.openTextDocument({ language: 'mmu', content: source.document.getText() });
    await vscode.window.showTextDocument(copy);
    const searched = await vscode.commands.executeCommand<{ verdict: string }[]>('mmu.exploreBlock', copy.uri.toString(), 'churn');
    assert.equal(searched[0]?.verdict, 'violation');
    const before = copy.getText();
    const below = await vscode.commands.executeCommand<{ uri: string; run: RunResponseLike } | undefined>('mmu.openCounterexample', copy.uri.toString(), 'churn', 'below');
    assert.equal(below?.uri, copy.uri.toString());
    const after = copy.getText();
    assert.ok(after.startsWith(before) && /\nscenario "counterexample: churn" \{\n  config /.test(after.slice(before.length)), after.slice(before.length));
    assert.equal(below.run.status, 'done');
    assert.ok(below.run.result!.scenarios.some((s) => s.name === 'counterexample: churn' && s.stale.length > 0));
    assert.equal(source.document.isDirty, false, 'the fixture itself is untouched');
    // Close the two untitled documents unsaved: dirty ones would come back as tabs in the next
    // suite's window (the same profile), and that suite reads the CodeLens of its own editors.
    // (Every untitled tab of the suite, the earlier tests' too.)
    const untitled = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'untitled');
    for (const tab of untitled()) {
      await vscode.window.showTextDocument((tab.input as vscode.TabInputText).uri, { viewColumn: tab.group.viewColumn, preview: false });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    assert.deepEqual(untitled().map((t) => t.label), [], 'no untitled tab is left open');
  });
});
