/**
 * @ami-interop/transport. The root holds the error family; features live on subpaths.
 *
 * @module
 */
export {
  formatPath,
  isTransportError,
  TransportError,
  type TransportErrorCode,
  type TransportErrorOptions,
  withPath,
} from './errors.ts';
