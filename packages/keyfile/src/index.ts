/**
 * @ami-interop/keyfile. The root holds the error family; features live on subpaths.
 *
 * @module
 */
export {
  formatPath,
  isKeyfileError,
  KeyfileError,
  type KeyfileErrorCode,
  type KeyfileErrorOptions,
  withPath,
} from './errors.ts';
