import { defineConfig } from 'tsup';
import { amiTsupConfig, entriesFromExports } from '../../tsup.shared.ts';

// The binary is one more entry beside the subpath exports.
export default defineConfig(
  amiTsupConfig(import.meta.dirname, {
    entry: { ...entriesFromExports(import.meta.dirname), bin: 'src/bin.ts' },
  }),
);
