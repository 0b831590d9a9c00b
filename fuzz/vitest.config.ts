import { defineConfig } from 'vitest/config';

// The fuzzer's own tests (the rule, the mutations, the engine). Run: npx vitest run --root fuzz
// biome-ignore lint/style/noDefaultExport: vitest loads its config from the default export
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, pool: 'forks' },
});
