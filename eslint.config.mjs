// ESLint flat config. The key house rule: src/core imports neither `vscode` nor Node
// built-ins, so the simulator runs in the extension host's worker, the CLI and a browser.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', 'test-results/**', '**/*.cjs', '**/*.mjs', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core must stay portable: no vscode import (glue lives in src/editor).' },
          ...nodeBuiltins.map((name) => ({ name, message: 'src/core must stay portable: no Node built-ins (it runs in a browser too).' })),
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'src/core must not touch process: pass what it needs in.' },
        { name: 'require', message: 'src/core must not require modules dynamically.' },
        { name: 'Buffer', message: 'src/core must not use Buffer (Node only).' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
