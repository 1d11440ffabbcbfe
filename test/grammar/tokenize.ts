// Loads media/mmu.tmLanguage.json with the same engine VS Code uses (vscode-textmate +
// the Oniguruma WASM build) and tokenizes text into (text, scopes) pairs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const root = join(__dirname, '..', '..');

export interface Token {
  readonly line: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        if (scopeName !== 'source.mmu') return null;
        const path = join(root, 'media', 'mmu.tmLanguage.json');
        return vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path);
      },
    });
    const grammar = await registry.loadGrammar('source.mmu');
    if (!grammar) throw new Error('grammar source.mmu did not load');
    return grammar;
  })();
  return grammarPromise;
}

export async function tokenize(text: string): Promise<Token[]> {
  const grammar = await loadGrammar();
  const out: Token[] = [];
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, stack);
    for (const t of r.tokens) {
      const s = lineText.slice(t.startIndex, t.endIndex);
      if (s.trim() !== '') out.push({ line, text: s, scopes: t.scopes });
    }
    stack = r.ruleStack;
  });
  return out;
}

/** The scopes of the first token whose text is `text` (on `line` when given). */
export function scopesOf(tokens: readonly Token[], text: string, line?: number): readonly string[] {
  const t = tokens.find((x) => x.text === text && (line === undefined || x.line === line));
  if (!t) throw new Error(`no token "${text}"${line === undefined ? '' : ` on line ${line}`} in ${JSON.stringify(tokens.map((x) => x.text))}`);
  return t.scopes;
}
