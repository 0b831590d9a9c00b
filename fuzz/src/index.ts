/**
 * `@ami-interop/fuzz`: fuzz targets for every decoder of the SDK, the mutations and fast-check arbitraries
 * the campaigns use, and the corpus helpers. The coverage-guided fuzzer itself is `src/cli.ts`
 * (`pnpm fuzz`, `pnpm fuzz:ci`); see docs/fuzzing.md.
 *
 * @module
 */
export * from './corpus.ts';
export * from './mutate.ts';
export * from './target.ts';
export { ALL_TARGETS, GUARDS, targetByName } from './targets/index.ts';
