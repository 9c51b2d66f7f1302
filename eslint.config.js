// Lint: the recommended JavaScript and typescript-eslint rules (not type-aware), Node globals.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Generated output, run data and AssemblyScript (asm/: its i32/f32 types and builtins are not TypeScript's).
  globalIgnores(['dist/', 'build/', 'runs/', 'asm/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // Dropping keys by destructuring with a rest sibling (`const { seconds: _s, ...rest } = record`) is intended.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['bench/probes/iteration-overhead/**'],
    // Probes import other source trees by path at run time (ROOT_A, ROOT_B): their modules have no static types.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
