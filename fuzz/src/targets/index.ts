/**
 * Every fuzz target, and the typed-error guard of each package.
 *
 * @module
 */
import { isCimError } from '@ami-interop/cim/errors';
import { isDlmsError } from '@ami-interop/dlms/errors';
import { isKeyfileError } from '@ami-interop/keyfile';
import type { ErrorGuard, FuzzPackage, FuzzTarget } from '../target.ts';
import { cimTargets } from './cim.ts';
import { dlmsTargets } from './dlms.ts';
import { keyfileTargets } from './keyfile.ts';

export { chunked, utf8 } from './util.ts';
export { cimTargets, dlmsTargets, keyfileTargets };

/** All targets, in a stable order (the CI run visits them in this order). */
export const ALL_TARGETS: readonly FuzzTarget[] = [...dlmsTargets, ...cimTargets, ...keyfileTargets];

/** The package's own guard: only its error class counts as typed (a CimError out of dlms would be a bug). */
export const GUARDS: Readonly<Record<FuzzPackage, ErrorGuard>> = {
  dlms: (e) => (isDlmsError(e) ? { code: e.code, offset: e.offset } : undefined),
  cim: (e) => (isCimError(e) ? { code: e.code, offset: e.offset } : undefined),
  keyfile: (e) => (isKeyfileError(e) ? { code: e.code, offset: e.offset } : undefined),
};

export function targetByName(name: string): FuzzTarget | undefined {
  return ALL_TARGETS.find((t) => t.name === name);
}
