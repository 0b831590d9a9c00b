/**
 * HDLC parameter negotiation (IEC 62056-46 § 6.4.4.4.3.2, Green Book § 8.4.5.3.2), carried in the
 * information field of SNRM (the client's proposal) and UA (the server's answer):
 *
 * ```text
 * 81            format identifier
 * 80            group identifier (HDLC parameters)
 * LL            group length
 *   05 L v...   maximum_information_field_length_transmit   (L = 1 or 2; up to 4 accepted)
 *   06 L v...   maximum_information_field_length_receive
 *   07 L v...   window_size_transmit                         (L = 1..4; 4 in the standard's examples)
 *   08 L v...   window_size_receive
 * ```
 *
 * Each side states the values **from its own point of view** (its transmit and receive). A parameter
 * that is absent takes its default: 128 bytes for the information field lengths and 1 for the windows.
 * The negotiated value in each direction is the minimum of what the sender can transmit and what the
 * receiver can receive; the server puts the negotiated values in its UA ({@link negotiateHdlcParameters})
 * and the client adopts them with transmit and receive swapped ({@link peerView}).
 *
 * @module
 */
import { DlmsError, withPath } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';

/**
 * Link parameters from one station's point of view.
 *
 * @since 0.1.0
 * @category HDLC
 */
export interface HdlcParameters {
  /** Longest information field this station will send. */
  maxInfoTransmit: number;
  /** Longest information field this station accepts. */
  maxInfoReceive: number;
  /** Frames this station sends before it needs an acknowledgement (1..7). */
  windowTransmit: number;
  /** Frames this station accepts before it acknowledges (1..7). */
  windowReceive: number;
}

/** Defaults when a parameter is absent (IEC 62056-46): 128-byte information fields, window 1. */
export const HDLC_DEFAULT_PARAMETERS: Readonly<HdlcParameters> = Object.freeze({
  maxInfoTransmit: 128,
  maxInfoReceive: 128,
  windowTransmit: 1,
  windowReceive: 1,
});

/** Largest information field length the IEC HDLC setup class allows (2030 = 2047 minus header room). */
export const HDLC_MAX_INFO_LENGTH = 2030;

const IDS = [
  [0x05, 'maxInfoTransmit'],
  [0x06, 'maxInfoReceive'],
  [0x07, 'windowTransmit'],
  [0x08, 'windowReceive'],
] as const;

function checkValue(key: keyof HdlcParameters, v: number): string | undefined {
  if (!Number.isInteger(v)) return `${key} ${v} is not an integer`;
  if (key.startsWith('window')) return v >= 1 && v <= 7 ? undefined : `${key} ${v} is not 1..7`;
  return v >= 1 && v <= HDLC_MAX_INFO_LENGTH ? undefined : `${key} ${v} is not 1..${HDLC_MAX_INFO_LENGTH}`;
}

/**
 * Encodes the parameter group. Information field lengths take one byte up to 255 and two bytes above;
 * window sizes take four bytes (as in the standard's examples). With `omitDefaults`, parameters equal
 * to their default are left out, and an all-default set encodes to an empty array (no information field).
 *
 * @since 0.1.0
 * @category HDLC
 */
export function encodeHdlcParameters(
  p: HdlcParameters,
  options: { omitDefaults?: boolean } = {},
): Uint8Array<ArrayBuffer> {
  const w = new Writer(32);
  let count = 0;
  w.u8(0x81).u8(0x80).fork();
  for (const [id, key] of IDS) {
    const v = p[key];
    const bad = checkValue(key, v);
    if (bad) throw new DlmsError('INVALID_ARGUMENT', `HDLC parameter ${bad}`);
    if (options.omitDefaults && v === HDLC_DEFAULT_PARAMETERS[key]) continue;
    count++;
    w.u8(id);
    if (key.startsWith('window')) w.u8(4).u32(v);
    else if (v <= 0xff) w.u8(1).u8(v);
    else w.u8(2).u16(v);
  }
  w.join();
  return count === 0 && options.omitDefaults ? new Uint8Array(0) : w.finish();
}

/**
 * Decodes the parameter group of an SNRM or UA information field; an absent or empty field gives the
 * defaults. Unknown parameter identifiers inside the group are skipped.
 *
 * @since 0.1.0
 * @category HDLC
 */
export function decodeHdlcParameters(info: Uint8Array | undefined): HdlcParameters {
  const p: HdlcParameters = { ...HDLC_DEFAULT_PARAMETERS };
  if (info === undefined || info.length === 0) return p;
  const r = new Reader(info);
  if (r.u8('format identifier') !== 0x81) r.fail('HDLC parameters: format identifier is not 0x81', 0);
  if (r.u8('group identifier') !== 0x80) r.fail('HDLC parameters: group identifier is not 0x80', 1);
  const len = r.u8('group length');
  const g = r.sub(len, 'parameter group');
  r.expectEnd('HDLC parameter group');
  while (!g.done) {
    const at = g.pos;
    const id = g.u8('parameter identifier');
    const n = g.u8('parameter length');
    const v = g.bytes(n, 'parameter value');
    const entry = IDS.find(([i]) => i === id);
    if (!entry) continue;
    const key = entry[1];
    withPath(key, () => {
      if (n < 1 || n > 4) g.fail(`HDLC parameter ${key}: length ${n} is not 1..4`, at);
      let x = 0;
      for (const b of v) x = x * 256 + b;
      const bad = checkValue(key, x);
      if (bad) g.fail(`HDLC parameter ${bad}`, at);
      p[key] = x;
    });
  }
  return p;
}

/** The same link seen from the other end (transmit and receive swapped). @since 0.1.0 @category HDLC */
export function peerView(p: HdlcParameters): HdlcParameters {
  return {
    maxInfoTransmit: p.maxInfoReceive,
    maxInfoReceive: p.maxInfoTransmit,
    windowTransmit: p.windowReceive,
    windowReceive: p.windowTransmit,
  };
}

/**
 * The server's side of the negotiation: given the client's proposal (from the SNRM, client's view) and
 * the server's own limits (server's view), the values the server answers in its UA (server's view):
 * each direction gets the minimum of the sender's transmit and the receiver's receive.
 *
 * @since 0.1.0
 * @category HDLC
 */
export function negotiateHdlcParameters(proposal: HdlcParameters, server: HdlcParameters): HdlcParameters {
  return {
    maxInfoTransmit: Math.min(server.maxInfoTransmit, proposal.maxInfoReceive),
    maxInfoReceive: Math.min(server.maxInfoReceive, proposal.maxInfoTransmit),
    windowTransmit: Math.min(server.windowTransmit, proposal.windowReceive),
    windowReceive: Math.min(server.windowReceive, proposal.windowTransmit),
  };
}
