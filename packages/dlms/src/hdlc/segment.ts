/**
 * Segmentation of long APDUs over HDLC (IEC 62056-46 § 6.4.4.4.3.4, Green Book § 8.4.5.4.6): the
 * LLC header plus APDU is cut into information fields of at most the negotiated
 * `maxInfoTransmit` bytes; every I-frame but the last has the segmentation bit S set in its frame format
 * field. The receiver concatenates the information fields until a frame with S = 0.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

/** One piece of a segmented payload: its bytes (a view) and whether more follow. */
export interface HdlcSegment {
  info: Uint8Array;
  segmented: boolean;
}

/**
 * Cuts `payload` (LLC header included) into segments of at most `maxInfoLength` bytes. An empty
 * payload gives one empty segment.
 *
 * @since 0.1.0
 * @category HDLC
 */
export function segmentPayload(payload: Uint8Array, maxInfoLength: number): HdlcSegment[] {
  if (!Number.isInteger(maxInfoLength) || maxInfoLength < 1)
    throw new DlmsError('INVALID_ARGUMENT', `maxInfoLength ${maxInfoLength} must be a positive integer`);
  const out: HdlcSegment[] = [];
  for (let i = 0; i < payload.length || out.length === 0; i += maxInfoLength) {
    const end = Math.min(payload.length, i + maxInfoLength);
    out.push({ info: payload.subarray(i, end), segmented: end < payload.length });
  }
  return out;
}

/**
 * Collects segments into whole payloads, refusing to grow past `maxLength` bytes (`LIMIT_EXCEEDED`;
 * the partial payload is dropped).
 *
 * @since 0.1.0
 * @category HDLC
 */
export class HdlcReassembler {
  readonly maxLength: number;
  #parts: Uint8Array[] = [];
  #size = 0;

  constructor(maxLength = 1 << 20) {
    this.maxLength = maxLength;
  }

  /** Bytes held for the payload being assembled. */
  get buffered(): number {
    return this.#size;
  }

  /** Adds one segment (copied); returns the whole payload when `segmented` is false. */
  push(info: Uint8Array, segmented: boolean): Uint8Array<ArrayBuffer> | undefined {
    if (this.#size + info.length > this.maxLength) {
      this.reset();
      throw new DlmsError('LIMIT_EXCEEDED', `reassembled HDLC payload exceeds ${this.maxLength} bytes`);
    }
    this.#parts.push(info.slice());
    this.#size += info.length;
    if (segmented) return undefined;
    const out = new Uint8Array(this.#size);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    this.reset();
    return out;
  }

  reset(): void {
    this.#parts = [];
    this.#size = 0;
  }
}
