// ESLint: the JavaScript and typescript-eslint recommended rules (syntax-only, no type information, so
// it runs in seconds), over the TypeScript and JavaScript sources. Formatting is prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '**/build/',
      '.turbo/',
      'golden/',
      'results/',
      'report/',
      'packages/backend-wasm/assembly/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        globalThis: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        WebAssembly: 'readonly',
        SharedArrayBuffer: 'readonly',
        Atomics: 'readonly',
        navigator: 'readonly',
        document: 'readonly',
        window: 'readonly',
        self: 'readonly',
        Worker: 'readonly',
        Blob: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        crypto: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        location: 'readonly',
        MessageChannel: 'readonly',
        Event: 'readonly',
        EventTarget: 'readonly',
        GPUBufferUsage: 'readonly',
        GPUMapMode: 'readonly',
        GPUShaderStage: 'readonly',
        Buffer: 'readonly',
        HTMLElement: 'readonly',
      },
    },
    rules: {
      // Unused names are errors, except the conventional `_`-prefixed ones (a parameter an interface requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Tests match aligned table columns: /a  b/ reads as the output looks.
      'no-regex-spaces': 'off',
    },
  },
);
