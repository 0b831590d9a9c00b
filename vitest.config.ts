import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'conformance-vectors/test/**/*.test.ts',
      'examples/test/**/*.test.ts',
    ],
    // Integration tests with real sockets and brokers are slower than unit tests; property tests run many cases.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
