import { defineConfig } from 'tsup';
import { amiTsupConfig } from '../../tsup.shared.ts';

export default defineConfig(amiTsupConfig(import.meta.dirname));
