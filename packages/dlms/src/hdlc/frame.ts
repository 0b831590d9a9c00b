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
import { DlmsError, withPath } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { type HdlcAddress, readAddress, writeAddress } from './address.ts';
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
  const w = new Writer(16 + (info?.length ?? 0));
  w.u8(HDLC_FLAG).u16(0); // format placeholder
  writeAddress(w, frame.destination);
  writeAddress(w, frame.source);
  w.u8(encodeControl(frame.control));
  const headerEnd = w.pos;
  if (info) w.u16(0).bytes(info);
  w.u16(0); // FCS placeholder
  const length = w.pos - 1;
  if (length > HDLC_MAX_FRAME_LENGTH)
    throw new DlmsError('INVALID_ARGUMENT', `HDLC frame length ${length} exceeds ${HDLC_MAX_FRAME_LENGTH}`);
  w.u8(HDLC_FLAG);
  const out = w.finish();
  const fmt = 0xa000 | (frame.segmented ? 0x0800 : 0) | length;
  out[1] = fmt >> 8;
  out[2] = fmt & 0xff;
  if (info) {
    const hcs = fcs16(out, 1, headerEnd);
    out[headerEnd] = hcs & 0xff;
    out[headerEnd + 1] = hcs >> 8;
  }
  const fcs = fcs16(out, 1, length - 1);
  out[length - 1] = fcs & 0xff;
  out[length] = fcs >> 8;
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

/**
 * Decodes the bytes between the flags, `buf[start..end)` (format through FCS), whose length field is
 * already known to equal `end - start`. `base` is the stream offset of `buf[0]` for error offsets.
 */
export function decodeHdlcFrameBody(buf: Uint8Array, start: number, end: number, base: number): HdlcFrame {
  const r = new Reader(buf, start, end, base);
  const fmt = r.u16('frame format');
  if ((fmt & 0xf000) !== 0xa000) r.fail('HDLC frame format type is not 3 (0xA)', start);
  const length = fmt & 0x7ff;
  if (length !== end - start) r.fail(`frame length field ${length} ≠ ${end - start}`, start);
  if (length < HDLC_MIN_FRAME_LENGTH) r.fail(`frame length ${length} below the minimum 7`, start);
  const fcs = buf[end - 2]! | (buf[end - 1]! << 8);
  if (fcs16(buf, start, end - 2) !== fcs)
    throw new DlmsError('CHECKSUM_MISMATCH', 'HDLC FCS mismatch', { offset: base + end - 2, path: ['fcs'] });
  const body = new Reader(buf, start + 2, end - 2, base);
  const destination = withPath('destination', () => readAddress(body, 'destination address'));
  const source = withPath('source', () => readAddress(body, 'source address'));
  if (body.done) body.fail('frame has no control field');
  const controlAt = body.pos;
  const control = decodeControl(body.u8('control'));
  if (!control)
    return body.fail(
      `control field 0x${buf[controlAt]!.toString(16)} is not an IEC 62056-46 frame`,
      controlAt,
    );
  const frame: HdlcFrame = { segmented: (fmt & 0x0800) !== 0, destination, source, control };
  if (!body.done) {
    if (body.remaining < 3) body.fail('bytes after the control field too short for HCS and information');
    const hcsAt = body.pos;
    const hcs = buf[hcsAt]! | (buf[hcsAt + 1]! << 8);
    if (fcs16(buf, start, hcsAt) !== hcs)
      throw new DlmsError('CHECKSUM_MISMATCH', 'HDLC HCS mismatch', { offset: base + hcsAt, path: ['hcs'] });
    body.pos += 2;
    if (!mayCarryInfo(control.type)) body.fail(`HDLC ${control.type} frame cannot carry information`, hcsAt);
    frame.info = body.rest();
  }
  if (frame.segmented && control.type !== 'I' && control.type !== 'UI')
    r.fail(`segmentation bit set on a ${control.type} frame`, start);
  return frame;
}
