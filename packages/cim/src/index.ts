/**
 * @ami-interop/cim. The root holds the error family; features live on subpaths.
 *
 * @module
 */
export {
  CimError,
  type CimErrorCode,
  type CimErrorOptions,
  formatPath,
  isCimError,
  withPath,
} from './errors.ts';
