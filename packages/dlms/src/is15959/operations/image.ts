/**
 * The firmware image format of the **simulated** meter (our own, not a standard: real meters take their
 * maker's signed images). It lets the simulator really check an image and refuse a corrupt one:
 *
 * ```text
 * image = "AMIFW1"                       6 bytes, magic
 *       ‖ n                              1 byte, length of the version text (1..64)
 *       ‖ version                        n bytes, printable ASCII (becomes the name plate firmware version)
 *       ‖ payload length                 4 bytes, big-endian
 *       ‖ payload                        the firmware
 *       ‖ SHA-256(everything above)      32 bytes
 * ```
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { DlmsError } from '../../errors.ts';

const MAGIC = /* @__PURE__ */ new TextEncoder().encode('AMIFW1');

/** Builds a simulator image around `payload`. */
export function buildSimulatorImage(version: string, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const v = new TextEncoder().encode(version);
  if (v.length < 1 || v.length > 64 || !/^[\x20-\x7e]+$/.test(version)) {
    throw new DlmsError('INVALID_ARGUMENT', 'version must be 1..64 printable ASCII characters');
  }
  if (!(payload instanceof Uint8Array)) throw new DlmsError('INVALID_ARGUMENT', 'payload must be bytes');
  const head = MAGIC.length + 1 + v.length + 4;
  const out = new Uint8Array(head + payload.length + 32);
  out.set(MAGIC);
  out[MAGIC.length] = v.length;
  out.set(v, MAGIC.length + 1);
  new DataView(out.buffer).setUint32(MAGIC.length + 1 + v.length, payload.length);
  out.set(payload, head);
  out.set(sha256(out.subarray(0, head + payload.length)), head + payload.length);
  return out;
}

export type SimulatorImageCheck =
  | { ok: true; version: Uint8Array; payload: Uint8Array }
  | { ok: false; reason: string };

/** Checks a simulator image: structure, lengths and digest. Never throws. */
export function verifySimulatorImage(image: Uint8Array): SimulatorImageCheck {
  if (image.length < MAGIC.length + 1 + 1 + 4 + 32) return { ok: false, reason: 'image too short' };
  for (let i = 0; i < MAGIC.length; i++) {
    if (image[i] !== MAGIC[i]) return { ok: false, reason: 'not a simulator image (magic)' };
  }
  const n = image[MAGIC.length]!;
  const at = MAGIC.length + 1 + n;
  if (n < 1 || n > 64 || at + 4 + 32 > image.length) return { ok: false, reason: 'bad version length' };
  const len = new DataView(image.buffer, image.byteOffset, image.byteLength).getUint32(at);
  if (at + 4 + len + 32 !== image.length) return { ok: false, reason: 'payload length does not match' };
  const digest = sha256(image.subarray(0, at + 4 + len));
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= digest[i]! ^ image[at + 4 + len + i]!;
  if (diff !== 0) return { ok: false, reason: 'digest mismatch' };
  return {
    ok: true,
    version: image.subarray(MAGIC.length + 1, at),
    payload: image.subarray(at + 4, at + 4 + len),
  };
}
