// @ts-check
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';
import { allowedFrom, LAYERS, SIMULATORS } from './layers.js';

const folders = LAYERS.flat();

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // One-way layers (layers.js): an import, type-only or not, from a folder above fails the lint.
    files: ['src/**/*.ts', 'simulators/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': [
        ...folders.map((folder) => ({ type: folder, pattern: `src/${folder}` })),
        { type: SIMULATORS.name, pattern: SIMULATORS.name },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: 'src/{{from.type}} may not import src/{{to.type}}: layers go one way (layers.js)',
          policies: [
            ...folders.map((folder) => ({
              from: { element: { type: folder } },
              allow: { to: { element: { types: allowedFrom(folder) } } },
            })),
            {
              from: { element: { type: SIMULATORS.name } },
              allow: { to: { element: { types: [SIMULATORS.name, ...SIMULATORS.uses] } } },
            },
          ],
        },
      ],
    },
  },
  {
    // The admin page's own script runs in the browser.
    files: ['src/server/assets/**'],
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', EventSource: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    // The CLI, the benchmarks and the launcher talk to a terminal on purpose.
    files: ['src/cli/**', 'bench/**', 'bin/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
