/**
 * One HDLC frame of IEC 62056-46 (frame format type 3), as used by DLMS/COSEM over serial lines:
 *
 * ```text
 * Flag | Frame format | Dest. address | Src. address | Control | HCS | Information | FCS | Flag
 * 7E   | 2 bytes      | 1, 2 or 4     | 1, 2 or 4    | 1       | 2   | n           | 2   | 7E
 *
 * Frame format = 1010 S LLL LLLLLLLL  (type 3 = 0xA, S = segmentation bit, L = 11-bit frame length)
 * ```
 *
 * The frame length counts every byte between the flags (format to FCS inclusive), so it is at most
 * 2047. HCS (over format, addresses and control) is present only when there is an information field;
 * FCS covers everything between the flags except itself. Both are CRC-16/X.25, least significant byte
 * first ({@link fcs16}). There is no byte stuffing: frames are delimited by the length.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { Reader } from '../internal/reader.ts';
import { checkAddress, type HdlcAddress } from './address.ts';
import { decodeControl, encodeControl, type HdlcControl, mayCarryInfo } from './control.ts';
import { fcs16 } from './fcs.ts';

/** The opening and closing flag. @since 0.1.0 @category HDLC */
export const HDLC_FLAG = 0x7e;
/** Largest frame length the 11-bit length field can express (bytes between the flags). */
export const HDLC_MAX_FRAME_LENGTH = 2047;
/** Smallest frame: format 2 + addresses 1 + 1 + control 1 + FCS 2. */
export const HDLC_MIN_FRAME_LENGTH = 7;

/**
 * A decoded HDLC frame. `info` is absent when the frame has no information field (and hence no HCS).
 * Decoding returns `info` as a view into the input.
 *
 * @since 0.1.0
 * @category HDLC
 */
export interface HdlcFrame {
  /** The segmentation bit S of the frame format field: more segments of the same APDU follow. */
  segmented: boolean;
  destination: HdlcAddress;
  source: HdlcAddress;
  control: HdlcControl;
  info?: Uint8Array;
}

/** The JSON form of {@link HdlcFrame} (the information field as upper-case hex). */
export interface HdlcFrameJson {
  segmented: boolean;
  destination: HdlcAddress;
  source: HdlcAddress;
  control: HdlcControl;
  info?: string;
}

/** @since 0.1.0 @category HDLC */
export function hdlcFrameToJson(f: HdlcFrame): HdlcFrameJson {
  const o: HdlcFrameJson = {
    segmented: f.segmented,
    destination: { ...f.destination },
    source: { ...f.source },
    control: { ...f.control },
  };
  if (f.info !== undefined) o.info = toHex(f.info);
  return o;
}

/** @since 0.1.0 @category HDLC */
export function hdlcFrameFromJson(j: HdlcFrameJson): HdlcFrame {
  const isObject = (x: unknown): boolean => typeof x === 'object' && x !== null;
  if (
    ![j, j?.destination, j?.source, j?.control].every(isObject) ||
    (j.info !== undefined && typeof j.info !== 'string')
  )
    throw new DlmsError(
      'INVALID_ARGUMENT',
      'an HDLC frame JSON form is an object with address and control objects and hex "info"',
    );
  const f: HdlcFrame = {
    segmented: j.segmented,
    destination: j.destination,
    source: j.source,
    control: j.control,
  };
  if (j.info !== undefined) f.info = fromHex(j.info);
  return f;
}

/**
 * Encodes one frame, flags included. An empty `info` (length 0) is treated as absent: the standard
 * has no HCS without an information field.
 *
 * @since 0.1.0
 * @category HDLC
 */
export function encodeHdlcFrame(frame: HdlcFrame): Uint8Array<ArrayBuffer> {
  const info = frame.info !== undefined && frame.info.length > 0 ? frame.info : undefined;
  if (info && !mayCarryInfo(frame.control.type))
    throw new DlmsError('INVALID_ARGUMENT', `HDLC ${frame.control.type} frame cannot carry information`);
  if (frame.segmented && frame.control.type !== 'I' && frame.control.type !== 'UI')
    throw new DlmsError('INVALID_ARGUMENT', 'only I and UI frames can be segmented');
  checkAddress(frame.destination);
  checkAddress(frame.source);
  const control = encodeControl(frame.control);
  const headerEnd = 3 + frame.destination.size + frame.source.size + 1; // index after the control byte
  const length = headerEnd - 1 + (info ? 2 + info.length : 0) + 2;
  if (length > HDLC_MAX_FRAME_LENGTH)
    throw new DlmsError('INVALID_ARGUMENT', `HDLC frame length ${length} exceeds ${HDLC_MAX_FRAME_LENGTH}`);
  const out = new Uint8Array(length + 2);
  const fmt = 0xa000 | (frame.segmented ? 0x0800 : 0) | length;
  out[0] = HDLC_FLAG;
  out[1] = fmt >> 8;
  out[2] = fmt & 0xff;
  let pos = writeAddressAt(out, 3, frame.destination);
  pos = writeAddressAt(out, pos, frame.source);
  out[pos++] = control;
  if (info) {
    const hcs = fcs16(out, 1, headerEnd);
    out[headerEnd] = hcs & 0xff;
    out[headerEnd + 1] = hcs >> 8;
    out.set(info, headerEnd + 2);
  }
  const fcs = fcs16(out, 1, length - 1);
  out[length - 1] = fcs & 0xff;
  out[length] = fcs >> 8;
  out[length + 1] = HDLC_FLAG;
  return out;
}

