/**
 * The security header of a ciphered APDU (IEC 62056-5-3, "Security header"):
 *
 * ```text
 * security header = security control byte (1) ‖ invocation counter (4, big-endian)
 *
 * security control byte:
 *   bits 0..3  security suite id (0: AES-GCM-128; 1: ECDH-ECDSA-AES-GCM-128-SHA-256; 2: …-AES-GCM-256-SHA-384)
 *   bit  4     A: authentication
 *   bit  5     E: encryption
 *   bit  6     key set: 0 unicast, 1 broadcast
 *   bit  7     compression
 * ```
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

/** What is applied to an APDU: authentication only, encryption only, or both. */
export type SecurityPolicy = 'auth' | 'enc' | 'auth+enc';

export interface SecurityControl {
  /** Security suite id, 0..15 (0, 1 and 2 are defined). */
  suite: number;
  authenticated: boolean;
  encrypted: boolean;
  /** Key set bit: the broadcast (rather than unicast) encryption key is used. */
  broadcastKey: boolean;
  compressed: boolean;
}

export function decodeSecurityControl(byte: number): SecurityControl {
  return {
    suite: byte & 0x0f,
    authenticated: (byte & 0x10) !== 0,
    encrypted: (byte & 0x20) !== 0,
    broadcastKey: (byte & 0x40) !== 0,
    compressed: (byte & 0x80) !== 0,
  };
}

export function encodeSecurityControl(sc: SecurityControl): number {
  if (!Number.isInteger(sc.suite) || sc.suite < 0 || sc.suite > 15) {
    throw new DlmsError('INVALID_ARGUMENT', `security suite must be 0..15, got ${sc.suite}`);
  }
  return (
    sc.suite |
    (sc.authenticated ? 0x10 : 0) |
    (sc.encrypted ? 0x20 : 0) |
    (sc.broadcastKey ? 0x40 : 0) |
    (sc.compressed ? 0x80 : 0)
  );
}

/** The policy a security control byte expresses, or undefined when neither A nor E is set. */
export function policyOf(sc: SecurityControl): SecurityPolicy | undefined {
  if (sc.authenticated) return sc.encrypted ? 'auth+enc' : 'auth';
  return sc.encrypted ? 'enc' : undefined;
}

export function securityControlFor(policy: SecurityPolicy, suite = 0, broadcastKey = false): SecurityControl {
  if (policy !== 'auth' && policy !== 'enc' && policy !== 'auth+enc') {
    throw new DlmsError('INVALID_ARGUMENT', `unknown security policy ${JSON.stringify(policy)}`);
  }
  return {
    suite,
    authenticated: policy !== 'enc',
    encrypted: policy !== 'auth',
    broadcastKey,
    compressed: false,
  };
}
