/**
 * @ami-interop/cli: the `ami` command line, also callable as a function (`main(argv, io)`) for tests
 * and for embedding.
 *
 * @module
 */
export { CliError } from './cli-error.ts';
export type { Command, Context, Group, OptionSpec } from './command.ts';
export type { Io } from './io.ts';
export { groups, main, VERSION } from './main.ts';
export { renderTree } from './tree.ts';