/**
 * Decodes exactly one frame with both flags. A prefix of a frame is `INCOMPLETE`; bytes after the closing
 * flag are `MALFORMED`; a bad HCS/FCS is `CHECKSUM_MISMATCH`.
 *
 * @since 0.1.0
 * @category HDLC
 */
export function decodeHdlcFrame(bytes: Uint8Array): HdlcFrame {
  const r = new Reader(bytes);
  if (r.u8('opening flag') !== HDLC_FLAG) r.fail('HDLC frame must start with the flag 0x7E', 0);
  r.need(2, 'frame format');
  const length = ((bytes[1]! << 8) | bytes[2]!) & 0x7ff;
  if ((bytes[1]! & 0xf0) !== 0xa0) r.fail('HDLC frame format type is not 3 (0xA)', 1);
  r.need(length + 1, 'frame');
  if (bytes[length + 1] !== HDLC_FLAG) r.fail('missing closing flag 0x7E', length + 1);
  if (bytes.length > length + 2) r.fail('trailing bytes after the closing flag', length + 2);
  return decodeHdlcFrameBody(bytes, 1, length + 1, 0);
}

/** Writes `a` (already checked) in the extended-address form at `out[at]`; returns the index after it. */
function writeAddressAt(out: Uint8Array, at: number, a: HdlcAddress): number {
  if (a.size === 1) {
    out[at] = (a.upper << 1) | 1;
    return at + 1;
  }
  const l = a.lower!;
  if (a.size === 2) {
    out[at] = a.upper << 1;
    out[at + 1] = (l << 1) | 1;
    return at + 2;
  }
  out[at] = (a.upper >> 7) << 1;
  out[at + 1] = (a.upper & 0x7f) << 1;
  out[at + 2] = (l >> 7) << 1;
  out[at + 3] = ((l & 0x7f) << 1) | 1;
  return at + 4;
}

function malformed(message: string, offset: number, path?: string): never {
  throw new DlmsError('MALFORMED', message, path ? { offset, path: [path] } : { offset });
}

/** The extended address starting at `buf[at]` (its size tells the caller how far to move). */
function readAddressAt(buf: Uint8Array, at: number, limit: number, base: number, what: string): HdlcAddress {
  let p = at;
  while (p < limit && (buf[p]! & 1) === 0) p++;
  if (p >= limit) malformed(`${what} address runs past the frame header`, base + at, what);
  const n = p + 1 - at;
  if (n === 1) return { size: 1, upper: buf[at]! >> 1 };
  if (n === 2) return { size: 2, upper: buf[at]! >> 1, lower: buf[at + 1]! >> 1 };
  if (n === 4)
    return {
      size: 4,
      upper: ((buf[at]! >> 1) << 7) | (buf[at + 1]! >> 1),
      lower: ((buf[at + 2]! >> 1) << 7) | (buf[at + 3]! >> 1),
    };
  return malformed(`${what} address of ${n} bytes (only 1, 2 or 4 allowed)`, base + at, what);
}

/**
 * Decodes the bytes between the flags, `buf[start..end)` (format through FCS), whose length field is
 * already known to equal `end - start`. `base` is the stream offset of `buf[0]` for error offsets.
 * Index arithmetic rather than a Reader: this runs once per frame in the deframer's hot loop.
 */
export function decodeHdlcFrameBody(buf: Uint8Array, start: number, end: number, base: number): HdlcFrame {
  if (end - start < 2)
    throw new DlmsError('INCOMPLETE', 'frame format needs 2 bytes', { offset: base + end });
  const fmt = (buf[start]! << 8) | buf[start + 1]!;
  if ((fmt & 0xf000) !== 0xa000) malformed('HDLC frame format type is not 3 (0xA)', base + start);
  const length = fmt & 0x7ff;
  if (length !== end - start) malformed(`frame length field ${length} ≠ ${end - start}`, base + start);
  if (length < HDLC_MIN_FRAME_LENGTH) malformed(`frame length ${length} below the minimum 7`, base + start);
  const fcsAt = end - 2;
  if (fcs16(buf, start, fcsAt) !== (buf[fcsAt]! | (buf[fcsAt + 1]! << 8)))
    throw new DlmsError('CHECKSUM_MISMATCH', 'HDLC FCS mismatch', { offset: base + fcsAt, path: ['fcs'] });
  let pos = start + 2;
  const destination = readAddressAt(buf, pos, fcsAt, base, 'destination');
  pos += destination.size;
  const source = readAddressAt(buf, pos, fcsAt, base, 'source');
  pos += source.size;
  if (pos >= fcsAt) malformed('frame has no control field', base + pos);
  const controlAt = pos++;
  const control = decodeControl(buf[controlAt]!);
  if (!control)
    return malformed(
      `control field 0x${buf[controlAt]!.toString(16)} is not an IEC 62056-46 frame`,
      base + controlAt,
      'control',
    );
  const frame: HdlcFrame = { segmented: (fmt & 0x0800) !== 0, destination, source, control };
  if (pos < fcsAt) {
    if (fcsAt - pos < 3)
      malformed('bytes after the control field too short for HCS and information', base + pos);
    if (fcs16(buf, start, pos) !== (buf[pos]! | (buf[pos + 1]! << 8)))
      throw new DlmsError('CHECKSUM_MISMATCH', 'HDLC HCS mismatch', { offset: base + pos, path: ['hcs'] });
    if (!mayCarryInfo(control.type))
      malformed(`HDLC ${control.type} frame cannot carry information`, base + pos, 'info');
    frame.info = buf.subarray(pos + 2, fcsAt);
  }
  if (frame.segmented && control.type !== 'I' && control.type !== 'UI')
    malformed(`segmentation bit set on a ${control.type} frame`, base + start);
  return frame;
}
