/**
 * Deterministic secrets of a simulated IS 15959 meter, so that tests and demos are reproducible: the same
 * seed and serial number always give the same system title and keys, and different serials different ones.
 * **For simulation only**: a seed is not a key-management scheme.
 *
 * Derivation (HKDF-SHA256, RFC 5869):
 *
 * ```text
 * secret(label, n) = HKDF-SHA256(IKM  = UTF-8(seed)            -- a number seed as its decimal text; bytes as they are
 *                                salt = "ami-interop/is15959/simulator/v1",
 *                                info = UTF-8(serial) ‖ 0x00 ‖ UTF-8(label),
 *                                L    = n)
 *
 * system title  = "SIM" ‖ secret("system-title", 5)      -- 3-letter manufacturer id, then 5 bytes
 * master key    = secret("master-key", 16)               -- KEK, shared by the security setups
 * GUEK of SAP s = secret("guek/<s>", 16), GAK = secret("gak/<s>", 16)    for s = 32, 48, 64, 80
 * LLS secret    = 16 characters [0-9A-Z] from secret("lls/<s>", 16)      for s = 32 (and "ihd" for the IHD)
 * HLS secret    = secret("hls/<s>", 16)                                   for s = 48, 80
 * data stream   = secret("data", 16) seeds the generator of the synthetic profiles
 * ```
 *
 * @module
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { DlmsError } from '../errors.ts';

export type SimulatorSeed = number | string | Uint8Array;

const SALT = /* @__PURE__ */ new TextEncoder().encode('ami-interop/is15959/simulator/v1');

function seedBytes(seed: SimulatorSeed): Uint8Array {
  if (seed instanceof Uint8Array) return seed;
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      throw new DlmsError('INVALID_ARGUMENT', `seed must be a safe integer, a string or bytes, got ${seed}`);
    }
    return new TextEncoder().encode(String(seed));
  }
  if (typeof seed === 'string') return new TextEncoder().encode(seed);
  throw new DlmsError('INVALID_ARGUMENT', 'seed must be a safe integer, a string or bytes');
}

/** One derived secret (see the module doc). */
export function deriveSecret(seed: SimulatorSeed, serial: string, label: string, length: number): Uint8Array {
  if (typeof serial !== 'string' || serial.length === 0) {
    throw new DlmsError('INVALID_ARGUMENT', 'serial must be a non-empty string');
  }
  const enc = new TextEncoder();
  const s = enc.encode(serial);
  const l = enc.encode(label);
  const info = new Uint8Array(s.length + 1 + l.length);
  info.set(s);
  info.set(l, s.length + 1);
  return hkdf(sha256, seedBytes(seed), SALT, info, length);
}

export interface AssociationKeys {
  /** Global unicast encryption key. */
  readonly guek: Uint8Array;
  /** Global authentication key. */
  readonly gak: Uint8Array;
}

export interface SimulatedMeterSecrets {
  readonly systemTitle: Uint8Array;
  readonly masterKey: Uint8Array;
  /** By client SAP: 32 meter reader, 48 utility settings, 64 push, 80 firmware upgrade. */
  readonly keys: Readonly<Record<32 | 48 | 64 | 80, AssociationKeys>>;
  /** LLS password of the meter reader (32) and of the in-home display, ASCII. */
  readonly llsSecret: string;
  readonly ihdLlsSecret: string;
  /** HLS secrets of utility settings (48) and firmware upgrade (80). */
  readonly hlsSecret: Readonly<Record<48 | 80, Uint8Array>>;
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function password(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += ALNUM[x % 36];
  return s;
}

/** Every secret of a simulated meter (see the module doc). */
export function simulatedMeterSecrets(seed: SimulatorSeed, serial: string): SimulatedMeterSecrets {
  const st = new Uint8Array(8);
  st.set([0x53, 0x49, 0x4d]); // "SIM"
  st.set(deriveSecret(seed, serial, 'system-title', 5), 3);
  const keys = {} as Record<32 | 48 | 64 | 80, AssociationKeys>;
  for (const sap of [32, 48, 64, 80] as const) {
    keys[sap] = {
      guek: deriveSecret(seed, serial, `guek/${sap}`, 16),
      gak: deriveSecret(seed, serial, `gak/${sap}`, 16),
    };
  }
  return {
    systemTitle: st,
    masterKey: deriveSecret(seed, serial, 'master-key', 16),
    keys,
    llsSecret: password(deriveSecret(seed, serial, 'lls/32', 16)),
    ihdLlsSecret: password(deriveSecret(seed, serial, 'lls/ihd', 16)),
    hlsSecret: {
      48: deriveSecret(seed, serial, 'hls/48', 16),
      80: deriveSecret(seed, serial, 'hls/80', 16),
    },
  };
}
