import { defineConfig } from 'vitest/config';

// `ami-source`: resolve workspace packages to their TypeScript sources (see scripts/sync-exports.mjs).
const conditions = ['ami-source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['ami-source'] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'conformance-vectors/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
      'fuzz/test/**/*.test.ts',
    ],
    // Integration tests with real sockets and brokers are slower than unit tests; property tests run many cases.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
