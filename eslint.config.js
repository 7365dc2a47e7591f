// ESLint flat config. The import rules make the architecture mechanical:
// core is pure (no runtime, ui, onnxruntime, comlink, DOM); media (image plumbing) is
// pure too and sits on core; runtime never imports ui.
import tseslint from 'typescript-eslint';

const banned = (groups) => ['error', { patterns: groups.map((g) => ({ group: g.group, message: g.message })) }];

export default tseslint.config(
  { ignores: ['dist/**', 'test-results/**', 'dev-dist/**', 'src/generated/**', 'node_modules/**', 'assembly/**', 'training/**', 'runs/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': banned([
        { group: ['**/runtime/**', '**/ui/**', '**/workers/**', '**/sw/**', '**/cli/**'], message: 'src/core stays pure: it imports nothing outside core.' },
        { group: ['onnxruntime-*', 'comlink', 'comlink/*', 'node:*'], message: 'src/core has no I/O dependencies.' },
      ]),
    },
  },
  {
    files: ['src/media/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/runtime/**', '**/ui/**', '**/workers/**', '**/sw/**', '**/cli/**'], message: 'src/media is pure image plumbing: it imports only core and itself.' },
        // Any package but gifenc, fflate and the PNG chunk libraries (pure JS, no DOM, no Node): no node:*, comlink, onnxruntime, pngjs.
        { regex: '^(?![./]|(gifenc|fflate|png-chunks-extract|png-chunks-encode|png-chunk-text)(/|$))', message: 'src/media may import only gifenc, fflate and png-chunks-extract/-encode, png-chunk-text from packages.' },
      ] }],
    },
  },
  {
    files: ['src/runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': banned([
        { group: ['**/ui/**', '**/workers/**'], message: 'runtime sits below workers and ui.' },
      ]),
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
